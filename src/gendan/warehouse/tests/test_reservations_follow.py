"""O-58 with O-7: a changed or cancelled order's reservation follows it, in the change's or
the cancellation's own transaction (orders/effects.py CHANGE_WORK, CANCEL_WORK)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.accounts.roles import Role
from gendan.orders.services import cancel
from gendan.orders.services.cancel import order_cancel
from gendan.orders.services.registration import LineInput
from gendan.orders.services.verification import order_change
from gendan.orders.tests.helpers import staff
from gendan.warehouse.models import Batch, Reservation
from gendan.warehouse.services.reservations import NO_SINGLE_BATCH, RELEASED_MOVED
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.test_reservations import at_note, note_made

pytestmark = pytest.mark.django_db


def changed(order, quantity: str, product=None):
    """The clerk changes the order's one line to ``quantity`` (of ``product``)."""
    line = LineInput(
        product=product or order.lines.get().product, quantity=Decimal(quantity),
        unit_price=Decimal("100"),
    )  # fmt: skip
    return order_change(
        actor=staff(Role.CLERK), order=order, fields={}, lines=[line], reason="客户改数量"
    )


def active(order) -> list[tuple[str, Decimal]]:
    rows = order.reservations.filter(state=Reservation.State.ACTIVE)
    return sorted(rows.values_list("batch__number", "quantity"))


def reserved(number: str) -> Decimal:
    return Batch.objects.get(number=number).reserved


def test_o58_a_larger_quantity_is_reserved_more_of_the_same_batch(roles):
    """O-58, O-7: the batch the order holds still has enough: it holds more of it."""
    product = stocked_product()
    batch_received(product, "B-1", "100")
    order = note_made(at_note("50", product))

    changed(order, "60")

    assert active(order) == [("B-1", Decimal("60"))] and reserved("B-1") == 60


def test_o58_a_change_its_batch_cannot_cover_moves_the_whole_line_to_one_that_can(roles):
    """O-58, O-7: not two batches for one line: the whole quantity moves to a batch that has
    it, and the first reservation is released, saying why."""
    # given: 50 reserved from B-SNUG (60), B-BIG (200) beside it
    product = stocked_product()
    batch_received(product, "B-SNUG", "60")
    batch_received(product, "B-BIG", "200")
    order = note_made(at_note("50", product))
    # when
    changed(order, "80")
    # then
    assert active(order) == [("B-BIG", Decimal("80"))]
    assert (reserved("B-SNUG"), reserved("B-BIG")) == (0, 80)
    moved = order.reservations.get(batch__number="B-SNUG")
    assert (moved.state, moved.end_reason) == (Reservation.State.RELEASED, str(RELEASED_MOVED))


def test_o58_a_smaller_quantity_gives_back_what_the_order_no_longer_needs(roles):
    product = stocked_product()
    batch_received(product, "B-1", "100")
    order = note_made(at_note("50", product))

    changed(order, "30")

    assert active(order) == [("B-1", Decimal("30"))] and reserved("B-1") == 30


def test_o58_another_product_releases_the_first_and_reserves_the_second(roles):
    """O-58, O-7: the line now asks for another product: the first product's batch is given
    back, the second reserved from one batch, in the same change."""
    first, second = stocked_product(), stocked_product()
    batch_received(first, "B-FIRST", "100")
    batch_received(second, "B-SECOND", "100")
    order = note_made(at_note("50", first))

    changed(order, "40", product=second)

    assert active(order) == [("B-SECOND", Decimal("40"))]
    assert (reserved("B-FIRST"), reserved("B-SECOND")) == (0, 40)


def test_o58_a_change_no_single_batch_can_cover_is_refused_and_nothing_changes(roles):
    """O-58, O-7: refused with the shortfall; the order keeps its revision and its lines,
    the reservation stays as it was."""
    # given
    product = stocked_product()
    batch_received(product, "B-1", "60")
    batch_received(product, "B-2", "30")
    order = note_made(at_note("50", product))
    # when
    with pytest.raises(ValidationError) as refused:
        changed(order, "80")
    # then
    assert refused.value.messages[0].startswith(str(NO_SINGLE_BATCH).split("%")[0])
    order.refresh_from_db()
    assert order.revision == 1 and order.lines.get().quantity == Decimal("50")
    assert active(order) == [("B-1", Decimal("50"))] and reserved("B-1") == 50


def test_o58_a_cancellation_that_fails_keeps_the_reservation(roles, monkeypatch):
    """O-58: the release is part of the cancellation's transaction: a cancellation that
    fails after it leaves the order holding its batch."""
    product = stocked_product()
    batch_received(product, "B-1", "100")
    order = note_made(at_note("50", product))

    def broken(**kwargs):
        raise RuntimeError("the audit log is unavailable")

    monkeypatch.setattr(cancel, "order_cancelled_event", broken)
    with pytest.raises(RuntimeError):
        order_cancel(actor=staff(Role.SALES_SUPERVISOR), order=order, reason="录重了")

    assert active(order) == [("B-1", Decimal("50"))] and reserved("B-1") == 50
