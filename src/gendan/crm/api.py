import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja import Field, File, ModelSchema, Router, Schema, UploadedFile

from gendan.core.api_helpers import permission_require
from gendan.crm.imports import events_import
from gendan.crm.models import Event, Figures
from gendan.crm.services.customers import customer_merge
from gendan.crm.services.events import EventInput, events_record
from gendan.parties.selectors import customer_get

router = Router(tags=["crm"])
BATCH_LIMIT = 10_000
BATCH_TOO_BIG = _("At most %(limit)s events in one batch.")
# The columns' ranges: a larger number is refused here (422), not by the database (500).
QUANTITY_MAX = 2**31 - 1
RECORD_ID_MAX = 2**63 - 1


class EventIn(Schema):
    kind: str
    at: dt.datetime
    customer_id: int | None = Field(None, ge=1, le=RECORD_ID_MAX)
    platform: str = ""
    platform_id: str = ""
    nickname: str = ""
    mobile: str = ""
    amount: Decimal | None = None
    item: str = ""
    quantity: int = Field(1, ge=1, le=QUANTITY_MAX)
    source: str = ""
    external_id: str = ""
    category: str = ""
    gender: str = ""
    birth_year: int | None = None
    province: str = ""
    city: str = ""


class BatchOut(Schema):
    recorded: int


class FiguresOut(ModelSchema):
    class Meta:
        model = Figures
        fields = [
            "first_seen_at", "last_seen_at", "source", "first_purchase_at", "last_purchase_at",
            "purchase_count", "purchase_amount", "items_bought", "refund_amount",
            "last_interest_at", "card_claimed_at",
        ]  # fmt: skip


@router.post("/events", response=BatchOut)
def events(request: HttpRequest, payload: list[EventIn]):
    """Record a batch of shop events (one transaction: all or nothing; repeats are left out)."""
    permission_require(request, "crm.add_event")
    if len(payload) > BATCH_LIMIT:
        raise ValidationError(BATCH_TOO_BIG % {"limit": BATCH_LIMIT})
    recorded = events_record(rows=[EventInput(**row.dict()) for row in payload])
    return {"recorded": len(recorded)}


@router.get("/customers/{customer_id}/figures", response=FiguresOut)
def figures(request: HttpRequest, customer_id: int):
    permission_require(request, "crm.view_figures")
    customer = customer_get(user=request.user, pk=customer_id)
    return Figures.objects.get_or_create(customer=customer)[0]


@router.post("/events/csv", response=BatchOut)
def events_csv(request: HttpRequest, file: File[UploadedFile]):
    """Import a CSV file of events as a platform exports it; a bad line records nothing."""
    permission_require(request, "crm.add_event")
    return {"recorded": events_import(file)}


class MergeIn(Schema):
    absorb_id: int


@router.post("/customers/{customer_id}/merge", response=BatchOut)
def merge(request: HttpRequest, customer_id: int, payload: MergeIn):
    """The same person twice, of one partner (or none): move the other's history onto this
    customer. For the roles that own shop data; audited."""
    permission_require(request, "crm.merge_customers")
    keep = customer_get(user=request.user, pk=customer_id)
    absorb = customer_get(user=request.user, pk=payload.absorb_id)
    customer_merge(actor=request.user, keep=keep, absorb=absorb)
    return {"recorded": Event.objects.filter(customer=keep).count()}
