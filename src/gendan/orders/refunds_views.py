"""The pages' side of a return's money (O-64, O-66 to O-68) and of finance's recall (O-50):
the return's money panel (an htmx part of the order page), its actions, the exchange order and
the recall box."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.catalog.models import Product
from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of
from gendan.orders.models import GoodsReturn, PaymentMethod, RefundWay, ReturnKind, ReturnRefund
from gendan.orders.selectors import order_get, order_visible
from gendan.orders.selectors_refunds import SIGNED, WAITING, RefundFilter, refund_list
from gendan.orders.services.exchange import exchange_create
from gendan.orders.services.recall import order_recall
from gendan.orders.services.refunds import (
    AT_MARKET,
    dealer_paid_held,
    dealer_shortfall,
    exchange_credit_kept,
    refund_cash_approve,
    refund_dealer_paid,
    refund_decide,
    refund_of,
    refund_record,
    refund_sign,
    role_require,
)
from gendan.orders.services.registration import LineInput

DONE = {
    "record": _("The refund is recorded; finance signs it."),
    "approve": _("Cash refund approved."),
    "sign": _("The refund is signed; its money is booked."),
}
DEALER_PAID = _("The dealer's payment of %(amount)s CNY is recorded; finance may sign now.")
DEALER_PAID_PART = _("The dealer's payment of %(amount)s CNY is recorded; %(short)s CNY to go.")
EXCHANGED = _("Exchange order %(order)s made; verify it as any new order.")
RECALLED = _("The goods are recalled (%(ret)s); the order is cancelled.")
NO_SUCH_PRODUCT = _("Row %(row)s: no product has the item number %(sku)s.")
BAD_ROW_QUANTITY = _("Row %(row)s: enter the quantity as a number above zero.")
BAD_DAY = _("Enter the delivery day as YYYY-MM-DD.")
EXCHANGE_ROWS = 3  # the rows of new goods the form offers


def visible_return(user: User, pk: int) -> GoodsReturn:
    returns = GoodsReturn.objects.select_related("order").filter(order__in=order_visible(user))
    return get_object_or_404(returns, pk=pk)


@permission("orders.view_receivables")
def return_money_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Where the money of the return goes, and what this user may do about it now."""
    goods_return = visible_return(request.user, pk)
    refund = ReturnRefund.objects.filter(goods_return=goods_return).first()
    context = {"goods_return": goods_return, "refund": refund} | panel_options(
        request.user, goods_return, refund
    )
    context |= dealer_first_options(request.user, goods_return, refund)
    context["kept_credit"] = exchange_credit_kept(refund)  # O-64: the exchange's leftover
    return render(request, "orders/return_money.html", context)


def panel_options(user: User, goods_return: GoodsReturn, refund: ReturnRefund | None) -> dict:
    decision = refund_decide(goods_return)
    open_ = refund is None or refund.signed_at is None
    ready = bool(goods_return.note_made_at) and goods_return.kind != ReturnKind.RECALL
    exchangeable = goods_return.kind in (ReturnKind.BULK, ReturnKind.EXCHANGE)
    choices = [(way, RefundWay(way).label) for way in decision.ways if way != RefundWay.EXCHANGE]
    return {
        "decision": decision, "recall": goods_return.kind == ReturnKind.RECALL,
        "ways": choices,
        "may_record": ready and open_ and decision.place != AT_MARKET and bool(choices)
        and user.has_role(Role.CLERK, Role.FINANCE),
        "may_approve": bool(refund) and open_ and refund.way == RefundWay.REFUND
        and decision.bulk and not refund.cash_approved_at and user.has_role(Role.SALES_VP),
        "may_sign": bool(refund) and open_ and user.has_role(Role.FINANCE),
        "may_exchange": ready and exchangeable and user.has_role(Role.CLERK)
        and (open_ or refund.way == RefundWay.CREDIT)  # O-67: the credit spent
        and not (refund and refund.exchange_order_id),
        "rows": range(1, EXCHANGE_ROWS + 1),
    }  # fmt: skip


@login_required
@require_POST
def return_money_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Record where the money goes (the clerk, finance), approve cash (the VP, O-67), sign
    (finance: the money moves)."""
    goods_return = visible_return(request.user, pk)
    try:
        if action == "record":
            refund_record(
                actor=request.user, goods_return=goods_return,
                way=request.POST.get("way", "")[:20], note=request.POST.get("note", ""),
            )  # fmt: skip
        elif action == "approve":
            role_require(request.user, Role.SALES_VP)
            refund_cash_approve(actor=request.user, refund=refund_of(goods_return))
        else:
            role_require(request.user, Role.FINANCE)
            refund_sign(actor=request.user, refund=refund_of(goods_return))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, DONE[action])
    return returns_of(goods_return.order_id)


def dealer_first_options(
    user: User, goods_return: GoodsReturn, refund: ReturnRefund | None
) -> dict:
    """O-68: what the dealer paid first for a refund first, and what it still owes."""
    if refund is None or refund.way != RefundWay.DEALER_FIRST:
        return {}
    short = Decimal("0") if refund.signed_at else dealer_shortfall(goods_return.order, refund)
    methods = [(value, label) for value, label in PaymentMethod.choices
               if value != PaymentMethod.CREDIT]  # fmt: skip
    return {
        "dealer_paid": dealer_paid_held(goods_return.order), "dealer_short": short,
        "may_dealer_pay": short > 0 and user.has_role(Role.FINANCE), "methods": methods,
    }  # fmt: skip


@login_required
@require_POST
def return_money_dealer_paid(request: HttpRequest, pk: int) -> HttpResponse:
    """O-68: finance records what the dealer paid the company first (confirmed in a dialog)."""
    goods_return = visible_return(request.user, pk)
    role_require(request.user, Role.FINANCE)
    try:
        refund = refund_of(goods_return)
        entry = refund_dealer_paid(
            actor=request.user, refund=refund, amount=request.POST.get("amount", "")[:20],
            method=request.POST.get("method", "")[:20],
            reference=request.POST.get("reference", ""),
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        short = dealer_shortfall(goods_return.order, refund)
        done = DEALER_PAID_PART if short > 0 else DEALER_PAID
        messages.success(request, done % {"amount": entry.amount, "short": short})
    return returns_of(goods_return.order_id)


@login_required
@require_POST
def exchange_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """O-64: the clerk's new order for the returned goods: item numbers and quantities."""
    goods_return = visible_return(request.user, pk)
    role_require(request.user, Role.CLERK)
    try:
        fields = {"expected_delivery_on": day_of(request.POST.get("delivery", ""))}
        new = exchange_create(
            actor=request.user, goods_return=goods_return, lines=exchange_rows(request.POST),
            fields={name: value for name, value in fields.items() if value},
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return returns_of(goods_return.order_id)
    messages.success(request, EXCHANGED % {"order": new.number})
    return redirect("order-detail", pk=new.pk)


def day_of(text: str) -> dt.date | None:
    if not text.strip():
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError as error:
        raise ValidationError(BAD_DAY) from error


def exchange_rows(post: QueryDict) -> list[LineInput]:
    """The form's rows (item number, quantity), every input hostile; empty rows left out."""
    lines, errors = [], []
    for row in range(1, EXCHANGE_ROWS + 1):
        sku = post.get(f"sku-{row}", "").strip()[:30]
        if not sku:
            continue
        product = Product.objects.filter(sku=sku).first()
        quantity = quantity_of(post.get(f"quantity-{row}", ""))
        if product is None:
            errors.append(NO_SUCH_PRODUCT % {"row": row, "sku": sku})
        elif quantity is None:
            errors.append(BAD_ROW_QUANTITY % {"row": row})
        else:
            lines.append(LineInput(product=product, quantity=quantity))
    if errors:
        raise ValidationError(errors)
    return lines


def quantity_of(text: str) -> Decimal | None:
    try:
        quantity = Decimal(text.strip()[:20])
    except InvalidOperation:
        return None
    if not quantity.is_finite() or quantity <= 0 or quantity.as_tuple().exponent < -3:
        return None
    return quantity


@login_required
@require_POST
def order_recall_view(request: HttpRequest, pk: int) -> HttpResponse:
    """O-50: finance's recall box on the order page (confirmed in the sign dialog)."""
    order = order_get(user=request.user, pk=pk)
    try:
        goods_return = order_recall(
            actor=request.user, order=order, freight=request.POST.get("freight", "0")[:20],
            reason=request.POST.get("reason", ""),
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, RECALLED % {"ret": goods_return})
    return redirect("order-detail", pk=pk)


def returns_of(order_id: int) -> HttpResponse:
    return redirect(reverse("order-detail", args=[order_id]) + "#returns")


@permission("orders.view_receivables")
def return_money_list(request: HttpRequest) -> HttpResponse:
    """The returns' refunds: waiting for finance by default, searched, filtered, sorted."""
    params = list_params(request, "q", "state", "way", "o")
    state = params["state"] if "state" in request.GET else WAITING
    filters = RefundFilter(search=params["q"], state=state, way=params["way"], order=params["o"])
    refunds = refund_list(user=request.user, filters=filters)
    context = {
        "page": page_of(request, refunds), "params": params | {"state": state},
        "ways": RefundWay.choices, "states": ((WAITING, _("Waiting for finance")),
                                              (SIGNED, _("Signed"))),
    }  # fmt: skip
    return render(request, "orders/return_money_list.html", context)
