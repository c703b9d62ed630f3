from django.contrib import admin
from django.http import HttpRequest

from gendan.core.models import IdempotencyKey


@admin.register(IdempotencyKey)
class IdempotencyKeyAdmin(admin.ModelAdmin):
    """Read only: a key and its answer are what a client was told; changing one would make the
    next repeat answer differently from the first."""

    list_display = ["key", "user", "status_code", "created_at"]
    list_filter = ["status_code"]
    search_fields = ["key", "user__username"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
