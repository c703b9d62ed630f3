"""The actions the audit log knows, each with a translated label for the audit page.

Each app declares its actions in its own ``audit_events.py``: a constant made by
``audit_action`` and one small keyword-only function per action that writes the entry (as
Saleor's ``order/events.py`` does), so the log holds no free strings. The audit app imports
every app's ``audit_events`` when Django starts (AuditConfig.ready), so the labels are known
to the pages before any entry is shown.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class AuditAction:
    code: str  # stored in AuditEvent.action; never changes once entries carry it
    label: Promise

    def __str__(self) -> str:
        return self.code


AUDIT_ACTIONS: dict[str, AuditAction] = {}


def audit_action(code: str, label: Promise) -> AuditAction:
    """Declare an action once; declaring the same code twice is a mistake."""
    if code in AUDIT_ACTIONS:
        raise ValueError(f"audit action {code!r} is declared twice")
    action = AuditAction(code, label)
    AUDIT_ACTIONS[code] = action
    return action


def audit_action_label(code: str) -> str:
    """The translated label of an action; an unknown (older) code is shown as it is."""
    action = AUDIT_ACTIONS.get(code)
    return str(action.label) if action is not None else code
