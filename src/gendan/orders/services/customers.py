"""Orders moving from one customer record to another (the same person found twice)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.audit_events import order_customer_moved_event
from gendan.orders.models import Order
from gendan.orders.services.registration import order_partner
from gendan.parties.models import Customer

OTHER_PARTNER = _("Order %(number)s would pass to another partner; its customer stays.")


@transaction.atomic
def orders_customer_move(*, actor: User, source: Customer, target: Customer) -> int:
    """Every order of ``source`` (as customer or as end customer) becomes ``target``'s.

    An order never changes partner this way: the dealer or supermarket that follows it
    would lose it, and the other would see it. Returns how many orders moved.
    """
    orders = list(
        Order.objects.select_for_update(of=("self",))
        .filter(Q(customer=source) | Q(end_customer=source))
        .select_related("customer", "end_customer")
        .order_by("pk")
    )
    for order in orders:
        order_customer_replace(order, source, target)
        if not order_partner_kept(order):
            raise ValidationError(OTHER_PARTNER % {"number": order.number})
        order.save(update_fields=["customer", "end_customer"])
        order_customer_moved_event(actor=actor, order=order, source=source, target=target)
    return len(orders)


def order_partner_kept(order: Order) -> bool:
    """The order stays with its partner, and its end customer came through its customer."""
    partner = order_partner(order.customer, order.end_customer)
    end_customer = order.end_customer
    through = end_customer is None or end_customer.via_id == order.customer_id
    return through and (partner.pk if partner else None) == order.partner_id


def order_customer_replace(order: Order, source: Customer, target: Customer) -> None:
    if order.customer_id == source.pk:
        order.customer = target
    if order.end_customer_id == source.pk:
        order.end_customer = target
