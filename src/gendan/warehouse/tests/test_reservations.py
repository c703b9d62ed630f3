"""O-58: each product of an order reserved from one batch when the delivery note is made."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.routes import DELIVERY_NOTE
from gendan.orders.services.cancel import order_cancel
from gendan.orders.services.steps import StepRefused, order_step_complete
from gendan.orders.simulate import sample_record
from gendan.orders.tests.helpers import contract_for, order_registered, scenario, staff
from gendan.parties.tests.factories import CustomerFactory
from gendan.warehouse.models import Batch, Reservation, SplitAgreement
from gendan.warehouse.services.reservations import split_agree
from gendan.warehouse.tests.helpers import batch_received, stocked_product

pytestmark = pytest.mark.django_db


def note_made(order):
    """Sign the delivery note (O-18) as the clerk."""
    return order_step_complete(
        actor=staff(Role.CLERK), order=order, step=DELIVERY_NOTE.code,
        data=sample_record(DELIVERY_NOTE),
    )  # fmt: skip


def at_note(quantity: str, product, customer=None):
    """A project's order (no installation) waiting for its delivery note."""
    if customer is None:
        order = scenario("project", product=product, quantity=quantity)
    else:
        contract = customer.contracts.first() or contract_for(customer)
        order = order_registered(customer, product=product, quantity=quantity, contract=contract)
    return walked_to(order, DELIVERY_NOTE.code)


def test_delivery_note_reserves_the_batch_leaving_the_smallest_remainder(roles):
    """O-58: of the batches that hold the whole line, the one left with the least."""
    # given
    product = stocked_product()
    batch_received(product, "B-BIG", "500")
    snug = batch_received(product, "B-SNUG", "60")
    batch_received(product, "B-SMALL", "30")
    order = at_note("50", product)
    # when
    note_made(order)
    # then
    reservation = Reservation.objects.get(order=order)
    assert (reservation.batch, reservation.quantity) == (snug, Decimal("50"))
    snug.refresh_from_db()
    assert (snug.reserved, snug.available) == (Decimal("50"), Decimal("10"))


def test_equal_remainders_take_the_oldest_batch(roles):
    """O-58: between batches that leave the same remainder, the oldest goes first."""
    product = stocked_product()
    batch_received(product, "B-NEW", "80", produced_on=dt.date(2026, 10, 1))
    old = batch_received(product, "B-OLD", "80", produced_on=dt.date(2026, 6, 1))
    order = note_made(at_note("50", product))
    assert Reservation.objects.get(order=order).batch == old


def test_a_top_up_order_comes_from_the_batch_the_customer_already_has(roles):
    """O-58: a batch the same customer (project) received comes before any better fit."""
    # given: the project's first order shipped from B-FIRST
    product = stocked_product()
    first = batch_received(product, "B-FIRST", "500")
    project = CustomerFactory(kind="project")
    first_order = note_made(at_note("100", product, customer=project))
    Reservation.objects.filter(order=first_order).update(state=Reservation.State.SHIPPED)
    Batch.objects.filter(pk=first.pk).update(reserved=0, on_hand=400)
    batch_received(product, "B-SNUG", "25")
    # when: a top-up of 20 m², which B-SNUG would fit better
    top_up = note_made(at_note("20", product, customer=project))
    # then
    assert Reservation.objects.get(order=top_up).batch == first


def test_no_single_batch_refuses_the_note_with_what_can_be_done(roles):
    """O-58: two batches of 30 do not make a line of 50 without the customer's agreement;
    the refusal names the largest batch, what is missing and the next batch due."""
    product = stocked_product()
    batch_received(product, "B-1", "30")
    batch_received(product, "B-2", "30")
    Batch.objects.create(product=product, number="B-NEXT", due_on=dt.date.today() + dt.timedelta(5))
    order = at_note("50", product)
    with pytest.raises(StepRefused) as refused:
        note_made(order)
    message = refused.value.reasons[0]
    assert "B-1" in message and "20" in message and "B-NEXT" in message
    assert not Reservation.objects.filter(order=order).exists()
    assert Batch.objects.get(number="B-1").reserved == 0


def test_an_agreed_split_uses_the_fewest_batches(roles):
    """O-58: with the customer's agreement recorded, a split takes the fewest batches."""
    product = stocked_product()
    big = batch_received(product, "B-40", "40")
    batch_received(product, "B-5", "5")
    batch_received(product, "B-6", "6")
    fits = batch_received(product, "B-12", "12")
    order = at_note("50", product)
    split_agree(actor=staff(Role.CLERK), order=order, product=product, agreed_by="王先生")
    note_made(order)
    held = dict(Reservation.objects.filter(order=order).values_list("batch", "quantity"))
    assert held == {big.pk: Decimal("40"), fits.pk: Decimal("10")}
    assert SplitAgreement.objects.get(order=order).agreed_by == "王先生"


def test_cancelling_gives_the_reservation_back(roles):
    """O-58: a cancelled order's reservation is released in the cancellation's transaction."""
    product = stocked_product()
    batch = batch_received(product, "B-1", "100")
    order = note_made(at_note("50", product))
    order_cancel(actor=staff(Role.SALES_SUPERVISOR), order=order, reason="录重了")
    batch.refresh_from_db()
    assert batch.reserved == 0
    assert Reservation.objects.get(order=order).state == Reservation.State.RELEASED
