"""Reads of products and prices, including the price of a product for a customer on a day."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.catalog.models import PriceKind, PriceList, PriceListItem, Product
from gendan.parties.models import Customer, CustomerKind

NO_PRICE = _("No %(kind)s for %(product)s on %(day)s.")

PRODUCT_ORDERINGS = {
    "sku": "sku", "-sku": "-sku", "name": "name", "-name": "-name",
    "category": "category", "-category": "-category",
}  # fmt: skip
PRICE_LIST_ORDERINGS = {
    "name": "name", "-name": "-name", "kind": "kind", "-kind": "-kind",
    "valid_from": "valid_from", "-valid_from": "-valid_from",
}  # fmt: skip

# O-9: the price kind each channel is billed at. Homeowners depend on who brought them.
KIND_BY_CHANNEL = {
    CustomerKind.SUPERMARKET: PriceKind.SUPERMARKET_SETTLEMENT,
    CustomerKind.DEALER: PriceKind.DEALER_SETTLEMENT,
    CustomerKind.DECORATOR: PriceKind.DECORATOR_CONTRACT,
    CustomerKind.PROJECT: PriceKind.PROJECT,
    CustomerKind.GROUP_BUY: PriceKind.GROUP_BUY,
    CustomerKind.RETAIL: PriceKind.RETAIL,
    CustomerKind.ONLINE: PriceKind.RETAIL,
    CustomerKind.HOMEOWNER: PriceKind.RETAIL,
}
KIND_FOR_END_CUSTOMERS_OF = {
    # A supermarket's shopper whom the company delivers to and collects from: shelf price.
    CustomerKind.SUPERMARKET: PriceKind.SUPERMARKET_SHELF,
    # A dealer's homeowner: the company bills the dealer (the cost note).
    CustomerKind.DEALER: PriceKind.DEALER_SETTLEMENT,
}


class PriceNotFound(LookupError):
    pass


@dataclass(frozen=True)
class Price:
    amount: Decimal
    kind: PriceKind
    price_list: PriceList


def price_kind_for(customer: Customer) -> tuple[PriceKind, Customer]:
    """O-9: the price kind for this customer, and whose contract prices apply."""
    if customer.kind == CustomerKind.HOMEOWNER and customer.via is not None:
        return KIND_FOR_END_CUSTOMERS_OF[customer.via.kind], customer.via
    return KIND_BY_CHANNEL[customer.kind], customer


def price_for(*, product: Product, customer: Customer, on: dt.date) -> Price:
    """The price of this product for this customer on this day.

    A list of the customer's own contract wins over the general list of the same kind.
    """
    kind, party = price_kind_for(customer)
    item = (
        PriceListItem.objects.select_related("price_list")
        .filter(product=product, price_list__kind=kind, price_list__valid_from__lte=on)
        .filter(Q(price_list__valid_to__isnull=True) | Q(price_list__valid_to__gte=on))
        .filter(Q(price_list__customer=party) | Q(price_list__customer__isnull=True))
        .order_by(F("price_list__customer_id").asc(nulls_last=True), "-price_list__valid_from")
        .first()
    )
    if item is None:
        raise PriceNotFound(NO_PRICE % {"kind": kind.label, "product": product, "day": on})
    return Price(amount=item.price, kind=kind, price_list=item.price_list)


def prices_for(*, products: list[Product], customer: Customer, on: dt.date) -> dict[int, Decimal]:
    """``price_for`` for many products at once, in one query: {product id: price}."""
    kind, party = price_kind_for(customer)
    items = (
        PriceListItem.objects.filter(
            product__in=products, price_list__kind=kind, price_list__valid_from__lte=on
        )
        .filter(Q(price_list__valid_to__isnull=True) | Q(price_list__valid_to__gte=on))
        .filter(Q(price_list__customer=party) | Q(price_list__customer__isnull=True))
        .order_by(F("price_list__customer_id").asc(nulls_first=True), "price_list__valid_from")
        .values_list("product_id", "price")
    )
    return dict(items)  # later rows win: the customer's own list, then the latest


def product_get(*, pk: int) -> Product:
    return get_object_or_404(Product, pk=pk)


def product_list(
    *,
    search: str = "",
    category: str = "",
    board_class: str = "",
    active: str = "",
    order: str = "sku",
) -> QuerySet[Product]:
    products = Product.objects.all()
    if search:
        products = products.filter(
            Q(sku__icontains=search) | Q(name__icontains=search) | Q(colour_code__icontains=search)
        )
    if category:
        products = products.filter(category=category)
    if board_class:
        products = products.filter(board_class=board_class)
    if active in ("yes", "no"):
        products = products.filter(is_active=active == "yes")
    return products.order_by(PRODUCT_ORDERINGS.get(order, "sku"), "pk")


def price_list_visible(user: User) -> QuerySet[PriceList]:
    """Staff see every list; a partner's users the general and own lists of their kinds."""
    lists = PriceList.objects.all()
    if user.partner_id is None:
        return lists
    kinds = partner_price_kinds(user.partner.kind)
    own = Q(customer__isnull=True) | Q(customer_id=user.partner_id)
    return lists.filter(own, kind__in=kinds)


def partner_price_kinds(kind: str) -> list[PriceKind]:
    if kind == CustomerKind.DEALER:
        return [PriceKind.DEALER_SETTLEMENT]
    return [PriceKind.SUPERMARKET_SETTLEMENT, PriceKind.SUPERMARKET_SHELF]


def price_list_get(*, user: User, pk: int) -> PriceList:
    return get_object_or_404(price_list_visible(user).select_related("customer"), pk=pk)


def price_list_list(
    *, user: User, search: str = "", kind: str = "", on: dt.date | None = None, order: str = "kind"
) -> QuerySet[PriceList]:
    lists = price_list_visible(user).select_related("customer").annotate(item_count=Count("items"))
    if search:
        lists = lists.filter(Q(name__icontains=search) | Q(customer__name__icontains=search))
    if kind:
        lists = lists.filter(kind=kind)
    if on:
        lists = lists.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )
    return lists.order_by(PRICE_LIST_ORDERINGS.get(order, "kind"), "-valid_from", "pk")


def price_list_overlapping(
    *,
    kind: str,
    customer: Customer | None,
    valid_from: dt.date,
    valid_to: dt.date | None,
    exclude_pk: int | None = None,
) -> PriceList | None:
    """Another list of the same kind and customer whose validity shares a day with this one."""
    lists = PriceList.objects.filter(kind=kind, customer=customer).exclude(pk=exclude_pk)
    lists = lists.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=valid_from))
    if valid_to is not None:
        lists = lists.filter(valid_from__lte=valid_to)
    return lists.order_by("valid_from").first()
