"""The warehouse's reads."""

from __future__ import annotations

from typing import Any

from gendan.orders.models import Order
from gendan.warehouse.models import Reservation


def order_stock(order: Order) -> dict[str, Any]:
    """What the order page shows of the warehouse: the order's reservations, by product."""
    reservations = (
        Reservation.objects.filter(order=order)
        .select_related("batch", "product")
        .order_by("product__sku", "state", "pk")
    )
    return {"reservations": list(reservations)}
