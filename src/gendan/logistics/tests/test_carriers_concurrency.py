"""Outside carriers with real concurrent transactions on PostgreSQL (O-23): two finance users
paying one freight at the same moment pay it once; two bookings of one order book one. Dealers'
orders: their route is the handbook's own (a transactional test may find the ChannelRoute rows
flushed)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.logistics.models import CarrierShipment
from gendan.logistics.services.carriers import (
    shipment_book,
    shipment_deliver_sign,
    shipment_freight_pay,
)
from gendan.logistics.tests.carriers_helpers import order_shipped, papers_in, shipment_shipped
from gendan.logistics.tests.factories import CarrierFactory
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_concurrency import at_once

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent transactions"),
]


def test_o23_two_finance_users_at_once_pay_the_freight_once(roles):
    """O-23: the shipment is locked: the second payment finds it paid."""
    # given a payable shipment
    shipment = papers_in(shipment_shipped("dealer"))
    shipment_deliver_sign(actor=staff(Role.DRIVER), shipment=shipment)
    payers = iter([staff(Role.FINANCE), staff(Role.FINANCE, "t-finance-2")])
    # when
    results = at_once(
        lambda: shipment_freight_pay(actor=next(payers), shipment=shipment, reference="转账")
    )
    # then
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 1, results
    assert AuditEvent.objects.filter(action="carrier.freight_paid").count() == 1


def test_o23_two_bookings_of_one_order_at_once_book_one_carrier(roles):
    """O-23: the order is locked: one carrier at a time, the second told which one has it."""
    # given
    order = order_shipped("dealer")
    carriers, logistics = iter([CarrierFactory(), CarrierFactory()]), staff(Role.LOGISTICS)
    # when
    results = at_once(
        lambda: shipment_book(
            actor=logistics, order=order, carrier=next(carriers), waybill="W-1",
            freight=Decimal("100"),
        )
    )  # fmt: skip
    # then
    refused = [result for result in results if isinstance(result, ValidationError)]
    assert len(refused) == 1, results
    assert CarrierShipment.objects.filter(order=order).count() == 1
