"""O-58 in the API: what each product of an order gets from one batch or what is short, and
the customer's agreement to a split, validated by the order page's own form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from gendan.core.api_helpers import RecordId, permission_require
from gendan.orders.selectors import order_get
from gendan.warehouse.selectors_shortfall import ProductStock, order_shortfalls
from gendan.warehouse.services.reservations import split_agree
from gendan.warehouse.views_reservations import SplitAgreementForm

router = Router(tags=["warehouse"])
CLERK_STOCK = "warehouse.add_splitagreement"


class BatchPartOut(Schema):
    batch: str
    quantity: Decimal


class AgreementOut(Schema):
    id: int
    product: str
    agreed_by: str
    agreed_at: dt.datetime
    note: str
    recorded_by: str


class ProductShortfallOut(Schema):
    product: str
    needed: Decimal  # still to be reserved or shipped
    held: Decimal
    one_batch: bool  # a single batch has it all (or it is held)
    plan: list[BatchPartOut]  # what reserving now would take (a split: only once agreed)
    largest_batch: str | None = None
    largest_available: Decimal | None = None
    missing: Decimal | None = None
    next_batch: str | None = None
    next_due_on: dt.date | None = None
    message: str = ""  # the refusal the delivery note would give
    agreement: AgreementOut | None = None


class SplitAgreementIn(Schema):
    product_id: int
    agreed_by: str = Field(max_length=200)
    agreed_at: dt.datetime | None = None
    note: str = Field("", max_length=1000)


def agreement_out(agreement) -> AgreementOut:
    return AgreementOut(
        id=agreement.pk, product=agreement.product.sku, agreed_by=agreement.agreed_by,
        agreed_at=agreement.agreed_at, note=agreement.note,
        recorded_by=agreement.recorded_by.display_name,
    )  # fmt: skip


def product_stock_out(row: ProductStock) -> ProductShortfallOut:
    short = row.shortfall
    largest = short.largest if short else None
    due = short.next_due if short else None
    return ProductShortfallOut(
        product=row.product.sku, needed=row.needed, held=row.held, one_batch=row.one_batch,
        plan=[BatchPartOut(batch=batch.number, quantity=part) for batch, part in row.plan],
        largest_batch=largest.number if largest else None,
        largest_available=largest.available if largest else None,
        missing=short.missing if short else None,
        next_batch=due.number if due else None, next_due_on=due.due_on if due else None,
        message=short.message() if short else "",
        agreement=agreement_out(row.agreement) if row.agreement else None,
    )  # fmt: skip


@router.get("/orders/{order_id}/shortfalls", response=list[ProductShortfallOut])
def order_shortfalls_get(request: HttpRequest, order_id: RecordId) -> list[ProductShortfallOut]:
    """O-58: each stocked product of the order still to leave: the one batch the delivery
    note reserves, or the largest batch, what is missing and the next batch due."""
    permission_require(request, CLERK_STOCK)
    order = order_get(user=request.user, pk=order_id)
    return [product_stock_out(row) for row in order_shortfalls(order)]


@router.post("/orders/{order_id}/split-agreements", response={201: AgreementOut})
def split_agreement_post(
    request: HttpRequest, order_id: RecordId, payload: SplitAgreementIn
) -> Status:
    """O-58: the customer agreed that a product of the order may come from more than one
    batch (who, when: now if not sent); the delivery note then reserves the fewest."""
    permission_require(request, CLERK_STOCK)
    order = order_get(user=request.user, pk=order_id)
    form = SplitAgreementForm(data=payload.dict() | {"product": payload.product_id}, order=order)
    if not form.is_valid():
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    agreement = split_agree(actor=request.user, order=order, **form.cleaned_data)
    return Status(201, agreement_out(agreement))
