"""Booking a delivery with the customer (O-41, O-42): a day, or a window of 3 to 5 days with a
call the day before when the day is full; before the installation; small orders with the
installers; one booking in force per order, ended by the delivery or the cancellation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.documents.tests.helpers import walked_to
from gendan.logistics.loads import Load
from gendan.logistics.models import Booking
from gendan.logistics.selectors_booking import bookings_to_plan, day_loads
from gendan.logistics.services import booking as service
from gendan.logistics.services.booking import booking_make
from gendan.logistics.tests.booking_helpers import in_days, order_to_book
from gendan.logistics.tests.factories import BookingFactory, TruckFactory
from gendan.orders.services.cancel import order_cancel
from gendan.orders.services.steps import order_step_complete
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def fleet(roles):
    """One truck in use: 100 m² of boards, 3,000 kg (the day is full by area first)."""
    return [TruckFactory(capacity_m2=Decimal("100"), capacity_kg=Decimal("3000"))]


def book(order, first_day, **fields):
    fields.setdefault("told_to", "王先生")
    return booking_make(actor=staff(Role.CLERK), order=order, first_day=first_day, **fields)


def refusal(call) -> list[str]:
    with pytest.raises(ValidationError) as refused:
        call()
    return refused.value.messages


def test_o41_the_booking_records_the_day_whom_and_the_call(fleet):
    """O-41: booking records the day agreed, with whom, the call promised and who booked it,
    in the audit log too."""
    # given an order to deliver in three days
    order = order_to_book()
    # when the clerk books that day with the homeowner
    booking = book(order, in_days(3), call_promised=True, note="下午有人")
    # then it is the order's booking in force, for that day only
    assert (booking.state, booking.first_day, booking.last_day) == (
        "booked",
        in_days(3),
        in_days(3),
    )
    assert (booking.told_to, booking.call_promised, booking.note) == ("王先生", True, "下午有人")
    assert booking.booked_by == staff(Role.CLERK)
    event = AuditEvent.objects.get(action="delivery.booked", target_id=str(order.pk))
    assert event.changes["told_to"] == "王先生"


def test_o41_booking_again_replaces_the_booking_in_force(fleet):
    """O-41: an order has one booking in force: a new day agreed replaces the old."""
    # given an order booked for tomorrow
    order = order_to_book()
    first = book(order, in_days(1))
    # when the customer agrees another day
    second = book(order, in_days(2), told_to="李女士")
    # then the first is replaced and the second is in force
    first.refresh_from_db()
    assert first.state == Booking.State.REPLACED
    assert list(order.delivery_bookings.filter(state="booked")) == [second]
    event = AuditEvent.objects.filter(action="delivery.booked").latest("pk")
    assert event.changes["replaces"] == [str(in_days(1)), str(in_days(1))]


@pytest.mark.parametrize(("days", "accepted"), [(2, False), (3, True), (5, True), (6, False)])
def test_o42_a_window_is_three_to_five_days(fleet, days, accepted):
    """O-42: when the days are busy the booking is a window of 3 to 5 days."""
    # given an order to book
    order = order_to_book(delivery_in=2, install_in=20, install=True)
    first, last = in_days(1), in_days(days)

    # when the clerk books a window of that many days, promising the call
    def make():
        return book(order, first, last_day=last, call_promised=True)

    # then only 3 to 5 days are accepted
    if accepted:
        assert make().is_window
    else:
        assert refusal(make) == [service.WINDOW_LENGTH % {"days": days}]
        assert not order.delivery_bookings.exists()


def test_o42_a_window_needs_the_promise_of_a_call(fleet):
    """O-42: a window is booked only with the promise of a call the day before."""
    order = order_to_book()
    messages = refusal(lambda: book(order, in_days(1), last_day=in_days(3)))
    assert messages == [service.WINDOW_NEEDS_CALL]
    assert not order.delivery_bookings.exists()


def test_o42_a_full_day_is_refused_and_a_window_offered(fleet):
    """O-42: a day whose booked load would pass the fleet's capacity is refused, saying it
    is full and offering a window; the window on that day is accepted."""
    # given 95 m² booked for tomorrow on a fleet of 100 m²
    book(order_to_book(m2="95"), in_days(1))
    order = order_to_book(m2="10")
    # when the clerk books 10 m² more for tomorrow
    messages = refusal(lambda: book(order, in_days(1)))
    # then it is refused: the day is full, book a window
    full = {"day": in_days(1), "m2": Decimal("105.00"), "capacity_m2": Decimal("100.00"),
            "kg": Decimal("1575.0"), "capacity_kg": Decimal("3000.0")}  # fmt: skip
    assert messages == [service.DAY_FULL % full]
    assert not order.delivery_bookings.exists()
    # and a window from that day, with the call promised, is accepted
    window = book(order, in_days(1), last_day=in_days(3), call_promised=True)
    assert window.state == Booking.State.BOOKED


def test_o42_a_window_counts_its_share_on_each_day(fleet):
    """O-42: a window's load is spread evenly over its days on the capacity chart, so a
    90 m² window over three days leaves a day room for 60 m² more."""
    # given 90 m² booked over three days from tomorrow
    book(order_to_book(m2="90"), in_days(1), last_day=in_days(3), call_promised=True)
    # when the days are read
    loads = day_loads(in_days(1), 4)
    # then each of the three days carries a third, the fourth nothing
    assert [row.load.m2 for row in loads] == [Decimal("30")] * 3 + [Decimal("0")]
    assert [row.bookings for row in loads] == [1, 1, 1, 0]
    # and a single day of 60 m² still fits, one of 71 m² does not
    book(order_to_book(m2="60"), in_days(2))
    messages = refusal(lambda: book(order_to_book(m2="11"), in_days(2)))
    assert messages[0].startswith("O-42：") and str(in_days(2)) in messages[0]


def test_o42_no_truck_in_use_no_day_has_room(roles):
    """O-42: with no truck in use a single day cannot be booked; a window can."""
    order = order_to_book()
    assert refusal(lambda: book(order, in_days(1))) == [service.NO_FLEET]
    assert book(order, in_days(1), last_day=in_days(3), call_promised=True).is_window


def test_o42_the_delivery_arrives_before_the_installation(fleet):
    """O-42: a delivery only has to arrive before the installation: a day after the
    installation day is refused naming it; the installation day itself is accepted."""
    # given an order to install in four days
    order = order_to_book(install=True, delivery_in=3, install_in=4)
    # when the clerk books the day after, or a window ending after it
    late = refusal(lambda: book(order, in_days(5)))
    window = refusal(lambda: book(order, in_days(2), last_day=in_days(5), call_promised=True))
    # then both are refused naming the installation day
    assert late == window == [service.AFTER_INSTALL % {"day": in_days(4)}]
    assert book(order, in_days(4)).first_day == in_days(4)


@override_settings(GENDAN_SMALL_ORDER_M2=Decimal("15"))
@pytest.mark.parametrize(("m2", "accepted"), [("15", True), ("16", False)])
def test_o42_only_a_small_order_goes_with_the_installers(fleet, m2, accepted):
    """O-42: a small order (up to GENDAN_SMALL_ORDER_M2) may go with the installers; it takes
    no room on the trucks and is left out of the route plan."""
    # given an order to install, of 15 or 16 m², on a day the trucks are full
    book(order_to_book(m2="100"), in_days(2))
    order = order_to_book(install=True, m2=m2)

    # when the clerk books it with the installers on that day
    def make():
        return book(order, in_days(2), with_installers=True)

    # then the small one is booked (full day or not) and not planned on a truck
    if accepted:
        booking = make()
        assert booking.with_installers
        assert booking not in bookings_to_plan(in_days(2))
        assert day_loads(in_days(2), 1)[0].load == Load(Decimal("100"), Decimal("1500"))
    else:
        limit = {"limit": Decimal("15"), "m2": Decimal("16.00")}
        assert refusal(make) == [service.INSTALLERS_TOO_BIG % limit]


def test_o42_an_order_without_installation_does_not_go_with_installers(fleet):
    """O-42: only an order that is installed can go with the installers."""
    order = order_to_book(install=False)
    messages = refusal(lambda: book(order, in_days(1), with_installers=True))
    assert messages == [service.INSTALLERS_NO_INSTALL]


def test_o41_a_past_day_and_a_missing_name_are_refused(fleet):
    """O-41: the booking is for today or later, and says with whom it was agreed."""
    order = order_to_book()
    assert refusal(lambda: book(order, in_days(-1))) == [service.DAY_PAST % {"day": in_days(-1)}]
    assert refusal(lambda: book(order, in_days(1), told_to="  ")) == [service.TOLD_TO_MISSING]
    assert book(order, in_days(0)).first_day == in_days(0)


def test_someone_there_until_is_after_from(fleet):
    """O-43: the time someone is there to sign and pay ends after it starts."""
    import datetime as dt

    order = order_to_book()
    times = {"window_start": dt.time(14), "window_end": dt.time(9)}
    assert refusal(lambda: book(order, in_days(1), **times)) == [service.TIMES_REVERSED]


def test_o41_a_self_pickup_or_a_cancelled_order_is_not_booked(fleet):
    """O-41: nothing is booked for an order the customer collects, or one cancelled."""
    pickup = order_to_book(self_pickup=True)
    assert refusal(lambda: book(pickup, in_days(1))) == [service.SELF_PICKUP]
    cancelled = order_cancel(actor=staff(Role.CLERK), order=order_to_book(), reason="重复录入")
    assert refusal(lambda: book(cancelled, in_days(1))) == [service.ORDER_FINISHED]


def test_o41_cancelling_the_order_cancels_its_booking(fleet):
    """O-41: a cancelled order's booking is cancelled (CANCEL_WORK): nothing left to plan."""
    # given a booked order
    order = order_to_book()
    booking = book(order, in_days(1))
    # when the order is cancelled
    order_cancel(actor=staff(Role.CLERK), order=order, reason="客户取消")
    # then its booking is cancelled, and out of the day's plan
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert not bookings_to_plan(in_days(1)).exists()
    assert AuditEvent.objects.filter(action="delivery.booking_cancelled").count() == 1


def test_o41_signing_the_delivery_marks_the_booking_delivered(fleet):
    """O-41, O-21: when the deliver step is signed the booking in force is delivered, and a
    delivered order is not booked again."""
    # given an order shipped and booked for today
    order = walked_to(order_to_book(), "deliver")
    booking = book(order, in_days(0))
    # when the driver has the customer sign the delivery note
    order = order_step_complete(
        actor=staff(Role.DRIVER), order=order, step="deliver", data={"received_by": "王先生"}
    )
    # then the booking is delivered, and booking again is refused
    booking.refresh_from_db()
    assert booking.state == Booking.State.DELIVERED
    assert refusal(lambda: book(order, in_days(1))) == [service.ALREADY_DELIVERED]


def test_o41_an_order_has_one_booking_in_force_even_written_directly(fleet):
    """O-41: the database holds one booking in force per order (a constraint): a second one
    written past the service fails; replaced ones may be many."""
    order = order_to_book()
    BookingFactory(order=order, state=Booking.State.REPLACED)
    BookingFactory(order=order, state=Booking.State.REPLACED)
    BookingFactory(order=order)
    with pytest.raises(IntegrityError), transaction.atomic():
        BookingFactory(order=order, first_day=in_days(1), last_day=in_days(1))


def test_o41_the_delivery_note_starts_from_the_booking(fleet, client):
    """O-41: the booked day goes on the delivery note: its form starts from the booking's
    day and whom it was agreed with."""
    # given an order at the delivery note, booked in two days with 李女士
    order = walked_to(order_to_book(delivery_in=5), "delivery_note")
    book(order, in_days(2), told_to="李女士")
    # when the clerk opens the order
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    # then the note's day and name are the booking's
    day = page.split('name="record-delivery_booked_for"')[1].split(">")[0]
    name = page.split('name="record-booked_with"')[1].split(">")[0]
    assert f'value="{in_days(2).isoformat()}"' in day
    assert 'value="李女士"' in name
