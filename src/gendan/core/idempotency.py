"""A write done once, however often it is sent: the API's `Idempotency-Key` header and the
one-time token of a form.

The key is claimed by inserting its row in the write's own transaction, and the answer is kept in
that row before the commit. A repeat that arrives while the first is still running waits on the
row's unique index (PostgreSQL) or on the write lock (SQLite), then finds the answer: two web
servers never both do the write. Only an answer that succeeded (2xx, or a form's redirect) is
kept: a refused request frees its key, so that the client can correct it and send it again.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import secrets
from collections.abc import Callable
from typing import Any

from django.core.exceptions import SuspiciousOperation
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja.decorators import decorate_view

from gendan.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
KEPT_FOR = dt.timedelta(hours=24)
KEY_PATTERN = re.compile(r"[\x21-\x7e]{1,255}")  # visible ASCII, as the header draft says
FORM_TOKEN_FIELD = "form_token"
KEY_MALFORMED = _("The Idempotency-Key header must be 1 to 255 visible ASCII characters.")
KEY_REUSED = _(
    "This Idempotency-Key was sent before with a different request. Send a new key for a new "
    "request."
)
FORM_SENT_TWICE = _("This form had already been sent; here is what it made.")
REPLAYED_HEADER = "Idempotent-Replayed"


class KeyReused(Exception):
    """The key was first sent with another request."""


def idempotency_key_kept(*, user: Any, key: str, fingerprint: str) -> IdempotencyKey | None:
    """Inside the write's transaction: the answer kept for this key, or None once the key is
    claimed for this request (then do the write and `idempotency_answer_keep`)."""
    # Pruned here, where keys are made: the table never holds more than a day of them.
    IdempotencyKey.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(user=user, key=key, fingerprint=fingerprint)
        return None
    except IntegrityError:
        kept = IdempotencyKey.objects.get(user=user, key=key)
    if kept.fingerprint != fingerprint:
        raise KeyReused
    return kept


def idempotency_answer_keep(
    *, user: Any, key: str, status_code: int, body: str, content_type: str = ""
) -> None:
    """Keep a success for the repeats; a refusal frees the key for a corrected request."""
    claimed = IdempotencyKey.objects.filter(user=user, key=key)
    if 200 <= status_code < 400:
        claimed.update(status_code=status_code, body=body, content_type=content_type)
    else:
        claimed.delete()


def request_fingerprint(request: HttpRequest) -> str:
    digest = hashlib.sha256(f"{request.method} {request.path}\n".encode())
    digest.update(request.body)
    return digest.hexdigest()


def refusal(message: str) -> JsonResponse:
    """In the API's own shape for input errors."""
    place = {"loc": ["header", HEADER], "msg": str(message), "type": "value_error"}
    return JsonResponse({"detail": [place]}, status=422)


def replay(kept: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(kept.body, status=kept.status_code, content_type=kept.content_type)
    response[REPLAYED_HEADER] = "true"
    return response


def idempotent(view: Callable) -> Callable:
    """An API operation that honours the `Idempotency-Key` header (under `@router.post`): the same
    key from the same user gets the same answer, status and body, for 24 hours."""

    @functools.wraps(view)
    def claimed(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        # Here the caller is authenticated (session, Basic or token): keys are per user.
        key = request.headers.get(HEADER)
        if key is None:
            return view(request, *args, **kwargs)
        if not KEY_PATTERN.fullmatch(key):
            return refusal(KEY_MALFORMED)
        fingerprint = request_fingerprint(request)
        try:
            kept = idempotency_key_kept(user=request.user, key=key, fingerprint=fingerprint)
        except KeyReused:
            return refusal(KEY_REUSED)
        if kept is not None:
            return replay(kept)
        request.idempotency_claim = (request.user, key)  # type: ignore[attr-defined]
        return view(request, *args, **kwargs)

    return decorate_view(answer_kept)(claimed)


def answer_kept(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Around the whole operation, once the answer is serialised: the claim, the write and the
    answer kept commit together, or not at all."""

    @functools.wraps(run)
    def in_one_transaction(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if HEADER not in request.headers:
            return run(request, *args, **kwargs)
        with transaction.atomic():
            response = run(request, *args, **kwargs)
            claim = getattr(request, "idempotency_claim", None)
            if claim is not None:
                idempotency_answer_keep(
                    user=claim[0], key=claim[1], status_code=response.status_code,
                    body=response.content.decode(), content_type=response["Content-Type"],
                )  # fmt: skip
        return response

    return in_one_transaction


def form_token(request: HttpRequest) -> str:
    """The one-time token of a form: the one it was posted with, or a new one for a blank form
    (the page puts it in a hidden field, `FORM_TOKEN_FIELD`)."""
    posted = request.POST.get(FORM_TOKEN_FIELD, "")
    return posted if KEY_PATTERN.fullmatch(posted) else secrets.token_urlsafe(24)


def form_token_address(request: HttpRequest, token: str, form: str) -> str | None:
    """Where the first post of this token went, if it was sent before."""
    kept = IdempotencyKey.objects.filter(user=request.user, key=token, status_code=302).first()
    if kept is None:
        return None
    if kept.fingerprint != f"form:{form}":
        raise SuspiciousOperation("a form token sent with another form")
    return kept.body


def form_once(
    request: HttpRequest, token: str, form: str, make: Callable[[], str]
) -> tuple[str, bool]:
    """Run `make` (the write, returning the address to go to) once for this token: (its address,
    True), or for a repeat that raced the first post, (the first post's address, False)."""
    with transaction.atomic():
        try:
            kept = idempotency_key_kept(user=request.user, key=token, fingerprint=f"form:{form}")
        except KeyReused as reused:
            raise SuspiciousOperation("a form token sent with another form") from reused
        if kept is not None:
            return kept.body, False
        address = make()
        idempotency_answer_keep(user=request.user, key=token, status_code=302, body=address)
        return address, True
