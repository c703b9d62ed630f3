"""Stock counts: the warehouse counts what a warehouse (or one location) holds, and a second
person (finance or the general manager, roles.APPROVE_COUNTS) approves the differences, which
are then booked as COUNTED moves, each with its line's reason, or rejects the count.

Starting a count takes a snapshot of the books per batch × location. If goods of a counted
batch move in or out of a counted place after the snapshot, the approval is refused for those
lines: nobody can tell whether the figure counted was taken before or after that move, so
booking either way could be wrong by the quantity moved. The approver rejects, and the places
are counted again in a new count.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.warehouse.audit_events import (
    count_approved_event,
    count_rejected_event,
    count_started_event,
    count_submitted_event,
)
from gendan.warehouse.locks import batches_lock
from gendan.warehouse.models import (
    Location,
    StockCount,
    StockCountLine,
    StockLevel,
    StockMove,
    Warehouse,
)
from gendan.warehouse.services.ledger import MoveInput, quantity_valid, stock_moves_add

ZERO = Decimal("0")
LARGEST = Decimal("1e11")  # what a quantity field holds
LOCATION_ELSEWHERE = _("Location %(location)s is not in warehouse %(warehouse)s.")
NOTHING_TO_COUNT = _("Nothing is in the books there: there is nothing to count.")
NOT_OPEN = _("This count is no longer open: its counted quantities cannot change.")
NOT_SUBMITTED = _("Only a count waiting for approval can be approved or rejected.")
LINE_FOREIGN = _("A line given is not one of this count's.")
COUNTED_INVALID = _(
    "%(batch)s at %(location)s: a counted quantity is zero or more, with at most three decimals."
)
NOT_ALL_COUNTED = _("%(missing)s lines are not counted yet: count every line before submitting.")
REASON_MISSING = _(
    "%(batch)s at %(location)s: counted %(counted)s, the books say %(expected)s; "
    "say why they differ."
)
SAME_PERSON = _(
    "You counted or submitted this count: a second person approves or rejects it, never "
    "one who counted."
)
MOVED_SINCE = _(
    "Goods moved after the count began at: %(places)s. The figures counted there may be from "
    "before or after that move: reject the count and count those places again."
)
REJECT_REASON = _("Say why the count is rejected.")


@dataclass(frozen=True)
class Entry:
    """What was counted on one line, and why it differs from the books (where it does)."""

    line_id: int
    counted: Decimal
    reason: str = ""


@transaction.atomic
def stock_count_start(
    *, actor: User, warehouse: Warehouse, location: Location | None = None, note: str = ""
) -> StockCount:
    """A count of every batch the books have in the warehouse (or the location): the
    snapshot of the books is each line's ``expected``."""
    if location is not None and location.warehouse_id != warehouse.pk:
        raise ValidationError(LOCATION_ELSEWHERE % {"location": location, "warehouse": warehouse})
    levels = StockLevel.objects.filter(location__warehouse=warehouse, on_hand__gt=0)
    if location is not None:
        levels = levels.filter(location=location)
    # Locked: a move under way (it holds its levels) commits before the snapshot reads them,
    # so every move the snapshot misses is dated after the count began (``moved_since``).
    levels = list(levels.select_for_update(of=("self",)).order_by("pk"))
    if not levels:
        raise ValidationError(NOTHING_TO_COUNT)
    count = StockCount.objects.create(
        warehouse=warehouse, location=location, started_by=actor, note=note.strip()[:200]
    )
    StockCountLine.objects.bulk_create(
        StockCountLine(count=count, batch_id=level.batch_id, location_id=level.location_id,
                       expected=level.on_hand)
        for level in levels
    )  # fmt: skip
    count_started_event(actor=actor, count=count, lines=len(levels))
    return count


@transaction.atomic
def stock_count_enter(*, actor: User, count: StockCount, entries: list[Entry]) -> StockCount:
    """Counted quantities (and reasons) of some lines, while the count is open: all or none."""
    count = count_locked(count)
    if count.state != StockCount.State.OPEN:
        raise ValidationError(NOT_OPEN)
    lines = {line.pk: line for line in count_lines(count)}
    if any(entry.line_id not in lines for entry in entries):
        raise ValidationError(LINE_FOREIGN)
    now = timezone.now()
    for entry in entries:
        line = lines[entry.line_id]
        if not counted_valid(entry.counted):
            raise ValidationError(COUNTED_INVALID % line_names(line))
        line.counted, line.reason = entry.counted, entry.reason.strip()[:200]
        line.counted_by, line.counted_at = actor, now
    StockCountLine.objects.bulk_update(
        [lines[entry.line_id] for entry in entries],
        ["counted", "reason", "counted_by", "counted_at"],
    )
    return count


@transaction.atomic
def stock_count_submit(*, actor: User, count: StockCount) -> StockCount:
    """Counting done: every line counted, a reason wherever counted differs from the books."""
    count = count_locked(count)
    if count.state != StockCount.State.OPEN:
        raise ValidationError(NOT_OPEN)
    lines = count_lines(count)
    missing = sum(1 for line in lines if line.counted is None)
    if missing:
        raise ValidationError(NOT_ALL_COUNTED % {"missing": missing})
    unexplained = [
        REASON_MISSING % line_names(line) for line in lines if differs(line) and not line.reason
    ]
    if unexplained:
        raise ValidationError(unexplained)
    count.state, count.submitted_by, count.submitted_at = (
        StockCount.State.SUBMITTED, actor, timezone.now(),
    )  # fmt: skip
    count.save(update_fields=["state", "submitted_by", "submitted_at"])
    count_submitted_event(actor=actor, count=count, differences=sum(map(differs, lines)))
    return count


@transaction.atomic
def stock_count_approve(*, actor: User, count: StockCount) -> StockCount:
    """A second person approves: each difference becomes a COUNTED move, in or out of its
    place, with the line's reason. The ledger refuses a shortfall that would eat into what
    open orders hold; then nothing is booked."""
    count = count_decided_by(actor, count)
    lines = count_lines(count)
    # The batches locked before looking for moves: a move under way commits first and is
    # seen, or waits for the booking and comes after it.
    batches_lock(line.batch_id for line in lines)
    moved = moved_since(count, lines)
    if moved:
        raise ValidationError(MOVED_SINCE % {"places": ", ".join(moved)})
    moves = [difference_move(count, line) for line in lines if differs(line)]
    if moves:
        stock_moves_add(actor=actor, moves=moves)
    count.state = StockCount.State.BOOKED
    count.save(update_fields=["state", "decided_by", "decided_at"])
    booked = [f"{m.batch.number} {m.from_location or m.to_location} {signed(m)}" for m in moves]
    count_approved_event(actor=actor, count=count, booked=booked)
    return count


@transaction.atomic
def stock_count_reject(*, actor: User, count: StockCount, reason: str) -> StockCount:
    """A second person rejects: nothing is booked; the places are counted again."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": REJECT_REASON})
    count = count_decided_by(actor, count)
    count.state, count.decision_note = StockCount.State.REJECTED, reason[:200]
    count.save(update_fields=["state", "decided_by", "decided_at", "decision_note"])
    count_rejected_event(actor=actor, count=count)
    return count


def counted_valid(counted: Decimal) -> bool:
    return counted == 0 or (quantity_valid(counted) and counted < LARGEST)


def count_decided_by(actor: User, count: StockCount) -> StockCount:
    """The count, locked, waiting for approval, and the actor none of those who counted it."""
    count = count_locked(count)
    if count.state != StockCount.State.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    if actor.pk in counters(count):
        raise ValidationError(SAME_PERSON)
    count.decided_by, count.decided_at = actor, timezone.now()
    return count


def counters(count: StockCount) -> set[int]:
    """Who started, counted a line of, or submitted the count."""
    people = set(count.lines.exclude(counted_by=None).values_list("counted_by", flat=True))
    return people | {count.started_by_id, count.submitted_by_id}


def count_locked(count: StockCount) -> StockCount:
    # One approval, entry or submission at a time: two approvers would book it twice.
    return StockCount.objects.select_for_update().select_related("warehouse").get(pk=count.pk)


def count_lines(count: StockCount) -> list[StockCountLine]:
    return list(count.lines.select_related("batch__product", "location").order_by("pk"))


def differs(line: StockCountLine) -> bool:
    return line.counted is not None and line.counted != line.expected


def moved_since(count: StockCount, lines: list[StockCountLine]) -> list[str]:
    """The counted places whose batch moved in or out after the snapshot."""
    places = {(line.batch_id, line.location_id): line for line in lines}
    batches = {batch for batch, _location in places}
    locations = {location for _batch, location in places}
    moves = StockMove.objects.filter(batch__in=batches, at__gt=count.started_at).filter(
        Q(from_location__in=locations) | Q(to_location__in=locations)
    )
    touched = set()
    for move in moves.values_list("batch", "from_location", "to_location"):
        touched |= {(move[0], place) for place in move[1:] if (move[0], place) in places}
    return [f"{places[key].batch.number} @ {places[key].location}" for key in sorted(touched)]


def difference_move(count: StockCount, line: StockCountLine) -> MoveInput:
    more = line.counted > line.expected
    return MoveInput(
        kind=StockMove.Kind.COUNTED, batch=line.batch, quantity=abs(line.counted - line.expected),
        to_location=line.location if more else None,
        from_location=None if more else line.location,
        reason=line.reason, document=str(count_label(count)), links={"count": count},
    )  # fmt: skip


def count_label(count: StockCount) -> str:
    return f"PD-{count.pk}"


def signed(move: MoveInput) -> str:
    sign = "+" if move.to_location is not None else "−"
    return f"{sign}{format(move.quantity.normalize(), 'f')}"


def line_names(line: StockCountLine) -> dict[str, object]:
    return {
        "batch": line.batch.number, "location": line.location,
        "counted": line.counted, "expected": line.expected,
    }  # fmt: skip
