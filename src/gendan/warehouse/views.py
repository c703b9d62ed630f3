"""The warehouse's pages; each validates, calls one service or selector, and renders."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gendan.core.decorators import permission
from gendan.orders.selectors import order_get
from gendan.warehouse.selectors import order_stock


@permission("warehouse.view_batch")
def order_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The order page asks for this part: what the order holds, and from which batches."""
    order = order_get(user=request.user, pk=pk)
    return render(request, "warehouse/order_panel.html", {"order": order, **order_stock(order)})
