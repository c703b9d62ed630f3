from django.contrib import admin
from django.forms.models import BaseInlineFormSet

from gendan.audit.admin import AuditedModelAdmin, ReadOnlyAdmin
from gendan.parties.models import Address, Contact, Contract, Customer, PaymentStage, Store
from gendan.parties.services import payment_stages_check


class ContactInline(admin.TabularInline):
    model = Contact
    extra = 0


class AddressInline(admin.StackedInline):
    model = Address
    extra = 0


class StoreInline(admin.StackedInline):
    model = Store
    extra = 0


@admin.register(Customer)
class CustomerAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "mobile", "landline", "via", "is_active"]
    list_filter = ["kind", "platform", "is_active"]
    search_fields = ["name", "mobile", "landline", "platform_id", "nickname"]
    autocomplete_fields = ["via", "via_store"]
    inlines = [ContactInline, AddressInline, StoreInline]


@admin.register(Store)
class StoreAdmin(AuditedModelAdmin):
    list_display = ["name", "customer", "city", "district"]
    search_fields = ["name", "customer__name", "city"]
    autocomplete_fields = ["customer"]


@admin.register(Contact)
class ContactAdmin(AuditedModelAdmin):
    list_display = ["name", "customer", "title", "mobile", "landline"]
    search_fields = ["name", "mobile", "customer__name"]
    autocomplete_fields = ["customer"]


@admin.register(Address)
class AddressAdmin(AuditedModelAdmin):
    list_display = ["customer", "province", "city", "district", "street", "floor"]
    search_fields = ["customer__name", "city", "street", "building"]
    autocomplete_fields = ["customer"]


class PaymentStageFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        kept = [
            f.cleaned_data
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if kept:
            payment_stages_check([data["percent"] for data in kept if data.get("percent")])


class PaymentStageInline(admin.TabularInline):
    model = PaymentStage
    formset = PaymentStageFormSet
    extra = 0


@admin.register(Contract)
class ContractAdmin(AuditedModelAdmin):
    list_display = ["number", "title", "customer", "signed_on", "amount"]
    search_fields = ["number", "title", "customer__name"]
    autocomplete_fields = ["customer"]
    inlines = [PaymentStageInline]


@admin.register(PaymentStage)
class PaymentStageAdmin(ReadOnlyAdmin):
    """Read-only here: stages are edited with their contract, where they must add up to 100%."""

    list_display = ["contract", "sequence", "name", "percent", "due_on", "is_retention"]
    search_fields = ["contract__number", "name"]
