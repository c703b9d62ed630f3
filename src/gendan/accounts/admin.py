from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.accounts.services import user_roles_check
from gendan.audit.admin import AuditedAdminMixin


class UserAdminForm(UserChangeForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        names = [group.name for group in data.get("groups") or []]
        roles = {Role(name) for name in names if name in Role.values}
        try:
            user_roles_check(
                roles=roles,
                partner=data.get("partner"),
                store=data.get("store"),
                is_staff=bool(data.get("is_staff")),
            )
        except forms.ValidationError as error:
            self.add_error(None, error)
        return data


@admin.register(User)
class GendanUserAdmin(AuditedAdminMixin, UserAdmin):
    form = UserAdminForm
    list_display = ["username", "name", "partner", "is_active", "last_login"]
    list_filter = ["groups", "is_active", "is_staff"]
    search_fields = ["username", "name", "mobile", "partner__name"]
    autocomplete_fields = ["partner", "store"]
    fieldsets = [
        *UserAdmin.fieldsets,
        (_("gendan"), {"fields": ["name", "mobile", "partner", "store"]}),
    ]
