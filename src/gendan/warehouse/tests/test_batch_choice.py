"""The batch a whole line is reserved from is chosen by the database (``batch_whole``, one
row instead of all the product's batches; ``batches_choose``, every line of an order in one
query); it is the batch ``batch_choose`` picks in Python (the pages' choice), rule for rule."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from gendan.orders.models import OrderLine
from gendan.orders.tests.helpers import scenario
from gendan.warehouse.models import Batch, Reservation
from gendan.warehouse.services.reservations import (
    batch_choose,
    batch_whole,
    order_customer,
    order_needs,
)
from gendan.warehouse.services.reservations_fast import batches_choose
from gendan.warehouse.tests.helpers import batch_received, stocked_product

pytestmark = pytest.mark.django_db


def test_the_database_chooses_the_batch_batch_choose_chooses(roles):
    """O-58: own batch first, then the smallest remainder, then the oldest (undated last),
    then the first made: for random batches with ties, the same batch either way."""
    # given: 12 batches with repeated quantities and dates, some undated, one partly reserved
    rng = random.Random(58)
    product = stocked_product()
    order = scenario("dealer", product=product, quantity="10")
    batches = []
    for number in range(12):
        produced = rng.choice([None, dt.date(2026, 3, 1), dt.date(2026, 5, 1)])
        quantity = rng.choice(["20", "35", "35", "50", "80"])
        batches.append(batch_received(product, f"B-{number}", quantity, produced_on=produced))
    Batch.objects.filter(pk=batches[3].pk).update(reserved=Decimal("15"))
    # a batch of this homeowner's earlier order, shipped: it comes first when it can cover
    earlier = scenario("dealer", product=product, quantity="5")
    earlier.end_customer = order.end_customer
    earlier.save(update_fields=["end_customer"])
    Reservation.objects.create(
        order=earlier, product=product, batch=batches[7], quantity=Decimal("5"),
        reserved_by=earlier.registered_by, state=Reservation.State.SHIPPED,
    )  # fmt: skip
    # when / then: every quantity, with and without batches refused by another clerk
    for quantity in ("1", "19", "20", "21", "35", "36", "50", "79", "80", "81"):
        for exclude in (set(), {batches[7].pk}, {batches[0].pk, batches[1].pk}):
            wanted = Decimal(quantity)
            whole = [
                batch for batch in Batch.objects.filter(product=product)
                if batch.available >= wanted and batch.pk not in exclude
            ]  # fmt: skip
            expected = batch_choose(order, product, whole, wanted) if whole else None
            assert batch_whole(order, product, wanted, exclude) == expected, (quantity, exclude)


def batches_random(product, rng: random.Random, count: int) -> list[Batch]:
    """Batches with repeated quantities and dates, some undated, the third partly reserved."""
    batches = []
    for number in range(count):
        produced = rng.choice([None, dt.date(2026, 3, 1), dt.date(2026, 5, 1)])
        quantity = rng.choice(["20", "35", "35", "50", "80"])
        batches.append(batch_received(product, f"B-{number}", quantity, produced_on=produced))
    Batch.objects.filter(pk=batches[2].pk).update(reserved=Decimal("15"))
    return batches


def line_add(order, product, quantity: str) -> None:
    position = order.lines.count() + 1
    OrderLine.objects.create(
        order=order, position=position, product=product, quantity=Decimal(quantity),
        unit=product.unit, unit_price=Decimal("100"), amount=Decimal("100") * Decimal(quantity),
    )  # fmt: skip


def test_one_query_for_all_lines_chooses_what_batch_choose_chooses_for_each(roles):
    """O-58: for an order of four products, each product's batch chosen by the one query is
    the one batch_choose picks: the homeowner's own batch first where it covers, then the
    smallest remainder, then the oldest, then the first made; a product on two lines is
    left to the per-line path (which sums them)."""
    # given: four products of eight random batches each; one homeowner's earlier order
    # shipped from a batch of the first product
    rng = random.Random(13)
    products = [stocked_product() for _ in range(4)]
    order = scenario("dealer", product=products[0], quantity="10")
    for product in products[1:]:
        line_add(order, product, "10")
    line_add(order, products[3], "5")
    batches = {product.pk: batches_random(product, rng, 8) for product in products}
    earlier = scenario("dealer", product=products[0], quantity="5")
    earlier.end_customer = order.end_customer
    earlier.save(update_fields=["end_customer"])
    Reservation.objects.create(
        order=earlier, product=products[0], batch=batches[products[0].pk][5],
        quantity=Decimal("5"), reserved_by=earlier.registered_by,
        state=Reservation.State.SHIPPED,
    )  # fmt: skip
    for _round in range(25):
        # when: the lines ask for random quantities, at times more than any batch holds
        for line in order.lines.all():
            line.quantity = Decimal(rng.choice(["1", "19", "20", "21", "35", "36", "50", "80"]))
            line.save(update_fields=["quantity"])
        needs = order_needs(order)
        chosen = batches_choose(order=order, needs=needs, customer=order_customer(order))
        # then
        expected = {}
        for product in products[:3]:
            wanted = needs[product.pk]
            whole = [b for b in Batch.objects.filter(product=product) if b.available >= wanted]
            if whole:
                expected[product.pk] = batch_choose(order, product, whole, wanted).pk
        assert {c.product_id: c.batch_id for c in chosen} == expected, needs
        assert all(c.quantity == needs[c.product_id] for c in chosen)
