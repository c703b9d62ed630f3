"""The day's route plan in the API (O-43, O-45): read it, plan it (around the pinned drops),
publish it to the warehouse's loading runs, move a drop to another truck, pin a drop.
Mounted by logistics/api.py. A refusal by a rule answers 422 with its message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema

from gendan.core.api_helpers import RecordId, permission_require
from gendan.logistics.models import Drop, RoutePlan, TruckRoute
from gendan.logistics.selectors_plans import PlanView, RouteView, plan_view
from gendan.logistics.services.plans import (
    drop_move,
    drop_pin,
    plan_make,
    plan_publish,
    plan_reopen,
)

router = Router(tags=["logistics"])


class PlanDropOut(Schema):
    drop_id: int
    order_id: int
    number: str
    stop: int  # 0: not on a truck
    arrives_at: dt.datetime | None
    window_start: dt.time | None
    window_end: dt.time | None
    zone: str
    load_m2: Decimal
    load_kg: Decimal
    latitude: Decimal | None
    longitude: Decimal | None
    pinned: bool
    unplanned_reason: str  # in the request's language
    held: bool  # O-42: off the trucks for a later day of its window, not for want of room
    not_ready: list[str]  # why its goods may not leave yet (on a truck): empty when they may

    @staticmethod
    def from_drop(drop: Drop) -> PlanDropOut:
        return PlanDropOut(
            drop_id=drop.pk, order_id=drop.order_id, number=drop.order.number,
            stop=drop.sequence if drop.route_id else 0, arrives_at=drop.arrives_at,
            window_start=drop.window_start, window_end=drop.window_end, zone=drop.zone,
            load_m2=drop.load_m2, load_kg=drop.load_kg, latitude=drop.latitude,
            longitude=drop.longitude, pinned=drop.pinned, unplanned_reason=drop.unplanned_reason,
            held=drop.held, not_ready=getattr(drop, "not_ready", []),
        )  # fmt: skip


class PlanRouteOut(Schema):
    route_id: int
    truck: str
    driver: str
    departs_at: dt.time | None
    departure_rule: str  # O-45: why it leaves then
    departs_late: bool  # O-45: after the rule's time (its driver starts later): a warning
    returns_at: dt.time | None
    load_m2: Decimal
    load_kg: Decimal
    capacity_m2: Decimal
    capacity_kg: Decimal
    over_capacity: bool  # a drop moved there by hand overloads it
    distance_m: int
    drops: list[PlanDropOut]


class PlanOut(Schema):
    day: dt.date
    state: str  # "": no plan yet; "draft"; "published"
    solver: str
    message: str
    seconds: Decimal
    distance_m: int
    planned_at: dt.datetime | None
    published_at: dt.datetime | None
    routes: list[PlanRouteOut]
    unplanned: list[PlanDropOut]  # never left out: each with why
    warnings: list[str]  # what publishing asks to confirm: late routes, drops not ready


def plan_out(day: dt.date, view: PlanView) -> PlanOut:
    plan = view.plan
    routes = [route_out(rv) for rv in view.routes]
    return PlanOut(
        day=day, state=plan.state if plan else "", solver=plan.solver if plan else "",
        message=plan.message if plan else "", seconds=plan.seconds if plan else Decimal("0"),
        distance_m=plan.distance_m if plan else 0, planned_at=plan and plan.planned_at,
        published_at=plan and plan.published_at, routes=routes,
        unplanned=[PlanDropOut.from_drop(drop) for drop in view.unplanned],
        warnings=view.warnings,
    )  # fmt: skip


def route_out(rv: RouteView) -> PlanRouteOut:
    route = rv.route
    return PlanRouteOut(
        route_id=route.pk, truck=route.truck.plate, driver=str(route.driver or ""),
        departs_at=route.departs_at, departure_rule=route.departure_rule,
        departs_late=route.departs_late,
        returns_at=route.returns_at, load_m2=route.load_m2, load_kg=route.load_kg,
        capacity_m2=route.truck.capacity_m2, capacity_kg=route.truck.capacity_kg,
        over_capacity=rv.over, distance_m=route.distance_m,
        drops=[PlanDropOut.from_drop(drop) for drop in rv.drops],
    )  # fmt: skip


@router.get("/plans/{day}", response=PlanOut)
def plan_of_day(request: HttpRequest, day: dt.date) -> PlanOut:
    """O-43: the day's routes per truck in order, with arrivals, loads and departures."""
    permission_require(request, "logistics.view_routeplan")
    return plan_out(day, plan_view(day))


@router.post("/plans/{day}", response=PlanOut)
def plan_day_make(request: HttpRequest, day: dt.date) -> PlanOut:
    """O-43: plan all of the day's booked drops around the pinned ones (up to
    GENDAN_PLAN_SECONDS); refused on a published plan."""
    permission_require(request, "logistics.add_routeplan")
    plan_make(actor=request.user, day=day)
    return plan_out(day, plan_view(day))


@router.post("/plans/{day}/publish", response=PlanOut)
def plan_day_publish(request: HttpRequest, day: dt.date, confirmed: bool = False) -> PlanOut:
    """O-43: publish: the warehouse's pick list loads the trucks in this order. With the
    plan's ``warnings`` (O-45: late routes; drops not ready) it answers 422 listing them
    unless ``confirmed``."""
    permission_require(request, "logistics.change_routeplan")
    plan = get_object_or_404(RoutePlan, day=day)
    plan_publish(actor=request.user, plan=plan, confirmed=confirmed)
    return plan_out(day, plan_view(day))


class PlanReopenIn(Schema):
    reason: str = Field(max_length=200)


@router.post("/plans/{day}/reopen", response=PlanOut)
def plan_day_reopen(request: HttpRequest, day: dt.date, payload: PlanReopenIn) -> PlanOut:
    """A published plan back to a draft, with why; the warehouse's loading runs withdrawn."""
    permission_require(request, "logistics.change_routeplan")
    plan = get_object_or_404(RoutePlan, day=day)
    plan_reopen(actor=request.user, plan=plan, reason=payload.reason)
    return plan_out(day, plan_view(day))


class DropMoveIn(Schema):
    route_id: int = Field(ge=1, le=2**63 - 1)


@router.post("/drops/{drop_id}/move", response=PlanOut)
def drop_to_truck(request: HttpRequest, drop_id: RecordId, payload: DropMoveIn) -> PlanOut:
    """A drop to another truck of its plan, pinned there; an overload is reported
    (``over_capacity``), not refused."""
    permission_require(request, "logistics.change_drop")
    drop = get_object_or_404(Drop.objects.select_related("plan"), pk=drop_id)
    route = get_object_or_404(TruckRoute, pk=payload.route_id)
    drop_move(actor=request.user, drop=drop, route=route)
    return plan_out(drop.plan.day, plan_view(drop.plan.day))


class DropPinIn(Schema):
    pinned: bool


@router.post("/drops/{drop_id}/pin", response=PlanDropOut)
def drop_pinned(request: HttpRequest, drop_id: RecordId, payload: DropPinIn) -> PlanDropOut:
    """Kept on its truck when the day is planned again (or let go)."""
    permission_require(request, "logistics.change_drop")
    drop = get_object_or_404(Drop.objects.select_related("plan"), pk=drop_id)
    drop = drop_pin(actor=request.user, drop=drop, pinned=payload.pinned)
    return PlanDropOut.from_drop(drop)
