"""What the driver does at each drop of the day's route, from the phone (issue 14 point 6).

Arrived; delivered: the receiver's name and the signature drawn on the screen, a photo, the
supermarket's receiving document, which sign the order's deliver step through the transition
service with its record (O-21), and the cash collected kept on the drop for finance (O-22, not
a receipt: finance receives it); failed: the reason, whose fault and a photo, as a
FailedDelivery row that logistics then follows up (O-44). One transaction each; the drop is
locked first (locks.py), the order after it by the transition service.
"""

from __future__ import annotations

import io
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image

from gendan.accounts.models import User
from gendan.core.uploads import IMAGE_TYPES, PNG, upload_check, upload_checked, upload_name
from gendan.logistics.audit_events import (
    drop_arrived_event,
    drop_delivered_event,
    drop_failed_event,
)
from gendan.logistics.collect import amount_to_collect
from gendan.logistics.locks import drop_lock
from gendan.logistics.models import Drop, FailedDelivery, Fault, RoutePlan
from gendan.orders.routes import DELIVER, ROUTES
from gendan.orders.services.verification import order_step_sign

NOT_YOUR_DROP = _("This drop is on another driver's route.")
NOT_PUBLISHED = _("This drop's plan is not published yet: its route may still change.")
ALREADY_DONE = _("This drop is already %(state)s.")
NOT_AT_DELIVER = _(
    "Order %(order)s is not waiting for its delivery (it is at: %(step)s); ask the warehouse "
    "whether it was shipped."
)
SIGNATURE_MISSING = _("O-21: the customer signs on the screen before the delivery is recorded.")
SIGNATURE_NOT_PNG = _("The signature must be a PNG image drawn on the screen.")
SIGNATURE_BLANK = _("O-21: the signature is blank; ask the customer to sign on the screen.")
RECEIVER_MISSING = _("O-21: write the name of whoever received the goods and signed.")
COLLECTED_WRONG = _("The cash collected is an amount of at least 0, with at most 2 decimals.")
REASON_WRONG = _("Choose why the delivery failed.")
FAULT_WRONG = _("Choose whose fault it was (O-44: that side pays at least half the redelivery).")
DETAIL_NEEDED = _("Say what happened (a reason of 'Other' needs it).")
DETAIL_TOO_LONG = _("Say what happened in at most 300 characters.")

OPEN_STATES = (Drop.State.PLANNED, Drop.State.ARRIVED)
# A drawn signature has at least this many inked pixels; fewer is a tap or a blank canvas.
SIGNATURE_MIN_INK = 40


def drop_of_driver(actor: User, pk: int) -> Drop:
    """The drop, locked, when it is the actor's own, on a published plan, and not done yet."""
    drop = drop_lock(pk)
    route = drop.route
    if route is None or route.driver is None or route.driver.user_id != actor.pk:
        raise PermissionDenied(NOT_YOUR_DROP)
    if route.plan.state != RoutePlan.State.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED)
    if drop.state not in OPEN_STATES:
        raise ValidationError(ALREADY_DONE % {"state": drop.get_state_display()})
    return drop


@transaction.atomic
def drop_arrive(*, actor: User, drop: Drop) -> Drop:
    """The driver is at the drop: the time is kept (a second tap keeps the first time)."""
    drop = drop_of_driver(actor, drop.pk)
    if drop.state == Drop.State.ARRIVED:
        return drop
    drop.state, drop.arrived_at = Drop.State.ARRIVED, timezone.now()
    drop.save(update_fields=["state", "arrived_at"])
    drop_arrived_event(actor=actor, drop=drop)
    return drop


def signature_checked(signature_png: bytes) -> ContentFile:
    """O-21: a PNG by its content (core/uploads.py) with a drawn stroke on it, not blank."""
    if not signature_png:
        raise ValidationError({"signature": SIGNATURE_MISSING})
    content = ContentFile(signature_png, name="signature.png")
    try:
        upload_check(content, (PNG,))
    except ValidationError as refused:
        raise ValidationError({"signature": SIGNATURE_NOT_PNG}) from refused
    if signature_ink(signature_png) < SIGNATURE_MIN_INK:
        raise ValidationError({"signature": SIGNATURE_BLANK})
    content.name = upload_name(PNG)
    return content


def signature_ink(signature_png: bytes) -> int:
    """How many pixels are drawn: dark on white once any transparency is laid on white (the
    signature pad draws dark strokes on a transparent or white canvas)."""
    with Image.open(io.BytesIO(signature_png)) as image:
        rgba = image.convert("RGBA")
    white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
    grey = Image.alpha_composite(white, rgba).convert("L")
    return sum(grey.histogram()[:160])


def collected_clean(collected: Any) -> Decimal | None:
    if collected in (None, ""):
        return None
    try:
        amount = Decimal(str(collected))
    except InvalidOperation as error:
        raise ValidationError({"collected": COLLECTED_WRONG}) from error
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({"collected": COLLECTED_WRONG})
    if amount >= Decimal("1e12"):
        raise ValidationError({"collected": COLLECTED_WRONG})
    return amount.quantize(Decimal("0.01"))


@transaction.atomic
def drop_deliver(
    *,
    actor: User,
    drop: Drop,
    received_by: str,
    signature_png: bytes,
    photo: Any = None,
    receiving_document: str = "",
    collected: Any = None,
) -> Drop:
    """O-21: delivered with the customer's signature, which signs the order's deliver step
    with its record (refused there, e.g. a supermarket's missing receiving document: nothing
    is kept); O-22: the cash collected kept on the drop for the driver's sheet."""
    drop = drop_of_driver(actor, drop.pk)
    drop.received_by = (received_by or "").strip()
    drop.receiving_document = (receiving_document or "").strip()
    if not drop.received_by:
        raise ValidationError({"received_by": RECEIVER_MISSING})
    signature, drop.collected = signature_checked(signature_png), collected_clean(collected)
    order = drop.order
    if order.step != DELIVER.code:
        raise ValidationError(NOT_AT_DELIVER % {"order": order.number, "step": step_name(order)})
    drop.to_collect = amount_to_collect(order)  # before the step's effects move any money
    record = {"received_by": drop.received_by, "receiving_document": drop.receiving_document}
    files = {"record-photo": photo} if photo else None
    drop.order = order_step_sign(
        actor=actor, order=order, step=DELIVER.code, data=record, files=files
    )
    drop_delivered_keep(drop, actor, signature)
    drop_delivered_event(actor=actor, drop=drop)
    return drop


def step_name(order: Any) -> str:
    route = ROUTES[order.route]
    return str(route.step(order.step).label) if route.has(order.step) else order.step


def drop_delivered_keep(drop: Drop, actor: User, signature: ContentFile) -> None:
    """The drop keeps what was signed; its photo is the one the step's record stored."""
    now = timezone.now()
    drop.state, drop.done_at, drop.done_by = Drop.State.DELIVERED, now, actor
    drop.arrived_at = drop.arrived_at or now
    drop.photo.name = drop.order.signed[DELIVER.code].get("photo", "")
    drop.signature.save(signature.name, signature, save=False)
    drop.save()  # the booking follows the deliver step (orders/effects.py STEP_WORK)


def failure_fields_clean(reason: str, detail: str, fault: str) -> str:
    detail = (detail or "").strip()
    errors = {}
    if reason not in FailedDelivery.Reason.values:
        errors["reason"] = REASON_WRONG
    if fault not in Fault.values:
        errors["fault"] = FAULT_WRONG
    if reason == FailedDelivery.Reason.OTHER and not detail:
        errors["detail"] = DETAIL_NEEDED
    if len(detail) > 300:
        errors["detail"] = DETAIL_TOO_LONG
    if errors:
        raise ValidationError(errors)
    return detail


@transaction.atomic
def drop_fail(
    *, actor: User, drop: Drop, reason: str, detail: str, fault: str, photo: Any = None
) -> FailedDelivery:
    """O-44: the drop could not be delivered: FAILED, with a FailedDelivery row saying why and
    whose fault, reported by the driver now (logistics then books the goods back, tells the
    customer, rebooks and charges the freight)."""
    drop = drop_of_driver(actor, drop.pk)
    detail = failure_fields_clean(reason, detail, fault)
    if photo:
        try:
            photo = upload_checked(photo, IMAGE_TYPES)
        except ValidationError as refused:
            raise ValidationError({"photo": refused.messages}) from refused
    now = timezone.now()
    failure = FailedDelivery(
        drop=drop, order=drop.order, reason=reason, detail=detail, fault=fault,
        reported_by=actor, reported_at=now,
    )  # fmt: skip
    if photo:
        failure.photo.save(photo.name, photo, save=False)
    failure.save()
    # Not "arrived": a truck that broke down on the way never got there.
    drop.state, drop.done_at, drop.done_by = Drop.State.FAILED, now, actor
    drop.save(update_fields=["state", "done_at", "done_by"])
    drop_failed_event(actor=actor, failure=failure)
    return failure
