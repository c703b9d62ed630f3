"""Middleware shared by every app."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils import translation


class ApiLanguageMiddleware:
    """The API answers in the caller's language.

    The API is mounted outside ``i18n_patterns``; with the default language unprefixed,
    ``LocaleMiddleware`` takes every unprefixed path for the default language and ignores
    ``Accept-Language``. Here, after it, the API's paths follow the caller's cookie or header.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)


class MethodNotAllowedPageMiddleware:
    """A page opened with the wrong method (a link to a button's address: logout, revoke)
    answers 405 with an empty body, which browsers show as their own error page; here it
    gets gendan's page in the user's language. The API keeps its JSON answers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or response.content or request.path_info.startswith("/api/"):
            return response
        response.content = render_to_string("405.html", request=request)
        response["Content-Type"] = "text/html; charset=utf-8"
        return response


class LanguageStaysMiddleware:
    """A language chosen once stays: a page asked for without ``/en/`` by someone who chose
    English (the language cookie the switch sets) is sent to its ``/en/`` address.

    The default language has no prefix (``prefix_default_language=False``), so
    ``LocaleMiddleware`` reads every unprefixed path as Chinese and never looks at the cookie;
    links typed, bookmarked or sent by others would drop the chosen language. Only reads are
    redirected (a form posted is never lost), and only pages that exist in that language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if (
            request.method in ("GET", "HEAD")
            and chosen != settings.LANGUAGE_CODE
            and chosen in dict(settings.LANGUAGES)
            and not translation.get_language_from_path(request.path_info)
        ):
            there = translate_url(request.get_full_path(), chosen)
            if there != request.get_full_path():
                return HttpResponseRedirect(there)
        return self.get_response(request)
