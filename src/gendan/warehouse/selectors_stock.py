"""The stock pages' reads: stock by product, a product's batches, a batch's places and the
moves behind each figure, stock counts, and what open orders will need that stock lacks.

"On hand" follows the places chosen (warehouse, kind of location); "reserved" and "available"
are the batch's sellable figures over all warehouses, since a reservation holds a batch, not
a place (O-58).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse

from gendan.catalog.models import Product
from gendan.orders.models import Order, OrderLine
from gendan.orders.routes import FINISHED
from gendan.warehouse.models import (
    Batch,
    Location,
    Reservation,
    StockCount,
    StockLevel,
    StockMove,
)
from gendan.warehouse.services.reservations import order_customer

ZERO = Decimal("0")
QUANTITY = DecimalField(max_digits=14, decimal_places=3)
STOCK_ORDERINGS = {
    key: value
    for field in ("sku", "name", "on_hand", "reserved", "available")
    for key, value in ((field, field), (f"-{field}", f"-{field}"))
}
# Sorted by "available" is by ``free`` (Batch.available is a property).
BATCH_ORDERINGS = {
    key: value
    for field, column in (("number", "number"), ("produced_on", "produced_on"),
                          ("on_hand", "place_on_hand"), ("reserved", "reserved"),
                          ("available", "free"), ("due_on", "due_on"))
    for key, value in ((field, column), (f"-{field}", f"-{column}"))
}  # fmt: skip


def summed(grouped: QuerySet, expression: Any) -> Coalesce:
    """A sum of the rows (already grouped by ``values``) as a subquery: one figure per outer
    row, with no join to multiply it."""
    total = grouped.order_by().annotate(s=Sum(expression)).values("s")[:1]
    return Coalesce(Subquery(total, output_field=QUANTITY), Value(ZERO))


def places_filtered(levels: QuerySet, *, warehouse: str = "", kind: str = "") -> QuerySet:
    if warehouse.isdigit():
        levels = levels.filter(location__warehouse_id=int(warehouse))
    if kind in Location.Kind.values:
        levels = levels.filter(location__kind=kind)
    return levels


def stock_by_product(
    *, search: str = "", warehouse: str = "", kind: str = "", with_stock: str = "",
    order: str = "sku",
) -> QuerySet[Product]:  # fmt: skip
    """Each product kept in stock, with ``on_hand`` in the places chosen and its sellable
    ``reserved`` and ``available`` over all batches."""
    levels = places_filtered(
        StockLevel.objects.filter(batch__product=OuterRef("pk")), warehouse=warehouse, kind=kind
    )
    batches = Batch.objects.filter(product=OuterRef("pk"))
    products = Product.objects.filter(
        Q(stocked=True) | Exists(Batch.objects.filter(product=OuterRef("pk")))
    ).annotate(
        on_hand=summed(levels.values("batch__product"), "on_hand"),
        reserved=summed(batches.values("product"), "reserved"),
        available=summed(batches.values("product"), F("on_hand") - F("reserved")),
    )
    if search:
        products = products.filter(
            Q(sku__icontains=search) | Q(name__icontains=search)
            | Exists(Batch.objects.filter(product=OuterRef("pk"), number__icontains=search))
        )  # fmt: skip
    if with_stock == "yes":
        products = products.filter(on_hand__gt=0)
    return products.order_by(STOCK_ORDERINGS.get(order, "sku"), "pk")


def stock_product_get(pk: int) -> Product:
    return get_object_or_404(Product, pk=pk)


def product_batches(
    product: Product, *, warehouse: str = "", kind: str = "", with_stock: str = "",
    order: str = "produced_on",
) -> QuerySet[Batch]:  # fmt: skip
    """The product's batches with ``place_on_hand`` in the places chosen."""
    levels = places_filtered(
        StockLevel.objects.filter(batch=OuterRef("pk")), warehouse=warehouse, kind=kind
    )
    batches = product.batches.annotate(
        place_on_hand=summed(levels.values("batch"), "on_hand"),
        free=F("on_hand") - F("reserved"),
    )
    if with_stock == "yes":
        batches = batches.filter(place_on_hand__gt=0)
    return batches.order_by(BATCH_ORDERINGS.get(order, "produced_on"), "pk")


def batches_chart(batches: QuerySet[Batch]) -> dict[str, Any]:
    """The bars of the product page: available and reserved by batch (at most 40 batches),
    each opening its batch."""
    rows = list(batches.filter(on_hand__gt=0)[:40])
    return {
        "batches": [batch.number for batch in rows],
        "available": [float(batch.on_hand - batch.reserved) for batch in rows],
        "reserved": [float(batch.reserved) for batch in rows],
        "urls": [reverse("warehouse-stock-batch", args=[batch.pk]) for batch in rows],
    }


def stock_batch_get(pk: int) -> Batch:
    return get_object_or_404(Batch.objects.select_related("product"), pk=pk)


def batch_levels(batch: Batch) -> list[StockLevel]:
    return list(
        batch.levels.select_related("location__warehouse").order_by(
            "location__warehouse__code", "location__code"
        )
    )


def batch_moves(batch: Batch, *, location: str = "", kind: str = "") -> QuerySet[StockMove]:
    """The moves of the batch, newest first; those in or out of one place when asked."""
    moves = batch.moves.select_related(
        "from_location", "to_location", "actor", "order", "goods_return__order", "receipt", "count"
    )
    if location.isdigit():
        moves = moves.filter(Q(from_location_id=int(location)) | Q(to_location_id=int(location)))
    if kind in StockMove.Kind.values:
        moves = moves.filter(kind=kind)
    return moves.order_by("-at", "-pk")


def move_document(move: StockMove) -> tuple[str, str]:
    """The paper behind a move, as a label and a link (empty where there is no page)."""
    if move.count_id:
        return move.document or f"PD-{move.count_id}", reverse(
            "warehouse-count", args=[move.count_id]
        )
    if move.goods_return_id:
        return str(move.goods_return), reverse("order-detail", args=[move.goods_return.order_id])
    if move.order_id:
        return move.order.number, reverse("order-detail", args=[move.order_id])
    if move.receipt_id:
        return move.receipt.number, receipt_url(move.receipt_id)
    return move.document, ""


def receipt_url(pk: int) -> str:
    # The receipt pages come with receiving; without them the number alone is shown.
    try:
        return reverse("warehouse-receipt-detail", args=[pk])
    except NoReverseMatch:
        return ""


def move_places(batch: Batch) -> list[Location]:
    """Where goods of the batch may be moved to: the active places of the warehouses it is in."""
    warehouses = batch.levels.values("location__warehouse")
    return list(
        Location.objects.filter(warehouse__in=warehouses, is_active=True)
        .select_related("warehouse")
        .order_by("warehouse__code", "code")
    )


def count_list(*, state: str = "", warehouse: str = "") -> QuerySet[StockCount]:
    counts = StockCount.objects.select_related("warehouse", "location", "started_by")
    if state in StockCount.State.values:
        counts = counts.filter(state=state)
    if warehouse.isdigit():
        counts = counts.filter(warehouse_id=int(warehouse))
    return counts.order_by("-started_at", "-pk")


def count_get(pk: int) -> StockCount:
    return get_object_or_404(
        StockCount.objects.select_related(
            "warehouse", "location", "started_by", "submitted_by", "decided_by"
        ),
        pk=pk,
    )


@dataclass(frozen=True)
class Need:
    """Open orders not yet reserved that need one product, beside what is available."""

    product: Product
    needed: Decimal
    available: Decimal
    orders: list[str]

    @property
    def missing(self) -> Decimal:
        return self.needed - self.available


@dataclass(frozen=True)
class TopUp:
    """A top-up order (O-58): its customer's floor is from this batch, which has too little."""

    batch: Batch
    order: Order
    needed: Decimal
    available: Decimal


def waiting_needs() -> list[tuple[Order, Product, Decimal]]:
    """What open orders need of each stocked product they hold nothing of yet (the delivery
    note, which reserves, is still to come): the order's lines of it summed."""
    # A reservation let go (the order changed) does not count: only what is held or shipped.
    reserved = Reservation.objects.filter(
        order=OuterRef("order"), product=OuterRef("product"),
        state__in=[Reservation.State.ACTIVE, Reservation.State.SHIPPED],
    )  # fmt: skip
    lines = (
        OrderLine.objects.filter(product__stocked=True)
        .exclude(order__step__in=FINISHED)
        .exclude(Exists(reserved))
        .select_related("order", "product")
        .order_by("order__number", "product__sku")
    )
    needs: dict[tuple[int, int], tuple[Order, Product, Decimal]] = {}
    for line in lines:
        key = (line.order_id, line.product_id)
        quantity = needs[key][2] if key in needs else ZERO
        needs[key] = (line.order, line.product, quantity + line.quantity)
    return list(needs.values())


def low_stock(needs: list[tuple[Order, Product, Decimal]]) -> list[Need]:
    """Products whose available over all batches is less than what those orders need."""
    needed: dict[int, tuple[Product, Decimal, list[str]]] = {}
    for order, product, quantity in needs:
        _product, total, orders = needed.get(product.pk, (product, ZERO, []))
        needed[product.pk] = (product, total + quantity, [*orders, order.number])
    available = available_by_product(list(needed))
    rows = [
        Need(product=product, needed=total, available=available.get(pk, ZERO), orders=orders)
        for pk, (product, total, orders) in needed.items()
    ]
    rows = [row for row in rows if row.missing > 0]
    return sorted(rows, key=lambda row: (-row.missing, row.product.sku))


def available_by_product(product_ids: list[int]) -> dict[int, Decimal]:
    rows = (
        Batch.objects.filter(product__in=product_ids)
        .values("product")
        .annotate(total=Sum(F("on_hand") - F("reserved")))
    )
    return {row["product"]: row["total"] or ZERO for row in rows}


def top_ups_short(needs: list[tuple[Order, Product, Decimal]]) -> list[TopUp]:
    """Top-up orders: the customer's floor of the product came from a batch (shipped to them
    before), and none of those batches has what the order needs available (the reservation
    would take another shade, or need a split). Each with the fullest of those batches."""
    rows = []
    for order, product, quantity in needs:
        customer = order_customer(order)
        floors = customer_floor_batches(customer, product.pk) if customer else []
        if not floors:
            continue
        best = max(floors, key=lambda batch: batch.on_hand - batch.reserved)
        if best.available < quantity:
            rows.append(TopUp(batch=best, order=order, needed=quantity, available=best.available))
    return rows


def customer_floor_batches(customer: int, product: int) -> list[Batch]:
    shipped = Reservation.objects.filter(
        Q(order__end_customer=customer) | Q(order__customer=customer),
        product=product, state=Reservation.State.SHIPPED,
    ).values("batch")  # fmt: skip
    return list(Batch.objects.filter(pk__in=shipped).select_related("product").order_by("pk"))
