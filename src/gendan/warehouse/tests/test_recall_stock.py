"""O-50: recalled goods are booked in as any return, back into the batch they shipped from."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import PaymentTerms
from gendan.orders.returns import return_receive
from gendan.orders.services.recall import order_recall
from gendan.orders.tests.helpers import order_registered, staff
from gendan.parties.tests.factories import DealerFactory, HomeownerFactory
from gendan.warehouse.models import StockMove
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.shipping import order_shipped_out

pytestmark = pytest.mark.django_db


def test_o50_recalled_goods_go_back_into_their_batch_without_approvals(roles):
    """O-50: finance has the goods brought back; the warehouse books them in (no approvals),
    into the batch they shipped from, available again."""
    # given a dealer's pay-on-delivery order of 10 m² from batch B-1 (30 m²), shipped, unpaid
    product = stocked_product()
    batch = batch_received(product, "B-1", "30")
    dealer = DealerFactory()
    order = order_registered(
        dealer, end_customer=HomeownerFactory(via=dealer), product=product,
        needs_installation=True, payment_terms=PaymentTerms.ON_DELIVERY,
        end_price=Decimal("130"),
    )  # fmt: skip
    order = walked_to(order, "deliver")
    order_shipped_out(order)
    batch.refresh_from_db()
    assert batch.on_hand == Decimal("20.000")
    # when finance recalls them and the warehouse books them in
    goods_return = order_recall(
        actor=staff(Role.FINANCE), order=order, freight="60.00", reason="货到未付款"
    )
    return_receive(actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="完好")
    # then all 10 m² are back in B-1, available, by a RETURNED move naming the recall
    batch.refresh_from_db()
    assert (batch.on_hand, batch.available) == (Decimal("30.000"), Decimal("30.000"))
    move = StockMove.objects.get(kind=StockMove.Kind.RETURNED)
    assert (move.batch, move.quantity, move.document) == (batch, Decimal("10"), str(goods_return))
