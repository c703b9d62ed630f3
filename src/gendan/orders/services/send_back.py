"""Sending an order back to an earlier step, with a reason (O-15: the dealer and its profit note).

Beside ``order_step_complete``, the one other way an order's step changes. The step log is
append-only: each step from the earlier one up to the sender's gets an entry marked sent back
(the sender's carries who and why), and their signatures leave ``order.signed``, which the
guards read, so they count again only once signed again.
"""

from __future__ import annotations

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.audit_events import step_sent_back_event
from gendan.orders.effects import NEXT_STEP_EFFECTS
from gendan.orders.models import Order, StepLog
from gendan.orders.routes import DELIVER, ROUTES, SHIP, Route, Step
from gendan.orders.services.effects import effects_record
from gendan.orders.services.steps import (
    NOT_CURRENT_STEP,
    StepRefused,
    order_lock,
    step_log_and_order_write,
    step_refusals,
)

REASON_REQUIRED = _("Say why it is sent back: the reason is shown to the one who signs again.")
NOT_SENT_BACK = _("“%(step)s” cannot be sent back.")
REASON_LENGTH = 500
NOT_WAITING_FOR_DELIVERY = _(
    "O-44: order %(order)s is not waiting for its delivery, so it does not go back to the "
    "warehouse to be shipped again."
)


def order_step_send_back(*, actor: User, order: Order, step: str, reason: str) -> Order:
    """Send the order back from its current step ``step`` to the earlier step the route
    declares (``Step.sends_back_to``): lock, check, log, write, in one transaction."""
    reason = reason.strip()[:REASON_LENGTH]
    if not reason:
        raise StepRefused([REASON_REQUIRED])
    with transaction.atomic():
        order = order_lock(order.pk)  # as signing does: the two queue for the same order
        route = ROUTES[order.route]
        sender = route_step_sendable(route, order, step)
        if actor.partner_id is not None and order.partner_id != actor.partner_id:
            raise PermissionDenied
        # Sent back by whoever may sign the step now; its guard is about signing, not this.
        refusals = step_refusals(order, replace(sender, guard=None), actor, step)
        if refusals:
            raise StepRefused(refusals)
        sent_back_from(order, actor, route, sender.code, sender.sends_back_to, reason)
    return order


def sent_back_from(
    order: Order, actor: User, route: Route, step: str, to: str, reason: str
) -> None:
    """Back from ``step`` to ``to``: logged, told and audited."""
    withdrawn = steps_between(route, to, step)
    entry = order_sent_back(order, actor, withdrawn, reason)
    # The one who signs the earlier step again is told, with the reason (after the commit).
    effects_record(order=order, actions=NEXT_STEP_EFFECTS, step_log=entry, actor=actor)
    step_sent_back_event(
        actor=actor, order=order, step=step, to=to, withdrawn=[s.code for s in withdrawn],
        reason=reason,
    )  # fmt: skip


def route_step_sendable(route: Route, order: Order, code: str) -> Step:
    step = next((s for s in route.steps if s.code == code), None)
    if step is None:
        raise StepRefused([NOT_CURRENT_STEP % {"current": order.step, "step": code}])
    if not step.sends_back_to:
        raise StepRefused([NOT_SENT_BACK % {"step": step.label}])
    return step


def steps_between(route: Route, first: str, last: str) -> list[Step]:
    """The route's steps from ``first`` to ``last``, both included."""
    codes = [step.code for step in route.steps]
    return list(route.steps[codes.index(first) : codes.index(last) + 1])


def order_sent_back(order: Order, actor: User, withdrawn: list[Step], reason: str) -> StepLog:
    """Withdraw the signatures of ``withdrawn`` and put the order at the first of them; the
    sender's entry (who and why) is returned."""
    now = timezone.now()
    codes = {step.code for step in withdrawn}
    order.signed = {code: value for code, value in order.signed.items() if code not in codes}
    order.step, order.step_since = withdrawn[0].code, now
    entries = [sent_back_entry(order, step, actor, now, reason) for step in withdrawn]
    step_log_and_order_write(order, entries)
    return entries[-1]


def sent_back_entry(order: Order, step: Step, actor: User, at: object, reason: str) -> StepLog:
    return StepLog(
        order=order, step=step.code, outcome=StepLog.Outcome.SENT_BACK, actor=actor, at=at,
        note=reason, signature=actor.display_name,
    )  # fmt: skip


def order_ship_again(*, actor: User, order: Order, reason: str) -> Order:
    """O-44: a delivery that failed, its goods booked back into the warehouse by its staff
    (in the caller's transaction): the order waits at the ship step again, to be shipped anew
    through it. The ship and deliver signatures are withdrawn, logged as sent back with the
    reason, and the warehouse is told (as the next step's signers always are)."""
    reason = reason.strip()[:REASON_LENGTH]
    if not reason:
        raise StepRefused([REASON_REQUIRED])
    with transaction.atomic():
        order = order_lock(order.pk)
        route = ROUTES[order.route]
        if order.step != DELIVER.code or not route.has(SHIP.code):
            raise StepRefused([NOT_WAITING_FOR_DELIVERY % {"order": order.number}])
        if not (actor.is_superuser or actor.has_role(route.step(SHIP.code).role)):
            raise PermissionDenied
        sent_back_from(order, actor, route, DELIVER.code, SHIP.code, reason)
    return order
