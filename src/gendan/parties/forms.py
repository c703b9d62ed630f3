from __future__ import annotations

from django import forms

from gendan.accounts.models import User
from gendan.parties.models import Address, Contact, Customer, CustomerKind, Store
from gendan.parties.selectors import partner_choices
from gendan.parties.services import CUSTOMER_FIELDS, ChildChange

ADDRESS_FIELDS = [
    "label", "province", "city", "district", "street", "building", "floor",
    "latitude", "longitude", "is_default",
]  # fmt: skip


class CustomerForm(forms.ModelForm):
    """Customer fields; a partner's user picks neither channel nor partner."""

    class Meta:
        model = Customer
        fields = CUSTOMER_FIELDS
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        partners = partner_choices(user)
        self.fields["via"].queryset = partners
        self.fields["via_store"].queryset = Store.objects.filter(customer__in=partners)
        if user.partner_id is not None:
            # A partner's user records their own homeowners: one channel, one partner.
            self.fields["kind"].choices = [(CustomerKind.HOMEOWNER, CustomerKind.HOMEOWNER.label)]
            self.fields["via"].required = True
            self.fields["via"].empty_label = None


def customer_new_for(user: User) -> Customer:
    """A blank customer as this user starts one: a partner's users start their own homeowner."""
    if user.partner_id is None:
        return Customer()
    return Customer(kind=CustomerKind.HOMEOWNER, via=user.partner)


class ContactForm(forms.ModelForm):
    class Meta:
        model = Contact
        fields = ["name", "title", "mobile", "landline", "is_primary"]


class AddressForm(forms.ModelForm):
    class Meta:
        model = Address
        fields = ADDRESS_FIELDS


ContactFormSet = forms.inlineformset_factory(
    Customer, Contact, form=ContactForm, extra=1, can_delete=True
)
AddressFormSet = forms.inlineformset_factory(
    Customer, Address, form=AddressForm, extra=1, can_delete=True
)


def formset_changes(formset: forms.BaseInlineFormSet) -> list[ChildChange]:
    """The rows a user added, changed or marked for deletion, for the service to apply."""
    changes = []
    for form in formset.forms:
        if not form.has_changed():
            continue
        instance = form.instance if form.instance.pk else None
        deleted = bool(form.cleaned_data.get("DELETE"))
        names = [name for name in form._meta.fields if name != formset.fk.name]
        fields = {name: form.cleaned_data[name] for name in names}
        changes.append(ChildChange(instance=instance, fields=fields, delete=deleted))
    return changes
