from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import translate_url
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gendan.web.work import work_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "web/home.html", {"sections": work_for(request.user)})


@require_POST
def language_switch(request: HttpRequest) -> HttpResponse:
    """Switch language and come back to the same page in it.

    Django's own view resolves the page in the default language only, so it cannot find
    its way back from /en/... ; here the page is read in the language its path carries.
    """
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest()
    next_url = request.POST.get("next", "/")
    safe = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    next_url = next_url if safe else "/"
    current = translation.get_language_from_path(next_url) or settings.LANGUAGE_CODE
    with translation.override(current):
        response = redirect(translate_url(next_url, language))
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, samesite="Lax")
    return response
