from django.contrib import admin

from gendan.audit.admin import AuditedModelAdmin
from gendan.catalog.models import PriceList, PriceListItem, Product


@admin.register(Product)
class ProductAdmin(AuditedModelAdmin):
    list_display = ["sku", "name", "category", "colour_code", "board_class", "unit", "is_active"]
    list_filter = ["category", "board_class", "grade", "unit", "is_active"]
    search_fields = ["sku", "name", "colour_code"]


class PriceListItemInline(admin.TabularInline):
    model = PriceListItem
    autocomplete_fields = ["product"]
    extra = 0


@admin.register(PriceList)
class PriceListAdmin(AuditedModelAdmin):
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
