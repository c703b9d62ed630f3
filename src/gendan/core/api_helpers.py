"""What the API routers share: permission checks and form-backed validation."""

from __future__ import annotations

from typing import Annotated, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.forms.models import model_to_dict
from django.http import HttpRequest
from ninja import Path

# A record's number in a path: a larger one cannot exist (SQLite cannot even compare it).
RecordId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def permission_require(request: HttpRequest, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def form_cleaned(
    form_class: type[forms.BaseForm],
    payload: dict[str, Any],
    *,
    instance: models.Model | None = None,
    prefix: str = "",
    **form_kwargs: Any,
) -> dict[str, Any]:
    """Validate API input with the page's own form, so both answer with the same messages."""
    instance = instance if instance is not None else form_class._meta.model()
    # Unsent fields keep their current values, or the model's defaults for a new record.
    data = model_to_dict(instance, fields=list(form_class._meta.fields))
    data = {name: value for name, value in data.items() if value is not None}
    data.update({name: "" if value is None else value for name, value in payload.items()})
    form = form_class(data=data, instance=instance, **form_kwargs)
    if not form.is_valid():
        where = f"{prefix}." if prefix else ""
        raise ValidationError({where + name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data


def form_data_cleaned(
    form_class: type[forms.Form], payload: dict[str, Any], *, prefix: str = ""
) -> dict[str, Any]:
    """Validate API input with a page's plain form (no model behind it), as ``form_cleaned``."""
    data = {name: "" if value is None else value for name, value in payload.items()}
    form = form_class(data=data)
    if not form.is_valid():
        where = f"{prefix}." if prefix else ""
        raise ValidationError({where + name: list(errors) for name, errors in form.errors.items()})
    return form.cleaned_data
