"""Search, filter, sort and paginate: the parts every list page shares."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def list_params(request: HttpRequest, *names: str) -> dict[str, str]:
    """The trimmed GET parameters a list page understands; missing ones are empty."""
    return {name: request.GET.get(name, "").strip() for name in names}


def page_of(request: HttpRequest, queryset: QuerySet) -> Page:
    paginator = Paginator(queryset, settings.GENDAN_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def service_errors_to_form(form: object, error: object) -> None:
    """Show a service's ValidationError on the form: on its fields where it names them."""
    fields = getattr(form, "fields", {})
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in fields else None, errors)
    else:
        form.add_error(None, error)
