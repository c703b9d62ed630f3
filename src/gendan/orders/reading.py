"""A step's log entry as people read it: why it was passed over, and what it recorded, each
field by the label its step declares (orders/records.py), each value in words."""

from __future__ import annotations

from typing import Any

from gendan.core.formatting import money_text, value_text
from gendan.orders.records import RecordField
from gendan.orders.skips import skip_reason_text


def step_skip_text(entry: Any) -> str:
    """Why a skipped step was passed over, in the current language."""
    return skip_reason_text(code=entry.skip_reason, note=entry.note)


def record_rows(fields: tuple[RecordField, ...], data: dict[str, Any]) -> list[tuple[str, str]]:
    """(label, value) for each field the step recorded, in the step's order; a photo is
    linked by the page, not written out."""
    rows = []
    for field in fields:
        if field.kind == "photo" or data.get(field.name) in (None, ""):
            continue
        rows.append((str(field.label), record_value(field, data[field.name])))
    return rows


def record_value(field: RecordField, value: Any) -> str:
    if field.kind == "decimal":
        return money_text(value)
    if field.kind == "choice":
        return value_text(value, choices=dict(field.choices))
    return value_text(value)


def step_note_text(entry: Any) -> str:
    """An entry's note; for a step passed over, why, in the current language."""
    if entry is None:
        return ""
    if entry.outcome == "skipped":
        return step_skip_text(entry)
    return entry.note
