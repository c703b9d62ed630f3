"""O-64 exchange: the return as in O-63, then a new order for the same customer with the lines
the clerk chooses; finance settles the difference by signing the return's refund (the returned
goods credited against the new order), and what the customer or dealer owes beyond that is
paid before the new goods leave (guards.exchange_paid, on the ship step)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.audit_events import REFUND_RECORDED, exchange_created_event, refund_event
from gendan.orders.models import GoodsReturn, Order, RefundWay, ReturnKind, ReturnRefund
from gendan.orders.services.refunds import (
    ALREADY_SIGNED,
    NOT_WRITTEN_UP,
    exchange_credit_book,
    refund_decide,
    refunded_to,
    role_require,
)
from gendan.orders.services.registration import LineInput, order_register

NOT_AN_EXCHANGE = _("O-64: only a bulk return or an exchange is exchanged for new goods.")
ALREADY_EXCHANGED = _("O-64: this return has its exchange order already: %(order)s.")
# What the new order takes over from the one the goods came back from.
COPIED = (
    "customer", "end_customer", "contract", "needs_installation", "self_pickup",
    "payment_method", "payment_terms", "contact_name", "contact_phone", "province", "city",
    "district", "street", "building", "floor", "latitude", "longitude",
)  # fmt: skip

# What the clerk may give the new order besides its lines.
EDITABLE = ("expected_delivery_on", "expected_install_on", "other_requests", "contact_name",
            "contact_phone")  # fmt: skip


def copied_fields(order: Order) -> dict[str, object]:
    names = {field.name for field in Order._meta.get_fields()}
    return {name: getattr(order, name) for name in COPIED if name in names}


@transaction.atomic
def exchange_create(
    *,
    actor: User,
    goods_return: GoodsReturn,
    lines: list[LineInput],
    fields: dict[str, object] | None = None,
) -> Order:
    """The clerk makes the new order of an exchange from the return note (O-64): the
    customer's details copied (``fields`` given win: the new delivery day, ...), the new lines
    chosen; the return's refund goes to it."""
    role_require(actor, Role.CLERK)
    goods_return = GoodsReturn.objects.select_for_update().get(pk=goods_return.pk)
    refund = exchange_refusal_check(goods_return)
    order = goods_return.order
    given = {name: value for name, value in (fields or {}).items() if name in EDITABLE}
    new = order_register(actor=actor, fields=copied_fields(order) | given, lines=lines)
    if refund is not None and refund.signed_at:
        credit_spend(actor=actor, refund=refund, new=new)
    else:
        exchange_refund_write(actor=actor, goods_return=goods_return, refund=refund, new=new)
    exchange_created_event(actor=actor, goods_return=goods_return, order=new)
    return new


def exchange_refund_write(
    *, actor: User, goods_return: GoodsReturn, refund: ReturnRefund | None, new: Order
) -> ReturnRefund:
    """The return's refund goes to the new order; finance signs it (refunds.refund_sign)."""
    decision = refund_decide(goods_return)
    refund = refund or ReturnRefund(goods_return=goods_return)
    refund.way, refund.amount, refund.exchange_order = RefundWay.EXCHANGE, decision.amount, new
    refund.install_fee_deducted, refund.method = Decimal("0"), ""
    refund.customer = refunded_to(goods_return.order, decision.place)
    refund.recorded_by, refund.recorded_at = actor, timezone.now()
    refund.save()
    refund_event(actor=actor, refund=refund, action=REFUND_RECORDED)
    return refund


def credit_spend(*, actor: User, refund: ReturnRefund, new: Order) -> None:
    """O-67: a bulk return's credit, signed by finance, is spent on the other goods: counted
    as paid on the new order; what it is worth beyond that is kept as credit (O-64)."""
    new = Order.objects.select_for_update().get(pk=new.pk)
    refund.exchange_order = new
    refund.save(update_fields=["exchange_order"])
    exchange_credit_book(actor=actor, refund=refund, new=new)  # O-64: any leftover kept


def exchange_refusal_check(goods_return: GoodsReturn) -> ReturnRefund | None:
    """The return's refund, if any: unsigned, or a credit finance signed (O-67); refused when
    the return cannot be exchanged."""
    if goods_return.kind not in (ReturnKind.BULK, ReturnKind.EXCHANGE):
        raise ValidationError(NOT_AN_EXCHANGE)
    if not goods_return.note_made_at:
        raise ValidationError(NOT_WRITTEN_UP)
    refund = ReturnRefund.objects.filter(goods_return=goods_return).first()
    if refund is not None and refund.exchange_order_id:
        raise ValidationError(ALREADY_EXCHANGED % {"order": refund.exchange_order})
    if refund is not None and refund.signed_at and refund.way != RefundWay.CREDIT:
        raise ValidationError(ALREADY_SIGNED)  # its money went elsewhere already
    return refund
