"""The route plan's records the access table asks about: a draft plan a month ahead with two
trucks, a drop on the first (its booking since replaced, so planning that day again is quick:
nothing is left to plan)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gendan.logistics.models import Booking, RoutePlan
from gendan.logistics.tests.factories import DropFactory, RoutePlanFactory, TruckRouteFactory
from gendan.orders.models import Order


def plan_world_ids(order: Order) -> dict[str, int | str]:
    day = timezone.localdate() + dt.timedelta(days=30)
    plan = RoutePlanFactory(day=day, state=RoutePlan.State.DRAFT, published_at=None)
    first, second = TruckRouteFactory(plan=plan), TruckRouteFactory(plan=plan)
    drop = DropFactory(order=order, route=first, booking__state=Booking.State.REPLACED)
    return {"plan_day": day.isoformat(), "plan_drop": drop.pk, "plan_route": second.pk}
