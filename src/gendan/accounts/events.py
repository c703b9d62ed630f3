"""The audit events of accounts: one function per event, each with its action constant."""

from __future__ import annotations

from gendan.accounts.models import ApiToken, User
from gendan.audit.services import audit_record

PASSWORD_CHANGED = "user.password_change"
API_TOKEN_CREATED = "api_token.create"
API_TOKEN_REVOKED = "api_token.revoke"


def password_changed_event(*, user: User) -> None:
    """The user changed their own password (the password itself is never logged)."""
    audit_record(actor=user, action=PASSWORD_CHANGED, target=user)


def api_token_created_event(*, token: ApiToken) -> None:
    changes = {"name": token.name, "prefix": token.prefix}
    audit_record(actor=token.user, action=API_TOKEN_CREATED, target=token, changes=changes)


def api_token_revoked_event(*, actor: User, token: ApiToken) -> None:
    audit_record(actor=actor, action=API_TOKEN_REVOKED, target=token)
