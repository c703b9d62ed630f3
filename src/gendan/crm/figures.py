"""How one event changes a customer's figures.

Every rule here is order-independent (minimum, maximum, sum), so applying events as they
arrive, in any order, gives the same figures as a rebuild from all events.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from gendan.crm.models import INTEREST_KINDS, Event, EventKind, Figures


def earliest(current: dt.datetime | None, new: dt.datetime) -> dt.datetime:
    return new if current is None or new < current else current


def latest(current: dt.datetime | None, new: dt.datetime) -> dt.datetime:
    return new if current is None or new > current else current


def figures_apply(figures: Figures, event: Event) -> None:
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
    elif event.kind == EventKind.REFUND:
        figures.refund_amount += event.amount or Decimal("0")
    elif event.kind in INTEREST_KINDS:
        figures.first_interest_at = earliest(figures.first_interest_at, event.at)
        figures.last_interest_at = latest(figures.last_interest_at, event.at)
    elif event.kind == EventKind.CARD_CLAIMED:
        figures.card_claimed_at = earliest(figures.card_claimed_at, event.at)
