"""Lists out as .xlsx, with the filters of the page they come from: the daily order log, the
receivables per customer or dealer, and the delivery schedule."""

from __future__ import annotations

import io
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from gendan.accounts.models import User
from gendan.orders.models import Order
from gendan.orders.money import AGEING_CODES, AGEING_COLUMNS, order_outstanding
from gendan.orders.routes import CANCELLED, CLOSED, ROUTES
from gendan.orders.selectors import order_sales_rep, order_settlement_visible

NUMBER_FORMAT = "#,##0.00"


def workbook_of(title: str, columns: list[tuple[str, int]], rows: Iterable[list[Any]]) -> bytes:
    """One sheet: a bold, frozen header of (name, width) columns, then the rows."""
    book = Workbook(write_only=False)
    sheet = book.active
    sheet.title = title[:31]
    sheet.append([name for name, _width in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for place, (_name, width) in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(place)].width = width
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float | int) and not isinstance(cell.value, bool):
                cell.number_format = NUMBER_FORMAT
            elif cell.data_type == "f":
                # Text that starts with "=" (a name or address someone typed) stays text: a
                # formula from outside must not run in the reader's Excel.
                cell.data_type = "s"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def step_label(order) -> str:
    if order.step == CANCELLED:
        return _("Cancelled")
    return _("Closed") if order.step == CLOSED else str(ROUTES[order.route].step(order.step).label)


def settlement_cell(user: User, order: Order, amount: Decimal) -> float | None:
    """O-11: a dealer order's amounts are its settlement: empty for those who may not see it."""
    return float(amount) if order_settlement_visible(user, order) else None


def order_log_xlsx(orders: QuerySet, *, user: User) -> bytes:
    columns = [
        (_("Order number"), 15), (_("Log day"), 12), (_("Channel"), 10), (_("Customer"), 22),
        (_("Homeowner"), 14), (_("Phone"), 14), (_("Address"), 36), (_("Total (CNY)"), 13),
        (_("Paid (CNY)"), 13), (_("Current step"), 22), (_("Registered by"), 12),
        (_("Expected delivery"), 12), (_("Sales rep"), 12),
    ]  # fmt: skip
    rows = (
        [order.number, order.log_day, str(order.get_channel_display()), order.customer.name,
         order.end_customer.name if order.end_customer_id else "", order.contact_phone,
         order.full_address, settlement_cell(user, order, order.total),
         settlement_cell(user, order, order.paid), step_label(order),
         str(order.registered_by), order.expected_delivery_on,
         str(order_sales_rep(order) or "")]
        for order in orders.select_related("registered_by")
    )  # fmt: skip
    return workbook_of(_("Daily order log"), columns, rows)


def receivables_xlsx(rows: QuerySet, by: str, totals: dict[str, Decimal]) -> bytes:
    """The receivables as filtered on the page, with their ageing and a row of totals."""
    key = "partner" if by == "dealer" else "customer"
    columns = [
        (_("Dealer") if by == "dealer" else _("Customer"), 24), (_("Orders"), 8),
        (_("Total (CNY)"), 14), (_("Paid (CNY)"), 14), (_("Owed (CNY)"), 14),
        (_("of which retention"), 14), (_("Oldest order"), 12),
        *((str(label), 13) for _code, label in AGEING_COLUMNS),
    ]  # fmt: skip
    data = [
        [row[f"{key}__name"], row["orders"], float(row["billed"]), float(row["received"]),
         float(row["owed"]), float(row["retention"] or 0), row["oldest"],
         *(float(row[code]) for code in AGEING_CODES)]
        for row in rows
    ]  # fmt: skip
    data.append(
        [_("Total"), None, None, None, float(totals["owed"]), None, None,
         *(float(totals[code]) for code in AGEING_CODES)]
    )  # fmt: skip
    return workbook_of(_("Receivables"), columns, data)


def delivery_schedule_xlsx(orders: QuerySet, *, user: User) -> bytes:
    columns = [
        (_("Delivery"), 12), (_("Order number"), 15), (_("Customer"), 22), (_("Homeowner"), 14),
        (_("Contact"), 12), (_("Phone"), 14), (_("City"), 10), (_("Address"), 36),
        (_("Installation"), 12), (_("Current step"), 22), (_("Total (CNY)"), 13),
        (_("To collect (CNY)"), 13),
    ]  # fmt: skip
    rows = (
        [order.delivery_on, order.number, order.customer.name,
         order.end_customer.name if order.end_customer_id else "", order.contact_name,
         order.contact_phone, order.city, order.full_address,
         _("yes") if order.needs_installation else _("no"), step_label(order),
         settlement_cell(user, order, order.total), float(order_outstanding(order))]
        for order in orders
    )  # fmt: skip
    return workbook_of(_("Delivery schedule"), columns, rows)
