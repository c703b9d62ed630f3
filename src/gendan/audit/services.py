from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from gendan.audit.actions import AuditAction
from gendan.audit.models import AuditEvent


def audit_record(
    *,
    actor: Any,
    action: AuditAction | str,
    target: models.Model,
    changes: dict[str, Any] | None = None,
    note: str = "",
) -> AuditEvent:
    """Sign an action into the append-only log, inside the caller's transaction."""
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=str(action),
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=str(target.pk),
        target_repr=str(target)[:200],
        changes=json_safe(changes or {}),
        note=note,
    )


def instance_create_signed(
    *, actor: Any, instance: models.Model, action: AuditAction, fields: list[str]
) -> models.Model:
    """Validate and save a new record, and sign its creation with the values it was given."""
    instance.full_clean()
    instance.save()
    audit_record(
        actor=actor, action=action, target=instance, changes=model_snapshot(instance, fields)
    )
    return instance


def model_snapshot(instance: models.Model, fields: list[str]) -> dict[str, Any]:
    return {name: getattr(instance, name) for name in fields}


def model_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {name: [before[name], after[name]] for name in after if before.get(name) != after[name]}


def json_safe(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)
