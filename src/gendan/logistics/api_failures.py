"""Failed deliveries in the API (O-44): the list (open ones first) and one failure, and the
four follow-ups: the goods back into stock, the customer told, the drop rebooked, the
redelivery freight charged to the side at fault. Mounted by logistics/api.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from gendan.core.api_helpers import RecordId, permission_require
from gendan.core.listing import PageNumbers
from gendan.logistics.models import FailedDelivery
from gendan.logistics.selectors_failures import failure_row, failures_list, failures_visible
from gendan.logistics.services.failures import (
    failure_customer_told,
    failure_freight_charge,
    failure_goods_back,
    failure_rebook,
)

router = Router(tags=["logistics"])
VIEW = "logistics.view_faileddelivery"


class FailureOut(Schema):
    id: int
    order_id: int
    order: str
    reason: str
    detail: str
    fault: str
    reported_at: dt.datetime
    reported_by: str
    goods_back_at: dt.datetime | None
    customer_told_at: dt.datetime | None
    customer_told_to: str
    rebooking: str | None  # the booking's day or window
    freight: Decimal | None
    fault_share: Decimal | None
    charged_at: dt.datetime | None
    charge_reference: str
    todo: list[str]  # goods_back, told, rebooked, charged: what is still to do
    late_told: bool  # O-44: not told within two hours of the report

    @staticmethod
    def of(failure: FailedDelivery) -> FailureOut:
        row = failure_row(failure)
        return FailureOut(
            id=failure.pk, order_id=failure.order_id, order=failure.order.number,
            reason=failure.reason, detail=failure.detail, fault=failure.fault,
            reported_at=failure.reported_at, reported_by=failure.reported_by.display_name,
            goods_back_at=failure.goods_back_at, customer_told_at=failure.customer_told_at,
            customer_told_to=failure.customer_told_to,
            rebooking=str(failure.rebooking) if failure.rebooking_id else None,
            freight=failure.freight, fault_share=failure.fault_share,
            charged_at=failure.charged_at, charge_reference=failure.charge_reference,
            todo=row.todo, late_told=row.late_told,
        )  # fmt: skip


class FailureRows:
    """The list's queryset, each page read as FailureOut rows (sliced by the paginator)."""

    def __init__(self, failures) -> None:
        self.failures = failures

    def count(self) -> int:
        return self.failures.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, part: slice) -> list[FailureOut]:
        return [FailureOut.of(failure) for failure in self.failures[part]]


@router.get("/failures", response=list[FailureOut])
@paginate(PageNumbers)
def failures(
    request: HttpRequest, q: str = "", state: str = "open", fault: str = "", sort: str = "new"
):
    """O-44: the failed deliveries, those with something still to do first; ``state`` open,
    done or all; ``fault`` customer, dealer or company; ``sort`` new, old or order."""
    permission_require(request, VIEW)
    return FailureRows(failures_list(request.user, q=q, state=state, fault=fault, sort=sort))


def failure_of(request: HttpRequest, failure_id: int) -> FailedDelivery:
    return get_object_or_404(failures_visible(request.user), pk=failure_id)


@router.get("/failures/{failure_id}", response=FailureOut)
def failure(request: HttpRequest, failure_id: RecordId) -> FailureOut:
    permission_require(request, VIEW)
    return FailureOut.of(failure_of(request, failure_id))


@router.post("/failures/{failure_id}/goods-back", response=FailureOut)
def failure_goods_back_api(request: HttpRequest, failure_id: RecordId) -> FailureOut:
    """O-44: the goods back into the batches and places they shipped from; the order waits at
    the ship step again (the warehouse)."""
    permission_require(request, "warehouse.add_stockmove")
    done = failure_goods_back(actor=request.user, failure=failure_of(request, failure_id))
    return FailureOut.of(done)


class FailureToldIn(Schema):
    told_to: str = Field(max_length=60)


@router.post("/failures/{failure_id}/told", response=FailureOut)
def failure_told_api(request: HttpRequest, failure_id: RecordId, payload: FailureToldIn):
    """O-44: the customer told at once: whom (by whom and when is recorded)."""
    permission_require(request, "logistics.change_faileddelivery")
    failure = failure_of(request, failure_id)
    return FailureOut.of(
        failure_customer_told(actor=request.user, failure=failure, told_to=payload.told_to)
    )


class FailureRebookIn(Schema):
    first_day: dt.date
    last_day: dt.date | None = None
    told_to: str = Field(max_length=60)
    call_promised: bool = False
    window_start: dt.time | None = None
    window_end: dt.time | None = None
    note: str = Field("", max_length=200)


@router.post("/failures/{failure_id}/rebook", response=FailureOut)
def failure_rebook_api(request: HttpRequest, failure_id: RecordId, payload: FailureRebookIn):
    """O-44 with O-41, O-42: booked again on a day or in a window; replaces the booking."""
    permission_require(request, "logistics.change_faileddelivery")
    failure = failure_of(request, failure_id)
    return FailureOut.of(failure_rebook(actor=request.user, failure=failure, **payload.dict()))


class FailureChargeIn(Schema):
    freight: Decimal = Field(max_digits=10, decimal_places=2)
    share: Decimal = Field(description="the side at fault's share, 0.5 to 1 (O-44)")


@router.post("/failures/{failure_id}/charge", response=FailureOut)
def failure_charge_api(request: HttpRequest, failure_id: RecordId, payload: FailureChargeIn):
    """O-44: the redelivery freight, at least half charged to the side at fault (422 below)."""
    permission_require(request, "logistics.charge_freight")
    failure = failure_of(request, failure_id)
    charged = failure_freight_charge(
        actor=request.user, failure=failure, freight=payload.freight, share=payload.share
    )
    return FailureOut.of(charged)
