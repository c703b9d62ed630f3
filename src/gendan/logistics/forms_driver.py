"""The driver's forms at a drop: delivered (O-21, O-22) and failed (O-44). They read what the
phone sends; the rules (a signature drawn, a supermarket's document, whose fault) are the
services' (services/driver.py), so the pages and the API refuse the same."""

from __future__ import annotations

import base64
import binascii

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.uploads import IMAGE_TYPES, UploadField
from gendan.logistics.models import FailedDelivery, Fault
from gendan.logistics.services.driver import SIGNATURE_NOT_PNG

PNG_DATA_URL = "data:image/png;base64,"
# A drawn signature is tens of kB; past this it is not one (Django also caps a form's size).
SIGNATURE_MAX_CHARS = 2_000_000


def photo_field(label: object) -> UploadField:
    """A photo taken there and then: the phone's camera opens directly (capture)."""
    field = UploadField(label=label, types=IMAGE_TYPES, required=False)
    field.widget.attrs.update({"accept": "image/*", "capture": "environment"})
    return field


class DeliverForm(forms.Form):
    received_by = forms.CharField(label=_("Received and signed by"), max_length=60)
    # The signature pad's drawing as a PNG data URL, written by driver.js on submit.
    signature = forms.CharField(
        required=False, widget=forms.HiddenInput(attrs={"data-signature-value": ""})
    )
    receiving_document = forms.CharField(
        label=_("The supermarket's receiving document number"), max_length=60, required=False
    )
    collected = forms.DecimalField(
        label=_("Cash collected (CNY)"), min_value=0, max_digits=12, decimal_places=2,
        required=False, widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}),
    )  # fmt: skip
    photo = photo_field(_("Photo of the signed note"))

    def clean_signature(self) -> bytes:
        """The PNG's bytes; empty when nothing was drawn (the service says it is needed)."""
        value = self.cleaned_data.get("signature", "")
        if not value:
            return b""
        if not value.startswith(PNG_DATA_URL) or len(value) > SIGNATURE_MAX_CHARS:
            raise forms.ValidationError(SIGNATURE_NOT_PNG)
        try:
            return base64.b64decode(value[len(PNG_DATA_URL) :], validate=True)
        except (binascii.Error, ValueError) as error:
            raise forms.ValidationError(SIGNATURE_NOT_PNG) from error


class FailForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why it failed"), choices=[("", "—"), *FailedDelivery.Reason.choices]
    )
    detail = forms.CharField(
        label=_("What happened"), max_length=300, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )  # fmt: skip
    fault = forms.ChoiceField(
        label=_("Whose fault"), choices=[("", "—"), *Fault.choices],
        help_text=_("O-44: the side at fault pays at least half the redelivery's freight."),
    )  # fmt: skip
    photo = photo_field(_("Photo"))
    confirm = forms.BooleanField(
        label=_("The goods stay on the truck and go back to the warehouse."),
        error_messages={"required": _("Confirm that this delivery failed.")},
    )
