"""The managers' figures on their home page, each with the orders behind it.

Every figure is one query over the orders the manager may see; the orders behind one bar or
slice come from the same filters (``figure_orders``), so the list a figure opens holds the
orders it counted.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.guards import NOT_BOOKED, NOT_CLOSED, NOT_VERIFIED
from gendan.orders.models import Order
from gendan.orders.money import AGEING_CODES, AGEING_COLUMNS, CENT, ageing_window
from gendan.orders.routes import CANCELLED, FINISHED, ROUTES
from gendan.orders.selectors import (
    ageing_sums,
    order_overdue_kind,
    order_visible,
    receivable_orders,
)
from gendan.parties.models import CustomerKind

MANAGER_ROLES = frozenset({Role.GENERAL_MANAGER, Role.SALES_VP, Role.SALES_SUPERVISOR})

REGISTERED = {"today": _("Registered today"), "week": _("Registered this week")}
OVERDUE = {
    NOT_VERIFIED: _("Not verified on the day it arrived"),
    NOT_BOOKED: _("Delivery not booked 3 days ahead"),
    NOT_CLOSED: _("Delivered, not closed in 7 days"),
}


@dataclass(frozen=True)
class Bar:
    key: str
    label: Promise | str
    count: int
    amount: Decimal | None = None


def manager_sees_figures(user: User) -> bool:
    return user.is_superuser or bool(user.roles & MANAGER_ROLES)


def week_start(today: dt.date) -> dt.date:
    return today - dt.timedelta(days=today.weekday())


def month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def registered_counts(user: User, today: dt.date) -> list[Bar]:
    """Orders registered today and since Monday."""
    counts = (
        order_visible(user)
        .exclude(step=CANCELLED)
        .aggregate(
            today=Count("id", filter=Q(log_day=today)),
            week=Count("id", filter=Q(log_day__gte=week_start(today), log_day__lte=today)),
        )
    )
    return [Bar(key, label, counts[key]) for key, label in REGISTERED.items()]


def step_labels() -> dict[str, Promise]:
    """Each step code with its label (a code means the same step on every route)."""
    labels: dict[str, Promise] = {}
    for route in ROUTES.values():
        for step in route.steps:
            labels.setdefault(step.code, step.label)
    return labels


def open_by_step(user: User) -> list[Bar]:
    """Open orders by the step they stand at, in the order steps come on the routes."""
    rows = dict(
        order_visible(user).exclude(step__in=FINISHED).values_list("step").annotate(n=Count("id"))
    )
    labels = step_labels()
    known = [Bar(code, label, rows[code]) for code, label in labels.items() if code in rows]
    return known + [Bar(code, code, n) for code, n in rows.items() if code not in labels]


def open_orders_for_overdue(user: User) -> QuerySet[Order]:
    """Open orders with just what the overdue marks read."""
    fields = ("step", "log_day", "expected_delivery_on", "self_pickup", "signed", "closed_at")
    return order_visible(user).select_related(None).exclude(step__in=FINISHED).only(*fields)


def overdue_ids(user: User, today: dt.date) -> dict[str, list[int]]:
    """The open orders of each overdue kind, each counted by its first mark, as the work
    queues show it (orders.selectors.order_overdue_kind)."""
    ids: dict[str, list[int]] = {kind: [] for kind in OVERDUE}
    for order in open_orders_for_overdue(user):
        kind = order_overdue_kind(order, today)
        if kind:
            ids[kind].append(order.pk)
    return ids


def overdue_counts(user: User, today: dt.date) -> list[Bar]:
    ids = overdue_ids(user, today)
    return [Bar(kind, label, len(ids[kind])) for kind, label in OVERDUE.items()]


def age_band(code: str, today: dt.date) -> Q:
    """Owed orders whose amount became owed in the ageing bucket's days (money.ageing_window)."""
    earliest, latest = ageing_window(code, today)
    query = Q()
    if earliest is not None:
        query &= Q(owed_since__gte=earliest)
    if latest is not None:
        query &= Q(owed_since__lte=latest)
    return query


def receivables_ageing(user: User, today: dt.date) -> list[Bar]:
    """What is owed by age, as the receivables page ages it: orders and amount per bucket."""
    counts = {f"n_{code}": Count("id", filter=age_band(code, today)) for code in AGEING_CODES}
    row = receivable_orders(user=user).aggregate(**ageing_sums(today), **counts)
    labels = dict(AGEING_COLUMNS)
    return [
        Bar(code, labels[code], row[f"n_{code}"], (row[code] or Decimal("0")).quantize(CENT))
        for code in AGEING_CODES
    ]


def sales_by_channel(user: User, today: dt.date) -> list[Bar]:
    """Orders registered this month by channel: how many and their total."""
    rows = (
        order_visible(user)
        .exclude(step=CANCELLED)
        .filter(log_day__gte=month_start(today), log_day__lte=today)
        .values_list("channel")
        .annotate(n=Count("id"), amount=Sum("total"))
    )
    found = {channel: (n, amount.quantize(CENT)) for channel, n, amount in rows}
    return [Bar(kind.value, kind.label, *found[kind]) for kind in CustomerKind if kind in found]


FIGURES = ("registered", "step", "overdue", "age", "channel")


def figure_orders(user: User, figure: str, key: str, today: dt.date) -> QuerySet[Order] | None:
    """The orders behind one bar or slice; None for a figure or key that does not exist.
    A cancelled order counts in none of them."""
    orders = order_visible(user).exclude(step=CANCELLED)
    if figure == "registered" and key in REGISTERED:
        start = today if key == "today" else week_start(today)
        return orders.filter(log_day__gte=start, log_day__lte=today)
    if figure == "step" and key in step_labels():
        return orders.filter(step=key)
    if figure == "overdue" and key in OVERDUE:
        return orders.filter(pk__in=overdue_ids(user, today)[key])
    if figure == "age" and key in AGEING_CODES:
        return receivable_orders(user=user).filter(age_band(key, today))
    if figure == "channel" and key in CustomerKind.values:
        return orders.filter(channel=key, log_day__gte=month_start(today), log_day__lte=today)
    return None


def figure_label(figure: str, key: str) -> Promise | str:
    labels = {
        "registered": REGISTERED,
        "step": step_labels(),
        "overdue": OVERDUE,
        "age": dict(AGEING_COLUMNS),
        "channel": dict(CustomerKind.choices),
    }
    return labels.get(figure, {}).get(key, key)
