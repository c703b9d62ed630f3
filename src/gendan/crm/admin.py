from django.contrib import admin

from gendan.audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from gendan.crm.models import (
    Care,
    CareContact,
    CareRule,
    CategoryFigures,
    DayCount,
    Event,
    Figures,
    FiguresState,
    Group,
    GroupMember,
    ItemDay,
    RfmTemplate,
    Tag,
    TagMember,
)


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


@admin.register(CategoryFigures)
class CategoryFiguresAdmin(ReadOnlyAdmin):
    list_display = ["customer", "category", "purchase_count", "period_count", "last_purchase_at"]
    list_filter = ["category"]
    search_fields = ["customer__name"]


@admin.register(DayCount)
class DayCountAdmin(ReadOnlyAdmin):
    list_display = ["measure", "day", "customers"]
    list_filter = ["measure"]
    date_hierarchy = "day"


@admin.register(FiguresState)
class FiguresStateAdmin(ReadOnlyAdmin):
    list_display = ["period_start", "time_zone"]


@admin.register(RfmTemplate)
class RfmTemplateAdmin(ReadOnlyAdmin):
    list_display = ["category", "recency", "frequency", "monetary", "active_days", "lost_days"]


@admin.register(Group)
class GroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "note", "created_at"]
    search_fields = ["name"]


@admin.register(GroupMember)
class GroupMemberAdmin(ReadOnlyAdmin):
    list_display = ["group", "customer"]
    list_filter = ["group"]
    search_fields = ["customer__name"]


@admin.register(ItemDay)
class ItemDayAdmin(ReadOnlyAdmin):
    list_display = ["item", "day", "carts"]
    search_fields = ["item"]
    date_hierarchy = "day"


@admin.register(CareRule)
class CareRuleAdmin(ReadOnlyAdmin):
    list_display = ["rule", "updated_at"]


@admin.register(CareContact)
class CareContactAdmin(ReadOnlyAdmin):
    list_display = ["customer", "kind", "at", "by", "note"]
    list_filter = ["kind"]
    search_fields = ["customer__name", "note"]
