"""The fleet's forms: a truck, a driver, a district's zone. The rules themselves (the plate,
the driver role, the working day) are the services' (services/fleet.py)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.logistics.models import Driver, Truck, ZoneKind
from gendan.logistics.selectors_fleet import driver_users
from gendan.logistics.services.fleet import DRIVER_FIELDS, TRUCK_FIELDS


class TruckForm(forms.ModelForm):
    class Meta:
        model = Truck
        fields = TRUCK_FIELDS
        widgets = {"plate": forms.TextInput(attrs={"placeholder": "粤B·12345"})}

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # The plate's format is checked by the service, with a message that says what it wants.
        self.fields["plate"].required = False
        working = Q(is_active=True) | Q(pk=self.instance.driver_id or 0)
        self.fields["driver"].queryset = Driver.objects.select_related("user").filter(working)
        self.fields["driver"].empty_label = _("No driver yet")


class DriverForm(forms.ModelForm):
    """Any user may be sent (the service says why another user cannot drive); the choices
    offered are the users holding the driver role who are no driver yet."""

    class Meta:
        model = Driver
        fields = DRIVER_FIELDS
        widgets = {
            "shift_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "shift_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["user"]
        field.queryset = User.objects.all()
        keep = self.instance.user if self.instance.user_id else None
        field.widget.choices = [("", "---------")] + [
            (user.pk, f"{user.display_name} ({user.username})") for user in driver_users(keep=keep)
        ]


class ZoneForm(forms.Form):
    city = forms.CharField(label=_("city"), max_length=30, required=False)
    district = forms.CharField(label=_("district"), max_length=30, required=False)
    kind = forms.ChoiceField(label=_("zone"), choices=ZoneKind.choices, required=False)
