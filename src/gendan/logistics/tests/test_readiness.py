"""Whether a drop's goods may leave (O-18, O-19): the reasons a drop is not ready, so the
clerk promises no time for goods that may not go."""

from __future__ import annotations

import pytest
from django.utils import translation

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.logistics.readiness import (
    FINANCE_NOT_SIGNED,
    NOT_RESERVED,
    NOTE_NOT_MADE,
    drop_readiness,
    orders_readiness,
)
from gendan.orders.routes import DELIVERY_NOTE, FINANCE_REVIEW, SHIP
from gendan.orders.tests.helpers import paid_in_full, scenario, staff
from gendan.warehouse.services.reservations import order_release
from gendan.warehouse.tests.helpers import batch_received, stocked_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    """A stocked product with a batch that holds any of these orders."""
    product = stocked_product(sku="FL-READY")
    batch_received(product, "B-1", "500")
    return product


def project_order(product, step: str):
    """A project's order of 20 of the product, paid ahead, walked until ``step`` is the
    current one."""
    order = scenario("project", product=product, quantity="20")
    paid_in_full(order)
    return walked_to(order, step)


def test_an_order_without_its_delivery_note_is_not_ready(roles, product):
    """O-18: the note is not made: that is the one reason (it reserves and is what finance
    signs)."""
    # given
    order = project_order(product, DELIVERY_NOTE.code)
    # when
    reasons = drop_readiness(order)
    # then
    assert reasons == [str(NOTE_NOT_MADE)]


def test_a_note_finance_has_not_signed_is_not_ready(roles, product):
    """O-19: the note made and the stock reserved, finance has not signed it yet."""
    # given
    order = project_order(product, FINANCE_REVIEW.code)
    # when
    reasons = drop_readiness(order)
    # then
    assert reasons == [str(FINANCE_NOT_SIGNED)]


def test_a_note_signed_by_finance_with_the_stock_reserved_is_ready(roles, product):
    """O-18, O-19: made, reserved and signed: the goods may leave, a time may be promised."""
    # given
    order = project_order(product, SHIP.code)
    # when
    reasons = drop_readiness(order)
    # then
    assert reasons == []


def test_stock_let_go_is_named_by_its_item_number(roles, product):
    """O-18: the reservation released after the note: the product not reserved is named."""
    # given
    order = project_order(product, SHIP.code)
    order_release(order=order, actor=staff(Role.WAREHOUSE))
    # when
    with translation.override("en"):
        reasons = drop_readiness(order)
    # then
    assert reasons == ["O-18: the stock is not reserved for FL-READY."]
    with translation.override("zh-hans"):
        assert drop_readiness(order) == [str(NOT_RESERVED % {"products": "FL-READY"})]
        assert drop_readiness(order) == ["O-18：FL-READY 的库存尚未预留。"]


def test_shipped_goods_are_no_longer_held_by_the_note(roles, product):
    """O-19: once shipped (the note signed, then the goods out), nothing holds the drop."""
    # given
    order = project_order(product, SHIP.code)
    shipped = walked_to(order, "deliver")
    # when
    reasons = drop_readiness(shipped)
    # then
    assert reasons == []


def test_a_day_of_orders_is_read_in_a_few_queries(roles, product, django_assert_max_num_queries):
    """O-18, O-19: the call list reads every drop's reasons at once, not two queries a drop."""
    # given
    orders = [project_order(product, FINANCE_REVIEW.code) for _turn in range(3)]
    orders.append(project_order(product, DELIVERY_NOTE.code))
    # when
    with django_assert_max_num_queries(2):
        reasons = orders_readiness(orders)
    # then
    assert [reasons[order.pk] for order in orders] == [[str(FINANCE_NOT_SIGNED)]] * 3 + [
        [str(NOTE_NOT_MADE)]
    ]
