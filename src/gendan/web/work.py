"""What each role finds on its home page ("my work"): the orders waiting on it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.routes import Step
from gendan.orders.selectors import order_current_step, order_overdue_reason, orders_waiting_for

QUEUE_LIMIT = 100


@dataclass(frozen=True)
class Waiting:
    order: Order
    step: Step
    overdue: str


def work_for(user: User) -> list[dict[str, object]]:
    """One section per role the user holds, each with its orders, oldest first."""
    today = timezone.localdate()
    waiting = [
        Waiting(order, order_current_step(order), order_overdue_reason(order, today))
        for order in orders_waiting_for(user)[:QUEUE_LIMIT]
    ]
    return [
        {"role": role, "waiting": [item for item in waiting if item.step.role == role]}
        for role in Role
        if role in user.roles
    ]
