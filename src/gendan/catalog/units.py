"""A quantity with its unit as a reader says it: "1 piece", "50 pieces", "12.5 m²" (English
has a plural, Chinese does not: both plural and singular labels are translated)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Unit

# The label of a unit for any quantity but exactly one (Unit's own labels are for one).
PLURALS = {
    Unit.SQUARE_METRE: _("m²"),
    Unit.PIECE: _("pieces"),
    Unit.BOX: _("boxes"),
    Unit.ROLL: _("rolls"),
    Unit.BAG: _("bags"),
    Unit.METRE: _("metres"),
}
SINGULARS = dict(Unit.choices)


def unit_label(quantity: Decimal, unit: str) -> str:
    """The unit's label for the quantity: singular for exactly one, else plural (0.5 metres,
    0 boxes, as English says them)."""
    labels = SINGULARS if quantity == 1 else PLURALS
    return str(labels.get(unit, unit))


def quantity_text(quantity: Decimal, unit: str) -> str:
    """The quantity without trailing zeros, and its unit: "50 pieces", "12.5 m²"."""
    return f"{format(quantity.normalize(), 'f')} {unit_label(quantity, unit)}"
