"""Reads of the route plans (O-43, O-45): the days with a plan, and one day's plan as its
page and its map show it: each truck's route in order with its load against capacity; what
to confirm before publishing (O-45: a route leaving after its time; a drop whose goods may not
leave yet)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gendan.logistics.models import NOT_TODAY, Drop, RoutePlan, TruckRoute
from gendan.logistics.readiness import orders_readiness

ZERO = Decimal("0")
# Each route's colour on the map and beside its truck (a colour-blind-safe palette).
COLOURS = (
    "#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9", "#332288", "#882255",
    "#117733", "#999933",
)  # fmt: skip


def plans_listed() -> QuerySet[RoutePlan]:
    """The days with a plan, newest first, with how many drops are on trucks, held for a
    later day of their window (O-42) and left off for want of room."""
    off = Q(drops__route__isnull=True)
    held = Q(drops__unplanned_why__message=NOT_TODAY)
    return (
        RoutePlan.objects.annotate(
            planned=Count("drops", filter=Q(drops__route__isnull=False)),
            held=Count("drops", filter=off & held),
            unplanned=Count("drops", filter=off & ~held),
        )
        .select_related("planned_by", "published_by")
        .order_by("-day")
    )


def days_ahead(count: int = 7) -> list[tuple[dt.date, RoutePlan | None]]:
    """The next days from tomorrow, each with its plan (and its counts) if it has one."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    days = [tomorrow + dt.timedelta(days=n) for n in range(count)]
    plans = {plan.day: plan for plan in plans_listed().filter(day__in=days)}
    return [(day, plans.get(day)) for day in days]


@dataclass(frozen=True)
class RouteView:
    route: TruckRoute
    drops: list[Drop]
    colour: str

    @property
    def share_m2(self) -> int:
        return share(self.route.load_m2, self.route.truck.capacity_m2)

    @property
    def share_kg(self) -> int:
        return share(self.route.load_kg, self.route.truck.capacity_kg)

    @property
    def over(self) -> bool:
        """Loaded beyond the truck's capacity (a drop moved there by hand): shown in red."""
        return self.share_m2 > 100 or self.share_kg > 100


def share(load: Decimal, capacity: Decimal) -> int:
    return int(load * 100 / capacity) if capacity else 0


@dataclass(frozen=True)
class PlanView:
    plan: RoutePlan | None
    routes: list[RouteView]
    unplanned: list[Drop]

    @property
    def is_draft(self) -> bool:
        return self.plan is None or self.plan.state == RoutePlan.State.DRAFT

    @property
    def held(self) -> list[Drop]:
        """O-42: off the trucks for a later day of their window."""
        return [drop for drop in self.unplanned if drop.held]

    @property
    def unfit(self) -> list[Drop]:
        """Off the trucks for any other reason (no room, no coordinates, ...)."""
        return [drop for drop in self.unplanned if not drop.held]

    @property
    def warnings(self) -> list[str]:
        """What publishing asks to confirm: late routes (O-45), drops not ready to leave."""
        return routes_late(self.routes) + drops_not_ready(self.routes)

    def map_data(self) -> dict:
        """What plan_map.js draws: each route's depot and numbered stops, the unplanned."""
        return {
            "routes": [route_map(view) for view in self.routes if view.drops],
            "unplanned": [stop_of(drop) for drop in self.unplanned if drop.latitude is not None],
        }


def plan_view(day: dt.date) -> PlanView:
    plan = RoutePlan.objects.filter(day=day).first()
    if plan is None:
        return PlanView(None, [], [])
    drops = list(
        plan.drops.select_related("order__customer", "order__end_customer").order_by(
            "route", "sequence", "pk"
        )
    )
    routes = plan.routes.select_related("truck__warehouse", "driver__user").order_by("truck__plate")
    views = [
        RouteView(route, [d for d in drops if d.route_id == route.pk], COLOURS[n % len(COLOURS)])
        for n, route in enumerate(routes)
    ]
    ready = orders_readiness([drop.order for drop in drops if drop.route_id is not None])
    for drop in drops:
        drop.not_ready = ready.get(drop.order_id, [])  # shown in amber on the plan page
    return PlanView(plan, views, [drop for drop in drops if drop.route_id is None])


LATE = gettext_lazy("Truck %(truck)s leaves at %(departs)s, after its O-45 time: %(rule)s")
NOT_READY = gettext_lazy("Order %(number)s may not leave yet: %(reasons)s")


def routes_late(views: list[RouteView]) -> list[str]:
    """O-45: each route that leaves after its rule's time, named."""
    late = [view.route for view in views if view.drops and view.route.departs_late]
    return [
        LATE % {"truck": r.truck.plate, "rule": r.departure_rule, "departs": clock_of(r)}
        for r in late
    ]


def clock_of(route: TruckRoute) -> str:
    return route.departs_at.strftime("%H:%M") if route.departs_at else ""


def drops_not_ready(views: list[RouteView]) -> list[str]:
    """Each drop on a truck whose goods may not leave yet, with the reasons."""
    return [
        NOT_READY % {"number": drop.order.number, "reasons": " ".join(drop.not_ready)}
        for view in views
        for drop in view.drops
        if drop.not_ready
    ]


def route_map(view: RouteView) -> dict:
    warehouse = view.route.truck.warehouse
    return {
        "truck": view.route.truck.plate, "colour": view.colour,
        "depot": [float(warehouse.latitude or 0), float(warehouse.longitude or 0)],
        "depot_name": warehouse.name,
        "stops": [stop_of(drop) for drop in view.drops if drop.latitude is not None],
    }  # fmt: skip


def stop_of(drop: Drop) -> dict:
    arrives = timezone.localtime(drop.arrives_at).strftime("%H:%M") if drop.arrives_at else ""
    return {
        "n": drop.sequence, "at": [float(drop.latitude), float(drop.longitude)],
        "order": drop.order.number, "arrives": arrives,
    }  # fmt: skip
