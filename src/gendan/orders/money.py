"""What an order costs and what has been paid against it.

``Order.total`` and ``Order.paid`` are kept by the services, under the order's lock, as
lines are written and money is received; ``order_money_recount`` proves them.
"""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum

from gendan.orders.models import Order

CENT = Decimal("0.01")


def order_total(order: Order) -> Decimal:
    return order.total.quantize(CENT)


def order_paid(order: Order) -> Decimal:
    """Goods payments received (installation fees are counted apart)."""
    return order.paid.quantize(CENT)


def order_install_fee_paid(order: Order) -> Decimal:
    paid = order.receipts.filter(is_install_fee=True).aggregate(total=Sum("amount"))["total"]
    return (paid or Decimal("0")).quantize(CENT)


def order_outstanding(order: Order) -> Decimal:
    return max(order_total(order) - order_paid(order), Decimal("0.00"))


def order_money_recount(order: Order) -> tuple[Decimal, Decimal]:
    """Total and paid counted afresh from the lines and receipts."""
    total = order.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    paid = order.receipts.filter(is_install_fee=False).aggregate(total=Sum("amount"))["total"]
    return total.quantize(CENT), (paid or Decimal("0")).quantize(CENT)
