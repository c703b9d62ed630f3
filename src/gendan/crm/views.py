import datetime as dt
import json
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.catalog.models import Category
from gendan.core.decorators import permission
from gendan.core.listing import list_params, page_of
from gendan.crm.forms import CareForm, RfmForm
from gendan.crm.keeping import period_roll_due
from gendan.crm.models import (
    TAG_LIMIT,
    Care,
    ContactKind,
    Figures,
    Group,
    RfmTemplate,
    Tag,
)
from gendan.crm.profiles import POPULATIONS, profile
from gendan.crm.rfm import LABELS, rfm_grid, rfm_people, template_check, template_for
from gendan.crm.rules import FIELD_LABELS, JOINERS, rule_q, rule_text
from gendan.crm.selectors import (
    care_rule,
    crm_customers,
    dashboard,
    group_get,
    group_people,
    items_report,
    loyal_customers,
    sources_report,
)
from gendan.crm.services.customers import care_contact_record, care_rule_set, customer_care_set
from gendan.crm.services.segments import (
    group_add,
    group_create,
    group_delete,
    group_remove,
    rfm_template_save,
    tag_add,
    tag_create,
    tag_create_for,
    tag_delete,
    tag_move,
    tag_refresh,
    tag_remove,
    tag_rule_set,
)
from gendan.parties.selectors import customer_get


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
        **bulk_context({}),
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
        **bulk_context(params),
    }
    return render(request, "crm/customers.html", context)


def bulk_context(params: dict[str, str]) -> dict[str, object]:
    """What the bulk actions above a list of people need: the tags and groups to act with,
    and the tag or group the list is filtered by (people can be moved or taken out of it)."""
    tags = list(Tag.objects.all())
    current_tag = next((t for t in tags if str(t.pk) == params.get("tag")), None)
    groups = list(Group.objects.all())
    current_group = next((g for g in groups if str(g.pk) == params.get("group")), None)
    return {
        "tags": tags,
        "manual_tags": [tag for tag in tags if not tag.is_automatic],
        "groups": groups,
        "current_tag": current_tag,
        "current_group": current_group,
    }


LIST_FILTERS = ("q", "segment", "source", "min_purchases", "min_amount", "since", "tag", "group")


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
        "tag": int(params["tag"]) if params["tag"].isdigit() else None,
        "group": int(params["group"]) if params["group"].isdigit() else None,
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
    context = {
        "customer": customer, "figures": figures, "form": form,
        "contacts": customer.care_contacts.select_related("by")[:20],
        "kinds": ContactKind.choices,
    }  # fmt: skip
    return render(request, "crm/care.html", context)


@permission("crm.view_figures")
def tags(request: HttpRequest) -> HttpResponse:
    """E-4: the shop's tags with their people; a manual tag is made here by name."""
    if request.method == "POST":
        if not request.user.has_perm("crm.add_tag"):
            raise PermissionDenied
        try:
            tag_create(actor=request.user, name=request.POST.get("name", "").strip())
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        return redirect("crm-tags")
    rows = Tag.objects.order_by("name")
    for tag in rows:
        tag.rule_text = rule_text(tag.rule)
    groups = Group.objects.annotate(people=Count("members")).order_by("name")
    context = {"tags": rows, "limit": TAG_LIMIT, "groups": groups}
    return render(request, "crm/tags.html", context)


@permission("crm.add_tag")
def tag_rule(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """E-4: an automatic tag built in a page: conditions on purchases, amount, items, a time
    window and membership, combined with AND and OR, nested; a preview counts its people."""
    tag = get_object_or_404(Tag, pk=pk) if pk else None
    if tag is not None and not tag.is_automatic:
        raise Http404
    name = request.POST.get("name", tag.name if tag else "").strip()
    rule = tag.rule if tag else {"all": [{"field": "purchase_count", "op": ">=", "value": 2}]}
    errors: list[str] = []
    if request.method == "POST":
        try:
            rule = rule_from_post(request)
            if tag is None:
                tag = tag_create(actor=request.user, name=name, rule=rule)
            else:
                tag_rule_set(actor=request.user, tag=tag, name=name, rule=rule)
        except ValidationError as error:
            errors = error.messages
        else:
            # An automatic tag has no member rows: its people are its rule, counted when saved.
            messages.success(request, _("“%(tag)s” holds %(count)s people.") % {
                "tag": tag.name, "count": f"{tag.people:,}"})  # fmt: skip
            return redirect("crm-tags")
    context = {
        "tag": tag, "name": name, "rule": rule, "errors": errors,
        "fields": {key: str(label) for key, label in FIELD_LABELS.items()},
        "joiners": {key: str(label) for key, label in JOINERS.items()},
    }  # fmt: skip
    return render(request, "crm/tag_rule.html", context)


def rule_from_post(request: HttpRequest) -> dict:
    """The builder posts its rule as JSON; anything else is a clear error, not a crash."""
    try:
        rule = json.loads(request.POST.get("rule", ""))
    except ValueError:
        raise ValidationError(_("The rule could not be read; build it again.")) from None
    if not isinstance(rule, dict) or not rule:
        raise ValidationError(_("An automatic tag needs at least one condition."))
    return rule


@permission("crm.view_figures")
@require_POST
def tag_rule_preview(request: HttpRequest) -> HttpResponse:
    """How many customers the rule being built selects now, and how it reads."""
    try:
        rule = rule_from_post(request)
        count = Figures.objects.filter(rule_q(rule)).count()
    except ValidationError as error:
        return HttpResponse(" ".join(error.messages), status=422)
    text = _("%(count)s customers match: %(rule)s") % {"count": count, "rule": rule_text(rule)}
    return HttpResponse(text)


@permission("crm.change_tag")
@require_POST
def tag_refresh_view(request: HttpRequest, pk: int) -> HttpResponse:
    """E-4: evaluate an automatic tag now, over everyone."""
    tag = get_object_or_404(Tag, pk=pk)
    try:
        count = tag_refresh(actor=request.user, tag=tag)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(tag)s” holds %(count)s people.") % {
            "tag": tag.name, "count": count})  # fmt: skip
    return redirect("crm-tags")


@permission("crm.delete_tag")
@require_POST
def tag_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    tag = get_object_or_404(Tag, pk=pk)
    tag_delete(actor=request.user, tag=tag)
    messages.success(request, _("The tag “%(tag)s” is deleted.") % {"tag": tag.name})
    return redirect("crm-tags")


@permission("crm.change_tag")
@require_POST
def group_create_view(request: HttpRequest) -> HttpResponse:
    """E-6: a group beside the tags."""
    try:
        group_create(actor=request.user, name=request.POST.get("name", "").strip(),
                     note=request.POST.get("note", "").strip())  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect(reverse("crm-tags") + "#groups")


@permission("crm.change_tag")
@require_POST
def group_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_object_or_404(Group, pk=pk)
    group_delete(actor=request.user, group=group)
    messages.success(request, _("The group “%(group)s” is deleted.") % {"group": group.name})
    return redirect(reverse("crm-tags") + "#groups")


def selection_rows(data) -> QuerySet[Figures]:
    """The people a bulk action is for: a dashboard group, an RFM cell or label, or the
    customer list with its filters, as the page that sent the action showed them."""
    group = group_get(data.get("group", ""))
    if group is not None:
        return group_people(group)
    if data.get("loyal"):
        return loyal_customers()
    if "rfm" in data:
        return rfm_people(template_for(category_param(data.get("rfm", ""))), **rfm_filters(data))
    params = {key: data.get(key, "") for key in LIST_FILTERS}
    return crm_customers(**customer_filters(params))


@permission("crm.change_tag")
@require_POST
def people_act(request: HttpRequest) -> HttpResponse:
    """E-5, E-6: the people ticked in a list, or everyone in it, added to a tag (copied),
    moved to another, taken out, given a new tag, or added to or taken out of a group."""
    data = request.POST
    rows = selection_rows(data)
    if data.get("scope", "all") == "all":
        ids = list(rows.values_list("customer_id", flat=True))
    else:
        ticked = {int(pk) for pk in data.getlist("customer") if pk.isdigit()}
        ids = list(rows.filter(customer_id__in=ticked).values_list("customer_id", flat=True))
    try:
        message = people_action(request.user, data, ids)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, message)
    return redirect(safe_next(request))


def people_action(actor, data, ids: list[int]) -> str:
    """Run one bulk action; the message that says what was done."""
    action = data.get("action", "tag_add")
    count = len(ids)
    if action == "tag_new":
        tag = tag_create_for(actor=actor, name=data.get("name", "").strip(), customer_ids=ids)
        return _("%(count)s people tagged “%(tag)s”.") % {"count": count, "tag": tag}
    if action in ("tag_add", "tag_move"):
        target = get_object_or_404(Tag, pk=data.get("target_tag") or data.get("tag"))
        if action == "tag_move":
            source = get_object_or_404(Tag, pk=data.get("tag"))
            tag_move(actor=actor, source=source, target=target, customer_ids=ids)
            return _("%(count)s people moved to “%(tag)s”.") % {"count": count, "tag": target}
        tag_add(actor=actor, tag=target, customer_ids=ids)
        return _("%(count)s people tagged “%(tag)s”.") % {"count": count, "tag": target}
    if action == "tag_remove":
        source = get_object_or_404(Tag, pk=data.get("tag"))
        removed = tag_remove(actor=actor, tag=source, customer_ids=ids)
        return _("%(count)s people taken out of “%(tag)s”.") % {"count": removed, "tag": source}
    if action == "group_add":
        group = get_object_or_404(Group, pk=data.get("target_group"))
        group_add(actor=actor, group=group, customer_ids=ids)
        return _("%(count)s people added to the group “%(group)s”.") % {
            "count": count, "group": group,
        }  # fmt: skip
    if action == "group_remove":
        group = get_object_or_404(Group, pk=data.get("group"))
        removed = group_remove(actor=actor, group=group, customer_ids=ids)
        return _("%(count)s people taken out of the group “%(group)s”.") % {
            "count": removed, "group": group,
        }  # fmt: skip
    raise ValidationError(_("Unknown action."))


def safe_next(request: HttpRequest) -> str:
    """Back to the list the action came from (a path of this site only)."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("crm-customers")


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
        **bulk_context({}),
        "back": reverse("crm-rfm") + (f"?category={category}" if category else ""),
    }
    return render(request, "crm/people.html", context)


@permission("crm.view_figures")
def items(request: HttpRequest) -> HttpResponse:
    """E-12: items with their add-to-cart counts, new and cumulative; the top 20 as a chart."""
    params = list_params(request, "q", "o")
    rows = items_report(search=params["q"], order=params["o"])
    top = [{"item": row.name or row.item, "new": row.week, "total": row.total} for row in rows[:20]]
    context = {"page": page_of(request, rows), "params": params, "top": top}
    return render(request, "crm/items.html", context)


@permission("crm.view_figures")
def loyal(request: HttpRequest) -> HttpResponse:
    """E-13: the loyal customers (the rule is set here) with their last care contact; a
    call, message, surprise package or samples is recorded from the list."""
    errors: list[str] = []
    if request.method == "POST":
        if not request.user.has_perm("crm.change_care"):
            raise PermissionDenied
        try:
            care_rule_set(actor=request.user, rule=rule_from_post(request))
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("Saved."))
            return redirect("crm-loyal")
    context = {
        "page": page_of(request, loyal_customers()),
        "rule": care_rule(),
        "rule_words": rule_text(care_rule()),
        "errors": errors,
        "kinds": ContactKind.choices,
        "fields": {key: str(label) for key, label in FIELD_LABELS.items()},
        "joiners": {key: str(label) for key, label in JOINERS.items()},
        "params": {"loyal": "1"},
        **bulk_context({}),
    }
    return render(request, "crm/loyal.html", context)


@permission("crm.change_care")
@require_POST
def care_contact(request: HttpRequest, pk: int) -> HttpResponse:
    """E-13: record a care contact with a customer (from the loyal list or its page)."""
    customer = customer_get(user=request.user, pk=pk)
    try:
        care_contact_record(actor=request.user, customer=customer,
                            kind=request.POST.get("kind", ""),
                            note=request.POST.get("note", "").strip())  # fmt: skip
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    else:
        messages.success(request, _("Contact recorded."))
    return redirect(safe_next(request))


@permission("crm.view_figures")
def profile_view(request: HttpRequest) -> HttpResponse:
    """E-7: ages and genders, regions, and interested against buying by region, for a period
    (the last 30 days unless chosen) and a population."""
    params = list_params(request, "population", "start", "end", "province")
    today = timezone.localdate()
    end = date_or_none(params["end"]) or today
    start = date_or_none(params["start"]) or end - dt.timedelta(days=29)
    if start > end:
        start, end = end, start
    population = params["population"] if params["population"] in POPULATIONS else "all"
    found = profile(population, start, end, params["province"])
    charts = {
        "ages": found.ages,
        "regions": found.regions,
        "conversion": [[row.region, row.interested, row.buying] for row in found.conversion],
        "labels": {
            "women": str(_("Women")), "men": str(_("Men")), "unknown": str(_("Not known")),
            "interested": str(_("Interested customers")), "buying": str(_("Buying customers")),
        },
    }  # fmt: skip
    context = {
        "profile": found, "params": params, "charts": charts,
        "populations": [(key, label) for key, (label, _kinds) in POPULATIONS.items()],
    }  # fmt: skip
    return render(request, "crm/profile.html", context)
