"""Input no page or API operation can store: refused before any view sees it.

PostgreSQL cannot store a NUL character, and a lone surrogate (``"\\ud800"`` in JSON) cannot be
written as UTF-8 at all; both used to reach the database and give a 500. A body over Django's
limit used to give a bare 400. Each is now a 4xx that says what is wrong, in the user's
language, before anything is changed.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

NUL_REFUSED = _("The input contains a NUL character (code 0), which cannot be stored.")
SURROGATE_REFUSED = _("The input contains an unpaired surrogate (\\ud800 to \\udfff).")
BODY_TOO_BIG = _("The request is too big: at most %(limit)s bytes of form or JSON data.")
SURROGATE = re.compile("[\ud800-\udfff]")


def text_refusal(text: str) -> str | None:
    """Why a text cannot be stored, or None when it can."""
    if "\x00" in text:
        return str(NUL_REFUSED)
    if SURROGATE.search(text):
        return str(SURROGATE_REFUSED)
    return None


def json_texts(value: Any) -> Iterator[str]:
    """Every string in a parsed JSON document, keys included (without recursion: a document
    nested a million deep is walked like a flat one)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            yield from item.keys()
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def form_texts(data: QueryDict) -> Iterator[str]:
    for key, values in data.lists():
        yield key
        yield from (value for value in values if isinstance(value, str))


def request_refusal(request: HttpRequest) -> tuple[int, str] | None:
    """The status and message that refuse the request, or None to let it through."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    content_type = request.content_type or ""
    multipart = content_type.startswith("multipart/")
    too_big = (413, str(BODY_TOO_BIG % {"limit": limit}))
    # Files in a multipart body do not count against the limit (uploads have their own).
    if limit is not None and not multipart and content_length(request) > limit:
        return too_big
    texts: list[Iterator[str]] = [iter([request.path_info]), form_texts(request.GET)]
    try:
        if multipart or content_type == "application/x-www-form-urlencoded":
            texts.append(form_texts(request.POST))
        elif request.body:
            # The API reads any other body as JSON, whatever its declared type.
            texts.append(json_texts(json.loads(request.body)))
    except RequestDataTooBig:
        return too_big
    except (ValueError, RecursionError):
        pass  # not JSON: the API says so itself
    for group in texts:
        for text in group:
            if refusal := text_refusal(text):
                return 400, refusal
    return None


def content_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # as Django reads a malformed length: no body


class InputChecksMiddleware:
    """Refuses a request no view could store; after the language is chosen, before CSRF."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = request_refusal(request)
        if refusal is None:
            return self.get_response(request)
        status, message = refusal
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=status)
        context = {"message": message}
        return render(request, "core/input_refused.html", context, status=status)
