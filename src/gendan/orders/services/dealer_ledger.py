"""The dealer's statement (O-11, O-50, O-54, O-55): what the company owes a dealer.

Each entry is written inside the transaction that causes it: the receipt that completes the
payment of a profit-note order credits the dealer's profit (and takes the installation fee
the homeowner paid the dealer, O-55); a charge taken from the dealer's profit (O-50, O-54);
a settlement finance pays the dealer. Entries are never changed; the balance is their sum.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.audit_events import dealer_profit_credited_event, dealer_settlement_event
from gendan.orders.models import DealerCharge, DealerLedgerEntry, Order, PaymentMethod
from gendan.orders.money import (
    CENT,
    order_dealer_profit_due,
    order_has_profit_note,
    order_install_fee_paid,
    order_receivable,
)
from gendan.parties.models import Customer, CustomerKind

NO_PROFIT_NOTE = _("O-11: this order has no profit note, so no dealer's profit to credit.")
NOT_PAID_YET = _(
    "O-11: the dealer's profit is credited once the company has received what the order owes "
    "(%(owed)s CNY still owed)."
)
ALREADY_CREDITED = _("The dealer's profit on this order is already on its statement.")
NOT_A_DEALER = _("Only a dealer has a statement.")
SETTLEMENT_NOT_POSITIVE = _("A settlement pays the dealer more than zero.")
SETTLEMENT_ABOVE_BALANCE = _(
    "The company owes the dealer %(balance)s CNY; a settlement of %(amount)s CNY is more."
)
NO_CREDIT_SETTLEMENT = _("A settlement is money paid; credit is not a method.")


def finance_require(actor: User) -> None:
    if not (actor.is_superuser or actor.has_role(Role.FINANCE)):
        raise PermissionDenied


def dealer_balance(dealer_id: int) -> Decimal:
    """What the company owes the dealer now (negative: what the dealer owes the company)."""
    total = DealerLedgerEntry.objects.filter(dealer_id=dealer_id).aggregate(sum=Sum("amount"))
    return (total["sum"] or Decimal("0")).quantize(CENT)


def order_profit_credited(order: Order) -> bool:
    return DealerLedgerEntry.objects.filter(
        order=order, kind=DealerLedgerEntry.Kind.PROFIT
    ).exists()


def dealer_profit_credit_refusal(order: Order) -> str:
    """Why the dealer's profit on the order cannot be credited now; "" when it can."""
    if not order_has_profit_note(order):
        return str(NO_PROFIT_NOTE)
    owed = order_receivable(order)
    if owed > 0:
        return NOT_PAID_YET % {"owed": owed}
    if order_profit_credited(order):
        return str(ALREADY_CREDITED)
    return ""


def dealer_profit_credit_if_paid(*, actor: User, order: Order) -> list[DealerLedgerEntry]:
    """Inside a receipt's transaction, with the order locked: once the order is paid, credit
    the dealer's profit on it (nothing when it is not yet paid or already credited)."""
    if dealer_profit_credit_refusal(order):
        return []
    return dealer_profit_entries_write(actor=actor, order=order)


@transaction.atomic
def dealer_profit_credit(*, actor: User, order: Order) -> list[DealerLedgerEntry]:
    """Finance puts the profit of a paid order on the statement (an order paid before the
    statement existed, or one whose homeowner owed nothing after the deposit)."""
    finance_require(actor)
    order = Order.objects.select_for_update().get(pk=order.pk)
    refusal = dealer_profit_credit_refusal(order)
    if refusal:
        raise ValidationError(refusal)
    return dealer_profit_entries_write(actor=actor, order=order)


def dealer_profit_entries_write(*, actor: User, order: Order) -> list[DealerLedgerEntry]:
    """The profit less the deposit the dealer holds (O-53), and the installation fee the
    homeowner paid the dealer that has not reached the company (O-55)."""
    entries = [ledger_entry(actor=actor, order=order, kind=DealerLedgerEntry.Kind.PROFIT,
                            amount=order_dealer_profit_due(order))]  # fmt: skip
    fee = install_fee_held_by_dealer(order)
    if fee > 0:
        entries.append(
            ledger_entry(actor=actor, order=order, kind=DealerLedgerEntry.Kind.INSTALL_FEE,
                         amount=-fee)
        )  # fmt: skip
    dealer_profit_credited_event(actor=actor, order=order, entries=entries)
    return entries


def install_fee_held_by_dealer(order: Order) -> Decimal:
    """O-55: the installation fee the homeowner paid the dealer, less what reached the company."""
    agreed = order.signed.get("agree_install", {})
    if not agreed.get("paid_to_dealer"):
        return Decimal("0")
    fee = Decimal(agreed.get("install_fee", "0"))
    return max(fee - order_install_fee_paid(order), Decimal("0")).quantize(CENT)


def ledger_entry(*, actor: User, order: Order | None, kind: str, amount: Decimal,
                 dealer_id: int | None = None, **fields: str) -> DealerLedgerEntry:  # fmt: skip
    return DealerLedgerEntry.objects.create(
        dealer_id=dealer_id or order.customer_id, order=order, kind=kind,
        amount=amount.quantize(CENT), recorded_by=actor, **fields,
    )  # fmt: skip


def dealer_charge_taken(*, actor: User, charge: DealerCharge, against: Order) -> DealerLedgerEntry:
    """O-50, O-54: inside the offset's transaction, the charge leaves the dealer's balance."""
    note = f"{charge.get_kind_display()} · {charge.order}"
    return ledger_entry(actor=actor, order=against, kind=DealerLedgerEntry.Kind.CHARGE,
                        amount=-charge.amount, note=note[:200])  # fmt: skip


@transaction.atomic
def dealer_settlement_pay(
    *, actor: User, dealer: Customer, amount: Decimal, method: str, reference: str = "",
    note: str = "",
) -> DealerLedgerEntry:  # fmt: skip
    """Finance pays the dealer what the statement owes it, at most the balance."""
    finance_require(actor)
    dealer = Customer.objects.select_for_update().get(pk=dealer.pk)  # one settlement at a time
    if dealer.kind != CustomerKind.DEALER:
        raise ValidationError(NOT_A_DEALER)
    settlement_check(dealer, amount, method)
    entry = ledger_entry(
        actor=actor, order=None, dealer_id=dealer.pk, kind=DealerLedgerEntry.Kind.SETTLEMENT,
        amount=-amount, method=method, reference=reference, note=note,
    )  # fmt: skip
    dealer_settlement_event(actor=actor, dealer=dealer, entry=entry)
    return entry


def settlement_check(dealer: Customer, amount: Decimal, method: str) -> None:
    if method == PaymentMethod.CREDIT or method not in PaymentMethod.values:
        raise ValidationError({"method": NO_CREDIT_SETTLEMENT})
    if amount <= 0:
        raise ValidationError({"amount": SETTLEMENT_NOT_POSITIVE})
    balance = dealer_balance(dealer.pk)
    if amount > balance:
        raise ValidationError(
            {"amount": SETTLEMENT_ABOVE_BALANCE % {"balance": balance, "amount": amount}}
        )


def dealer_profit_withdraw(*, actor: User, order: Order) -> DealerLedgerEntry | None:
    """Inside a cancellation: what the order's entries credited the dealer (its profit, less
    the O-55 fee) is taken back by one entry; the entries themselves stay as written, and a
    charge already taken from that profit stays owed by the dealer."""
    credited_kinds = (DealerLedgerEntry.Kind.PROFIT, DealerLedgerEntry.Kind.INSTALL_FEE)
    credited = order.ledger.filter(kind__in=credited_kinds).aggregate(sum=Sum("amount"))["sum"]
    if not credited:
        return None
    return ledger_entry(actor=actor, order=order, kind=DealerLedgerEntry.Kind.WITHDRAWN,
                        amount=-credited, note=order.cancel_reason[:200])  # fmt: skip
