"""Reads of goods receipts: the list with its search and filters, one receipt with all it made."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.shortcuts import get_object_or_404

from gendan.warehouse.models import GoodsReceipt, Package, StockMove

ORDERS = {
    "number": "number", "-number": "-number", "received_at": "received_at",
    "-received_at": "-received_at",
}  # fmt: skip


def receipt_list(
    *,
    search: str = "",
    source: str = "",
    start: dt.date | None = None,
    end: dt.date | None = None,
    order: str = "-received_at",
) -> QuerySet[GoodsReceipt]:
    """Receipts, newest first: by number, batch number or product (item number or name)."""
    receipts = GoodsReceipt.objects.select_related("warehouse", "received_by").annotate(
        line_count=Count("lines", distinct=True), total=Sum("lines__packages")
    )
    if search:
        lines = Q(lines__batch__number__icontains=search) | Q(
            lines__batch__product__sku__icontains=search
        )
        lines |= Q(lines__batch__product__name__icontains=search)
        matching = GoodsReceipt.objects.filter(lines).values("pk")
        receipts = receipts.filter(Q(number__icontains=search) | Q(pk__in=matching))
    if source in GoodsReceipt.Source.values:
        receipts = receipts.filter(source=source)
    if start is not None:
        receipts = receipts.filter(received_at__date__gte=start)
    if end is not None:
        receipts = receipts.filter(received_at__date__lte=end)
    return receipts.order_by(ORDERS.get(order, "-received_at"), "-pk")


def receipt_get(*, pk: int) -> GoodsReceipt:
    return get_object_or_404(GoodsReceipt.objects.select_related("warehouse", "received_by"), pk=pk)


def receipt_contents(receipt: GoodsReceipt) -> dict[str, Any]:
    """The receipt page: its lines, the packages they came in, the moves it wrote."""
    lines = receipt.lines.select_related("batch__product", "location").order_by("position")
    packages = (
        Package.objects.filter(receipt_line__receipt=receipt)
        .select_related("location", "receipt_line")
        .order_by("receipt_line__position", "pk")
    )
    moves = StockMove.objects.filter(receipt=receipt).select_related(
        "batch__product", "to_location", "actor"
    )
    return {"lines": list(lines), "packages": packages, "moves": list(moves.order_by("pk"))}
