"""Reads of customers, scoped to what the asking user may see."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from gendan.accounts.models import User
from gendan.parties.models import Customer, CustomerKind
from gendan.parties.phones import mobile_normalize

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


# A search answers with a few names to pick from, never a list to page through.
SEARCH_LIMIT = 20
SEARCH_MAX_LENGTH = 60
# Shorter than a trigram: matched at the start of a name (an index on the name serves it).
SEARCH_SHORT = 3
# One character (a surname) would name tens of thousands, and take a second to sort.
SEARCH_NAME_MIN = 2
PHONE_LIKE = re.compile(r"[\d\s\-()+－]+")


def customer_search(
    *, user: User, q: str, kinds: tuple[str, ...] = (), via: int | None = None
) -> QuerySet[Customer]:
    """Customers matching part of a name, a phone written any way, a phone's last digits, or a
    customer number, within what the user may see; at most ``SEARCH_LIMIT``."""
    text = q.replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    customers = customer_visible(user).filter(merged_into=None)
    if kinds:
        customers = customers.filter(kind__in=kinds)
    if via is not None:
        customers = customers.filter(via_id=via)
    if not text:
        return customers.none()
    matches = (
        customer_phone_match(text) if PHONE_LIKE.fullmatch(text) else customer_name_match(text)
    )
    return customers.filter(matches).select_related("via").order_by("name", "pk")[:SEARCH_LIMIT]


def customer_name_match(text: str) -> Q:
    if len(text) < SEARCH_NAME_MIN:
        return Q(platform_id=text)
    if len(text) < SEARCH_SHORT:
        return Q(name__istartswith=text) | Q(platform_id=text)
    return Q(name__icontains=text) | Q(platform_id=text)


def customer_phone_match(text: str) -> Q:
    """A whole number in any writing (+86 138-1234-5678), else the digits a number ends with;
    all digits may also be a customer's number."""
    digits = re.sub(r"\D", "", text)
    if not digits:
        return Q(pk__in=[])
    match = Q(platform_id=text)
    if len(digits) < 12:  # larger cannot be a customer's number (bigint)
        match |= Q(pk=int(digits))
    try:
        return match | Q(mobile=mobile_normalize(text))
    except ValidationError:
        pass
    if len(digits) >= SEARCH_SHORT:
        match |= Q(mobile__endswith=digits) | Q(landline__endswith=digits[-8:])
    return match
