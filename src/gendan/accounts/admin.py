from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import ApiToken, User
from gendan.accounts.roles import Role
from gendan.accounts.services import api_token_revoke, user_roles_check
from gendan.audit.admin import AuditedAdminMixin, ReadOnlyAdmin


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


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    """Every user's tokens, by prefix; an admin revokes a leaked one (audited)."""

    list_display = ["name", "prefix", "user", "created_at", "last_used_at", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["prefix", "name", "user__username", "user__name"]
    exclude = ["digest"]
    actions = ["revoke"]

    def has_revoke_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("accounts.change_apitoken")

    @admin.action(description=_("Revoke the selected tokens"), permissions=["revoke"])
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            api_token_revoke(actor=request.user, token=token)
