"""Cancelling an order entered by mistake or twice (issue 12, point 7).

Before finance has signed the delivery note, the clerk (or who verifies or registered the
order) cancels it with a reason. After that the clerk asks, and the sales supervisor approves
or refuses; the supervisor may also cancel directly. Once the goods have left the warehouse an
order is not cancelled: its goods come back through a return (O-63). A cancelled order keeps its
number in the order log (O-2), stands at the step ``CANCELLED`` (so it leaves every queue, as a
closed one does), and its papers get void versions (orders/effects.py, ORDER_CANCELLED).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.audit_events import (
    order_cancel_refused_event,
    order_cancel_requested_event,
    order_cancelled_event,
)
from gendan.orders.effects import CANCEL_WORK
from gendan.orders.effects import ORDER_CANCELLED as CANCEL_EFFECTS
from gendan.orders.models import Order, StepLog
from gendan.orders.routes import CANCELLED, CLOSED, FINANCE_REVIEW, ROUTES, SHIP
from gendan.orders.services.dealer_ledger import dealer_profit_withdraw
from gendan.orders.services.effects import effects_record, work_do
from gendan.orders.services.receipts import order_paid_to_credit
from gendan.orders.services.steps import ORDER_CANCELLED, ORDER_CLOSED
from gendan.orders.services.verification import verifier_may

REASON_MAX = Order._meta.get_field("cancel_reason").max_length
REASON_MISSING = _("Give the reason for cancelling the order.")
REASON_TOO_LONG = _("The reason is at most %(limit)s characters.")
GOODS_LEFT = _(
    "The goods have left the warehouse: the order can no longer be cancelled. Record a return "
    "of the goods instead (O-63), under Returns on the order page."
)
NEEDS_APPROVAL = _(
    "Finance has signed the delivery note: cancelling needs the sales supervisor's approval. "
    "Ask for it with your reason."
)
NOT_SIGNED_YET = _("Finance has not signed the delivery note yet: cancel the order directly.")
ALREADY_ASKED = _("A cancellation of this order already waits for the sales supervisor.")
NOTHING_ASKED = _("No cancellation of this order waits for approval.")

# What cancelling writes onto the order.
CANCEL_COLUMNS = ["step", "step_since", "cancelled_at", "cancelled_by", "cancel_reason"]
REQUEST_COLUMNS = ["cancel_requested_at", "cancel_requested_by", "cancel_request_reason"]


def finance_signature_step(order: Order) -> str:
    """The step after which cancelling needs approval: finance's signature of the delivery
    note, or on a route without it the first step finance signs."""
    route = ROUTES[order.route]
    if route.has(FINANCE_REVIEW.code):
        return FINANCE_REVIEW.code
    return next((s.code for s in route.steps if s.role == Role.FINANCE), SHIP.code)


def finance_signed(order: Order) -> bool:
    return finance_signature_step(order) in order.signed


def cancel_clerk(user: User, order: Order) -> bool:
    """The clerk, who verifies the order (O-4) or registered it: cancels it until finance
    signs, and asks the supervisor after that."""
    if user.partner_id is not None and user.partner_id != order.partner_id:
        return False
    return (
        user.has_role(Role.CLERK)
        or verifier_may(user, order)
        or (user.pk == order.registered_by_id)
    )


def cancel_supervisor(user: User) -> bool:
    return user.is_superuser or (user.partner_id is None and user.has_role(Role.SALES_SUPERVISOR))


def cancel_refusal(order: Order) -> str:
    """Why the order cannot be cancelled at all any more; empty when it can."""
    if order.step == CANCELLED:
        return str(ORDER_CANCELLED)
    if order.step == CLOSED:
        return str(ORDER_CLOSED)
    if SHIP.code in order.signed:
        return str(GOODS_LEFT)
    return ""


def reason_checked(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError(REASON_MISSING)
    if len(reason) > REASON_MAX:
        raise ValidationError(REASON_TOO_LONG % {"limit": REASON_MAX})
    return reason


def order_locked(order: Order) -> Order:
    """The order, locked before anything is read of it (as the transition service does)."""
    return Order.objects.select_for_update().get(pk=order.pk)


def state_require(order: Order) -> None:
    refusal = cancel_refusal(order)
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def order_cancel(*, actor: User, order: Order, reason: str) -> Order:
    """Cancel the order with a reason: the clerk before finance has signed, the sales
    supervisor until the goods leave."""
    order = order_locked(order)
    supervisor = cancel_supervisor(actor)
    if not (supervisor or cancel_clerk(actor, order)):
        raise PermissionDenied
    state_require(order)
    reason = reason_checked(reason)
    if not supervisor and finance_signed(order):
        raise ValidationError(NEEDS_APPROVAL)
    return order_cancel_write(order, actor=actor, reason=reason)


def order_cancel_write(
    order: Order, *, actor: User, reason: str, asked_by: User | None = None
) -> Order:
    """The cancellation: the step log entry (who, when, why), the order at ``CANCELLED``,
    the audit entry, and the papers' void versions recorded for the worker."""
    now, from_step = timezone.now(), order.step
    data = {"from_step": from_step} | ({"asked_by": asked_by.display_name} if asked_by else {})
    entry = StepLog.objects.create(
        order=order, step=CANCELLED, outcome=StepLog.Outcome.DONE, actor=actor, at=now,
        note=reason, signature=actor.display_name, data=data,
    )  # fmt: skip
    order.step, order.step_since = CANCELLED, now
    order.cancelled_at, order.cancelled_by, order.cancel_reason = now, actor, reason
    order.save(update_fields=CANCEL_COLUMNS)
    # Money already received is the payer's, and a dealer's profit credited is taken back.
    order_paid_to_credit(actor=actor, order=order)
    dealer_profit_withdraw(actor=actor, order=order)
    work_do(CANCEL_WORK, order=order, actor=actor)
    order_cancelled_event(
        actor=actor, order=order, reason=reason, from_step=from_step,
        asked_by=asked_by.display_name if asked_by else "",
    )  # fmt: skip
    effects_record(order=order, actions=CANCEL_EFFECTS, step_log=entry, actor=actor)
    return order


@transaction.atomic
def order_cancel_request(*, actor: User, order: Order, reason: str) -> Order:
    """After finance has signed: the clerk asks the sales supervisor to cancel the order."""
    order = order_locked(order)
    if not cancel_clerk(actor, order):
        raise PermissionDenied
    state_require(order)
    reason = reason_checked(reason)
    if not finance_signed(order):
        raise ValidationError(NOT_SIGNED_YET)
    if order.cancel_requested_at is not None:
        raise ValidationError(ALREADY_ASKED)
    order.cancel_requested_at, order.cancel_requested_by = timezone.now(), actor
    order.cancel_request_reason = reason
    order.save(update_fields=REQUEST_COLUMNS)
    order_cancel_requested_event(actor=actor, order=order, reason=reason)
    return order


def request_require(actor: User, order: Order) -> None:
    if not cancel_supervisor(actor):
        raise PermissionDenied
    if order.step == CANCELLED or order.cancel_requested_at is None:
        raise ValidationError(NOTHING_ASKED)


@transaction.atomic
def order_cancel_approve(*, actor: User, order: Order) -> Order:
    """The sales supervisor approves the clerk's request: the order is cancelled, signed by
    the supervisor, for the clerk's reason."""
    order = order_locked(order)
    request_require(actor, order)
    state_require(order)
    asked_by = order.cancel_requested_by
    return order_cancel_write(
        order, actor=actor, reason=order.cancel_request_reason, asked_by=asked_by
    )


@transaction.atomic
def order_cancel_refuse(*, actor: User, order: Order, reason: str) -> Order:
    """The sales supervisor refuses the request, with a reason; the order goes on."""
    order = order_locked(order)
    request_require(actor, order)
    reason = reason_checked(reason)
    asked_by = order.cancel_requested_by.display_name
    order.cancel_requested_at, order.cancel_requested_by = None, None
    order.cancel_request_reason = ""
    order.save(update_fields=REQUEST_COLUMNS)
    order_cancel_refused_event(actor=actor, order=order, reason=reason, asked_by=asked_by)
    return order


@dataclass(frozen=True)
class CancelOptions:
    """What the order page offers ``user`` about cancelling the order."""

    cancel: bool = False  # cancel it now, with a reason
    ask: bool = False  # ask the sales supervisor to cancel it
    decide: bool = False  # approve or refuse the clerk's request
    refusal: str = ""  # why it can no longer be cancelled (to the clerk and the supervisor)


def order_cancel_options(user: User, order: Order) -> CancelOptions:
    supervisor, clerk = cancel_supervisor(user), cancel_clerk(user, order)
    if not (supervisor or clerk) or order.step == CANCELLED:
        return CancelOptions()
    refusal = cancel_refusal(order)
    asked = order.cancel_requested_at is not None
    if refusal:
        return CancelOptions(decide=supervisor and asked, refusal=refusal)
    late = finance_signed(order)
    return CancelOptions(
        cancel=supervisor or not late,
        ask=clerk and not supervisor and late and not asked,
        decide=supervisor and asked,
    )
