from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from gendan.audit.models import AuditEvent


def audit_events_for(target: models.Model) -> QuerySet[AuditEvent]:
    """The signed history of one record, newest first."""
    target_type = ContentType.objects.get_for_model(target, for_concrete_model=False)
    return AuditEvent.objects.filter(
        target_type=target_type, target_id=str(target.pk)
    ).select_related("actor")


def audit_event_list(*, action: str = "", actor_id: int | None = None) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("actor", "target_type")
    if action:
        events = events.filter(action__startswith=action)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    return events
