"""Verification (O-4 to O-7): the checklist, referrals to the sales rep, additions and changes."""

from __future__ import annotations

from decimal import Decimal
from itertools import zip_longest
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.audit.services import json_safe
from gendan.orders.audit_events import (
    checks_reset_event,
    order_addition_event,
    order_change_confirmed_event,
    order_changed_event,
    order_referral_answered_event,
    order_referred_event,
    order_verify_items_event,
)
from gendan.orders.effects import CHANGE_WORK, ORDER_CHANGED
from gendan.orders.guards import install_fee_to_collect
from gendan.orders.models import (
    Order,
    OrderRevision,
    VerificationCheck,
    VerificationItem,
)
from gendan.orders.routes import CANCELLED, INSTALL_FEE_COLLECTED, ROUTES, VERIFY
from gendan.orders.services.effects import effects_record, work_do
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.services.registration import (
    LineInput,
    order_lines_checked,
    order_lines_write,
    retention_check,
)
from gendan.orders.services.steps import ORDER_CANCELLED, StepRefused, order_step_complete
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
    order_verify_items_event(actor=actor, order=order, items=items)


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
        order = order_step_complete(
            actor=actor, order=order, step=step, note=note, data=data, files=files
        )
        if step == INSTALL_FEE_COLLECTED.code:
            install_fee_receipt_add(actor, order, note)
        return order


FEE_NOT_RECORDED = _("O-39: say how the installation fee was paid.")
FEE_DIFFERS = _("O-39: %(amount)s CNY received where %(fee)s CNY was agreed; say why in the note.")


def install_fee_receipt_add(actor: User, order: Order, note: str) -> None:
    """O-39, O-47: the fee service collected becomes a receipt with the signature, in its
    transaction: refused, neither stands. Another amount than agreed needs a note."""
    record = order.signed[INSTALL_FEE_COLLECTED.code]
    amount, method = Decimal(record.get("amount", "0")), record.get("method", "")
    fee = install_fee_to_collect(order)
    if amount and not method:
        raise StepRefused([FEE_NOT_RECORDED])
    if fee is not None and amount != fee and not note:
        raise StepRefused([FEE_DIFFERS % {"amount": amount, "fee": fee}])
    if not amount:
        return
    try:
        order_receipt_add(
            actor=actor, order=order, amount=amount, method=method, is_install_fee=True,
            note=note,
        )  # fmt: skip
    except ValidationError as refused:
        raise StepRefused(refused.messages) from refused


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


def not_cancelled_require(order: Order) -> None:
    """A cancelled order is neither added to, changed nor referred (services/cancel.py)."""
    if order.step == CANCELLED:
        raise ValidationError(ORDER_CANCELLED)


@transaction.atomic
def order_refer_to_sales_rep(*, actor: User, order: Order, note: str) -> Order:
    """O-6: a dealer order whose payment method breaks the policy goes to the sales rep."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    not_cancelled_require(order)
    if order.channel != CustomerKind.DEALER:
        raise ValidationError(REFER_ONLY_DEALER_ORDERS)
    order.referred_at, order.referral_note = timezone.now(), note
    order.referral_answered_at, order.referral_answer = None, ""
    order.save(
        update_fields=["referred_at", "referral_note", "referral_answered_at", "referral_answer"]
    )
    order_referred_event(actor=actor, order=order, note=note)
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
    order_referral_answered_event(actor=actor, order=order, answer=answer)
    return order


# O-7: what verification may find missing and write straight onto the order (no new
# version, no confirmation): the field, and the check it lets the verifier confirm.
ADDITION_FIELDS = {
    "floor": VerificationItem.ADDRESS,
    "contact_phone": VerificationItem.PHONE,
    "expected_delivery_on": VerificationItem.DELIVERY_TIME,
    "expected_install_on": VerificationItem.INSTALL_TIME,
    "payment_method": VerificationItem.PAYMENT_METHOD,
    "payment_terms": VerificationItem.PAYMENT_METHOD,
    "payment_due": VerificationItem.PAYMENT_METHOD,
}
NOT_AN_ADDITION = _("O-7: “%(field)s” is not filled in by an addition; change the order instead.")
ALREADY_WRITTEN = _(
    "O-7: “%(field)s” already reads “%(value)s”; changing it is a change of the order "
    "(a new version), not an addition."
)
NOTHING_ADDED = _("O-7: fill in a missing field or write what was found, to add it to the order.")


def order_missing_fields(order: Order) -> list[str]:
    """O-7: the fields an addition may still fill on this order: those left empty."""
    return [
        name
        for name in ADDITION_FIELDS
        if getattr(order, name) in (None, "")
        and (name != "expected_install_on" or order.needs_installation)
    ]


@transaction.atomic
def order_addition_write(
    *, actor: User, order: Order, text: str = "", fields: dict[str, Any] | None = None
) -> Order:
    """O-7: an addition found at verification is written onto the order itself: the fields
    left empty, and what else was found in the other requests. No new version."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    not_cancelled_require(order)
    added = addition_fields_set(order, fields or {})
    if not (added or text):
        raise ValidationError(NOTHING_ADDED)
    if text:
        stamp = f"[{timezone.localtime():%Y-%m-%d %H:%M} {actor.display_name}] {text}"
        order.other_requests = f"{order.other_requests}\n{stamp}".strip()
    order.save(update_fields=[*added, "other_requests"])
    order_addition_event(actor=actor, order=order, added=added, text=text)
    order_changed(actor, order, text or ", ".join(added))
    return order


def addition_fields_set(order: Order, fields: dict[str, Any]) -> dict[str, list[Any]]:
    """Set each field given, refused when it is not an addition or already holds a value;
    the fields set, each as [before, after]."""
    added = {}
    for name, value in fields.items():
        if name not in ADDITION_FIELDS:
            raise ValidationError({name: NOT_AN_ADDITION % {"field": name}})
        if value in (None, ""):
            continue
        label = Order._meta.get_field(name).verbose_name
        if getattr(order, name) not in (None, ""):
            shown = field_shown(order, name)
            raise ValidationError({name: ALREADY_WRITTEN % {"field": label, "value": shown}})
        setattr(order, name, value)
        added[name] = [None, value]
    others = [field.name for field in Order._meta.concrete_fields if field.name not in added]
    order.clean_fields(exclude=others)
    return {name: [None, getattr(order, name)] for name in added}


def field_shown(order: Order, name: str) -> str:
    """A field's value as the order page shows it (a choice by its label)."""
    display = getattr(order, f"get_{name}_display", None)
    return str(display() if display else getattr(order, name))


def order_snapshot(order: Order) -> dict[str, Any]:
    fields = {name: getattr(order, name) for name in CHANGEABLE_FIELDS}
    lines = [
        {"product": line.product.sku, "colour_code": line.colour_code,
         "quantity": line.quantity, "unit_price": line.unit_price, "amount": line.amount,
         "end_price": line.end_price}
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
    not_cancelled_require(order)
    if "finance_review" in order.signed:
        raise ValidationError(TOO_LATE_TO_CHANGE)
    lines = order_lines_checked(actor, lines)
    before = order_snapshot(order)
    OrderRevision.objects.create(
        order=order, number=order.revision, snapshot=before, replaced_by=actor, reason=reason
    )
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
    work_do(CHANGE_WORK, order=order, actor=actor)
    order_changed_event(actor=actor, order=order, reason=reason)
    checks_reset(actor, order, checks_affected(before, order_snapshot(order)), reason)
    order_changed(actor, order, reason)
    return order


# O-7 with O-5: what a change touches, and the checks it takes back. A field filled in
# where it was empty takes back nothing (that is an addition).
FIELD_CHECKS = {
    "payment_method": VerificationItem.PAYMENT_METHOD,
    "payment_terms": VerificationItem.PAYMENT_METHOD,
    "payment_due": VerificationItem.PAYMENT_METHOD,
    "expected_delivery_on": VerificationItem.DELIVERY_TIME,
    "expected_install_on": VerificationItem.INSTALL_TIME,
    "contact_name": VerificationItem.CUSTOMER_NAME,
    "contact_phone": VerificationItem.PHONE,
    **dict.fromkeys(
        ("province", "city", "district", "street", "building", "floor"), VerificationItem.ADDRESS
    ),
    "other_requests": VerificationItem.OTHER_REQUESTS,
}
LINE_CHANGES = {
    "product": _("a line's product"), "colour_code": _("a line's colour code"),
    "quantity": _("a line's quantity"), "unit_price": _("a line's price"),
    "end_price": _("a line's price to the homeowner"),
}  # fmt: skip
LINE_CHECKS = {
    "product": (VerificationItem.PRODUCT_NAME, VerificationItem.SKU, VerificationItem.COLOUR_CODE),
    "colour_code": (VerificationItem.COLOUR_CODE,),
    "quantity": (VerificationItem.QUANTITY,),
    "unit_price": (VerificationItem.PRICE,),
    "end_price": (VerificationItem.PRICE,),
}


def check_resets() -> dict[str, list[str]]:
    """O-7: for each check, what a change takes it back for (the change page says so)."""
    resets: dict[str, list[str]] = {item.value: [] for item in VerificationItem}
    for name, item in FIELD_CHECKS.items():
        resets[item].append(str(Order._meta.get_field(name).verbose_name))
    for key, items in LINE_CHECKS.items():
        for item in items:
            resets[item].append(str(LINE_CHANGES[key]))
    return resets


def checks_affected(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """The checks a change takes back: those of each field changed, and of each line's
    product, colour, quantity or price changed; a line added or taken away, all of them."""
    items = {
        FIELD_CHECKS[name]
        for name, old in before["fields"].items()
        if old not in (None, "") and old != after["fields"].get(name)
    }
    for old, new in zip_longest(before["lines"], after["lines"]):
        for key, checks in LINE_CHECKS.items():
            if old is None or new is None or old.get(key) != new.get(key):
                items.update(checks)
    return {str(item) for item in items}


def checks_reset(actor: User, order: Order, items: set[str], reason: str) -> None:
    """O-7: the confirmed checks a change affects no longer count: they are deleted, and
    the audit keeps who had confirmed each, and when."""
    reset = order.checks.filter(item__in=items).select_related("confirmed_by")
    gone = {check.item: [confirmed_text(check), None] for check in reset}
    if gone:
        reset.delete()
        checks_reset_event(actor=actor, order=order, reset=gone, reason=reason)


def confirmed_text(check: VerificationCheck) -> str:
    at = timezone.localtime(check.confirmed_at)
    return f"{check.confirmed_by.display_name} {at:%Y-%m-%d %H:%M}"


def order_changed(actor: User, order: Order, reason: str) -> None:
    """O-7: the reactions to a change (orders/effects.py), run by the worker after commit."""
    effects_record(order=order, actions=ORDER_CHANGED, actor=actor, reason=reason)


@transaction.atomic
def order_change_confirm(*, actor: User, order: Order, confirmed_by: str) -> Order:
    """O-7: the customer confirmed the re-issued order; it may move on."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    verifier_require(actor, order)
    not_cancelled_require(order)
    if not order.awaiting_confirmation:
        raise ValidationError(NOTHING_TO_CONFIRM)
    revision = order.revisions.get(number=order.revision - 1)
    revision.confirmed_by, revision.confirmed_at = confirmed_by, timezone.now()
    revision.save(update_fields=["confirmed_by", "confirmed_at"])
    order.awaiting_confirmation = False
    order.save(update_fields=["awaiting_confirmation"])
    order_change_confirmed_event(actor=actor, order=order, by=confirmed_by)
    return order
