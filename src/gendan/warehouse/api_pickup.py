"""O-61, urgent self-pickup, in the API: each line's stock by batch before the delivery note,
the substitutes proposed, and the customer's choice recorded. Mounted by warehouse/api.py."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gendan.catalog.models import Product
from gendan.core.api_helpers import permission_require
from gendan.orders.selectors import order_get, order_settlement_visible
from gendan.warehouse.models import Batch, Substitution
from gendan.warehouse.selectors_pickup import (
    LineStock,
    Substitute,
    order_is_urgent,
    order_pickup,
    order_substitutions,
)
from gendan.warehouse.services.pickup import substitution_choose

router = Router(tags=["warehouse"])


class PickupBatchOut(Schema):
    number: str
    produced_on: str | None
    on_hand: str
    reserved: str
    available: str
    covers: bool  # one batch holds the order's whole quantity of the product (O-58)


class SubstituteOut(Schema):
    product_id: int
    sku: str
    name: str
    colour_code: str
    grade: str
    rule: str  # "colour": another colour, same grade; "grade": the same colour, another grade
    batch: str
    available: str
    price: str | None  # for this customer (O-9); null for who does not see the order's prices


class LineStockOut(Schema):
    line_id: int
    position: int
    sku: str
    needed: str
    covered: bool
    reserve_from: str | None  # the batch the delivery note would reserve
    batches: list[PickupBatchOut]
    substitutes: list[SubstituteOut]


class SubstitutionOut(Schema):
    id: int
    original: str
    substitute: str
    chosen_by: str
    note: str
    recorded_by: str
    recorded_at: str


class PickupOut(Schema):
    self_pickup: bool
    urgent: bool
    open: bool  # a self-pickup whose delivery note is not made yet: lines are listed
    lines: list[LineStockOut]
    substitutions: list[SubstitutionOut]  # the customer's choices recorded on the order


class SubstitutionIn(Schema):
    line_id: int
    substitute_id: int
    chosen_by: str = Field(max_length=60)
    note: str = Field("", max_length=200)


@router.get("/orders/{order_id}/pickup", response=PickupOut)
def order_pickup_stock(request: HttpRequest, order_id: int) -> PickupOut:
    """O-61: a self-pickup's lines with their stock by batch and, when no batch covers one,
    the substitutes proposed, best first."""
    permission_require(request, "warehouse.view_batch")
    order = order_get(user=request.user, pk=order_id)
    rows = order_pickup(order)
    priced = order_settlement_visible(request.user, order)
    return PickupOut(
        self_pickup=order.self_pickup, urgent=order_is_urgent(order), open=rows is not None,
        lines=[line_out(row, priced) for row in rows or []],
        substitutions=[substitution_out(s) for s in order_substitutions(order)],
    )  # fmt: skip


@router.post("/orders/{order_id}/substitutions", response={201: SubstitutionOut})
def order_substitution(request: HttpRequest, order_id: int, payload: SubstitutionIn) -> Status:
    """O-61: record the customer's choice of a proposed substitute for a line; the line
    becomes it at its price (a new version of the order, O-7). Refused (422), nothing changes."""
    permission_require(request, "warehouse.add_substitution")
    order = order_get(user=request.user, pk=order_id)
    line = get_object_or_404(order.lines, pk=payload.line_id)
    product = get_object_or_404(Product, pk=payload.substitute_id)
    chosen = substitution_choose(
        actor=request.user, order=order, line=line, substitute=product,
        chosen_by=payload.chosen_by, note=payload.note,
    )  # fmt: skip
    return Status(201, substitution_out(chosen))


def substitution_out(chosen: Substitution) -> SubstitutionOut:
    return SubstitutionOut(
        id=chosen.pk, original=chosen.original.sku, substitute=chosen.substitute.sku,
        chosen_by=chosen.chosen_by, note=chosen.note, recorded_by=chosen.recorded_by.display_name,
        recorded_at=chosen.recorded_at.isoformat(),
    )  # fmt: skip


def line_out(row: LineStock, priced: bool) -> LineStockOut:
    return LineStockOut(
        line_id=row.line.pk, position=row.line.position, sku=row.line.product.sku,
        needed=str(row.needed), covered=row.covered,
        reserve_from=row.reserve_from.number if row.reserve_from else None,
        batches=[batch_out(batch, row) for batch in row.batches],
        substitutes=[substitute_out(s, priced) for s in row.substitutes],
    )  # fmt: skip


def batch_out(batch: Batch, row: LineStock) -> PickupBatchOut:
    return PickupBatchOut(
        number=batch.number, produced_on=batch.produced_on.isoformat() if batch.produced_on
        else None, on_hand=str(batch.on_hand), reserved=str(batch.reserved),
        available=str(batch.available), covers=row.covers(batch),
    )  # fmt: skip


def substitute_out(substitute: Substitute, priced: bool) -> SubstituteOut:
    product = substitute.product
    return SubstituteOut(
        product_id=product.pk, sku=product.sku, name=product.name,
        colour_code=product.colour_code, grade=product.grade, rule=substitute.rule,
        batch=substitute.batch.number, available=str(substitute.batch.available),
        price=str(substitute.price) if priced else None,
    )  # fmt: skip
