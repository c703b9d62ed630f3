"""What the documents app signs into the audit log: one action and one function per event
(audit/actions.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

DOCUMENT_VOIDED = audit_action("document.voided", _("Document made void"))


def document_voided_event(*, actor: object, document: object) -> AuditEvent:
    """A void version of a paper of a cancelled order (services.documents_void)."""
    return audit_record(
        actor=actor, action=DOCUMENT_VOIDED, target=document.order, note=document.void_reason,
        changes={"document": document.number, "version": document.version,
                 "hash": document.content_hash},
    )  # fmt: skip


DOCUMENT_ISSUED = audit_action("document.issued", _("Document issued"))


def document_issued_event(*, actor: object, order: object, document: object) -> AuditEvent:
    """A new version of a paper, with the checksum of what it says (services.document_issue)."""
    return audit_record(
        actor=actor, action=DOCUMENT_ISSUED, target=order, note=str(document),
        changes={"document": document.number, "version": document.version,
                 "hash": document.content_hash},
    )  # fmt: skip
