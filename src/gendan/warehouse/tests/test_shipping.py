"""The ship step (O-18, O-20, O-58): signed only once every line is picked from its reserved
batch and each product checked; signing it writes the SHIPPED moves in its own transaction."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.routes import SHIP
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.simulate import sample_record
from gendan.orders.tests.helpers import listed_product, staff
from gendan.warehouse.models import Package, Reservation, StockLevel, StockMove
from gendan.warehouse.services.ledger import MoveInput, stock_moves_add
from gendan.warehouse.services.picking import CHECKS, package_pick, pick_check_record
from gendan.warehouse.services.shipping import CHECK_FAILED, NOT_CHECKED, NOT_PICKED
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product
from gendan.warehouse.tests.picking import at_ship, boxes

pytestmark = pytest.mark.django_db
ALL_PASSED = dict.fromkeys(CHECKS, True)


def ship(order):
    return order_step_complete(
        actor=staff(Role.WAREHOUSE), order=order, step=SHIP.code, data=sample_record(SHIP)
    )


def ready(quantity: str = "10", box: str = "4"):
    """An order of 10 m² reserved from B-1 (12 m² in three boxes of 4 on A-01)."""
    product = stocked_product()
    batch = batch_received(product, "B-1", "12", place=location("A-01"))
    order = at_ship(product, quantity)
    return order, batch, boxes(batch, 3, box, location("A-01"))


def picked(order, packages) -> None:
    for package in packages:
        package_pick(actor=staff(Role.WAREHOUSE), order=order, code=package.code)


def checked(order, product, **answers) -> None:
    pick_check_record(
        actor=staff(Role.WAREHOUSE), order=order, product=product,
        checks={**ALL_PASSED, **answers}, note="色差" if answers else "",
    )  # fmt: skip


def refusal(order) -> list[str]:
    with pytest.raises(StepRefused) as refused:
        ship(order)
    return refused.value.reasons


def test_o18_the_ship_step_is_refused_before_the_line_is_picked_and_checked(roles):
    """O-18, O-58: the ship step waits for the whole line picked and its checks recorded;
    refused, nothing leaves (no move, the reservation held)."""
    # given
    order, batch, packages = ready()
    product = batch.product
    names = {"product": product, "batch": "B-1", "quantity": "10", "unit": "平方米"}
    # when: nothing picked, then two boxes of three, then all without checks, then a failed check
    nothing = refusal(order)
    picked(order, packages[:2])
    part = refusal(order)
    picked(order, packages[2:])
    unchecked = refusal(order)
    checked(order, product, colour_compared=False)
    failed = refusal(order)
    # then
    assert nothing == [str(NOT_PICKED % (names | {"picked": "0"})), str(NOT_CHECKED % names)]
    assert part[0] == str(NOT_PICKED % (names | {"picked": "8"}))
    assert unchecked == [str(NOT_CHECKED % names)]
    assert failed == [str(CHECK_FAILED % {"product": product, "note": "色差"})]
    assert not StockMove.objects.filter(kind=StockMove.Kind.SHIPPED).exists()
    assert Reservation.objects.get(order=order).state == Reservation.State.ACTIVE


def test_o20_signing_the_ship_step_writes_the_moves_from_the_places_picked(roles):
    """O-20: signed out, the goods leave: a SHIPPED move of the reserved batch from the place
    picked, the reservation shipped, on hand down; the whole boxes are gone, the opened one
    keeps what was not taken."""
    # given
    order, batch, packages = ready()
    picked(order, packages)
    checked(order, batch.product)
    # when
    order = ship(order)
    # then
    move = StockMove.objects.get(kind=StockMove.Kind.SHIPPED)
    assert (move.batch, move.from_location.code, move.quantity, move.order) == (
        batch,
        "A-01",
        Decimal("10"),
        order,
    )
    assert order.step != SHIP.code
    batch.refresh_from_db()
    assert (batch.on_hand, batch.reserved) == (Decimal("2"), Decimal("0"))
    assert Reservation.objects.get(order=order).state == Reservation.State.SHIPPED
    left = Package.objects.filter(pk__in=[p.pk for p in packages]).order_by("code")
    assert [(p.gone_at is not None, p.quantity) for p in left] == [
        (True, Decimal("4")),
        (True, Decimal("4")),
        (False, Decimal("2")),
    ]


def test_a_ship_refused_by_the_ledger_leaves_no_move_and_the_reservation_held(roles):
    """The moves are written in the step's transaction: the goods picked at A-01 were moved
    away meanwhile, so the ledger refuses; the step is refused and nothing of it stands."""
    # given
    order, batch, packages = ready()
    picked(order, packages)
    checked(order, batch.product)
    stock_moves_add(actor=staff(Role.WAREHOUSE), moves=[MoveInput(
        kind=StockMove.Kind.MOVED, batch=batch, quantity=Decimal("12"),
        from_location=location("A-01"), to_location=location("C-09"),
    )])  # fmt: skip
    # when
    reasons = refusal(order)
    # then
    assert "B-1" in reasons[0] and "A-01" in reasons[0]
    assert not StockMove.objects.filter(kind=StockMove.Kind.SHIPPED).exists()
    batch.refresh_from_db()
    assert (batch.on_hand, batch.reserved) == (Decimal("12"), Decimal("10"))
    assert Reservation.objects.get(order=order).state == Reservation.State.ACTIVE
    assert StockLevel.objects.get(batch=batch, location__code="C-09").on_hand == Decimal("12")
    assert not Package.objects.filter(gone_at__isnull=False).exists()


def test_an_order_of_products_not_kept_in_stock_ships_as_before(roles):
    order = at_ship(listed_product(), "10")
    assert ship(order).step != SHIP.code
    assert not StockMove.objects.exists()


def test_a_walked_order_is_picked_and_shipped_as_the_warehouse_would(roles):
    """The demo and the benchmark (simulate.py) pick and check before the ship step."""
    order, batch, _packages = ready()
    order = walked_to(order, "deliver")
    assert StockMove.objects.get(kind=StockMove.Kind.SHIPPED).quantity == Decimal("10")
    assert order.pick_checks.get().product == batch.product


def test_o20_the_order_page_shows_why_the_ship_step_is_refused(client, roles):
    """O-20: the warehouse signing too soon is told what is missing, on the order page."""
    order, _batch, _packages = ready()
    client.force_login(staff(Role.WAREHOUSE))
    record = {f"record-{name}": value for name, value in sample_record(SHIP).items()}
    response = client.post(reverse("order-step", args=[order.pk, SHIP.code]), record, follow=True)
    assert "O-18" in response.content.decode()
    assert not StockMove.objects.filter(kind=StockMove.Kind.SHIPPED).exists()
