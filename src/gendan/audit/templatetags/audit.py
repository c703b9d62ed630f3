"""The audit log on the pages: each action by its label, each change in words."""

from __future__ import annotations

from django import template

from gendan.audit.actions import audit_action_label
from gendan.audit.models import AuditEvent
from gendan.audit.reading import ChangeRow, change_rows

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """``{{ event.action|action_label }}``: 登记订单, not order.register."""
    return audit_action_label(code)


@register.filter
def readable_changes(event: AuditEvent) -> list[ChangeRow]:
    return change_rows(event)
