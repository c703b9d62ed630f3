from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role


class User(AbstractUser):
    """A person who signs in. Roles are Django groups named by ``Role``."""

    name = models.CharField(_("name"), max_length=60, blank=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    # The dealer or supermarket this person works for; set for dealers, store staff and
    # promoters, whose every read is scoped to it. Empty for the company's own staff.
    partner = models.ForeignKey(
        "parties.Customer",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    store = models.ForeignKey(
        "parties.Store",
        verbose_name=_("store"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username

    @cached_property
    def roles(self) -> frozenset[Role]:
        names = self.groups.values_list("name", flat=True)
        return frozenset(Role(name) for name in names if name in Role.values)

    def has_role(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


class ApiToken(models.Model):
    """A personal key for programs that call the API (``Authorization: Bearer``).

    Only the SHA-256 digest of the token is kept: the token is a long random secret, so a
    fast hash is as safe as a slow one and costs nothing per request (a password hash costs
    0.8 s). The prefix is shown in lists so the user can tell tokens apart.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=60)
    prefix = models.CharField(_("prefix"), max_length=12)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
