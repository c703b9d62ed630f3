"""Failed deliveries followed up (O-44, handbook §6 2.(5)): the goods come back into stock,
the customer is told at once, the drop is rebooked, and the redelivery's freight is charged at
least half to the side at fault. The driver reports the failure (services/driver.py
``drop_fail``); each step here is one transaction, the failure locked before its order.

- The goods back (the warehouse): RETURNED moves into the batches and places they shipped
  from, the order's reservations of those batches active again, its picks cleared, and the
  order back at the ship step, to be picked, checked and shipped again through it
  (warehouse/services/failed_delivery.py, orders/services/send_back.py ``order_ship_again``).
- Told and rebooked (the clerk or logistics): who told whom and when; the new booking replaces
  the one in force (services/booking.py ``booking_make``).
- The freight (finance): the customer's share is owed on the order, collected with the
  redelivery (collect.py); the dealer's a charge against its other orders' profit (O-54); the
  company's its own cost.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.logistics.audit_events import (
    failure_freight_event,
    failure_goods_back_event,
    failure_rebooked_event,
    failure_told_event,
)
from gendan.logistics.locks import failure_lock
from gendan.logistics.models import FailedDelivery, Fault
from gendan.logistics.services.booking import booking_make
from gendan.orders.models import DealerCharge
from gendan.orders.services.recall import freight_charge
from gendan.orders.services.send_back import order_ship_again
from gendan.orders.services.steps import StepRefused
from gendan.warehouse.services.failed_delivery import order_goods_back

CENT = Decimal("0.01")
HALF = Decimal("0.5")

GOODS_BACK_ALREADY = _("O-44: the goods of this failed delivery are back in stock already.")
GOODS_BACK_NOTE = _("O-44: the delivery failed (%(reason)s); the goods are back in stock.")
TOLD_ALREADY = _("O-44: the customer was told already, on %(at)s by %(by)s.")
TOLD_TO_MISSING = _("O-44: say whom you told (the customer's or the contact's name).")
REBOOKED_ALREADY = _(
    "O-44: this failed delivery is rebooked already; another day is booked on the order's "
    "booking page."
)
CHARGED_ALREADY = _("O-44: the redelivery freight is charged already: %(reference)s.")
FREIGHT_WRONG = _("The redelivery freight is an amount in CNY above 0, with at most 2 decimals.")
# The model's own messages (models.SHARE_AT_LEAST_HALF), said before anything is written.
SHARE_BELOW_HALF = _("O-44: the side at fault pays at least 50%.")
SHARE_ABOVE_ALL = _("A share is at most 100%.")
CUSTOMER_OWES = _("Owed by the customer on order %(order)s: %(amount)s CNY")
DEALER_OWES = _("Dealer charge no. %(charge)s: %(amount)s CNY")
DEALER_TAKEN = _("Dealer charge no. %(charge)s: %(amount)s CNY, taken from the profit of %(from)s")
COMPANY_PAYS = _("The company's own cost: %(amount)s CNY")


def permission_require(actor: User, name: str) -> None:
    if not actor.has_perm(name):
        raise PermissionDenied


def failure_goods_back(*, actor: User, failure: FailedDelivery) -> FailedDelivery:
    """The warehouse books the goods back in; the order waits at the ship step again."""
    permission_require(actor, "warehouse.add_stockmove")
    with transaction.atomic():
        failure = failure_lock(failure.pk)
        if failure.goods_back_at is not None:
            raise ValidationError(GOODS_BACK_ALREADY)
        reason = str(GOODS_BACK_NOTE % {"reason": failure.get_reason_display()})
        try:
            order_ship_again(actor=actor, order=failure.order, reason=reason)
        except StepRefused as refused:
            raise ValidationError(refused.reasons) from refused
        moves = order_goods_back(order=failure.order, actor=actor, reason=reason)
        failure.goods_back_at, failure.goods_back_by = timezone.now(), actor
        failure.save(update_fields=["goods_back_at", "goods_back_by"])
        failure_goods_back_event(actor=actor, failure=failure, moves=moves)
    return failure


def failure_customer_told(*, actor: User, failure: FailedDelivery, told_to: str) -> FailedDelivery:
    """O-44: the customer told at once: whom, by whom, when."""
    permission_require(actor, "logistics.change_faileddelivery")
    told_to = (told_to or "").strip()[:60]
    if not told_to:
        raise ValidationError({"told_to": TOLD_TO_MISSING})
    with transaction.atomic():
        failure = failure_lock(failure.pk)
        if failure.customer_told_at is not None:
            at = timezone.localtime(failure.customer_told_at)
            by = failure.customer_told_by.display_name
            raise ValidationError(TOLD_ALREADY % {"at": f"{at:%Y-%m-%d %H:%M}", "by": by})
        told_keep(failure, actor, told_to)
        failure.save(update_fields=["customer_told_at", "customer_told_by", "customer_told_to"])
        failure_told_event(actor=actor, failure=failure)
    return failure


def told_keep(failure: FailedDelivery, actor: User, told_to: str) -> None:
    failure.customer_told_at, failure.customer_told_by = timezone.now(), actor
    failure.customer_told_to = told_to


def failure_rebook(
    *,
    actor: User,
    failure: FailedDelivery,
    first_day: dt.date,
    last_day: dt.date | None = None,
    told_to: str,
    call_promised: bool = False,
    window_start: dt.time | None = None,
    window_end: dt.time | None = None,
    note: str = "",
) -> FailedDelivery:
    """O-44: the drop booked again (O-41, O-42: a day, or a window of 3 to 5 days); the new
    booking replaces the one in force. Agreeing the day tells the customer, if nobody had."""
    permission_require(actor, "logistics.change_faileddelivery")
    with transaction.atomic():
        failure = failure_lock(failure.pk)
        if failure.rebooking_id is not None:
            raise ValidationError(REBOOKED_ALREADY)
        failure.rebooking = booking_make(
            actor=actor, order=failure.order, first_day=first_day, last_day=last_day,
            told_to=told_to, call_promised=call_promised, window_start=window_start,
            window_end=window_end, note=note,
        )  # fmt: skip
        fields = ["rebooking"]
        if failure.customer_told_at is None:
            told_keep(failure, actor, failure.rebooking.told_to)
            fields += ["customer_told_at", "customer_told_by", "customer_told_to"]
        failure.save(update_fields=fields)
        failure_rebooked_event(actor=actor, failure=failure)
    return failure


def freight_checked(freight: object, share: object) -> tuple[Decimal, Decimal]:
    """The freight (> 0, 2 decimals) and the share of the side at fault (½ to 1), or refused
    before anything is written."""
    try:
        amount, part = Decimal(str(freight)), Decimal(str(share))
    except (InvalidOperation, ValueError):
        raise ValidationError(FREIGHT_WRONG) from None
    errors = {}
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:
        errors["freight"] = FREIGHT_WRONG
    if not part.is_finite() or part < HALF:
        errors["share"] = SHARE_BELOW_HALF
    elif part > 1:
        errors["share"] = SHARE_ABOVE_ALL
    if errors:
        raise ValidationError(errors)
    return amount, part.quantize(CENT)


def share_amount(freight: Decimal, share: Decimal) -> Decimal:
    """What the side at fault pays of the freight, to the cent."""
    return (freight * share).quantize(CENT, rounding=ROUND_HALF_UP)


def failure_freight_charge(
    *, actor: User, failure: FailedDelivery, freight: object, share: object
) -> FailedDelivery:
    """O-44: the redelivery's freight, at least half of it charged to the side at fault."""
    permission_require(actor, "logistics.charge_freight")
    freight, share = freight_checked(freight, share)
    with transaction.atomic():
        failure = failure_lock(failure.pk)
        if failure.charged_at is not None:
            raise ValidationError(CHARGED_ALREADY % {"reference": failure.charge_reference})
        amount = share_amount(freight, share)
        failure.freight, failure.fault_share = freight, share
        failure.charge_reference = str(charged_as(actor, failure, amount))[:100]
        failure.charged_at, failure.charged_by = timezone.now(), actor
        failure.save(update_fields=[
            "freight", "fault_share", "charge_reference", "charged_at", "charged_by",
        ])  # fmt: skip
        failure_freight_event(actor=actor, failure=failure, amount=amount)
    return failure


def charged_as(actor: User, failure: FailedDelivery, amount: Decimal) -> str:
    """Where the share went: owed on the order, a dealer charge (O-54), the company's cost."""
    order = failure.order
    if failure.fault == Fault.CUSTOMER:
        return str(CUSTOMER_OWES % {"order": order.number, "amount": amount})
    if failure.fault == Fault.DEALER:
        charge = freight_charge(
            actor=actor, order=order, amount=amount, note=f"{order.number} O-44",
            kind=DealerCharge.Kind.REDELIVERY_FREIGHT,
        )  # fmt: skip
        names = {"charge": charge.pk, "amount": amount}
        if charge.offset_against_id is None:
            return str(DEALER_OWES % names)
        return str(DEALER_TAKEN % (names | {"from": charge.offset_against.number}))
    return str(COMPANY_PAYS % {"amount": amount})
