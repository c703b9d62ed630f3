"""Factories for the deliveries' tests: the fleet, bookings, a day's plan, its routes and drops.
An order is made by the real services (orders/tests/helpers.py) and passed in."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.logistics.models import Booking, Driver, Drop, RoutePlan, Truck, TruckRoute
from gendan.logistics.planning.problem import PlanJob, PlanTruck
from gendan.warehouse.models import Warehouse


class WarehouseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Warehouse
        django_get_or_create = ("code",)

    code = "WH1"
    name = "总仓"
    latitude = Decimal("23.020000")
    longitude = Decimal("113.750000")


class DriverFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Driver

    user = factory.SubFactory(UserFactory, roles=[Role.DRIVER])
    phone = factory.Sequence(lambda n: f"137{n:08d}")
    shift_start = dt.time(7, 0)
    shift_end = dt.time(18, 0)


class TruckFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Truck

    plate = factory.Sequence(lambda n: f"粤S·{n:05d}")
    name = factory.Sequence(lambda n: f"{n}号车")
    capacity_m2 = Decimal("300")
    capacity_kg = Decimal("3000")
    warehouse = factory.SubFactory(WarehouseFactory)
    driver = factory.SubFactory(DriverFactory)


class RoutePlanFactory(factory.django.DjangoModelFactory):
    """A published plan (the one drivers see) for today unless told otherwise."""

    class Meta:
        model = RoutePlan
        django_get_or_create = ("day",)

    day = factory.LazyFunction(timezone.localdate)
    state = RoutePlan.State.PUBLISHED
    solver = "pyvrp"
    planned_at = factory.LazyFunction(timezone.now)
    published_at = factory.LazyFunction(timezone.now)


class TruckRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TruckRoute

    plan = factory.SubFactory(RoutePlanFactory)
    truck = factory.SubFactory(TruckFactory)
    driver = factory.SelfAttribute("truck.driver")
    departs_at = dt.time(8, 30)
    departure_rule = "O-45"


class BookingFactory(factory.django.DjangoModelFactory):
    """A booking of the order passed in, for one day."""

    class Meta:
        model = Booking

    first_day = factory.LazyFunction(timezone.localdate)
    last_day = factory.SelfAttribute("first_day")
    told_to = factory.LazyAttribute(lambda booking: booking.order.contact_name or "业主")
    booked_by = factory.SubFactory(UserFactory, roles=[Role.CLERK])


class DropFactory(factory.django.DjangoModelFactory):
    """The order passed in (``order=``), as a stop on a route, booked for the route's day."""

    class Meta:
        model = Drop

    route = factory.SubFactory(TruckRouteFactory)
    plan = factory.SelfAttribute("route.plan")
    booking = factory.SubFactory(
        BookingFactory,
        order=factory.SelfAttribute("..order"),
        first_day=factory.SelfAttribute("..plan.day"),
    )
    sequence = factory.Sequence(lambda n: n + 1)
    arrives_at = factory.LazyAttribute(
        lambda drop: (
            timezone.make_aware(dt.datetime.combine(drop.plan.day, dt.time(9, 0)))
            + dt.timedelta(minutes=30 * drop.sequence)
        )
    )
    latitude = Decimal("23.129110")
    longitude = Decimal("113.264385")
    coordinates_from = Drop.CoordinatesFrom.ADDRESS


class PlanJobFactory(factory.Factory):
    """A drop for the planner (plain numbers, no models): 1 m² and 15 kg, all day, 10 minutes
    on site, at the location passed in."""

    class Meta:
        model = PlanJob

    key = factory.Sequence(lambda n: f"J{n}")
    location = 1
    load = (100, 15)
    window = (7 * 3600, 18 * 3600)
    service = 600


class PlanTruckFactory(factory.Factory):
    """A truck for the planner: 100 m² and 1,500 kg, at location 0, working 07:00 to 18:00,
    out by 08:30 (O-45)."""

    class Meta:
        model = PlanTruck

    key = factory.Sequence(lambda n: f"T{n}")
    depot = 0
    capacity = (10_000, 1_500)
    shift = (7 * 3600, 18 * 3600)
    latest_departure = 8 * 3600 + 30 * 60


class CarrierFactory(factory.django.DjangoModelFactory):
    """An outside carrier in use (O-23)."""

    class Meta:
        model = "logistics.Carrier"

    name = factory.Sequence(lambda n: f"{n}号物流")
    phone = factory.Sequence(lambda n: f"0769-{n:07d}")
    contact = "陈经理"


class CarrierShipmentFactory(factory.django.DjangoModelFactory):
    """The order passed in (``order=``) booked with a carrier: no paper back yet (O-23)."""

    class Meta:
        model = "logistics.CarrierShipment"
        skip_postgeneration_save = True

    carrier = factory.SubFactory(CarrierFactory)
    waybill = factory.Sequence(lambda n: f"YD{n:010d}")
    freight = Decimal("380.00")
    booked_by = factory.SubFactory(UserFactory, roles=[Role.LOGISTICS])

    @factory.post_generation
    def booked_change(shipment, create: bool, extracted: object, **kwargs: object) -> None:
        """Its first status row, as shipment_book writes it."""
        if create:
            shipment.changes.create(status=shipment.status, changed_by=shipment.booked_by)


class FailedDeliveryFactory(factory.django.DjangoModelFactory):
    """The driver's report of a failed drop (O-44) of the drop passed in (``drop=``): nobody
    there, the customer's fault, just now."""

    class Meta:
        model = "logistics.FailedDelivery"

    order = factory.SelfAttribute("drop.order")
    reason = "nobody_there"
    detail = "电话无人接听"
    fault = "customer"
    reported_by = factory.SelfAttribute("drop.route.driver.user")
    reported_at = factory.LazyFunction(timezone.now)
