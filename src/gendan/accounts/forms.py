from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import ApiToken


class ApiTokenForm(forms.ModelForm):
    class Meta:
        model = ApiToken
        fields = ["name"]
        help_texts = {"name": _("What the token is for, e.g. the shop's order script.")}
