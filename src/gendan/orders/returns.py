"""Goods coming back (O-62 to O-65): recorded, approved where a bulk return needs it, booked
in by the warehouse (the warehouse receipt), written up by the clerk (the return note)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.audit_events import (
    return_approved_event,
    return_note_made_event,
    return_received_event,
    return_recorded_event,
)
from gendan.orders.models import GoodsReturn, Order, OrderLine, ReturnKind, ReturnLine
from gendan.orders.return_grading import Grading, return_grading_apply

NOT_INSTALLED = _("O-65: leftovers come back only once the installation is done.")
NOT_ON_ORDER = _("Line %(position)s: %(product)s is not on this order.")
TOO_MANY = _(
    "Line %(position)s: at most %(left)s %(unit)s of %(product)s can come back (ordered, less "
    "what came back already)."
)
NO_LINES = _("A return needs at least one line.")
RECALL_BY_FINANCE = _("O-50: goods are recalled by finance, from the order page.")
BAD_QUANTITY = _(
    "Line %(position)s: the quantity of %(product)s is a number with at most 3 decimals."
)
REASON_TOO_LONG = _("The reason is at most 200 characters long.")
NOT_AN_APPROVER = _(
    "O-63: a bulk return is approved by the sales rep, the sales supervisor, the VP of sales "
    "and the general manager only."
)
NOT_APPROVED = _(
    "O-63: the warehouse takes back goods of a bulk return only once the sales rep, the sales "
    "supervisor, the VP of sales and the general manager have approved it; waiting for: "
    "%(waiting)s."
)
APPROVAL_ORDER = _("O-63: the %(role)s approves after the %(before)s.")
ALREADY = _("This has been done already.")
NOT_RECEIVED = _(
    "O-62: the clerk makes the return note from the warehouse receipt; the goods are not "
    "booked in yet."
)

RECORDERS = frozenset({Role.CLERK, Role.SERVICE, Role.SERVICE_MANAGER, Role.SALES_REP})
# O-63: the approvals in their order; the VP and the general manager approve together.
APPROVERS = (Role.SALES_REP, Role.SALES_SUPERVISOR, Role.SALES_VP, Role.GENERAL_MANAGER)


@dataclass(frozen=True)
class ReturnLineInput:
    order_line: OrderLine  # a line of the order the goods came on
    quantity: Decimal


def role_require(actor: User, roles: frozenset[Role] | set[Role]) -> None:
    if not (actor.is_superuser or actor.has_role(*roles)):
        raise PermissionDenied


@transaction.atomic
def return_record(
    *, actor: User, order: Order, kind: str, reason: str, lines: list[ReturnLineInput]
) -> GoodsReturn:
    """A return as the customer applied for it (O-63) or the installer brought it (O-62),
    credited at the order's prices."""
    role_require(actor, RECORDERS)
    if kind == ReturnKind.RECALL:
        raise ValidationError(RECALL_BY_FINANCE)  # orders/services/recall.py
    order = Order.objects.select_for_update().get(pk=order.pk)
    if kind == ReturnKind.LEFTOVER and "install" not in order.signed:
        raise ValidationError(NOT_INSTALLED)
    if not lines:
        raise ValidationError(NO_LINES)
    if len(reason) > GoodsReturn._meta.get_field("reason").max_length:
        raise ValidationError(REASON_TOO_LONG)
    sequence = (order.returns.aggregate(last=Max("sequence"))["last"] or 0) + 1
    goods_return = GoodsReturn.objects.create(
        order=order, sequence=sequence, kind=kind, reason=reason, requested_by=actor
    )
    ReturnLine.objects.bulk_create(return_lines(order, goods_return, lines))
    return_recorded_event(actor=actor, goods_return=goods_return)
    return goods_return


def return_lines(
    order: Order, goods_return: GoodsReturn, lines: list[ReturnLineInput]
) -> list[ReturnLine]:
    """Each line at its order line's price; at most what that line brought, less what came
    back of it already."""
    back = dict(
        ReturnLine.objects.filter(order_line__order=order)
        .values_list("order_line")
        .annotate(Sum("quantity"))
    )
    built, errors = [], []
    for position, line in enumerate(lines, start=1):
        source = line.order_line
        names = {"position": position, "product": source.product}
        if source.order_id != order.pk:
            errors.append(NOT_ON_ORDER % names)
            continue
        left = source.quantity - back.get(source.pk, Decimal("0"))
        quantity = line.quantity
        if not quantity.is_finite() or quantity.as_tuple().exponent < -3:
            errors.append(BAD_QUANTITY % names)
            continue
        if quantity <= 0 or quantity > left:
            errors.append(TOO_MANY % (names | {"left": left, "unit": source.get_unit_display()}))
            continue
        back[source.pk] = back.get(source.pk, Decimal("0")) + quantity
        built.append(ReturnLine(
            goods_return=goods_return, order_line=source, position=position,
            product=source.product, colour_code=source.colour_code, quantity=quantity,
            unit=source.unit, unit_price=source.unit_price,
            amount=(quantity * source.unit_price).quantize(Decimal("0.01")),
        ))  # fmt: skip
    if errors:
        raise ValidationError(errors)
    return built


@transaction.atomic
def return_approve(*, actor: User, goods_return: GoodsReturn, role: Role) -> GoodsReturn:
    """O-63: sales rep, then sales supervisor, then the VP of sales and the general manager."""
    if role not in APPROVERS:
        raise ValidationError(NOT_AN_APPROVER)
    role_require(actor, {role})
    goods_return = GoodsReturn.objects.select_for_update().get(pk=goods_return.pk)
    if role in goods_return.approvals:
        raise ValidationError(ALREADY)
    place = APPROVERS.index(role)
    before = [r for r in APPROVERS[: min(place, 2)] if r not in goods_return.approvals]
    if before:
        raise ValidationError(APPROVAL_ORDER % {"role": role.label, "before": before[0].label})
    goods_return.approvals[role.value] = {
        "by": actor.display_name,
        "at": timezone.now().isoformat(),
    }
    goods_return.save(update_fields=["approvals"])
    return_approved_event(actor=actor, goods_return=goods_return, role=role)
    return goods_return


def approvals_waiting(goods_return: GoodsReturn) -> list[Role]:
    if goods_return.kind in (ReturnKind.LEFTOVER, ReturnKind.RECALL):
        return []  # O-62: the installer's leftovers need no approval; O-50: finance recalled
    return [role for role in APPROVERS if role.value not in goods_return.approvals]


@transaction.atomic
def return_receive(
    *, actor: User, goods_return: GoodsReturn, inspection: str, grading: Grading | None = None
) -> GoodsReturn:
    """The warehouse inspects the goods and books them in: the warehouse receipt. ``grading``:
    each line's condition (and where it goes); the stock moves are written with it."""
    role_require(actor, {Role.WAREHOUSE})
    goods_return = GoodsReturn.objects.select_for_update().get(pk=goods_return.pk)
    if goods_return.received_at:
        raise ValidationError(ALREADY)
    waiting = approvals_waiting(goods_return)
    if waiting:
        raise ValidationError(NOT_APPROVED % {"waiting": "、".join(str(r.label) for r in waiting)})
    goods_return.received_by, goods_return.received_at = actor, timezone.now()
    goods_return.inspection = inspection
    goods_return.save(update_fields=["received_by", "received_at", "inspection"])
    return_grading_apply(actor=actor, goods_return=goods_return, grading=grading or {})
    return_received_event(actor=actor, goods_return=goods_return, inspection=inspection)
    return goods_return


@transaction.atomic
def return_note_make(*, actor: User, goods_return: GoodsReturn) -> GoodsReturn:
    """O-62, O-63: the clerk makes the return note from the warehouse receipt."""
    role_require(actor, {Role.CLERK})
    goods_return = GoodsReturn.objects.select_for_update().get(pk=goods_return.pk)
    if goods_return.note_made_at:
        raise ValidationError(ALREADY)
    if not goods_return.received_at:
        raise ValidationError(NOT_RECEIVED)
    goods_return.note_made_by, goods_return.note_made_at = actor, timezone.now()
    goods_return.save(update_fields=["note_made_by", "note_made_at"])
    return_note_made_event(actor=actor, goods_return=goods_return)
    return goods_return
