"""The warehouse's grading of returned goods on inspection (O-62, O-63), line by line, and
the hand-over to the warehouse that puts them back into stock (orders/effects.py RETURN_WORK).

Orders knows the lines and their condition; where the goods go (the batch they shipped from,
the location) is the warehouse's, named here by id only: orders never imports the warehouse.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.orders.effects import RETURN_WORK
from gendan.orders.models import GoodsReturn, ReturnCondition, ReturnLine
from gendan.orders.services.effects import work_do

BAD_CONDITION = _("Line %(position)s: grade it sellable, second grade or damaged.")
BAD_CHOICE = _("Line %(position)s: choose the location and the batch from the lists.")
NOT_THIS_RETURN = _("A graded line is not a line of this return.")


@dataclass(frozen=True)
class LineGrading:
    """One return line as the warehouse found it; a location or batch left out is chosen by
    the warehouse (warehouse/services/returns.py says how)."""

    condition: str = ReturnCondition.SELLABLE
    location_id: int | None = None  # a warehouse Location
    batch_id: int | None = None  # one of the batches the order's product shipped from


Grading = Mapping[int, LineGrading]  # by ReturnLine pk


def return_grading_apply(*, actor: User, goods_return: GoodsReturn, grading: Grading) -> None:
    """In the booking-in's transaction: each line's condition written, then the warehouse's
    work (its stock moves); a line left out of ``grading`` is sellable."""
    lines = list(goods_return.lines.select_related("product", "order_line"))
    if set(grading) - {line.pk for line in lines}:
        raise ValidationError(NOT_THIS_RETURN)
    errors = [
        BAD_CONDITION % {"position": line.position}
        for line in lines
        if grading.get(line.pk, LineGrading()).condition not in ReturnCondition.values
    ]
    if errors:
        raise ValidationError(errors)
    full = {line.pk: grading.get(line.pk, LineGrading()) for line in lines}
    for line in lines:
        line.condition = full[line.pk].condition
    ReturnLine.objects.bulk_update(lines, ["condition"])
    work_do(
        RETURN_WORK, order=goods_return.order, actor=actor, goods_return=goods_return,
        grading=full,
    )  # fmt: skip


def grading_from_post(post: Mapping[str, str], goods_return: GoodsReturn) -> dict[int, LineGrading]:
    """The grading form (one condition, location and batch per line; every input hostile):
    ``condition-<line>``, ``location-<line>``, ``batch-<line>``."""
    grading, errors = {}, []
    for line in goods_return.lines.all():
        condition = post.get(f"condition-{line.pk}", ReturnCondition.SELLABLE)
        location, batch = (
            post.get(f"{name}-{line.pk}", "").strip() for name in ("location", "batch")
        )
        if not all(value == "" or is_id(value) for value in (location, batch)):
            errors.append(BAD_CHOICE % {"position": line.position})
            continue
        grading[line.pk] = LineGrading(
            condition=condition, location_id=int(location) if location else None,
            batch_id=int(batch) if batch else None,
        )  # fmt: skip
    if errors:
        raise ValidationError(errors)
    return grading


def is_id(text: str) -> bool:
    """A record id as a form sends it: ASCII digits, small enough for the database."""
    return text.isascii() and text.isdigit() and len(text) <= 12
