"""Automatic tag rules (E-4): conditions on the kept figures, combined with AND and OR.

A rule is data: ``{"all": [...]}`` or ``{"any": [...]}`` whose items are conditions
``{"field": "purchase_count", "op": ">=", "value": 3}`` or nested groups. It compiles to one
query on the figures, so a tag is evaluated by the database, not row by row.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

RULE_INVALID = _("The rule is not valid: %(reason)s.")
OPERATORS = {">=": "gte", "<=": "lte", ">": "gt", "<": "lt", "==": "exact"}
# E-4: purchase count, amount, time window, item quantity and member level.
FIELDS = {
    "purchase_count": "purchase_count",
    "purchase_amount": "purchase_amount",
    "items_bought": "items_bought",
    "bought_within_days": None,  # a time window: bought in the last N days
    "member": None,  # member card claimed (VIP1 and above): value true or false
}


def rule_q(rule: dict[str, Any], now: dt.datetime | None = None) -> Q:
    """The rule as a query on Figures; ValidationError when it is malformed."""
    now = now or timezone.now()
    if set(rule) == {"all"} or set(rule) == {"any"}:
        ((joiner, items),) = rule.items()
        if not isinstance(items, list) or not items:
            raise rule_error("a group needs at least one condition")
        parts = [rule_q(item, now) for item in items]
        combined = parts[0]
        for part in parts[1:]:
            combined = combined & part if joiner == "all" else combined | part
        return combined
    return condition_q(rule, now)


def condition_q(condition: dict[str, Any], now: dt.datetime) -> Q:
    field, op, value = condition.get("field"), condition.get("op", ">="), condition.get("value")
    if field not in FIELDS:
        raise rule_error(f"unknown field {field!r}")
    if field == "member":
        return Q(card_claimed_at__isnull=not bool(value))
    if op not in OPERATORS:
        raise rule_error(f"unknown operator {op!r}")
    number = rule_number(value)
    if field == "bought_within_days":
        return Q(last_purchase_at__gte=now - dt.timedelta(days=int(number)))
    return Q(**{f"{FIELDS[field]}__{OPERATORS[op]}": number})


def rule_number(value: Any) -> Decimal:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise rule_error(f"{value!r} is not a number") from None
    if number < 0:
        raise rule_error("numbers must not be negative")
    return number


def rule_error(reason: str) -> ValidationError:
    return ValidationError({"rule": RULE_INVALID % {"reason": reason}})


FIELD_LABELS = {
    "purchase_count": _("purchases"),
    "purchase_amount": _("amount (CNY)"),
    "items_bought": _("items bought"),
    "bought_within_days": _("bought within (days)"),
    "member": _("member"),
}
JOINERS = {"all": _("all of"), "any": _("any of")}
WORDS = {"all": _("and"), "any": _("or"), "not": _("not")}


def rule_text(rule: dict[str, Any]) -> str:
    """A rule as people read it: (purchases ≥ 10 or amount (CNY) ≥ 5000) and ..."""
    if not rule:
        return ""
    if set(rule) in ({"all"}, {"any"}):
        ((joiner, items),) = rule.items()
        word = f" {WORDS[joiner]} "
        parts = [rule_text(item) for item in items]
        parts = [f"({part})" if set(item) & {"all", "any"} else part
                 for part, item in zip(parts, items, strict=True)]  # fmt: skip
        return word.join(parts)
    return condition_text(rule)


SIGNS = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "="}
# One condition in words: the field, its comparison and its unit ("最近购买 ≤ 90 天").
CONDITION_WORDS = {
    "purchase_count": _("purchases %(op)s %(value)s"),
    "purchase_amount": _("amount %(op)s ¥%(value)s"),
    "items_bought": _("items bought %(op)s %(value)s"),
    "bought_within_days": _("last purchase ≤ %(value)s days ago"),
}
MEMBER_WORDS = {True: _("has a member card"), False: _("no member card")}


def condition_text(condition: dict[str, Any]) -> str:
    field, value = condition.get("field"), condition.get("value")
    if field == "member":
        return str(MEMBER_WORDS[bool(value)])
    if field not in CONDITION_WORDS:
        return f"{field} {condition.get('op', '>=')} {value}"
    if field == "purchase_amount":
        value = number_text(value, places=2)
    elif isinstance(value, int | float | str):
        value = number_text(value, places=0)
    sign = SIGNS.get(condition.get("op", ">="), condition.get("op"))
    return str(CONDITION_WORDS[field]) % {"op": sign, "value": value}


def number_text(value: Any, *, places: int) -> str:
    """A number with thousands separators (5,000.00); anything else as it was given."""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if places == 0 and number != number.to_integral_value():
        return f"{number:,}"
    return f"{number:,.{places}f}"
