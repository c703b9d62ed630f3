"""The outside carriers' forms (O-23): a carrier; a shipment booked for an order given by its
number; a status change; a paper taken in; the freight paid. The API checks with the same."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.logistics.models import Carrier, CarrierStatus
from gendan.logistics.selectors_carriers import PAPERS
from gendan.orders.models import Order

NO_SUCH_ORDER = _("No order numbered %(number)s.")


class CarrierForm(forms.ModelForm):
    class Meta:
        model = Carrier
        fields = ["name", "phone", "contact", "is_active"]


class ShipmentBookForm(forms.Form):
    order = forms.CharField(label=_("Order number"), max_length=20)
    carrier = forms.ModelChoiceField(
        label=_("Carrier"), queryset=Carrier.objects.filter(is_active=True)
    )
    waybill = forms.CharField(label=_("Waybill number"), max_length=40)
    freight = forms.DecimalField(
        label=_("Freight (CNY)"), min_value=Decimal("0"), max_digits=10, decimal_places=2
    )
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def clean_order(self) -> Order:
        number = self.cleaned_data["order"].strip()
        order = Order.objects.filter(number=number).first()
        if order is None:
            raise forms.ValidationError(NO_SUCH_ORDER % {"number": number})
        return order


class ShipmentStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CarrierStatus.choices)
    note = forms.CharField(label=_("What the carrier said"), max_length=200, required=False)


class PaperForm(forms.Form):
    paper = forms.ChoiceField(label=_("Paper"), choices=list(PAPERS.items()))
    signed_by = forms.CharField(label=_("Received and signed by"), max_length=60, required=False)
    receiving_document = forms.CharField(
        label=_("Supermarket's receiving document number"), max_length=60, required=False
    )


class FreightPayForm(forms.Form):
    reference = forms.CharField(label=_("Paid as (transfer reference)"), max_length=100)
