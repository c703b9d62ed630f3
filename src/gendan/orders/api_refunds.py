"""The API of a return's money (O-64, O-66 to O-68) and of finance's recall (O-50), mounted
on the orders router (orders/api.py). Refusals answer 422 with the rule's message."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema, Status

from gendan.accounts.roles import Role
from gendan.core.api_helpers import RecordId, permission_require
from gendan.orders.models import GoodsReturn, ReturnRefund
from gendan.orders.selectors import order_get, order_visible
from gendan.orders.services.exchange import exchange_create
from gendan.orders.services.recall import order_recall
from gendan.orders.services.refunds import (
    dealer_paid_held,
    dealer_shortfall,
    refund_cash_approve,
    refund_dealer_paid,
    refund_decide,
    refund_of,
    refund_record,
    refund_sign,
    role_require,
)

router = Router(tags=["returns"])


class RefundOut(Schema):
    id: int
    return_id: int
    way: str
    amount: Decimal
    install_fee_deducted: Decimal
    method: str
    customer_id: int
    exchange_order_id: int | None
    recorded_by: str
    recorded_at: dt.datetime
    cash_approved_at: dt.datetime | None
    signed_by: str | None
    signed_at: dt.datetime | None

    @staticmethod
    def resolve_return_id(obj: ReturnRefund) -> int:
        return obj.goods_return_id

    @staticmethod
    def resolve_recorded_by(obj: ReturnRefund) -> str:
        return obj.recorded_by.display_name

    @staticmethod
    def resolve_signed_by(obj: ReturnRefund) -> str | None:
        return obj.signed_by.display_name if obj.signed_by else None


class DecisionOut(Schema):
    place: str
    way: str
    ways: list[str]
    amount: Decimal
    install_fee_deducted: Decimal
    bulk: bool
    statement: str
    refund: RefundOut | None


class RefundIn(Schema):
    way: str = ""
    note: str = ""


class DealerPaidIn(Schema):
    amount: Decimal
    method: str
    reference: str = ""


class DealerPaidOut(Schema):
    return_id: int
    amount: Decimal
    method: str
    reference: str
    recorded_by: str
    recorded_at: dt.datetime
    paid: Decimal  # what the dealer paid first for the order's refunds, not yet spent
    short: Decimal  # what it still pays before finance may sign


class ExchangeLineIn(Schema):
    product_id: int
    quantity: Decimal
    unit_price: Decimal | None = None
    colour_code: str = ""
    end_price: Decimal | None = None


class ExchangeIn(Schema):
    lines: list[ExchangeLineIn]
    expected_delivery_on: dt.date | None = None
    expected_install_on: dt.date | None = None
    other_requests: str = ""


class RecallIn(Schema):
    freight: Decimal = Decimal("0")
    reason: str


class RecallOut(Schema):
    return_id: int
    order_id: int
    order_step: str


def visible_return(request: HttpRequest, return_id: int) -> GoodsReturn:
    returns = GoodsReturn.objects.filter(order__in=order_visible(request.user))
    return get_object_or_404(returns, pk=return_id)


@router.get("/returns/{return_id}/refund", response=DecisionOut)
def return_refund_get(request: HttpRequest, return_id: RecordId):
    """O-66: where the money of the return goes, decided from where it was paid, and the
    refund recorded, if any: for those who see receivables."""
    permission_require(request, "orders.view_receivables")
    goods_return = visible_return(request, return_id)
    decision = refund_decide(goods_return)
    refund = ReturnRefund.objects.filter(goods_return=goods_return).first()
    return decision.__dict__ | {"ways": list(decision.ways), "refund": refund}


@router.post("/returns/{return_id}/refund", response=RefundOut)
def return_refund_record(request: HttpRequest, return_id: RecordId, payload: RefundIn):
    """O-66 to O-68: the clerk or finance records where the money goes (``way`` empty: as
    decided); again while finance has not signed."""
    goods_return = visible_return(request, return_id)
    return refund_record(
        actor=request.user, goods_return=goods_return, way=payload.way[:20], note=payload.note
    )


@router.post("/returns/{return_id}/refund/approval", response=RefundOut)
def return_refund_approve(request: HttpRequest, return_id: RecordId):
    """O-67: the VP of sales approves paying a bulk return back in cash."""
    role_require(request.user, Role.SALES_VP)
    goods_return = visible_return(request, return_id)
    return refund_cash_approve(actor=request.user, refund=refund_of(goods_return))


@router.post("/returns/{return_id}/refund/signature", response=RefundOut)
def return_refund_sign(request: HttpRequest, return_id: RecordId):
    """Finance signs the refund and its money is booked (O-67 and O-68 checked here)."""
    role_require(request.user, Role.FINANCE)
    goods_return = visible_return(request, return_id)
    return refund_sign(actor=request.user, refund=refund_of(goods_return))


@router.post("/returns/{return_id}/refund/dealer-payment", response={201: DealerPaidOut})
def return_refund_dealer_paid(request: HttpRequest, return_id: RecordId, payload: DealerPaidIn):
    """O-68: finance records what the dealer paid the company first for a refund first that
    its profit on the order does not cover; then finance may sign."""
    role_require(request.user, Role.FINANCE)
    goods_return = visible_return(request, return_id)
    refund = refund_of(goods_return)
    entry = refund_dealer_paid(
        actor=request.user, refund=refund, amount=payload.amount, method=payload.method[:20],
        reference=payload.reference,
    )  # fmt: skip
    return Status(201, {
        "return_id": goods_return.pk, "amount": entry.amount, "method": entry.method,
        "reference": entry.reference, "recorded_by": request.user.display_name,
        "recorded_at": entry.recorded_at, "paid": dealer_paid_held(goods_return.order),
        "short": dealer_shortfall(goods_return.order, refund),
    })  # fmt: skip


@router.post("/returns/{return_id}/exchange", response={201: RecallOut})
def return_exchange(request: HttpRequest, return_id: RecordId, payload: ExchangeIn):
    """O-64: the clerk makes the exchange's new order (same customer, these lines)."""
    from gendan.orders.api import lines_input  # the orders API's own line checks

    goods_return = visible_return(request, return_id)
    fields = payload.dict(exclude={"lines"})
    new = exchange_create(
        actor=request.user, goods_return=goods_return, lines=lines_input(payload.lines),
        fields={name: value for name, value in fields.items() if value},
    )  # fmt: skip
    return 201, {"return_id": goods_return.pk, "order_id": new.pk, "order_step": new.step}


@router.post("/{order_id}/recall", response=RecallOut)
def order_recall_api(request: HttpRequest, order_id: RecordId, payload: RecallIn):
    """O-50: finance recalls the goods of an unpaid pay-on-delivery dealer order that
    shipped: a RECALL return of what shipped, the freight charged to the dealer, the order
    cancelled."""
    order = order_get(user=request.user, pk=order_id)
    goods_return = order_recall(
        actor=request.user, order=order, freight=payload.freight, reason=payload.reason
    )
    order.refresh_from_db()
    return {"return_id": goods_return.pk, "order_id": order.pk, "order_step": order.step}
