from __future__ import annotations

from decimal import Decimal

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.core.uploads import UploadField
from gendan.core.widgets import SearchSelect
from gendan.orders.models import DealerCharge, Order, PaymentMethod, VerificationItem
from gendan.orders.services.registration import LineInput
from gendan.orders.services.verification import ADDITION_FIELDS, CHANGEABLE_FIELDS
from gendan.parties.models import Contract, CustomerKind
from gendan.parties.phones import landline_normalize, mobile_normalize
from gendan.parties.selectors import customer_visible

ORDER_FIELDS = [
    "customer", "end_customer", "contract", "needs_installation", "self_pickup", "is_special",
    "payment_method", "payment_terms", "payment_due", "expected_delivery_on",
    "expected_install_on", "contact_name", "contact_phone", "province", "city", "district",
    "street", "building", "floor", "other_requests", "dealer_deposit", "paid_to_dealer_by_card",
    "retention_amount", "retention_due", "retention_signed_by", "original_document",
]  # fmt: skip
ZERO_WHEN_EMPTY = ("dealer_deposit", "retention_amount")
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHONE_INVALID = _("Enter a mainland mobile (13812345678) or a landline with its area code.")
# A record's number as a form posts it: a larger one cannot exist.
RECORD_ID = {"min_value": 1, "max_value": 2**63 - 1}


def contact_phone_clean(value: str) -> str:
    """An order's contact phone is checked as a customer's is: a mobile or a landline."""
    if not value:
        return value
    for normalize in (mobile_normalize, landline_normalize):
        try:
            return normalize(value)
        except forms.ValidationError:
            continue
    raise forms.ValidationError(PHONE_INVALID, code="phone")


class OrderForm(forms.ModelForm):
    """What intake writes down (O-1, O-41, O-57); the route and number follow from it."""

    class Meta:
        model = Order
        fields = ORDER_FIELDS
        widgets = {
            "payment_due": DATE,
            "expected_delivery_on": DATE,
            "expected_install_on": DATE,
            "retention_due": DATE,
            "other_requests": forms.Textarea(attrs={"rows": 3}),
        }
        # O-1: a scan or photo, told from its content; the form says the types and the limit.
        field_classes = {"original_document": UploadField}

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        visible = customer_visible(user)
        self.customers_searched(partner_user=user.partner_id is not None)
        self.fields["customer"].queryset = visible.exclude(kind=CustomerKind.HOMEOWNER)
        self.fields["end_customer"].queryset = visible.filter(kind=CustomerKind.HOMEOWNER)
        self.fields["contract"].queryset = Contract.objects.filter(customer__in=visible)
        if user.partner_id is not None:
            self.fields["customer"].queryset = visible.filter(pk=user.partner_id)
            self.fields["customer"].empty_label = None
        for name in ZERO_WHEN_EMPTY:
            self.fields[name].required = False

    def customers_searched(self, *, partner_user: bool) -> None:
        """Customers and homeowners are searched as one types, never all listed (issue 12);
        a partner's user orders for the partner, its one choice."""
        search = reverse("api:customers_search")
        if not partner_user:
            self.fields["customer"].widget = SearchSelect(search_url=search)
        self.fields["end_customer"].widget = SearchSelect(
            search_url=f"{search}?homeowners=true", filter_by="customer"
        )

    def clean_contact_phone(self) -> str:
        return contact_phone_clean(self.cleaned_data["contact_phone"])

    def clean(self) -> dict[str, object]:
        data = super().clean()
        for name in ZERO_WHEN_EMPTY:
            if data.get(name) is None:
                data[name] = Decimal("0")
        return data


class OrderLineForm(forms.Form):
    product = forms.ModelChoiceField(Product.objects.filter(is_active=True), label=_("Product"))
    colour_code = forms.CharField(label=_("Colour code"), max_length=20, required=False)
    # The columns' sizes (GoodsLine): a quantity of 1e30 is refused here, not by the database.
    quantity = forms.DecimalField(
        label=_("Quantity"), min_value=0.001, max_digits=12, decimal_places=3
    )
    unit_price = forms.DecimalField(
        label=_("Unit price (CNY)"), min_value=0, max_digits=12, decimal_places=2,
        required=False, help_text=_("Empty: the price list's price for this customer."),
    )  # fmt: skip
    end_price = forms.DecimalField(
        label=_("Dealer's price to the homeowner (CNY)"), min_value=0, max_digits=12,
        decimal_places=2, required=False, help_text=_("For the profit note (O-11)."),
    )  # fmt: skip

    def line(self) -> LineInput:
        data = self.cleaned_data
        return LineInput(
            product=data["product"], quantity=data["quantity"], unit_price=data["unit_price"],
            colour_code=data["colour_code"], end_price=data["end_price"],
        )  # fmt: skip


OrderLineFormSet = forms.formset_factory(OrderLineForm, extra=3, min_num=1, validate_min=True)


class StepForm(forms.Form):
    """The note beside a signature; the step's own record comes from ``records``."""

    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SendBackForm(forms.Form):
    """O-15: why the dealer sends the profit note back to the clerk (shown on the order)."""

    # The service refuses a blank reason, with its own message (send_back.REASON_REQUIRED).
    reason = forms.CharField(
        label=_("Why it goes back"), max_length=500, required=False,
        widget=forms.Textarea(attrs={"rows": 2, "required": True}),
    )  # fmt: skip


class ChecksForm(forms.Form):
    items = forms.MultipleChoiceField(
        label=_("Confirmed"), choices=VerificationItem.choices, widget=forms.CheckboxSelectMultiple
    )


class ReceiptForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount (CNY)"), min_value=0.01, max_digits=14, decimal_places=2
    )
    # Credit is not money received (the service refuses it too): not offered.
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[(v, label) for v, label in PaymentMethod.choices if v != PaymentMethod.CREDIT],
    )
    is_install_fee = forms.BooleanField(label=_("Installation fee"), required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)
    # Finance only (the service refuses others): money beyond what is owed kept for the payer.
    excess_as_credit = forms.BooleanField(
        label=_("Record the excess as the payer's credit"), required=False
    )


class DealerSettlementForm(forms.Form):
    """Finance pays a dealer what its statement owes it."""

    amount = forms.DecimalField(
        label=_("Amount (CNY)"), min_value=0.01, max_digits=14, decimal_places=2
    )
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[(v, label) for v, label in PaymentMethod.choices if v != PaymentMethod.CREDIT],
    )
    reference = forms.CharField(label=_("Reference"), max_length=60, required=False)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


TOLD_WHOM = _("Told whom (customer, promoter or dealer)")


class ReceiptConfirmationForm(forms.Form):
    confirmed_to = forms.CharField(
        label=TOLD_WHOM, max_length=60, widget=forms.TextInput(attrs={"placeholder": TOLD_WHOM})
    )


class OrderChangeForm(forms.ModelForm):
    """O-7: what a change may touch; the lines are given anew."""

    reason = forms.CharField(label=_("What changed and why"), max_length=200)

    class Meta:
        model = Order
        fields = list(CHANGEABLE_FIELDS)
        widgets = {
            "payment_due": DATE,
            "expected_delivery_on": DATE,
            "expected_install_on": DATE,
            "other_requests": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_contact_phone(self) -> str:
        return contact_phone_clean(self.cleaned_data["contact_phone"])


class NoteForm(forms.Form):
    """One line of text: a referral, its answer, an addition, who confirmed."""

    text = forms.CharField(label=_("Text"), max_length=200)


class AdditionForm(forms.Form):
    """O-7: what verification found missing, written onto the order: the fields ``missing``
    (by default every field an addition fills), and a line for anything else."""

    text = forms.CharField(label=_("Anything else found"), max_length=200, required=False)

    def __init__(self, *args: object, missing: list[str] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        chosen = list(ADDITION_FIELDS) if missing is None else missing
        dates = ("payment_due", "expected_delivery_on", "expected_install_on")
        fields = forms.fields_for_model(Order, fields=chosen, widgets=dict.fromkeys(dates, DATE))
        self.fields = {**fields, "text": self.fields["text"]}

    def clean_contact_phone(self) -> str:
        return contact_phone_clean(self.cleaned_data["contact_phone"])

    def additions(self) -> dict[str, object]:
        """The fields filled in, for order_addition_write."""
        return {name: value for name, value in self.cleaned_data.items() if name != "text"}


class DealerChargeForm(forms.ModelForm):
    class Meta:
        model = DealerCharge
        fields = ["kind", "amount", "note"]


class DealerAccountForm(forms.Form):
    """The records a dealer-account action names: the order charged, or the open charge and
    the order whose profit it is taken from."""

    order = forms.IntegerField(label=_("Order"), required=False, **RECORD_ID)
    charge = forms.IntegerField(label=_("Charge"), required=False, **RECORD_ID)
    against = forms.IntegerField(label=_("Taken from order"), required=False, **RECORD_ID)
