from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.audit.audit_events import admin_event
from gendan.audit.models import AuditEvent


class ReadOnlyAdmin(admin.ModelAdmin):
    """For records that only their own services write (or nobody rewrites): read here."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "action", "actor__username", "actor__name"]
    date_hierarchy = "at"


class AuditedAdminMixin:
    """Sign what is done in the admin into the audit log, like every other write."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {
            name: [form.initial.get(name), form.cleaned_data.get(name)]
            for name in form.changed_data
        }
        audit_admin(request, obj, "update" if change else "create", changes)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            audit_admin(request, obj, "create", {})
        for obj, changed in formset.changed_objects:
            audit_admin(request, obj, "update", {name: "changed" for name in changed})
        for obj in formset.deleted_objects:
            audit_admin(request, obj, "delete", {})

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_admin(request, obj, "delete", {})
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            audit_admin(request, obj, "delete", {})
        super().delete_queryset(request, queryset)


class AuditedModelAdmin(AuditedAdminMixin, admin.ModelAdmin):
    pass


def audit_admin(request: HttpRequest, obj: Any, verb: str, changes: dict[str, Any]) -> None:
    admin_event(actor=request.user, obj=obj, verb=verb, changes=changes)
