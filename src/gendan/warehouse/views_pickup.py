"""O-61, urgent self-pickup, on the order page: each line's stock by batch before the delivery
note (an htmx partial), and the customer's choice of a substitute, asked to be confirmed on a
page of its own before it changes the order."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from gendan.accounts.models import User
from gendan.catalog.models import Product
from gendan.core.decorators import permission
from gendan.orders.models import Order
from gendan.orders.selectors import order_get, order_settlement_visible
from gendan.orders.services.verification import verifier_may
from gendan.warehouse.selectors_pickup import order_is_urgent, order_pickup, order_substitutions
from gendan.warehouse.services.pickup import substitution_check, substitution_choose

CHOSEN = _("O-61: %(who)s takes %(product)s instead of %(line)s; confirm the checks again.")


class SubstitutionForm(forms.Form):
    """The customer's choice: which line, which product instead, who chose, a note. The line
    must be one of this order's; the service checks the product is a substitute proposed."""

    line = forms.ModelChoiceField(queryset=None, label=_("Line"))
    substitute = forms.ModelChoiceField(
        queryset=Product.objects.filter(stocked=True, is_active=True), label=_("Instead")
    )
    chosen_by = forms.CharField(max_length=60, label=_("Chosen by (customer)"))
    note = forms.CharField(max_length=200, required=False, label=_("Note"))

    def __init__(self, *args: object, order: Order, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["line"].queryset = order.lines.select_related("product")


def may_choose(user: User, order: Order) -> bool:
    """Who records the choice: the clerk, who changes the order as its verifier (O-7)."""
    return user.has_perm("warehouse.add_substitution") and verifier_may(user, order)


@permission("warehouse.view_batch")
def pickup_panel(request: HttpRequest, pk: int) -> HttpResponse:
    """The order page asks for this part on a self-pickup: empty once the note is made."""
    order = order_get(user=request.user, pk=pk)
    context = {
        "order": order,
        "rows": order_pickup(order),
        "urgent": order_is_urgent(order),
        "prices_shown": order_settlement_visible(request.user, order),
        "may_choose": may_choose(request.user, order),
        "substitutions": order_substitutions(order),
    }
    return render(request, "warehouse/pickup_panel.html", context)


@permission("warehouse.add_substitution")
@require_POST
def pickup_substitution(request: HttpRequest, pk: int) -> HttpResponse:
    """First post: the confirmation page; confirmed: the choice recorded. Refused, the order
    page says why and nothing changes."""
    order = order_get(user=request.user, pk=pk)
    back = reverse("order-detail", args=[order.pk])
    form = SubstitutionForm(request.POST, order=order)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect(back)
    data = form.cleaned_data
    if request.POST.get("confirmed") != "yes":
        return substitution_confirm_page(request, order, form)
    try:
        substitution_choose(actor=request.user, order=order, **data)
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect(back)
    names = {"who": data["chosen_by"], "product": data["substitute"], "line": data["line"].product}
    messages.success(request, CHOSEN % names)
    return redirect(back)


def substitution_confirm_page(
    request: HttpRequest, order: Order, form: SubstitutionForm
) -> HttpResponse:
    """What the choice changes, to confirm; a choice the service would refuse is refused here
    already, with its words."""
    data = form.cleaned_data
    try:
        proposed = substitution_check(order, data["line"], data["substitute"], data["chosen_by"])
    except ValidationError as refused:
        messages.error(request, " ".join(refused.messages))
        return redirect("order-detail", pk=order.pk)
    context = {
        "order": order,
        "data": data,
        "proposed": proposed,
        "prices_shown": order_settlement_visible(request.user, order),
    }
    return render(request, "warehouse/pickup_confirm.html", context)
