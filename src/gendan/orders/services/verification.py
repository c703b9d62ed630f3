"""Verification (O-4 to O-7): the checklist, referrals to the sales rep, additions and changes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.audit.services import audit_record, json_safe
from gendan.orders.effects import ORDER_CHANGED
from gendan.orders.models import (
    Order,
    OrderRevision,
    VerificationCheck,
)
from gendan.orders.routes import ROUTES, VERIFY
from gendan.orders.services.effects import effects_record
from gendan.orders.services.registration import (
    LineInput,
    order_lines_checked,
    order_lines_write,
    retention_check,
)
from gendan.orders.services.steps import order_step_complete
from gendan.parties.models import CustomerKind


@transaction.atomic
def order_checks_confirm(*, actor: User, order: Order, items: list[str], note: str = "") -> None:
    """O-5: the verifier confirms checklist items one by one; confirming twice is harmless."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    done = set(order.checks.values_list("item", flat=True))
    for item in items:
        if item not in done:
            check = VerificationCheck(order=order, item=item, confirmed_by=actor, note=note)
            check.full_clean()
            check.save()
    audit_record(actor=actor, action="order.verify_items", target=order, changes={"items": items})


def order_step_sign(
    *,
    actor: User,
    order: Order,
    step: str,
    items: list[str] | None = None,
    note: str = "",
    data: dict | None = None,
    files: Any = None,
) -> Order:
    """O-5: the checks ticked beside the signature are confirmed by it, in one transaction.

    Ticking and signing is one action: no tick is lost for want of a second button, and a
    refused signature keeps no tick either (the page shows them ticked again, to sign once
    what is missing is put right).
    """
    with transaction.atomic():
        if items and step == VERIFY.code:
            order_checks_confirm(actor=actor, order=order, items=items)
        return order_step_complete(
            actor=actor, order=order, step=step, note=note, data=data, files=files
        )


REFER_ONLY_DEALER_ORDERS = _("Only a dealer's order is referred to the sales rep (O-6).")
NOTHING_REFERRED = _("Nothing is waiting for the sales rep on this order.")
TOO_LATE_TO_CHANGE = _("O-7: once finance has signed, the order can no longer be changed.")
NOTHING_TO_CONFIRM = _("This order is not waiting for a confirmation.")


def verifier_may(user: User, order: Order) -> bool:
    """Who verifies this order (O-4) also writes additions and changes onto it (O-7)."""
    route = ROUTES[order.route]
    verifier = route.step("verify").role if route.has("verify") else Role.CLERK
    return user.is_superuser or user.has_role(verifier)


def verifier_require(actor: User, order: Order) -> None:
    if not verifier_may(actor, order):
        raise PermissionDenied


@transaction.atomic
def order_refer_to_sales_rep(*, actor: User, order: Order, note: str) -> Order:
    """O-6: a dealer order whose payment method breaks the policy goes to the sales rep."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    if order.channel != CustomerKind.DEALER:
        raise ValidationError(REFER_ONLY_DEALER_ORDERS)
    order.referred_at, order.referral_note = timezone.now(), note
    order.referral_answered_at, order.referral_answer = None, ""
    order.save(
        update_fields=["referred_at", "referral_note", "referral_answered_at", "referral_answer"]
    )
    audit_record(actor=actor, action="order.referred", target=order, note=note)
    return order


@transaction.atomic
def order_referral_answer(*, actor: User, order: Order, answer: str) -> Order:
    """O-6: the sales rep settles the question with the dealer and says how."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    if not (actor.is_superuser or actor.has_role(Role.SALES_REP)):
        raise PermissionDenied
    if order.referred_at is None or order.referral_answered_at is not None:
        raise ValidationError(NOTHING_REFERRED)
    order.referral_answered_at, order.referral_answer = timezone.now(), answer
    order.save(update_fields=["referral_answered_at", "referral_answer"])
    audit_record(actor=actor, action="order.referral_answered", target=order, note=answer)
    return order


@transaction.atomic
def order_addition_write(*, actor: User, order: Order, text: str) -> Order:
    """O-7: an addition found at verification is written onto the order itself."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    stamp = f"[{timezone.localtime():%Y-%m-%d %H:%M} {actor.display_name}] {text}"
    order.other_requests = f"{order.other_requests}\n{stamp}".strip()
    order.save(update_fields=["other_requests"])
    audit_record(actor=actor, action="order.addition", target=order, note=text)
    order_changed(actor, order, text)
    return order


def order_snapshot(order: Order) -> dict[str, Any]:
    fields = {name: getattr(order, name) for name in CHANGEABLE_FIELDS}
    lines = [
        {"product": line.product.sku, "colour_code": line.colour_code,
         "quantity": line.quantity, "unit_price": line.unit_price, "amount": line.amount}
        for line in order.lines.select_related("product")
    ]  # fmt: skip
    return json_safe({"fields": fields, "lines": lines, "total": order.total})


# Not installation: it decides the route (O-24 to O-30); such an order is registered anew.
CHANGEABLE_FIELDS = (
    "payment_method", "payment_terms", "payment_due",
    "expected_delivery_on", "expected_install_on", "contact_name", "contact_phone",
    "province", "city", "district", "street", "building", "floor", "other_requests",
)  # fmt: skip


@transaction.atomic
def order_change(
    *, actor: User, order: Order, fields: dict[str, Any], lines: list[LineInput], reason: str
) -> Order:
    """O-7: a change (not an addition) makes a new revision; the old one stays readable.

    A non-supermarket customer must confirm the re-issued order before it moves on.
    """
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    if "finance_review" in order.signed:
        raise ValidationError(TOO_LATE_TO_CHANGE)
    lines = order_lines_checked(actor, lines)
    OrderRevision.objects.create(
        order=order, number=order.revision, snapshot=order_snapshot(order), replaced_by=actor,
        reason=reason,
    )  # fmt: skip
    for name, value in fields.items():
        if name in CHANGEABLE_FIELDS:
            setattr(order, name, value)
    order.full_clean()
    order.revision += 1
    order.awaiting_confirmation = order.channel != CustomerKind.SUPERMARKET
    order.save()
    order.lines.all().delete()
    order_lines_write(order, lines)
    retention_check(order)
    audit_record(actor=actor, action="order.changed", target=order, note=reason)
    order_changed(actor, order, reason)
    return order


def order_changed(actor: User, order: Order, reason: str) -> None:
    """O-7: the reactions to a change (orders/effects.py), run by the worker after commit."""
    effects_record(order=order, actions=ORDER_CHANGED, actor=actor, reason=reason)


@transaction.atomic
def order_change_confirm(*, actor: User, order: Order, confirmed_by: str) -> Order:
    """O-7: the customer confirmed the re-issued order; it may move on."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    if not order.awaiting_confirmation:
        raise ValidationError(NOTHING_TO_CONFIRM)
    revision = order.revisions.get(number=order.revision - 1)
    revision.confirmed_by, revision.confirmed_at = confirmed_by, timezone.now()
    revision.save(update_fields=["confirmed_by", "confirmed_at"])
    order.awaiting_confirmation = False
    order.save(update_fields=["awaiting_confirmation"])
    audit_record(actor=actor, action="order.change_confirmed", target=order, note=confirmed_by)
    return order
