"""Telling the person whose step comes next: in the page, and by e-mail when configured.

Both are step effects (orders/effects.py): recorded with the signature, carried out by the task
worker after it commits, retried by the outbox when they fail. The in-page notifications are
written first; the e-mail is a second effect, recorded only when there is mail to send, so a
mail server that is down delays the mail alone and never the bell.
"""

from __future__ import annotations

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.notifications.models import Notification
from gendan.notifications.selectors import step_signers, step_waiting_after
from gendan.orders.models import Order, StepLog
from gendan.orders.services.effects import effects_record

logger = logging.getLogger(__name__)

MAIL = "gendan.notifications.services.next_step_mail"
MAIL_SUBJECT = _("Order %(number)s waits for you: %(step)s")
MAIL_BODY = _(
    "Hello %(name)s,\n\n"
    "order %(number)s (%(customer)s) waits at a step you sign: %(step)s.\n"
    "%(what)s\n\n"
    "Open it: %(url)s\n"
)
MAIL_SIGNED = _("%(signer)s signed “%(signed)s” on %(at)s.")
MAIL_SENT_BACK = _("%(signer)s sent “%(signed)s” back on %(at)s: %(reason)s")


def next_step_notify(order: Order, entry: StepLog) -> list[Notification]:
    """Step effect of every signature: what told of the step just signed is settled, and each
    user who signs the step the order now waits at is told (not the signer, who has just seen
    it); the e-mail follows as an effect of its own."""
    signed_step_settle(order=order, entry=entry)
    step = step_waiting_after(order, entry)
    if step is None:
        return []
    recipients = step_signers(order=order, step=step).exclude(pk=entry.actor_id)
    notifications = Notification.objects.bulk_create(
        [
            Notification(recipient=user, order=order, step=step.code, step_log=entry)
            for user in recipients
        ]
    )
    if mail_configured() and any(n.recipient.email for n in notifications):
        effects_record(order=order, actions=[MAIL], step_log=entry, actor=entry.actor)
    return notifications


def signed_step_settle(*, order: Order, entry: StepLog) -> int:
    """The step is signed, by one of those told: it is nobody's turn any more, so the unread
    notifications of it leave the others' bells (read from the signature on)."""
    unread = Notification.objects.filter(order=order, step=entry.step, read_at__isnull=True)
    return unread.update(read_at=entry.at)


def order_cancelled_settle(order: Order, entry: StepLog) -> int:
    """Effect of a cancellation: the order left every queue, so every unread notification of
    it is settled (read from the cancellation on)."""
    unread = Notification.objects.filter(order=order, read_at__isnull=True)
    return unread.update(read_at=entry.at)


def mail_configured() -> bool:
    """E-mail is sent when a mail server is set (EMAIL_URL or EMAIL_HOST)."""
    return bool(settings.EMAIL_HOST)


def next_step_mail(order: Order, entry: StepLog) -> int:
    """Step effect: mail each notification of this signature not mailed yet; returns how many.

    A server that cannot be reached raises: the outbox retries it later, and what was already
    sent in that attempt may go once more. An address the server refuses is logged and left
    (it will not be accepted at the next try either)."""
    unsent = Notification.objects.filter(step_log=entry, emailed_at__isnull=True).exclude(
        recipient__email=""
    )
    sent = 0
    with get_connection() as connection:
        for notification in unsent.select_related("recipient", "order__customer", "step_log"):
            try:
                notification_message(notification, connection).send()
            except smtplib.SMTPRecipientsRefused:
                logger.warning(
                    "notification %s: the mail server refused its address", notification.pk
                )
                continue
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


def notification_message(notification: Notification, connection: object) -> EmailMessage:
    """The short mail, in the site's language (users keep no language of their own)."""
    user, order, entry = notification.recipient, notification.order, notification.step_log
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("notification-open", args=[notification.pk])
        values = {
            "name": user.display_name, "number": order.number, "customer": order.customer.name,
            "step": notification.step_label, "signer": entry.signature or "—",
            "signed": notification.signed_label,
            "at": timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M"),
            "url": settings.GENDAN_BASE_URL.rstrip("/") + path, "reason": entry.note,
        }  # fmt: skip
        what = MAIL_SENT_BACK if notification.sent_back else MAIL_SIGNED
        values["what"] = str(what) % values
        subject, body = str(MAIL_SUBJECT) % values, str(MAIL_BODY) % values
    return EmailMessage(subject, body, to=[user.email], connection=connection)


def notification_read(*, user: User, notification: Notification) -> None:
    """The user opened it: read from now on (opening it again changes nothing)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(
            pk=notification.pk, recipient=user, read_at__isnull=True
        ).update(read_at=notification.read_at)


def notifications_read_all(*, user: User) -> int:
    """Every unread notification of the user marked read; returns how many."""
    unread: QuerySet[Notification] = Notification.objects.filter(
        recipient=user, read_at__isnull=True
    )
    return unread.update(read_at=timezone.now())
