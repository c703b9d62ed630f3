"""What each paper of the handbook shows (O-8 to O-12, O-32, O-33, O-60), drawn from the order.

A document's content is plain data (texts already in the document's language), so that it can
be frozen when the document is issued and the PDF drawn from it alone, at any later time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import cn2an
from django.conf import settings
from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.roles import Role
from gendan.documents.models import DocumentKind
from gendan.orders.models import GoodsLine, GoodsReturn, Order
from gendan.orders.routes import ROUTES
from gendan.orders.selectors import order_route_state
from gendan.parties.models import CustomerKind

CENT = Decimal("0.01")
Content = dict[str, Any]

# Number prefixes, as the paper forms are numbered (pinyin initials of their names).
PREFIXES = {
    DocumentKind.ORDER_FORM: "DD", DocumentKind.MEASUREMENT_NOTICE: "CL",
    DocumentKind.DISPATCH_ADVICE: "FH", DocumentKind.DELIVERY_NOTE: "SH",
    DocumentKind.PROFIT_NOTE: "LR", DocumentKind.HANDOVER_SHEET: "JJ",
    DocumentKind.RETURN_NOTE: "TH", DocumentKind.WAREHOUSE_RECEIPT: "RK",
    DocumentKind.WARRANTY_CARD: "BX",
}  # fmt: skip


def amount_in_capitals(amount: Decimal) -> str:
    """An amount of yuan in Chinese capitals, as cheques and invoices write it: 1234.50 →
    壹仟贰佰叁拾肆元伍角; 100 → 壹佰元整."""
    return cn2an.an2cn(format(cents(amount), "f"), "rmb")


def cents(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def money(amount: Decimal | None) -> str:
    return "" if amount is None else f"{cents(amount):,}"


def quantity_text(quantity: Decimal) -> str:
    return format(quantity.normalize(), "f")


def moment(value: dt.datetime | None) -> str:
    return formats.date_format(timezone.localtime(value), "Y-m-d H:i") if value else ""


def day(value: dt.date | str | None) -> str:
    return str(value) if value else ""


# Copies (O-10, O-11): colour, name and where each goes.
@dataclass(frozen=True)
class Copy:
    colour: str
    name: Promise
    goes_to: Promise
    void: bool = False


WHITE, BLUE = gettext_lazy("White copy (stub)"), gettext_lazy("Blue copy (customer)")
RED, YELLOW = gettext_lazy("Red copy (settlement)"), gettext_lazy("Yellow copy (warehouse)")
# O-10: a delivery note without a profit note.
PLAIN_COPIES = (
    Copy("white", WHITE, gettext_lazy("Kept by the clerk")),
    Copy("blue", BLUE, gettext_lazy("To the customer")),
    Copy("red", RED, gettext_lazy("To finance, for settlement")),
    Copy("yellow", YELLOW, gettext_lazy("Kept by the warehouse")),
)
# O-11: the profit note travels to the warehouse, the driver and the homeowner.
PROFIT_COPIES = (
    Copy("white", WHITE, gettext_lazy("To finance; to the dealer after settlement")),
    Copy("blue", BLUE, gettext_lazy("To the homeowner")),
    Copy("red", RED, gettext_lazy("To finance")),
    Copy("yellow", YELLOW, gettext_lazy("Kept by the warehouse")),
)
# O-11: the cost note beside a profit note stays inside; its yellow copy is void. No copy is
# named for the customer or the warehouse: none goes to the homeowner, driver or warehouse.
COST_COPIES = (
    Copy("white", WHITE, gettext_lazy("Kept by the clerk")),
    Copy("blue", gettext_lazy("Blue copy (dealer)"),
         gettext_lazy("To finance; to the dealer at settlement")),
    Copy("red", RED, gettext_lazy("Kept by finance")),
    Copy(
        "yellow", gettext_lazy("Yellow copy (void)"),
        gettext_lazy("VOID: the profit note goes to the warehouse; nothing of this copy does"),
        void=True,
    ),
)  # fmt: skip


def has_profit_note(order: Order) -> bool:
    """O-11: the company delivers, installs and collects for a dealer's end customer."""
    return order.channel == CustomerKind.DEALER and ROUTES[order.route].has("dealer_approve")


# Signature boxes: the step that signs, the box's label, and the record field naming the
# person who signs on paper when it is not the user who signed the step (the customer, ...).
Box = tuple[str, Promise, str]
BOXES: dict[str, tuple[Box, ...]] = {
    DocumentKind.ORDER_FORM: (
        ("register", gettext_lazy("Registered by (clerk)"), ""),
        ("verify", gettext_lazy("Verified by"), ""),
        ("supervisor_review", gettext_lazy("Sales supervisor"), ""),
        ("vp_approve", gettext_lazy("VP of sales"), ""),
    ),
    DocumentKind.MEASUREMENT_NOTICE: (
        ("measurement_notice", gettext_lazy("Issued by (clerk)"), ""),
        ("measure", gettext_lazy("Measured by (service)"), ""),
        ("agree_install", gettext_lazy("Fee and time agreed by"), ""),
        ("return_measurement", gettext_lazy("Returned to the clerk by"), ""),
    ),
    DocumentKind.DISPATCH_ADVICE: (
        ("verify", gettext_lazy("Verified by"), ""),
        ("dispatch_advice", gettext_lazy("Written by"), ""),
    ),
    DocumentKind.DELIVERY_NOTE: (
        ("delivery_note", gettext_lazy("Made by (clerk)"), ""),
        ("supervisor_review", gettext_lazy("Sales supervisor"), ""),
        ("vp_approve", gettext_lazy("VP of sales"), ""),
        ("finance_review", gettext_lazy("Finance"), ""),
        ("ship", gettext_lazy("Warehouse (shipped)"), ""),
        ("ship", gettext_lazy("Handled by (collected)"), "signed_out_by"),
        ("deliver", gettext_lazy("Received by (customer)"), "received_by"),
    ),
    DocumentKind.PROFIT_NOTE: (
        ("delivery_note", gettext_lazy("Made by (clerk)"), ""),
        ("dealer_approve", gettext_lazy("Dealer"), ""),
        ("finance_review", gettext_lazy("Finance"), ""),
        ("ship", gettext_lazy("Warehouse (shipped)"), ""),
        ("ship", gettext_lazy("Handled by (collected)"), "signed_out_by"),
        ("deliver", gettext_lazy("Received by (homeowner)"), "received_by"),
    ),
    DocumentKind.HANDOVER_SHEET: (
        ("delivery_note", gettext_lazy("Sent by (clerk)"), ""),
        ("ship", gettext_lazy("Given to the driver by (warehouse)"), ""),
        ("deliver", gettext_lazy("Delivered by (driver)"), ""),
        ("deliver", gettext_lazy("Received by (customer)"), "received_by"),
        ("install", gettext_lazy("Installed by"), ""),
        ("acceptance", gettext_lazy("Accepted by (service)"), ""),
    ),
    DocumentKind.WARRANTY_CARD: (
        ("install", gettext_lazy("Installed by"), ""),
        ("acceptance", gettext_lazy("Acceptance run by (service)"), ""),
        ("acceptance", gettext_lazy("Accepted by (customer)"), "accepted_by"),
        ("warranty_card", gettext_lazy("Card signed by (customer)"), "signed_by"),
    ),
}


# O-11: the cost note beside a profit note never travels: no box for the warehouse, the
# driver or the homeowner; those are signed on the profit note.
TRAVELLING_STEPS = ("ship", "deliver")
COST_NOTE_BOXES = tuple(
    box for box in BOXES[DocumentKind.DELIVERY_NOTE] if box[0] not in TRAVELLING_STEPS
)


def boxes_of(order: Order, kind: str) -> tuple[Box, ...]:
    if kind == DocumentKind.DELIVERY_NOTE and has_profit_note(order):
        return COST_NOTE_BOXES
    return BOXES.get(kind, ())


def signatures(order: Order, kind: str) -> list[dict[str, str]]:
    """The document's boxes: filled with name and time where the step log has the signature,
    empty where it is still due; steps skipped or not on the route have no box."""
    states = {state.step.code: state for state in order_route_state(order)}
    boxes = []
    for code, label, named_in in boxes_of(order, kind):
        state = states.get(code)
        if state is None or state.state == "skipped" or box_skipped_ahead(state, order):
            continue
        entry = state.entry
        name = ""
        if entry is not None:
            name = entry.data.get(named_in, "") if named_in else entry.actor.display_name
        boxes.append({"label": str(label), "name": name, "at": moment(entry and entry.at)})
    return boxes


def box_skipped_ahead(state, order: Order) -> bool:
    """A step not signed yet that would be skipped as things stand has no box."""
    return state.entry is None and bool(state.step.skip_reason(order))


def party(order: Order) -> list[list[str]]:
    """Who the goods are for, where, and how to reach them."""
    customer = order.customer
    rows = [[_("Customer"), customer.name], [_("Channel"), str(order.get_channel_display())]]
    if order.end_customer_id:
        rows.append([_("Homeowner"), order.end_customer.name])
    rows += [
        [_("Contact"), order.contact_name or (order.end_customer or customer).name],
        [_("Phone"), order.contact_phone or (order.end_customer or customer).phone],
        [_("Address"), order.full_address],
    ]
    if order.contract_id:
        rows.append([_("Contract"), order.contract.number])
    return rows


# Prices a document shows: the order's own (O-9), the dealer's to its homeowner (O-11), none.
LIST_PRICE, END_PRICE, NO_PRICE = "unit_price", "end_price", ""


def line_rows(order: Order, prices: str) -> dict[str, Any]:
    return goods_table(order.lines.select_related("product"), prices)


def goods_table(lines: Iterable[GoodsLine], prices: str) -> dict[str, Any]:
    """Lines of goods, priced as ``prices`` says, with the total in figures and capitals."""
    columns = [_("No."), _("Item number"), _("Product"), _("Colour code"), _("Size (mm)"),
               _("Unit"), _("Quantity")]  # fmt: skip
    if prices:
        columns += [_("Unit price"), _("Amount")]
    rows, total = [], Decimal("0")
    for line in lines:
        row = [str(line.position), line.product.sku, line.product.name,
               line.colour_code or line.product.colour_code, size(line.product),
               str(line.get_unit_display()), quantity_text(line.quantity)]  # fmt: skip
        if prices:
            unit_price, amount = line_price(line, prices)
            total += amount
            row += [money(unit_price), money(amount)]
        rows.append(row)
    table = {"columns": columns, "rows": rows, "numeric_from": 6}
    if prices:
        table |= {"total": money(total), "total_in_capitals": amount_in_capitals(total)}
    return table


def line_price(line: GoodsLine, prices: str) -> tuple[Decimal, Decimal]:
    """A line's unit price and amount: the order's amount as booked, or the homeowner's."""
    if prices == LIST_PRICE:
        return line.unit_price, line.amount
    end_price = line.end_price or Decimal("0")
    return end_price, cents(line.quantity * end_price)


def size(product) -> str:
    parts = [product.length_mm, product.width_mm, product.thickness_mm]
    return "×".join(quantity_text(Decimal(part)) for part in parts if part) if any(parts) else ""


def payment(order: Order) -> list[list[str]]:
    return [
        [_("Payment method"), str(order.get_payment_method_display())],
        [_("Payment terms"), str(order.get_payment_terms_display())],
        [_("Agreed payment date"), day(order.payment_due)],
    ]


def booked(order: Order) -> list[list[str]]:
    """The delivery and installation times: booked ones where a step recorded them (O-41)."""
    note = order.signed.get("delivery_note", {})
    agreed = order.signed.get("agree_install", {})
    rows = [[_("Delivery"), day(note.get("delivery_booked_for") or order.expected_delivery_on)]]
    if order.needs_installation:
        rows.append([_("Installation"), day(agreed.get("install_on") or order.expected_install_on)])
    return rows


def base(order: Order, kind: str, title: str, number_suffix: str = "") -> Content:
    company = settings.GENDAN_COMPANY
    return {
        "kind": kind,
        "title": title,
        "subtitle": "",
        "number": f"{PREFIXES[kind]}{order.number}{number_suffix}",
        "company": {key: company[key] for key in ("name", "address", "phone")},
        "order": [[_("Order number"), order.number], [_("Order date"), day(order.log_day)]],
        "party": party(order),
        "sections": [],
        "lines": None,
        "notes": [order.other_requests] if order.other_requests else [],
        "signatures": signatures(order, kind),
        "copies": [],
        "sketch": False,
        "stub": None,
    }


def section(title: str, rows: list[list[str]], blank: int = 0) -> dict[str, Any]:
    """A titled block of label–value rows; ``blank`` empty rows to fill in by hand."""
    return {"title": title, "rows": rows, "blank": blank}


def recorded(order: Order, step: str, fields: list[tuple[str, str]]) -> list[list[str]]:
    """What a step recorded, one row per field (empty until the step is signed)."""
    record = order.signed.get(step, {})
    rows = []
    for name, label in fields:
        value = record.get(name, "")
        if isinstance(value, bool):
            value = _("yes") if value else _("no")
        rows.append([label, str(value)])
    return rows


def order_form(order: Order) -> Content:
    content = base(order, DocumentKind.ORDER_FORM, _("Order form"))
    content["lines"] = line_rows(order, LIST_PRICE)
    content["sections"] = [
        section(_("Payment"), payment(order)),
        section(_("Expected dates"), booked(order)),
    ]
    return content


def measured(order: Order) -> list[list[str]]:
    """O-33: what service fills in on site."""
    return recorded(order, "measure", [
        ("measured_on", _("Measured on")), ("area", _("Actual area (m²)")),
        ("area_with_waste", _("Area incl. waste (m²)")),
        ("skirting", _("Skirting: name, model, size, quantity")),
        ("edge_trim", _("Edge trim: name, model, size, quantity")),
        ("clip", _("Clip installation")), ("directions", _("Where the house is, how to get there")),
        ("delivery_on", _("Delivery agreed with the customer for")),
        ("requirements", _("Install requirements and changes")),
    ]) + recorded(order, "agree_install", [
        ("install_on", _("Installation agreed for")), ("install_fee", _("Installation fee (CNY)")),
    ])  # fmt: skip


def measurement_notice(order: Order) -> Content:
    """O-32 (the clerk's part) and O-33 (service's part), with room for the site sketch."""
    content = base(order, DocumentKind.MEASUREMENT_NOTICE, _("Measurement notice"))
    content["lines"] = line_rows(order, NO_PRICE)
    house = recorded(order, "measurement_notice", [("house", _("House situation"))])
    content["sections"] = [
        section(_("Clerk's part"), house + booked(order)),
        section(_("Service's part"), measured(order)),
    ]
    content["sketch"] = True
    return content


def dispatch_advice(order: Order) -> Content:
    """O-12: written from the order and the measurement; the template of the delivery note."""
    content = base(order, DocumentKind.DISPATCH_ADVICE, _("Dispatch advice"))
    content["lines"] = line_rows(order, LIST_PRICE)
    content["sections"] = [
        section(_("Delivery"), booked(order)),
        section(_("Payment"), payment(order)),
    ]
    if ROUTES[order.route].has("measure"):
        content["sections"].append(section(_("Measurement"), measured(order)))
    return content


def delivery_note(order: Order) -> Content:
    """O-9, O-10: priced for the customer; the cost note when a profit note goes with it."""
    content = base(order, DocumentKind.DELIVERY_NOTE, _("Delivery note"))
    profit = has_profit_note(order)
    content["subtitle"] = _("Cost note") if profit else ""
    content["lines"] = line_rows(order, LIST_PRICE)
    content["sections"] = [
        section(_("Delivery"), booked(order)),
        section(_("Payment"), payment(order)),
    ]
    content["copies"] = copies(COST_COPIES if profit else PLAIN_COPIES)
    return content


def profit_note(order: Order) -> Content:
    """O-11: priced at the dealer's real price to its homeowner."""
    content = base(order, DocumentKind.PROFIT_NOTE, _("Delivery note"))
    content["subtitle"] = _("Profit note")
    content["lines"] = line_rows(order, END_PRICE)
    content["sections"] = [section(_("Delivery"), booked(order))]
    content["copies"] = copies(PROFIT_COPIES)
    return content


def handover_sheet(order: Order) -> Content:
    """O-60: travels with the delivery note to the driver, back, to service and the installer."""
    content = base(order, DocumentKind.HANDOVER_SHEET, _("Service handover sheet"))
    content["lines"] = line_rows(order, NO_PRICE)
    installed = recorded(order, "install", [("installed_on", _("Installed on")),
                                            ("result", _("Result"))])  # fmt: skip
    content["sections"] = [
        section(_("Delivery and installation"), booked(order)),
        section(_("Filled in by the installer after the job"), installed, blank=3),
    ]
    return content


def warranty_card(order: Order) -> Content:
    """The customer's proof of acceptance and warranty, with the record stub the company
    keeps once the customer has signed it."""
    content = base(order, DocumentKind.WARRANTY_CARD, _("Acceptance & warranty card"))
    content["lines"] = line_rows(order, NO_PRICE)
    accepted = recorded(order, "install", [("installed_on", _("Installed on"))]) + recorded(
        order, "acceptance", [("result", _("Acceptance result"))]
    )
    terms = {line.product.after_sales_terms for line in order.lines.select_related("product")}
    content["sections"] = [section(_("Acceptance"), accepted)]
    content["notes"] = sorted(term for term in terms if term)
    content["stub"] = {
        "title": _("Customer record"),
        "rows": [row for row in content["party"] if row[0] != _("Channel")] + accepted,
        "signature": _("Customer's signature"),
    }
    return content


def copies(chosen: tuple[Copy, ...]) -> list[dict[str, Any]]:
    return [
        {"colour": copy.colour, "name": str(copy.name), "goes_to": str(copy.goes_to),
         "void": copy.void}
        for copy in chosen
    ]  # fmt: skip


BUILDERS: dict[str, Callable[[Order], Content]] = {
    DocumentKind.ORDER_FORM: order_form,
    DocumentKind.MEASUREMENT_NOTICE: measurement_notice,
    DocumentKind.DISPATCH_ADVICE: dispatch_advice,
    DocumentKind.DELIVERY_NOTE: delivery_note,
    DocumentKind.PROFIT_NOTE: profit_note,
    DocumentKind.HANDOVER_SHEET: handover_sheet,
    DocumentKind.WARRANTY_CARD: warranty_card,
}


# Papers of a return (O-62, O-63): drawn from the return and its order.
APPROVED_BY = gettext_lazy("Approved (%(role)s)")
RETURN_BOXES = {
    DocumentKind.WAREHOUSE_RECEIPT: (
        ("requested", gettext_lazy("Recorded by")),
        ("received", gettext_lazy("Inspected and booked in by (warehouse)")),
    ),
    DocumentKind.RETURN_NOTE: (
        ("note_made", gettext_lazy("Made by (clerk)")),
        ("received", gettext_lazy("Warehouse (booked in)")),
        ("", gettext_lazy("Finance (settled)")),
        ("", gettext_lazy("Returned by (customer or installer)")),
    ),
}


def return_signatures(goods_return: GoodsReturn, kind: str) -> list[dict[str, str]]:
    boxes = [
        {"label": str(APPROVED_BY % {"role": Role(role).label}), "name": approval["by"],
         "at": moment(dt.datetime.fromisoformat(approval["at"]))}
        for role, approval in goods_return.approvals.items()
    ] if kind == DocumentKind.WAREHOUSE_RECEIPT else []  # fmt: skip
    for prefix, label in RETURN_BOXES[kind]:
        user = getattr(goods_return, f"{prefix}_by", None) if prefix else None
        at = getattr(goods_return, f"{prefix}_at", None) if prefix else None
        boxes.append({"label": str(label), "name": user.display_name if user else "",
                      "at": moment(at)})  # fmt: skip
    return boxes


def return_lines(goods_return: GoodsReturn) -> Iterable[GoodsLine]:
    return goods_return.lines.select_related("product")


def return_base(goods_return: GoodsReturn, kind: str, title: str) -> Content:
    order = goods_return.order
    content = base(order, kind, title, number_suffix=f"-{goods_return.sequence}")
    content["signatures"] = return_signatures(goods_return, kind)
    content["notes"] = []
    content["sections"] = [section(_("Return"), [
        [_("Kind"), str(goods_return.get_kind_display())], [_("Reason"), goods_return.reason],
        [_("Inspection"), goods_return.inspection],
    ])]  # fmt: skip
    return content


def warehouse_receipt(goods_return: GoodsReturn) -> Content:
    """O-62, O-63: the goods inspected and booked in."""
    content = return_base(goods_return, DocumentKind.WAREHOUSE_RECEIPT, _("Warehouse receipt"))
    content["lines"] = goods_table(return_lines(goods_return), NO_PRICE)
    return content


def return_note(goods_return: GoodsReturn) -> Content:
    """O-62, O-63: made by the clerk from the warehouse receipt; credited at the order's prices."""
    content = return_base(goods_return, DocumentKind.RETURN_NOTE, _("Return note"))
    content["lines"] = goods_table(return_lines(goods_return), LIST_PRICE)
    return content


RETURN_BUILDERS: dict[str, Callable[[GoodsReturn], Content]] = {
    DocumentKind.WAREHOUSE_RECEIPT: warehouse_receipt,
    DocumentKind.RETURN_NOTE: return_note,
}
