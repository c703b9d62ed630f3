"""The receipt's page forms: the receipt itself and a formset of its lines; the API and the
.xlsx import check their lines with the same line form."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import Grade, Product
from gendan.warehouse.models import GoodsReceipt, Location, Warehouse
from gendan.warehouse.services.receiving import MAX_PACKAGES, ReceiptLineInput

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
LENGTHS_UNREADABLE = _("Write the lengths in metres, separated by commas: 50, 50, 48.5")


class ReceiptForm(forms.Form):
    source = forms.ChoiceField(label=_("Source"), choices=GoodsReceipt.Source.choices)
    warehouse = forms.ModelChoiceField(
        Warehouse.objects.filter(is_active=True), label=_("Warehouse"), empty_label=None
    )
    supplier = forms.CharField(
        label=_("Supplier"), max_length=100, required=False,
        help_text=_("For goods from a supplier."),
    )  # fmt: skip
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


def lengths_parse(text: str) -> list[Decimal] | None:
    """ "50, 50; 48.5" → three lengths; empty → None."""
    for separator in ("；", ";", "，"):
        text = text.replace(separator, ",")
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not parts:
        return None
    try:
        return [Decimal(part) for part in parts]
    except InvalidOperation as error:
        raise ValidationError(LENGTHS_UNREADABLE) from error


class ReceiptLineForm(forms.Form):
    product = forms.ModelChoiceField(
        Product.objects.filter(stocked=True).order_by("sku"), label=_("Product"),
        widget=forms.Select(attrs={"data-choose": "product"}),
    )  # fmt: skip
    batch_number = forms.CharField(label=_("Batch number"), max_length=40)
    produced_on = forms.DateField(label=_("Produced on"), widget=DATE)
    grade = forms.ChoiceField(
        label=_("Grade"), choices=[("", _("The product's")), *Grade.choices], required=False
    )
    colour = forms.CharField(label=_("Colour code"), max_length=20, required=False)
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=Decimal("0.001"), max_digits=14, decimal_places=3
    )
    packages = forms.IntegerField(label=_("Boxes or rolls"), min_value=1, max_value=MAX_PACKAGES)
    location = forms.ModelChoiceField(
        Location.objects.filter(is_active=True, kind=Location.Kind.SELLABLE)
        .select_related("warehouse")
        .order_by("warehouse__code", "code"),
        label=_("Location"),
    )
    lengths_m = forms.CharField(
        label=_("Roll lengths (m)"), required=False, max_length=20000,
        help_text=_("Foam only (O-59): one length a roll, separated by commas."),
    )  # fmt: skip

    def clean_lengths_m(self) -> list[Decimal] | None:
        return lengths_parse(self.cleaned_data.get("lengths_m", ""))

    def line(self) -> ReceiptLineInput:
        data = self.cleaned_data
        return ReceiptLineInput(
            product=data["product"], batch_number=data["batch_number"].strip(),
            produced_on=data["produced_on"], grade=data["grade"], colour=data["colour"],
            quantity=data["quantity"], packages=data["packages"], location=data["location"],
            lengths_m=data["lengths_m"],
        )  # fmt: skip


ReceiptLineFormSet = forms.formset_factory(
    ReceiptLineForm, extra=0, min_num=1, validate_min=True, max_num=200, validate_max=True
)
