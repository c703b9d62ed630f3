"""Signing a step from its page, in one post with the checks ticked beside it (O-5), and
sending a step back (O-15); the sign form as typed survives a refusal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.orders.forms import (
    ChecksForm,
    SendBackForm,
    StepForm,
)
from gendan.orders.models import (
    Order,
)
from gendan.orders.records import record_form, record_initial
from gendan.orders.routes import ROUTES, Step
from gendan.orders.selectors import (
    order_get,
)
from gendan.orders.services.send_back import order_step_send_back
from gendan.orders.services.steps import StepRefused
from gendan.orders.services.verification import (
    order_step_sign,
)

# The sign form as typed, kept in the session from a refused post to the order page it
# redirects to (a reload of that page then posts nothing again).
SIGN_POSTED = "orders.sign_posted.%s"
PHOTO_AGAIN = gettext_lazy("The photo was not kept: choose it again.")
ALREADY_SIGNED = gettext_lazy("“%(step)s” is already signed; it was not signed a second time.")


@login_required
@require_POST
def order_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """Sign a step, with the verification checks ticked beside it (O-5), in one post.

    Refused, the order page shows the form again as it was typed."""
    order = order_get(user=request.user, pk=pk)
    form, checks = StepForm(request.POST), ChecksForm(request.POST)
    checks.fields["items"].required = False
    if not (form.is_valid() and checks.is_valid()):
        refused = StepRefused([e for f in (form, checks) for es in f.errors.values() for e in es])
        sign_refused(request, order, step, refused)
        return redirect("order-detail", pk=order.pk)
    # The step's record arrives as record-<field>, as record_form names it.
    record = {
        key.removeprefix("record-"): value
        for key, value in request.POST.items()
        if key.startswith("record-")
    }
    try:
        order = order_step_sign(
            actor=request.user, order=order, step=step, items=checks.cleaned_data["items"],
            note=form.cleaned_data["note"], data=record, files=request.FILES,
        )  # fmt: skip
    except StepRefused as refused:
        sign_refused(request, order, step, refused)
    else:
        done = ROUTES[order.route].step(step).label
        messages.success(request, _("Signed: %(step)s.") % {"step": done})
    return redirect("order-detail", pk=order.pk)


@login_required
@require_POST
def order_step_send_back_view(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    """O-15: the dealer sends the profit note back to the clerk, with its reason."""
    order = order_get(user=request.user, pk=pk)
    form = SendBackForm(request.POST)
    try:
        if not form.is_valid():
            raise StepRefused([e for errors in form.errors.values() for e in errors])
        order = order_step_send_back(
            actor=request.user, order=order, step=step, reason=form.cleaned_data["reason"]
        )
    except StepRefused as refused:
        for reason in refused.reasons:
            messages.error(request, reason)
    else:
        back_to = ROUTES[order.route].step(order.step).label
        messages.success(request, _("Sent back to: %(step)s.") % {"step": back_to})
    return redirect("order-detail", pk=order.pk)


def sign_refused(request: HttpRequest, order: Order, step: str, refused: StepRefused) -> None:
    """Say why; a step signed meanwhile (a double click, a second tab) is said as such, and
    what was typed is kept for the form, but for its files (no file input can be refilled)."""
    order.refresh_from_db(fields=["step", "signed"])
    if step in order.signed and order.step != step:
        label = ROUTES[order.route].step(step).label
        messages.error(request, ALREADY_SIGNED % {"step": label})
        return
    for reason in refused.reasons:
        messages.error(request, reason)
    posted = request.POST.copy()
    posted.pop("csrfmiddlewaretoken", None)
    kept = {"step": step, "data": posted.urlencode(), "files": sorted(request.FILES)}
    request.session[SIGN_POSTED % order.pk] = kept


def sign_forms(request: HttpRequest, order: Order, step: Step | None) -> dict:
    """The sign form's parts: empty, or as typed when its last post was refused."""
    kept = request.session.pop(SIGN_POSTED % order.pk, None)
    if step is None:
        return {"step_form": StepForm(), "record_form": None, "ticked": set()}
    if not kept or kept["step"] != step.code:
        # What the order already knows starts the record: nothing typed twice (issue 12).
        record = record_form(step.record, initial=record_initial(step.record, order))
        return {"step_form": StepForm(), "record_form": record, "ticked": set()}
    data = QueryDict(kept["data"])
    record = record_form(step.record, data=data)
    for name in kept["files"]:
        if (field := name.removeprefix("record-")) in record.fields:
            record.errors.pop(field, None)
            record.add_error(field, str(PHOTO_AGAIN))
    return {
        "step_form": StepForm(data),
        "record_form": record,
        "ticked": set(data.getlist("items")),
    }
