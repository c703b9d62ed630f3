from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.crm.models import Care, RfmTemplate


class CareForm(forms.ModelForm):
    class Meta:
        model = Care
        fields = ["source", "note", "no_discount"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class RfmForm(forms.Form):
    """E-8: a template's limits, edited as twelve numbers and two day counts."""

    recency_1 = forms.IntegerField(label=_("R5: bought within (days)"), min_value=1)
    recency_2 = forms.IntegerField(label=_("R4: within"), min_value=1)
    recency_3 = forms.IntegerField(label=_("R3: within"), min_value=1)
    recency_4 = forms.IntegerField(label=_("R2: within"), min_value=1)
    frequency_1 = forms.IntegerField(label=_("F2: at least (purchases)"), min_value=1)
    frequency_2 = forms.IntegerField(label=_("F3: at least"), min_value=1)
    frequency_3 = forms.IntegerField(label=_("F4: at least"), min_value=1)
    frequency_4 = forms.IntegerField(label=_("F5: at least"), min_value=1)
    monetary_1 = forms.DecimalField(label=_("M2: at least (CNY)"), min_value=0, decimal_places=2)
    monetary_2 = forms.DecimalField(label=_("M3: at least"), min_value=0, decimal_places=2)
    monetary_3 = forms.DecimalField(label=_("M4: at least"), min_value=0, decimal_places=2)
    monetary_4 = forms.DecimalField(label=_("M5: at least"), min_value=0, decimal_places=2)
    active_days = forms.IntegerField(label=_("Active if bought within (days)"), min_value=1)
    lost_days = forms.IntegerField(label=_("Lost if not bought for (days)"), min_value=1)

    MEASURES = ("recency", "frequency", "monetary")

    @classmethod
    def initial_from(cls, template: RfmTemplate) -> dict[str, object]:
        initial = {"active_days": template.active_days, "lost_days": template.lost_days}
        for measure in cls.MEASURES:
            for number, value in enumerate(getattr(template, measure), start=1):
                initial[f"{measure}_{number}"] = value
        return initial

    def fields_of_template(self) -> dict[str, object]:
        """The cleaned values as RfmTemplate fields."""
        data = self.cleaned_data
        values = {
            measure: [data[f"{measure}_{n}"] for n in range(1, 5)] for measure in self.MEASURES
        }
        values["monetary"] = [str(value) for value in values["monetary"]]
        return {**values, "active_days": data["active_days"], "lost_days": data["lost_days"]}
