"""What the driver collects at a drop (O-17, O-22, O-51): the one amount the call list, the
driver's phone and the driver's sheet all show."""

from __future__ import annotations

from decimal import Decimal

from gendan.logistics.selectors_failures import redelivery_freight_owed
from gendan.orders.models import Order, PaymentTerms
from gendan.orders.money import order_outstanding
from gendan.orders.routes import ROUTES, SETTLE_CONTRACT, STAGE_PAYMENTS

NOTHING = Decimal("0.00")


def amount_to_collect(order: Order) -> Decimal:
    """Nothing on an order settled per contract or standing agreement (supermarkets, projects,
    decoration firms: O-17, O-48) or collected by an outside carrier; otherwise what is still
    outstanding, the homeowner's price where a profit note holds it (O-11, O-51), never a
    dealer's settlement."""
    route = ROUTES[order.route]
    if route.has(SETTLE_CONTRACT.code) or route.has(STAGE_PAYMENTS.code):
        return NOTHING
    if order.payment_terms in (PaymentTerms.CONTRACT, PaymentTerms.CARRIER_COLLECTS):
        return NOTHING
    # O-44: with the redelivery, the customer's share of its freight when the failure was theirs.
    return order_outstanding(order) + redelivery_freight_owed(order)
