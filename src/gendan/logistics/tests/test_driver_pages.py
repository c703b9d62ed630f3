"""The driver's phone as pages and API (issue 14 point 6): the driver's own route in order,
what to hand over and collect at each stop, Delivered and Failed as forms, the driver's sheet
for finance (O-22), and a fixed number of queries whatever the stops."""

from __future__ import annotations

import base64
import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.catalog.units import unit_label
from gendan.logistics.collect import amount_to_collect
from gendan.logistics.models import Drop, FailedDelivery, RoutePlan
from gendan.logistics.selectors_driver import day_sheets, driver_day, driver_sheet
from gendan.logistics.services.driver import drop_deliver, drop_fail
from gendan.logistics.tests.driver_helpers import (
    drop_at_deliver,
    order_at_deliver,
    photo_jpeg,
    picked_order_at_deliver,
    signature_png,
)
from gendan.logistics.tests.factories import DropFactory, TruckRouteFactory
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db


def signed_in(client, user):
    client.force_login(user)
    return client


def route_with(count: int, **route_fields):
    """A published route of today with ``count`` stops of shipped orders, in reverse order of
    creation (so the order shown is the route's, not the rows')."""
    route = TruckRouteFactory(**route_fields)
    drops = [
        DropFactory(order=order_at_deliver(), route=route, sequence=count - index)
        for index in range(count)
    ]
    return route, drops


def test_the_driver_sees_only_their_own_route_in_order(roles, client):
    # given two drivers' routes today, and a draft plan's route tomorrow for the first
    mine, drops = route_with(3)
    theirs, _other = route_with(1)
    draft = RoutePlan.objects.create(day=mine.plan.day + dt.timedelta(days=1))
    TruckRouteFactory(plan=draft, truck=mine.truck, driver=mine.driver)
    # when the first driver opens the route
    found = driver_day(driver=mine.driver)
    page = signed_in(client, mine.driver.user).get(reverse("logistics-driver"))
    # then it has the driver's three stops in the route's order, numbered, nobody else's
    assert [stop.drop for stop in found.stops] == sorted(drops, key=lambda drop: drop.sequence)
    assert [stop.number for stop in found.stops] == [1, 2, 3]
    assert page.status_code == 200
    html = page.content.decode()
    numbers = [stop.order.number for stop in found.stops]
    assert [html.index(number) for number in numbers] == sorted(html.index(n) for n in numbers)
    assert theirs.drops.get().order.number not in html
    # and the draft plan's route is nobody's yet
    assert driver_day(driver=mine.driver, day=draft.day).stops == []


def test_another_drivers_drop_is_not_found(roles, client):
    # given a drop on someone else's route
    _route, (drop,) = route_with(1)
    other, _drops = route_with(1)
    client = signed_in(client, other.driver.user)
    # when the other driver opens its Delivered form, taps Arrived, or asks the API
    pages = [
        client.get(reverse("logistics-driver-deliver", args=[drop.pk])),
        client.post(reverse("logistics-driver-arrive", args=[drop.pk])),
        client.post(f"/api/logistics/drops/{drop.pk}/arrive"),
    ]
    # then each is 404, and the drop is untouched
    assert [page.status_code for page in pages] == [404, 404, 404]
    drop.refresh_from_db()
    assert drop.state == Drop.State.PLANNED


def test_logistics_reads_a_drivers_route_without_buttons(roles, client):
    # given a driver's route
    route, (drop,) = route_with(1)
    # when logistics opens it
    url = f"{reverse('logistics-driver')}?driver={route.driver.pk}"
    html = signed_in(client, staff(Role.LOGISTICS)).get(url).content.decode()
    # then it shows the stop, without the driver's buttons
    assert drop.order.number in html
    assert reverse("logistics-driver-deliver", args=[drop.pk]) not in html


def test_a_stop_shows_the_address_phone_hand_over_and_amount(roles, client):
    """O-22: the amount to collect is the desk's (collect.amount_to_collect); the hand-over
    names the batch and the boxes picked for the order."""
    # given a dealer's order whose boxes were picked from batch B-7
    order = picked_order_at_deliver("B-7")
    drop = DropFactory(order=order)
    # when the driver opens the route
    found = driver_day(driver=drop.route.driver)
    html = signed_in(client, drop.route.driver.user).get(reverse("logistics-driver")).content
    html = html.decode()
    # then
    (stop,) = found.stops
    (line,) = stop.lines
    unit = unit_label(Decimal("8"), order.lines.get().unit)
    assert line.batches == [f"B-7 (8 {unit})"] and line.boxes == ["B-7-001", "B-7-002"]
    assert stop.to_collect == amount_to_collect(order)
    assert f'href="tel:{order.contact_phone}"' in html
    assert "geo:23.129110,113.264385?q=" in html
    assert "https://uri.amap.com/marker?position=113.264385%2C23.129110" in html
    assert "B-7-001" in html and order.full_address in html


def test_the_page_reads_a_fixed_number_of_queries_whatever_the_stops(roles, client):
    # given one driver with 2 stops, another with 6 (each order with its picks)
    small, _drops = route_with(2)
    large, _drops = route_with(6)
    for route in (small, large):
        DropFactory(order=picked_order_at_deliver(f"B-{route.pk}"), route=route, sequence=99)

    def counted(route) -> int:
        client.force_login(route.driver.user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("logistics-driver")).status_code == 200
        return len(queries)

    # when each opens the page, then both read as many queries, and few
    assert counted(small) == counted(large) <= 20


def test_the_selector_reads_at_most_six_queries(roles, django_assert_max_num_queries):
    # given a route of 5 stops, one with picks
    route, _drops = route_with(4)
    DropFactory(order=picked_order_at_deliver(), route=route, sequence=9)
    # when the driver's day is read, then: routes, drops, lines, failed deliveries (the
    # amount to collect adds a failure's freight), reservations, picks
    with django_assert_max_num_queries(6):
        found = driver_day(driver=route.driver)
        assert len(found.stops) == 5 and all(stop.lines for stop in found.stops)


def test_o21_the_delivered_form_signs_the_deliver_step(roles, client):
    """O-21: the Delivered form (the canvas's PNG as a data URL, a photo) signs the order's
    deliver step; without a drawing it is refused on the form and nothing is signed."""
    # given a drop at its deliver step
    drop = drop_at_deliver()
    client = signed_in(client, drop.route.driver.user)
    url = reverse("logistics-driver-deliver", args=[drop.pk])
    form = client.get(url)
    assert form.status_code == 200 and b"data-signature-pad" in form.content
    # when the driver sends it without a signature, then it is refused
    refused = client.post(url, {"received_by": "王女士", "signature": ""})
    assert refused.status_code == 422 and "O-21" in refused.content.decode()
    # when with the drawing and a photo, then the step is signed
    data_url = "data:image/png;base64," + base64.b64encode(signature_png()).decode()
    photo = SimpleUploadedFile("p.jpg", photo_jpeg(), content_type="image/jpeg")
    done = client.post(url, {"received_by": "王女士", "signature": data_url, "photo": photo})
    assert done.status_code == 302
    drop.refresh_from_db()
    assert drop.state == Drop.State.DELIVERED and "deliver" in drop.order.signed


def test_o44_the_failed_form_needs_a_confirmation(roles, client):
    # given a drop
    drop = drop_at_deliver()
    client = signed_in(client, drop.route.driver.user)
    url = reverse("logistics-driver-fail", args=[drop.pk])
    fields = {"reason": "nobody_there", "fault": "customer", "detail": "无人"}
    # when sent without the confirmation, then nothing is written
    assert client.post(url, fields).status_code == 422
    assert not FailedDelivery.objects.exists()
    # when confirmed, then the drop is failed
    assert client.post(url, fields | {"confirm": "on"}).status_code == 302
    assert FailedDelivery.objects.get().drop == drop


def test_the_api_delivers_with_a_signature_file(roles, client):
    """O-21: the API's deliver takes the signature PNG as a file and signs the deliver step;
    a supermarket's drop without its receiving document is refused (409)."""
    # given a retail drop and a supermarket's drop of the same driver
    drop = drop_at_deliver()
    market = drop_at_deliver("supermarket", route=drop.route)
    client = signed_in(client, drop.route.driver.user)

    def sent(target, **fields):
        signature = SimpleUploadedFile("s.png", signature_png(), content_type="image/png")
        body = {"signature": signature, "received_by": "李", **fields}
        return client.post(f"/api/logistics/drops/{target.pk}/deliver", body)

    # when
    done, refused = sent(drop, collected="12.50"), sent(market)
    # then
    assert done.status_code == 200 and done.json()["state"] == "delivered"
    assert done.json()["collected"] == "12.50"
    assert refused.status_code == 409 and "O-21" in " ".join(refused.json()["detail"])
    route = client.get("/api/logistics/driver/route").json()
    assert [stop["state"] for stop in route["stops"]] == ["delivered", "planned"]
    assert route["stops"][1]["receiving_document_needed"] is True


def test_o22_the_sheet_totals_notes_signed_and_cash(roles, client):
    """O-22: the driver's sheet counts the notes signed, the cash to collect and collected,
    and what is short at the delivered stops; finance reads every driver's sheet of the day."""
    # given three stops of a driver: delivered with 50 less than due, failed, not done
    delivered = drop_at_deliver("dealer", terms="on_delivery", install=True)
    route = delivered.route
    failed, waiting = drop_at_deliver(route=route), drop_at_deliver(route=route)
    due = [amount_to_collect(drop.order) for drop in (delivered, failed, waiting)]
    driver = route.driver.user
    drop_deliver(
        actor=driver, drop=delivered, received_by="李", signature_png=signature_png(),
        collected=due[0] - Decimal("50"),
    )  # fmt: skip
    drop_fail(actor=driver, drop=failed, reason="nobody_there", detail="", fault="customer")
    # when the sheet is read
    sheet = driver_sheet(driver=route.driver)
    # then
    assert (sheet.signed, sheet.failed, sheet.open) == (1, 1, 1)
    assert sheet.to_collect == due[0] + due[2]
    assert sheet.collected == due[0] - Decimal("50") and sheet.short == Decimal("50")
    # and finance reads it among the day's sheets, by page and API
    assert [found.driver for found in day_sheets(day=sheet.day)] == [route.driver]
    finance = signed_in(client, staff(Role.FINANCE))
    page = finance.get(reverse("logistics-sheets-day", args=[sheet.day.isoformat()]))
    assert page.status_code == 200 and b"@media print" not in page.content
    api = finance.get(f"/api/logistics/sheets/{sheet.day.isoformat()}").json()
    assert api[0]["signed"] == 1 and Decimal(api[0]["short"]) == Decimal("50")
    # but the warehouse, which follows routes, does not read the money sheets
    assert (
        signed_in(client, staff(Role.WAREHOUSE))
        .get(reverse("logistics-sheets-day", args=[sheet.day.isoformat()]))
        .status_code
        == 403
    )


def test_a_driver_signature_is_served_as_a_png(roles, client):
    # given a delivered drop
    drop = drop_at_deliver()
    drop_deliver(actor=drop.route.driver.user, drop=drop, received_by="李",
                 signature_png=signature_png())  # fmt: skip
    # when finance opens its signature, then it is the PNG, not to be run
    answer = signed_in(client, staff(Role.FINANCE)).get(
        reverse("logistics-drop-signature", args=[drop.pk])
    )
    assert answer["Content-Type"] == "image/png"
    assert b"".join(answer.streaming_content).startswith(b"\x89PNG")
