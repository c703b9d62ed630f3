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
