"""Preparing an order (O-18, O-58): boxes picked by their label from the reserved batch only,
goods without labels by quantity, the checks of each product; the work list and the pick
list by day."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.tests.helpers import staff
from gendan.warehouse.models import LoadingRun, LoadingRunOrder, Pick, PickCheck, Reservation
from gendan.warehouse.selectors_picking import picklist, to_prepare, work_rows
from gendan.warehouse.services.picking import (
    CHECKS,
    NOT_PICKED_YET,
    NOTE_NEEDED,
    PACKAGE_GONE,
    PACKAGE_PICKED,
    PACKAGE_UNKNOWN,
    PLACE_WRONG,
    QUANTITY_WRONG,
    WRONG_BATCH,
    WRONG_PRODUCT,
    package_pick,
    pick_check_record,
    pick_undo,
    quantity_pick,
)
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product
from gendan.warehouse.tests.picking import at_ship, boxes

pytestmark = pytest.mark.django_db
ALL_PASSED = dict.fromkeys(CHECKS, True)


def warehouse():
    return staff(Role.WAREHOUSE)


def two_batches(quantity: str = "10"):
    """An order reserved from B-OK (the snug fit); B-OTHER of the same product beside it."""
    product = stocked_product()
    reserved = batch_received(product, "B-OK", "12")
    other = batch_received(product, "B-OTHER", "100")
    order = at_ship(product, quantity)
    assert Reservation.objects.get(order=order).batch == reserved
    return order, boxes(reserved, 3, "4"), boxes(other, 2, "4")


def refused_text(call) -> str:
    with pytest.raises(ValidationError) as refused:
        call()
    return " ".join(refused.value.messages)


def test_o58_a_box_of_another_batch_is_refused_naming_both_batches(roles):
    """O-58: the box scanned is of another batch than the one the line is reserved from: it is
    refused on the spot, with the batch expected and the batch scanned; nothing is picked."""
    # given
    order, _ours, theirs = two_batches()
    # when
    text = refused_text(lambda: package_pick(actor=warehouse(), order=order, code=theirs[0].code))
    # then
    assert text == str(WRONG_BATCH % {
        "code": theirs[0].code, "scanned": "B-OTHER", "expected": "B-OK",
        "product": theirs[0].batch.product,
    })  # fmt: skip
    assert not Pick.objects.exists()


def test_o58_boxes_of_the_reserved_batch_are_picked_the_last_one_opened(roles):
    """O-58: each box of the reserved batch is picked from its place; 10 m² from boxes of 4:
    two whole and 2 m² of the third."""
    order, ours, _theirs = two_batches("10")
    for box in ours:
        package_pick(actor=warehouse(), order=order, code=box.code.lower())
    picks = list(Pick.objects.order_by("pk").values_list("package__code", "quantity", "location"))
    assert picks == [
        (ours[0].code, Decimal("4"), ours[0].location_id),
        (ours[1].code, Decimal("4"), ours[1].location_id),
        (ours[2].code, Decimal("2"), ours[2].location_id),
    ]


def test_a_line_picked_in_full_takes_no_more_boxes(roles):
    order, ours, _theirs = two_batches("8")
    package_pick(actor=warehouse(), order=order, code=ours[0].code)
    package_pick(actor=warehouse(), order=order, code=ours[1].code)
    text = refused_text(lambda: package_pick(actor=warehouse(), order=order, code=ours[2].code))
    assert "B-OK" in text and Pick.objects.count() == 2


def test_unknown_gone_already_picked_and_foreign_boxes_are_refused(roles):
    """A label no box has, a box that left, one another order holds, another product's."""
    # given
    order, ours, _theirs = two_batches()
    stranger = boxes(batch_received(stocked_product(), "B-ELSE", "8"), 1, "4")[0]
    ours[2].gone_at = timezone.now()
    ours[2].save()
    package_pick(actor=warehouse(), order=order, code=ours[0].code)
    second = at_ship(ours[0].batch.product, "1")
    pick = lambda code, on=order: package_pick(actor=warehouse(), order=on, code=code)  # noqa: E731
    # then
    assert refused_text(lambda: pick("NO-SUCH")) == str(PACKAGE_UNKNOWN % {"code": "NO-SUCH"})
    assert refused_text(lambda: pick(ours[2].code)) == str(PACKAGE_GONE % {"code": ours[2].code})
    assert refused_text(lambda: pick(ours[0].code, second)) == str(
        PACKAGE_PICKED % {"code": ours[0].code, "order": order.number}
    )
    assert refused_text(lambda: pick(stranger.code)) == str(WRONG_PRODUCT % {
        "code": stranger.code, "product": stranger.batch.product, "scanned": "B-ELSE",
    })  # fmt: skip
    assert Pick.objects.count() == 1


def test_goods_without_labels_are_picked_by_quantity_from_a_place_holding_the_batch(roles):
    """Unlabelled goods: a quantity from a place; a place that does not hold enough of the
    reserved batch (the other batch's place) is refused."""
    # given
    product = stocked_product()
    shelf, other_shelf = location("A-01"), location("B-02")
    batch = batch_received(product, "B-1", "12", place=shelf)
    batch_received(product, "B-2", "300", place=other_shelf)
    order = at_ship(product, "10")
    line = Reservation.objects.get(order=order)
    pick = lambda place, quantity: quantity_pick(  # noqa: E731
        actor=warehouse(), order=order, reservation_id=line.pk, location_id=place.pk,
        quantity=Decimal(quantity),
    )  # fmt: skip
    # when
    refused = refused_text(lambda: pick(other_shelf, "10"))
    pick(shelf, "10")
    # then
    assert refused == str(PLACE_WRONG % {
        "location": other_shelf, "quantity": "10", "unit": product.get_unit_display(),
        "batch": "B-1",
    })  # fmt: skip
    assert Pick.objects.get().reservation.batch == batch
    assert refused_text(lambda: pick(shelf, "1")) == str(  # nothing is left to pick
        QUANTITY_WRONG % {"left": "0", "unit": product.get_unit_display()}
    )


def test_a_pick_taken_back_frees_its_box(roles):
    order, ours, _theirs = two_batches()
    pick = package_pick(actor=warehouse(), order=order, code=ours[0].code)
    pick_undo(actor=warehouse(), order=order, pick_id=pick.pk)
    assert not Pick.objects.exists()
    assert package_pick(actor=warehouse(), order=order, code=ours[0].code).package == ours[0]


def test_o58_checks_need_a_box_picked_and_a_note_when_one_fails(roles):
    """O-58: a box is opened to compare the colour: not before something is picked; a check
    not passed says what was found."""
    order, ours, _theirs = two_batches()
    product = ours[0].batch.product
    record = lambda checks, note="": pick_check_record(  # noqa: E731
        actor=warehouse(), order=order, product=product, checks=checks, note=note
    )
    assert refused_text(lambda: record(ALL_PASSED)) == str(NOT_PICKED_YET % {"product": product})
    package_pick(actor=warehouse(), order=order, code=ours[0].code)
    assert refused_text(lambda: record({**ALL_PASSED, "size_ok": False})) == str(NOTE_NEEDED)
    record({**ALL_PASSED, "size_ok": False}, note="17 mm expected, 15 mm found")
    record(ALL_PASSED)
    check = PickCheck.objects.get()
    assert (check.size_ok, check.checked_by) == (True, warehouse())


def test_only_the_warehouse_picks(roles):
    order, ours, _theirs = two_batches()
    with pytest.raises(PermissionDenied):
        package_pick(actor=staff(Role.CLERK), order=order, code=ours[0].code)


def test_o58_the_phone_page_refuses_a_wrong_box_in_the_lines_it_sends_back(client, roles):
    """O-58: the scan form (htmx) gets the order's lines back, with the refusal in them."""
    # given
    order, ours, theirs = two_batches()
    client.force_login(warehouse())
    url = reverse("warehouse-pick-scan", args=[order.pk])
    # when
    wrong = client.post(url, {"code": theirs[0].code}, headers={"HX-Request": "true"})
    right = client.post(url, {"code": ours[0].code}, headers={"HX-Request": "true"})
    page = client.get(reverse("warehouse-order-pick", args=[order.pk]))
    # then
    assert 'role="alert"' in wrong.content.decode() and "B-OTHER" in wrong.content.decode()
    assert ours[0].code in right.content.decode() and 'role="alert"' not in right.content.decode()
    assert page.status_code == 200 and ours[0].code in page.content.decode()


def test_o61_the_work_list_puts_urgent_self_pickups_first_and_flags_late_notes(roles):
    """O-18, O-61: the notes to prepare: a self-pickup first, marked urgent; then by delivery
    day; a note that came less than a day before its delivery is flagged."""
    # given
    product = stocked_product()
    batch_received(product, "B-1", "100")
    later, sooner = at_ship(product, "5"), at_ship(product, "5")
    pickup = at_ship(product, "5", self_pickup=True)
    now = timezone.now()
    booked(later, now + dt.timedelta(days=5), now)
    booked(sooner, now + dt.timedelta(days=2), now)
    booked(pickup, now + dt.timedelta(days=9), now + dt.timedelta(days=8, hours=12))
    # when
    rows = work_rows(list(to_prepare(warehouse())))
    # then
    assert [row.order for row in rows] == [pickup, sooner, later]
    assert [(row.urgent, row.late_note) for row in rows] == [
        (True, True),
        (False, False),
        (False, False),
    ]


def booked(order: Order, day: dt.datetime, note_at: dt.datetime) -> None:
    note = {**order.signed["delivery_note"], "at": note_at.isoformat()}
    note["delivery_booked_for"] = timezone.localdate(day).isoformat()
    Order.objects.filter(pk=order.pk).update(signed={**order.signed, "delivery_note": note})


def test_the_pick_list_sums_a_days_orders_by_product_batch_and_location(roles):
    """What to pick for one day: the reservations of that day's orders summed by product,
    batch and location (a batch on two shelves is taken from the first until it is empty);
    another day's orders are not in it."""
    # given
    product = stocked_product()
    batch = batch_received(product, "B-1", "30", place=location("A-01"))
    batch_received(product, "B-1", "50", place=location("A-02"))
    orders = [at_ship(product, quantity) for quantity in ("20", "25", "3")]
    day = timezone.localdate() + dt.timedelta(days=1)
    for order in orders[:2]:
        booked(order, timezone.now() + dt.timedelta(days=1), timezone.now())
    booked(orders[2], timezone.now() + dt.timedelta(days=4), timezone.now())
    # when
    rows = picklist(warehouse(), day)
    # then
    assert [(r.batch, r.location.code, r.quantity, r.order_numbers) for r in rows] == [
        (batch, "A-01", Decimal("30"), sorted([orders[0].number, orders[1].number])),
        (batch, "A-02", Decimal("15"), [orders[1].number]),
    ]


def test_o58_the_api_refuses_a_wrong_box_and_picks_the_right_one(client, roles):
    """O-58 in the API: another batch's box is refused (422, both batches named); the
    reserved batch's box is picked (201); then the product's checks are recorded."""
    # given
    order, ours, theirs = two_batches("4")
    client.force_login(warehouse())
    url = f"/api/warehouse/orders/{order.pk}/picks"
    # when
    wrong = client.post(url, {"code": theirs[0].code}, content_type="application/json")
    right = client.post(url, {"code": ours[0].code}, content_type="application/json")
    checked = client.post(
        f"/api/warehouse/orders/{order.pk}/checks",
        {"product_id": ours[0].batch.product_id, **ALL_PASSED}, content_type="application/json",
    )  # fmt: skip
    # then
    assert wrong.status_code == 422
    assert "B-OTHER" in wrong.json()["detail"][0]["msg"]
    assert "B-OK" in wrong.json()["detail"][0]["msg"]
    assert right.status_code == 201
    assert right.json() | {"id": 0} == {
        "id": 0, "package": ours[0].code, "batch": "B-OK", "location": str(ours[0].location),
        "quantity": "4.000",
    }  # fmt: skip
    assert checked.status_code == 201 and PickCheck.objects.get(order=order).size_ok


def test_the_api_lists_the_notes_to_prepare_and_the_days_pick_list(client, roles):
    # given
    product = stocked_product()
    batch_received(product, "B-1", "30", place=location("A-01"))
    urgent = at_ship(product, "5", self_pickup=True)
    later = at_ship(product, "7")
    tomorrow = timezone.now() + dt.timedelta(days=1)
    booked(urgent, tomorrow + dt.timedelta(days=3), timezone.now())
    booked(later, tomorrow, timezone.now())
    client.force_login(staff(Role.CLERK))
    # when
    work = client.get("/api/warehouse/work").json()
    day = timezone.localdate(tomorrow).isoformat()
    picks = client.get(f"/api/warehouse/picklist?date={day}").json()
    # then
    assert [(row["number"], row["urgent"]) for row in work["items"]] == [
        (urgent.number, True),
        (later.number, False),
    ]
    later_row = work["items"][1]
    assert (work["count"], later_row["held"], later_row["picked"]) == (2, "7", "0")
    assert picks == [{
        "sku": product.sku, "batch": "B-1", "location": "WH1/A-01", "quantity": "7.000",
        "orders": [later.number],
    }]  # fmt: skip


def test_the_order_page_leads_the_warehouse_to_picking_once_the_note_is_made(client, roles):
    order, _ours, _theirs = two_batches()
    client.force_login(warehouse())
    panel = client.get(reverse("warehouse-order-panel", args=[order.pk])).content.decode()
    client.force_login(staff(Role.CLERK))
    clerk_panel = client.get(reverse("warehouse-order-panel", args=[order.pk])).content.decode()
    pick_url = reverse("warehouse-order-pick", args=[order.pk])
    assert pick_url in panel and pick_url not in clerk_panel


def test_o61_the_work_list_page_marks_the_self_pickup_urgent_and_links_to_picking(client, roles):
    """O-18, O-61: on the work list page the customer collecting is first and marked urgent;
    the day's pick list page shows the batch and shelf to take it from."""
    # given
    product = stocked_product()
    batch_received(product, "B-7", "30", place=location("C-03"))
    plain, pickup = at_ship(product, "5"), at_ship(product, "6", self_pickup=True)
    tomorrow = timezone.now() + dt.timedelta(days=1)
    booked(plain, tomorrow, timezone.now())
    booked(pickup, tomorrow, timezone.now())
    client.force_login(warehouse())
    # when
    work = client.get(reverse("warehouse-work")).content.decode()
    day = timezone.localdate(tomorrow).isoformat()
    picks = client.get(reverse("warehouse-picklist"), {"date": day}).content.decode()
    # then
    assert work.index(pickup.number) < work.index(plain.number)
    assert work.count('<mark class="urgent">') == 1
    assert reverse("warehouse-order-pick", args=[pickup.pk]) in work
    assert "B-7" in picks and "C-03" in picks and "11" in picks


def test_o43_the_pick_lists_truck_names_the_homeowner_first_then_the_ordering_customer(
    client, roles
):
    """O-43: on a truck's loading run an order through a supermarket shows the homeowner the
    goods go to (as the plan and the call list do), then the supermarket it is for."""
    # given a supermarket's order for a homeowner on tomorrow's truck
    product = stocked_product()
    batch_received(product, "B-1", "30")
    order = at_ship(product, "5")
    day = timezone.localdate() + dt.timedelta(days=1)
    run = LoadingRun.objects.create(day=day, label="粤A·D1001", made_by=warehouse())
    LoadingRunOrder.objects.create(run=run, order=order, sequence=1)
    client.force_login(warehouse())
    # when the warehouse opens tomorrow's pick list
    page = client.get(reverse("warehouse-picklist"), {"date": day.isoformat()}).content.decode()
    # then the run names the homeowner, then the supermarket it is for
    section = page[page.index('class="loading-run"') :]
    homeowner, customer = order.end_customer.name, order.customer.name
    assert section.index(homeowner) < section.index(f"经{customer}订货")
