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
RETURNED_STOCK_IN = audit_action("stock.returned", _("Returned goods booked into their batch"))
SUBSTITUTION_CHOSEN = audit_action(
    "stock.substitution", _("Customer chose a substitute for a self-pickup")
)


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


def substitution_chosen_event(*, actor: Any, substitution: Any) -> AuditEvent:
    """O-61: what the line asked for, what the customer takes instead, and who chose it."""
    return audit_record(
        actor=actor, action=SUBSTITUTION_CHOSEN, target=substitution.order,
        changes={
            "product": [substitution.original.sku, substitution.substitute.sku],
            "chosen_by": substitution.chosen_by,
        },
    )  # fmt: skip


def returned_stock_in_event(*, actor: Any, goods_return: Any, moves: list[Any]) -> AuditEvent:
    """O-62, O-63, O-50: each line back into its batch, and where it went (its grade)."""
    placed = "; ".join(
        f"{move.batch.number} {format(move.quantity.normalize(), 'f')} → {move.to_location}"
        for move in moves
    )
    return audit_record(
        actor=actor, action=RETURNED_STOCK_IN, target=goods_return.order,
        changes={"return": str(goods_return), "stock": placed},
    )  # fmt: skip
