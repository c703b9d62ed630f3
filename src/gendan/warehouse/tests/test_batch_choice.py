"""The batch a whole line is reserved from is chosen by the database (``batch_whole``, one
row instead of all the product's batches); it is the batch ``batch_choose`` picks in Python
(the pages' choice), rule for rule."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import pytest

from gendan.orders.tests.helpers import scenario
from gendan.warehouse.models import Batch, Reservation
from gendan.warehouse.services.reservations import batch_choose, batch_whole
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
