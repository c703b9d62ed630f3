from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gendan.accounts.forms import ApiTokenForm
from gendan.accounts.selectors import api_token_list
from gendan.accounts.services import api_token_create, api_token_revoke, user_password_change

PASSWORD_CHANGED = _("Your password has been changed.")
TOKEN_REVOKED = _("The token %(name)s has been revoked; programs using it are refused.")


@method_decorator(login_required, name="dispatch")
class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password, in the gendan layout; the change is audited."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        user_password_change(user=form.user, password=form.cleaned_data["new_password1"])
        # Other sessions of this user end; this one stays logged in.
        update_session_auth_hash(self.request, form.user)
        messages.success(self.request, PASSWORD_CHANGED)
        return redirect("home")


NEW_TOKEN_KEY = "gendan.new_api_token"


@never_cache
@login_required
def api_token_page(request: HttpRequest) -> HttpResponse:
    """The user's API tokens. A new token's secret is shown once: kept in the session only
    until the page after the redirect shows it (so a reload neither shows it again nor, as a
    repeated post would, makes a second token)."""
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, secret = api_token_create(user=request.user, name=form.cleaned_data["name"])
        request.session[NEW_TOKEN_KEY] = secret
        return redirect("api-token-list")
    secret = request.session.pop(NEW_TOKEN_KEY, None)
    context = {"form": form, "secret": secret, "tokens": api_token_list(user=request.user)}
    return render(request, "accounts/api_tokens.html", context)


@require_POST
@login_required
def api_token_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(api_token_list(user=request.user), pk=pk)
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, TOKEN_REVOKED % {"name": token.name})
    return redirect("api-token-list")
