"""What a dealer owes because of an order, and taking it from the dealer's profit (O-50, O-54)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.audit_events import dealer_charge_event, dealer_charge_offset_event
from gendan.orders.models import (
    DealerCharge,
    Order,
)
from gendan.orders.money import order_profit_left
from gendan.orders.services.dealer_ledger import dealer_charge_taken, finance_require
from gendan.parties.models import CustomerKind

NOT_A_DEALER_ORDER = _("Only a dealer's order can give rise to a charge on the dealer.")
ALREADY_TAKEN = _("This charge has already been taken from an order's profit.")
OTHER_DEALERS_ORDER = _("The profit must come from the same dealer's order.")
PROFIT_TOO_SMALL = _(
    "O-54: the dealer's profit left on %(order)s is %(left)s CNY, less than %(amount)s CNY."
)


@transaction.atomic
def dealer_charge_record(
    *, actor: User, order: Order, kind: str, amount: Decimal, note: str = ""
) -> DealerCharge:
    """O-50, O-54: finance books what the dealer owes because of this order."""
    finance_require(actor)
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.channel != CustomerKind.DEALER:
        raise ValidationError(NOT_A_DEALER_ORDER)
    charge = DealerCharge(
        dealer_id=order.customer_id, order=order, kind=kind, amount=amount, note=note,
        recorded_by=actor,
    )  # fmt: skip
    charge.full_clean()
    charge.save()
    dealer_charge_event(actor=actor, order=order, charge=charge)
    return charge


@transaction.atomic
def dealer_charge_offset(*, actor: User, charge: DealerCharge, against: Order) -> DealerCharge:
    """O-54: take the charge from the dealer's profit on another order, if it covers it."""
    finance_require(actor)
    against = Order.objects.select_for_update().get(pk=against.pk)
    charge = DealerCharge.objects.select_for_update().get(pk=charge.pk)
    if charge.offset_against_id is not None:
        raise ValidationError(ALREADY_TAKEN)
    if against.channel != CustomerKind.DEALER or against.customer_id != charge.dealer_id:
        raise ValidationError({"against": OTHER_DEALERS_ORDER})
    left = order_profit_left(against)
    if left < charge.amount:
        raise ValidationError(
            {
                "against": PROFIT_TOO_SMALL
                % {"order": against, "left": left, "amount": charge.amount}
            }
        )
    charge.offset_against, charge.offset_at = against, timezone.now()
    charge.save(update_fields=["offset_against", "offset_at"])
    dealer_charge_taken(actor=actor, charge=charge, against=against)
    dealer_charge_offset_event(actor=actor, charge=charge, against=against)
    return charge
