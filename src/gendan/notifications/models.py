"""Telling people it is their turn: one row per person and order step they now sign."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.orders.models import StepLog
from gendan.orders.routes import ROUTES


class Notification(models.Model):
    """An order waits at a step this user signs; written by the step effect after the signature
    that left it there, read when the user opens it, mailed when e-mail is configured."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    order = models.ForeignKey(
        "orders.Order",
        verbose_name=_("order"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # The code of the step the order waits at; its label is shown in the reader's language.
    step = models.CharField(_("step"), max_length=40)
    # The signature that left the order at that step (who signed what before it).
    step_log = models.ForeignKey(
        "orders.StepLog",
        verbose_name=_("after the signature"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The list, newest first.
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
            # The bell's count: the unread ones only, so it stays small however many are read.
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "step_log"], name="notification_once"),
        ]

    def __str__(self) -> str:
        return f"{self.order_id} · {self.step} → {self.recipient_id}"

    @property
    def step_label(self) -> str:
        """The step the order waits at, in the reader's language."""
        return step_label(self.order.route, self.step)

    @property
    def sent_back(self) -> bool:
        """The order came back to this step: the entry says who sent it back and why."""
        return self.step_log.outcome == StepLog.Outcome.SENT_BACK

    @property
    def signed_label(self) -> str:
        """The step whose signature left the order there."""
        return step_label(self.order.route, self.step_log.step)


def step_label(route_code: str, code: str) -> str:
    route = ROUTES.get(route_code)
    return str(route.step(code).label) if route is not None and route.has(code) else code
