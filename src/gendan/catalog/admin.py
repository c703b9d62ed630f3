from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError

from gendan.audit.admin import AuditedModelAdmin
from gendan.catalog.models import PriceList, PriceListItem, Product
from gendan.catalog.services import price_list_check


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin):
    list_display = ["sku", "name", "category", "colour_code", "board_class", "unit", "is_active"]
    list_filter = ["category", "board_class", "grade", "unit", "is_active"]
    search_fields = ["sku", "name", "colour_code"]


class PriceListItemInline(admin.TabularInline):
    model = PriceListItem
    autocomplete_fields = ["product"]
    extra = 0


class PriceListAdminForm(forms.ModelForm):
    """The admin keeps the rules the pages keep: no overlap, the customer's channel."""

    class Meta:
        model = PriceList
        fields = ["name", "kind", "customer", "valid_from", "valid_to", "note"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = ["name", "kind", "customer", "valid_from", "valid_to"]
        if all(name in data for name in names) and data["valid_from"]:
            candidate = PriceList(pk=self.instance.pk, **{name: data[name] for name in names})
            try:
                price_list_check(candidate)
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(PriceList)
class PriceListAdmin(AuditedModelAdmin):
    form = PriceListAdminForm
    list_display = ["name", "kind", "customer", "valid_from", "valid_to"]
    list_filter = ["kind"]
    search_fields = ["name", "customer__name"]
    autocomplete_fields = ["customer"]
    inlines = [PriceListItemInline]


@admin.register(PriceListItem)
class PriceListItemAdmin(AuditedModelAdmin):
    list_display = ["price_list", "product", "price"]
    list_filter = ["price_list__kind"]
    search_fields = ["product__sku", "product__name", "price_list__name"]
    autocomplete_fields = ["price_list", "product"]
