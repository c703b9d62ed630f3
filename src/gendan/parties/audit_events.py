"""What the parties app signs into the audit log: one action and one function per event
(audit/actions.py). Contacts and addresses are signed on their customer's history."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import AuditAction, audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

CUSTOMER_CREATED = audit_action("customer.create", _("Customer added"))
CUSTOMER_UPDATED = audit_action("customer.update", _("Customer changed"))
STORE_CREATED = audit_action("store.create", _("Shop added"))
CONTRACT_CREATED = audit_action("contract.create", _("Contract added"))
# A customer's contacts and addresses, by (model name, verb) as children_apply names them.
CHILD_ACTIONS: dict[tuple[str, str], AuditAction] = {
    ("contact", "create"): audit_action("contact.create", _("Contact added")),
    ("contact", "update"): audit_action("contact.update", _("Contact changed")),
    ("contact", "delete"): audit_action("contact.delete", _("Contact removed")),
    ("address", "create"): audit_action("address.create", _("Address added")),
    ("address", "update"): audit_action("address.update", _("Address changed")),
    ("address", "delete"): audit_action("address.delete", _("Address removed")),
}


def customer_updated_event(*, actor: Any, customer: Any, changes: dict) -> AuditEvent:
    return audit_record(actor=actor, action=CUSTOMER_UPDATED, target=customer, changes=changes)


def store_created_event(*, actor: Any, customer: Any, store: Any) -> AuditEvent:
    return audit_record(actor=actor, action=STORE_CREATED, target=customer, note=store.name)


def customer_child_event(
    *, actor: Any, customer: Any, child: Any, verb: str, changes: dict | None = None
) -> AuditEvent:
    """A contact or address added, changed or removed, on its customer's history."""
    action = CHILD_ACTIONS[(child._meta.model_name, verb)]
    return audit_record(
        actor=actor, action=action, target=customer, changes=changes, note=str(child)
    )


def contract_created_event(*, actor: Any, customer: Any, contract: Any, stages: list) -> AuditEvent:
    changes = {"number": contract.number, "amount": contract.amount, "stages": stages}
    return audit_record(actor=actor, action=CONTRACT_CREATED, target=customer, changes=changes)
