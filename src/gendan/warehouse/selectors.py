"""The warehouse's reads."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Max, Q, Sum

from gendan.catalog.models import Product
from gendan.orders.models import Order
from gendan.warehouse.models import Batch, Reservation


def order_stock(order: Order) -> dict[str, Any]:
    """What the order page shows of the warehouse: the order's reservations, by product."""
    reservations = (
        Reservation.objects.filter(order=order)
        .select_related("batch", "product")
        .order_by("product__sku", "state", "pk")
    )
    return {"reservations": list(reservations)}


def product_availability(product: Product) -> dict[str, Any]:
    """One product over all its batches, in one query: sellable on hand, reserved, available,
    how many batches have any available and the most one batch has (O-58: a line comes from
    one batch, so the largest says what one order can have without a split)."""
    available = F("on_hand") - F("reserved")
    row = Batch.objects.filter(product=product, on_hand__gt=0).aggregate(
        all_on_hand=Sum("on_hand"), all_reserved=Sum("reserved"), all_available=Sum(available),
        batches=Count("pk", filter=Q(on_hand__gt=F("reserved"))), largest=Max(available),
    )  # fmt: skip
    zero = Decimal("0")
    return {
        "on_hand": row["all_on_hand"] or zero, "reserved": row["all_reserved"] or zero,
        "available": row["all_available"] or zero, "batches": row["batches"],
        "largest": row["largest"] or zero,
    }  # fmt: skip
