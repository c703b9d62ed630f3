"""Reads of notifications: whom to tell, a user's list, the bell's count."""

from __future__ import annotations

from django.db.models import QuerySet

from gendan.accounts.models import User
from gendan.accounts.roles import PARTNER_ROLES
from gendan.notifications.models import Notification
from gendan.orders.models import Order, StepLog
from gendan.orders.routes import CLOSED, ROUTES, Step

# The bell counts up to this many; more shows as "99+" (the count stays one short query).
BELL_MOST = 99


def step_waiting_after(order: Order, entry: StepLog) -> Step | None:
    """The step the order waits at because of this signature; None when it is closed, or has
    moved on since (a later signature tells its own turn)."""
    route = ROUTES.get(order.route)
    if order.step == CLOSED or route is None or not route.has(order.step):
        return None
    later = StepLog.objects.filter(order_id=order.pk, pk__gt=entry.pk)
    if later.exclude(outcome=StepLog.Outcome.SKIPPED).exists():
        return None
    return route.step(order.step)


def step_signers(*, order: Order, step: Step) -> QuerySet[User]:
    """Who signs the step of this order: the active users of its role; for a dealer's or a
    supermarket's role, only the users of the order's own partner."""
    users = User.objects.filter(is_active=True, groups__name=step.role.value)
    if step.role in PARTNER_ROLES:
        if order.partner_id is None:
            return User.objects.none()
        return users.filter(partner_id=order.partner_id)
    return users.filter(partner__isnull=True)


def notifications_of(user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first, with what each row shows."""
    return Notification.objects.filter(recipient=user).select_related(
        "order", "order__customer", "step_log", "step_log__actor"
    )


def notifications_unread_count(user: User) -> int:
    """The bell's number: one COUNT on the unread index, stopped past ``BELL_MOST``."""
    unread = Notification.objects.filter(recipient=user, read_at__isnull=True)
    return unread.order_by()[: BELL_MOST + 1].count()
