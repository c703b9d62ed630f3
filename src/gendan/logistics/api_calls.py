"""The call list in the API (O-43, O-42): a day's drops with their window, amount and message;
a drop marked told; the day's messages e-mailed. Mounted by logistics/api.py."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from gendan.core.api_helpers import RecordId, permission_require
from gendan.logistics.models import Drop
from gendan.logistics.selectors_calls import (
    CallRow,
    call_plan,
    call_progress,
    call_promised_elsewhere,
    call_row,
    call_rows,
    call_unplanned,
)
from gendan.logistics.services.calls import calls_email, drop_told

router = Router(tags=["logistics"])
# Read by whoever follows deliveries (not the driver, who holds view_drop for its own drops).
VIEW, TELL = "logistics.view_routeplan", "logistics.tell_customer"


class CallDropOut(Schema):
    drop_id: int
    order_id: int
    number: str
    truck: str
    stop: int
    name: str
    phone: str
    email: str
    arrives_at: dt.datetime | None
    window_from: dt.datetime | None  # O-43: the approximate arrival told
    window_until: dt.datetime | None
    amount_due: Decimal  # 0: nothing to pay on delivery
    call_promised: bool  # O-42
    message: str
    told_at: dt.datetime | None
    told_by: str
    told_to: str
    emailed_at: dt.datetime | None
    not_ready: list[str]  # O-18, O-19: promise no time until these are done; []: ready

    @staticmethod
    def from_row(row: CallRow) -> CallDropOut:
        drop = row.drop
        start, end = row.window or (None, None)
        return CallDropOut(
            drop_id=drop.pk, order_id=drop.order_id, number=drop.order.number,
            truck=drop.route.truck.plate, stop=drop.sequence, name=row.name, phone=row.phone,
            email=row.email, arrives_at=drop.arrives_at, window_from=start, window_until=end,
            amount_due=row.amount, call_promised=row.promised, message=row.message,
            told_at=drop.told_at, told_by=drop.told_by.display_name if drop.told_by else "",
            told_to=drop.told_to, emailed_at=drop.emailed_at, not_ready=row.reasons,
        )  # fmt: skip


class CallOtherOut(Schema):
    order_id: int
    number: str
    reason: str


class CallsOut(Schema):
    day: dt.date
    plan_state: str  # "": no plan yet; "draft": times may change; "published"
    told: int
    total: int
    drops: list[CallDropOut]
    unplanned: list[CallOtherOut]  # not on a truck: tell the customer the new day
    promised_elsewhere: list[CallOtherOut]  # O-42: a call promised, not on this day's plan


@router.get("/calls/{day}", response=CallsOut)
def calls_of_day(request: HttpRequest, day: dt.date) -> CallsOut:
    """O-43: the call list of a day, every drop on a truck in route order."""
    permission_require(request, VIEW)
    plan = call_plan(day)
    told, total = call_progress(plan)
    return CallsOut(
        day=day, plan_state=plan.state if plan else "", told=told, total=total,
        drops=[CallDropOut.from_row(row) for row in call_rows(plan)],
        unplanned=[
            CallOtherOut(order_id=d.order_id, number=d.order.number, reason=d.unplanned_reason)
            for d, _name, _phone in call_unplanned(plan)
        ],
        promised_elsewhere=[
            CallOtherOut(order_id=b.order_id, number=b.order.number, reason=b.told_to)
            for b in call_promised_elsewhere(day, plan)
        ],
    )  # fmt: skip


class CallToldIn(Schema):
    told_to: str = Field(max_length=60)


class CallToldOut(CallDropOut):
    again: bool  # told before: the first call is kept, this one is in the audit log


@router.post("/drops/{drop_id}/told", response=CallToldOut)
def drop_told_call(request: HttpRequest, drop_id: RecordId, payload: CallToldIn):
    """O-43: the customer told the window and the amount (who, when, to whom)."""
    permission_require(request, TELL)
    drop = get_object_or_404(Drop, pk=drop_id)
    drop, again = drop_told(actor=request.user, drop=drop, told_to=payload.told_to)
    row = call_row(Drop.objects.select_related("plan").get(pk=drop.pk))
    return CallToldOut(**CallDropOut.from_row(row).dict(), again=again)


class CallsEmailOut(Schema):
    queued: int


@router.post("/calls/{day}/email", response={202: CallsEmailOut})
def calls_email_all(request: HttpRequest, day: dt.date):
    """The day's message e-mailed by the task worker to each customer with an address, once."""
    permission_require(request, TELL)
    return Status(202, CallsEmailOut(queued=calls_email(actor=request.user, day=day)))
