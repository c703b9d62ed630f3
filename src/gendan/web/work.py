"""What each role finds on its home page ("my work"): the orders waiting on it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urlencode

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.money import ageing_window
from gendan.orders.selectors import (
    order_current_step,
    order_overdue_reason,
    order_referred,
    orders_waiting_for,
)
from gendan.web.selectors import (
    Bar,
    open_by_step,
    overdue_counts,
    receivables_ageing,
    registered_counts,
    sales_by_channel,
)

QUEUE_LIMIT = 100
REFERRED_TASK = _("Payment question referred by the verifier (O-6)")
CANCEL_TASK = _("Cancellation asked for by the clerk: approve or refuse")


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
    if Role.SALES_SUPERVISOR in roles and order.cancel_requested_at is not None:
        items.append(Waiting(order, Role.SALES_SUPERVISOR, CANCEL_TASK, ""))
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


def figure_chart(
    figure: str,
    title: Promise | str,
    bars: list[Bar],
    kind: str = "bar",
    by_amount: bool = False,
    opens: Callable[[str], str] | None = None,
) -> dict[str, object]:
    """One chart as the page draws it (home.js) and lists it: each bar opens its orders, or
    the list ``opens`` gives for its key."""
    return {
        "id": f"figure-{figure}",
        "title": str(title),
        "kind": kind,
        "by_amount": by_amount,
        # A bar a step's label: tall enough for each to be read.
        "height": max(260, 28 * len(bars) + 40) if kind == "hbar" else 260,
        "items": [
            {
                "key": bar.key,
                "label": str(bar.label),
                "count": bar.count,
                "amount": f"{bar.amount:,.2f}" if by_amount and bar.amount is not None else None,
                "value": float(bar.amount) if by_amount and bar.amount is not None else bar.count,
                "url": opens(bar.key)
                if opens
                else reverse("figure-orders", args=[figure, bar.key]),
                "orders_url": reverse("figure-orders", args=[figure, bar.key]) if opens else "",
            }
            for bar in bars
        ],
    }


def manager_figures(user: User, today: dt.date) -> list[dict[str, object]]:
    """The managers' figures: registered, open by step, overdue, owed by age, sales by channel."""
    charts = [
        figure_chart("registered", _("Orders registered"), registered_counts(user, today)),
        figure_chart("step", _("Open orders by step"), open_by_step(user), "hbar"),
        figure_chart("overdue", _("Overdue orders"), overdue_counts(user, today)),
    ]
    if user.has_perm("orders.view_receivables"):
        ageing = receivables_ageing(user, today)
        opens = partial(receivables_address, today=today)
        charts.append(figure_chart("age", _("Receivables by age"), ageing, "bar", True, opens))
    # A dealer order's total is the dealer's settlement (O-11): amounts only to those who see it.
    money = user.has_perm("orders.view_receivables")
    sales = sales_by_channel(user, today)
    charts.append(figure_chart("channel", _("Sales by channel this month"), sales, "pie", money))
    return charts


def receivables_address(code: str, today: dt.date) -> str:
    """The receivables page showing who owes what became owed in the ageing bucket's days."""
    earliest, latest = ageing_window(code, today)
    days = {"start": earliest, "end": latest}
    query = {name: day.isoformat() for name, day in days.items() if day is not None}
    return f"{reverse('receivables')}?{urlencode(query)}"
