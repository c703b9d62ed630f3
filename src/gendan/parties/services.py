"""Writes of customers: each call is one transaction and signs the audit log."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.audit.services import (
    instance_create_signed,
    model_changes,
    model_snapshot,
)
from gendan.parties.audit_events import (
    CUSTOMER_CREATED,
    contract_created_event,
    customer_child_event,
    customer_updated_event,
    store_created_event,
)
from gendan.parties.models import (
    Address,
    Contact,
    Contract,
    Customer,
    CustomerKind,
    PaymentStage,
    Store,
)
from gendan.parties.phones import landline_normalize, mobile_normalize

PARTNER_MAY_ADD_HOMEOWNERS_ONLY = _("You can only add homeowners who came through you.")
PARTNER_MAY_NOT_MOVE = _("You cannot move a customer to another dealer or supermarket.")
CHANNEL_IN_USE = _(
    "The channel cannot change while homeowners, users or contract prices belong to this customer."
)

CUSTOMER_FIELDS = [
    "kind", "name", "mobile", "landline", "email", "via", "via_store", "region", "platform",
    "platform_id", "nickname", "note", "is_active",
]  # fmt: skip


@dataclass
class ChildChange:
    """One row of a contact or address list: new (instance None), changed, or deleted."""

    instance: models.Model | None
    fields: dict[str, Any] = field(default_factory=dict)
    delete: bool = False


def phones_normalize(fields: dict[str, Any]) -> dict[str, Any]:
    """Store numbers in one form (13812345678, 020-12345678) so search finds them."""
    result = dict(fields)
    if result.get("mobile"):
        result["mobile"] = mobile_normalize(result["mobile"])
    if result.get("landline"):
        result["landline"] = landline_normalize(result["landline"])
    return result


def partner_scope_apply(*, actor: User, fields: dict[str, Any], customer: Customer | None) -> None:
    """A partner's user writes only homeowners who came through that partner."""
    if actor.partner_id is None:
        return
    if customer is not None and customer.kind != CustomerKind.HOMEOWNER:
        raise PermissionDenied(PARTNER_MAY_ADD_HOMEOWNERS_ONLY)
    if fields.get("kind", CustomerKind.HOMEOWNER) != CustomerKind.HOMEOWNER:
        raise ValidationError({"kind": PARTNER_MAY_ADD_HOMEOWNERS_ONLY})
    via = fields.get("via", customer.via if customer else None)
    if via is None or via.pk != actor.partner_id:
        raise ValidationError({"via": PARTNER_MAY_NOT_MOVE})


@transaction.atomic
def store_create(*, actor: User, customer: Customer, fields: dict[str, Any]) -> Store:
    """A supermarket's or dealer's shop, signed on the partner's history."""
    store = Store(customer=customer, **phones_normalize(fields))
    store.full_clean()
    store.save()
    store_created_event(actor=actor, customer=customer, store=store)
    return store


def customer_kind_change_check(customer: Customer, kind: str) -> None:
    """A channel that homeowners, users or contract prices hang on cannot change under them."""
    if kind == customer.kind:
        return
    if customer.end_customers.exists() or customer.users.exists() or customer.price_lists.exists():
        raise ValidationError({"kind": CHANNEL_IN_USE})


@transaction.atomic
def customer_create(
    *,
    actor: User,
    fields: dict[str, Any],
    contacts: list[ChildChange] = (),
    addresses: list[ChildChange] = (),
) -> Customer:
    fields = phones_normalize(fields)
    partner_scope_apply(actor=actor, fields=fields, customer=None)
    customer = Customer(**fields)
    instance_create_signed(
        actor=actor,
        instance=customer,
        action=CUSTOMER_CREATED,
        fields=[name for name in CUSTOMER_FIELDS if name in fields],
    )
    children_apply(actor=actor, customer=customer, model=Contact, changes=contacts)
    children_apply(actor=actor, customer=customer, model=Address, changes=addresses)
    return customer


@transaction.atomic
def customer_update(
    *,
    actor: User,
    customer: Customer,
    fields: dict[str, Any],
    contacts: list[ChildChange] = (),
    addresses: list[ChildChange] = (),
) -> Customer:
    # Lock the customer before its children, always in that order.
    customer = Customer.objects.select_for_update().get(pk=customer.pk)
    fields = phones_normalize(fields)
    partner_scope_apply(actor=actor, fields=fields, customer=customer)
    customer_kind_change_check(customer, fields.get("kind", customer.kind))
    before = model_snapshot(customer, list(fields))
    for name, value in fields.items():
        setattr(customer, name, value)
    customer.full_clean()
    customer.save()
    changes = model_changes(before, model_snapshot(customer, list(fields)))
    if changes:
        customer_updated_event(actor=actor, customer=customer, changes=changes)
    children_apply(actor=actor, customer=customer, model=Contact, changes=contacts)
    children_apply(actor=actor, customer=customer, model=Address, changes=addresses)
    return customer


def children_apply(
    *, actor: User, customer: Customer, model: type[models.Model], changes: list[ChildChange]
) -> None:
    for change in changes:
        child = change.instance
        if child is not None and child.customer_id != customer.pk:
            raise PermissionDenied
        if change.delete:
            if child is not None:
                customer_child_event(actor=actor, customer=customer, child=child, verb="delete")
                child.delete()
            continue
        verb = "update" if child is not None else "create"
        child = child or model(customer=customer)
        before = model_snapshot(child, list(change.fields))
        for name, value in phones_normalize(change.fields).items():
            setattr(child, name, value)
        child.full_clean()
        child.save()
        diff = model_changes(before, model_snapshot(child, list(change.fields)))
        if diff:
            customer_child_event(
                actor=actor, customer=customer, child=child, verb=verb, changes=diff
            )


STAGES_NOT_WHOLE = _(
    "The payment stages must add up to 100%% of the contract; they add up to %(total)s%%."
)


def payment_stages_check(percents: list[Decimal]) -> None:
    total = sum(percents, Decimal("0"))
    if total != Decimal("100"):
        raise ValidationError(STAGES_NOT_WHOLE % {"total": total.normalize()})


@transaction.atomic
def contract_create(
    *, actor: User, customer: Customer, fields: dict[str, Any], stages: list[dict[str, Any]]
) -> Contract:
    """A contract with its payment stages (O-48); the stages share out the whole amount."""
    payment_stages_check([stage["percent"] for stage in stages])
    contract = Contract(customer=customer, **fields)
    contract.full_clean()
    contract.save()
    for sequence, stage_fields in enumerate(stages, start=1):
        stage = PaymentStage(contract=contract, sequence=sequence, **stage_fields)
        stage.full_clean()
        stage.save()
    contract_created_event(actor=actor, customer=customer, contract=contract, stages=stages)
    return contract
