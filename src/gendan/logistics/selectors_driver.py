"""What the driver's phone shows (issue 14 point 6): the signed-in driver's route of a day on
the published plan, its stops in order with everything needed at the door, and the driver's
sheet for finance at the end of the day (O-22).

A fixed number of queries whatever the number of stops: the routes, the drops with their
orders and customers, the lines with their products, the reservations with their batches and
the picks with their boxes, each read once for the whole day.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote, urlencode

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.catalog.units import quantity_text, unit_label
from gendan.logistics.collect import amount_to_collect
from gendan.logistics.models import Driver, Drop, RoutePlan, TruckRoute
from gendan.orders.models import Order, OrderLine
from gendan.orders.routes import DELIVER, ROUTES
from gendan.warehouse.models import Pick, Reservation

ZERO = Decimal("0.00")


@dataclass
class HandOver:
    """One line of the order as the driver hands it over, with the batches and boxes picked."""

    product: str
    sku: str
    colour_code: str
    quantity: Decimal
    unit: str
    batches: list[str] = field(default_factory=list)  # "B-2026-07 (12 m²)"
    boxes: list[str] = field(default_factory=list)  # the labels picked


@dataclass
class Stop:
    drop: Drop
    order: Order
    number: int
    receiver: str  # the homeowner, else the customer
    contact: str
    phone: str
    address: str
    lines: list[HandOver]
    to_collect: Decimal
    geo_link: str
    amap_link: str

    @property
    def is_supermarket(self) -> bool:
        return receiving_document_needed(self.order)

    @property
    def is_open(self) -> bool:
        return self.drop.state in (Drop.State.PLANNED, Drop.State.ARRIVED)


def receiving_document_needed(order: Order) -> bool:
    """O-21: on a supermarket's route the deliver step's record requires its own receiving
    document with the signature (the step's declaration says so, not the channel)."""
    route = ROUTES[order.route]
    if not route.has(DELIVER.code):
        return False
    record = route.step(DELIVER.code).record
    return any(item.name == "receiving_document" and item.required for item in record)


@dataclass
class DriverDay:
    driver: Driver
    day: dt.date
    routes: list[TruckRoute]
    stops: list[Stop]

    @property
    def departs_at(self) -> dt.time | None:
        times = [route.departs_at for route in self.routes if route.departs_at]
        return min(times) if times else None

    @property
    def total_to_collect(self) -> Decimal:
        return sum((stop.to_collect for stop in self.stops), ZERO)


def driver_of(user: User) -> Driver | None:
    """The driver the user is, if any."""
    if not user.is_authenticated:
        return None
    return Driver.objects.select_related("user").filter(user=user).first()


def day_routes(day: dt.date, driver: Driver | None = None) -> list[TruckRoute]:
    """The routes of the day's published plan (a draft is nobody's route yet): one driver's,
    or all that have a driver."""
    routes = TruckRoute.objects.filter(plan__day=day, plan__state=RoutePlan.State.PUBLISHED)
    routes = routes.filter(driver=driver) if driver else routes.filter(driver__isnull=False)
    return list(routes.select_related("truck", "plan", "driver__user").order_by("departs_at", "pk"))


def route_drops(routes: list[TruckRoute]) -> QuerySet[Drop]:
    """The routes' drops in driving order, with what a stop shows (lines and products too)."""
    lines = OrderLine.objects.select_related("product").only(
        "order_id", "position", "product_id", "colour_code", "quantity", "unit",
        "product__name", "product__sku",
    )  # fmt: skip
    lines = Prefetch("order__lines", queryset=lines)
    return (
        Drop.objects.filter(route__in=routes)
        .select_related("order", "order__customer", "order__end_customer")
        .prefetch_related(lines, "order__failed_deliveries")  # collect.py reads both
        .order_by("route__departs_at", "route_id", "sequence", "pk")
    )


def stops_by_route(routes: list[TruckRoute]) -> dict[int, list[Stop]]:
    """Each route's stops in order, numbered along it."""
    drops = list(route_drops(routes)) if routes else []
    picked = picked_of([drop.order_id for drop in drops])
    stops: dict[int, list[Stop]] = defaultdict(list)
    for drop in drops:
        stops[drop.route_id].append(stop_of(drop, len(stops[drop.route_id]) + 1, picked))
    return stops


def driver_day(*, driver: Driver, day: dt.date | None = None) -> DriverDay:
    """The driver's route of a day (default today), stops in order."""
    day = day or timezone.localdate()
    routes = day_routes(day, driver)
    by_route = stops_by_route(routes)
    stops = numbered([stop for route in routes for stop in by_route[route.pk]])
    return DriverDay(driver=driver, day=day, routes=routes, stops=stops)


def numbered(stops: list[Stop]) -> list[Stop]:
    """A driver with two trucks in a day (two runs) numbers the day's stops through."""
    for number, stop in enumerate(stops, start=1):
        stop.number = number
    return stops


def picked_of(order_pks: list[int]) -> dict[tuple[int, int], tuple[list[str], list[str]]]:
    """(order, product) → the batches reserved and shipped for it, and the boxes picked."""
    found: dict[tuple[int, int], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    if not order_pks:
        return found
    # Values, not models: a route of 25 three-line orders has some 75 reservations and 150
    # boxes, and building each as a model (with its product) was most of the page's time.
    reservations = (
        Reservation.objects.filter(order__in=order_pks)
        .exclude(state=Reservation.State.RELEASED)
        .order_by("order_id", "product_id", "pk")
        .values_list("pk", "order_id", "product_id", "batch__number", "quantity", "product__unit")
    )
    by_pk = {}
    for pk, order_pk, product_pk, batch, quantity, unit in reservations:
        shown = f"{batch} ({quantity_text(quantity, unit)})"
        found[(order_pk, product_pk)][0].append(shown)
        by_pk[pk] = (order_pk, product_pk)
    picks = Pick.objects.filter(reservation__in=list(by_pk), package__isnull=False)
    for reservation, code in picks.order_by("package__code").values_list(
        "reservation_id", "package__code"
    ):
        found[by_pk[reservation]][1].append(code)
    return found


def stop_of(drop: Drop, number: int, picked: dict) -> Stop:
    order = drop.order
    person = order.end_customer or order.customer
    address = order.full_address
    return Stop(
        drop=drop, order=order, number=number, receiver=person.name,
        contact=order.contact_name or person.name, phone=order.contact_phone or person.mobile,
        address=address, lines=hand_over(order, picked), to_collect=stop_due(drop),
        geo_link=geo_link(drop, address), amap_link=amap_link(drop, address),
    )  # fmt: skip


def stop_due(drop: Drop) -> Decimal:
    """O-22: what the driver collects: nothing at a failed drop, what was due when it was
    delivered (finance may have received it since), else what the order has outstanding."""
    if drop.state == Drop.State.FAILED:
        return ZERO
    if drop.state == Drop.State.DELIVERED and drop.to_collect is not None:
        return drop.to_collect
    return amount_to_collect(drop.order)


def hand_over(order: Order, picked: dict) -> list[HandOver]:
    rows = []
    for line in order.lines.all():
        batches, boxes = picked.get((order.pk, line.product_id), ([], []))
        product, unit = line.product, unit_label(line.quantity, line.unit)
        row = HandOver(product.name, product.sku, line.colour_code, line.quantity, unit)
        row.batches, row.boxes = batches, boxes
        rows.append(row)
    return rows


def geo_link(drop: Drop, address: str) -> str:
    """``geo:`` (RFC 5870) opens the phone's own map app on Android; with the address as the
    query where the coordinates are not known."""
    where = f"{drop.latitude},{drop.longitude}" if drop.latitude is not None else "0,0"
    return f"geo:{where}?q={quote(address)}"


def amap_link(drop: Drop, address: str) -> str:
    """Amap's web marker opens the Amap app where installed (iPhones ignore ``geo:``), else a
    map in the browser; without coordinates, Amap's search for the address."""
    if drop.latitude is None:
        return "https://uri.amap.com/search?" + urlencode({"keyword": address})
    position = f"{drop.longitude},{drop.latitude}"
    return "https://uri.amap.com/marker?" + urlencode({"position": position, "name": address})


def driver_drop_get(*, user: User, pk: int) -> Drop:
    """One of the user's own drops on a published plan; any other is 404 (a driver does not
    learn another's drops exist)."""
    drop = (
        Drop.objects.select_related("order", "order__customer", "order__end_customer", "route")
        .filter(pk=pk, route__driver__user=user, plan__state=RoutePlan.State.PUBLISHED)
        .first()
    )
    if drop is None:
        raise Http404
    return drop


def driver_get(pk: int) -> Driver:
    driver = Driver.objects.select_related("user").filter(pk=pk).first()
    if driver is None:
        raise Http404
    return driver


@dataclass
class DriverSheet:
    """O-22: the driver's sheet for finance: each stop's note signed or not, the cash to
    collect and collected, and the totals the driver hands over."""

    driver: Driver
    day: dt.date
    stops: list[Stop]

    @property
    def signed(self) -> int:
        return sum(1 for stop in self.stops if note_signed(stop))

    @property
    def failed(self) -> int:
        return sum(1 for stop in self.stops if stop.drop.state == Drop.State.FAILED)

    @property
    def open(self) -> int:
        return sum(1 for stop in self.stops if stop.is_open)

    @property
    def to_collect(self) -> Decimal:
        return sum((stop.to_collect for stop in self.stops), ZERO)

    @property
    def collected(self) -> Decimal:
        return sum((stop.drop.collected or ZERO for stop in self.stops), ZERO)

    @property
    def short(self) -> Decimal:
        """What was to collect at the delivered drops and was not (negative: more came in)."""
        delivered = [stop for stop in self.stops if stop.drop.state == Drop.State.DELIVERED]
        due = sum((stop.to_collect for stop in delivered), ZERO)
        return due - sum((stop.drop.collected or ZERO for stop in delivered), ZERO)


def note_signed(stop: Stop) -> bool:
    """O-21: the customer signed the delivery note: the drop's signature and the deliver step."""
    drop = stop.drop
    return drop.state == Drop.State.DELIVERED and bool(drop.signature) and (
        DELIVER.code in stop.order.signed
    )  # fmt: skip


def driver_sheet(*, driver: Driver, day: dt.date | None = None) -> DriverSheet:
    found = driver_day(driver=driver, day=day)
    return DriverSheet(driver=driver, day=found.day, stops=found.stops)


def day_sheets(*, day: dt.date) -> list[DriverSheet]:
    """Every driver's sheet of the day, by driver (finance receives them together)."""
    routes = day_routes(day)
    by_route = stops_by_route(routes)
    sheets: dict[int, DriverSheet] = {}
    for route in routes:
        sheet = sheets.setdefault(route.driver_id, DriverSheet(route.driver, day, []))
        sheet.stops.extend(by_route[route.pk])
    for sheet in sheets.values():
        numbered(sheet.stops)
    return sorted(sheets.values(), key=lambda sheet: str(sheet.driver))


# Logistics, the warehouse, finance...: any driver's route and sheet, read only.
FOLLOW = "logistics.view_routeplan"
# O-22: the day's sheets of all drivers, as finance receives the notes and the cash.
SHEET_READERS = (Role.FINANCE, Role.LOGISTICS, Role.GENERAL_MANAGER)


def driver_shown(user: User, wanted: int | None = None) -> tuple[Driver | None, bool]:
    """The driver whose route the user sees, and whether it is the user's own (who may act
    on it): another driver's (``wanted``) only for those who follow deliveries, else the
    user's own (None when the user drives nothing)."""
    if wanted is not None and user.has_perm(FOLLOW):
        return driver_get(wanted), False
    return driver_of(user), True


def sheets_readable(user: User) -> bool:
    return user.is_superuser or user.has_role(*SHEET_READERS)
