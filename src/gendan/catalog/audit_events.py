"""What the catalog signs into the audit log: one action and one function per event
(audit/actions.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

PRODUCT_CREATED = audit_action("product.create", _("Product added"))
PRODUCT_UPDATED = audit_action("product.update", _("Product changed"))
PRICE_LIST_CREATED = audit_action("price_list.create", _("Price list added"))
PRICE_LIST_UPDATED = audit_action("price_list.update", _("Price list changed"))
PRICE_LIST_PRICES = audit_action("price_list.prices", _("Price list prices changed"))


def product_updated_event(*, actor: Any, product: Any, changes: dict) -> AuditEvent:
    return audit_record(actor=actor, action=PRODUCT_UPDATED, target=product, changes=changes)


def price_list_created_event(*, actor: Any, price_list: Any, values: dict) -> AuditEvent:
    return audit_record(actor=actor, action=PRICE_LIST_CREATED, target=price_list, changes=values)


def price_list_updated_event(*, actor: Any, price_list: Any, changes: dict) -> AuditEvent:
    return audit_record(actor=actor, action=PRICE_LIST_UPDATED, target=price_list, changes=changes)


def price_list_prices_event(*, actor: Any, price_list: Any, changes: dict) -> AuditEvent:
    """``changes``: each SKU's price as [before, after]; None where it was added or removed."""
    return audit_record(actor=actor, action=PRICE_LIST_PRICES, target=price_list, changes=changes)
