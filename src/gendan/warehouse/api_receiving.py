"""Receiving in the API: receive goods by batch (JSON lines), list and read receipts, print
their labels. The lines are checked by the page's own line form, so both refuse alike."""

import datetime as dt
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import paginate

from gendan.core.api_helpers import RecordId, form_data_cleaned, permission_require
from gendan.core.idempotency import idempotent
from gendan.core.listing import PageNumbers
from gendan.warehouse.forms_receiving import ReceiptForm, ReceiptLineForm
from gendan.warehouse.models import GoodsReceipt
from gendan.warehouse.selectors_receiving import receipt_contents, receipt_get, receipt_list
from gendan.warehouse.services.receiving import ReceiptLineInput, receipt_create
from gendan.warehouse.views_receiving import labels_response

router = Router(tags=["warehouse"])


# A record's number: a larger one cannot exist (SQLite cannot even compare it).
Id = Annotated[int, Field(ge=1, le=2**63 - 1)]


class ReceiptLineIn(Schema):
    product_id: Id
    batch_number: str
    produced_on: dt.date
    grade: str = ""
    colour: str = ""
    quantity: Decimal
    packages: int
    location_id: Id
    lengths_m: list[Decimal] | None = None  # O-59: one a roll of foam


class GoodsReceiptIn(Schema):
    source: str
    warehouse_id: Id
    supplier: str = ""
    note: str = ""
    lines: list[ReceiptLineIn]


class PackageOut(Schema):
    code: str
    quantity: str
    length_m: str | None
    location: str


class ReceiptLineOut(Schema):
    position: int
    product: str
    batch: str
    produced_on: dt.date | None
    quantity: str
    packages: int
    location: str


class GoodsReceiptOut(Schema):
    id: int
    number: str
    source: str
    supplier: str
    warehouse: str
    received_by: str
    received_at: dt.datetime

    @staticmethod
    def resolve_warehouse(receipt: GoodsReceipt) -> str:
        return receipt.warehouse.code

    @staticmethod
    def resolve_received_by(receipt: GoodsReceipt) -> str:
        return receipt.received_by.get_username()


class ReceiptDetailOut(Schema):
    id: int
    number: str
    source: str
    supplier: str
    warehouse: str
    received_by: str
    received_at: dt.datetime
    lines: list[ReceiptLineOut]
    labels: list[PackageOut]
    labels_url: str


def receipt_detail_out(receipt: GoodsReceipt) -> dict:
    contents = receipt_contents(receipt)
    lines = [
        {"position": line.position, "product": line.batch.product.sku, "batch": line.batch.number,
         "produced_on": line.batch.produced_on, "quantity": str(line.quantity),
         "packages": line.packages, "location": str(line.location)}
        for line in contents["lines"]
    ]  # fmt: skip
    labels = [
        {"code": p.code, "quantity": str(p.quantity), "location": str(p.location),
         "length_m": None if p.length_m is None else str(p.length_m)}
        for p in contents["packages"]
    ]  # fmt: skip
    url = f"/api/warehouse/receipts/{receipt.pk}/labels.pdf"
    head = {name: getattr(receipt, name) for name in ("id", "number", "source", "supplier")}
    head |= {"warehouse": receipt.warehouse.code, "received_at": receipt.received_at,
             "received_by": receipt.received_by.get_username()}  # fmt: skip
    return head | {"lines": lines, "labels": labels, "labels_url": url}


# The page's fields under the names the API takes.
API_NAMES = {"product": "product_id", "location": "location_id", "warehouse": "warehouse_id"}


def api_names(errors: dict) -> dict[str, list]:
    return {API_NAMES.get(name, name): list(messages) for name, messages in errors.items()}


def lines_cleaned(rows: list[ReceiptLineIn]) -> list[ReceiptLineInput]:
    """Each line through the page's line form; every bad field named by its place."""
    lines, errors = [], {}
    for index, row in enumerate(rows):
        data = row.dict() | {"product": row.product_id, "location": row.location_id}
        data["lengths_m"] = ", ".join(str(length) for length in row.lengths_m or [])
        form = ReceiptLineForm(data={k: "" if v is None else v for k, v in data.items()})
        if form.is_valid():
            lines.append(form.line())
        else:
            errors |= {f"lines.{index}.{name}": m for name, m in api_names(form.errors).items()}
    if errors:
        raise ValidationError(errors)
    return lines


@router.post("/receipts", response={201: ReceiptDetailOut})
@idempotent
def receipt_add(request: HttpRequest, payload: GoodsReceiptIn):
    """Goods received by batch: one receipt, its lines, a label per box or roll and the stock
    moves, all or nothing. O-59: a foam line gives `lengths_m`, one per roll.

    Send an `Idempotency-Key` header to retry safely (the same key, the same receipt)."""
    permission_require(request, "warehouse.add_goodsreceipt")
    # The receipt's own fields through the page's form: the same refusals (a warehouse not in
    # use, a supplier too long).
    head = payload.dict(exclude={"lines"})
    head["warehouse"] = head.pop("warehouse_id")
    try:
        fields = form_data_cleaned(ReceiptForm, head)
    except ValidationError as error:
        raise ValidationError(api_names(error.message_dict)) from error
    receipt = receipt_create(actor=request.user, **fields, lines=lines_cleaned(payload.lines))
    return Status(201, receipt_detail_out(receipt_get(pk=receipt.pk)))


@router.get("/receipts", response=list[GoodsReceiptOut])
@paginate(PageNumbers)
def receipts(
    request: HttpRequest, q: str = "", source: str = "", start: dt.date | None = None,
    end: dt.date | None = None,
):  # fmt: skip
    """Receipts, newest first: by number, batch or product (`q`), source, between two days."""
    permission_require(request, "warehouse.view_stockmove")
    return receipt_list(search=q, source=source, start=start, end=end)


@router.get("/receipts/{receipt_id}", response=ReceiptDetailOut)
def receipt(request: HttpRequest, receipt_id: RecordId):
    permission_require(request, "warehouse.view_stockmove")
    return receipt_detail_out(receipt_get(pk=receipt_id))


@router.get("/receipts/{receipt_id}/labels.pdf", response={200: None})
def receipt_labels(
    request: HttpRequest, receipt_id: RecordId, line: int | None = Query(None, ge=1, le=9999)
) -> HttpResponse:
    """The labels as a PDF: one 100 × 60 mm page a box or roll, with Code128 and QR codes;
    `line`: only that line's (its position)."""
    permission_require(request, "warehouse.add_goodsreceipt")
    return labels_response(get_object_or_404(GoodsReceipt, pk=receipt_id), line)
