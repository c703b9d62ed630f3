"""Writes of products and price lists: one transaction each, signed in the audit log."""

from __future__ import annotations

import zlib
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.audit.services import (
    instance_create_signed,
    model_changes,
    model_snapshot,
)
from gendan.catalog.audit_events import (
    PRODUCT_CREATED,
    price_list_created_event,
    price_list_prices_event,
    price_list_updated_event,
    product_updated_event,
)
from gendan.catalog.models import PriceKind, PriceList, PriceListItem, Product
from gendan.catalog.selectors import price_list_overlapping
from gendan.parties.models import Customer, CustomerKind

OVERLAPS = _("The validity overlaps price list “%(name)s” (%(start)s to %(end)s).")
OPEN_END = _("open end")
WRONG_CUSTOMER_KIND = _("A %(kind)s list can only be for a %(channel)s.")
DUPLICATE_PRODUCT = _("%(product)s appears twice in this price list.")

PRODUCT_FIELDS = [
    "sku", "name", "category", "variety", "colour_code", "length_mm", "width_mm",
    "thickness_mm", "board_class", "grade", "unit", "pack_size", "after_sales_terms",
    "is_active",
]  # fmt: skip
PRICE_LIST_FIELDS = ["name", "kind", "customer", "valid_from", "valid_to", "note"]

# Which customers may hold their own list of each kind (a contract price, O-9).
CUSTOMER_KIND_FOR_PRICE_KIND = {
    PriceKind.SUPERMARKET_SETTLEMENT: CustomerKind.SUPERMARKET,
    PriceKind.SUPERMARKET_SHELF: CustomerKind.SUPERMARKET,
    PriceKind.DEALER_SETTLEMENT: CustomerKind.DEALER,
    PriceKind.DECORATOR_CONTRACT: CustomerKind.DECORATOR,
    PriceKind.PROJECT: CustomerKind.PROJECT,
    PriceKind.GROUP_BUY: CustomerKind.GROUP_BUY,
    PriceKind.RETAIL: CustomerKind.RETAIL,
}


@transaction.atomic
def product_create(*, actor: User, fields: dict[str, Any]) -> Product:
    product = Product(**fields)
    return instance_create_signed(
        actor=actor, instance=product, action=PRODUCT_CREATED, fields=list(fields)
    )


@transaction.atomic
def product_update(*, actor: User, product: Product, fields: dict[str, Any]) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    before = model_snapshot(product, list(fields))
    for name, value in fields.items():
        setattr(product, name, value)
    product.full_clean()
    product.save()
    changes = model_changes(before, model_snapshot(product, list(fields)))
    if changes:
        product_updated_event(actor=actor, product=product, changes=changes)
    return product


def price_list_lock(*, kind: str, customer: Customer | None) -> None:
    """Serialise writers of one kind and customer, so two overlapping lists cannot both pass.

    SQLite already takes the write lock at BEGIN (IMMEDIATE); PostgreSQL needs a lock
    that also covers lists not yet inserted, hence an advisory lock on the pair.
    """
    if connection.vendor == "postgresql":
        key = zlib.crc32(f"price_list:{kind}:{customer.pk if customer else 0}".encode())
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])


def price_list_check(price_list: PriceList) -> None:
    customer = price_list.customer
    wanted = CUSTOMER_KIND_FOR_PRICE_KIND[PriceKind(price_list.kind)]
    if customer is not None and customer.kind != wanted:
        kinds = {"kind": PriceKind(price_list.kind).label, "channel": CustomerKind(wanted).label}
        raise ValidationError({"customer": WRONG_CUSTOMER_KIND % kinds})
    other = price_list_overlapping(
        kind=price_list.kind,
        customer=customer,
        valid_from=price_list.valid_from,
        valid_to=price_list.valid_to,
        exclude_pk=price_list.pk,
    )
    if other is not None:
        end = date_format(other.valid_to) if other.valid_to else OPEN_END
        names = {"name": other.name, "start": date_format(other.valid_from), "end": end}
        raise ValidationError({"valid_from": OVERLAPS % names})


@transaction.atomic
def price_list_create(
    *, actor: User, fields: dict[str, Any], items: list[tuple[Product, Decimal]]
) -> PriceList:
    price_list = PriceList(**fields)
    price_list.full_clean()
    price_list_lock(kind=price_list.kind, customer=price_list.customer)
    price_list_check(price_list)
    price_list.save()
    price_list_created_event(
        actor=actor, price_list=price_list, values=model_snapshot(price_list, PRICE_LIST_FIELDS)
    )
    price_list_items_set(actor=actor, price_list=price_list, items=items)
    return price_list


@transaction.atomic
def price_list_update(
    *,
    actor: User,
    price_list: PriceList,
    fields: dict[str, Any],
    items: list[tuple[Product, Decimal]] | None = None,
) -> PriceList:
    price_list = PriceList.objects.select_for_update().get(pk=price_list.pk)
    before = model_snapshot(price_list, PRICE_LIST_FIELDS)
    for name, value in fields.items():
        setattr(price_list, name, value)
    price_list.full_clean()
    price_list_lock(kind=price_list.kind, customer=price_list.customer)
    price_list_check(price_list)
    price_list.save()
    changes = model_changes(before, model_snapshot(price_list, PRICE_LIST_FIELDS))
    if changes:
        price_list_updated_event(actor=actor, price_list=price_list, changes=changes)
    if items is not None:
        price_list_items_set(actor=actor, price_list=price_list, items=items)
    return price_list


def price_list_items_set(
    *, actor: User, price_list: PriceList, items: list[tuple[Product, Decimal]]
) -> None:
    """Make the list's prices exactly ``items``; sign what was added, changed or removed."""
    wanted: dict[int, tuple[Product, Decimal]] = {}
    for product, price in items:
        if product.pk in wanted:
            raise ValidationError(DUPLICATE_PRODUCT % {"product": product})
        wanted[product.pk] = (product, price)
    existing = {item.product_id: item for item in price_list.items.select_related("product")}
    changes: dict[str, list[Any]] = {}
    for product_id, item in existing.items():
        if product_id not in wanted:
            changes[item.product.sku] = [item.price, None]
            item.delete()
    for product_id, (product, price) in wanted.items():
        item = existing.get(product_id) or PriceListItem(price_list=price_list, product=product)
        if item.pk is not None and item.price == price:
            continue
        changes[product.sku] = [item.price if item.pk else None, price]
        item.price = price
        item.full_clean()
        item.save()
    if changes:
        price_list_prices_event(actor=actor, price_list=price_list, changes=changes)
