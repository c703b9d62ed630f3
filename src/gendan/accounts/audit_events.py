"""What accounts sign into the audit log: one action and one function per event
(audit/actions.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

USER_CREATED = audit_action("user.create", _("User added"))
PASSWORD_CHANGED = audit_action("user.password_change", _("Own password changed"))
API_TOKEN_CREATED = audit_action("api_token.create", _("API token made"))
API_TOKEN_REVOKED = audit_action("api_token.revoke", _("API token revoked"))


def user_created_event(*, actor: Any, user: Any, roles: list[str]) -> AuditEvent:
    return audit_record(
        actor=actor, action=USER_CREATED, target=user, changes={"roles": sorted(roles)}
    )


def password_changed_event(*, user: Any) -> AuditEvent:
    """The user changed their own password (the password itself is never logged)."""
    return audit_record(actor=user, action=PASSWORD_CHANGED, target=user)


def api_token_created_event(*, token: Any) -> AuditEvent:
    changes = {"name": token.name, "prefix": token.prefix}
    return audit_record(actor=token.user, action=API_TOKEN_CREATED, target=token, changes=changes)


def api_token_revoked_event(*, actor: Any, token: Any) -> AuditEvent:
    return audit_record(actor=actor, action=API_TOKEN_REVOKED, target=token)
