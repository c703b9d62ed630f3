"""The list of returns' refunds (O-64, O-66 to O-68), as finance works through them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet

from gendan.accounts.models import User
from gendan.orders.models import RefundWay, ReturnRefund
from gendan.orders.selectors import order_visible

WAITING, SIGNED = "waiting", "signed"
ORDERINGS = {
    "recorded": "recorded_at", "-recorded": "-recorded_at",
    "amount": "amount", "-amount": "-amount",
    "order": "goods_return__order__number", "-order": "-goods_return__order__number",
}  # fmt: skip


@dataclass(frozen=True)
class RefundFilter:
    search: str = ""  # an order number, or part of the customer's name
    state: str = ""  # WAITING for finance's signature, SIGNED, or "" for both
    way: str = ""
    order: str = ""


def refund_list(*, user: User, filters: RefundFilter) -> QuerySet[ReturnRefund]:
    """The refunds of the returns on orders the user may see, oldest waiting first."""
    refunds = ReturnRefund.objects.filter(
        goods_return__order__in=order_visible(user)
    ).select_related("goods_return__order", "customer", "recorded_by", "signed_by")
    if filters.search:
        refunds = refunds.filter(
            Q(goods_return__order__number__icontains=filters.search)
            | Q(customer__name__icontains=filters.search)
        )
    if filters.state in (WAITING, SIGNED):
        refunds = refunds.filter(signed_at__isnull=filters.state == WAITING)
    if filters.way in RefundWay.values:
        refunds = refunds.filter(way=filters.way)
    return refunds.order_by(ORDERINGS.get(filters.order, "recorded_at"), "pk")
