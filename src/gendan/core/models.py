from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IdempotencyKey(models.Model):
    """A key a client sent with a write (an API `Idempotency-Key`, a form's one-time token) and
    the answer the write got: a repeat of the key gets the same answer, and the write is done
    once. Kept in the database, so that every web server agrees; kept for a day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("key"), max_length=255)
    # What the key was first sent with (SHA-256 of method, path and body, or the form's name):
    # the same key with another request is refused, not answered with the first one's answer.
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    # Empty until the write has answered, in the same transaction as the write.
    status_code = models.PositiveSmallIntegerField(_("answer status"), null=True)
    body = models.TextField(_("answer"), blank=True)
    content_type = models.CharField(_("answer type"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("first sent at"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return self.key
