"""What the warehouse signs into the audit log: one action and one function per event
(audit/actions.py). The stock moves themselves are the ledger, readable on the stock pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

RESERVATIONS_CHANGED = audit_action("stock.reserve", _("Stock reserved or released"))
SPLIT_AGREED = audit_action("stock.split_agreed", _("Customer agreed to a split over batches"))


def reservations_changed_event(
    *, actor: Any, order: Any, changes: list[str], reason: str = ""
) -> AuditEvent:
    """``changes``: each batch and what the order now holds more (+) or less (−) of it."""
    values = {"reservations": "; ".join(changes)} | ({"reason": reason} if reason else {})
    return audit_record(actor=actor, action=RESERVATIONS_CHANGED, target=order, changes=values)


def split_agreed_event(*, actor: Any, agreement: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=SPLIT_AGREED, target=agreement.order,
        changes={"product": agreement.product.sku, "agreed_by": agreement.agreed_by},
    )  # fmt: skip
