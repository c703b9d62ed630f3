from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gendan.core.listing import page_of
from gendan.web.selectors import figure_label, figure_orders, manager_sees_figures
from gendan.web.work import manager_figures, work_for


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Each role's work; a manager's figures above it."""
    context = {"sections": work_for(request.user)}
    if manager_sees_figures(request.user):
        context["figures"] = manager_figures(request.user, timezone.localdate())
    return render(request, "web/home.html", context)


@login_required
def figure_orders_view(request: HttpRequest, figure: str, key: str) -> HttpResponse:
    """The orders behind one bar or slice of a manager's figure."""
    if not manager_sees_figures(request.user):
        raise PermissionDenied
    if figure == "age" and not request.user.has_perm("orders.view_receivables"):
        raise PermissionDenied
    orders = figure_orders(request.user, figure, key, timezone.localdate())
    if orders is None:
        raise Http404
    context = {
        "title": figure_label(figure, key),
        "page": page_of(request, orders.order_by("log_day", "pk")),
        "figure": figure,
        "back": reverse("home"),
    }
    return render(request, "web/figure_orders.html", context)


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
