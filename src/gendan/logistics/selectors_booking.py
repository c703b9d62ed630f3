"""Reads of the bookings (O-41, O-42): the bookings in force, each day's booked load against
the fleet's capacity, the orders the clerk still has to book, and the bookings a day's route
plan takes.

A day's load counts the bookings in force on it that go on a truck. A window of N days counts
1/N of its load on each of its days (it is delivered on one of them, which the planner
chooses): the chart then adds up to what the fleet carries over the days, and a window does
not fill five days for one delivery. Bookings that go with the installers take no truck room.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q, QuerySet, TextField
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce

from gendan.accounts.models import User
from gendan.logistics.loads import Load, line_load
from gendan.logistics.models import Booking, Truck
from gendan.orders.guards import BOOKING_AHEAD
from gendan.orders.models import Order, OrderLine
from gendan.orders.routes import FINISHED
from gendan.orders.selectors import order_visible

ZERO = Decimal("0")
IN_FORCE = Booking.State.BOOKED


@dataclass(frozen=True)
class DayLoad:
    """One day's booked load against the fleet's capacity."""

    day: dt.date
    load: Load
    capacity: Load
    bookings: int  # bookings in force on the day that go on a truck (windows included)

    @property
    def full(self) -> bool:
        return self.load.m2 > self.capacity.m2 or self.load.kg > self.capacity.kg

    @property
    def percent_m2(self) -> int | None:
        return percent(self.load.m2, self.capacity.m2)

    @property
    def percent_kg(self) -> int | None:
        return percent(self.load.kg, self.capacity.kg)

    def with_added(self, load: Load) -> DayLoad:
        return DayLoad(self.day, self.load + load, self.capacity, self.bookings + 1)


def percent(part: Decimal, whole: Decimal) -> int | None:
    """The part of the capacity booked, in whole percent; None with no capacity."""
    return round(part * 100 / whole) if whole else None


def fleet_capacity(trucks: list[Truck] | None = None) -> Load:
    """The trucks in use, their capacities summed (``trucks``: those already read, locked)."""
    if trucks is None:
        trucks = list(Truck.objects.filter(is_active=True))
    return Load(
        sum((truck.capacity_m2 for truck in trucks), ZERO),
        sum((truck.capacity_kg for truck in trucks), ZERO),
    )


def bookings_in_force() -> QuerySet[Booking]:
    return Booking.objects.filter(state=IN_FORCE)


def bookings_on(first: dt.date, last: dt.date) -> QuerySet[Booking]:
    """Bookings in force on any day from ``first`` to ``last``."""
    return bookings_in_force().filter(first_day__lte=last, last_day__gte=first)


def bookings_to_plan(day: dt.date) -> QuerySet[Booking]:
    """O-43: what the day's route plan takes: the bookings in force on the day, or whose
    window covers it, that go on a truck (not with the installers, O-42), of orders still to
    deliver (not finished, not collected at the warehouse, not delivered)."""
    return (
        bookings_on(day, day)
        .filter(with_installers=False)
        .exclude(order__step__in=FINISHED)
        .exclude(order__self_pickup=True)
        .exclude(order__signed__has_key="deliver")
        .select_related("order")
    )


def booking_load(booking: Booking) -> Load:
    """The booked order's load, from its lines (prefetched by ``day_loads``)."""
    total = Load(ZERO, ZERO)
    for line in booking.order.lines.all():
        total += line_load(line.product, line.quantity, line.unit)
    return total


def load_share(load: Load, days: int) -> Load:
    """A window's share of its load on each of its days."""
    return Load(load.m2 / days, load.kg / days)


def day_loads(
    start: dt.date, days: int, *, trucks: list[Truck] | None = None, exclude_order: int = 0
) -> list[DayLoad]:
    """Each day from ``start``: the booked load on trucks against the fleet's capacity.
    ``exclude_order``: leave out that order's booking (it is being rebooked)."""
    last = start + dt.timedelta(days=days - 1)
    capacity = fleet_capacity(trucks)
    lines = Prefetch("order__lines", queryset=OrderLine.objects.select_related("product"))
    bookings = (
        bookings_on(start, last).filter(with_installers=False).exclude(order_id=exclude_order)
    ).prefetch_related(lines)
    every = [start + dt.timedelta(days=n) for n in range(days)]
    loads = {day: DayLoad(day, Load(ZERO, ZERO), capacity, 0) for day in every}
    for booking in bookings:
        span = (booking.last_day - booking.first_day).days + 1
        share = load_share(booking_load(booking), span)
        for n in range(span):
            day = booking.first_day + dt.timedelta(days=n)
            if day in loads:
                loads[day] = loads[day].with_added(share)
    return list(loads.values())


def days_full_with(load: Load, start: dt.date, days: int, *, exclude_order: int) -> list[DayLoad]:
    """Each day from ``start`` with the order's ``load`` added to what is booked on it (the
    order's own booking left out): the days it would fill are ``full``."""
    return [row.with_added(load) for row in day_loads(start, days, exclude_order=exclude_order)]


def first_day_with_room(
    load: Load, start: dt.date, days: int, *, exclude_order: int
) -> dt.date | None:
    """O-42: the first day from ``start`` on which the fleet has room for the order; None
    when none of the ``days`` has (book a window)."""
    rows = days_full_with(load, start, days, exclude_order=exclude_order)
    return next((row.day for row in rows if not row.full), None)


def delivery_day_annotated(orders: QuerySet[Order]) -> QuerySet[Order]:
    """``delivery_on`` (ISO text): the day agreed at measurement, else the expected one
    (orders/known.py ``delivery_agreed`` before a booking)."""
    measured = KT("signed__measure__delivery_on")
    expected = Cast("expected_delivery_on", TextField())
    return orders.annotate(delivery_on=Coalesce(measured, expected, output_field=TextField()))


TO_BOOK_ORDERINGS = {
    "day": "delivery_on", "-day": "-delivery_on", "number": "number", "-number": "-number",
    "city": "city", "-city": "-city",
}  # fmt: skip
BOOKED_ORDERINGS = {
    "day": "first_day", "-day": "-first_day", "number": "order__number",
    "-number": "-order__number", "city": "order__city", "-city": "-order__city",
    "booked_at": "booked_at", "-booked_at": "-booked_at",
}  # fmt: skip


def orders_to_book(
    *, user: User, today: dt.date, search: str = "", city: str = "", order: str = "day"
) -> QuerySet[Order]:
    """O-41: the clerk's queue: orders still to deliver, with no booking in force, whose
    delivery day is three days away or nearer (or past)."""
    orders = (
        order_visible(user)
        .exclude(step__in=FINISHED)
        .exclude(self_pickup=True)
        .exclude(signed__has_key="deliver")
        .exclude(delivery_bookings__state=IN_FORCE)
    )
    orders = delivery_day_annotated(orders).filter(
        delivery_on__lte=(today + BOOKING_AHEAD).isoformat()
    )
    if city:
        orders = orders.filter(city__icontains=city)
    if search:
        orders = orders.filter(order_matches(search))
    return orders.select_related("customer", "end_customer").order_by(
        TO_BOOK_ORDERINGS.get(order, "delivery_on"), "number"
    )


def order_matches(search: str, prefix: str = "") -> Q:
    """An order whose number, customer, homeowner or phone contains the text."""
    fields = ("number", "customer__name", "end_customer__name", "contact_phone")
    query = Q()
    for field in fields:
        query |= Q(**{f"{prefix}{field}__icontains": search})
    return query


def bookings_listed(
    *, user: User, search: str = "", city: str = "", day: dt.date | None = None,
    order: str = "day",
) -> QuerySet[Booking]:  # fmt: skip
    """The bookings in force of the orders the user may see; ``day``: on that day."""
    bookings = bookings_in_force().filter(order__in=order_visible(user))
    if day is not None:
        bookings = bookings.filter(first_day__lte=day, last_day__gte=day)
    if city:
        bookings = bookings.filter(order__city__icontains=city)
    if search:
        bookings = bookings.filter(order_matches(search, prefix="order__") | Q(told_to=search))
    return bookings.select_related("order__customer", "order__end_customer", "booked_by").order_by(
        BOOKED_ORDERINGS.get(order, "first_day"), "pk"
    )
