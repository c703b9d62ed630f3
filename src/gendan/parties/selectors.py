"""Reads of customers, scoped to what the asking user may see."""

from __future__ import annotations

import re

from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from gendan.accounts.models import User
from gendan.parties.models import Customer, CustomerKind

CUSTOMER_ORDERINGS = {
    "name": "name",
    "-name": "-name",
    "kind": "kind",
    "-kind": "-kind",
    "created": "created_at",
    "-created": "-created_at",
}


def customer_visible(user: User) -> QuerySet[Customer]:
    """Every customer for company staff; a partner's users see that partner and its people."""
    customers = Customer.objects.all()
    if user.partner_id is None:
        return customers
    return customers.filter(Q(pk=user.partner_id) | Q(via_id=user.partner_id))


def customer_get(*, user: User, pk: int) -> Customer:
    """The customer, or 404 when it does not exist or lies outside the user's scope."""
    return get_object_or_404(customer_visible(user).select_related("via", "via_store"), pk=pk)


def customer_editable(*, user: User, customer: Customer) -> bool:
    """Partners' users edit their homeowners, not the partner's own record."""
    return user.partner_id is None or customer.kind == CustomerKind.HOMEOWNER


def customer_list(
    *, user: User, search: str = "", kind: str = "", via: int | None = None, order: str = "name"
) -> QuerySet[Customer]:
    customers = customer_visible(user).select_related("via")
    if search:
        digits = re.sub(r"[\s\-()+]", "", search)  # numbers are stored without spaces
        customers = customers.filter(
            Q(name__icontains=search)
            | Q(mobile__contains=digits or search)
            | Q(landline__contains=search)
            | Q(platform_id__iexact=search)
            | Q(nickname__icontains=search)
            | Q(contacts__name__icontains=search)
            | Q(contacts__mobile__contains=search)
        ).distinct()
    if kind in CustomerKind.values:
        customers = customers.filter(kind=kind)
    if via:
        customers = customers.filter(via_id=via)
    return customers.order_by(CUSTOMER_ORDERINGS.get(order, "name"), "pk")


def partner_choices(user: User) -> QuerySet[Customer]:
    """Dealers and supermarkets a homeowner may come through, as this user may pick them."""
    partners = customer_visible(user).filter(
        kind__in=[CustomerKind.DEALER, CustomerKind.SUPERMARKET]
    )
    return partners.annotate(end_customer_count=Count("end_customers")).order_by("kind", "name")
