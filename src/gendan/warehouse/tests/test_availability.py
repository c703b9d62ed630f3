"""The availability of one product over all its batches (the selector pages and the
benchmark read)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.warehouse.models import Batch
from gendan.warehouse.selectors import product_availability
from gendan.warehouse.tests.helpers import batch_received, stocked_product

pytestmark = pytest.mark.django_db


def test_availability_sums_the_batches_and_names_the_largest_one_batch_can_give():
    """O-58: a line comes from one batch, so besides the sum the largest batch's available."""
    # given: three batches, one of them partly reserved, one fully
    product = stocked_product()
    batch_received(product, "B-1", "100")
    partly = batch_received(product, "B-2", "80")
    full = batch_received(product, "B-3", "30")
    Batch.objects.filter(pk=partly.pk).update(reserved=Decimal("50"))
    Batch.objects.filter(pk=full.pk).update(reserved=Decimal("30"))
    batch_received(stocked_product(), "B-OTHER", "999")
    # when
    figures = product_availability(product)
    # then
    assert figures == {
        "on_hand": Decimal("210"), "reserved": Decimal("80"), "available": Decimal("130"),
        "batches": 2, "largest": Decimal("100"),
    }  # fmt: skip


def test_a_product_without_stock_has_nothing_available():
    product = stocked_product()
    Batch.objects.create(product=product, number="B-DUE")
    assert product_availability(product) == {
        "on_hand": 0, "reserved": 0, "available": 0, "batches": 0, "largest": 0,
    }  # fmt: skip
