"""The stock pages: stock by product, batch and place with the moves behind each figure;
moves and write-offs by the warehouse; low stock; and the same in the API."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.audit.models import AuditEvent
from gendan.orders.tests.helpers import order_registered, scenario, staff
from gendan.parties.tests.factories import CustomerFactory, DealerFactory
from gendan.warehouse.models import Location, Reservation, StockLevel, StockMove
from gendan.warehouse.services.ledger import HELD_FOR_ORDERS
from gendan.warehouse.services.moves import REASON_REQUIRED, stock_move, stock_write_off
from gendan.warehouse.services.recount import stock_differences
from gendan.warehouse.services.reservations import order_reserve
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product
from gendan.warehouse.tests.shipping import order_shipped_out

pytestmark = pytest.mark.django_db


def client_of(role: Role) -> Client:
    client = Client()
    client.force_login(staff(role))
    return client


def level_of(batch, place) -> Decimal:
    row = StockLevel.objects.filter(batch=batch, location=place).first()
    return row.on_hand if row else Decimal("0")


def reserved_order(product, quantity: str):
    order = scenario("project", product=product, quantity=quantity)
    order_reserve(order=order, actor=staff(Role.CLERK))
    return order


def test_the_stock_page_shows_each_product_on_hand_reserved_and_available(roles):
    # given 100 of one batch and 40 of another, 30 of it reserved for an order
    product = stocked_product(sku="BAMBOO-ST")
    batch_received(product, "B-1", "100")
    batch_received(product, "B-2", "40")
    reserved_order(product, "30")
    # when the warehouse opens the stock page
    page = client_of(Role.WAREHOUSE).get(reverse("warehouse-stock")).content.decode()
    # then the product shows 140 on hand, 30 reserved, 110 available
    row = page[page.index("BAMBOO-ST") :]
    row = row[: row.index("</tr>")]
    assert [figure in row for figure in ("140", "30", "110")] == [True, True, True]
    assert reverse("warehouse-stock") in page  # the menu's Warehouse entry


def test_stock_is_searched_by_batch_number_and_filtered_by_kind_of_place(roles):
    shown, hidden = stocked_product(sku="SKU-SHOWN"), stocked_product(sku="SKU-HIDDEN")
    batch_received(shown, "LOT-2026-77", "10")
    batch_received(hidden, "LOT-OTHER", "10", place=location("S-01", Location.Kind.SECONDS))
    client = client_of(Role.WAREHOUSE)
    found = client.get(reverse("warehouse-stock"), {"q": "2026-77"}).content.decode()
    assert "SKU-SHOWN" in found and "SKU-HIDDEN" not in found
    sellable = client.get(reverse("warehouse-stock"), {"kind": "sellable", "stock": "yes"})
    assert "SKU-SHOWN" in sellable.content.decode()
    assert "SKU-HIDDEN" not in sellable.content.decode()


def test_stock_pages_are_refused_to_the_road_and_the_partners(roles):
    product = stocked_product()
    batch = batch_received(product, "B-1", "10")
    dealer = Client()
    dealer.force_login(UserFactory(roles=[Role.DEALER], partner=DealerFactory()))
    for client in (client_of(Role.DRIVER), dealer):
        for url in (reverse("warehouse-stock"), reverse("warehouse-stock-batch", args=[batch.pk]),
                    reverse("warehouse-stock-low"), "/api/warehouse/stock"):  # fmt: skip
            assert client.get(url).status_code == 403, url


def test_a_product_page_lists_its_batches_with_a_chart_of_what_each_has(roles):
    product = stocked_product()
    batch_received(product, "B-OLD", "100")
    batch_received(product, "B-NEW", "20")
    page = client_of(Role.CLERK).get(reverse("warehouse-stock-product", args=[product.pk]))
    text = page.content.decode()
    assert "B-OLD" in text and "B-NEW" in text
    assert "echarts.min.js" in text and 'id="stock-batches"' in text


def test_a_batch_shows_its_places_and_the_moves_behind_each_with_their_papers(roles):
    # given a batch received into A-01, part of it shipped with an order
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    order = reserved_order(product, "30")
    order_shipped_out(order)
    # when the batch is opened, its moves in and out of A-01
    client = client_of(Role.WAREHOUSE)
    url = reverse("warehouse-stock-batch", args=[batch.pk])
    page = client.get(url, {"location": location().pk}).content.decode()
    # then the level is 70 and the shipment links to its order
    assert "70" in page and "test receipt" in page
    assert reverse("order-detail", args=[order.pk]) in page and order.number in page


def test_a_move_is_confirmed_before_it_is_booked(roles):
    # given 100 of B-1 at A-01
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    seconds = location("S-01", Location.Kind.SECONDS)
    client = client_of(Role.WAREHOUSE)
    url = reverse("warehouse-stock-move", args=[batch.pk])
    form = {"action": "move", "from_location": location().pk, "to_location": seconds.pk,
            "quantity": "12", "reason": "色差，降为二等品"}  # fmt: skip
    # when the form is sent, then a confirmation is asked and nothing moves yet
    confirm = client.post(url, form)
    assert 'name="confirmed"' in confirm.content.decode() and level_of(batch, seconds) == 0
    # when confirmed, then 12 are at the seconds, the sellable stock is 88, with a MOVED move
    response = client.post(url, form | {"confirmed": "yes"})
    assert response.status_code == 302
    assert (level_of(batch, location()), level_of(batch, seconds)) == (88, 12)
    batch.refresh_from_db()
    assert batch.on_hand == Decimal("88")
    assert stock_differences() == []  # the figures still agree with the ledger
    move = StockMove.objects.get(kind=StockMove.Kind.MOVED)
    assert (move.reason, move.actor) == ("色差，降为二等品", staff(Role.WAREHOUSE))
    assert AuditEvent.objects.filter(action="stock.moved").count() == 1


def test_a_write_off_of_what_open_orders_hold_is_refused_with_the_ledgers_message(roles):
    # given 100 of B-1, 80 reserved
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    reserved_order(product, "80")
    # when 30 are written off from the page, confirmed
    response = client_of(Role.WAREHOUSE).post(
        reverse("warehouse-stock-move", args=[batch.pk]),
        {"action": "write_off", "from_location": location().pk, "quantity": "30",
         "reason": "水泡", "confirmed": "yes"},
    )  # fmt: skip
    # then the ledger's refusal is shown and nothing changed
    batch.refresh_from_db()
    held = {"batch": "B-1", "reserved": batch.reserved, "asked": Decimal("30"),
            "unit": product.get_unit_display()}  # fmt: skip
    assert response.status_code == 422
    assert str(HELD_FOR_ORDERS % held) in response.content.decode()
    assert (batch.on_hand, level_of(batch, location())) == (Decimal("100"), Decimal("100"))
    assert not StockMove.objects.filter(kind=StockMove.Kind.WRITTEN_OFF).exists()


def test_the_free_part_is_written_off_with_its_reason(roles):
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    reserved_order(product, "80")
    move = stock_write_off(
        actor=staff(Role.WAREHOUSE), batch=batch, quantity=Decimal("20"),
        from_location=location(), reason="叉车撞坏",
    )  # fmt: skip
    batch.refresh_from_db()
    assert (batch.on_hand, batch.reserved, move.reason) == (Decimal("80"), 80, "叉车撞坏")


def test_a_move_without_a_reason_or_to_the_same_place_changes_nothing(roles):
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    warehouse = staff(Role.WAREHOUSE)
    with pytest.raises(ValidationError) as refused:
        stock_move(actor=warehouse, batch=batch, quantity=Decimal("1"), from_location=location(),
                   to_location=location("B-02"), reason="  ")  # fmt: skip
    assert refused.value.messages == [str(REASON_REQUIRED)]
    with pytest.raises(ValidationError):
        stock_move(actor=warehouse, batch=batch, quantity=Decimal("1"), from_location=location(),
                   to_location=location(), reason="试")  # fmt: skip
    response = client_of(Role.WAREHOUSE).post(
        reverse("warehouse-stock-move", args=[batch.pk]),
        {"action": "move", "from_location": location("EMPTY").pk, "to_location": location().pk,
         "quantity": "1", "reason": "试", "confirmed": "yes"},
    )  # fmt: skip
    assert response.status_code == 422  # a place that holds none of the batch is not offered
    assert not StockMove.objects.filter(kind=StockMove.Kind.MOVED).exists()
    assert level_of(batch, location()) == Decimal("100")


def test_low_stock_lists_what_open_orders_before_their_note_need_more_of(roles):
    # given 50 available of a product, and two orders not yet reserved needing 30 each
    product = stocked_product(sku="SKU-LOW")
    batch_received(product, "B-1", "50")
    first = scenario("project", product=product, quantity="30")
    second = scenario("project", product=product, quantity="30")
    # when the low-stock page is opened
    page = client_of(Role.WAREHOUSE).get(reverse("warehouse-stock-low")).content.decode()
    # then the product shows 60 needed, 50 available, 10 missing, and both orders
    assert "SKU-LOW" in page and first.number in page and second.number in page
    api = client_of(Role.CLERK).get("/api/warehouse/low-stock").json()
    assert api["short"] == [{
        "product_id": product.pk, "sku": "SKU-LOW", "needed": "60", "available": "50",
        "missing": "10", "orders": [first.number, second.number],
    }]  # fmt: skip


def test_a_top_up_order_whose_customers_batch_runs_short_is_listed(roles):
    """O-58: the customer's floor came from B-FIRST; a top-up needs more than it has left."""
    # given a project's first order shipped from B-FIRST, 15 of it left
    product = stocked_product()
    first = batch_received(product, "B-FIRST", "115")
    batch_received(product, "B-OTHER", "500")
    project = CustomerFactory(kind="project")
    shipped = order_registered(project, product=product, quantity="100")
    order_reserve(order=shipped, actor=staff(Role.CLERK))
    assert Reservation.objects.get(order=shipped).batch == first
    order_shipped_out(shipped)
    # when a top-up of 20 is registered
    contract = project.contracts.first()
    top_up = order_registered(project, product=product, quantity="20", contract=contract)
    # then it is listed with B-FIRST's 15 available
    low = client_of(Role.WAREHOUSE).get("/api/warehouse/low-stock").json()
    assert low["top_ups"] == [{
        "order": top_up.number, "product": product.sku, "batch_id": first.pk,
        "batch": "B-FIRST", "needed": "20", "available": "15",
    }]  # fmt: skip
    assert low["short"] == []


def test_stock_and_a_batch_through_the_api(roles):
    product = stocked_product(sku="SKU-API")
    batch = batch_received(product, "B-1", "100")
    reserved_order(product, "25")
    client = client_of(Role.WAREHOUSE)
    items = client.get("/api/warehouse/stock", {"q": "SKU-API"}).json()["items"]
    assert [(i["sku"], i["on_hand"], i["reserved"], i["available"]) for i in items] == [
        ("SKU-API", "100", "25", "75")
    ]
    seconds = location("S-01", Location.Kind.SECONDS)
    moved = client.post("/api/warehouse/moves", {
        "batch_id": batch.pk, "from_location_id": location().pk,
        "to_location_id": seconds.pk, "quantity": "5", "reason": "色差",
    }, content_type="application/json")  # fmt: skip
    assert moved.status_code == 201 and moved.json()["kind"] == "moved"
    refused = client.post("/api/warehouse/write-offs", {
        "batch_id": batch.pk, "from_location_id": location().pk, "quantity": "90",
        "reason": "水泡",
    }, content_type="application/json")  # fmt: skip
    assert refused.status_code == 422
    detail = client.get(f"/api/warehouse/batches/{batch.pk}").json()
    assert (detail["on_hand"], detail["available"]) == ("95", "70")
    assert {level["location"]: level["on_hand"] for level in detail["levels"]} == {
        str(location()): "95",
        str(seconds): "5",
    }
    assert [move["kind"] for move in detail["moves"]] == ["moved", "received_production"]


@pytest.mark.parametrize("order", ["sku", "-name", "on_hand", "-reserved", "available"])
def test_the_stock_lists_sort_by_each_column(roles, order):
    product = stocked_product()
    batch_received(product, "B-1", "10")
    batch_received(product, "B-2", "30")
    client = client_of(Role.WAREHOUSE)
    assert client.get(reverse("warehouse-stock"), {"o": order}).status_code == 200
    page = client.get(reverse("warehouse-stock-product", args=[product.pk]), {"o": f"-{order}"})
    text = page.content.decode().split('id="results"')[1]
    if order in ("on_hand", "available"):
        assert text.index("B-2") < text.index("B-1")  # the fuller batch first
