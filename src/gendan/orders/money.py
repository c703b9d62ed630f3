"""What an order costs and what has been paid against it.

``Order.total`` and ``Order.paid`` are kept by the services, under the order's lock, as
lines are written and money is received; ``order_money_recount`` proves them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext_lazy

from gendan.orders.models import Order
from gendan.parties.models import Contract, CustomerKind, PaymentStage

CENT = Decimal("0.01")


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


def order_outstanding(order: Order) -> Decimal:
    """What is due now: the total less what was paid and the retention held back."""
    due = order_total(order) - order_retention_held(order) - order_paid(order)
    return max(due, Decimal("0.00"))


def order_receivable(order: Order) -> Decimal:
    """Everything still owed, retention included."""
    return max(order_total(order) - order_paid(order), Decimal("0.00"))


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
    lines = list(order.lines.values_list("quantity", "end_price", "amount"))
    if not lines or any(end_price is None for _q, end_price, _a in lines):
        return None
    profit_note = sum((q * end_price).quantize(CENT) for q, end_price, _a in lines)
    return profit_note - sum(amount for _q, _e, amount in lines)


def order_money_recount(order: Order) -> tuple[Decimal, Decimal]:
    """Total and paid counted afresh from the lines and receipts."""
    total = order.lines.aggregate(total=Sum("amount"))["total"] or Decimal("0")
    paid = order.receipts.filter(is_install_fee=False).aggregate(total=Sum("amount"))["total"]
    return total.quantize(CENT), (paid or Decimal("0")).quantize(CENT)


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
