"""O-58 on the order page, for the clerk: what each product would get from the warehouse (an
htmx partial inside the warehouse part), and the customer's agreement to a split over
batches, asked to be confirmed on a page of its own before it is recorded."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.catalog.models import Product
from gendan.core.decorators import permission
from gendan.orders.models import Order
from gendan.orders.routes import DELIVERY_NOTE
from gendan.orders.selectors import order_get
from gendan.warehouse.selectors_shortfall import order_shortfalls
from gendan.warehouse.services.reservations import order_needs, split_agree

AGREED = _(
    "O-58: %(who)s agreed that %(product)s may come from more than one batch; the delivery "
    "note reserves it over the fewest batches."
)
AGREED_LATER = _("The customer cannot have agreed later than now.")


class SplitAgreementForm(forms.Form):
    """Who agreed (the customer's name), when (now if left out) and a note; the product must
    be one the order needs from stock."""

    product = forms.ModelChoiceField(queryset=Product.objects.none(), label=_("Product"))
    agreed_by = forms.CharField(max_length=60, label=_("Agreed by (customer)"))
    agreed_at = forms.DateTimeField(
        required=False, label=_("Agreed at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z"],
    )  # fmt: skip
    note = forms.CharField(max_length=200, required=False, label=_("Note"))

    def __init__(self, *args: object, order: Order, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(pk__in=order_needs(order))

    def clean_agreed_at(self):
        agreed_at = self.cleaned_data["agreed_at"]
        if agreed_at and agreed_at > timezone.now():
            raise ValidationError(AGREED_LATER)
        return agreed_at


@permission("warehouse.add_splitagreement")
def order_shortfalls_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """Each product of the order: held, the batch the note would reserve, or what is short."""
    order = order_get(user=request.user, pk=pk)
    context = {
        "order": order,
        "rows": order_shortfalls(order),
        "note_made": DELIVERY_NOTE.code in order.signed,
    }
    return render(request, "warehouse/order_shortfalls.html", context)


@permission("warehouse.add_splitagreement")
@require_POST
def split_agreement_record(request: HttpRequest, pk: int) -> HttpResponse:
    """First post: the confirmation page; confirmed: the agreement recorded. Refused, the
    order page says why and nothing is recorded."""
    order = order_get(user=request.user, pk=pk)
    back = reverse("order-detail", args=[order.pk]) + "#warehouse"
    form = SplitAgreementForm(request.POST, order=order)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    if request.POST.get("confirmed") != "yes":
        rows = [row for row in order_shortfalls(order) if row.product == data["product"]]
        context = {"order": order, "data": data, "row": rows[0] if rows else None}
        return render(request, "warehouse/split_confirm.html", context)
    try:
        split_agree(actor=request.user, order=order, **data)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(back)
    messages.success(request, AGREED % {"who": data["agreed_by"], "product": data["product"]})
    return redirect(back)
