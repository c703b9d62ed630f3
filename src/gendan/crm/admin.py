from django.contrib import admin

from gendan.audit.admin import ReadOnlyAdmin
from gendan.crm.models import Event, Figures


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["customer", "kind", "at", "amount", "item", "source"]
    list_filter = ["kind", "source"]
    search_fields = ["customer__name", "external_id", "item"]
    date_hierarchy = "at"


@admin.register(Figures)
class FiguresAdmin(ReadOnlyAdmin):
    list_display = ["customer", "purchase_count", "purchase_amount", "last_purchase_at", "source"]
    search_fields = ["customer__name"]
