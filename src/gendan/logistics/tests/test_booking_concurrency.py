"""O-41, O-42 with clerks booking at the same moment, on PostgreSQL with real concurrent
transactions: one booking in force per order, and a day never booked past the fleet."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gendan.accounts.roles import Role
from gendan.logistics.models import Booking
from gendan.logistics.selectors_booking import day_loads
from gendan.logistics.services.booking import booking_make
from gendan.logistics.tests.booking_helpers import in_days, order_to_book
from gendan.logistics.tests.factories import TruckFactory
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def test_o41_two_clerks_booking_one_order_at_once_leave_one_in_force(roles):
    """O-41: the same order booked by two clerks at once, each with whom they spoke: both are
    written in turn (the order's lock), the second replaces the first, one is in force."""
    # given an order and a fleet with room
    TruckFactory(capacity_m2=Decimal("300"), capacity_kg=Decimal("5000"))
    order = order_to_book()
    clerk = staff(Role.CLERK)
    told = iter(["王先生", "王太太"])

    # when two clerks book it at the same moment
    def work():
        return booking_make(actor=clerk, order=order, first_day=in_days(1), told_to=next(told))

    results = at_once(work, times=2)
    # then both went through, one after the other, and one is in force
    assert all(isinstance(result, Booking) for result in results), results
    states = sorted(order.delivery_bookings.values_list("state", flat=True))
    assert states == ["booked", "replaced"]


def test_o41_the_same_booking_sent_twice_at_once_is_written_once(roles):
    """O-41: a form sent twice at the same moment (a double tap): the second, read under the
    order's lock, finds nothing changed: one booking, no replaced row."""
    # given an order and a fleet with room
    TruckFactory(capacity_m2=Decimal("300"), capacity_kg=Decimal("5000"))
    order = order_to_book()
    clerk = staff(Role.CLERK)

    # when the same booking is made twice at the same moment
    def work():
        return booking_make(actor=clerk, order=order, first_day=in_days(1), told_to="王先生")

    results = at_once(work, times=2)
    # then both answer with the one booking in force
    assert all(isinstance(result, Booking) for result in results), results
    assert len({result.pk for result in results}) == 1
    assert list(order.delivery_bookings.values_list("state", flat=True)) == ["booked"]


def test_o42_clerks_booking_the_last_room_of_a_day_at_once_never_overbook(roles):
    """O-42: four orders of 40 m² booked at once on a day with 100 m²: two fit, two are
    refused as full, and the day's load stays within the fleet's capacity."""
    # given a truck of 100 m² and four orders of 40 m²
    TruckFactory(capacity_m2=Decimal("100"), capacity_kg=Decimal("5000"))
    orders = iter([order_to_book(m2="40") for _ in range(4)])
    clerk = staff(Role.CLERK)

    # when four clerks book them on the same day at the same moment
    def work():
        return booking_make(actor=clerk, order=next(orders), first_day=in_days(1), told_to="李")

    results = at_once(work, times=4)
    # then two are booked and two refused, and the day is not past its capacity
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 2 and all("O-42：" in error.messages[0] for error in refused)
    (day,) = day_loads(in_days(1), 1)
    assert day.load.m2 == Decimal("80") and not day.full
