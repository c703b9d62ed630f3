import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.catalog.models import Category
from gendan.crm.forms import CareForm, RfmForm
from gendan.crm.keeping import period_roll_due
from gendan.crm.models import TAG_LIMIT, Care, Figures, RfmTemplate, Tag
from gendan.crm.rfm import LABELS, rfm_grid, rfm_people, template_check, template_for
from gendan.crm.selectors import (
    crm_customers,
    dashboard,
    group_get,
    group_people,
    sources_report,
)
from gendan.crm.services import customer_care_set, rfm_template_save, tag_add, tag_create
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
        "title": found.label,
        "page": page_of(request, group_people(found)),
        "params": {"group": found.key},
        "tags": Tag.objects.all(),
        "back": reverse("crm-dashboard"),
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


def selection_rows(data) -> QuerySet[Figures]:
    """The people a bulk action is for: a dashboard group, an RFM cell or label, or the
    customer list with its filters, as the page that sent the action showed them."""
    group = group_get(data.get("group", ""))
    if group is not None:
        return group_people(group)
    if "rfm" in data:
        return rfm_people(template_for(category_param(data.get("rfm", ""))), **rfm_filters(data))
    params = {key: data.get(key, "") for key in LIST_FILTERS}
    return crm_customers(**customer_filters(params))


@permission("crm.change_tag")
@require_POST
def tag_list_add(request: HttpRequest) -> HttpResponse:
    """E-5: everyone in a filtered list (or a dashboard group) gets a tag, in one click."""
    tag = get_object_or_404(Tag, pk=request.POST.get("tag"))
    rows = selection_rows(request.POST)
    count = tag_add(
        actor=request.user, tag=tag, customer_ids=list(rows.values_list("customer_id", flat=True))
    )
    messages.success(
        request, _("%(count)s people tagged “%(tag)s”.") % {"count": count, "tag": tag}
    )
    return redirect(request.POST.get("next") or "crm-tags")


def category_param(text: str) -> str:
    return text if text in Category.values else ""


def rfm_filters(data) -> dict[str, object]:
    def score(name: str) -> int | None:
        value = data.get(name, "")
        return int(value) if value in {"1", "2", "3", "4", "5"} else None

    return {"r": score("r"), "f": score("f"), "m": score("m"), "label": data.get("label", "")}


@permission("crm.view_figures")
def rfm(request: HttpRequest) -> HttpResponse:
    """E-8: the R x F grid of a template with counts and amounts; the template edited beside
    it, with a preview of the grid before saving."""
    category = category_param(request.POST.get("category") or request.GET.get("category", ""))
    period_roll_due()  # a new day: the period's purchases are counted as of today
    template = template_for(category)
    if request.method == "POST":
        if not request.user.has_perm("crm.change_rfmtemplate"):
            raise PermissionDenied
        form = RfmForm(request.POST)
        if form.is_valid():
            try:
                rfm_template_save(
                    actor=request.user, category=category, fields=form.fields_of_template()
                )
            except ValidationError as error:
                rfm_errors_to_form(form, error)
            else:
                messages.success(request, _("Saved: every customer is labelled by it now."))
                return redirect(f"{request.path}?category={category}")
    else:
        form = RfmForm(initial=RfmForm.initial_from(template))
    context = {
        "form": form,
        "grid": rfm_grid(template),
        "template": template,
        "category": category,
        "categories": Category.choices,
        "labels": LABELS,
    }
    return render(request, "crm/rfm.html", context)


def rfm_errors_to_form(form: RfmForm, error: ValidationError) -> None:
    """The template's errors name a measure; the form shows them on its first limit."""
    for name, errors in error.message_dict.items():
        field_name = f"{name}_1" if f"{name}_1" in form.fields else name
        form.add_error(field_name if field_name in form.fields else None, errors)


@permission("crm.view_figures")
@require_POST
def rfm_preview(request: HttpRequest) -> HttpResponse:
    """The grid as the limits being edited would make it, nothing saved (htmx)."""
    form = RfmForm(request.POST)
    category = category_param(request.POST.get("category", ""))
    context = {"preview": True, "category": category, "labels": LABELS, "form": form}
    if form.is_valid():
        template = RfmTemplate(category=category, **form.fields_of_template())
        try:
            template_check(template)
        except ValidationError as error:
            rfm_errors_to_form(form, error)
        else:
            context["grid"] = rfm_grid(template)
    return render(request, "crm/rfm_grid.html", context)


@permission("crm.view_figures")
def rfm_people_view(request: HttpRequest) -> HttpResponse:
    """The people of an RFM cell, score or label (E-8: each label can be targeted)."""
    category = category_param(request.GET.get("category", ""))
    filters = rfm_filters(request.GET)
    rows = rfm_people(template_for(category), **filters)
    parts = [f"{key.upper()}{value}" for key, value in filters.items() if key != "label" and value]
    if filters["label"] in LABELS:
        parts.append(str(LABELS[filters["label"]]))
    title = _("RFM: %(cell)s") % {"cell": " ".join(parts) or _("all buyers")}
    params = {"rfm": category, **{k: v or "" for k, v in filters.items()}}
    context = {
        "title": title,
        "page": page_of(request, rows),
        "params": params,
        "tags": Tag.objects.all(),
        "back": reverse("crm-rfm") + (f"?category={category}" if category else ""),
    }
    return render(request, "crm/people.html", context)
