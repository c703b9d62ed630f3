"""What the warehouse reads when goods come back (O-62, O-63, O-50): the batches a product of
the order shipped from, what of each may still come back, and where graded goods may go."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from gendan.orders.models import GoodsReturn, Order, ReturnLine
from gendan.warehouse.models import Batch, Location, Reservation, StockMove

ZERO = Decimal("0")


@dataclass
class ShippedBatch:
    batch: Batch
    shipped: Decimal  # what of the product left in this batch for the order
    back: Decimal = ZERO  # what of it came back already

    @property
    def left(self) -> Decimal:
        return self.shipped - self.back


def shipped_batches(order: Order) -> dict[int, list[ShippedBatch]]:
    """By product: the batches its shipped reservations took, most still out first (the
    default batch of a return line), with what came back into each already."""
    rows = (
        Reservation.objects.filter(order=order, state=Reservation.State.SHIPPED)
        .values("product", "batch")
        .annotate(shipped=Sum("quantity"))
    )
    back = returned_into(order)
    batches = Batch.objects.in_bulk({row["batch"] for row in rows})
    found: dict[int, list[ShippedBatch]] = defaultdict(list)
    for row in rows:
        batch = batches[row["batch"]]
        found[row["product"]].append(ShippedBatch(batch, row["shipped"], back.get(batch.pk, ZERO)))
    for options in found.values():
        options.sort(key=lambda option: (-option.left, option.batch.pk))
    return dict(found)


def returned_into(order: Order) -> dict[int, Decimal]:
    """By batch: what of the order came back into it (returns and recalls). Goods back from
    a failed delivery (services/failed_delivery.py) are not counted: they leave again with
    the redelivery, whose reservations are the ones that shipped."""
    rows = (
        StockMove.objects.filter(
            order=order, kind=StockMove.Kind.RETURNED, goods_return__isnull=False
        )
        .values("batch")
        .annotate(total=Sum("quantity"))
    )
    return {row["batch"]: row["total"] for row in rows}


def shipped_from(order: Order, batch: Batch) -> Location | None:
    """The location the batch left from for the order: sellable returns go back there."""
    move = (
        StockMove.objects.filter(order=order, batch=batch, kind=StockMove.Kind.SHIPPED)
        .select_related("from_location")
        .order_by("-at", "-pk")
        .first()
    )
    return move.from_location if move else None


def locations_by_kind() -> dict[str, list[Location]]:
    """The locations in use, by kind (sellable, second grade, damaged)."""
    found: dict[str, list[Location]] = {kind: [] for kind in Location.Kind.values}
    active = Location.objects.filter(is_active=True, warehouse__is_active=True)
    for place in active.select_related("warehouse").order_by("warehouse__code", "code"):
        found[place.kind].append(place)
    return found


def location_default(order: Order, batch: Batch, kind: str) -> Location | None:
    """Sellable goods go back where they shipped from; graded ones to the first place of their
    kind in that warehouse (or any warehouse)."""
    origin = shipped_from(order, batch)
    if origin is not None and origin.is_active and origin.kind == kind:
        return origin
    places = locations_by_kind()[kind]
    same = [place for place in places if origin and place.warehouse_id == origin.warehouse_id]
    return (same or places or [None])[0]


@dataclass
class LineChoices:
    """What the grading form offers for one return line."""

    line: ReturnLine
    stocked: bool
    batches: list[ShippedBatch] = field(default_factory=list)


def return_grading_choices(goods_return: GoodsReturn) -> dict[str, object]:
    """The grading form of a return: each line's batches (a split names one) and the places."""
    shipped = shipped_batches(goods_return.order)
    lines = [
        LineChoices(line, line.product.stocked, shipped.get(line.product_id, []))
        for line in goods_return.lines.select_related("product")
    ]
    return {"lines": lines, "locations": locations_by_kind()}
