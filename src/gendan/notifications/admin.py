from django.contrib import admin

from gendan.notifications.models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read only: notifications are written by the step effects, read by their recipients."""

    list_display = ("created_at", "recipient", "order", "step", "read_at", "emailed_at")
    list_filter = ("step",)
    search_fields = ("order__number", "recipient__username", "recipient__name")
    list_select_related = ("recipient", "order")
    raw_id_fields = ("recipient", "order", "step_log")

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False
