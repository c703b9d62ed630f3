"""An audit entry as people read it: each changed field by its name in the current language,
each value in words (a choice by its label, 是/否, money with separators, a localised day),
long checksums and tokens apart, to be opened on demand.

Apps whose values need their own words (a tag's rule) register a reader for the key
(``VALUE_READERS``, from their ``audit_events``), so this app imports none of them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from gendan.audit.models import AuditEvent
from gendan.core.formatting import value_text

# Keys the services sign that are not fields of the record the entry is about.
KEY_LABELS = {
    "hash": _("checksum"), "version": _("version"), "document": _("document"),
    "customers": _("customers"), "rule": _("rule"), "items": _("checks"),
    "amount": _("amount"), "method": _("payment method"), "install_fee": _("installation fee"),
    "absorbed": _("customer merged in"), "into": _("merged into"), "from": _("from customer"),
    "to": _("to customer"), "charge": _("charge"), "kind": _("kind"), "roles": _("roles"),
    "prefix": _("prefix"), "name": _("name"), "stages": _("payment stages"),
    "events": _("shop events"), "orders": _("orders"), "contacts": _("contacts"),
    "addresses": _("addresses"), "state": _("state"), "action": _("task"), "payer": _("payer"),
    "reference": _("reference"), "note": _("note"), "profit": _("dealer's profit"),
    "install_fee_offset": _("installation fee offset (O-55)"), "from_step": _("from step"),
    "refund_way": _("where the money goes"), "freight": _("freight"), "return": _("return"),
    "exchange_order": _("exchange order"),
}  # fmt: skip
MONEY_KEYS = {
    "amount", "total", "price", "settlement_total", "deposit", "retention", "profit",
    "install_fee_offset", "freight",
}  # fmt: skip
SECRET_KEYS = {"hash", "content_hash", "checksum", "token", "signature_hash", "digest"}
# Keys whose value is itself a list, never a [before, after] pair.
LIST_KEYS = {"roles", "stages", "items"}
LONG_HEX = re.compile(r"^[0-9a-f]{32,}$")
VALUE_READERS: dict[str, Callable[[Any], str]] = {}


@dataclass(frozen=True)
class ChangeRow:
    label: str
    after: str
    before: str | None = None  # None: a value set, not a change from one to another
    secret: bool = False  # a checksum or token: shown only when opened


def change_rows(event: AuditEvent) -> list[ChangeRow]:
    model = event.target_type.model_class() if event.target_type_id else None
    return [change_row(model, key, change) for key, change in (event.changes or {}).items()]


def change_row(model: type[models.Model] | None, key: str, change: Any) -> ChangeRow:
    field = model_field(model, key)
    label = capfirst(field.verbose_name if field is not None else KEY_LABELS.get(key, key))
    secret = key in SECRET_KEYS or (isinstance(change, str) and bool(LONG_HEX.match(change)))
    if isinstance(change, list) and len(change) == 2 and key not in LIST_KEYS:
        before, after = (read(field, key, item) for item in change)
        return ChangeRow(str(label), after, before, secret)
    return ChangeRow(str(label), read(field, key, change), None, secret)


def model_field(model: type[models.Model] | None, key: str) -> models.Field | None:
    if model is None:
        return None
    try:
        field = model._meta.get_field(key)
    except FieldDoesNotExist:
        return None
    return field if hasattr(field, "verbose_name") else None


def read(field: models.Field | None, key: str, value: Any) -> str:
    if key in VALUE_READERS and value not in (None, "", {}):
        try:
            return VALUE_READERS[key](value)
        except (TypeError, ValueError, AttributeError, KeyError):
            pass  # an older entry in another shape: shown as stored, never a broken page
    choices = dict(field.flatchoices) if field is not None and field.choices else None
    money = key in MONEY_KEYS or isinstance(field, models.DecimalField)
    return value_text(value, choices=choices, money=money and not isinstance(value, bool))
