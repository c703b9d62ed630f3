"""The route plan's pages (O-43, O-45): the days with a plan, and one day's plan with its
routes, its map and its actions. Planning runs in the request (up to GENDAN_PLAN_SECONDS,
the page shows that it is planning); a move or a pin sent by htmx gets the routes back."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.core.listing import page_of
from gendan.logistics.models import Drop, RoutePlan, TruckRoute
from gendan.logistics.selectors_plans import days_ahead, plan_view, plans_listed
from gendan.logistics.services.plans import (
    drop_move,
    drop_pin,
    plan_make,
    plan_publish,
    plan_reopen,
)


def day_of(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise Http404 from None


@permission("logistics.view_routeplan")
def plan_list(request: HttpRequest) -> HttpResponse:
    """The days with a plan and their state; the coming days, to plan."""
    state = request.GET.get("state", "").strip()
    plans = plans_listed()
    if state in RoutePlan.State.values:
        plans = plans.filter(state=state)
    context = {
        "page": page_of(request, plans), "ahead": days_ahead(), "state": state,
        "states": RoutePlan.State.choices,
        "tomorrow": timezone.localdate() + dt.timedelta(days=1),
    }  # fmt: skip
    return render(request, "logistics/plan_list.html", context)


@permission("logistics.view_routeplan")
def plan_day(request: HttpRequest, day: str) -> HttpResponse:
    """One day's plan: each truck's route, load, departure (O-45), the unplanned, the map."""
    return render(request, "logistics/plan_day.html", day_context(day_of(day)))


def day_context(day: dt.date, **extra: object) -> dict[str, object]:
    view = plan_view(day)
    return {
        "day": day, "view": view, "map_data": view.map_data(),
        "map_settings": {
            "tiles": settings.GENDAN_MAP_TILES_URL,
            "attribution": settings.GENDAN_MAP_TILES_ATTRIBUTION,
        },
        "plan_seconds": int(settings.GENDAN_PLAN_SECONDS), **extra,
    }  # fmt: skip


def answered(request: HttpRequest, day: dt.date, *, done: str = "", error=None) -> HttpResponse:
    """The routes again with what happened (htmx), or the page again (a plain form)."""
    errors = list(error.messages) if isinstance(error, ValidationError) else []
    if request.headers.get("HX-Request") == "true":
        context = day_context(day, done=done, errors=errors)
        return render(request, "logistics/plan_routes.html", context)
    for text in errors:
        messages.error(request, text)
    if done:
        messages.success(request, done)
    return redirect("logistics-plan-day", day=day.isoformat())


@require_POST
@permission("logistics.add_routeplan")
def plan_make_view(request: HttpRequest, day: str) -> HttpResponse:
    """O-43: plan all of the day's booked drops (around the pinned ones)."""
    when = day_of(day)
    try:
        plan_make(actor=request.user, day=when)
    except ValidationError as error:
        return answered(request, when, error=error)
    view = plan_view(when)
    done = _("Planned: %(planned)s drops on trucks, %(unfit)s did not fit, %(held)s held.") % {
        "planned": sum(len(rv.drops) for rv in view.routes),
        "unfit": len(view.unfit), "held": len(view.held),
    }  # fmt: skip
    return answered(request, when, done=done)


@require_POST
@permission("logistics.change_routeplan")
def plan_publish_view(request: HttpRequest, day: str) -> HttpResponse:
    """O-43: publish: the warehouse's pick list loads the trucks in this order; late routes
    (O-45) and drops not ready are named in the confirmation (a stale page is told them)."""
    plan = get_object_or_404(RoutePlan, day=day_of(day))
    try:
        plan_publish(actor=request.user, plan=plan, confirmed=request.POST.get("confirmed") == "on")
    except ValidationError as error:
        return answered(request, plan.day, error=error)
    return answered(request, plan.day, done=_("Published: the warehouse's pick list has it."))


@require_POST
@permission("logistics.change_routeplan")
def plan_reopen_view(request: HttpRequest, day: str) -> HttpResponse:
    plan = get_object_or_404(RoutePlan, day=day_of(day))
    try:
        plan_reopen(actor=request.user, plan=plan, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        return answered(request, plan.day, error=error)
    return answered(request, plan.day, done=_("Reopened: the plan can be changed again."))


@require_POST
@permission("logistics.change_drop")
def drop_move_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A drop to another truck (pinned there); an overload is shown in red, not refused."""
    drop = get_object_or_404(Drop.objects.select_related("plan"), pk=pk)
    target = request.POST.get("route", "")
    route = TruckRoute.objects.filter(pk=int(target) if target.isdigit() else 0).first()
    try:
        if route is None:
            raise ValidationError(_("Choose a truck."))
        drop_move(actor=request.user, drop=drop, route=route)
    except ValidationError as error:
        return answered(request, drop.plan.day, error=error)
    return answered(request, drop.plan.day)


@require_POST
@permission("logistics.change_drop")
def drop_pin_view(request: HttpRequest, pk: int) -> HttpResponse:
    drop = get_object_or_404(Drop.objects.select_related("plan"), pk=pk)
    try:
        drop_pin(actor=request.user, drop=drop, pinned=request.POST.get("pinned") == "on")
    except ValidationError as error:
        return answered(request, drop.plan.day, error=error)
    return answered(request, drop.plan.day)
