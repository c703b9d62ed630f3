"""Drops at one address stay on one truck (issue 14, O-43): bookings at the same coordinates
with the same contact phone go to the planner as one job when they fit a truck together, and
the plan lists them one after the other; apart when they do not fit or their pins differ."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.logistics.models import Drop
from gendan.logistics.services.plans import plan_make
from gendan.logistics.services.plans_group import jobs_grouped
from gendan.logistics.tests.factories import PlanJobFactory, PlanTruckFactory
from gendan.logistics.tests.plan_helpers import TIANHE, booked, day_to_plan, truck_at
from gendan.orders.tests.helpers import staff

HERE, THERE = ("23.1", "113.3", "138"), ("23.2", "113.4", "139")


def test_jobs_of_one_place_are_one_job_served_one_after_the_other():
    # given two jobs at one place (10 and 20 minutes on site) and one elsewhere
    first = PlanJobFactory(service=600, window=(0, 20_000))
    second = PlanJobFactory(service=1200, window=(0, 30_000))
    other = PlanJobFactory()
    # when
    jobs, members = jobs_grouped([first, second, other], [HERE, HERE, THERE], [PlanTruckFactory()])
    # then one job carries both, on site for both, begun in time for the second too
    (merged,) = [job for job in jobs if job.key == first.key]
    assert members == {first.key: [first.key, second.key]} and len(jobs) == 2
    assert merged.load == (200, 30) and merged.service == 1800
    assert merged.window == (0, 20_000)


def test_jobs_of_one_place_too_big_together_or_pinned_apart_stay_apart():
    truck = PlanTruckFactory(capacity=(150, 1_500))
    big = [PlanJobFactory(), PlanJobFactory()]  # 1 m² each: 2 m² over a 1.5 m² truck
    assert jobs_grouped(big, [HERE, HERE], [truck])[1] == {}
    pinned = [PlanJobFactory(truck="T1"), PlanJobFactory(truck="T2")]
    assert jobs_grouped(pinned, [HERE, HERE], [PlanTruckFactory()])[1] == {}


@pytest.mark.django_db
def test_two_bookings_at_one_address_ride_one_truck_one_after_the_other(roles):
    """Two orders for one address and phone, planned on two trucks of 20 m², with 10 m² more
    near by: the two are on one truck, consecutive, the second after the first's time on site."""
    for code in ("T1", "T2"):
        truck_at(TIANHE, code, capacity_m2=Decimal("20"))
    day = day_to_plan()
    same = [booked(day, TIANHE, step=3) for _ in range(2)]
    booked(day, TIANHE, step=1)
    booked(day, TIANHE, step=5)
    plan = plan_make(actor=staff(Role.LOGISTICS), day=day, seconds=1)
    drops = [Drop.objects.get(plan=plan, booking=booking) for booking in same]
    assert drops[0].route_id == drops[1].route_id is not None
    assert abs(drops[0].sequence - drops[1].sequence) == 1
    first, then = sorted(drops, key=lambda drop: drop.sequence)
    assert then.arrives_at - first.arrives_at == dt.timedelta(minutes=first.service_minutes)
