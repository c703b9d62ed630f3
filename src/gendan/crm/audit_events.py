"""What the shop CRM signs into the audit log: one action and one function per event
(audit/actions.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.reading import VALUE_READERS
from gendan.audit.services import audit_record
from gendan.crm.rules import rule_text

CUSTOMER_MERGE = audit_action("customer.merge", _("Same customer merged in"))
CUSTOMER_MERGED_INTO = audit_action("customer.merged_into", _("Merged into another customer"))
CUSTOMER_CARE = audit_action("customer.care", _("Care settings changed"))
CARE_RULE = audit_action("care.rule", _("Loyal-customer rule changed"))
CARE_CONTACT = audit_action("care.contact", _("Care contact recorded"))
TAG_CREATED = audit_action("tag.create", _("Tag added"))
TAG_ADD = audit_action("tag.add", _("People given a tag"))
TAG_REMOVE = audit_action("tag.remove", _("People taken out of a tag"))
TAG_RULE = audit_action("tag.rule", _("Tag rule changed"))
TAG_DELETED = audit_action("tag.delete", _("Tag deleted"))
TAG_EVALUATE = audit_action("tag.evaluate", _("Tag evaluated"))
GROUP_CREATED = audit_action("group.create", _("Group added"))
GROUP_ADD = audit_action("group.add", _("People put in a group"))
GROUP_REMOVE = audit_action("group.remove", _("People taken out of a group"))
GROUP_DELETED = audit_action("group.delete", _("Group deleted"))
RFM_TEMPLATE = audit_action("rfm.template", _("RFM template changed"))
# A tag's or the loyal customers' rule reads as words on the audit page, as on the tag pages.
VALUE_READERS["rule"] = rule_text


def customer_merge_events(*, actor: Any, keep: Any, absorb: Any, moved: dict) -> None:
    """Both customers' histories say it: the one kept, and the one merged into it."""
    changes = {"absorbed": absorb.pk, **moved}
    audit_record(actor=actor, action=CUSTOMER_MERGE, target=keep, changes=changes)
    audit_record(actor=actor, action=CUSTOMER_MERGED_INTO, target=absorb, changes={"into": keep.pk})


def customer_care_event(*, actor: Any, customer: Any, changes: dict) -> AuditEvent:
    return audit_record(actor=actor, action=CUSTOMER_CARE, target=customer, changes=changes)


def care_rule_event(*, actor: Any, rule: Any, before: dict | None) -> AuditEvent:
    changes = {"rule": [before, rule.rule]}
    return audit_record(actor=actor, action=CARE_RULE, target=rule, changes=changes)


def care_contact_event(*, actor: Any, customer: Any, kind: str, note: str) -> AuditEvent:
    changes = {"kind": kind, "note": note}
    return audit_record(actor=actor, action=CARE_CONTACT, target=customer, changes=changes)


def tag_created_event(*, actor: Any, tag: Any) -> AuditEvent:
    return audit_record(actor=actor, action=TAG_CREATED, target=tag, changes={"rule": tag.rule})


def tag_added_event(*, actor: Any, tag: Any, count: int) -> AuditEvent:
    """People put in a manual tag by hand, by count."""
    return audit_record(actor=actor, action=TAG_ADD, target=tag, changes={"customers": count})


def tag_removed_event(*, actor: Any, tag: Any, count: int) -> AuditEvent:
    return audit_record(actor=actor, action=TAG_REMOVE, target=tag, changes={"customers": count})


def tag_rule_event(*, actor: Any, tag: Any, changes: dict) -> AuditEvent:
    return audit_record(actor=actor, action=TAG_RULE, target=tag, changes=changes)


def tag_deleted_event(*, actor: Any, tag: Any, people: int) -> AuditEvent:
    changes = {"name": tag.name, "rule": tag.rule, "customers": people}
    return audit_record(actor=actor, action=TAG_DELETED, target=tag, changes=changes)


def tag_evaluated_event(*, actor: Any, tag: Any, count: int) -> AuditEvent:
    return audit_record(actor=actor, action=TAG_EVALUATE, target=tag, changes={"customers": count})


def group_created_event(*, actor: Any, group: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=GROUP_CREATED, target=group, changes={"name": group.name}
    )


def group_added_event(*, actor: Any, group: Any, count: int) -> AuditEvent:
    return audit_record(actor=actor, action=GROUP_ADD, target=group, changes={"customers": count})


def group_removed_event(*, actor: Any, group: Any, count: int) -> AuditEvent:
    changes = {"customers": count}
    return audit_record(actor=actor, action=GROUP_REMOVE, target=group, changes=changes)


def group_deleted_event(*, actor: Any, group: Any, people: int) -> AuditEvent:
    changes = {"name": group.name, "customers": people}
    return audit_record(actor=actor, action=GROUP_DELETED, target=group, changes=changes)


def rfm_template_event(*, actor: Any, template: Any, changes: dict) -> AuditEvent:
    return audit_record(actor=actor, action=RFM_TEMPLATE, target=template, changes=changes)
