from django import template

from gendan.accounts.models import User
from gendan.documents.selectors import Paperwork, order_paperwork
from gendan.orders.models import Order

register = template.Library()


@register.simple_tag
def paperwork_of(order: Order, user: User) -> list[Paperwork]:
    return order_paperwork(order, user)
