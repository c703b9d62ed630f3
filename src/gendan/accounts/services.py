from __future__ import annotations

import contextlib
import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.audit_events import (
    api_token_created_event,
    api_token_revoked_event,
    password_changed_event,
    user_created_event,
)
from gendan.accounts.models import ApiToken, User
from gendan.accounts.roles import DEALER_ROLES, PARTNER_ROLES, ROLE_PERMISSIONS, Role

PARTNER_REQUIRED = _("A dealer, store staff or promoter must belong to a dealer or supermarket.")
PARTNER_KIND_WRONG = _("Dealers and store staff belong to a dealer; promoters to a supermarket.")
PARTNER_ROLES_MIXED = _("A partner's user cannot also hold a company role.")
STORE_NOT_PARTNERS = _("The store must belong to the user's partner.")
PARTNER_NOT_STAFF = _("A partner's user cannot use the administration site.")
# Tokens read "gdn_" and 43 random characters (256 bits); the first 12 are shown in lists.
API_TOKEN_PREFIX = "gdn_"
API_TOKEN_SHOWN = 12
LAST_USED_PRECISION = timedelta(minutes=1)


def role_groups_sync() -> None:
    """Create one group per role and give it exactly the role's permissions."""
    wanted = {role: permissions_by_code(codes) for role, codes in ROLE_PERMISSIONS.items()}
    for role, permissions in wanted.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.set(permissions)


def role_groups_sync_after_migrate(**kwargs: Any) -> None:
    # post_migrate comes once per app; the roles can be set once every app's permissions exist.
    with contextlib.suppress(LookupError):
        role_groups_sync()


def permissions_by_code(codes: tuple[str, ...]) -> list[Permission]:
    wanted = {tuple(code.split(".", 1)) for code in codes}
    found = [
        perm
        for perm in Permission.objects.select_related("content_type")
        if (perm.content_type.app_label, perm.codename) in wanted
    ]
    if len(found) != len(wanted):
        names = {(p.content_type.app_label, p.codename) for p in found}
        raise LookupError(f"Unknown permissions: {sorted(wanted - names)}")
    return found


def user_roles_check(
    *, roles: set[Role], partner: Any, store: Any = None, is_staff: bool = False
) -> None:
    """Refuse a combination of roles and partner that scoping could not honour.

    The administration site is not scoped, so a partner's user may never enter it.
    """
    partner_roles = roles & PARTNER_ROLES
    if (partner_roles or partner is not None) and is_staff:
        raise ValidationError({"is_staff": PARTNER_NOT_STAFF})
    if partner_roles and roles - PARTNER_ROLES:
        raise ValidationError({"roles": PARTNER_ROLES_MIXED})
    if partner_roles and partner is None:
        raise ValidationError({"partner": PARTNER_REQUIRED})
    if partner is not None:
        wanted_kind = "dealer" if partner_roles & DEALER_ROLES else "supermarket"
        if not partner_roles or partner.kind != wanted_kind:
            raise ValidationError({"partner": PARTNER_KIND_WRONG})
    if store is not None and (partner is None or store.customer_id != partner.pk):
        raise ValidationError({"store": STORE_NOT_PARTNERS})


@transaction.atomic
def user_create(
    *,
    actor: User | None,
    username: str,
    password: str,
    name: str = "",
    roles: set[Role],
    partner: Any = None,
    store: Any = None,
    is_superuser: bool = False,
) -> User:
    user_roles_check(roles=roles, partner=partner, store=store)
    user = User(username=username, name=name, partner=partner, store=store)
    user.is_staff = is_superuser
    user.is_superuser = is_superuser
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.set(Group.objects.filter(name__in=[role.value for role in roles]))
    user_created_event(actor=actor, user=user, roles=[role.value for role in roles])
    return user


@transaction.atomic
def user_password_change(*, user: User, password: str) -> None:
    """The user sets a new password of their own (the form has checked the old one)."""
    user.set_password(password)
    user.save(update_fields=["password"])
    password_changed_event(user=user)


def api_token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token and its secret; the secret is returned once and never stored."""
    secret = API_TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user=user, name=name, prefix=secret[:API_TOKEN_SHOWN], digest=api_token_digest(secret)
    )
    token.full_clean()
    token.save()
    api_token_created_event(token=token)
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    # A conditional update: a token revoked twice is revoked (and audited) once.
    revoked = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True)
    if revoked.update(revoked_at=timezone.now()):
        api_token_revoked_event(actor=actor, token=token)


def api_token_use(*, secret: str) -> ApiToken | None:
    """The live token of an active user with this secret, its last use noted; else None."""
    if not secret.startswith(API_TOKEN_PREFIX):
        return None
    live = ApiToken.objects.filter(revoked_at__isnull=True, user__is_active=True)
    token = live.select_related("user").filter(digest=api_token_digest(secret)).first()
    if token is None:
        return None
    # Note the use at most once a minute: a busy program should not write a row per call.
    now = timezone.now()
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_PRECISION)
    ApiToken.objects.filter(stale, pk=token.pk).update(last_used_at=now)
    return token
