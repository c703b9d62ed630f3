"""Preparing orders in the API (O-18, O-58): the notes to prepare, what to pick for a day,
a box picked by its label, a product's checks. Mounted by warehouse/api.py."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gendan.catalog.models import Product
from gendan.core.api_helpers import RecordId, permission_require
from gendan.core.listing import PageNumbers
from gendan.orders.selectors import order_get
from gendan.warehouse.selectors_picking import WorkRow, picklist, to_prepare, work_rows
from gendan.warehouse.services.picking import package_pick, pick_check_record, shown

router = Router(tags=["warehouse"])


class WorkOut(Schema):
    order_id: int
    number: str
    customer: str
    delivery_on: dt.date | None
    note_at: dt.datetime | None
    urgent: bool  # O-61: a self-pickup, prepared first
    late_note: bool  # O-18: the note came less than a day before delivery
    held: str  # what the order holds in the warehouse, in the products' units (10, 2.36)
    picked: str

    @staticmethod
    def from_row(row: WorkRow) -> WorkOut:
        return WorkOut(
            order_id=row.order.pk, number=row.order.number, customer=str(row.order.customer),
            delivery_on=row.delivery_on, note_at=row.note_at, urgent=row.urgent,
            late_note=row.late_note, held=shown(row.held), picked=shown(row.picked),
        )  # fmt: skip


@router.get("/work", response=list[WorkOut])
@paginate(PageNumbers)
def work(request: HttpRequest, q: str = ""):
    """O-18: delivery notes received and not shipped: urgent self-pickups first, then by day."""
    permission_require(request, "warehouse.view_batch")
    return PreparedRows(to_prepare(request.user, q))


class PreparedRows:
    """The work list's queryset, each page read as WorkOut rows (sliced by the paginator)."""

    def __init__(self, orders) -> None:
        self.orders = orders

    def count(self) -> int:
        return self.orders.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[WorkOut]:
        return [WorkOut.from_row(row) for row in work_rows(list(self.orders[part]))]


class PickRowOut(Schema):
    sku: str
    batch: str
    location: str
    quantity: str
    orders: list[str]


@router.get("/picklist", response=list[PickRowOut])
def picklist_of_day(request: HttpRequest, date: dt.date | None = None) -> list[PickRowOut]:
    """What to pick for one day's deliveries (default tomorrow), by product, batch, location."""
    permission_require(request, "warehouse.view_batch")
    day = date or timezone.localdate() + dt.timedelta(days=1)
    return [
        PickRowOut(
            sku=row.batch.product.sku,
            batch=row.batch.number,
            location=str(row.location),
            quantity=str(row.quantity),
            orders=row.order_numbers,
        )
        for row in picklist(request.user, day)
    ]


class PickIn(Schema):
    code: str = Field(max_length=60)


class PickOut(Schema):
    id: int
    package: str
    batch: str
    location: str
    quantity: str


@router.post("/orders/{order_id}/picks", response={201: PickOut})
def order_pick(request: HttpRequest, order_id: RecordId, payload: PickIn):
    """O-58: a box taken for the order by its label; another batch's box is refused (422)."""
    permission_require(request, "warehouse.add_pick")
    order = order_get(user=request.user, pk=order_id)
    pick = package_pick(actor=request.user, order=order, code=payload.code)
    return Status(201, PickOut(
        id=pick.pk, package=pick.package.code, batch=pick.reservation.batch.number,
        location=str(pick.location), quantity=str(pick.quantity),
    ))  # fmt: skip


class CheckIn(Schema):
    product_id: int
    colour_compared: bool = False
    quality_ok: bool = False
    colour_code_ok: bool = False
    size_ok: bool = False
    note: str = Field("", max_length=200)


class CheckOut(Schema):
    product: str
    colour_compared: bool
    quality_ok: bool
    colour_code_ok: bool
    size_ok: bool
    note: str
    checked_at: dt.datetime


@router.post("/orders/{order_id}/checks", response={201: CheckOut})
def order_check(request: HttpRequest, order_id: RecordId, payload: CheckIn):
    """O-58: one product's checks before it leaves (box opened and colour compared, ...)."""
    permission_require(request, "warehouse.add_pickcheck")
    order = order_get(user=request.user, pk=order_id)
    product = get_object_or_404(Product, pk=payload.product_id)
    answers = payload.dict(exclude={"product_id", "note"})
    check = pick_check_record(
        actor=request.user, order=order, product=product, checks=answers, note=payload.note
    )
    return Status(201, CheckOut(
        product=product.sku, colour_compared=check.colour_compared, quality_ok=check.quality_ok,
        colour_code_ok=check.colour_code_ok, size_ok=check.size_ok, note=check.note,
        checked_at=check.checked_at,
    ))  # fmt: skip
