"""The figures recounted from the ledger: each location's level is what its moves brought in
less what they took out; a batch's on hand is its levels at sellable locations (ledger.py
``sellable_change``). The ledger keeps them in each move's transaction, so a difference means
someone wrote a figure by hand (the admin, SQL) or a bug: the recount finds it, and with
``fix`` puts the ledger's figure back, signed in the audit log.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.warehouse.audit_events import stock_recounted_event
from gendan.warehouse.locks import batches_lock, levels_lock
from gendan.warehouse.models import Batch, Location, StockLevel, StockMove

LEVEL_DIFFERS = _(
    "Batch %(batch)s at %(location)s: the level says %(recorded)s, the ledger %(ledger)s."
)
ON_HAND_DIFFERS = _("Batch %(batch)s: sellable on hand says %(recorded)s, the ledger %(ledger)s.")
CANNOT_FIX = _(
    "Batch %(batch)s: the ledger leaves %(ledger)s, less than zero or than the %(reserved)s "
    "reserved for open orders; nothing was corrected. Find the move that is wrong first."
)
ZERO = Decimal("0")
PLACES = Decimal("0.001")
Place = tuple[int, int]  # (batch pk, location pk)


@dataclass(frozen=True)
class Difference:
    """A figure that is not what the ledger says; ``location`` None: the batch's on hand."""

    batch: int
    location: int | None
    recorded: Decimal
    ledger: Decimal

    def text(self, batches: dict[int, Batch], locations: dict[int, Location]) -> str:
        names = {"batch": batches[self.batch], "recorded": self.recorded, "ledger": self.ledger}
        if self.location is None:
            return str(ON_HAND_DIFFERS % names)
        return str(LEVEL_DIFFERS % (names | {"location": locations[self.location]}))


def differences_text(differences: list[Difference]) -> list[str]:
    """The differences as the command reports them, by batch and location name."""
    batches = Batch.objects.select_related("product").in_bulk({d.batch for d in differences})
    locations = Location.objects.select_related("warehouse").in_bulk(
        {d.location for d in differences if d.location}
    )
    return [difference.text(batches, locations) for difference in differences]


def ledger_levels() -> dict[Place, Decimal]:
    """Every (batch, location) the moves touched, and what they leave there."""
    levels: dict[Place, Decimal] = defaultdict(lambda: ZERO)
    for side, sign in (("to_location", 1), ("from_location", -1)):
        rows = (
            StockMove.objects.filter(**{f"{side}__isnull": False})
            .values_list("batch", side)
            .annotate(total=Sum("quantity"))
            .order_by()
        )
        for batch, location, total in rows:
            levels[(batch, location)] += sign * total
    # SQLite sums decimals without their places; the figures are kept to three.
    return {place: quantity.quantize(PLACES) for place, quantity in levels.items()}


def ledger_on_hand(levels: dict[Place, Decimal]) -> dict[int, Decimal]:
    sellable = set(
        Location.objects.filter(kind=Location.Kind.SELLABLE).values_list("pk", flat=True)
    )
    on_hand: dict[int, Decimal] = defaultdict(Decimal)
    for (batch, location), quantity in levels.items():
        if location in sellable:
            on_hand[batch] += quantity
    return on_hand


def stock_differences() -> list[Difference]:
    """Each level and each batch's on hand that differs from the ledger, batches in pk order."""
    levels = ledger_levels()
    recorded = {
        (batch, location): on_hand
        for batch, location, on_hand in StockLevel.objects.values_list(
            "batch", "location", "on_hand"
        )
    }
    found = [
        Difference(batch, location, recorded.get((batch, location), ZERO), levels.get(
            (batch, location), ZERO))
        for batch, location in sorted(set(levels) | set(recorded))
        if recorded.get((batch, location), ZERO) != levels.get((batch, location), ZERO)
    ]  # fmt: skip
    on_hand = ledger_on_hand(levels)
    for batch, figure in Batch.objects.values_list("pk", "on_hand").order_by("pk"):
        if figure != on_hand.get(batch, ZERO):
            found.append(Difference(batch, None, figure, on_hand.get(batch, ZERO)))
    return sorted(found, key=lambda d: (d.batch, d.location is not None, d.location or 0))


def stock_recount(*, fix: bool = False, actor: User | None = None) -> list[Difference]:
    """The differences between the figures and the ledger; with ``fix``, the figures are set
    to the ledger's in one transaction, each batch corrected signed in the audit log."""
    differences = stock_differences()
    if fix and differences:
        differences_fix(differences, actor)
    return differences


@transaction.atomic
def differences_fix(differences: list[Difference], actor: User | None) -> None:
    # Locked as the ledger locks (batches, then levels), so no move runs between the count
    # and the correction; counted again under the locks, so what is written is current.
    batches = batches_lock(d.batch for d in differences)
    levels_lock((d.batch, d.location) for d in differences if d.location)
    current = [d for d in stock_differences() if d.batch in batches]
    for difference in current:
        floor = ZERO if difference.location else batches[difference.batch].reserved
        if difference.ledger < floor:
            raise ValidationError(CANNOT_FIX % {
                "batch": batches[difference.batch], "ledger": difference.ledger,
                "reserved": batches[difference.batch].reserved,
            })  # fmt: skip
    for difference in current:
        if difference.location is None:
            Batch.objects.filter(pk=difference.batch).update(on_hand=difference.ledger)
        else:
            StockLevel.objects.update_or_create(
                batch_id=difference.batch, location_id=difference.location,
                defaults={"on_hand": difference.ledger},
            )  # fmt: skip
    by_batch: dict[int, list[Difference]] = defaultdict(list)
    for difference in current:
        by_batch[difference.batch].append(difference)
    for pk, found in by_batch.items():
        stock_recounted_event(actor=actor, batch=batches[pk], differences=found)
