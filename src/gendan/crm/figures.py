"""How one event changes a customer's figures.

Every rule here is order-independent (minimum, maximum, sum), so applying events as they
arrive, in any order, gives the same figures as a rebuild from all events. The RFM period's
figures count purchases from the period's start; purchases that fall out of the period as
days pass are subtracted by the daily roll (``services.period_roll``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from django.utils import timezone

from gendan.crm.models import INTEREST_KINDS, CategoryFigures, Event, EventKind, Figures


def earliest(current: dt.datetime | None, new: dt.datetime) -> dt.datetime:
    return new if current is None or new < current else current


def latest(current: dt.datetime | None, new: dt.datetime) -> dt.datetime:
    return new if current is None or new > current else current


def figures_apply(figures: Figures, event: Event, period_start: dt.datetime) -> None:
    """Fold one event into the figures, in place."""
    seen_first = figures.first_seen_at is None or event.at < figures.first_seen_at
    if seen_first or (event.at == figures.first_seen_at and event.source < figures.source):
        figures.source = event.source  # where the customer first came from
    figures.first_seen_at = earliest(figures.first_seen_at, event.at)
    figures.last_seen_at = latest(figures.last_seen_at, event.at)
    if event.kind == EventKind.ORDER_PAID:
        figures.first_purchase_at = earliest(figures.first_purchase_at, event.at)
        figures.last_purchase_at = latest(figures.last_purchase_at, event.at)
        figures.purchase_count += 1
        figures.purchase_amount += event.amount or Decimal("0")
        figures.items_bought += event.quantity
        if event.at >= period_start:
            figures.period_count += 1
            figures.period_amount += event.amount or Decimal("0")
    elif event.kind == EventKind.REFUND:
        figures.refund_amount += event.amount or Decimal("0")
    elif event.kind in INTEREST_KINDS:
        figures.first_interest_at = earliest(figures.first_interest_at, event.at)
        figures.last_interest_at = latest(figures.last_interest_at, event.at)
    elif event.kind == EventKind.CARD_CLAIMED:
        figures.card_claimed_at = earliest(figures.card_claimed_at, event.at)


def category_apply(row: CategoryFigures, event: Event, period_start: dt.datetime) -> None:
    """Fold a paid order of the row's category into it, in place (E-8 per category)."""
    row.last_purchase_at = latest(row.last_purchase_at, event.at)
    row.purchase_count += 1
    row.purchase_amount += event.amount or Decimal("0")
    if event.at >= period_start:
        row.period_count += 1
        row.period_amount += event.amount or Decimal("0")


def counts_by_category(event: Event) -> bool:
    return event.kind == EventKind.ORDER_PAID and bool(event.category)


# The dates the dashboard counts customers by (E-1, E-2): each customer adds one to the day
# of each of these it has.
MEASURES = (
    "first_seen", "last_seen", "first_interest", "last_interest", "first_purchase",
    "last_purchase", "card_claimed", "member_since",
)  # fmt: skip


def figures_days(figures: Figures | None) -> dict[str, dt.date | None]:
    """The local day of each measure of these figures (None where the customer has none)."""
    if figures is None:
        return dict.fromkeys(MEASURES)
    days = {
        measure: local_day(getattr(figures, f"{measure}_at"))
        for measure in MEASURES
        if measure != "member_since"
    }
    # A member is a buyer who claimed a card (E-1): a member since the later of the two.
    if figures.card_claimed_at and figures.first_purchase_at:
        days["member_since"] = max(days["card_claimed"], days["first_purchase"])
    else:
        days["member_since"] = None
    return days


def local_day(at: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(at).date() if at is not None else None


def days_shift(
    counts: Counter, before: dict[str, dt.date | None], after: dict[str, dt.date | None]
) -> None:
    """Move a customer's contribution to the day counts from ``before`` to ``after``."""
    for measure in MEASURES:
        old, new = before[measure], after[measure]
        if old == new:
            continue
        if old is not None:
            counts[measure, old] -= 1
        if new is not None:
            counts[measure, new] += 1
