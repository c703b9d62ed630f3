"""Writes of orders. ``order_step_complete`` is the only code that moves an order."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.audit.services import audit_record, json_safe
from gendan.catalog.models import Product
from gendan.catalog.selectors import PriceNotFound, price_for, prices_for
from gendan.orders import guards
from gendan.orders.models import (
    ChannelRoute,
    DailyCounter,
    DealerCharge,
    Order,
    OrderLine,
    OrderRevision,
    PaymentMethod,
    Receipt,
    StepLog,
    VerificationCheck,
)
from gendan.orders.money import order_profit_left
from gendan.orders.records import record_clean
from gendan.orders.routes import CLOSED, ROUTE_BY_CHANNEL, ROUTES, Step
from gendan.parties.models import Customer, CustomerKind, Region

NO_ROUTE = _("No route is configured for %(channel)s orders %(case)s; set one in Channel routes.")
WITH_INSTALLATION = _("with installation")
WITHOUT_INSTALLATION = _("without installation")
NOT_CURRENT_STEP = _("This order is at “%(current)s”, not at “%(step)s”.")
WRONG_ROLE = _("“%(step)s” is signed by the %(role)s.")
ORDER_CLOSED = _("This order is closed.")
NO_LINES = _("An order needs at least one line.")
END_CUSTOMER_NOT_THEIRS = _("The end customer must have come through this customer.")
CONTRACT_NOT_THEIRS = _("The contract must be this customer's.")
RETENTION_NOT_PARTNERS = _("The warranty retention is agreed with the company, not entered here.")
RETENTION_ABOVE_TOTAL = _("The warranty retention cannot be more than the order's total.")
RETENTION_INCOMPLETE = _("O-56: a retention needs its due date and the owner's signature.")
NO_CREDIT_RECEIPT = _("Credit is not money received; record what was paid.")


# What the transition service and the guards read of an order: fetching only these keeps
# the locked read of every step cheap (an order has some forty columns).
STEP_FIELDS = (
    "route", "step", "step_since", "signed", "closed_at", "partner_id", "channel",
    "needs_installation", "self_pickup", "is_special", "payment_method", "payment_terms",
    "total", "paid", "log_day", "expected_delivery_on", "number", "dealer_deposit",
    "paid_to_dealer_by_card", "retention_amount", "referred_at", "referral_answered_at",
    "awaiting_confirmation", "contract", "customer", "end_customer", "contact_phone", "street",
    "floor", "expected_install_on",
)  # fmt: skip


class StepRefused(Exception):
    """A step that may not be signed now; ``reasons`` say which rule and why."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("; ".join(str(reason) for reason in reasons))
        self.reasons = [str(reason) for reason in reasons]


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
    if not lines:
        raise ValidationError({"lines": NO_LINES})
    if actor.partner_id is not None:
        # A partner's order carries the price list's prices (O-9); others set by finance.
        lines = [replace(line, unit_price=None) for line in lines]
        if fields.get("retention_amount"):
            raise ValidationError({"retention_amount": RETENTION_NOT_PARTNERS})
    customer = fields["customer"]
    end_customer = fields.get("end_customer")
    if end_customer is not None and end_customer.via_id != customer.pk:
        raise ValidationError({"end_customer": END_CUSTOMER_NOT_THEIRS})
    contract = fields.get("contract")
    if contract is not None and contract.customer_id != customer.pk:
        raise ValidationError({"contract": CONTRACT_NOT_THEIRS})
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
    return order


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
    order.save(update_fields=["total"])


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


def step_entry(order: Order, step: Step, actor: User | None, *, note: str, data: dict) -> StepLog:
    """The signature of a step: in the step log, and in ``order.signed`` for the guards."""
    now = timezone.now()
    order.signed = {**order.signed, step.code: {"at": now.isoformat(), **data}}
    signature = actor.display_name if actor is not None else ""
    return StepLog(
        order=order, step=step.code, outcome=StepLog.Outcome.DONE, actor=actor, at=now,
        note=note, signature=signature, data=data,
    )  # fmt: skip


def order_advance(order: Order, actor: User, entry: StepLog) -> None:
    """Move past the signed step to the next that applies; log each skipped one with its
    reason. One insert for the log, one update for the order."""
    entries = [entry]
    order.step = CLOSED
    for step in ROUTES[order.route].after(entry.step):
        reason = step.skip_reason(order)
        if not reason:
            order.step = step.code
            break
        entries.append(
            StepLog(order=order, step=step.code, outcome=StepLog.Outcome.SKIPPED, actor=actor,
                    note=reason)
        )  # fmt: skip
    order.step_since = timezone.now()
    if order.step == CLOSED:
        order.closed_at = order.step_since
    step_log_and_order_write(order, entries)


def order_lock(pk: int) -> Order:
    """The order, locked for the rest of the transaction, with the fields a step reads.

    On PostgreSQL the SELECT ... FOR UPDATE is written out: it runs on every step, and the
    ORM's work to compile it costs as much as the round trip (bench/orders_walk.py).
    """
    if connection.vendor != "postgresql":
        return Order.objects.select_for_update().only(*STEP_FIELDS).get(pk=pk)
    # In the model's own order of fields, as Model.from_db expects its values.
    fields = [f for f in Order._meta.concrete_fields if f.primary_key or f.name in STEP_FIELDS]
    columns = ", ".join(field.column for field in fields)
    sql = f"SELECT {columns} FROM {Order._meta.db_table} WHERE id = %s FOR UPDATE"
    with connection.cursor() as cursor:
        cursor.execute(sql, [pk])
        row = cursor.fetchone()
    if row is None:
        raise Order.DoesNotExist
    values = [
        field.from_db_value(value, None, connection) if hasattr(field, "from_db_value") else value
        for field, value in zip(fields, row, strict=True)
    ]
    return Order.from_db(connection.alias, [field.attname for field in fields], values)


LOG_COLUMNS = ("order", "step", "outcome", "actor", "at", "note", "signature", "data")
ORDER_COLUMNS = ("step", "step_since", "signed", "closed_at")


def step_log_and_order_write(order: Order, entries: list[StepLog]) -> None:
    """Write the step log entries and the order's new step.

    On PostgreSQL this is one statement (a data-modifying WITH), because a step's cost is
    mostly its round trips and the ORM's work per statement (see bench/orders_walk.py).
    """
    if connection.vendor != "postgresql":
        StepLog.objects.bulk_create(entries)
        Order.objects.filter(pk=order.pk).update(
            **{name: getattr(order, name) for name in ORDER_COLUMNS}
        )
        return
    log_fields = [StepLog._meta.get_field(name) for name in LOG_COLUMNS]
    order_fields = [Order._meta.get_field(name) for name in ORDER_COLUMNS]
    rows = ", ".join(["(" + ", ".join(["%s"] * len(log_fields)) + ")"] * len(entries))
    sql = (
        f"WITH entries AS (INSERT INTO {StepLog._meta.db_table} "
        f"({', '.join(f.column for f in log_fields)}) VALUES {rows}) "
        f"UPDATE {Order._meta.db_table} SET "
        f"{', '.join(f'{f.column} = %s' for f in order_fields)} WHERE id = %s"
    )
    values = [
        field.get_db_prep_save(getattr(entry, field.attname), connection)
        for entry in entries
        for field in log_fields
    ]
    values += [
        field.get_db_prep_save(getattr(order, field.attname), connection) for field in order_fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, order.pk])


# Called inside the transaction of a change to an order (O-7) as (actor=, order=, reason=):
# the documents app gives the papers issued a new version where what they show has changed.
ORDER_CHANGED: list[Callable[..., object]] = []
# Side effects of a signed step, run after the transaction commits (none may undo it).
STEP_EFFECTS: dict[str, list[Callable[[Order, StepLog], None]]] = {}


def step_refusals(order: Order, step: Step, actor: User, code: str) -> list[str]:
    if order.step == CLOSED:
        return [str(ORDER_CLOSED)]
    if order.step != code:
        current = ROUTES[order.route].step(order.step).label
        return [NOT_CURRENT_STEP % {"current": current, "step": step.label}]
    if not (actor.is_superuser or actor.has_role(step.role)):
        return [WRONG_ROLE % {"step": step.label, "role": step.role.label}]
    if order.awaiting_confirmation:
        return [str(guards.AWAITING_CONFIRMATION)]
    return step.refusals(order)


def order_step_complete(
    *,
    actor: User,
    order: Order,
    step: str,
    note: str = "",
    data: dict | None = None,
    files: Any = None,
) -> Order:
    """Sign one step of an order's route: lock, check, log, advance; effects after commit.

    ``data`` is the step's record (see ``Step.record``), ``files`` its photos.
    """
    with transaction.atomic():
        # Lock the order before anything else, so two people signing the same step queue
        # here and the second finds the step already gone.
        order = order_lock(order.pk)
        route_step = next((s for s in ROUTES[order.route].steps if s.code == step), None)
        if route_step is None:
            raise StepRefused([NOT_CURRENT_STEP % {"current": order.step, "step": step}])
        if actor.partner_id is not None and order.partner_id != actor.partner_id:
            raise PermissionDenied
        refusals = step_refusals(order, route_step, actor, step)
        if refusals:
            raise StepRefused(refusals)
        record, problems = record_clean(route_step.record, data or {}, files)
        if problems:
            raise StepRefused(problems)
        entry = step_entry(order, route_step, actor, note=note, data=record)
        order_advance(order, actor, entry)
        for effect in STEP_EFFECTS.get(step, []):
            transaction.on_commit(lambda effect=effect: effect(order, entry))
    return order


@transaction.atomic
def order_checks_confirm(*, actor: User, order: Order, items: list[str], note: str = "") -> None:
    """O-5: the verifier confirms checklist items one by one; confirming twice is harmless."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    done = set(order.checks.values_list("item", flat=True))
    for item in items:
        if item not in done:
            check = VerificationCheck(order=order, item=item, confirmed_by=actor, note=note)
            check.full_clean()
            check.save()
    audit_record(actor=actor, action="order.verify_items", target=order, changes={"items": items})


def receipt_recorder(user: User, *, is_install_fee: bool = False) -> bool:
    """O-47: finance receives goods payments (what a driver collects is handed to finance,
    O-22); service collects installation fees."""
    if is_install_fee:
        return user.is_superuser or user.has_role(Role.FINANCE, Role.SERVICE)
    return user.is_superuser or user.has_role(Role.FINANCE)


@transaction.atomic
def order_receipt_add(
    *,
    actor: User,
    order: Order,
    amount: Decimal,
    method: str,
    is_install_fee: bool = False,
    note: str = "",
) -> Receipt:
    """Money received against an order, by finance, or collected by a driver or service."""
    if not receipt_recorder(actor, is_install_fee=is_install_fee):
        raise PermissionDenied
    if method == PaymentMethod.CREDIT:
        raise ValidationError({"method": NO_CREDIT_RECEIPT})
    order = Order.objects.select_for_update().get(pk=order.pk)
    receipt = Receipt(
        order=order, amount=amount, method=method, is_install_fee=is_install_fee,
        received_by=actor, note=note,
    )  # fmt: skip
    receipt.full_clean(exclude=["order", "received_by"])
    receipt.save()
    if not is_install_fee:
        order.paid += receipt.amount
        order.save(update_fields=["paid"])
    audit_record(
        actor=actor, action="order.receipt", target=order,
        changes={"amount": amount, "method": method, "install_fee": is_install_fee},
    )  # fmt: skip
    return receipt


@transaction.atomic
def order_receipt_confirm(*, actor: User, order: Order, confirmed_to: str) -> Order:
    """O-3: the clerk tells the sender the order arrived; that is recorded."""
    if not actor.has_perm("orders.add_order") or actor.partner_id is not None:
        raise PermissionDenied
    order = Order.objects.select_for_update().get(pk=order.pk)
    order.receipt_confirmed_to = confirmed_to
    order.receipt_confirmed_at = timezone.now()
    order.save(update_fields=["receipt_confirmed_to", "receipt_confirmed_at"])
    audit_record(actor=actor, action="order.receipt_confirmed", target=order, note=confirmed_to)
    return order


REFER_ONLY_DEALER_ORDERS = _("Only a dealer's order is referred to the sales rep (O-6).")
NOTHING_REFERRED = _("Nothing is waiting for the sales rep on this order.")
TOO_LATE_TO_CHANGE = _("O-7: once finance has signed, the order can no longer be changed.")
NOTHING_TO_CONFIRM = _("This order is not waiting for a confirmation.")


def verifier_may(user: User, order: Order) -> bool:
    """Who verifies this order (O-4) also writes additions and changes onto it (O-7)."""
    route = ROUTES[order.route]
    verifier = route.step("verify").role if route.has("verify") else Role.CLERK
    return user.is_superuser or user.has_role(verifier)


def verifier_require(actor: User, order: Order) -> None:
    if not verifier_may(actor, order):
        raise PermissionDenied


@transaction.atomic
def order_refer_to_sales_rep(*, actor: User, order: Order, note: str) -> Order:
    """O-6: a dealer order whose payment method breaks the policy goes to the sales rep."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    if order.channel != CustomerKind.DEALER:
        raise ValidationError(REFER_ONLY_DEALER_ORDERS)
    order.referred_at, order.referral_note = timezone.now(), note
    order.referral_answered_at, order.referral_answer = None, ""
    order.save(
        update_fields=["referred_at", "referral_note", "referral_answered_at", "referral_answer"]
    )
    audit_record(actor=actor, action="order.referred", target=order, note=note)
    return order


@transaction.atomic
def order_referral_answer(*, actor: User, order: Order, answer: str) -> Order:
    """O-6: the sales rep settles the question with the dealer and says how."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not (actor.is_superuser or actor.has_role(Role.SALES_REP)):
        raise PermissionDenied
    if order.referred_at is None or order.referral_answered_at is not None:
        raise ValidationError(NOTHING_REFERRED)
    order.referral_answered_at, order.referral_answer = timezone.now(), answer
    order.save(update_fields=["referral_answered_at", "referral_answer"])
    audit_record(actor=actor, action="order.referral_answered", target=order, note=answer)
    return order


@transaction.atomic
def order_addition_write(*, actor: User, order: Order, text: str) -> Order:
    """O-7: an addition found at verification is written onto the order itself."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    stamp = f"[{timezone.localtime():%Y-%m-%d %H:%M} {actor.display_name}] {text}"
    order.other_requests = f"{order.other_requests}\n{stamp}".strip()
    order.save(update_fields=["other_requests"])
    audit_record(actor=actor, action="order.addition", target=order, note=text)
    order_changed(actor, order, text)
    return order


def order_snapshot(order: Order) -> dict[str, Any]:
    fields = {name: getattr(order, name) for name in CHANGEABLE_FIELDS}
    lines = [
        {"product": line.product.sku, "colour_code": line.colour_code,
         "quantity": line.quantity, "unit_price": line.unit_price, "amount": line.amount}
        for line in order.lines.select_related("product")
    ]  # fmt: skip
    return json_safe({"fields": fields, "lines": lines, "total": order.total})


# Not installation: it decides the route (O-24 to O-30); such an order is registered anew.
CHANGEABLE_FIELDS = (
    "payment_method", "payment_terms", "payment_due",
    "expected_delivery_on", "expected_install_on", "contact_name", "contact_phone",
    "province", "city", "district", "street", "building", "floor", "other_requests",
)  # fmt: skip


@transaction.atomic
def order_change(
    *, actor: User, order: Order, fields: dict[str, Any], lines: list[LineInput], reason: str
) -> Order:
    """O-7: a change (not an addition) makes a new revision; the old one stays readable.

    A non-supermarket customer must confirm the re-issued order before it moves on.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    if "finance_review" in order.signed:
        raise ValidationError(TOO_LATE_TO_CHANGE)
    OrderRevision.objects.create(
        order=order, number=order.revision, snapshot=order_snapshot(order), replaced_by=actor,
        reason=reason,
    )  # fmt: skip
    for name, value in fields.items():
        if name in CHANGEABLE_FIELDS:
            setattr(order, name, value)
    order.full_clean()
    order.revision += 1
    order.awaiting_confirmation = order.channel != CustomerKind.SUPERMARKET
    order.save()
    order.lines.all().delete()
    order_lines_write(order, lines)
    audit_record(actor=actor, action="order.changed", target=order, note=reason)
    order_changed(actor, order, reason)
    return order


def order_changed(actor: User, order: Order, reason: str) -> None:
    for listener in ORDER_CHANGED:
        listener(actor=actor, order=order, reason=reason)


@transaction.atomic
def order_change_confirm(*, actor: User, order: Order, confirmed_by: str) -> Order:
    """O-7: the customer confirmed the re-issued order; it may move on."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    if not order.awaiting_confirmation:
        raise ValidationError(NOTHING_TO_CONFIRM)
    revision = order.revisions.get(number=order.revision - 1)
    revision.confirmed_by, revision.confirmed_at = confirmed_by, timezone.now()
    revision.save(update_fields=["confirmed_by", "confirmed_at"])
    order.awaiting_confirmation = False
    order.save(update_fields=["awaiting_confirmation"])
    audit_record(actor=actor, action="order.change_confirmed", target=order, note=confirmed_by)
    return order


ORIGINAL_KEPT = _("O-1: the original document is kept unchanged; it is already attached.")


@transaction.atomic
def order_original_attach(*, actor: User, order: Order, document: Any) -> Order:
    """O-1: attach the original (scan or photo) once; it is never replaced."""
    if not actor.has_perm("orders.add_order"):
        raise PermissionDenied
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.original_document:
        raise ValidationError({"original_document": ORIGINAL_KEPT})
    order.original_document = document
    order.save(update_fields=["original_document"])
    audit_record(actor=actor, action="order.original", target=order, note=document.name)
    return order


NOT_A_DEALER_ORDER = _("Only a dealer's order can give rise to a charge on the dealer.")
ALREADY_TAKEN = _("This charge has already been taken from an order's profit.")
OTHER_DEALERS_ORDER = _("The profit must come from the same dealer's order.")
PROFIT_TOO_SMALL = _(
    "O-54: the dealer's profit left on %(order)s is %(left)s CNY, less than %(amount)s CNY."
)


def finance_require(actor: User) -> None:
    if not (actor.is_superuser or actor.has_role(Role.FINANCE)):
        raise PermissionDenied


@transaction.atomic
def dealer_charge_record(
    *, actor: User, order: Order, kind: str, amount: Decimal, note: str = ""
) -> DealerCharge:
    """O-50, O-54: finance books what the dealer owes because of this order."""
    finance_require(actor)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.channel != CustomerKind.DEALER:
        raise ValidationError(NOT_A_DEALER_ORDER)
    charge = DealerCharge(
        dealer_id=order.customer_id, order=order, kind=kind, amount=amount, note=note,
        recorded_by=actor,
    )  # fmt: skip
    charge.full_clean()
    charge.save()
    audit_record(
        actor=actor, action="dealer.charge", target=order, changes={"kind": kind, "amount": amount}
    )
    return charge


@transaction.atomic
def dealer_charge_offset(*, actor: User, charge: DealerCharge, against: Order) -> DealerCharge:
    """O-54: take the charge from the dealer's profit on another order, if it covers it."""
    finance_require(actor)
    against = Order.objects.select_for_update().get(pk=against.pk)
    charge = DealerCharge.objects.select_for_update().get(pk=charge.pk)
    if charge.offset_against_id is not None:
        raise ValidationError(ALREADY_TAKEN)
    if against.channel != CustomerKind.DEALER or against.customer_id != charge.dealer_id:
        raise ValidationError({"against": OTHER_DEALERS_ORDER})
    left = order_profit_left(against)
    if left < charge.amount:
        raise ValidationError(
            {
                "against": PROFIT_TOO_SMALL
                % {"order": against, "left": left, "amount": charge.amount}
            }
        )
    charge.offset_against, charge.offset_at = against, timezone.now()
    charge.save(update_fields=["offset_against", "offset_at"])
    audit_record(
        actor=actor,
        action="dealer.charge_offset",
        target=against,
        changes={"charge": charge.pk, "amount": charge.amount},
    )
    return charge
