"""O-58 at the speed of an order, not of its lines: the products new to an order are reserved
together (services/reservations_fast.py), from the batches the per-line path would choose;
when another clerk took a chosen batch before the UPDATE, nothing of it stays and the order
is reserved line by line."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.orders.services.steps import StepRefused
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_concurrency import at_once
from gendan.warehouse.audit_events import RESERVATIONS_CHANGED
from gendan.warehouse.models import Batch, Reservation
from gendan.warehouse.services.recount import stock_recount
from gendan.warehouse.services.reservations import (
    NO_SINGLE_BATCH,
    order_customer,
    order_needs,
    order_reserve,
)
from gendan.warehouse.services.reservations_fast import batches_choose, plan_take
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.stock_flows import order_of
from gendan.warehouse.tests.test_batch_choice import line_add
from gendan.warehouse.tests.test_concurrency import assert_never_over_reserved

pytestmark = pytest.mark.django_db
SHORT = str(NO_SINGLE_BATCH).split("%")[0]


def order_of_products(products: list, quantity: str = "30"):
    """A project's order of one line of each product."""
    order = order_of(products[0], quantity)
    for product in products[1:]:
        line_add(order, product, quantity)
    return order


def held_by(order) -> dict[int, tuple[int, Decimal]]:
    """Product pk: (batch pk, quantity) of the order's active reservations."""
    rows = order.reservations.filter(state=Reservation.State.ACTIVE)
    return {r.product_id: (r.batch_id, r.quantity) for r in rows}


def test_o58_each_new_product_of_an_order_gets_its_snuggest_batch_at_once(roles):
    """O-58: three products, each from the one batch leaving the smallest remainder, held
    in full; the batches' reserved grow by the lines; one audit event names all three."""
    # given: per product a large batch and a snug one
    products = [stocked_product() for _ in range(3)]
    snug = {}
    for product in products:
        batch_received(product, "B-BIG", "500")
        snug[product.pk] = batch_received(product, "B-SNUG", "40")
    order = order_of_products(products)
    # when
    order_reserve(order=order, actor=staff(Role.CLERK))
    # then
    assert held_by(order) == {p.pk: (snug[p.pk].pk, Decimal("30")) for p in products}
    assert all(b.reserved == Decimal("30") for b in Batch.objects.filter(number="B-SNUG"))
    assert not Batch.objects.filter(number="B-BIG", reserved__gt=0).exists()
    event = AuditEvent.objects.get(action=RESERVATIONS_CHANGED.code, target_id=str(order.pk))
    assert event.changes["reservations"].count("B-SNUG +30") == 3


def test_o58_a_long_order_costs_the_statements_of_a_short_one(roles):
    """O-58: reserving 12 new products takes as many statements as reserving 2 (the choice,
    the lock and the UPDATE are one each, whatever the number of lines)."""
    products = [stocked_product() for _ in range(12)]
    for product in products:
        batch_received(product, "B-1", "100")
    short, long = order_of_products(products[:2]), order_of_products(products[2:])
    counts = []
    for order in (short, long):
        with CaptureQueriesContext(connection) as captured:
            order_reserve(order=order, actor=staff(Role.CLERK))
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts
    assert len(held_by(long)) == 10


def test_o58_a_batch_taken_between_the_choice_and_the_update_leaves_nothing_taken(roles):
    """O-58: the order's choice is B-SNUG for the first product; another clerk reserves
    B-SNUG first; the taking then changes no batch (not even the second product's, which
    was still free) and writes no reservation; reserved again, the order gets the first
    product whole from B-BIG and the second from its batch."""
    # given: the choice made for an order of two products
    first, second = stocked_product(), stocked_product()
    big = batch_received(first, "B-BIG", "100")
    snug = batch_received(first, "B-SNUG", "30")
    other = batch_received(second, "B-2", "50")
    order = order_of_products([first, second])
    needs = order_needs(order)
    plan = batches_choose(order=order, needs=needs, customer=order_customer(order))
    assert {c.batch_id for c in plan} == {snug.pk, other.pk}
    # when: another clerk's order takes B-SNUG, then the plan is taken
    order_reserve(order=order_of(first, "30"), actor=staff(Role.CLERK))
    taken = plan_take(order=order, actor=staff(Role.CLERK), plan=plan)
    # then: nothing of the plan stays
    assert taken is None
    other.refresh_from_db()
    assert other.reserved == 0
    assert not order.reservations.exists()
    # and the order, reserved again, gets each product whole from a batch that covers it
    order_reserve(order=order, actor=staff(Role.CLERK))
    assert held_by(order) == {
        first.pk: (big.pk, Decimal("30")),
        second.pk: (other.pk, Decimal("30")),
    }
    assert Batch.objects.get(pk=big.pk).reserved == Decimal("30")


def test_o58_a_product_no_batch_covers_refuses_the_order_and_reserves_none_of_it(roles):
    """O-58: of two new products, one finds no single batch: the refusal names it and the
    other product's batch is not reserved either."""
    covered, short = stocked_product(), stocked_product()
    batch = batch_received(covered, "B-OK", "100")
    batch_received(short, "B-20", "20")
    order = order_of_products([covered, short])
    with pytest.raises(StepRefused) as refused:
        order_reserve(order=order, actor=staff(Role.CLERK))
    assert len(refused.value.reasons) == 1 and refused.value.reasons[0].startswith(SHORT)
    assert str(short) in refused.value.reasons[0]
    batch.refresh_from_db()
    assert batch.reserved == 0 and not order.reservations.exists()


def test_o58_a_changed_order_keeps_what_it_holds_and_takes_the_new_product_at_once(roles):
    """O-58 with O-7: a product already held stays in its batch; a product added after
    comes whole from its own batch."""
    first, added = stocked_product(), stocked_product()
    held_batch = batch_received(first, "B-1", "100")
    new_batch = batch_received(added, "B-2", "100")
    order = order_of(first, "30")
    order_reserve(order=order, actor=staff(Role.CLERK))
    kept = order.reservations.get()
    line_add(order, added, "20")
    order_reserve(order=order, actor=staff(Role.CLERK))
    assert held_by(order) == {
        first.pk: (held_batch.pk, Decimal("30")),
        added.pk: (new_batch.pk, Decimal("20")),
    }
    assert order.reservations.get(product=first).pk == kept.pk


def test_o58_a_product_on_two_lines_comes_whole_from_one_batch(roles):
    """O-58: two lines of the same product are one need (their sum) from one batch."""
    product = stocked_product()
    batch_received(product, "B-30", "30")
    whole = batch_received(product, "B-60", "60")
    order = order_of(product, "20")
    line_add(order, product, "25")
    order_reserve(order=order, actor=staff(Role.CLERK))
    assert held_by(order) == {product.pk: (whole.pk, Decimal("45"))}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions")
def test_o58_eight_clerks_reserving_orders_of_three_products_at_once(roles):
    """O-58: eight orders of 30 each of three products, at the same moment, against per
    product batches of 100 and 60 (five orders' worth): five orders get every product whole
    from one batch, three are refused, nobody waits on another forever (no deadlock) and no
    batch is reserved beyond what it has or beyond what its reservations hold."""
    # given
    products = [stocked_product() for _ in range(3)]
    for product in products:
        batch_received(product, "B-100", "100")
        batch_received(product, "B-60", "60")
    orders = [order_of_products(products) for _ in range(8)]
    clerk = staff(Role.CLERK)
    queue = iter(orders)
    # when
    results = at_once(lambda: order_reserve(order=next(queue), actor=clerk), times=8)
    # then
    assert not [r for r in results if isinstance(r, Exception) and not isinstance(r, StepRefused)]
    assert len([r for r in results if isinstance(r, StepRefused)]) == 3, results
    served = [order for order in orders if order.reservations.exists()]
    assert len(served) == 5
    assert all(len(held_by(order)) == 3 for order in served)
    assert_never_over_reserved()
    assert stock_recount() == []
