"""Who calls the API: a personal token, a user name and password, or the browser's session.

The header schemes answer first, so a program's write needs no CSRF token; the session answers
last and keeps its CSRF check (a browser sends its cookie to any site's forms).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from ninja.errors import AuthenticationError, HttpError
from ninja.security import HttpBasicAuth, HttpBearer
from ninja.security.session import SessionAuth as NinjaSessionAuth

from gendan.accounts.models import User
from gendan.accounts.services import api_token_use

HTTPS_REQUIRED = _("API tokens and passwords are taken over HTTPS only.")
NOT_AUTHENTICATED = _(
    "Log in, or send an API token (Authorization: Bearer) or your user name and password."
)
# The 401 answer's WWW-Authenticate header names Bearer only, though Basic is taken too: a
# Basic challenge makes a browser ask for a password and then send it with every later
# request, cross-site ones included, and Basic writes need no CSRF token.
CHALLENGE = 'Bearer realm="gendan"'


def https_check(request: HttpRequest) -> None:
    """Refuse a secret sent in the clear, where production asks for HTTPS."""
    if settings.GENDAN_API_REQUIRE_HTTPS and not request.is_secure():
        raise HttpError(403, str(HTTPS_REQUIRED))


class TokenAuth(HttpBearer):
    """A personal API token the user made (``Authorization: Bearer gdn_…``)."""

    def authenticate(self, request: HttpRequest, token: str) -> User:
        https_check(request)
        api_token = api_token_use(secret=token)
        if api_token is None:
            raise AuthenticationError()
        request.user = api_token.user
        return api_token.user


class BasicAuth(HttpBasicAuth):
    """The user's name and password; each call pays for the password hash (tokens do not)."""

    def authenticate(self, request: HttpRequest, username: str, password: str) -> Any:
        https_check(request)
        if "\x00" in username:  # no user has one, and PostgreSQL cannot even look it up
            raise AuthenticationError()
        # With the request, so that django-axes counts failures and locks out.
        user = authenticate(request, username=username, password=password)
        if user is None or not user.is_active:
            raise AuthenticationError()
        request.user = user
        return user


class SessionAuth(NinjaSessionAuth):
    """The browser's login. CSRF is checked for a logged-in session only: else nothing to forge."""

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)
