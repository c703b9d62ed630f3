"""The clerk's booking pages and API (O-41, O-42): the queue of orders to book three days
ahead, the bookings in force, one order's booking with the days' load against the fleet's
capacity; booking again with nothing changed is a no-op (no new row, no audit entry, the page
says so); the form starts on the first day with room from the expected one, and the page knows
the days the order would fill, to warn before the form is sent."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.logistics.models import Booking
from gendan.logistics.services import booking as service
from gendan.logistics.services.booking import booking_make
from gendan.logistics.tests.booking_helpers import in_days, order_to_book
from gendan.logistics.tests.factories import TruckFactory
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
JSON = "application/json"


@pytest.fixture
def clerk(roles, client):
    """The clerk signed in, with one truck of 100 m² and 3,000 kg in use."""
    TruckFactory(capacity_m2=Decimal("100"), capacity_kg=Decimal("3000"))
    client.force_login(staff(Role.CLERK))
    return client


def queue(client, **params) -> str:
    return client.get(reverse("logistics-bookings"), params).content.decode()


def book(order, first_day, **fields):
    fields.setdefault("told_to", "王先生")
    return booking_make(actor=staff(Role.CLERK), order=order, first_day=first_day, **fields)


def test_o41_the_queue_shows_an_order_three_days_ahead_not_four(clerk):
    """O-41: three days before the delivery the order is in the clerk's queue to book; four
    days before it is not yet; one past its day is there, marked."""
    # given orders to deliver in three and four days, and one whose day has passed
    three, four = order_to_book(delivery_in=3), order_to_book(delivery_in=4)
    late = order_to_book(delivery_in=-1)
    # when the clerk opens the queue
    page = queue(clerk)
    # then the one in three days and the late one are to book, the other not yet
    assert three.number in page and late.number in page
    assert four.number not in page
    assert reverse("logistics-order-book", args=[three.pk]) in page


def test_o41_a_booked_or_collected_order_leaves_the_queue(clerk):
    """O-41: an order booked, or collected at the warehouse, is not to book."""
    booked, pickup = order_to_book(delivery_in=2), order_to_book(self_pickup=True)
    book(booked, in_days(2))
    page = queue(clerk)
    assert booked.number not in page and pickup.number not in page
    # and the booked one is in the tab of bookings, found by its day
    assert booked.number in queue(clerk, tab="booked", day=in_days(2).isoformat())
    assert booked.number not in queue(clerk, tab="booked", day=in_days(3).isoformat())


def test_o41_the_home_page_counts_the_orders_to_book(clerk):
    """O-41: the clerk's home work says how many deliveries wait to be booked, with a link."""
    order_to_book(delivery_in=1)
    order_to_book(delivery_in=2)
    assert reverse("logistics-bookings-count") in clerk.get(reverse("home")).content.decode()
    part = clerk.get(reverse("logistics-bookings-count")).content.decode()
    assert "2" in part and reverse("logistics-bookings") in part


def test_o42_the_booking_page_shows_the_order_and_the_days_load(clerk):
    """O-42: the page shows the order's load and the next 14 days' booked load against the
    fleet's capacity, a full day marked."""
    # given tomorrow booked full (100 of 100 m² and one more m² is too much)
    book(order_to_book(m2="100"), in_days(1))
    order = order_to_book(m2="12")
    # when the clerk opens the order's booking page
    response = clerk.get(reverse("logistics-order-book", args=[order.pk]))
    page = response.content.decode()
    # then the load, the days and the chart's data are there
    assert "12 m² · 180 kg" in page
    assert "100 / 100" in page and 'id="booking-days"' in page
    assert len(response.context["days"]) == 14
    assert response.context["days"][1].load.m2 == Decimal("100")
    assert [row.full for row in response.context["days"]][:2] == [False, False]


def test_o42_booking_on_the_page_and_a_full_day_refused_with_a_window_offered(clerk):
    """O-42: the page books a day; a full day is refused with the message offering a window,
    and nothing is booked; the window then is booked."""
    # given tomorrow is full
    book(order_to_book(m2="95"), in_days(1))
    order = order_to_book(m2="10")
    url = reverse("logistics-order-book", args=[order.pk])
    # when the clerk books tomorrow
    response = clerk.post(url, {"first_day": in_days(1).isoformat(), "told_to": "李女士"})
    # then it is refused, saying the day is full, and nothing is booked
    assert response.status_code == 200
    assert f"O-42：{in_days(1)} 已满（" in response.content.decode()
    assert not order.delivery_bookings.exists()
    # and the window from tomorrow with the call promised is booked
    window = {"first_day": in_days(1).isoformat(), "last_day": in_days(3).isoformat(),
              "told_to": "李女士", "call_promised": "on", "window_start": "09:00"}  # fmt: skip
    assert clerk.post(url, window).status_code == 302
    booking = order.delivery_bookings.get(state=Booking.State.BOOKED)
    assert (booking.last_day, booking.call_promised) == (in_days(3), True)


def test_o41_the_booking_form_starts_from_the_booking_in_force(clerk):
    """O-41: booking again starts from what was agreed."""
    order = order_to_book()
    book(order, in_days(2), told_to="李女士")
    form = clerk.get(reverse("logistics-order-book", args=[order.pk])).context["form"]
    assert (form.initial["first_day"], form.initial["told_to"]) == (in_days(2), "李女士")


def test_o41_the_api_books_and_refuses_with_the_rule(clerk):
    """O-41, O-42: POST /api/logistics/orders/{id}/booking books (201); a window without the
    call promised is refused (422) with the rule's message."""
    order = order_to_book()
    url = f"/api/logistics/orders/{order.pk}/booking"
    window = {"first_day": str(in_days(1)), "last_day": str(in_days(3)), "told_to": "王先生"}
    refused = clerk.post(url, window, content_type=JSON)
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == str(service.WINDOW_NEEDS_CALL)
    made = clerk.post(url, window | {"call_promised": True}, content_type=JSON)
    assert made.status_code == 201
    assert made.json()["last_day"] == str(in_days(3)) and made.json()["state"] == "booked"


def test_o42_the_api_lists_bookings_and_the_days_load(clerk):
    """O-42: the bookings in force and each day's load (a window by its share) in the API."""
    order = order_to_book(m2="90")
    book(order, in_days(1), last_day=in_days(3), call_promised=True)
    listed = clerk.get("/api/logistics/bookings", {"day": str(in_days(2))}).json()
    assert [row["number"] for row in listed["items"]] == [order.number]
    days = clerk.get("/api/logistics/booking-days", {"start": str(in_days(0)), "days": 5}).json()
    assert [Decimal(row["load_m2"]) for row in days] == [0, 30, 30, 30, 0]
    assert {row["capacity_m2"] for row in days} == {"100.00"}
    assert clerk.get("/api/logistics/booking-days", {"days": 100}).status_code == 422


def form_of(day, **fields) -> dict[str, str]:
    return {"first_day": day.isoformat(), "told_to": "王先生", "call_promised": "on"} | fields


def booked_events():
    return AuditEvent.objects.filter(action__startswith="delivery.booked")


def test_o41_booking_again_with_nothing_changed_leaves_the_booking_as_it_is(clerk):
    """O-41: the same day, person and promise again: the same booking, no new row, no entry."""
    # given
    order = order_to_book(delivery_in=2)
    first = book(order, in_days(2), call_promised=True)
    events = booked_events().count()
    # when
    again = book(order, in_days(2), told_to=" 王先生 ", call_promised=True)
    # then
    assert again.pk == first.pk and again.state == Booking.State.BOOKED
    assert Booking.objects.filter(order=order).count() == 1
    assert booked_events().count() == events


def test_o41_booking_again_with_one_thing_changed_still_replaces(clerk):
    """O-41: another person told is a change: a new booking, the old one replaced."""
    order = order_to_book(delivery_in=2)
    first = book(order, in_days(2))
    second = book(order, in_days(2), told_to="王太太")
    first.refresh_from_db()
    assert second.pk != first.pk and first.state == Booking.State.REPLACED


def test_o41_the_page_says_nothing_changed_when_booked_again_the_same(clerk):
    """O-41: the clerk sends the form again unchanged: "nothing changed", no new booking."""
    # given
    order = order_to_book(delivery_in=2)
    url = reverse("logistics-order-book", args=[order.pk])
    clerk.post(url, form_of(in_days(2)))
    # when
    response = clerk.post(url, form_of(in_days(2)))
    # then
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any(text.startswith("没有变化：现行预约已是") for text in texts)
    assert Booking.objects.filter(order=order).count() == 1


def test_o41_the_api_answers_200_with_the_booking_when_nothing_changed(clerk):
    """O-41: POST the same booking twice: 201 then 200, one booking."""
    order = order_to_book(delivery_in=2)
    url = f"/api/logistics/orders/{order.pk}/booking"
    body = json.dumps({"first_day": in_days(2).isoformat(), "told_to": "王先生"})
    first = clerk.post(url, body, content_type=JSON)
    second = clerk.post(url, body, content_type=JSON)
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert Booking.objects.filter(order=order).count() == 1


def test_o42_the_form_starts_on_the_first_day_with_room_from_the_expected_one(clerk):
    """O-42: the expected day and the next are full: the form starts on the day after."""
    # given tomorrow and the day after booked full, an order of 12 m² expected tomorrow
    book(order_to_book(m2="95", delivery_in=1), in_days(1))
    book(order_to_book(m2="95", delivery_in=2), in_days(2))
    order = order_to_book(m2="12", delivery_in=1)
    # when
    page = clerk.get(reverse("logistics-order-book", args=[order.pk])).content.decode()
    # then
    assert f'name="first_day" value="{in_days(3).isoformat()}"' in page


def test_o42_the_page_knows_which_days_the_order_would_fill(clerk):
    """O-42: a day the order would fill is listed for the warning (booking.js), a day that
    still has room for it is not, whatever the table says of the day alone."""
    # given tomorrow 95 of 100 m² booked (not full alone), an order of 12 m²
    book(order_to_book(m2="95", delivery_in=1), in_days(1))
    order = order_to_book(m2="12", delivery_in=3)
    # when
    response = clerk.get(reverse("logistics-order-book", args=[order.pk]))
    # then
    chart = response.context["chart"]
    assert chart["full_with_order"] == [in_days(1).isoformat()]
    assert chart["full_warning"].startswith("O-42：加上此单，%(day)s 已满")
    assert 'id="booking-day-full"' in response.content.decode()
