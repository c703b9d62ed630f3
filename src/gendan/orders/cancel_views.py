"""The pages' side of cancelling an order (services/cancel.py): cancel, ask, approve, refuse."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.orders.selectors import order_get
from gendan.orders.services.cancel import (
    order_cancel,
    order_cancel_approve,
    order_cancel_refuse,
    order_cancel_request,
)

DONE = {
    "cancel": _("The order is cancelled; its papers are being marked void."),
    "ask": _("The sales supervisor is asked to cancel the order."),
    "approve": _("The order is cancelled; its papers are being marked void."),
    "refuse": _("The cancellation is refused; the order goes on."),
}


@login_required
@require_POST
def order_cancel_view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """The cancel box on the order page: each action with the reason typed in it."""
    order = order_get(user=request.user, pk=pk)
    reason = request.POST.get("reason", "")
    try:
        if action == "cancel":
            order_cancel(actor=request.user, order=order, reason=reason)
        elif action == "ask":
            order_cancel_request(actor=request.user, order=order, reason=reason)
        elif action == "approve":
            order_cancel_approve(actor=request.user, order=order)
        else:
            order_cancel_refuse(actor=request.user, order=order, reason=reason)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, DONE[action])
    return redirect("order-detail", pk=pk)
