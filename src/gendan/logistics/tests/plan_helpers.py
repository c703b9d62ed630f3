"""A day to plan: trucks at their warehouses and booked orders at known places, made through
the real services (orders/tests/helpers.py, the booking factory)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gendan.logistics.models import Booking, Drop, RoutePlan, Truck
from gendan.logistics.tests.booking_helpers import in_days, order_to_book
from gendan.logistics.tests.factories import BookingFactory, TruckFactory, WarehouseFactory
from gendan.orders.models import Order

# Two warehouses 40 km apart: Guangzhou's Tianhe and Dongguan.
TIANHE = (Decimal("23.135590"), Decimal("113.335367"))
DONGGUAN = (Decimal("23.020536"), Decimal("113.751765"))


def day_to_plan() -> dt.date:
    return in_days(1)


def truck_at(place: tuple[Decimal, Decimal], code: str, **fields: object) -> Truck:
    warehouse = WarehouseFactory(code=code, name=f"{code}仓", latitude=place[0], longitude=place[1])
    return TruckFactory(warehouse=warehouse, **fields)


def booked(
    day: dt.date, near: tuple[Decimal, Decimal] | None, *, m2: str = "10", step: int = 0,
    **fields: object,
) -> Booking:  # fmt: skip
    """An order of ``m2`` m² booked for ``day``, at ``near`` moved ``step`` × 1 km north-east
    (None: an address with no coordinates, in a district the table does not know)."""
    order = order_to_book(m2=m2, delivery_in=(day - in_days(0)).days)
    if near is None:
        Order.objects.filter(pk=order.pk).update(city="拉萨市", district="城关区")
    else:
        offset = Decimal("0.009") * step
        Order.objects.filter(pk=order.pk).update(
            latitude=near[0] + offset, longitude=near[1] + offset
        )
    order.refresh_from_db()
    return BookingFactory(order=order, first_day=day, **fields)


def truck_of(plan: RoutePlan, booking: Booking) -> Truck | None:
    drop = Drop.objects.select_related("route__truck").get(plan=plan, booking=booking)
    return drop.route.truck if drop.route else None
