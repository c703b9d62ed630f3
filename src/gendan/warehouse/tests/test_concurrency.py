"""O-58 with clerks reserving from the same batch at the same moment, on PostgreSQL with real
concurrent transactions (each thread its own connection): available never below zero."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models import Sum

from gendan.accounts.roles import Role
from gendan.orders.services.steps import StepRefused
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_concurrency import at_once
from gendan.warehouse.models import Batch, Reservation
from gendan.warehouse.services.recount import stock_recount
from gendan.warehouse.services.reservations import NO_SINGLE_BATCH, order_reserve
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.stock_flows import order_of
from gendan.warehouse.tests.test_reservations import at_note, note_made

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]
SHORT = str(NO_SINGLE_BATCH).split("%")[0]  # the refusal's opening words, whatever follows


def reserving(orders: list, work) -> list[object]:
    """Each order reserved by its own clerk's thread, all released at the same moment."""
    queue = iter(orders)
    return at_once(lambda: work(next(queue)), times=len(orders))


def assert_never_over_reserved() -> None:
    """Each batch: reserved ≤ on hand, and reserved is what its active reservations hold."""
    for batch in Batch.objects.all():
        active = batch.reservations.filter(state=Reservation.State.ACTIVE)
        held = active.aggregate(total=Sum("quantity"))["total"] or Decimal("0")
        assert Decimal("0") <= batch.reserved <= batch.on_hand, batch
        assert batch.reserved == held, batch


def assert_one_batch_each(orders: list) -> None:
    for order in orders:
        batches = set(order.reservations.values_list("batch", flat=True))
        assert len(batches) <= 1, order


def test_o58_eight_clerks_reserving_from_the_same_batch_never_over_reserve(roles):
    """O-58: eight orders of 30 m² at the same moment against batches of 100 and 60: five
    get one batch each (three from the 100, two from the 60), the other three are refused
    with the shortfall, and no batch is reserved beyond what it has."""
    # given
    product = stocked_product()
    big = batch_received(product, "B-100", "100")
    small = batch_received(product, "B-60", "60")
    orders = [order_of(product, "30") for _ in range(8)]
    clerk = staff(Role.CLERK)
    # when
    results = reserving(orders, lambda order: order_reserve(order=order, actor=clerk))
    # then
    refused = [r for r in results if isinstance(r, StepRefused)]
    assert len(results) == 8 and len(refused) == 3, results
    assert all(r.reasons[0].startswith(SHORT) for r in refused)
    taken = Counter(Reservation.objects.values_list("batch", flat=True))
    assert taken == {big.pk: 3, small.pk: 2}
    assert_never_over_reserved()
    assert_one_batch_each(orders)
    assert stock_recount() == []


def test_o58_the_clerk_who_loses_the_batch_gets_another_that_holds_the_whole_line(roles):
    """O-58: both orders fit B-SNUG best; one gets it, the other chooses again and gets
    B-BIG, each from one batch."""
    product = stocked_product()
    snug = batch_received(product, "B-SNUG", "50")
    big = batch_received(product, "B-BIG", "200")
    orders = [order_of(product, "50") for _ in range(2)]
    clerk = staff(Role.CLERK)

    results = reserving(orders, lambda order: order_reserve(order=order, actor=clerk))

    assert not [r for r in results if isinstance(r, Exception)], results
    taken = sorted(Reservation.objects.values_list("batch", flat=True))
    assert taken == sorted([snug.pk, big.pk])
    assert_never_over_reserved()


def test_o58_clerks_signing_delivery_notes_at_once_share_a_batch_without_over_reserving(roles):
    """O-58, O-18: four delivery notes signed at the same moment for 40 m² each against one
    batch of 100: two notes are signed, two refused with the shortfall, nothing signed of
    them and nothing reserved for them."""
    # given
    product = stocked_product()
    batch = batch_received(product, "B-100", "100")
    orders = [at_note("40", product) for _ in range(4)]
    # when
    results = reserving(orders, note_made)
    # then
    refused = [r for r in results if isinstance(r, StepRefused)]
    assert len(refused) == 2 and all(SHORT in r.reasons[0] for r in refused), results
    batch.refresh_from_db()
    assert (batch.on_hand, batch.reserved) == (Decimal("100"), Decimal("80"))
    signed = [o for o in orders if "delivery_note" in type(o).objects.get(pk=o.pk).signed]
    assert len(signed) == 2
    assert all(o.reservations.count() == 1 for o in signed)
    assert_never_over_reserved()
