"""Customers in the CRM: merging the same person, care settings, loyal-customer care."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.crm.audit_events import (
    care_contact_event,
    care_rule_event,
    customer_care_event,
    customer_merge_events,
)
from gendan.crm.keeping import (
    figures_rebuild,
)
from gendan.crm.models import (
    Care,
    CareContact,
    CareRule,
    Event,
)
from gendan.crm.rules import rule_q
from gendan.crm.services.segments import RULE_NEEDED
from gendan.orders.services.customers import orders_customer_move
from gendan.parties.models import Customer, CustomerKind

MERGE_ITSELF = _("A customer cannot be merged into itself.")
MERGE_KINDS = _("Only homeowners, walk-in, group-buy and online customers are merged.")
MERGE_PARTNERS = _("Only customers of the same partner (or of none) are merged.")
MERGEABLE = (
    CustomerKind.HOMEOWNER,
    CustomerKind.RETAIL,
    CustomerKind.GROUP_BUY,
    CustomerKind.ONLINE,
)


@transaction.atomic
def customer_merge(*, actor: User, keep: Customer, absorb: Customer) -> Customer:
    """The same person twice: ``absorb``'s events, orders, contacts and addresses move to
    ``keep``, whose figures are rebuilt from both histories; ``absorb`` stays, marked.

    Only the roles that own shop data merge, and only within one partner's customers (a
    dealer's or supermarket's homeowners, or the company's own): a partner's data stays its own.
    """
    if not actor.has_perm("crm.merge_customers"):
        raise PermissionDenied
    if keep.pk == absorb.pk:
        raise ValidationError(MERGE_ITSELF)
    if keep.kind not in MERGEABLE or absorb.kind not in MERGEABLE:
        raise ValidationError(MERGE_KINDS)
    # Lock both, in id order, so two merges of the same pair cannot interleave.
    locked = {
        c.pk: c
        for c in Customer.objects.select_for_update()
        .filter(pk__in=[keep.pk, absorb.pk])
        .order_by("pk")
    }
    keep, absorb = locked[keep.pk], locked[absorb.pk]
    if keep.via_id != absorb.via_id:
        raise ValidationError(MERGE_PARTNERS)
    moved = {
        "events": Event.objects.filter(customer=absorb).update(customer=keep),
        "orders": orders_customer_move(actor=actor, source=absorb, target=keep),
        "contacts": absorb.contacts.update(customer=keep),
        "addresses": absorb.addresses.update(customer=keep),
    }
    figures_rebuild([keep.pk, absorb.pk])
    absorb.merged_into, absorb.is_active = keep, False
    absorb.save(update_fields=["merged_into", "is_active"])
    customer_merge_events(actor=actor, keep=keep, absorb=absorb, moved=moved)
    return keep


@transaction.atomic
def customer_care_set(*, actor: User, customer: Customer, fields: dict) -> Care:
    """E-3, E-5: notes, a corrected source, exclusion from discounts; signed."""
    care, _created = Care.objects.select_for_update().get_or_create(customer=customer)
    before = {name: getattr(care, name) for name in fields}
    for name, value in fields.items():
        setattr(care, name, value)
    care.full_clean()
    care.save()
    changes = {n: [before[n], getattr(care, n)] for n in fields if before[n] != getattr(care, n)}
    if changes:
        customer_care_event(actor=actor, customer=customer, changes=changes)
    return care


@transaction.atomic
def care_rule_set(*, actor: User, rule: dict) -> CareRule:
    """E-13: who counts as loyal (default: more than 10 purchases), as a rule on the figures."""
    if not rule:
        raise ValidationError({"rule": RULE_NEEDED})
    rule_q(rule)
    current = CareRule.objects.select_for_update().filter(pk=1).first() or CareRule(pk=1)
    before = current.rule if current.updated_at else None
    current.rule = rule
    current.save()
    care_rule_event(actor=actor, rule=current, before=before)
    return current


@transaction.atomic
def care_contact_record(
    *, actor: User, customer: Customer, kind: str, note: str = "", at: dt.datetime | None = None
) -> CareContact:
    """E-13: a call, a message, a surprise package or samples given to a customer, signed."""
    contact = CareContact(
        customer=customer, kind=kind, note=note, at=at or timezone.now(), by=actor
    )
    contact.full_clean()
    contact.save()
    care_contact_event(actor=actor, customer=customer, kind=kind, note=note)
    return contact
