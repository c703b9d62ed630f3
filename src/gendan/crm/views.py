import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from gendan.crm.forms import CareForm
from gendan.crm.models import Care, Figures
from gendan.crm.selectors import (
    crm_customers,
    dashboard,
    group_get,
    group_people,
    sources_report,
)
from gendan.crm.services import customer_care_set
from gendan.parties.selectors import customer_get
from gendan.web.decorators import permission
from gendan.web.listing import list_params, page_of


@permission("crm.view_figures")
def dashboard_view(request: HttpRequest) -> HttpResponse:
    """E-1, E-2: the four figures, returning and sleeping, each opening its people."""
    groups = dashboard()
    charts = {group.key: group.trends for group in groups}
    return render(request, "crm/dashboard.html", {"groups": groups, "charts": charts})


@permission("crm.view_figures")
def people(request: HttpRequest, group: str) -> HttpResponse:
    found = group_get(group)
    if found is None:
        raise Http404
    context = {"group": found, "page": page_of(request, group_people(found))}
    return render(request, "crm/people.html", context)


@permission("crm.view_figures")
def customers(request: HttpRequest) -> HttpResponse:
    """E-3: buyers, non-buyers and others; search, filters on the figures, sort, pages."""
    params = list_params(
        request, "q", "segment", "source", "min_purchases", "min_amount", "since", "o"
    )
    rows = crm_customers(
        search=params["q"], segment=params["segment"], source=params["source"],
        min_purchases=int(params["min_purchases"]) if params["min_purchases"].isdigit() else None,
        min_amount=decimal_or_none(params["min_amount"]),
        bought_since=date_or_none(params["since"]), order=params["o"],
    )  # fmt: skip
    context = {"page": page_of(request, rows), "params": params, "sources": sources_report()}
    return render(request, "crm/customers.html", context)


def decimal_or_none(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except ArithmeticError:
        return None


def date_or_none(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None


@permission("crm.view_figures")
def care(request: HttpRequest, pk: int) -> HttpResponse:
    """E-3, E-5: a customer's figures, and what staff set by hand."""
    customer = customer_get(user=request.user, pk=pk)
    current = Care.objects.filter(customer=customer).first() or Care(customer=customer)
    form = CareForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        customer_care_set(actor=request.user, customer=customer, fields=form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("crm-care", pk=customer.pk)
    figures = Figures.objects.filter(customer=customer).first()
    context = {"customer": customer, "figures": figures, "form": form}
    return render(request, "crm/care.html", context)
