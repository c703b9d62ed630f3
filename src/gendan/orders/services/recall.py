"""O-50, O-51: finance recalls the goods of a dealer's pay-on-delivery order that shipped and
was not paid. What shipped comes back as a return of kind RECALL (no approvals: finance
decided; the warehouse books it in as any return, into the batches it left from); the freight
is charged to the dealer and taken from the profit of the dealer's other orders where one
covers it (else it stays open on the dealer's account, for finance to take later).

The order is then cancelled (it stands at ``CANCELLED``, with the recall as its reason): the
routes hold no step for goods brought back, and every step left after the ship step (deliver,
goods paid, install, close) presumes the goods are with the customer, so the order would wait
at one of them for ever; cancelling takes it out of every queue, keeps what was paid on it as
the payer's credit and voids its papers, as for any cancelled order.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.audit_events import order_recalled_event
from gendan.orders.models import (
    DealerCharge,
    GoodsReturn,
    Order,
    PaymentTerms,
    ReturnKind,
    ReturnLine,
)
from gendan.orders.money import order_profit_left, order_receivable
from gendan.orders.returns import ReturnLineInput, return_lines
from gendan.orders.routes import CANCELLED, FINISHED, SHIP
from gendan.orders.services.cancel import order_cancel_write
from gendan.orders.services.charges import dealer_charge_offset, dealer_charge_record
from gendan.orders.services.dealer_ledger import finance_require
from gendan.parties.models import CustomerKind

NOT_DEALER_ON_DELIVERY = _(
    "O-50: finance recalls only the goods of a dealer's order paid on delivery."
)
NOT_SHIPPED = _("O-50: the goods have not left the warehouse; cancel the order instead.")
PAID = _("O-50: the order is paid; its goods are not recalled.")
FINISHED_ALREADY = _("O-50: the order is closed or cancelled already.")
NOTHING_OUT = _("O-50: every line has come back already.")
BAD_FREIGHT = _("The freight is an amount in CNY of at least 0, with at most 2 decimals.")
REASON_MISSING = _("Give the reason for recalling the goods.")
REASON_TOO_LONG = _("The reason is at most 200 characters long.")


def recall_refusal(order: Order) -> str:
    """Why finance cannot recall the order's goods now; "" when it can."""
    if order.step in FINISHED:
        return str(FINISHED_ALREADY)
    dealer = order.channel == CustomerKind.DEALER
    if not dealer or order.payment_terms != PaymentTerms.ON_DELIVERY:
        return str(NOT_DEALER_ON_DELIVERY)
    if SHIP.code not in order.signed:
        return str(NOT_SHIPPED)
    if order_receivable(order) <= 0:
        return str(PAID)
    return ""


def freight_checked(freight: object) -> Decimal:
    try:
        amount = Decimal(str(freight))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        raise ValidationError({"freight": BAD_FREIGHT})
    if amount.as_tuple().exponent < -2 or amount >= Decimal("1e12"):
        raise ValidationError({"freight": BAD_FREIGHT})
    return amount.quantize(Decimal("0.01"))


def reason_checked(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": REASON_MISSING})
    if len(reason) > GoodsReturn._meta.get_field("reason").max_length:
        raise ValidationError({"reason": REASON_TOO_LONG})
    return reason


@transaction.atomic
def order_recall(*, actor: User, order: Order, freight: object, reason: str) -> GoodsReturn:
    """O-50: what shipped comes back (a RECALL return), the freight is the dealer's, the order
    is cancelled. A refusal changes nothing."""
    finance_require(actor)
    order = Order.objects.select_for_update().get(pk=order.pk)
    refusal = recall_refusal(order)
    if refusal:
        raise ValidationError(refusal)
    amount, reason = freight_checked(freight), reason_checked(reason)
    goods_return = recalled_goods(actor=actor, order=order, reason=reason)
    if amount > 0:
        freight_charge(actor=actor, order=order, amount=amount, note=str(goods_return))
    order_cancel_write(order, actor=actor, reason=f"O-50 {reason}"[:200])
    order_recalled_event(
        actor=actor, order=order, goods_return=goods_return, freight=amount, reason=reason
    )
    return goods_return


def recalled_goods(*, actor: User, order: Order, reason: str) -> GoodsReturn:
    """Each line's quantity less what came back of it already, at the line's price."""
    back = dict(
        ReturnLine.objects.filter(order_line__order=order)
        .values_list("order_line")
        .annotate(Sum("quantity"))
    )
    out = [
        ReturnLineInput(order_line=line, quantity=line.quantity - back.get(line.pk, 0))
        for line in order.lines.select_related("product")
        if line.quantity > back.get(line.pk, 0)
    ]
    if not out:
        raise ValidationError(NOTHING_OUT)
    sequence = (order.returns.aggregate(last=Max("sequence"))["last"] or 0) + 1
    goods_return = GoodsReturn.objects.create(
        order=order, sequence=sequence, kind=ReturnKind.RECALL, reason=reason,
        requested_by=actor,
    )  # fmt: skip
    ReturnLine.objects.bulk_create(return_lines(order, goods_return, out))
    return goods_return


def freight_charge(
    *, actor: User, order: Order, amount: Decimal, note: str,
    kind: str = DealerCharge.Kind.RECALL_FREIGHT,
) -> DealerCharge:  # fmt: skip
    """O-50 (O-44: a failed delivery's redelivery): the freight charged to the dealer, taken
    at once from the profit left on the dealer's oldest other order that covers it."""
    charge = dealer_charge_record(actor=actor, order=order, kind=kind, amount=amount, note=note)
    others = Order.objects.filter(
        customer_id=order.customer_id, channel=CustomerKind.DEALER,
        profit_note_total__isnull=False,
    ).exclude(pk=order.pk).exclude(step=CANCELLED).order_by("registered_at", "pk")  # fmt: skip
    against = next((other for other in others if order_profit_left(other) >= amount), None)
    if against is None:
        return charge
    return dealer_charge_offset(actor=actor, charge=charge, against=against)
