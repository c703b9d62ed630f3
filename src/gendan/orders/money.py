"""What an order costs and what has been paid against it.

``Order.total`` and ``Order.paid`` are kept by the services, under the order's lock, as
lines are written and money is received; ``order_money_recount`` proves them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, DecimalField, ExpressionWrapper, F, Q, Sum, Value, When
from django.db.models.functions import Greatest, Least
from django.utils.translation import gettext_lazy

from gendan.orders.models import Order
from gendan.parties.models import Contract, CustomerKind, PaymentStage

CENT = Decimal("0.01")
MONEY = DecimalField(max_digits=14, decimal_places=2)


def order_total(order: Order) -> Decimal:
    return order.total.quantize(CENT)


def order_paid(order: Order) -> Decimal:
    """Goods payments received (installation fees are counted apart)."""
    return order.paid.quantize(CENT)


def order_install_fee_paid(order: Order) -> Decimal:
    paid = order.receipts.filter(is_install_fee=True).aggregate(total=Sum("amount"))["total"]
    return (paid or Decimal("0")).quantize(CENT)


def order_retention_held(order: Order) -> Decimal:
    """O-56: what the owner keeps back until it falls due; a dealer pays it first."""
    if order.channel == CustomerKind.DEALER:
        return Decimal("0.00")
    return order.retention_amount.quantize(CENT)


def order_has_profit_note(order: Order) -> bool:
    """O-11: the company delivers, installs and collects for a dealer's homeowner, and every
    line carries the dealer's price to that homeowner."""
    return (
        order.channel == CustomerKind.DEALER
        and order.needs_installation
        and order.profit_note_total is not None
    )


def order_deposit_kept(order: Order) -> Decimal:
    """O-53: of the deposit the homeowner paid the dealer, the dealer keeps what its profit on
    the order covers (and pays the company the rest before dispatch)."""
    profit = order.profit_note_total - order.total
    return max(min(order.dealer_deposit, profit), Decimal("0")).quantize(CENT)


def order_amount_owed(order: Order) -> Decimal:
    """What is owed to the company on this order, in all (O-11, O-51, O-53): with a profit
    note the homeowner's price less the part of the deposit the dealer keeps (its profit
    covers it); otherwise the order's total."""
    if not order_has_profit_note(order):
        return order_total(order)
    return (order.profit_note_total - order_deposit_kept(order)).quantize(CENT)


def owed_expression() -> Case:
    """``order_amount_owed`` as a database expression, for the receivables' sums."""
    profit_note = Q(
        channel=CustomerKind.DEALER, needs_installation=True, profit_note_total__isnull=False
    )
    profit = F("profit_note_total") - F("total")
    kept = Greatest(Least(F("dealer_deposit"), profit), Value(Decimal("0")), output_field=MONEY)
    owed = ExpressionWrapper(F("profit_note_total") - kept, output_field=MONEY)
    return Case(When(profit_note, then=owed), default=F("total"), output_field=MONEY)


def order_outstanding(order: Order) -> Decimal:
    """What is due now (the driver's amount to collect): what is owed less what was paid and
    the retention held back."""
    due = order_amount_owed(order) - order_retention_held(order) - order_paid(order)
    return max(due, Decimal("0.00"))


def order_receivable(order: Order) -> Decimal:
    """Everything still owed, retention included."""
    return max(order_amount_owed(order) - order_paid(order), Decimal("0.00"))


def contract_paid(contract: Contract) -> Decimal:
    """Goods payments received on all the orders under one contract."""
    paid = contract.orders.aggregate(total=Sum("paid"))["total"] or Decimal("0")
    return paid.quantize(CENT)


def contract_schedule(contract: Contract) -> list[tuple[PaymentStage, Decimal, Decimal]]:
    """Each stage with its amount and how much of it the money received covers, in order."""
    left = contract_paid(contract)
    rows = []
    for stage, amount in contract.payment_schedule():
        covered = min(amount, left)
        left -= covered
        rows.append((stage, amount, covered))
    return rows


def contract_due_unpaid(contract: Contract, today: dt.date) -> Decimal:
    """What the stages due by today still lack (O-48)."""
    return sum(
        (amount - covered for stage, amount, covered in contract_schedule(contract)
         if stage.due_on is not None and stage.due_on <= today),
        Decimal("0.00"),
    )  # fmt: skip


def order_dealer_profit(order: Order) -> Decimal | None:
    """O-11: profit-note total less cost-note total; None until every line has its price."""
    if order.profit_note_total is None:
        return None
    return (order.profit_note_total - order.total).quantize(CENT)


def profit_note_total_of(lines: list[tuple[Decimal, Decimal | None]]) -> Decimal | None:
    """The profit note's total of (quantity, end price) lines, each line rounded to the cent;
    None unless every line has the dealer's price to its homeowner."""
    if not lines or any(end_price is None for _q, end_price in lines):
        return None
    return sum(((q * end_price).quantize(CENT) for q, end_price in lines), Decimal("0"))


def order_money_recount(order: Order) -> tuple[Decimal, Decimal]:
    """Total and paid counted afresh from the lines and receipts."""
    total = order.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    paid = order.receipts.filter(is_install_fee=False).aggregate(total=Sum("amount"))["total"]
    return total.quantize(CENT), (paid or Decimal("0")).quantize(CENT)


def order_profit_note_recount(order: Order) -> Decimal | None:
    """The profit note's total counted afresh from the lines (``Order.profit_note_total``)."""
    return profit_note_total_of(list(order.lines.values_list("quantity", "end_price")))


def order_dealer_profit_due(order: Order) -> Decimal:
    """What the company owes the dealer on a paid profit-note order: its profit less the part
    of the deposit it kept (O-53)."""
    profit = order_dealer_profit(order) or Decimal("0")
    return (profit - order_deposit_kept(order)).quantize(CENT)


def order_profit_left(order: Order) -> Decimal:
    """The dealer's profit on an order less what was already taken from it."""
    profit = order_dealer_profit(order) or Decimal("0")
    taken = order.offsets.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    return (profit - taken).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class AgeingBucket:
    """Amounts owed for ``first`` to ``last`` days (``last`` None: no end)."""

    code: str
    label: str
    first: int
    last: int | None


# Ageing of receivables, by whole days since the amount became owed (order_owed_since):
# owed today is 0 days, so 0 to 30 days is the first month. Not yet due comes before them.
NOT_YET_DUE = "not_due"
AGEING_BUCKETS = (
    AgeingBucket("d0_30", gettext_lazy("0 to 30 days"), 0, 30),
    AgeingBucket("d31_60", gettext_lazy("31 to 60 days"), 31, 60),
    AgeingBucket("d61_90", gettext_lazy("61 to 90 days"), 61, 90),
    AgeingBucket("d90_plus", gettext_lazy("over 90 days"), 91, None),
)
AGEING_CODES = (NOT_YET_DUE, *(bucket.code for bucket in AGEING_BUCKETS))
AGEING_COLUMNS = (
    (NOT_YET_DUE, gettext_lazy("not yet due")),
    *((bucket.code, bucket.label) for bucket in AGEING_BUCKETS),
)


def ageing_bucket(owed_since: dt.date, today: dt.date) -> str:
    """The bucket code of an amount owed since that day."""
    days = (today - owed_since).days
    for bucket in AGEING_BUCKETS:
        if days >= bucket.first and (bucket.last is None or days <= bucket.last):
            return bucket.code
    return NOT_YET_DUE


def ageing_window(code: str, today: dt.date) -> tuple[dt.date | None, dt.date | None]:
    """The days an amount of the bucket became owed on: (earliest, latest), None for no end."""
    if code == NOT_YET_DUE:
        return today + dt.timedelta(days=1), None
    bucket = next(bucket for bucket in AGEING_BUCKETS if bucket.code == code)
    earliest = None if bucket.last is None else today - dt.timedelta(days=bucket.last)
    return earliest, today - dt.timedelta(days=bucket.first)
