import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.crm.forms import CareForm
from gendan.crm.models import TAG_LIMIT, Care, Figures, Tag
from gendan.crm.selectors import (
    crm_customers,
    dashboard,
    group_get,
    group_people,
    sources_report,
)
from gendan.crm.services import customer_care_set, tag_add, tag_create
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
    context = {
        "group": found,
        "page": page_of(request, group_people(found)),
        "tags": Tag.objects.all(),
    }
    return render(request, "crm/people.html", context)


@permission("crm.view_figures")
def customers(request: HttpRequest) -> HttpResponse:
    """E-3: buyers, non-buyers and others; search, filters on the figures, sort, pages."""
    params = list_params(request, *LIST_FILTERS, "o")
    rows = crm_customers(**customer_filters(params), order=params["o"])
    context = {
        "page": page_of(request, rows),
        "params": params,
        "sources": sources_report(),
        "tags": Tag.objects.all(),
    }
    return render(request, "crm/customers.html", context)


LIST_FILTERS = ("q", "segment", "source", "min_purchases", "min_amount", "since")


def customer_filters(params: dict[str, str]) -> dict[str, object]:
    """The list page's filters as crm_customers takes them; what does not parse is ignored."""
    return {
        "search": params["q"],
        "segment": params["segment"],
        "source": params["source"],
        "min_purchases": int(params["min_purchases"])
        if params["min_purchases"].isdigit()
        else None,
        "min_amount": decimal_or_none(params["min_amount"]),
        "bought_since": date_or_none(params["since"]),
    }


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


@permission("crm.view_figures")
def tags(request: HttpRequest) -> HttpResponse:
    """E-4: the shop's tags with their people; a manual tag is made here by name."""
    if request.method == "POST":
        try:
            tag_create(actor=request.user, name=request.POST.get("name", "").strip())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("crm-tags")
    rows = Tag.objects.annotate(people=Count("members")).order_by("name")
    return render(request, "crm/tags.html", {"tags": rows, "limit": TAG_LIMIT})


@permission("crm.view_figures")
@require_POST
def tag_list_add(request: HttpRequest) -> HttpResponse:
    """E-5: everyone in a filtered list (or a dashboard group) gets a tag, in one click."""
    tag = get_object_or_404(Tag, pk=request.POST.get("tag"))
    group = group_get(request.POST.get("group", ""))
    if group is not None:
        rows = group_people(group)
    else:
        params = {key: request.POST.get(key, "") for key in LIST_FILTERS}
        rows = crm_customers(**customer_filters(params))
    count = tag_add(
        actor=request.user, tag=tag, customer_ids=list(rows.values_list("customer_id", flat=True))
    )
    messages.success(
        request, _("%(count)s people tagged “%(tag)s”.") % {"count": count, "tag": tag}
    )
    return redirect(request.POST.get("next") or "crm-tags")
