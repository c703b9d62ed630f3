"""Orders move only through their route (the pages and the API); the admin reads them.

Channel routes (O-30) are configuration and are edited here.
"""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from gendan.audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from gendan.orders.models import (
    ChannelRoute,
    DailyCounter,
    DealerCharge,
    DealerLedgerEntry,
    Effect,
    GoodsReturn,
    Order,
    OrderImport,
    OrderLine,
    OrderRevision,
    PayerCredit,
    Receipt,
    ReturnLine,
    ReturnRefund,
    StepLog,
    VerificationCheck,
)
from gendan.orders.routes import ROUTES
from gendan.orders.services.effects import effects_retry


class OrderLineInline(admin.TabularInline):
    model = OrderLine
    extra = 0
    can_delete = False
    readonly_fields = [
        "position",
        "product",
        "colour_code",
        "quantity",
        "unit",
        "unit_price",
        "amount",
    ]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(ReadOnlyAdmin):
    list_display = ["number", "customer", "route", "step", "registered_at"]
    list_filter = ["route", "step", "channel"]
    search_fields = ["number", "customer__name", "end_customer__name", "contact_phone"]
    date_hierarchy = "log_day"
    inlines = [OrderLineInline]


@admin.register(OrderLine)
class OrderLineAdmin(ReadOnlyAdmin):
    list_display = ["order", "position", "product", "quantity", "unit_price", "amount"]
    search_fields = ["order__number", "product__sku"]


@admin.register(StepLog)
class StepLogAdmin(ReadOnlyAdmin):
    list_display = ["order", "step", "outcome", "actor", "at"]
    list_filter = ["step", "outcome"]
    search_fields = ["order__number"]


@admin.register(VerificationCheck)
class VerificationCheckAdmin(ReadOnlyAdmin):
    list_display = ["order", "item", "confirmed_by", "confirmed_at"]
    search_fields = ["order__number"]


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["order", "amount", "method", "is_install_fee", "received_by", "received_at"]
    list_filter = ["method", "is_install_fee"]
    search_fields = ["order__number"]


@admin.register(OrderRevision)
class OrderRevisionAdmin(ReadOnlyAdmin):
    list_display = ["order", "number", "replaced_by", "replaced_at", "reason", "confirmed_by"]
    search_fields = ["order__number", "reason"]


@admin.register(DealerCharge)
class DealerChargeAdmin(ReadOnlyAdmin):
    list_display = ["dealer", "order", "kind", "amount", "recorded_at", "offset_against"]
    list_filter = ["kind"]
    search_fields = ["dealer__name", "order__number"]


@admin.register(DealerLedgerEntry)
class DealerLedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["dealer", "recorded_at", "kind", "order", "amount", "recorded_by"]
    list_filter = ["kind"]
    search_fields = ["dealer__name", "order__number", "reference"]


@admin.register(PayerCredit)
class PayerCreditAdmin(ReadOnlyAdmin):
    list_display = ["customer", "order", "amount", "recorded_by", "recorded_at"]
    search_fields = ["customer__name", "order__number"]


@admin.register(GoodsReturn)
class GoodsReturnAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "reason", "requested_by", "received_at", "note_made_at"]
    list_filter = ["kind"]
    search_fields = ["order__number", "reason"]


@admin.register(ReturnRefund)
class ReturnRefundAdmin(ReadOnlyAdmin):
    list_display = ["goods_return", "way", "amount", "customer", "recorded_by", "signed_at"]
    list_filter = ["way"]
    search_fields = ["goods_return__order__number", "customer__name"]


@admin.register(ReturnLine)
class ReturnLineAdmin(ReadOnlyAdmin):
    list_display = ["goods_return", "position", "product", "quantity", "unit_price", "amount"]
    search_fields = ["goods_return__order__number", "product__sku"]


@admin.register(OrderImport)
class OrderImportAdmin(ReadOnlyAdmin):
    list_display = ["file_name", "layout", "status", "rows_total", "created_by", "created_at"]
    list_filter = ["status", "layout"]
    exclude = ["content"]


@admin.register(DailyCounter)
class DailyCounterAdmin(ReadOnlyAdmin):
    list_display = ["day", "last"]


class ChannelRouteForm(forms.ModelForm):
    route = forms.ChoiceField(choices=[(code, route.label) for code, route in ROUTES.items()])

    class Meta:
        model = ChannelRoute
        fields = ["channel", "with_installation", "payment_terms", "route"]


@admin.register(ChannelRoute)
class ChannelRouteAdmin(AuditedModelAdmin):
    form = ChannelRouteForm
    list_display = ["channel", "with_installation", "payment_terms", "route"]


@admin.register(Effect)
class EffectAdmin(ReadOnlyAdmin):
    """The reactions to steps (orders/effects.py): failing ones with their error, to retry."""

    list_display = ["order", "action", "step_log", "state", "attempts", "due_at", "error"]
    list_filter = ["state", "action"]
    search_fields = ["order__number", "action", "last_error"]
    readonly_fields = [field.name for field in Effect._meta.fields]
    actions = ["retry"]

    @admin.display(description=_("last error"))
    def error(self, effect: Effect) -> str:
        lines = effect.last_error.strip().splitlines()
        return lines[-1] if lines else ""

    @admin.action(description=_("Retry the selected effects now"))
    def retry(self, request: HttpRequest, queryset: QuerySet[Effect]) -> None:
        count = effects_retry(actor=request.user, effects=queryset)
        message = ngettext(
            "%(count)d effect will run again now.", "%(count)d effects will run again now.", count
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)
