"""What each role finds on its home page ("my work"): the orders waiting on it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.selectors import (
    order_current_step,
    order_overdue_reason,
    order_referred,
    orders_waiting_for,
)

QUEUE_LIMIT = 100
REFERRED_TASK = _("Payment question referred by the verifier (O-6)")


@dataclass(frozen=True)
class Waiting:
    order: Order
    role: Role
    task: Promise | str
    overdue: str


def waiting_items(order: Order, roles: frozenset[Role], today) -> list[Waiting]:
    """What the order waits for from these roles: its current step, a referral, or both."""
    items = []
    step = order_current_step(order)
    if step is not None and step.role in roles:
        items.append(Waiting(order, step.role, step.label, order_overdue_reason(order, today)))
    if Role.SALES_REP in roles and order_referred(order):
        items.append(Waiting(order, Role.SALES_REP, REFERRED_TASK, ""))
    return items


def work_for(user: User) -> list[dict[str, object]]:
    """One section per role the user holds, each with its orders, oldest first."""
    today = timezone.localdate()
    waiting = [
        item
        for order in orders_waiting_for(user)[:QUEUE_LIMIT]
        for item in waiting_items(order, user.roles, today)
    ]
    return [
        {"role": role, "waiting": [item for item in waiting if item.role == role]}
        for role in Role
        if role in user.roles
    ]
