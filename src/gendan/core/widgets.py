"""Form widgets shared by the apps' forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# A record's number as a form posts it; a longer one names nothing (and overflows a bigint).
PK_DIGITS = 18


class SearchSelect(forms.Select):
    """A choice among more records than a page can list: only the chosen one is rendered, the
    others are searched as the user types (Tom Select, gendan/search-select.js, asks
    ``search_url`` for them); ``filter_by`` names a field whose value narrows the search."""

    def __init__(self, *, search_url: str = "", filter_by: str = "", attrs: dict | None = None):
        super().__init__(attrs)
        self.search_url = search_url
        self.filter_by = filter_by

    def get_context(self, name: str, value: Any, attrs: dict | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].update(
            {
                "data-search-url": self.search_url,
                "data-filter-by": self.filter_by,
                "data-placeholder": _("Type part of a name, a phone or its last digits"),
                "data-no-results": _("Nothing found."),
                "data-phone-tail": _("phone …%(tail)s"),
            }
        )
        return context

    def optgroups(self, name: str, value: list[str], attrs: dict | None = None) -> list:
        chosen = [v for v in value if v.isdigit() and len(v) <= PK_DIGITS]
        iterator = self.choices
        records = iterator.queryset.filter(pk__in=chosen) if chosen else []
        options = [("", iterator.field.empty_label or ""), *(iterator.choice(r) for r in records)]
        return [
            (None, [self.create_option(name, v, label, str(v) in value, index, attrs=attrs)], index)
            for index, (v, label) in enumerate(options)
        ]
