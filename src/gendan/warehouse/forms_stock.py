"""The stock pages' forms: a move or write-off of one batch, a count started, counted lines."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.warehouse.models import Batch, Location, StockCount, Warehouse

MOVE, WRITE_OFF = "move", "write_off"
TO_MISSING = _("Choose where the goods go.")


class MoveForm(forms.Form):
    """Goods of one batch out of one of its places: to another place, or written off. The
    places offered (and accepted) are the batch's own and those of its warehouses."""

    action = forms.ChoiceField(
        label=_("What"), choices=[(MOVE, _("Move")), (WRITE_OFF, _("Write off"))]
    )
    from_location = forms.ModelChoiceField(queryset=Location.objects.none(), label=_("From"))
    to_location = forms.ModelChoiceField(
        queryset=Location.objects.none(), label=_("To"), required=False
    )
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=14, decimal_places=3
    )
    reason = forms.CharField(label=_("Why"), max_length=200)

    def __init__(self, *args: object, batch: Batch, places: list[Location], **kwargs: object):
        super().__init__(*args, **kwargs)
        held = batch.levels.filter(on_hand__gt=0).values("location")
        self.fields["from_location"].queryset = Location.objects.filter(pk__in=held)
        self.fields["to_location"].queryset = Location.objects.filter(
            pk__in=[place.pk for place in places]
        )

    def clean(self) -> dict[str, object]:
        data = super().clean()
        if data.get("action") == MOVE and not data.get("to_location"):
            self.add_error("to_location", TO_MISSING)
        return data


class CountStartForm(forms.Form):
    warehouse = forms.ModelChoiceField(
        queryset=Warehouse.objects.filter(is_active=True), label=_("Warehouse")
    )
    location = forms.ModelChoiceField(
        queryset=Location.objects.filter(is_active=True).select_related("warehouse"),
        label=_("Only this location"), required=False,
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why rejected"), max_length=200)


def count_states() -> list[tuple[str, str]]:
    return list(StockCount.State.choices)
