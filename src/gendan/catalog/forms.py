from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import PriceList, PriceListItem, Product
from gendan.catalog.services import PRODUCT_FIELDS
from gendan.parties.models import Customer

DUPLICATE_ROW = _("Each product may appear only once.")


class ProductForm(forms.ModelForm):
    class Meta:
        model = Product
        fields = PRODUCT_FIELDS
        widgets = {"after_sales_terms": forms.Textarea(attrs={"rows": 3})}


class PriceListForm(forms.ModelForm):
    class Meta:
        model = PriceList
        fields = ["name", "kind", "customer", "valid_from", "valid_to", "note"]
        widgets = {
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "note": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.exclude(kind="homeowner")


class PriceListItemForm(forms.ModelForm):
    class Meta:
        model = PriceListItem
        fields = ["product", "price"]


class BasePriceItemFormSet(forms.BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        seen: set[int] = set()
        for form in self.forms:
            product = form.cleaned_data.get("product") if form.cleaned_data else None
            if product is None or form.cleaned_data.get("DELETE"):
                continue
            if product.pk in seen:
                form.add_error("product", DUPLICATE_ROW)
            seen.add(product.pk)

    def items(self) -> list[tuple[Product, Decimal]]:
        return [
            (form.cleaned_data["product"], form.cleaned_data["price"])
            for form in self.forms
            if form.cleaned_data
            and form.cleaned_data.get("product")
            and not form.cleaned_data.get("DELETE")
        ]


PriceItemFormSet = forms.inlineformset_factory(
    PriceList,
    PriceListItem,
    form=PriceListItemForm,
    formset=BasePriceItemFormSet,
    extra=3,
    can_delete=True,
)
