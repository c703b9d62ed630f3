"""What logistics signs into the audit log: one action and one function per event
(audit/actions.py). Each part of the app adds its own below."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

__all__ = ["Any", "AuditEvent", "_", "audit_action", "audit_record"]
