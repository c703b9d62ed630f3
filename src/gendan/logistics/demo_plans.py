"""The demo's route plans (issue 14 point 4): tomorrow's booked drops planned on the trucks and
published, so the warehouse's pick list, the call list and the drivers' phones have a day to
show; today's too when the demo booked drops for today, moved onto the truck of the demo user
``driver`` (as logistics would by hand) so that signing in as the driver shows a route. A short
time limit keeps it quick."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gendan.accounts.models import User
from gendan.logistics.models import RoutePlan
from gendan.logistics.selectors_booking import bookings_to_plan
from gendan.logistics.services.plans import drop_move, plan_make, plan_publish

DEMO_SECONDS = 2
DEMO_DRIVER = "driver"


def demo_plans(actor: User) -> None:
    today = timezone.localdate()
    for day in (today, today + dt.timedelta(days=1)):
        if day == today and not bookings_to_plan(day).exists():
            continue
        plan = plan_make(actor=actor, day=day, seconds=DEMO_SECONDS)
        if day == today:
            plan = demo_onto_driver(actor, plan)
        # its warnings read (goods that may not leave yet), as logistics would
        plan_publish(actor=actor, plan=plan, confirmed=True)


def demo_onto_driver(actor: User, plan: RoutePlan) -> RoutePlan:
    """Today's drops moved to the demo driver's truck and the day planned again around them."""
    route = plan.routes.filter(driver__user__username=DEMO_DRIVER).first()
    if route is None:
        return plan
    for drop in plan.drops.exclude(route=route).exclude(latitude=None):
        drop_move(actor=actor, drop=drop, route=route)
    return plan_make(actor=actor, day=plan.day, seconds=DEMO_SECONDS)
