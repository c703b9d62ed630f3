"""The warehouse's part of a return on the order page: the grading form (an htmx partial)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from gendan.core.decorators import permission
from gendan.orders.models import GoodsReturn, ReturnCondition
from gendan.orders.selectors import order_visible
from gendan.warehouse.selectors_returns import return_grading_choices


@permission("warehouse.add_stockmove")
def return_grading(request: HttpRequest, pk: int) -> HttpResponse:
    """Each line's grade, place and (for a split) batch, inside the order page's booking-in
    form: the form posts to the orders' ``return-action`` (receive)."""
    goods_return = get_object_or_404(
        GoodsReturn.objects.filter(order__in=order_visible(request.user)), pk=pk
    )
    context = {"goods_return": goods_return, "conditions": ReturnCondition.choices}
    return render(
        request, "warehouse/returns_grading.html", context | return_grading_choices(goods_return)
    )
