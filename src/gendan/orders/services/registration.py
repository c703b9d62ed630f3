"""O-1, O-2: registering an order: its number, its route, its lines priced (O-9); its original."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.audit.services import model_snapshot
from gendan.catalog.models import Product
from gendan.catalog.selectors import PriceNotFound, price_for, prices_for
from gendan.core.uploads import upload_checked
from gendan.orders import guards
from gendan.orders.audit_events import order_original_event, order_registered_event
from gendan.orders.models import (
    ChannelRoute,
    DailyCounter,
    Order,
    OrderLine,
)
from gendan.orders.money import profit_note_total_of
from gendan.orders.routes import ROUTE_BY_CHANNEL, ROUTES
from gendan.orders.services import steps
from gendan.orders.services.effects import effects_record
from gendan.orders.services.steps import order_advance, step_entry
from gendan.parties.models import Customer, CustomerKind, Region

NO_ROUTE = _("No route is configured for %(channel)s orders %(case)s; set one in Channel routes.")
WITH_INSTALLATION = _("with installation")
WITHOUT_INSTALLATION = _("without installation")
NO_LINES = _("An order needs at least one line.")
END_CUSTOMER_NOT_THEIRS = _("The end customer must have come through this customer.")
CONTRACT_NOT_THEIRS = _("The contract must be this customer's.")
RETENTION_NOT_PARTNERS = _("The warranty retention is agreed with the company, not entered here.")
RETENTION_ABOVE_TOTAL = _("The warranty retention cannot be more than the order's total.")
RETENTION_INCOMPLETE = _("O-56: a retention needs its due date and the owner's signature.")
# What the audit log records of a new order (audit_events.order_registered_event).
REGISTERED_FIELDS = ["number", "customer", "end_customer", "route", "step", "total"]


@dataclass
class LineInput:
    product: Product
    quantity: Decimal
    unit_price: Decimal | None = None
    colour_code: str = ""
    end_price: Decimal | None = None  # O-11: the dealer's price to its homeowner


def route_for(
    channel: str, needs_installation: bool, region: str = Region.SOUTH_CHINA, terms: str = ""
) -> str:
    """O-24 to O-30: the route an order takes follows from channel and installation;
    O-4: a supermarket outside South China is verified by the clerk."""
    if (channel, needs_installation, region != Region.SOUTH_CHINA) == (
        CustomerKind.SUPERMARKET,
        False,
        True,
    ):
        return "supermarket_clerk"
    code = ROUTE_BY_CHANNEL.get((channel, needs_installation))
    if code is None:
        rows = ChannelRoute.objects.filter(channel=channel, with_installation=needs_installation)
        rows = rows.filter(payment_terms__in=[terms, ""]).order_by("-payment_terms")
        code = rows.values_list("route", flat=True).first()
    if code not in ROUTES:
        case = WITH_INSTALLATION if needs_installation else WITHOUT_INSTALLATION
        raise ValidationError(
            {"channel": NO_ROUTE % {"channel": CustomerKind(channel).label, "case": case}}
        )
    return code


def order_number_next(day: dt.date) -> str:
    """O-2: YYYYMMDD-NNN in order of arrival, never reused.

    The counter row is locked for the rest of the transaction, so two clerks registering
    at the same instant queue here and get consecutive numbers.
    """
    DailyCounter.objects.bulk_create([DailyCounter(day=day)], ignore_conflicts=True)
    counter = DailyCounter.objects.select_for_update().get(day=day)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{day:%Y%m%d}-{counter.last:03d}"


def order_partner(customer: Customer, end_customer: Customer | None) -> Customer | None:
    """The dealer or supermarket whose users follow this order."""
    if customer.is_partner:
        return customer
    return customer.via if customer.kind == CustomerKind.HOMEOWNER else None


@transaction.atomic
def order_register(
    *, actor: User, fields: dict[str, Any], lines: list[LineInput], on: dt.date | None = None
) -> Order:
    """O-2: the clerk registers an order on arrival; it takes its route at once."""
    if not actor.has_perm("orders.add_order"):
        raise PermissionDenied
    lines = order_lines_checked(actor, lines)
    if actor.partner_id is not None and fields.get("retention_amount"):
        raise ValidationError({"retention_amount": RETENTION_NOT_PARTNERS})
    customer = fields["customer"]
    end_customer = fields.get("end_customer")
    if end_customer is not None and end_customer.via_id != customer.pk:
        raise ValidationError({"end_customer": END_CUSTOMER_NOT_THEIRS})
    contract = fields.get("contract")
    if contract is not None and contract.customer_id != customer.pk:
        raise ValidationError({"contract": CONTRACT_NOT_THEIRS})
    if fields.get("original_document"):
        fields = fields | {"original_document": original_checked(fields["original_document"])}
    now = timezone.localtime()
    order = Order(**fields, registered_by=actor, registered_at=now)
    order.channel = customer.kind
    order.partner = order_partner(customer, end_customer)
    order.route = route_for(
        order.channel, order.needs_installation, customer.region, order.payment_terms
    )
    order.log_day = on or now.date()
    order.number = order_number_next(order.log_day)
    order.step = "register"
    # The related records were given as instances (they exist; the database checks its keys),
    # and the number comes from the locked day counter: only the values need checking here.
    order.full_clean(exclude=["customer", "end_customer", "partner", "contract", "registered_by"],
                     validate_unique=False)  # fmt: skip
    order.save()
    order_lines_write(order, lines)
    retention_check(order)
    entry = step_entry(order, ROUTES[order.route].step("register"), actor, note="", data={})
    order_advance(order, actor, entry)
    if not actor.has_role(ROUTES[order.route].step(order.step).role):
        # Registered by one who does not verify (a dealer's user, a sales rep): those who do
        # are told (orders/effects.py). A clerk's own registrations and imports are not.
        effects_record(order=order, actions=steps.NEXT_STEP_EFFECTS, step_log=entry, actor=actor)
    order_registered_event(
        actor=actor, order=order, values=model_snapshot(order, REGISTERED_FIELDS)
    )
    return order


def order_lines_checked(actor: User, lines: list[LineInput]) -> list[LineInput]:
    """The rules an order's lines obey when it is registered and when it is revised (O-7)."""
    if not lines:
        raise ValidationError({"lines": NO_LINES})
    if actor.partner_id is not None:
        # A partner's order carries the price list's prices (O-9); others set by finance.
        return [replace(line, unit_price=None) for line in lines]
    return lines


def order_lines_write(order: Order, lines: list[LineInput]) -> None:
    """Each line priced from the price list of O-9 unless a price is given (one query for
    all of them); one insert."""
    unpriced = [line.product for line in lines if line.unit_price is None]
    listed = order_list_prices(order, unpriced) if unpriced else {}
    rows = [
        order_line_build(order, position, line, order_line_price(order, position, line, listed))
        for position, line in enumerate(lines, start=1)
    ]
    OrderLine.objects.bulk_create(rows)
    order.total = sum((row.amount for row in rows), Decimal("0"))
    order.profit_note_total = profit_note_total_of([(row.quantity, row.end_price) for row in rows])
    order.save(update_fields=["total", "profit_note_total"])


def retention_check(order: Order) -> None:
    """O-56: the retention is part of the total, with its due date, signed by the owner."""
    if not order.retention_amount:
        return
    if order.retention_amount > order.total:
        raise ValidationError({"retention_amount": RETENTION_ABOVE_TOTAL})
    if order.retention_due is None or not order.retention_signed_by:
        raise ValidationError({"retention_due": RETENTION_INCOMPLETE})


def order_list_prices(order: Order, products: list[Product]) -> dict[int, Decimal]:
    return prices_for(products=products, customer=guards.order_priced_for(order), on=order.log_day)


def order_line_price(
    order: Order, position: int, line: LineInput, listed: dict[int, Decimal]
) -> Decimal:
    if line.unit_price is not None:
        return line.unit_price
    if line.product.pk in listed:
        return listed[line.product.pk]
    priced_for = guards.order_priced_for(order)
    try:  # not listed: price_for says why, in the words the clerk reads
        return price_for(product=line.product, customer=priced_for, on=order.log_day).amount
    except PriceNotFound as error:
        raise ValidationError({f"lines.{position - 1}.unit_price": str(error)}) from error


def order_line_build(order: Order, position: int, line: LineInput, price: Decimal) -> OrderLine:
    row = OrderLine(
        order=order, position=position, product=line.product, unit=line.product.unit,
        colour_code=line.colour_code or line.product.colour_code, quantity=line.quantity,
        unit_price=price, amount=(line.quantity * price).quantize(Decimal("0.01")),
        end_price=line.end_price,
    )  # fmt: skip
    # The order and the products are known to exist; only the values need checking.
    try:
        row.full_clean(
            exclude=["order", "product"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:  # named by the line, as the form and the API name it
        raise ValidationError(
            {f"lines.{position - 1}.{name}": errors for name, errors in error.message_dict.items()}
        ) from error
    return row


ORIGINAL_KEPT = _("O-1: the original document is kept unchanged; it is already attached.")


@transaction.atomic
def order_original_attach(*, actor: User, order: Order, document: Any) -> Order:
    """O-1: attach the original (scan or photo) once; it is never replaced."""
    if not actor.has_perm("orders.add_order"):
        raise PermissionDenied
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.original_document:
        raise ValidationError({"original_document": ORIGINAL_KEPT})
    sent_as = document.name  # the sender's name, kept in the audit; the file gets one of ours
    order.original_document = original_checked(document)
    order.save(update_fields=["original_document"])
    order_original_event(actor=actor, order=order, sent_as=sent_as)
    return order


def original_checked(document: Any) -> Any:
    """O-1: a scan or photo (PDF, JPEG, PNG, WebP told from its content), renamed for storing."""
    try:
        return upload_checked(document)
    except ValidationError as error:
        raise ValidationError({"original_document": error.messages}) from error
