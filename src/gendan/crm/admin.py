from django.contrib import admin

from gendan.audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from gendan.crm.models import Care, Event, Figures, Tag, TagMember


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


@admin.register(Care)
class CareAdmin(AuditedModelAdmin):
    list_display = ["customer", "source", "no_discount"]
    search_fields = ["customer__name", "note"]
    autocomplete_fields = ["customer"]


@admin.register(Tag)
class TagAdmin(ReadOnlyAdmin):
    list_display = ["name", "is_automatic", "created_at"]
    search_fields = ["name"]


@admin.register(TagMember)
class TagMemberAdmin(ReadOnlyAdmin):
    list_display = ["tag", "customer"]
    list_filter = ["tag"]
    search_fields = ["customer__name"]
