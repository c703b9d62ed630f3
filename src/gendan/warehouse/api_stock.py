"""The stock pages in the API: stock by product, a batch's places and moves, moves and
write-offs, stock counts (started, counted, submitted, approved or rejected), low stock.
Mounted by warehouse/api.py. Refused by a rule: 422 with the service's message, nothing
changes."""

from __future__ import annotations

from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gendan.core.api_helpers import RecordId, permission_require
from gendan.core.listing import PageNumbers
from gendan.warehouse.models import Location, StockCount, StockMove, Warehouse
from gendan.warehouse.selectors_stock import (
    batch_levels,
    batch_moves,
    count_get,
    count_list,
    low_stock,
    move_document,
    stock_batch_get,
    stock_by_product,
    top_ups_short,
    waiting_needs,
)
from gendan.warehouse.services.counts import (
    Entry,
    count_label,
    stock_count_approve,
    stock_count_enter,
    stock_count_reject,
    stock_count_start,
    stock_count_submit,
)
from gendan.warehouse.services.moves import stock_move, stock_write_off

router = Router(tags=["warehouse"])
QUANTITY = Field(gt=0, max_digits=14, decimal_places=3)


def text(quantity: Decimal | None) -> str | None:
    return None if quantity is None else format(quantity.normalize(), "f")


class ProductStockOut(Schema):
    id: int
    sku: str
    name: str
    unit: str
    on_hand: str  # in the places filtered (warehouse, kind)
    reserved: str  # sellable, over all batches
    available: str

    @staticmethod
    def resolve_on_hand(product) -> str:
        return text(product.on_hand)

    @staticmethod
    def resolve_reserved(product) -> str:
        return text(product.reserved)

    @staticmethod
    def resolve_available(product) -> str:
        return text(product.available)


class LevelOut(Schema):
    location_id: int
    location: str
    kind: str
    on_hand: str


class MoveOut(Schema):
    id: int
    kind: str
    quantity: str
    from_location: str | None
    to_location: str | None
    by: str
    at: str
    reason: str
    document: str


class StockBatchOut(Schema):
    id: int
    product: str
    number: str
    produced_on: str | None
    grade: str
    due_on: str | None
    on_hand: str  # sellable
    reserved: str
    available: str
    levels: list[LevelOut]
    moves: list[MoveOut]  # the latest 200, newest first


class MoveIn(Schema):
    batch_id: int
    from_location_id: int
    to_location_id: int
    quantity: Decimal = QUANTITY
    reason: str = Field(max_length=200)


class WriteOffIn(Schema):
    batch_id: int
    from_location_id: int
    quantity: Decimal = QUANTITY
    reason: str = Field(max_length=200)


class CountIn(Schema):
    warehouse_id: int
    location_id: int | None = None
    note: str = Field("", max_length=200)


class CountLineOut(Schema):
    id: int
    batch_id: int
    batch: str
    sku: str
    location: str
    expected: str
    counted: str | None
    reason: str


class CountOut(Schema):
    id: int
    label: str
    warehouse: str
    location: str | None
    state: str
    started_by: str
    submitted_by: str | None
    decided_by: str | None
    decision_note: str
    lines: list[CountLineOut]


class CountLineIn(Schema):
    id: int
    counted: Decimal = Field(ge=0, max_digits=14, decimal_places=3)
    reason: str = Field("", max_length=200)


class CountLinesIn(Schema):
    lines: list[CountLineIn]


class RejectIn(Schema):
    reason: str = Field(max_length=200)


class ShortOut(Schema):
    product_id: int
    sku: str
    needed: str
    available: str
    missing: str
    orders: list[str]


class TopUpOut(Schema):
    order: str
    product: str
    batch_id: int
    batch: str
    needed: str
    available: str


class LowStockOut(Schema):
    short: list[ShortOut]  # products open orders not yet reserved need more of
    top_ups: list[TopUpOut]  # top-up orders whose customer's batch has too little


@router.get("/stock", response=list[ProductStockOut])
@paginate(PageNumbers)
def stock(
    request: HttpRequest, q: str = "", warehouse_id: int | None = None, kind: str = "",
    with_stock: bool = False, order: str = "sku",
):  # fmt: skip
    """Stock by product: on hand in the places filtered, sellable reserved and available."""
    permission_require(request, "warehouse.view_batch")
    return stock_by_product(
        search=q, warehouse=str(warehouse_id or ""), kind=kind,
        with_stock="yes" if with_stock else "", order=order,
    )  # fmt: skip


@router.get("/batches/{batch_id}", response=StockBatchOut)
def batch(request: HttpRequest, batch_id: RecordId) -> StockBatchOut:
    """One batch: what each place holds, and the moves behind the figures."""
    permission_require(request, "warehouse.view_batch")
    return batch_out(stock_batch_get(batch_id))


def batch_out(batch) -> StockBatchOut:
    levels = [
        LevelOut(location_id=level.location_id, location=str(level.location),
                 kind=level.location.kind, on_hand=text(level.on_hand))
        for level in batch_levels(batch)
    ]  # fmt: skip
    return StockBatchOut(
        id=batch.pk, product=batch.product.sku, number=batch.number,
        produced_on=batch.produced_on and batch.produced_on.isoformat(), grade=batch.grade,
        due_on=batch.due_on and batch.due_on.isoformat(), on_hand=text(batch.on_hand),
        reserved=text(batch.reserved), available=text(batch.available), levels=levels,
        moves=[move_out(move) for move in batch_moves(batch)[:200]],
    )  # fmt: skip


def move_out(move: StockMove) -> MoveOut:
    return MoveOut(
        id=move.pk, kind=move.kind, quantity=text(move.quantity),
        from_location=move.from_location and str(move.from_location),
        to_location=move.to_location and str(move.to_location),
        by=move.actor.display_name, at=move.at.isoformat(), reason=move.reason,
        document=move_document(move)[0],
    )  # fmt: skip


@router.post("/moves", response={201: MoveOut})
def move_add(request: HttpRequest, payload: MoveIn) -> Status:
    """Goods of a batch from one place to another of its warehouse, with a reason."""
    permission_require(request, "warehouse.add_stockmove")
    batch = stock_batch_get(payload.batch_id)
    move = stock_move(
        actor=request.user, batch=batch, quantity=payload.quantity,
        from_location=get_object_or_404(Location, pk=payload.from_location_id),
        to_location=get_object_or_404(Location, pk=payload.to_location_id),
        reason=payload.reason,
    )  # fmt: skip
    return Status(201, move_out(move))


@router.post("/write-offs", response={201: MoveOut})
def write_off_add(request: HttpRequest, payload: WriteOffIn) -> Status:
    """Goods of a batch written off from a place, with a reason."""
    permission_require(request, "warehouse.add_stockmove")
    move = stock_write_off(
        actor=request.user, batch=stock_batch_get(payload.batch_id), quantity=payload.quantity,
        from_location=get_object_or_404(Location, pk=payload.from_location_id),
        reason=payload.reason,
    )  # fmt: skip
    return Status(201, move_out(move))


@router.post("/counts", response={201: CountOut})
def count_add(request: HttpRequest, payload: CountIn) -> Status:
    """A count of a warehouse (or one location of it): the books taken as they are now."""
    permission_require(request, "warehouse.add_stockcount")
    warehouse = get_object_or_404(Warehouse, pk=payload.warehouse_id)
    location = None
    if payload.location_id is not None:
        location = get_object_or_404(Location, pk=payload.location_id)
    count = stock_count_start(
        actor=request.user, warehouse=warehouse, location=location, note=payload.note
    )
    return Status(201, count_out(count))


class CountRowOut(Schema):
    id: int
    label: str
    warehouse: str
    location: str | None
    state: str
    started_by: str
    started_at: str

    @staticmethod
    def resolve_label(count) -> str:
        return count_label(count)

    @staticmethod
    def resolve_warehouse(count) -> str:
        return count.warehouse.code

    @staticmethod
    def resolve_location(count) -> str | None:
        return count.location and str(count.location)

    @staticmethod
    def resolve_started_by(count) -> str:
        return count.started_by.display_name

    @staticmethod
    def resolve_started_at(count) -> str:
        return count.started_at.isoformat()


@router.get("/counts", response=list[CountRowOut])
@paginate(PageNumbers)
def counts(request: HttpRequest, state: str = "", warehouse_id: int | None = None):
    """The counts, newest first; by state (open, submitted, booked, rejected), warehouse."""
    permission_require(request, "warehouse.view_stockmove")
    return count_list(state=state, warehouse=str(warehouse_id or ""))


@router.get("/counts/{count_id}", response=CountOut)
def count(request: HttpRequest, count_id: RecordId) -> CountOut:
    permission_require(request, "warehouse.view_stockmove")
    return count_out(count_get(count_id))


@router.post("/counts/{count_id}/lines", response=CountOut)
def count_lines(request: HttpRequest, count_id: RecordId, payload: CountLinesIn) -> CountOut:
    """Counted quantities of some lines (with why each differs), all saved or none."""
    permission_require(request, "warehouse.add_stockcount")
    entries = [Entry(line_id=line.id, counted=line.counted, reason=line.reason)
               for line in payload.lines]  # fmt: skip
    stock_count_enter(actor=request.user, count=count_get(count_id), entries=entries)
    return count_out(count_get(count_id))


@router.post("/counts/{count_id}/submit", response=CountOut)
def count_submit(request: HttpRequest, count_id: RecordId) -> CountOut:
    permission_require(request, "warehouse.add_stockcount")
    stock_count_submit(actor=request.user, count=count_get(count_id))
    return count_out(count_get(count_id))


@router.post("/counts/{count_id}/approve", response=CountOut)
def count_approve(request: HttpRequest, count_id: RecordId) -> CountOut:
    """A second person (not one who counted) approves: the differences are booked."""
    permission_require(request, "warehouse.change_stockcount")
    stock_count_approve(actor=request.user, count=count_get(count_id))
    return count_out(count_get(count_id))


@router.post("/counts/{count_id}/reject", response=CountOut)
def count_reject(request: HttpRequest, count_id: RecordId, payload: RejectIn) -> CountOut:
    permission_require(request, "warehouse.change_stockcount")
    stock_count_reject(actor=request.user, count=count_get(count_id), reason=payload.reason)
    return count_out(count_get(count_id))


def count_out(count: StockCount) -> CountOut:
    lines = count.lines.select_related("batch__product", "location").order_by("pk")
    return CountOut(
        id=count.pk, label=count_label(count), warehouse=count.warehouse.code,
        location=count.location and str(count.location), state=count.state,
        started_by=count.started_by.display_name,
        submitted_by=count.submitted_by and count.submitted_by.display_name,
        decided_by=count.decided_by and count.decided_by.display_name,
        decision_note=count.decision_note,
        lines=[CountLineOut(
            id=line.pk, batch_id=line.batch_id, batch=line.batch.number,
            sku=line.batch.product.sku, location=str(line.location),
            expected=text(line.expected), counted=text(line.counted), reason=line.reason,
        ) for line in lines],
    )  # fmt: skip


@router.get("/low-stock", response=LowStockOut)
def low_stock_report(request: HttpRequest) -> LowStockOut:
    """What open orders not yet reserved need that stock lacks (see the low-stock page)."""
    permission_require(request, "warehouse.view_batch")
    needs = waiting_needs()
    return LowStockOut(
        short=[ShortOut(
            product_id=row.product.pk, sku=row.product.sku, needed=text(row.needed),
            available=text(row.available), missing=text(row.missing), orders=row.orders,
        ) for row in low_stock(needs)],
        top_ups=[TopUpOut(
            order=row.order.number, product=row.batch.product.sku, batch_id=row.batch.pk,
            batch=row.batch.number, needed=text(row.needed), available=text(row.available),
        ) for row in top_ups_short(needs)],
    )  # fmt: skip
