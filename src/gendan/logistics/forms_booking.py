"""The booking form (O-41, O-42): a day, or a window up to its last day; the rules themselves
(the window's length, the full day, the installation) are the service's (services/booking.py)."""

from __future__ import annotations

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from gendan.logistics.models import Booking

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


FIELDS = [
    "first_day", "last_day", "window_start", "window_end", "told_to", "call_promised",
    "with_installers", "note",
]  # fmt: skip
LABELS = {
    "first_day": _("Delivery day (a window's first day)"),
    "last_day": _("Window until (3 to 5 days; empty: that day only)"),
}
WIDGETS = {"first_day": DATE, "last_day": DATE, "window_start": TIME, "window_end": TIME}


class BookingForm(forms.Form):
    """The booking's fields as the model has them (labels, lengths), not bound to a booking."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Booking, FIELDS, labels=LABELS, widgets=WIDGETS))
        self.fields["last_day"].required = False
