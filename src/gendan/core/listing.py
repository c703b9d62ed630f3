"""Search, filter, sort and paginate: the parts every list page shares."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination

# Far past any list's end, yet small enough that the offset it makes fits the database's
# 64-bit integer (page 99999999999999999999 used to reach the query and give a 500).
LAST_PAGE = 1_000_000


def list_params(request: HttpRequest, *names: str) -> dict[str, str]:
    """The trimmed GET parameters a list page understands; missing ones are empty."""
    return {name: request.GET.get(name, "").strip() for name in names}


def page_of(request: HttpRequest, queryset: QuerySet) -> Page:
    """The page asked for; past the end, the last page; not a number, the first."""
    paginator = Paginator(queryset, settings.GENDAN_PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


class PageNumbers(PageNumberPagination):
    """The API's pages: a page beyond ``LAST_PAGE`` is refused (422), not sent to the database."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=LAST_PAGE)
        page_size: int | None = Field(None, ge=1)


def service_errors_to_form(form: object, error: object) -> None:
    """Show a service's ValidationError on the form: on its fields where it names them."""
    fields = getattr(form, "fields", {})
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in fields else None, errors)
    else:
        form.add_error(None, error)


def date_param(text: str) -> dt.date | None:
    """A day typed in a date field (ISO, as the browser sends it); anything else: no limit."""
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        return None
