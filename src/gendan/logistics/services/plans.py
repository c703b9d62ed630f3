"""The day's route plan (O-43, O-45): made from the day's bookings, changed by moving or
pinning drops and made again around them, published to the warehouse's loading runs, and
reopened (confirmed) when it must change after all.

Planning searches for up to GENDAN_PLAN_SECONDS outside any transaction; the plan is then
written in one, under the plan's lock, replacing the draft's rows. A drop moved to another
truck is pinned there. Moving a drop onto a truck it overloads is allowed (the planner knows
of no second trip, the people do): the page shows the load in red, and planning again keeps
the pinned drops on their trucks as far as the capacity allows.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from gendan.accounts.models import User
from gendan.logistics.audit_events import (
    drop_moved_event,
    drop_pinned_event,
    routes_planned_event,
    routes_published_event,
    routes_reopened_event,
)
from gendan.logistics.locks import drop_lock, plan_lock
from gendan.logistics.models import NOT_TODAY, Drop, RoutePlan, TruckRoute
from gendan.logistics.planning.problem import PlannedRoute, PlanResult
from gendan.logistics.planning.solve import plan_solve
from gendan.logistics.planning.texts import Text, text
from gendan.logistics.selectors_plans import plan_view
from gendan.logistics.services.plans_build import (
    DayProblem,
    DropDraft,
    day_problem,
    pins_of,
    time_of,
)
from gendan.warehouse.services.loading import loading_runs_replace

ZERO = Decimal("0")
PUBLISHED = _("The plan of %(day)s is published: reopen it before planning again or changing it.")
NOT_PUBLISHED = _("The plan of %(day)s is not published.")
CHANGED_WHILE_PLANNING = _("Drops were moved or pinned while the plan was being made: plan again.")
ON_THE_ROAD = _("The drivers have started the routes of %(day)s: the plan can no longer change.")
NOT_THIS_PLAN = _("That truck has no route on this drop's plan.")
MOVE_NEEDS_PLACE = _("This drop has no coordinates: give its address coordinates first.")
PIN_NEEDS_ROUTE = _("Only a drop on a truck can be pinned to it.")
NOTHING_PLANNED = _("Plan the day first: there is no plan to publish.")
NO_ARRIVAL = _("Order %(number)s was moved and has no arrival time yet: plan again first.")
REOPEN_REASON = _("Say why the published plan must change.")
NO_TRUCKS = gettext_noop("No truck in use has a working driver.")
UNPLANNED = gettext_noop("The planner could not fit it: %(reason)s")
CONFIRM_WARNINGS = _("Publish anyway? Confirm after reading these:")


class PublishUnconfirmed(ValidationError):
    """Publishing a plan with late routes or drops not ready asks to confirm (not refused)."""

    def __init__(self, warnings: list[str]) -> None:
        super().__init__([CONFIRM_WARNINGS, *warnings])
        self.warnings = warnings


def plan_make(*, actor: User, day: dt.date, seconds: float | None = None) -> RoutePlan:
    """O-43: plan all of the day's booked drops: planned on a truck, or listed with why not."""
    plan = RoutePlan.objects.filter(day=day).first()
    plan_refuse_published(plan)
    pins = pins_of(plan)
    built = day_problem(day, pins)
    result = routes_solve(built, seconds)
    with transaction.atomic():
        plan = plan_lock(day)
        plan_refuse_published(plan)
        if pins_of(plan) != pins:
            raise ValidationError(CHANGED_WHILE_PLANNING)
        plan_refuse_started(plan)
        plan_write(plan, built, result, actor=actor)
    return plan


def routes_solve(built: DayProblem, seconds: float | None) -> PlanResult:
    if built.problem is None:
        return PlanResult(routes=[])
    limit = float(seconds if seconds is not None else settings.GENDAN_PLAN_SECONDS)
    return plan_solve(built.problem, seconds=limit)


def plan_refuse_published(plan: RoutePlan | None) -> None:
    if plan is not None and plan.state == RoutePlan.State.PUBLISHED:
        raise ValidationError(PUBLISHED, params={"day": plan.day})


def plan_refuse_started(plan: RoutePlan) -> None:
    if plan.drops.exclude(state=Drop.State.PLANNED).exists():
        raise ValidationError(ON_THE_ROAD, params={"day": plan.day})


def plan_write(plan: RoutePlan, built: DayProblem, result: PlanResult, *, actor: User) -> None:
    """The draft's routes and drops replaced by the new ones; every drop written."""
    plan.routes.all().delete()
    plan.drops.all().delete()
    drafts = {draft.key: draft for draft in built.drafts}
    planned = {route.truck: route for route in result.routes}
    written: set[str] = set()
    for truck in built.trucks:
        on_it = planned.get(str(truck.pk))
        route_write(plan, truck, on_it, drafts, built.members).save()
        written |= {
            m for key in (on_it.jobs if on_it else []) for m in built.members.get(key, [key])
        }
    for key, draft in drafts.items():
        if key not in written:
            reason = reason_of(draft, result, built.lead(key))
            Drop.objects.create(**drop_fields(plan, draft, reason=reason))
    plan.solver = result.solver
    plan.notes = [*result.message, *([built.travel_note] if built.travel_note else [])]
    plan.seconds = Decimal(str(round(result.seconds, 2)))
    plan.distance_m = sum(route.distance for route in result.routes)
    plan.planned_at, plan.planned_by = timezone.now(), actor
    plan.save()
    routes_planned_event(
        actor=actor, plan=plan, planned=len(written), unplanned=len(drafts) - len(written)
    )


def route_write(
    plan: RoutePlan, truck, planned: PlannedRoute | None, drafts: dict, members: dict
) -> TruckRoute:
    """One truck's route (empty when the planner gave it nothing) and its drops in order (the
    drops of one place, planned as one job, one after the other)."""
    route = TruckRoute.objects.create(plan=plan, truck=truck, driver=truck.driver)
    if planned is None or not planned.jobs:
        return route
    route.departs_at, route.returns_at = time_of(planned.departs), time_of(planned.returns)
    route.departure_why, route.distance_m = planned.departure_rule, planned.distance
    sequence = 0
    for key, arrival in zip(planned.jobs, planned.arrivals, strict=True):
        for member in members.get(key, [key]):
            draft, sequence = drafts[member], sequence + 1
            Drop.objects.create(
                **drop_fields(plan, draft), route=route, sequence=sequence,
                arrives_at=moment_of(plan.day, arrival),
            )  # fmt: skip
            arrival += draft.service_minutes * 60
            route.load_m2 += draft.load.m2
            route.load_kg += draft.load.kg
    return route


def drop_fields(plan: RoutePlan, draft: DropDraft, *, reason: Text | None = None) -> dict:
    booking = draft.booking
    return {
        "plan": plan, "booking": booking, "order": booking.order,
        "pinned": draft.pinned_truck is not None and not reason,
        "unplanned_why": reason or {}, "window_start": booking.window_start,
        "window_end": booking.window_end, "service_minutes": draft.service_minutes,
        "load_m2": draft.load.m2, "load_kg": draft.load.kg, "latitude": draft.latitude,
        "longitude": draft.longitude, "coordinates_from": draft.coordinates_from,
        "zone": draft.zone,
    }  # fmt: skip


def reason_of(draft: DropDraft, result: PlanResult, lead: str) -> Text:
    """Why a drop is not on a truck: no coordinates, no truck, its window, or the planner's."""
    if draft.reason:
        return draft.reason
    if not draft.required:
        return text(NOT_TODAY, last=draft.booking.last_day)
    if lead in result.unplanned:
        return text(UNPLANNED, reason=result.unplanned[lead])
    return text(NO_TRUCKS)


def moment_of(day: dt.date, seconds: int) -> dt.datetime:
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=timezone.get_current_timezone())
    return midnight + dt.timedelta(seconds=int(seconds))


def routes_loads_update(*routes: TruckRoute | None) -> None:
    """A route's load again from its drops (after a drop moved on or off it)."""
    for route in routes:
        if route is None:
            continue
        sums = route.drops.aggregate(m2=Sum("load_m2"), kg=Sum("load_kg"))
        route.load_m2, route.load_kg = sums["m2"] or ZERO, sums["kg"] or ZERO
        route.save(update_fields=["load_m2", "load_kg"])


@transaction.atomic
def drop_move(*, actor: User, drop: Drop, route: TruckRoute) -> Drop:
    """A drop moved by hand to another truck, last on its route, pinned there; its arrival
    is known again once the day is planned again. An overload is shown, not refused."""
    plan = plan_lock(drop.plan.day)
    plan_refuse_published(plan)
    drop = drop_lock(drop.pk)
    if route.plan_id != plan.pk or drop.plan_id != plan.pk:
        raise ValidationError(NOT_THIS_PLAN)
    if drop.latitude is None:
        raise ValidationError(MOVE_NEEDS_PLACE)
    before = drop.route
    last = route.drops.aggregate(last=Max("sequence"))["last"] or 0
    drop.route, drop.sequence, drop.pinned = route, last + 1, True
    drop.arrives_at, drop.unplanned_why = None, {}
    drop.save(update_fields=["route", "sequence", "pinned", "arrives_at", "unplanned_why"])
    routes_loads_update(before, route)
    drop_moved_event(
        actor=actor, drop=drop, before=before.truck.plate if before else "",
        after=route.truck.plate,
    )  # fmt: skip
    return drop


@transaction.atomic
def drop_pin(*, actor: User, drop: Drop, pinned: bool) -> Drop:
    """Keep a drop on its truck when the day is planned again, or let the planner move it."""
    plan = plan_lock(drop.plan.day)
    plan_refuse_published(plan)
    drop = drop_lock(drop.pk)
    if pinned and drop.route_id is None:
        raise ValidationError(PIN_NEEDS_ROUTE)
    drop.pinned = pinned
    drop.save(update_fields=["pinned"])
    drop_pinned_event(actor=actor, drop=drop)
    return drop


@transaction.atomic
def plan_publish(*, actor: User, plan: RoutePlan, confirmed: bool = False) -> RoutePlan:
    """O-43: the plan goes out: the warehouse's pick list loads it truck by truck (the last
    drop first), and the drivers' phones show their routes. A route leaving after its O-45
    time or a drop whose goods may not leave yet is named and must be ``confirmed``."""
    plan = plan_lock(plan.day)
    plan_refuse_published(plan)
    if plan.planned_at is None:
        raise ValidationError(NOTHING_PLANNED)
    moved = plan.drops.filter(route__isnull=False, arrives_at__isnull=True).first()
    if moved is not None:
        raise ValidationError(NO_ARRIVAL, params={"number": moved.order.number})
    warnings = plan_view(plan.day).warnings
    if warnings and not confirmed:
        raise PublishUnconfirmed(warnings)
    routes = list(plan.routes.select_related("truck", "driver__user").order_by("truck__plate"))
    runs = []
    for route in routes:
        orders = list(route.drops.order_by("-sequence").values_list("order_id", flat=True))
        if orders:
            runs.append((route_label(route), route.departs_at, orders))
    loading_runs_replace(actor=actor, day=plan.day, runs=runs)
    plan.state = RoutePlan.State.PUBLISHED
    plan.published_at, plan.published_by = timezone.now(), actor
    plan.save(update_fields=["state", "published_at", "published_by"])
    routes_published_event(actor=actor, plan=plan, routes=[run[0] for run in runs])
    return plan


def route_label(route: TruckRoute) -> str:
    """The truck as the warehouse calls it: its plate and its driver (粤B12345 张三)."""
    return f"{route.truck.plate} {route.driver or ''}".strip()


@transaction.atomic
def plan_reopen(*, actor: User, plan: RoutePlan, reason: str) -> RoutePlan:
    """A published plan back to a draft (confirmed, with why): the warehouse's loading runs
    of the day are withdrawn until it is published again. Refused once drivers have started."""
    reason = reason.strip()
    if not reason:
        raise ValidationError(REOPEN_REASON)
    plan = plan_lock(plan.day)
    if plan.state != RoutePlan.State.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED, params={"day": plan.day})
    plan_refuse_started(plan)
    loading_runs_replace(actor=actor, day=plan.day, runs=[])
    plan.state, plan.published_at, plan.published_by = RoutePlan.State.DRAFT, None, None
    plan.save(update_fields=["state", "published_at", "published_by"])
    routes_reopened_event(actor=actor, plan=plan, reason=reason[:200])
    return plan
