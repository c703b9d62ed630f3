"""The only place logistics locks rows. A drop is locked before the order it delivers (the
transition service locks the order after), always in that order, so a driver's tap and a
planner's move queue on the drop and never deadlock."""

from __future__ import annotations

from gendan.logistics.models import (
    CarrierShipment,
    DistrictZone,
    Driver,
    Drop,
    FailedDelivery,
    RoutePlan,
    Truck,
)
from gendan.orders.models import Order
from gendan.orders.services.steps import order_lock


def drop_lock(pk: int) -> Drop:
    """The drop, locked for the rest of the transaction, with its route, driver and order."""
    return (
        Drop.objects.select_for_update(of=("self",))
        .select_related("route__driver", "route__plan", "order")
        .get(pk=pk)
    )


def booking_lock(order_pk: int) -> tuple[Order, list[Truck]]:
    """O-42: the order, then the trucks in use by pk: two clerks booking the same day take
    turns, so the second reads the first's load against the same capacity."""
    order = order_lock(order_pk)
    trucks = list(Truck.objects.select_for_update().filter(is_active=True).order_by("pk"))
    return order, trucks


def plan_lock(day) -> RoutePlan:
    """The day's plan (made if there is none yet), locked: planning, moving a drop, pinning,
    publishing and reopening take turns. The plan is locked before its drops."""
    RoutePlan.objects.get_or_create(day=day)
    return RoutePlan.objects.select_for_update().get(day=day)


def shipment_lock(pk: int) -> CarrierShipment:
    """O-23: the carrier shipment, locked (before its order, as a drop is): its status, its
    papers and the freight's payment take turns, so the freight is paid once, on what is in."""
    return (
        CarrierShipment.objects.select_for_update(of=("self",))
        .select_related("order", "carrier")
        .get(pk=pk)
    )


def truck_lock(pk: int) -> Truck:
    """The truck, locked: an edit waits for a booking reading the fleet's capacity, and the
    other way round."""
    return Truck.objects.select_for_update().get(pk=pk)


def driver_lock(pk: int) -> Driver:
    return Driver.objects.select_for_update().get(pk=pk)


def zone_lock(city: str, district: str) -> DistrictZone | None:
    """The district's zone row if it is listed, locked (two editors of it take turns)."""
    return DistrictZone.objects.select_for_update().filter(city=city, district=district).first()


def failure_lock(pk: int) -> FailedDelivery:
    """A failed delivery, locked before its order (O-44): two people following it up take
    turns, and the second finds what the first did."""
    return (
        FailedDelivery.objects.select_for_update(of=("self",))
        .select_related("order", "drop", "rebooking")
        .get(pk=pk)
    )
