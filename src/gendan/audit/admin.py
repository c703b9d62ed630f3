from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "action", "target_type", "target_repr"]
    list_filter = ["action", "target_type"]
    search_fields = ["target_repr", "action", "actor__username", "actor__name"]
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class AuditedModelAdmin(admin.ModelAdmin):
    """Sign changes made in the admin into the audit log, like every other write."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        changes = {
            name: [form.initial.get(name), form.cleaned_data.get(name)]
            for name in form.changed_data
        }
        action = f"{obj._meta.model_name}.{'update' if change else 'create'}"
        audit_record(actor=request.user, action=action, target=obj, changes=changes, note="admin")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user, action=f"{obj._meta.model_name}.delete", target=obj, note="admin"
        )
        super().delete_model(request, obj)
