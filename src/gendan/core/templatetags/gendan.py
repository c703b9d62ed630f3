from __future__ import annotations

from django import template
from django.utils.html import format_html

from gendan.core.formatting import money_text

register = template.Library()


@register.simple_tag(takes_context=True)
def url_with(context: template.Context, **changes: object) -> str:
    """The current URL's query with some parameters replaced (page, o, ...)."""
    query = context["request"].GET.copy()
    for name, value in changes.items():
        query[name] = value
    if "page" not in changes:
        query.pop("page", None)
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context: template.Context, field: str, label: str) -> str:
    """A column title that sorts by ``field``, and reverses on the second click."""
    current = context["request"].GET.get("o", "")
    order = f"-{field}" if current == field else field
    arrow = " ▲" if current == field else " ▼" if current == f"-{field}" else ""
    return format_html('<a href="{}">{}{}</a>', url_with(context, o=order), label, arrow)


@register.filter
def audit_change(value: object) -> str:
    """A logged change as people read it: ``before → after``, or the value set."""
    if isinstance(value, list) and len(value) == 2:
        return " → ".join("—" if item in (None, "") else str(item) for item in value)
    return "—" if value in (None, "") else str(value)


@register.filter
def audit_rows(changes: dict[str, object]) -> list[tuple[str, object]]:
    """The changes as (field, change) pairs; ``changes.items`` in a template would read a
    field that happens to be called "items"."""
    return list(changes.items())


@register.filter
def money(value: object) -> str:
    """An amount with thousands separators and 2 places: ``{{ order.total|money }}`` → 13,060.00."""
    return money_text(value)
