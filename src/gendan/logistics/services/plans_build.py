"""A day's bookings and trucks as the route planner's problem (O-43, O-45), read before the
plan is written: each drop's load from its lines, its place (the address, else its
district's centre), its zone, the window when someone is there and its time on site; each
truck's capacity, its driver's shift and its home warehouse as the depot.

Times are seconds after midnight of the day; loads are m² × 100 and kg (planning/problem.py).
A drop without coordinates is not given to the planner: it is kept with its reason.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gendan.logistics.geo import place_of, zone_of
from gendan.logistics.loads import Load, order_load
from gendan.logistics.models import Booking, Drop, RoutePlan, Truck, ZoneKind
from gendan.logistics.planning import departure
from gendan.logistics.planning.problem import PlanJob, PlanProblem, PlanTruck
from gendan.logistics.planning.texts import Text, text
from gendan.logistics.planning.travel import travel_matrices
from gendan.logistics.selectors_booking import bookings_to_plan
from gendan.logistics.services.plans_group import jobs_grouped

DAY_END = 24 * 3600 - 1
# O-45: out by 08:30 (by 07:00 with more than three drops or a drop outside the inner city:
# the planner applies that part, from ``far_locations``).
LATEST_DEPARTURE = departure.USUAL
# A booking with a window of days (O-42) may go on a later day of it: the planner takes it
# when it fits, worth this much (in metres of driving) to include.
WINDOW_PRIZE = 1_000_000

NO_COORDINATES = gettext_noop(
    "No coordinates: the address has none and %(city)s%(district)s is not in the table of "
    "district centres. Add the address's coordinates on the order, or the district's centre."
)
NO_DEPOT = _(
    "Warehouse %(warehouse)s has no coordinates: trucks %(trucks)s cannot start from it. "
    "Give the warehouse its latitude and longitude first."
)


@dataclass
class DropDraft:
    """What one booking becomes on the day's plan."""

    booking: Booking
    load: Load
    latitude: Decimal | None
    longitude: Decimal | None
    coordinates_from: str
    zone: str
    service_minutes: int
    required: bool  # its last possible day (a booked day, or a window's last day)
    pinned_truck: int | None = None  # the truck it is kept on (moved there, or pinned)
    reason: Text | None = None  # why it is not given to the planner

    @property
    def key(self) -> str:
        return f"b{self.booking.pk}"


@dataclass
class DayProblem:
    day: dt.date
    drafts: list[DropDraft]
    trucks: list[Truck]
    problem: PlanProblem | None = None  # None: nothing to plan (no drops or no trucks)
    points: list[tuple[float, float]] = field(default_factory=list)
    travel_note: Text | None = None  # why the estimate stood in for OSRM
    # A job standing for several drops at one place (plans_group): its key → theirs, in order.
    members: dict[str, list[str]] = field(default_factory=dict)

    def lead(self, key: str) -> str:
        """The key of the job a drop went to the planner in."""
        return next((lead for lead, keys in self.members.items() if key in keys), key)


def service_minutes(load: Load) -> int:
    """O-43: the time on site grows with the size: a base, plus a minute per 5 m²."""
    return settings.GENDAN_DROP_MINUTES + int(load.m2 // 5)


def day_bookings(day: dt.date) -> list[Booking]:
    """The bookings to plan on the day, less windows already on a truck of another day's
    published plan (O-42: one left off its trucks there, or failed, is planned again)."""
    elsewhere = (
        Drop.objects.filter(plan__state=RoutePlan.State.PUBLISHED, route__isnull=False)
        .exclude(plan__day=day)
        .exclude(state=Drop.State.FAILED)
    )
    bookings = bookings_to_plan(day).exclude(pk__in=elsewhere.values("booking"))
    return list(bookings.select_related("order").order_by("first_day", "pk"))


def drop_draft(booking: Booking, day: dt.date, pins: dict[int, int]) -> DropDraft:
    order = booking.order
    load = order_load(order)
    latitude, longitude, source = place_of(order)
    draft = DropDraft(
        booking, load, latitude, longitude, source, zone_of(order.city, order.district),
        service_minutes(load), required=booking.last_day <= day,
        pinned_truck=pins.get(order.pk),
    )  # fmt: skip
    if latitude is None:
        draft.reason = text(NO_COORDINATES, city=order.city, district=order.district)
    return draft


def plan_trucks() -> list[Truck]:
    """The trucks in use with a working driver; refused if a home warehouse has no place."""
    trucks = list(
        Truck.objects.filter(is_active=True, driver__isnull=False, driver__is_active=True)
        .select_related("warehouse", "driver__user")
        .order_by("plate")
    )
    for truck in trucks:
        if truck.warehouse.latitude is None or truck.warehouse.longitude is None:
            plates = ", ".join(t.plate for t in trucks if t.warehouse_id == truck.warehouse_id)
            raise ValidationError(
                NO_DEPOT, params={"warehouse": truck.warehouse.name, "trucks": plates}
            )
    return trucks


def pins_of(plan: RoutePlan | None) -> dict[int, int]:
    """order pk → truck pk of the drops kept on their truck in the day's draft."""
    if plan is None:
        return {}
    pinned = plan.drops.filter(pinned=True, route__isnull=False)
    return dict(pinned.values_list("order_id", "route__truck_id"))


def day_problem(day: dt.date, pins: dict[int, int]) -> DayProblem:
    drafts = [drop_draft(booking, day, pins) for booking in day_bookings(day)]
    trucks = plan_trucks()
    for draft in drafts:  # a truck no longer in use keeps nothing
        if draft.pinned_truck not in {truck.pk for truck in trucks}:
            draft.pinned_truck = None
    built = DayProblem(day, drafts, trucks)
    placed = [draft for draft in drafts if not draft.reason]
    if not placed or not trucks:
        return built
    depots = list(dict.fromkeys(truck.warehouse for truck in trucks))
    built.points = [(float(w.latitude), float(w.longitude)) for w in depots]
    built.points += [(float(d.latitude), float(d.longitude)) for d in placed]
    built.problem = problem_of(built, depots, placed)
    return built


def problem_of(built: DayProblem, depots: list, placed: list[DropDraft]) -> PlanProblem:
    durations, distances, built.travel_note = travel_matrices(built.points)
    offset = len(depots)
    jobs = [job_of(draft, offset + index) for index, draft in enumerate(placed)]
    far = {offset + i for i, draft in enumerate(placed) if draft.zone != ZoneKind.INNER_CITY}
    trucks = tuple(truck_of(truck, depots.index(truck.warehouse)) for truck in built.trucks)
    places = [(d.latitude, d.longitude, d.booking.order.contact_phone) for d in placed]
    jobs, built.members = jobs_grouped(jobs, places, trucks)
    return PlanProblem(durations, distances, tuple(jobs), trucks, far_locations=frozenset(far))


def truck_of(truck: Truck, depot: int) -> PlanTruck:
    driver = truck.driver
    return PlanTruck(
        key=str(truck.pk), depot=depot,
        capacity=(int(truck.capacity_m2 * 100), int(truck.capacity_kg)),
        shift=(seconds_of(driver.shift_start), seconds_of(driver.shift_end)),
        latest_departure=LATEST_DEPARTURE,
    )  # fmt: skip


def job_of(draft: DropDraft, location: int) -> PlanJob:
    booking = draft.booking
    start = seconds_of(booking.window_start) if booking.window_start else 0
    end = seconds_of(booking.window_end) if booking.window_end else DAY_END
    return PlanJob(
        key=draft.key, location=location,
        load=(math.ceil(draft.load.m2 * 100), math.ceil(draft.load.kg)),
        window=(start, end), service=draft.service_minutes * 60, required=draft.required,
        prize=0 if draft.required else WINDOW_PRIZE,
        truck=str(draft.pinned_truck) if draft.pinned_truck else None,
    )  # fmt: skip


def seconds_of(moment: dt.time) -> int:
    return moment.hour * 3600 + moment.minute * 60 + moment.second


def time_of(seconds: int) -> dt.time:
    seconds = max(0, min(int(seconds), DAY_END))
    return dt.time(seconds // 3600, seconds % 3600 // 60)
