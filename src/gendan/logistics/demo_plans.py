"""The demo's route plans (issue 14 point 4): tomorrow's booked drops planned on the trucks and
published, so the warehouse's pick list, the call list and the drivers' phones have a day to
show; today's too when the demo booked drops for today. A short time limit keeps it quick."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from gendan.accounts.models import User
from gendan.logistics.selectors_booking import bookings_to_plan
from gendan.logistics.services.plans import plan_make, plan_publish

DEMO_SECONDS = 2


def demo_plans(actor: User) -> None:
    today = timezone.localdate()
    for day in (today, today + dt.timedelta(days=1)):
        if day == today and not bookings_to_plan(day).exists():
            continue
        plan_publish(actor=actor, plan=plan_make(actor=actor, day=day, seconds=DEMO_SECONDS))
