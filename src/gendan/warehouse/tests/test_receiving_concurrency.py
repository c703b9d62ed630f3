"""Receipts made at the same moment, on PostgreSQL with real concurrent transactions (each
thread its own connection): each gets its own number, and a new batch received twice at once
is one batch holding both."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection

from gendan.orders.tests.test_concurrency import at_once
from gendan.warehouse.models import Batch, GoodsReceipt, Package, StockMove
from gendan.warehouse.tests.helpers import location, stocked_product
from gendan.warehouse.tests.test_receiving import clerk, line, received

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def test_six_receipts_of_one_new_batch_at_once_get_six_numbers_and_one_batch(roles):
    # given a product and its place, and no batch of it yet
    product = stocked_product()
    location()
    clerk()
    # when six people receive five boxes of the same new batch at the same moment
    results = at_once(lambda: received(line(product, quantity="10", packages=5)), times=6)
    # then each receipt has its own number, in a row, and the one batch holds all the goods
    assert all(isinstance(result, GoodsReceipt) for result in results), results
    numbers = sorted(receipt.number for receipt in results)
    assert [int(number.rsplit("-", 1)[1]) for number in numbers] == [1, 2, 3, 4, 5, 6]
    batch = Batch.objects.get(product=product)
    assert batch.on_hand == Decimal("60")
    assert StockMove.objects.filter(batch=batch).count() == 6
    assert Package.objects.filter(batch=batch).count() == 30
