"""What the admin signs into the audit log: a record added, changed or deleted there.

Its actions are named ``<model>.<verb>`` (``product.update``), as entries already in the
databases carry them. Where an app declared that code itself (a product added through its
page is also ``product.create``), its label stands; every other model gets one here, declared
when Django starts, after every app's own ``audit_events`` (AuditConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.text import capfirst, format_lazy
from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import AUDIT_ACTIONS, AuditAction, audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

ADMIN_VERBS = {
    "create": _("added in the admin"),
    "update": _("changed in the admin"),
    "delete": _("deleted in the admin"),
}


def admin_actions_declare() -> None:
    """One action per model of gendan and verb, unless its app declared the code already."""
    for model in apps.get_models():
        if not model.__module__.startswith("gendan."):
            continue
        for verb in ADMIN_VERBS:
            admin_action(model, verb)


def admin_action(model: Any, verb: str) -> AuditAction:
    """The action of ``model`` (a class or a record) added, changed or deleted in the admin."""
    code = f"{model._meta.model_name}.{verb}"
    if code in AUDIT_ACTIONS:
        return AUDIT_ACTIONS[code]
    label = format_lazy("{}: {}", capfirst(model._meta.verbose_name), ADMIN_VERBS[verb])
    return audit_action(code, label)


def admin_event(*, actor: Any, obj: Any, verb: str, changes: dict) -> AuditEvent:
    """A record added, changed or deleted in the admin (audit/admin.py)."""
    action = admin_action(obj, verb)
    return audit_record(actor=actor, action=action, target=obj, changes=changes, note="admin")
