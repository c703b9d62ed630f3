from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from gendan.audit.actions import AUDIT_ACTIONS
from gendan.audit.models import AuditEvent


def audit_events_for(target: models.Model) -> QuerySet[AuditEvent]:
    """The signed history of one record, newest first."""
    target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return AuditEvent.objects.filter(
        target_type=target_type, target_id=str(target.pk)
    ).select_related("actor")


@dataclass(frozen=True)
class AuditFilter:
    action: str = ""  # a declared action's code, or the start of codes ("customer")
    by: str = ""  # part of the signer's name or user name
    record: str = ""  # part of the record's name (an order number, a customer)
    start: dt.date | None = None
    end: dt.date | None = None


def audit_event_list(
    *, action: str = "", actor_id: int | None = None, filters: AuditFilter | None = None
) -> QuerySet[AuditEvent]:
    filters = filters or AuditFilter(action=action)
    events = AuditEvent.objects.select_related("actor", "target_type")
    if filters.action in AUDIT_ACTIONS:
        events = events.filter(action=filters.action)
    elif filters.action:
        events = events.filter(action__startswith=filters.action)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if filters.by:
        events = events.filter(
            Q(actor__name__icontains=filters.by) | Q(actor__username__icontains=filters.by)
        )
    if filters.record:
        events = events.filter(target_repr__icontains=filters.record)
    return events_between(events, filters.start, filters.end)


def events_between(
    events: QuerySet[AuditEvent], start: dt.date | None, end: dt.date | None
) -> QuerySet[AuditEvent]:
    """From the start of ``start`` to the end of ``end``, in the company's time zone."""
    if start:
        events = events.filter(at__gte=day_begins(start))
    if end:
        events = events.filter(at__lt=day_begins(end + dt.timedelta(days=1)))
    return events


def day_begins(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_action_choices() -> list[tuple[str, str]]:
    """Every declared action, by its label in the current language."""
    return sorted(((code, str(a.label)) for code, a in AUDIT_ACTIONS.items()), key=lambda c: c[1])
