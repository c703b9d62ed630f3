"""Values as people read them on the pages: money with thousands separators and 2 places,
yes and no, days and times in the current language."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

ISO_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:?\d{2}|Z)?)?$"
)


def money_text(value: object) -> str:
    """13060 → "13,060.00", in every language (the users read comma grouping in both);
    nothing for no value, and anything that is not a number as it was given."""
    if value is None or value == "":
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if not number.is_finite():
        return str(value)
    return f"{number:,.2f}"


def value_text(value: object, *, choices: dict | None = None, money: bool = False) -> str:
    """A stored value (often from JSON) as people read it: 是/否, a label for a code, a
    localised day or time, money with separators, a list or a dict in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if choices and isinstance(value, str | int) and value in choices:
        return str(choices[value])
    if money or isinstance(value, Decimal):
        return money_text(value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {value_text(item)}" for key, item in value.items())
    if isinstance(value, list | tuple):
        return "、".join(value_text(item, choices=choices) for item in value)
    if isinstance(value, str):
        return moment_text(value)
    return str(value)


def moment_text(text: str) -> str:
    """An ISO day or time (as JSON keeps them) in the current language; other text as it is."""
    if not ISO_MOMENT.match(text):
        return text
    try:
        if len(text) == 10:
            return date_format(dt.date.fromisoformat(text), "DATE_FORMAT")
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return text
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return date_format(moment, "DATETIME_FORMAT")
