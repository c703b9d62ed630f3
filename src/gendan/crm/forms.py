from django import forms

from gendan.crm.models import Care


class CareForm(forms.ModelForm):
    class Meta:
        model = Care
        fields = ["source", "note", "no_discount"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
