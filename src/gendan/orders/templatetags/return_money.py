"""The order page's part of O-50: the recall box, for finance, when the order's goods may be
recalled (services/recall.py)."""

from __future__ import annotations

from django import template

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.money import order_receivable
from gendan.orders.services.recall import recall_refusal

register = template.Library()


@register.inclusion_tag("orders/return_money_recall.html")
def recall_box(order: Order, user: User) -> dict:
    """``{% recall_box order user %}``"""
    finance = user.is_superuser or user.has_role(Role.FINANCE)
    may = finance and not recall_refusal(order)
    return {"order": order, "user": user, "may_recall": may, "owed": order_receivable(order)}
