"""Picking and shipping at the same moment, on PostgreSQL with real concurrent transactions
(each thread its own connection): a box is picked once; a pick taken back while the ship step
is signed never lets the order ship short (O-18, O-58)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.routes import SHIP
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.simulate import sample_record
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_concurrency import at_once
from gendan.warehouse.models import Pick, Reservation, StockMove
from gendan.warehouse.services.picking import (
    CHECKS,
    PACKAGE_PICKED,
    package_pick,
    pick_check_record,
    pick_undo,
)
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.picking import at_ship, boxes

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def test_o58_one_box_scanned_for_two_orders_at_once_is_picked_once(roles):
    """O-58: two pickers scan the same box for two orders at the same moment: one has it, the
    other is told which order holds it."""
    # given
    product = stocked_product()
    batch = batch_received(product, "B-1", "20")
    orders = iter([at_ship(product, "4"), at_ship(product, "4")])
    box = boxes(batch, 1, "4")[0]
    picker = staff(Role.WAREHOUSE)
    # when
    results = at_once(lambda: package_pick(actor=picker, order=next(orders), code=box.code))
    # then
    picks = [result for result in results if isinstance(result, Pick)]
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(picks) == 1 and len(refused) == 1, results
    holder = picks[0].reservation.order.number
    assert refused[0].messages == [str(PACKAGE_PICKED % {"code": box.code, "order": holder})]
    assert Pick.objects.count() == 1


def test_o18_a_pick_taken_back_while_the_ship_step_is_signed_never_ships_short(roles):
    """O-18: the ship step and a pick taken back at the same moment take turns: either the
    goods left as picked (the pick can no longer be taken back) or the pick is gone and the
    step is refused; never a shipment of what is not picked."""
    # given
    product = stocked_product()
    batch = batch_received(product, "B-1", "8")
    order = at_ship(product, "8")
    picker = staff(Role.WAREHOUSE)
    picks = [package_pick(actor=picker, order=order, code=box.code) for box in boxes(batch, 2, "4")]
    pick_check_record(
        actor=picker, order=order, product=product, checks=dict.fromkeys(CHECKS, True)
    )
    work = iter([
        lambda: order_step_complete(
            actor=picker, order=Order.objects.get(pk=order.pk), step=SHIP.code,
            data=sample_record(SHIP),
        ),
        lambda: pick_undo(actor=picker, order=order, pick_id=picks[0].pk),
    ])  # fmt: skip
    # when
    results = at_once(lambda: next(work)())
    # then
    reservation = Reservation.objects.get(order=order)
    shipped = StockMove.objects.filter(kind=StockMove.Kind.SHIPPED)
    if reservation.state == Reservation.State.SHIPPED:
        assert any(isinstance(result, ValidationError) for result in results), results
        assert sum(move.quantity for move in shipped) == 8 and Pick.objects.count() == 2
    else:
        assert any(isinstance(result, StepRefused) for result in results), results
        assert not shipped.exists() and Pick.objects.count() == 1
