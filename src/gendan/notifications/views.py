"""The user's notifications: the list, opening one (read, then the order), all read."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from gendan.core.listing import page_of
from gendan.notifications.selectors import notifications_of
from gendan.notifications.services import notification_read, notifications_read_all

ALL_READ = _("All your notifications are marked read.")


@never_cache
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, notifications_of(request.user))
    return render(request, "notifications/list.html", {"page": page})


@login_required
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """A notification of the user's own (another's is not found): read, then its order."""
    notification = get_object_or_404(notifications_of(request.user), pk=pk)
    notification_read(user=request.user, notification=notification)
    return redirect("order-detail", pk=notification.order_id)


@require_POST
@login_required
def notifications_read(request: HttpRequest) -> HttpResponse:
    notifications_read_all(user=request.user)
    messages.success(request, ALL_READ)
    return redirect("notification-list")
