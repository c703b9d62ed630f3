"""The pages' side of returns (O-62 to O-64): record, approve, book in, write up."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.accounts.roles import Role
from gendan.orders.models import GoodsReturn, ReturnKind
from gendan.orders.return_grading import grading_from_post
from gendan.orders.returns import (
    NOT_AN_APPROVER,
    ReturnLineInput,
    return_approve,
    return_note_make,
    return_receive,
    return_record,
)
from gendan.orders.selectors import order_get, order_visible

NOT_A_QUANTITY = _("Line %(position)s: enter the quantity as a number.")
RECORDED = _("Return recorded.")
DONE = _("Done.")


@login_required
@require_POST
def return_record_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The return form on the order page: a quantity box per line of the order."""
    order = order_get(user=request.user, pk=pk)
    try:
        lines = returned_lines(request, order)
        return_record(
            actor=request.user, order=order, kind=request.POST.get("kind", ""),
            reason=request.POST.get("reason", "").strip(), lines=lines,
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, RECORDED)
    return returns_of(order.pk)


def returned_lines(request: HttpRequest, order) -> list[ReturnLineInput]:
    lines, errors = [], []
    for line in order.lines.select_related("product"):
        text = request.POST.get(f"quantity-{line.pk}", "").strip()
        if not text:
            continue
        try:
            quantity = Decimal(text)
        except InvalidOperation:
            quantity = None
        if quantity is None or not quantity.is_finite():
            errors.append(NOT_A_QUANTITY % {"position": line.position})
        else:
            lines.append(ReturnLineInput(order_line=line, quantity=quantity))
    if errors:
        raise ValidationError(errors)
    if request.POST.get("kind") not in ReturnKind.values:
        raise ValidationError(_("Choose the kind of return."))
    return lines


@login_required
@require_POST
def return_action_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Approve (O-63), book in at the warehouse, make the return note (O-62)."""
    goods_return = get_object_or_404(
        GoodsReturn.objects.filter(order__in=order_visible(request.user)), pk=pk
    )
    try:
        if action == "approve":
            role = request.POST.get("role", "")
            if role not in Role.values:
                raise ValidationError(NOT_AN_APPROVER)
            return_approve(actor=request.user, goods_return=goods_return, role=Role(role))
        elif action == "receive":
            inspection = request.POST.get("inspection", "").strip()[:200]
            grading = grading_from_post(request.POST, goods_return)  # the warehouse's form
            return_receive(
                actor=request.user, goods_return=goods_return, inspection=inspection,
                grading=grading,
            )  # fmt: skip
        else:
            return_note_make(actor=request.user, goods_return=goods_return)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, DONE)
    return returns_of(goods_return.order_id)


def returns_of(order_id: int) -> HttpResponse:
    return redirect(reverse("order-detail", args=[order_id]) + "#returns")
