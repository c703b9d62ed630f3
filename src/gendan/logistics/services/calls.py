"""The call the day before (O-43): a drop marked told (who, when, to whom), and the day's
message e-mailed through the task worker to each customer with an address, once."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.logistics.audit_events import customer_emailed_event, customer_told_event
from gendan.logistics.locks import drop_lock
from gendan.logistics.models import Drop, RoutePlan
from gendan.logistics.selectors_calls import ON_A_TRUCK, call_drops, call_plan, call_row
from gendan.notifications.services import mail_configured

logger = logging.getLogger(__name__)

TOLD_TO_MISSING = _("Say whom you told: the name of the person you spoke to.")
TOLD_TO_TOO_LONG = _("Whom you told: at most 60 characters.")
NOT_ON_A_TRUCK = _("This drop is not on a truck: tell the customer the new day and rebook it.")
DROP_DONE = _("This drop is already delivered or failed: there is nothing to tell.")
TOLD_AGAIN = _(
    "Already told at %(at)s by %(by)s: this call is recorded in the audit log as a second call."
)
MAIL_OFF = _("E-mail is not set up on this server (EMAIL_URL or EMAIL_HOST).")
NO_PLAN = _("There is no plan for this day yet.")
NOTHING_TO_EMAIL = _(
    "No customer of this day waits for an e-mail (none has an address, or all were e-mailed)."
)
MAIL_SUBJECT = _("%(company)s: your delivery on %(day)s")


def drop_told(*, actor: User, drop: Drop, told_to: str) -> tuple[Drop, bool]:
    """O-43: the customer was told the window and the amount. A second call keeps the first
    told_at and is recorded in the audit log only; returns the drop and whether it was again."""
    told_to = told_to.strip()
    if not told_to:
        raise ValidationError({"told_to": TOLD_TO_MISSING})
    if len(told_to) > 60:
        raise ValidationError({"told_to": TOLD_TO_TOO_LONG})
    with transaction.atomic():
        drop = drop_lock(drop.pk)
        if drop.route_id is None:
            raise ValidationError(NOT_ON_A_TRUCK)
        if drop.state in (Drop.State.DELIVERED, Drop.State.FAILED):
            raise ValidationError(DROP_DONE)
        again = drop.told_at is not None
        if not again:
            drop.told_at, drop.told_by, drop.told_to = timezone.now(), actor, told_to
            drop.save(update_fields=["told_at", "told_by", "told_to"])
        customer_told_event(actor=actor, drop=drop, told_to=told_to, again=again)
    return drop, again


def told_again_text(drop: Drop) -> str:
    by = drop.told_by.display_name if drop.told_by else "—"
    at = date_format(timezone.localtime(drop.told_at), "SHORT_DATETIME_FORMAT")
    return str(TOLD_AGAIN % {"at": at, "by": by})


def drops_to_email(plan: RoutePlan):
    """The drops on a truck, not e-mailed yet, whose customer has an address."""
    drops = call_drops(plan).filter(ON_A_TRUCK, emailed_at__isnull=True)
    drops = drops.exclude(state__in=(Drop.State.DELIVERED, Drop.State.FAILED))
    return [drop for drop in drops if call_row(drop).email]


def calls_email(*, actor: User, day: dt.date) -> int:
    """ "E-mail all": the worker sends the day's message to each customer with an address not
    e-mailed yet (calls_mail_send); returns how many are queued."""
    from gendan.logistics.tasks_calls import calls_mail_run

    if not mail_configured():
        raise ValidationError(MAIL_OFF)
    plan = call_plan(day)
    if plan is None:
        raise ValidationError(NO_PLAN)
    waiting = len(drops_to_email(plan))
    if not waiting:
        raise ValidationError(NOTHING_TO_EMAIL)
    transaction.on_commit(lambda: calls_mail_run.enqueue(plan.pk, actor.pk))
    return waiting


def calls_mail_send(*, plan: RoutePlan, actor: User | None) -> int:
    """The worker's part: each drop claimed first by a conditional update (two workers, or a
    second "e-mail all", send it once), then sent; a send that fails gives the claim back and
    raises, so the task fails visibly and a later "e-mail all" tries again."""
    sent = 0
    with get_connection() as connection:
        for drop in drops_to_email(plan):
            now = timezone.now()
            if not Drop.objects.filter(pk=drop.pk, emailed_at__isnull=True).update(emailed_at=now):
                continue  # another worker got there first
            row = call_row(drop)
            try:
                call_mail(row, plan.day, connection).send()
            except smtplib.SMTPRecipientsRefused:
                logger.warning("drop %s: the mail server refused %s", drop.pk, row.email)
                Drop.objects.filter(pk=drop.pk).update(emailed_at=None)
                continue
            except Exception:
                Drop.objects.filter(pk=drop.pk).update(emailed_at=None)
                raise
            drop.emailed_at = now
            customer_emailed_event(actor=actor, drop=drop, address=row.email)
            sent += 1
    return sent


def call_mail(row, day: dt.date, connection: object) -> EmailMessage:
    with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
        values = {
            "company": settings.GENDAN_COMPANY["name"],
            "day": date_format(day, "MONTH_DAY_FORMAT"),
        }
        subject = str(MAIL_SUBJECT) % values
    return EmailMessage(subject, row.message, to=[row.email], connection=connection)
