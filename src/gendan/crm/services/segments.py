"""Segments of the shop's customers: tags (manual and automatic), groups, RFM templates."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.crm.audit_events import (
    group_added_event,
    group_created_event,
    group_deleted_event,
    group_removed_event,
    rfm_template_event,
    tag_added_event,
    tag_created_event,
    tag_deleted_event,
    tag_evaluated_event,
    tag_removed_event,
    tag_rule_event,
)
from gendan.crm.models import (
    TAG_LIMIT,
    Group,
    GroupMember,
    RfmTemplate,
    Tag,
    TagMember,
)
from gendan.crm.rfm import template_check
from gendan.crm.rules import rule_q
from gendan.crm.selectors import tag_people


def tags_lock() -> None:
    """Two people adding the 100th tag at once: one waits (SQLite's IMMEDIATE does the same)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('gendan.crm.tags'))")


TOO_MANY_TAGS = _("A shop has at most %(limit)s tags; remove one before adding another.")


@transaction.atomic
def tag_create(*, actor: User, name: str, rule: dict | None = None) -> Tag:
    """E-4: a manual tag, or an automatic one evaluated at once. The 101st is refused."""
    tags_lock()
    if Tag.objects.count() >= TAG_LIMIT:
        raise ValidationError({"name": TOO_MANY_TAGS % {"limit": TAG_LIMIT}})
    if rule:
        rule_q(rule)  # refuse a malformed rule before anything is saved
    tag = Tag(name=name, rule=rule or {})
    tag.full_clean()
    tag.save()
    tag_created_event(actor=actor, tag=tag)
    if tag.is_automatic:
        tag_evaluate(tag)
    return tag


def tag_evaluate(tag: Tag) -> int:
    """Count a tag's people now and keep the count for the list of tags.

    An automatic tag's people are never copied into rows: they are its rule applied to the
    kept figures whenever the tag is used, so they follow the figures (and the time window)
    at every moment, and evaluating the tag over every customer is one counting query."""
    tag.people = tag_people(tag).count()
    tag.counted_at = timezone.now()
    tag.save(update_fields=["people", "counted_at"])
    return tag.people


AUTOMATIC_BY_RULE = _(
    "“%(tag)s” is automatic: its people follow its rule. Choose a manual tag to add people by hand."
)
NO_PEOPLE = _("Choose at least one customer.")


def tag_manual(tag: Tag) -> None:
    if tag.is_automatic:
        raise ValidationError({"tag": AUTOMATIC_BY_RULE % {"tag": tag.name}})


@transaction.atomic
def tag_add(*, actor: User, tag: Tag, customer_ids: list[int]) -> int:
    """E-4, E-5: people added to a manual tag by hand, one by one or a whole selection."""
    tag_manual(tag)
    if not customer_ids:
        raise ValidationError(NO_PEOPLE)
    rows = [TagMember(tag=tag, customer_id=pk) for pk in customer_ids]
    TagMember.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    tag_added_event(actor=actor, tag=tag, count=len(rows))
    tag_evaluate(tag)
    return len(rows)


@transaction.atomic
def tag_remove(*, actor: User, tag: Tag, customer_ids: list[int]) -> int:
    """People taken out of a manual tag."""
    tag_manual(tag)
    removed, _detail = TagMember.objects.filter(tag=tag, customer_id__in=customer_ids).delete()
    tag_removed_event(actor=actor, tag=tag, count=removed)
    tag_evaluate(tag)
    return removed


@transaction.atomic
def tag_move(*, actor: User, source: Tag, target: Tag, customer_ids: list[int]) -> int:
    """E-5: people moved from one manual tag to another, all or none."""
    tag_manual(source)
    moved = tag_add(actor=actor, tag=target, customer_ids=customer_ids)
    tag_remove(actor=actor, tag=source, customer_ids=customer_ids)
    return moved


@transaction.atomic
def tag_create_for(*, actor: User, name: str, customer_ids: list[int]) -> Tag:
    """E-5: a selection given a new (manual) tag in one step."""
    if not customer_ids:
        raise ValidationError(NO_PEOPLE)
    tag = tag_create(actor=actor, name=name)
    tag_add(actor=actor, tag=tag, customer_ids=customer_ids)
    return tag


@transaction.atomic
def tag_rule_set(*, actor: User, tag: Tag, name: str, rule: dict) -> Tag:
    """An automatic tag's name and rule changed; its people are evaluated again at once."""
    if not rule:
        raise ValidationError({"rule": RULE_NEEDED})
    rule_q(rule)
    before = {"name": tag.name, "rule": tag.rule}
    tag.name, tag.rule = name, rule
    tag.full_clean()
    tag.save()
    changes = {"name": [before["name"], name], "rule": [before["rule"], rule]}
    tag_rule_event(actor=actor, tag=tag, changes=changes)
    tag_evaluate(tag)
    return tag


RULE_NEEDED = _("An automatic tag needs at least one condition.")


@transaction.atomic
def tag_delete(*, actor: User, tag: Tag) -> None:
    """A tag and its memberships go; the customers stay. Signed with how many it held."""
    tags_lock()
    people = tag.members.count()
    tag_deleted_event(actor=actor, tag=tag, people=people)
    tag.delete()


@transaction.atomic
def tag_refresh(*, actor: User, tag: Tag) -> int:
    """E-4: an automatic tag evaluated on demand over every customer."""
    if not tag.is_automatic:
        raise ValidationError({"tag": RULE_NEEDED})
    count = tag_evaluate(tag)
    tag_evaluated_event(actor=actor, tag=tag, count=count)
    return count


@transaction.atomic
def group_create(*, actor: User, name: str, note: str = "") -> Group:
    """E-6: a group beside the tags."""
    group = Group(name=name, note=note)
    group.full_clean()
    group.save()
    group_created_event(actor=actor, group=group)
    return group


@transaction.atomic
def group_add(*, actor: User, group: Group, customer_ids: list[int]) -> int:
    if not customer_ids:
        raise ValidationError(NO_PEOPLE)
    rows = [GroupMember(group=group, customer_id=pk) for pk in customer_ids]
    GroupMember.objects.bulk_create(rows, ignore_conflicts=True, batch_size=5000)
    group_added_event(actor=actor, group=group, count=len(rows))
    return len(rows)


@transaction.atomic
def group_remove(*, actor: User, group: Group, customer_ids: list[int]) -> int:
    removed, _detail = GroupMember.objects.filter(
        group=group, customer_id__in=customer_ids
    ).delete()
    group_removed_event(actor=actor, group=group, count=removed)
    return removed


@transaction.atomic
def group_delete(*, actor: User, group: Group) -> None:
    people = group.members.count()
    group_deleted_event(actor=actor, group=group, people=people)
    group.delete()


@transaction.atomic
def rfm_template_save(*, actor: User, category: str, fields: dict) -> RfmTemplate:
    """E-8: save a template (the default one, or a category's); every customer is relabelled
    by it at once, because labels are its conditions on the kept figures."""
    template = RfmTemplate.objects.select_for_update().filter(category=category).first()
    template = template or RfmTemplate(category=category)
    before = {name: getattr(template, name) for name in fields} if template.pk else {}
    for name, value in fields.items():
        setattr(template, name, value)
    template_check(template)
    template.full_clean()
    template.save()
    changes = {n: [before.get(n), getattr(template, n)] for n in fields}
    rfm_template_event(actor=actor, template=template, changes=changes)
    return template
