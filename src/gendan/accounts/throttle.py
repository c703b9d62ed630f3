"""Failed logins: where a client comes from, and what a locked-out client is told (django-axes)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Max
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import time_format
from django.utils.translation import gettext_lazy as _

API_PREFIX = "/api/"
LOCKED_OUT = _("Too many failed logins for this user from your address. Try again after %(time)s.")
LOCKED_OUT_STATUS = 429


def client_address(request: HttpRequest) -> str | None:
    """The address failures are counted for; behind the proxy, the one the proxy saw."""
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.GENDAN_CLIENT_ADDRESS_FROM_PROXY and forwarded:
        return forwarded.rsplit(",", 1)[-1].strip()
    return request.META.get("REMOTE_ADDR")


def locked_until(request: HttpRequest, credentials: dict[str, Any] | None) -> datetime:
    """The end of the lock: the last counted failure plus the cool-off time."""
    attempts = AccessAttempt.objects.filter(
        username=get_client_username(request, credentials),
        ip_address=request.axes_ip_address,
    )
    last = attempts.aggregate(last=Max("attempt_time"))["last"] or request.axes_attempt_time
    return last + get_cool_off(request)


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """Say when to retry: as JSON with Retry-After on the API, on the login page elsewhere."""
    until = locked_until(request, credentials)
    message = str(LOCKED_OUT) % {"time": time_format(timezone.localtime(until), "H:i")}
    if request.path_info.startswith(API_PREFIX):
        response = JsonResponse({"detail": message}, status=LOCKED_OUT_STATUS)
        seconds = max(int((until - timezone.now()).total_seconds()), 1)
        response["Retry-After"] = str(seconds)
        return response
    return lockout_page(request, message, get_client_username(request, credentials))


def lockout_page(request: HttpRequest, message: str, username: str | None) -> HttpResponse:
    """The login page again, the user name filled in, with the message above the form."""
    form = AuthenticationForm(request, initial={"username": username})
    context = {"form": form, "locked_out": message, "next": request.POST.get("next", "")}
    return render(request, "accounts/login.html", context, status=LOCKED_OUT_STATUS)
