"""What the orders app signs into the audit log: one action and one function per event
(audit/actions.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

RECEIPT = audit_action("order.receipt", _("Money received"))


def receipt_event(*, actor: object, order: object, receipt: object) -> AuditEvent:
    return audit_record(
        actor=actor, action=RECEIPT, target=order,
        changes={"amount": receipt.amount, "method": receipt.method,
                 "install_fee": receipt.is_install_fee},
    )  # fmt: skip
