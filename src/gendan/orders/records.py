"""What a step records besides its signature: the measurement, who signed for the goods...

A step declares its record as a tuple of ``RecordField``; one form, built from that
declaration, checks what the pages and the API send.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise

from gendan.core.uploads import IMAGE_TYPES, UploadField, upload_checked


@dataclass(frozen=True)
class RecordField:
    name: str
    label: Promise
    # text, date, decimal, bool, confirm (a box that must be ticked), photo, choice
    kind: str = "text"
    required: bool = True
    # What the order already knows of it (orders/known.py), to start the form from: nothing
    # typed twice. Called with the order; None: nothing known.
    initial: Callable[[Any], Any] | None = None
    choices: tuple[tuple[str, Any], ...] = ()  # kind "choice": the (value, label) pairs
    required_message: Promise | None = None  # what a missing value is told, with its rule


def form_field(field: RecordField) -> forms.Field:
    options = {"label": field.label, "required": field.required}
    if field.required_message:
        options["error_messages"] = {"required": field.required_message}
    if field.kind == "date":
        # ISO, as a date input reads it (not the language's own way of writing a day).
        widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        return forms.DateField(widget=widget, **options)
    if field.kind == "decimal":
        return forms.DecimalField(min_value=0, decimal_places=2, max_digits=12, **options)
    if field.kind == "bool":
        return forms.BooleanField(**options | {"required": False})
    if field.kind == "confirm":
        return forms.BooleanField(**options | {"required": True})
    if field.kind == "photo":
        return UploadField(types=IMAGE_TYPES, **options)
    if field.kind == "choice":
        return forms.ChoiceField(choices=[("", "—"), *field.choices], **options)
    return forms.CharField(max_length=200, **options)


def record_form(
    fields: tuple[RecordField, ...],
    data: Any = None,
    files: Any = None,
    prefix: str = "record",
    initial: dict | None = None,
) -> forms.Form:
    form = forms.Form(data=data, files=files, prefix=prefix, initial=initial)
    for field in fields:
        form.fields[field.name] = form_field(field)
    return form


def record_initial(fields: tuple[RecordField, ...], order: Any) -> dict[str, Any]:
    """What the order already knows of the record's fields, to start its form from."""
    known = {field.name: field.initial(order) for field in fields if field.initial}
    return {name: value for name, value in known.items() if value not in (None, "")}


def record_clean(
    fields: tuple[RecordField, ...], data: dict[str, Any], files: Any = None
) -> tuple[dict, list[str]]:
    """The record as stored (JSON), or the refusals that name each wrong field."""
    if not fields:
        return {}, []  # most steps keep nothing but the signature
    form = record_form(fields, data={f"record-{k}": v for k, v in data.items()}, files=files)
    if not form.is_valid():
        return {}, [
            f"{form.fields[name].label}: {' '.join(errors)}" for name, errors in form.errors.items()
        ]
    kept = {name: value for name, value in form.cleaned_data.items() if value not in (None, "")}
    try:
        return {name: stored(value) for name, value in kept.items()}, []
    except forms.ValidationError as error:
        return {}, list(error.messages)


def stored(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, UploadedFile):
        return photo_save(value)
    return value


def photo_save(photo: UploadedFile) -> str:
    """A JPEG, PNG or WebP photo (told from its content), kept under a name of our own."""
    photo = upload_checked(photo, IMAGE_TYPES)
    return default_storage.save(f"orders/photos/{dt.date.today():%Y/%m}/{photo.name}", photo)
