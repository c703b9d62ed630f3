"""The conditions a step needs before it may be signed, and when a step is skipped.

A guard returns the refusals that stand in the way, each naming its rule; an empty
list lets the step go ahead. A skip condition returns the code of the reason it skips
(orders/skips.py), or "".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from gendan.catalog.selectors import prices_for
from gendan.orders import skips
from gendan.orders.models import (
    DealerLedgerEntry,
    Order,
    PaymentTerms,
    ReturnRefund,
    VerificationItem,
)
from gendan.orders.money import (
    contract_due_unpaid,
    order_dealer_profit,
    order_has_profit_note,
    order_install_fee_paid,
    order_outstanding,
)
from gendan.parties.models import CustomerKind

CHECKS_OPEN = _("O-5: verification is not complete; still open: %(items)s.")
NO_PAYMENT_AGREEMENT = _("O-57: payment method and payment terms must be agreed first.")
NOT_PAID = _("%(rule)s: the order is not paid in full (%(outstanding)s CNY outstanding).")
NO_CONTRACT_TERMS = _("O-52: only supermarkets, decoration firms and projects pay per contract.")
DEALER_NO_INSTALL_PREPAY = _("O-49: a dealer order without installation ships only after payment.")
NOT_FINANCE_SIGNED = _("O-19: the warehouse ships only against a delivery note signed by finance.")
NO_LINES = _("O-5: the order has no lines.")
PAID_DEALER_BY_CARD = _(
    "O-53: the customer paid the dealer by card; the dealer pays in full before dispatch."
)
DEPOSIT_ABOVE_PROFIT = _(
    "O-53: the dealer took a deposit of %(deposit)s CNY, more than its profit of %(profit)s CNY "
    "on this order; the dealer pays the company before dispatch."
)
INSTALL_FEE_VIA_DEALER = _(
    "O-55: the customer pays the installation fee of %(fee)s CNY to the dealer; the dealer pays "
    "it to the company before installation, as the order's profit does not cover it."
)
NO_CONTRACT_RECORDED = _("O-52: no contract is recorded for this order, so no terms can be met.")
PRICE_DIFFERS = _("line %(position)s costs %(price)s, the price list says %(listed)s")
FIELDS_MISSING = _("O-5: missing on the order: %(fields)s.")
INSTALL_FEE_UNPAID = _("O-39: the installation fee of %(fee)s CNY is not received in full.")
STAGES_DUE_UNPAID = _("O-48: the contract stages due by today lack %(lacking)s CNY.")
REFERRAL_OPEN = _("O-6: the payment question is with the sales rep; wait for the answer.")
PROFIT_NOT_ON_STATEMENT = _(
    "O-54: the dealer's profit on this order is not on the dealer's statement yet; finance "
    "credits it there once the order is paid."
)
AWAITING_CONFIRMATION = _("O-7: the changed order waits for the customer to confirm it.")
CHECKS_TAKEN_BACK = _("O-7: the change took back checks of verification; confirm again: %(items)s.")

CONTRACT_CHANNELS = {CustomerKind.SUPERMARKET, CustomerKind.DECORATOR, CustomerKind.PROJECT}


def verification_complete(order: Order) -> list[str]:
    """O-5: all twelve checks confirmed, and O-57: payment agreed."""
    done = set(order.checks.values_list("item", flat=True))
    still_open = [str(item.label) for item in VerificationItem if item.value not in done]
    refusals = []
    if order.referred_at and not order.referral_answered_at:
        refusals.append(str(REFERRAL_OPEN))
    if still_open:
        refusals.append(CHECKS_OPEN % {"items": "、".join(still_open)})
    if order.total <= 0 and not order.lines.exists():  # a positive total means lines
        refusals.append(str(NO_LINES))
    if not (order.payment_method and order.payment_terms):
        refusals.append(str(NO_PAYMENT_AGREEMENT))
    missing = [str(label) for label, present in order_facts(order) if not present]
    if missing:
        refusals.append(FIELDS_MISSING % {"fields": "、".join(missing)})
    return refusals


def checks_taken_back(order: Order) -> list[str]:
    """O-5, O-7: a change after verification takes back the checks it affects; the order
    moves on once they are confirmed again."""
    if order.revision < 2 or "verify" not in order.signed:
        return []
    done = set(order.checks.values_list("item", flat=True))
    still_open = [str(item.label) for item in VerificationItem if item.value not in done]
    return [CHECKS_TAKEN_BACK % {"items": "、".join(still_open)}] if still_open else []


def order_facts(order: Order) -> list[tuple[object, bool]]:
    """O-5 and O-41: what a confirmed check needs written on the order."""
    phone = order.contact_phone or order.customer.phone
    facts = [
        (VerificationItem.DELIVERY_TIME.label, order.expected_delivery_on is not None),
        (VerificationItem.PHONE.label, bool(phone)),
        (VerificationItem.ADDRESS.label, bool(order.street) and order.floor is not None),
    ]
    if order.needs_installation:
        facts.append((VerificationItem.INSTALL_TIME.label, order.expected_install_on is not None))
    return facts


def install_fee_to_collect(order: Order) -> Decimal | None:
    """O-39: the fee agreed at agree_install that service collects from the customer; None
    when the customer pays it to the supermarket or the dealer (O-55), or none was agreed."""
    agreed = order.signed.get("agree_install", {})
    if not agreed or agreed.get("paid_to_supermarket") or agreed.get("paid_to_dealer"):
        return None
    return Decimal(agreed.get("install_fee", "0"))


def install_fee_received(order: Order) -> list[str]:
    """O-39, O-47: the fee agreed at measurement reaches finance (unless paid elsewhere)."""
    agreed = order.signed.get("agree_install", {})
    if not agreed or agreed.get("paid_to_supermarket"):
        return []
    if agreed.get("paid_to_dealer"):
        return dealer_install_fee_settled(order)  # O-55
    fee = Decimal(agreed.get("install_fee", "0"))
    if order_install_fee_paid(order) < fee:
        return [INSTALL_FEE_UNPAID % {"fee": fee}]
    return []


def close_guard(order: Order) -> list[str]:
    """O-22: finance closes an order when it is paid, installation fee included, and (O-54)
    its dealer's profit is on the dealer's statement."""
    return paid_in_full("O-22")(order) + install_fee_received(order) + dealer_profit_listed(order)


def dealer_profit_listed(order: Order) -> list[str]:
    """O-11, O-54: a profit-note order closes only once its dealer's profit is credited on the
    dealer's statement (from where it is settled or taken for charges)."""
    if not order_has_profit_note(order):
        return []
    if order.ledger.filter(kind=DealerLedgerEntry.Kind.PROFIT).exists():
        return []
    return [str(PROFIT_NOT_ON_STATEMENT)]


def paid_in_full(rule: str):
    def guard(order: Order) -> list[str]:
        outstanding = order_outstanding(order)
        if outstanding > 0:
            return [NOT_PAID % {"rule": rule, "outstanding": outstanding}]
        return []

    return guard


def finance_may_sign(order: Order) -> list[str]:
    """O-14 and O-52 (with O-49, O-51, O-53): prices as listed, and one of the conditions
    under which finance signs for dispatch."""
    return prices_as_listed(order) + payment_covered(order)


def payment_covered(order: Order) -> list[str]:
    terms = order.payment_terms
    dealer = order.channel == CustomerKind.DEALER
    if order_outstanding(order) <= 0:
        return []
    dealer_money = dealer_must_pay_first(order)
    if dealer_money:
        return [dealer_money, *paid_in_full("O-53")(order)]
    if dealer and not order.needs_installation:
        return [str(DEALER_NO_INSTALL_PREPAY), *paid_in_full("O-49")(order)]
    if terms == PaymentTerms.CONTRACT:
        return contract_terms_met(order)
    if terms == PaymentTerms.ON_DELIVERY and dealer:
        return []  # O-51, O-52: the dealer confirms its customer pays the company on delivery
    if terms == PaymentTerms.CARRIER_COLLECTS:
        return []
    return paid_in_full("O-52")(order)


def contract_terms_met(order: Order) -> list[str]:
    """O-52: a payment agreement covers the order and its terms are met."""
    if order.channel not in CONTRACT_CHANNELS:
        return [str(NO_CONTRACT_TERMS)]
    if order.channel == CustomerKind.SUPERMARKET:
        return []  # the supermarket's standing agreement (O-17, O-48)
    if order.contract_id is None:
        return [str(NO_CONTRACT_RECORDED)]
    return contract_stages_paid(order)


def prices_as_listed(order: Order) -> list[str]:
    """O-14: each price matches the price list of O-9, unless the sales supervisor
    reviewed the order (O-13)."""
    if "supervisor_review" in order.signed:
        return []
    lines = list(order.lines.all())
    listed_prices = prices_for(
        products=[line.product_id for line in lines],
        customer=order_priced_for(order),
        on=order.log_day,
    )
    differing = []
    for line in lines:
        listed = listed_prices.get(line.product_id)
        if listed != line.unit_price:
            differing.append(
                PRICE_DIFFERS
                % {"position": line.position, "price": line.unit_price, "listed": listed or "—"}
            )
    return [f"O-14: {'; '.join(differing)}"] if differing else []


def order_priced_for(order: Order):
    """O-9: a supermarket's shopper pays the shelf price only when the company collects."""
    shopper = order.channel == CustomerKind.SUPERMARKET and order.end_customer_id
    if shopper and order.payment_terms != PaymentTerms.CONTRACT:
        return order.end_customer
    return order.customer


def contract_stages_paid(order: Order) -> list[str]:
    """O-48: a contract order pays by its stages; without a contract, in full."""
    if order.contract_id is None:
        return paid_in_full("O-48")(order)
    lacking = contract_due_unpaid(order.contract, dt.date.today())
    if lacking > 0:
        return [STAGES_DUE_UNPAID % {"lacking": lacking}]
    return []


def dealer_install_fee_settled(order: Order) -> list[str]:
    """O-55: a fee the customer pays the dealer reaches the company before installation,
    unless the order's profit covers it."""
    agreed = order.signed.get("agree_install", {})
    if not agreed.get("paid_to_dealer"):
        return []
    fee = Decimal(agreed.get("install_fee", "0"))
    profit = order_dealer_profit(order) or Decimal("0")
    if order_install_fee_paid(order) >= fee or profit >= fee:
        return []
    return [INSTALL_FEE_VIA_DEALER % {"fee": fee}]


def dealer_must_pay_first(order: Order) -> str:
    """O-53: card payments at the store, or a deposit above the dealer's profit."""
    if order.channel != CustomerKind.DEALER:
        return ""
    if order.paid_to_dealer_by_card:
        return str(PAID_DEALER_BY_CARD)
    profit = order_dealer_profit(order)
    if order.dealer_deposit > 0 and (profit is None or order.dealer_deposit > profit):
        shown = "—" if profit is None else profit
        return DEPOSIT_ABOVE_PROFIT % {"deposit": order.dealer_deposit, "profit": shown}
    return ""


def finance_signed(order: Order) -> list[str]:
    """O-19: the finance review step is signed."""
    if "finance_review" not in order.signed:
        return [str(NOT_FINANCE_SIGNED)]
    return []


EXCHANGE_NOT_SETTLED = _(
    "O-64: finance has not settled the difference of the exchange yet (the return %(ret)s)."
)
EXCHANGE_EXTRA_UNPAID = _(
    "O-64: the exchange costs %(extra)s CNY more than the goods returned; it is paid before "
    "the new goods leave."
)


def ship_allowed(order: Order) -> list[str]:
    """O-19 and O-64: the warehouse ships against finance's signature; an exchange order's
    goods leave once the difference is settled and the extra owed is paid."""
    return finance_signed(order) + exchange_paid(order)


def exchange_paid(order: Order) -> list[str]:
    """O-64: the order an exchange made (services/exchange.py) waits for finance to sign the
    return's refund (the goods credited against it) and for the rest to be paid."""
    refund = ReturnRefund.objects.filter(exchange_order=order).select_related("goods_return")
    refund = refund.first()
    if refund is None:
        return []
    if refund.signed_at is None:
        return [EXCHANGE_NOT_SETTLED % {"ret": refund.goods_return}]
    extra = order_outstanding(order)
    if extra > 0:
        return [EXCHANGE_EXTRA_UNPAID % {"extra": extra}]
    return []


def skip_unless_special(order: Order) -> str:
    return "" if order.is_special else skips.NOT_SPECIAL


def skip_unless_unusual(order: Order) -> str:
    """O-13: the supervisor reviews only what intake and verification found unusual."""
    unusual = order.signed.get("verify", {}).get("unusual", False)
    return "" if unusual or order.is_special else skips.NOTHING_UNUSUAL


def skip_when_paid_on_delivery(order: Order) -> str:
    if order.payment_terms == PaymentTerms.ON_DELIVERY:
        return skips.PAID_ON_DELIVERY
    return ""


def skip_for_self_pickup(order: Order) -> str:
    return skips.SELF_PICKUP if order.self_pickup else ""


def skip_when_fee_paid_to_supermarket(order: Order) -> str:
    if order.signed.get("agree_install", {}).get("paid_to_supermarket"):
        return skips.FEE_PAID_TO_SUPERMARKET
    return ""


def skip_unless_dealer(order: Order) -> str:
    """A profit note exists only for a dealer's end customer (O-11)."""
    return "" if order.channel == CustomerKind.DEALER else skips.NOT_A_DEALER


NOT_VERIFIED_ON_ITS_DAY = _("Not verified on the day it arrived.")
DELIVERY_NOT_BOOKED = _("O-41: delivery on %(day)s is not booked three days ahead.")
DELIVERED_NOT_CLOSED = _("Delivered on %(day)s and still not closed.")
BOOKING_AHEAD = dt.timedelta(days=3)  # O-41
CLOSE_WITHIN = dt.timedelta(days=7)
BEFORE_BOOKING = {"register", "verify", "measurement_notice", "measure", "agree_install",
                  "return_measurement", "dispatch_advice", "delivery_note"}  # fmt: skip


# The kinds of overdue, as the managers' home page counts them.
NOT_VERIFIED, NOT_BOOKED, NOT_CLOSED = "not_verified", "not_booked", "not_closed"


def overdue_kind(order: Order, today: dt.date) -> tuple[str, dt.date | None]:
    """The first overdue mark the order carries, with its day; ("", None) when none."""
    if order.step in ("register", "verify") and order.log_day < today:
        return NOT_VERIFIED, order.log_day
    delivery = order.expected_delivery_on
    if delivery and order.step in BEFORE_BOOKING and delivery - today <= BOOKING_AHEAD:
        return NOT_BOOKED, delivery
    # A self-pickup is handed over when it is signed out at the warehouse (O-26).
    handover = "ship" if order.self_pickup else "deliver"
    delivered = order.signed.get(handover, {}).get("at")
    delivered_on = dt.datetime.fromisoformat(delivered).date() if delivered else None
    late = delivered_on is not None and today - delivered_on > CLOSE_WITHIN
    if late and order.closed_at is None:
        return NOT_CLOSED, delivered_on
    return "", None


def overdue_reason(order: Order, today: dt.date) -> str:
    """The overdue marks of the work queues (O-41 and the handbook's same-day verification)."""
    kind, day = overdue_kind(order, today)
    if kind == NOT_VERIFIED:
        return str(NOT_VERIFIED_ON_ITS_DAY)
    if kind == NOT_BOOKED:
        return DELIVERY_NOT_BOOKED % {"day": day}
    if kind == NOT_CLOSED:
        return DELIVERED_NOT_CLOSED % {"day": day}
    return ""
