"""Returns that put money right (O-62, O-64, O-66 to O-68): where the money of a return goes,
decided from where it was paid, recorded once the return note is made, signed by finance.

Only finance's signature moves money: an offset on a project's order (O-66), a deduction from
the installation fee (O-62, O-66), a credit against the exchange order (O-64), the dealer's
profit taken for a refund the company paid first (O-68). A refund "the way it was paid" and a
credit for other goods (O-67) are the signed record itself: amount, method, who, when.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.audit_events import (
    REFUND_CASH_APPROVED,
    REFUND_RECORDED,
    REFUND_SIGNED,
    dealer_refund_paid_event,
    payer_credit_event,
    receipt_event,
    refund_event,
)
from gendan.orders.models import (
    DealerCharge,
    DealerLedgerEntry,
    GoodsReturn,
    Order,
    PayerCredit,
    PaymentMethod,
    Receipt,
    RefundWay,
    ReturnKind,
    ReturnRefund,
)
from gendan.orders.money import CENT, order_install_fee_paid, order_profit_left, order_receivable
from gendan.orders.services.dealer_ledger import (
    dealer_charge_taken,
    dealer_profit_credit_if_paid,
    ledger_entry,
)
from gendan.orders.services.receipts import order_payer
from gendan.parties.models import Customer, CustomerKind

AT_SUPERMARKET = _(
    "O-66: bought at a supermarket: the shopper returns it at the supermarket; the company "
    "books no refund."
)
NOT_WRITTEN_UP = _(
    "O-62, O-63: finance settles a return from its return note; the clerk has not made it yet."
)
RECALL_NO_REFUND = _("O-50: recalled goods were not paid for; there is nothing to refund.")
WAY_NOT_HERE = _("%(way)s is not how the money of this return goes; it goes: %(ways)s.")
EXCHANGE_BY_ORDER = _("O-64: an exchange is settled by making the new order.")
ALREADY_SIGNED = _("Finance has signed this refund already; it is not changed.")
NOT_CASH = _("O-67: only a cash refund of a bulk return needs the VP of sales' approval.")
CASH_NEEDS_VP = _(
    "O-67: a bulk return (%(amount)s CNY) becomes credit for other goods; paid back in cash "
    "only with the VP of sales' approval."
)
DEALER_PAYS_FIRST = _(
    "O-68: the dealer's profit the company holds on this order is %(profit)s CNY, less than "
    "the refund of %(refund)s CNY: the dealer pays the company first, or refunds its customer "
    "itself."
)
DEALER_PAID_SHORT = _(
    "O-68: the dealer's profit the company holds on this order is %(profit)s CNY and the "
    "dealer paid %(paid)s CNY for it, less than the refund of %(refund)s CNY: the dealer pays "
    "the rest first."
)
DEALER_PAYMENT_NOT_NEEDED = _(
    "O-68: the dealer pays the company first only for a refund the company pays first that "
    "the dealer's profit on the order does not cover; nothing is owed for this one."
)
DEALER_PAYMENT_ABOVE = _(
    "O-68: the dealer still owes %(short)s CNY for this refund; a payment of %(amount)s CNY "
    "is more."
)
DEALER_PAID_KEEPS = _(
    "O-68: the dealer paid the company %(paid)s CNY for this refund first; the company "
    "refunds it first."
)
DEALER_PAYMENT_AMOUNT = _("Enter what the dealer paid in CNY, above zero, at most 2 decimals.")
DEALER_PAYMENT_METHOD = _("The dealer's payment is money received: choose how it was paid.")
ABOVE_PAID = _(
    "The customer paid %(paid)s CNY for the goods that is not yet refunded; a cash refund of "
    "%(refund)s CNY is more."
)
NO_EXCHANGE_ORDER = _("O-64: make the exchange order first.")
NO_REFUND_YET = _("Record where the money of the return goes first.")
FEE_PAID_SINCE = _(
    "The installation fee still to pay is %(left)s CNY now, less than the %(deducted)s CNY "
    "this refund deducts from it: record the refund again."
)

# Where the money was paid (O-66), and the ways its refund may go from there.
AT_MARKET, AT_DEALER, PROJECT, COMPANY = "supermarket", "dealer", "project", "company"
STATEMENTS: dict[str, Promise] = {
    AT_MARKET: AT_SUPERMARKET,
    AT_DEALER: _(
        "O-66: paid at the dealer's store: the return note is the customer's proof and the "
        "dealer refunds; the company refunds first only when the dealer's profit on the order "
        "covers it (O-68)."
    ),
    PROJECT: _("O-66: a company project: offset in the project's account."),
    COMPANY: _(
        "O-66: paid to the company: deducted from the installation fee still to pay, or "
        "refunded the way it was paid."
    ),
}
BULK_STATEMENT = _(
    "O-67: a bulk return (%(amount)s CNY, at least %(limit)s CNY or %(share)s%% of the order) "
    "becomes credit for other goods; cash only with the VP of sales' approval."
)


@dataclass(frozen=True)
class RefundDecision:
    """What the return page states, and what may be recorded."""

    place: str  # where the money was paid
    way: str  # the way the refund goes unless someone chooses another of ``ways``
    ways: tuple[str, ...]
    amount: Decimal  # the return's value at the order's prices
    install_fee_deducted: Decimal
    bulk: bool
    statement: str


def refund_of(goods_return: GoodsReturn) -> ReturnRefund:
    """The return's refund; refused (not "not found": the return is there) until recorded."""
    refund = ReturnRefund.objects.filter(goods_return=goods_return).first()
    if refund is None:
        raise ValidationError(NO_REFUND_YET)
    return refund


def return_value(goods_return: GoodsReturn) -> Decimal:
    total = goods_return.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return total.quantize(CENT)


def bulk_limits() -> tuple[Decimal, Decimal]:
    """O-67: what makes a return "bulk" (config/base.py): its value reaches the amount, or
    the share of its order's total."""
    return settings.GENDAN_BULK_RETURN_AMOUNT, settings.GENDAN_BULK_RETURN_SHARE


def return_is_bulk(order: Order, value: Decimal) -> bool:
    amount, share = bulk_limits()
    return value >= amount or (order.total > 0 and value >= order.total * share)


def paid_where(order: Order) -> str:
    """O-66: a supermarket's shopper paid the supermarket; a dealer's customer the dealer's
    store; a project pays into its contract's account; everyone else paid the company."""
    if order.channel == CustomerKind.SUPERMARKET:
        return AT_MARKET
    if order.channel == CustomerKind.DEALER:
        return AT_DEALER
    if order.channel == CustomerKind.PROJECT or order.contract_id is not None:
        return PROJECT
    return COMPANY


def install_fee_left(order: Order) -> Decimal:
    """The installation fee agreed with the company and not yet paid (O-39)."""
    agreed = order.signed.get("agree_install", {})
    if not agreed or agreed.get("paid_to_supermarket") or agreed.get("paid_to_dealer"):
        return Decimal("0.00")
    fee = Decimal(agreed.get("install_fee", "0"))
    return max(fee - order_install_fee_paid(order), Decimal("0")).quantize(CENT)


def refund_decide(goods_return: GoodsReturn) -> RefundDecision:
    order, value = goods_return.order, return_value(goods_return)
    place, bulk = paid_where(order), return_is_bulk(goods_return.order, value)
    ways = {
        AT_MARKET: (RefundWay.AT_SUPERMARKET,), AT_DEALER: (RefundWay.DEALER,
                                                             RefundWay.DEALER_FIRST),
        PROJECT: (RefundWay.PROJECT,),
    }.get(place, (RefundWay.REFUND,))  # fmt: skip
    statement, deducted = str(STATEMENTS[place]), Decimal("0.00")
    if place == COMPANY and bulk:
        ways = (RefundWay.CREDIT, RefundWay.REFUND)
        limit, share = bulk_limits()
        share = (share * 100).normalize()
        statement = BULK_STATEMENT % {"amount": value, "limit": limit, "share": share}
    elif place == COMPANY and install_fee_left(order) > 0:
        ways, deducted = (RefundWay.INSTALL_FEE,), min(value, install_fee_left(order))
    if goods_return.kind == ReturnKind.EXCHANGE:
        ways = (RefundWay.EXCHANGE,)
    return RefundDecision(
        place=place, way=ways[0], ways=tuple(ways), amount=value,
        install_fee_deducted=deducted, bulk=bulk, statement=statement,
    )  # fmt: skip


def role_require(actor: User, *roles: Role) -> None:
    if not (actor.is_superuser or actor.has_role(*roles)):
        raise PermissionDenied


def refunded_to(order: Order, place: str) -> Customer:
    """Who gets the money: the dealer (it refunds its customer), else who paid the company."""
    return order.customer if place == AT_DEALER else order_payer(order)


def way_paid(order: Order) -> str:
    """The way the goods were paid: the last goods payment's method, else the agreed one."""
    receipt = order.receipts.filter(is_install_fee=False).exclude(method=PaymentMethod.CREDIT)
    method = receipt.order_by("-received_at", "-pk").values_list("method", flat=True).first()
    return method or order.payment_method


def record_refusal(goods_return: GoodsReturn, decision: RefundDecision, way: str) -> str:
    if goods_return.kind == ReturnKind.RECALL:
        return str(RECALL_NO_REFUND)
    if decision.place == AT_MARKET:
        return str(AT_SUPERMARKET)
    if not goods_return.note_made_at:
        return str(NOT_WRITTEN_UP)
    if way == RefundWay.EXCHANGE:
        return str(EXCHANGE_BY_ORDER)
    if way not in decision.ways:
        ways = "、".join(str(RefundWay(w).label) for w in decision.ways)
        label = RefundWay(way).label if way in RefundWay.values else way
        return WAY_NOT_HERE % {"way": label, "ways": ways}
    return ""


@transaction.atomic
def refund_record(
    *, actor: User, goods_return: GoodsReturn, way: str = "", note: str = ""
) -> ReturnRefund:
    """The clerk or finance records where the money of the return goes (the decided way unless
    another allowed one is chosen); an unsigned record may be recorded again."""
    role_require(actor, Role.CLERK, Role.FINANCE)
    goods_return = GoodsReturn.objects.select_for_update().get(pk=goods_return.pk)
    decision = refund_decide(goods_return)
    way = way or decision.way
    refusal = record_refusal(goods_return, decision, way)
    if refusal:
        raise ValidationError(refusal)
    refund = ReturnRefund.objects.filter(goods_return=goods_return).first()
    if refund is not None and refund.signed_at:
        raise ValidationError(ALREADY_SIGNED)
    held = dealer_paid_held(goods_return.order)
    if refund is not None and way != refund.way == RefundWay.DEALER_FIRST and held > 0:
        raise ValidationError(DEALER_PAID_KEEPS % {"paid": held})  # its money is not lost
    refund = refund or ReturnRefund(goods_return=goods_return)
    refund_fill(refund, goods_return.order, decision, way)
    refund.note, refund.recorded_by, refund.recorded_at = note[:200], actor, timezone.now()
    refund.cash_approved_by = refund.cash_approved_at = None  # approved for what it was
    refund.save()
    refund_event(actor=actor, refund=refund, action=REFUND_RECORDED)
    return refund


def refund_fill(refund: ReturnRefund, order: Order, decision: RefundDecision, way: str) -> None:
    refund.way, refund.amount = way, decision.amount
    refund.install_fee_deducted = decision.install_fee_deducted
    refund.customer = refunded_to(order, decision.place)
    if way == RefundWay.DEALER_FIRST and order.end_customer_id:
        refund.customer = order.end_customer  # O-68: the company pays the dealer's customer
    cash = (RefundWay.REFUND, RefundWay.INSTALL_FEE, RefundWay.DEALER_FIRST)
    refund.method = way_paid(order) if way in cash and refund_cash(refund) > 0 else ""


def refund_cash(refund: ReturnRefund) -> Decimal:
    """What goes back as money: the value less what the installation fee took."""
    return (refund.amount - refund.install_fee_deducted).quantize(CENT)


@transaction.atomic
def refund_cash_approve(*, actor: User, refund: ReturnRefund) -> ReturnRefund:
    """O-67: the VP of sales lets a bulk return be paid back in cash."""
    role_require(actor, Role.SALES_VP)
    refund = ReturnRefund.objects.select_for_update().get(pk=refund.pk)
    if refund.signed_at:
        raise ValidationError(ALREADY_SIGNED)
    if refund.way != RefundWay.REFUND or not refund_decide(refund.goods_return).bulk:
        raise ValidationError(NOT_CASH)
    refund.cash_approved_by, refund.cash_approved_at = actor, timezone.now()
    refund.save(update_fields=["cash_approved_by", "cash_approved_at"])
    refund_event(actor=actor, refund=refund, action=REFUND_CASH_APPROVED)
    return refund


@transaction.atomic
def refund_sign(*, actor: User, refund: ReturnRefund) -> ReturnRefund:
    """Finance signs the refund and the money moves; a refusal names its rule and changes
    nothing. The order is locked first, then the refund (as everywhere: parent first)."""
    role_require(actor, Role.FINANCE)
    order = Order.objects.select_for_update().get(pk=refund.goods_return.order_id)
    refund = ReturnRefund.objects.select_for_update().get(pk=refund.pk)
    if refund.signed_at:
        raise ValidationError(ALREADY_SIGNED)
    refusal = sign_refusal(order, refund)
    if refusal:
        raise ValidationError(refusal)
    money_move(actor=actor, order=order, refund=refund)
    refund.signed_by, refund.signed_at = actor, timezone.now()
    refund.save(update_fields=["signed_by", "signed_at"])
    refund_event(actor=actor, refund=refund, action=REFUND_SIGNED)
    return refund


def sign_refusal(order: Order, refund: ReturnRefund) -> str:
    """O-67: cash for a bulk return needs the VP; O-68: the company refunds first for a dealer
    only out of the dealer's profit on the order; no more cash back than was paid."""
    cash = refund_cash(refund)
    vp_needed = refund.way == RefundWay.REFUND and refund_decide(refund.goods_return).bulk
    if vp_needed and refund.cash_approved_at is None:
        return CASH_NEEDS_VP % {"amount": refund.amount}
    fee_left = install_fee_left(order)
    if refund.way == RefundWay.INSTALL_FEE and refund.install_fee_deducted > fee_left:
        return FEE_PAID_SINCE % {"left": fee_left, "deducted": refund.install_fee_deducted}
    if refund.way == RefundWay.DEALER_FIRST and dealer_shortfall(order, refund) > 0:
        profit, paid = order_profit_left(order), dealer_paid_held(order)
        if not paid:
            return DEALER_PAYS_FIRST % {"profit": profit, "refund": refund.amount}
        return DEALER_PAID_SHORT % {"profit": profit, "paid": paid, "refund": refund.amount}
    if refund.way in (RefundWay.REFUND, RefundWay.INSTALL_FEE) and cash > 0:
        left = paid_not_refunded(order, refund)
        if cash > left:
            return ABOVE_PAID % {"paid": left, "refund": cash}
    if refund.way == RefundWay.EXCHANGE and refund.exchange_order_id is None:
        return str(NO_EXCHANGE_ORDER)
    return ""


def paid_not_refunded(order: Order, refund: ReturnRefund) -> Decimal:
    """Goods money received in money (not credit) less the cash of refunds signed before."""
    paid = order.receipts.filter(is_install_fee=False).exclude(method=PaymentMethod.CREDIT)
    received = paid.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    signed = ReturnRefund.objects.filter(
        goods_return__order=order, signed_at__isnull=False,
        way__in=[RefundWay.REFUND, RefundWay.INSTALL_FEE],
    ).exclude(pk=refund.pk)  # fmt: skip
    back = sum((refund_cash(other) for other in signed), Decimal("0"))
    return (received - back).quantize(CENT)


def money_move(*, actor: User, order: Order, refund: ReturnRefund) -> None:
    """What finance's signature writes, by way; the others are the record alone."""
    note = f"{refund.goods_return} {refund.get_way_display()}"[:200]
    if refund.way == RefundWay.PROJECT:
        credit_receipt(actor=actor, order=order, amount=refund.amount, note=note)
    elif refund.way == RefundWay.INSTALL_FEE and refund.install_fee_deducted > 0:
        credit_receipt(actor=actor, order=order, amount=refund.install_fee_deducted, note=note,
                       is_install_fee=True)  # fmt: skip
    elif refund.way == RefundWay.EXCHANGE:
        new = Order.objects.select_for_update().get(pk=refund.exchange_order_id)
        exchange_credit_book(actor=actor, refund=refund, new=new)
    elif refund.way == RefundWay.DEALER_FIRST:
        dealer_refund_taken(actor=actor, order=order, refund=refund)


def credit_receipt(
    *, actor: User, order: Order, amount: Decimal, note: str, is_install_fee: bool = False
) -> Receipt:
    """The returned goods' value counted as paid on an order, by credit (not money received:
    receipts.order_receipt_add refuses credit on purpose); the order is locked by the caller."""
    receipt = Receipt.objects.create(
        order=order, amount=amount, method=PaymentMethod.CREDIT, is_install_fee=is_install_fee,
        received_by=actor, note=note,
    )  # fmt: skip
    if not is_install_fee:
        order.paid = (order.paid + amount).quantize(CENT)
        order.save(update_fields=["paid"])
        dealer_profit_credit_if_paid(actor=actor, order=order)
    receipt_event(actor=actor, order=order, receipt=receipt)
    return receipt


def exchange_credit_book(*, actor: User, refund: ReturnRefund, new: Order) -> PayerCredit | None:
    """O-64: the returned goods counted as paid on the exchange order (locked by the caller);
    what they are worth beyond what it owes is kept as the credit of whom the refund is for,
    as a receipt beyond what an order owes is (receipts.payer_credit_keep)."""
    if refund.amount <= 0:
        return None
    owed = order_receivable(new)
    note = f"{refund.goods_return} {refund.get_way_display()}"[:200]
    receipt = credit_receipt(actor=actor, order=new, amount=refund.amount, note=note)
    left = (refund.amount - owed).quantize(CENT)
    if left <= 0:
        return None
    credit = PayerCredit.objects.create(
        customer=refund.customer, order=new, receipt=receipt, amount=left, recorded_by=actor
    )
    payer_credit_event(actor=actor, order=new, credit=credit)
    return credit


def exchange_credit_kept(refund: ReturnRefund | None) -> PayerCredit | None:
    """The O-64 leftover kept as credit on the refund's exchange order, if any."""
    if refund is None or refund.exchange_order_id is None:
        return None
    credits = PayerCredit.objects.filter(
        order_id=refund.exchange_order_id, receipt__method=PaymentMethod.CREDIT
    )
    return credits.select_related("customer").first()


def dealer_paid_held(order: Order) -> Decimal:
    """O-68: what the dealer paid the company for refunds first on the order, not yet spent."""
    entries = DealerLedgerEntry.objects.filter(order=order, kind=DealerLedgerEntry.Kind.REFUND_PAID)
    return (entries.aggregate(total=Sum("amount"))["total"] or Decimal("0")).quantize(CENT)


def dealer_shortfall(order: Order, refund: ReturnRefund) -> Decimal:
    """O-68: what the dealer still pays first: the refund beyond its profit and payments."""
    short = refund.amount - order_profit_left(order) - dealer_paid_held(order)
    return max(short, Decimal("0")).quantize(CENT)


def dealer_payment_amount(amount: object) -> Decimal:
    try:
        value = Decimal(str(amount).strip()[:20])
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value <= 0 or value.as_tuple().exponent < -2:
        raise ValidationError({"amount": DEALER_PAYMENT_AMOUNT})
    return value.quantize(CENT)


@transaction.atomic
def refund_dealer_paid(
    *, actor: User, refund: ReturnRefund, amount: object, method: str, reference: str = ""
) -> DealerLedgerEntry:
    """O-68: finance records what the dealer paid the company for a refund first that its
    profit on the order does not cover (on the dealer's statement, held until the refund is
    signed); at most what is still short. Locks as refund_sign: the order, then the refund."""
    role_require(actor, Role.FINANCE)
    order = Order.objects.select_for_update().get(pk=refund.goods_return.order_id)
    refund = ReturnRefund.objects.select_for_update().get(pk=refund.pk)
    if refund.signed_at:
        raise ValidationError(ALREADY_SIGNED)
    short = dealer_shortfall(order, refund) if refund.way == RefundWay.DEALER_FIRST else 0
    if short <= 0:
        raise ValidationError(DEALER_PAYMENT_NOT_NEEDED)
    value = dealer_payment_amount(amount)
    if method == PaymentMethod.CREDIT or method not in PaymentMethod.values:
        raise ValidationError({"method": DEALER_PAYMENT_METHOD})
    if value > short:
        raise ValidationError({"amount": DEALER_PAYMENT_ABOVE % {"short": short, "amount": value}})
    entry = ledger_entry(
        actor=actor, order=order, kind=DealerLedgerEntry.Kind.REFUND_PAID, amount=value,
        method=method, reference=reference.strip()[:60], note=str(refund.goods_return)[:200],
    )  # fmt: skip
    dealer_refund_paid_event(actor=actor, refund=refund, entry=entry)
    return entry


def dealer_refund_taken(*, actor: User, order: Order, refund: ReturnRefund) -> DealerCharge | None:
    """O-68: the refund the company paid first comes out of what the dealer paid for it
    first (that statement entry spent), the rest from the dealer's profit on the order, at
    once (a charge offset against the same order, and its statement entry)."""
    paid = min(dealer_paid_held(order), refund.amount)
    if paid > 0:
        ledger_entry(actor=actor, order=order, kind=DealerLedgerEntry.Kind.REFUND_PAID,
                     amount=-paid, note=str(refund.goods_return)[:200])  # fmt: skip
    if refund.amount - paid <= 0:
        return None
    now = timezone.now()
    charge = DealerCharge.objects.create(
        dealer_id=order.customer_id, order=order, kind=DealerCharge.Kind.REFUND_FIRST,
        amount=refund.amount - paid, note=str(refund.goods_return), recorded_by=actor,
        recorded_at=now, offset_against=order, offset_at=now,
    )  # fmt: skip
    dealer_charge_taken(actor=actor, charge=charge, against=order)
    return charge
