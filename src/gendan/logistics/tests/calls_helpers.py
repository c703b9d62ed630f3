"""A day of drops for the call list's tests (O-43): three on a truck, each with its own way
of paying, and one the planner could not fit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from importlib import import_module

from django.apps import apps as django_apps
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.logistics.models import Drop
from gendan.logistics.tests.factories import (
    BookingFactory,
    DropFactory,
    RoutePlanFactory,
    TruckRouteFactory,
)
from gendan.orders.models import PaymentMethod, PaymentTerms
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.tests.helpers import paid_in_full, scenario, staff


def tomorrow() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=1)


def at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def channel_routes_ensure() -> None:
    """The channels' default routes, as orders' migration 0002 writes them: a transactional
    test's flush (the e-mail and browser tests) empties that table for the tests after it."""
    import_module("gendan.orders.migrations.0002_channel_routes").forwards(django_apps, None)


def day_of_drops() -> dict[str, Drop]:
    """Tomorrow's plan, one truck: a walk-in customer paying on delivery who paid 300 of
    1,000 ahead, a supermarket's shopper (per contract), a dealer's homeowner paid before
    shipping; and a drop the planner could not fit."""
    channel_routes_ensure()
    day = tomorrow()
    route = TruckRouteFactory(plan=RoutePlanFactory(day=day))
    on_delivery = scenario("retail", terms=PaymentTerms.ON_DELIVERY, contact_name="王女士")
    order_receipt_add(
        actor=staff(Role.FINANCE), order=on_delivery, amount=Decimal("300"),
        method=PaymentMethod.CASH,
    )  # fmt: skip
    market = scenario("supermarket", terms=PaymentTerms.CONTRACT)
    dealer = scenario("dealer")
    paid_in_full(dealer)
    drops = {
        "on_delivery": DropFactory(order=on_delivery, route=route, sequence=1,
                                   arrives_at=at(day, 10, 10)),
        "market": DropFactory(order=market, route=route, sequence=2, arrives_at=at(day, 11, 0)),
        "dealer": DropFactory(order=dealer, route=route, sequence=3, arrives_at=at(day, 13, 40)),
    }  # fmt: skip
    unfit = scenario("retail")
    drops["unplanned"] = DropFactory(
        order=unfit, route=None, plan=route.plan, unplanned_reason="超出车辆容量",
        booking=BookingFactory(order=unfit, first_day=day),
    )  # fmt: skip
    return drops


CALL_DAY = "2026-12-04"


def calls_world_ids() -> dict[str, int]:
    """For the access table: a drop on a truck of a published plan, to be told."""
    route = TruckRouteFactory(plan=RoutePlanFactory(day=dt.date.fromisoformat(CALL_DAY)))
    return {"call_drop": DropFactory(order=scenario("retail"), route=route).pk}
