from __future__ import annotations

from decimal import Decimal
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.accounts.models import User
from gendan.core.decorators import permission
from gendan.core.idempotency import FORM_SENT_TWICE, form_once, form_token, form_token_address
from gendan.core.listing import date_param, list_params, page_of, service_errors_to_form
from gendan.core.uploads import upload_response
from gendan.orders.exports import delivery_schedule_xlsx, order_log_xlsx
from gendan.orders.forms import (
    AdditionForm,
    ChecksForm,
    NoteForm,
    OrderChangeForm,
    OrderForm,
    OrderLineFormSet,
    ReceiptConfirmationForm,
    ReceiptForm,
    SendBackForm,
)
from gendan.orders.import_views import workbook_response
from gendan.orders.models import (
    DealerLedgerEntry,
    Order,
    ReturnKind,
    VerificationItem,
)
from gendan.orders.money import (
    contract_schedule,
    order_amount_owed,
    order_dealer_profit,
    order_has_profit_note,
    order_outstanding,
    order_paid,
    order_total,
)
from gendan.orders.routes import CLOSED, DEALER_APPROVES, ROUTES, Step
from gendan.orders.selectors import (
    LOG_ALL,
    LOG_OPEN,
    LOG_STATE_LABELS,
    LOG_STATES,
    delivery_schedule,
    order_current_step,
    order_get,
    order_history,
    order_log,
    order_log_amount,
    order_route_state,
    order_settlement_visible,
)
from gendan.orders.services.cancel import order_cancel_options
from gendan.orders.services.receipts import (
    order_receipt_add,
    order_receipt_confirm,
    receipt_recorder,
)
from gendan.orders.services.registration import order_register
from gendan.orders.services.verification import (
    CHANGEABLE_FIELDS,
    check_resets,
    order_addition_write,
    order_change,
    order_change_confirm,
    order_checks_confirm,
    order_missing_fields,
    order_refer_to_sales_rep,
    order_referral_answer,
    verifier_may,
)
from gendan.orders.step_facts import (
    MEASUREMENT_FIRST,
    money_text,
    order_measurement,
    order_profit_note,
    order_sent_back,
)
from gendan.orders.step_views import sign_forms
from gendan.parties.models import CustomerKind


@permission("orders.view_order")
def order_log_view(request: HttpRequest) -> HttpResponse:
    """O-2: the order log: open orders by default (a dealer's users: all the dealer's), or
    the orders registered between two days; each with amount, delivery, sales rep and step."""
    params = list_params(request, "day", "start", "end", "q", "state")
    start, end = date_param(params["start"]), date_param(params["end"])
    if day := date_param(params["day"]):
        start = end = day
    state = params["state"]
    if state not in LOG_STATES:
        state = LOG_ALL if start or end else LOG_OPEN
    orders = order_log(user=request.user, start=start, end=end, search=params["q"], state=state)
    if request.GET.get("format") == "xlsx":
        return workbook_response(order_log_xlsx(orders, user=request.user), "order-log.xlsx")
    page = page_of(request, orders)
    context = {
        "page": page,
        "rows": [(order, order_log_amount(request.user, order)) for order in page],
        "params": params | {"state": state},
        "start": start,
        "end": end,
        "states": LOG_STATE_LABELS,
    }
    return render(request, "orders/order_log.html", context)


REGISTER_FORM = "orders.register"


@permission("orders.add_order")
def order_register_view(request: HttpRequest) -> HttpResponse:
    """A form sent twice (a double click, a reload, a retry) registers one order: its one-time
    token leads the second post to the order the first one made."""
    token = form_token(request)
    if request.method == "POST" and (made := form_token_address(request, token, REGISTER_FORM)):
        messages.info(request, FORM_SENT_TWICE)
        return redirect(made)
    form = OrderForm(request.POST or None, request.FILES or None, user=request.user)
    lines = OrderLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            address, new = form_once(
                request, token, REGISTER_FORM, lambda: order_register_posted(request, form, lines)
            )
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            if not new:
                messages.info(request, FORM_SENT_TWICE)
            return redirect(address)
    context = {"form": form, "lines": lines, "form_token": token}
    return render(request, "orders/order_register.html", context)


def order_register_posted(request: HttpRequest, form: OrderForm, lines: OrderLineFormSet) -> str:
    """Register the form's order and say so; the order's address."""
    order = order_register(
        actor=request.user,
        fields=form.cleaned_data,
        lines=[line.line() for line in lines if line.cleaned_data],
    )
    messages.success(request, _("Order %(number)s registered.") % {"number": order.number})
    return reverse("order-detail", args=[order.pk])


@permission("orders.view_order")
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_get(user=request.user, pk=pk)
    step = order_current_step(order)
    mine = step is not None and (request.user.is_superuser or request.user.has_role(step.role))
    done = set(order.checks.values_list("item", flat=True))
    sign = sign_forms(request, order, step)
    context = {
        "order": order,
        "lines": order.lines.select_related("product"),
        "states": order_route_state(order),
        "route": ROUTES[order.route],
        "step": step,
        "mine": mine,
        "step_form": sign["step_form"],
        "record_form": sign["record_form"],
        "checks": [
            (item, item.value in done, item.value in sign["ticked"]) for item in VerificationItem
        ],
        "checks_form": ChecksForm(initial={"items": list(done)}),
        "receipt_form": ReceiptForm(initial={"amount": order_outstanding(order)}),
        "confirmation_form": ReceiptConfirmationForm(),
        "money": order_money_shown(order),
        # O-11: on a dealer's order the road sees what to collect, not the money trail.
        "receipts": order.receipts.select_related("received_by")
        if order_settlement_visible(request.user, order)
        else [],
        "may_record_receipts": receipt_recorder(request.user),
        "credits": order.credits.select_related("customer", "recorded_by"),
        "events": order_history(user=request.user, order=order),
        "revisions": order.revisions.select_related("replaced_by"),
        "may_verify": verifier_may(request.user, order),
        "note_form": NoteForm(),
        "addition_form": AdditionForm(missing=order_missing_fields(order)),
        "checks_taken_back": checks_taken_back(order, done),
        "user_roles": {role.value for role in request.user.roles},
        "dealer_profit": dealer_profit_shown(request.user, order),
        "profit_entry": order.ledger.filter(kind=DealerLedgerEntry.Kind.PROFIT).first(),
        "settlement_shown": order_settlement_visible(request.user, order),
        "schedule": contract_schedule(order.contract) if order.contract_id else [],
        "return_kinds": ReturnKind.choices,
        "cancel": order_cancel_options(request.user, order),
        **step_facts(request.user, order, step, mine),
    }
    return render(request, "orders/order_detail.html", context)


def step_facts(user: User, order: Order, step: Step | None, mine: bool) -> dict:
    """What the step needs on the page (step_facts.py): the measurement, first for the driver
    and the installer; the profit note, its profit (as dealer_profit_shown allows) and the
    send-back form for the dealer who judges it; why the order was sent back to its step."""
    judging = mine and step is not None and step.code == DEALER_APPROVES.code
    sendable = mine and step is not None and bool(step.sends_back_to)
    profit = dealer_profit_shown(user, order) if judging else None
    return {
        "measurement": order_measurement(order),
        "measurement_first": mine and step is not None and step.code in MEASUREMENT_FIRST,
        "profit_note": order_profit_note(order) if judging else None,
        "profit_note_profit": "" if profit is None else money_text(profit),
        "send_back_form": SendBackForm() if sendable else None,
        "send_back_to": ROUTES[order.route].step(step.sends_back_to) if sendable else None,
        "sent_back": order_sent_back(order),
    }


def order_money_shown(order: Order) -> dict[str, object]:
    """What the order owes (O-11: the homeowner's price on a profit note), paid, to collect;
    the cost-note total beside it for those who see settlements."""
    return {
        "owed": order_amount_owed(order),
        "total": order_total(order),
        "paid": order_paid(order),
        "outstanding": order_outstanding(order),
        "profit_note": order_has_profit_note(order),
    }


def checks_taken_back(order: Order, done: set[str]) -> list[VerificationItem]:
    """O-7: the checks a change after verification took back, to confirm again."""
    if "verify" not in order.signed or order.revision < 2:
        return []
    return [item for item in VerificationItem if item.value not in done]


def dealer_profit_shown(user: User, order: Order) -> Decimal | None:
    """O-11: the dealer's profit on its order, to those who see receivables."""
    if order.channel != CustomerKind.DEALER or not user.has_perm("orders.view_receivables"):
        return None
    return order_dealer_profit(order)


@login_required
@require_POST
def order_checks(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_get(user=request.user, pk=pk)
    form = ChecksForm(request.POST)
    if form.is_valid():
        order_checks_confirm(actor=request.user, order=order, items=form.cleaned_data["items"])
        messages.success(request, _("Checks confirmed."))
    return redirect("order-detail", pk=order.pk)


@login_required
@require_POST
def order_receipt(request: HttpRequest, pk: int) -> HttpResponse:
    order = order_get(user=request.user, pk=pk)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return redirect("order-detail", pk=order.pk)
    try:
        order_receipt_add(actor=request.user, order=order, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Receipt recorded."))
    return redirect("order-detail", pk=order.pk)


@login_required
@require_POST
def order_confirmation(request: HttpRequest, pk: int) -> HttpResponse:
    """O-3: the clerk records having told the sender that the order arrived."""
    order = order_get(user=request.user, pk=pk)
    form = ReceiptConfirmationForm(request.POST)
    if form.is_valid():
        order_receipt_confirm(actor=request.user, order=order, **form.cleaned_data)
        messages.success(request, _("Confirmation of receipt recorded."))
    for field, errors in form.errors.items():
        messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect("order-detail", pk=order.pk)


@permission("orders.view_order")
def route_list(request: HttpRequest) -> HttpResponse:
    """Every route drawn from the same data the transition service follows."""
    return render(request, "orders/route_list.html", {"routes": ROUTES.values(), "closed": CLOSED})


# The one-line actions on an order: the service, its text argument, what the user is told.
NOTE_ACTIONS = {
    "refer": (order_refer_to_sales_rep, "note", gettext_lazy("Referred to the sales rep.")),
    "answer": (order_referral_answer, "answer", gettext_lazy("Answer recorded.")),
    "confirm": (order_change_confirm, "confirmed_by", gettext_lazy("Confirmation recorded.")),
}


@login_required
@require_POST
def order_note_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """O-6 and O-7: refer, answer, add to the order, record the customer's confirmation."""
    order = order_get(user=request.user, pk=pk)
    if action == "addition":
        return order_addition_posted(request, order)
    service, argument, done = NOTE_ACTIONS[action]
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["text"]))
        return redirect("order-detail", pk=order.pk)
    try:
        service(actor=request.user, order=order, **{argument: form.cleaned_data["text"]})
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("order-detail", pk=order.pk)


ADDITION_WRITTEN = gettext_lazy("Addition written onto the order.")


def order_addition_posted(request: HttpRequest, order: Order) -> HttpResponse:
    """O-7: the missing fields filled in and anything else found, written onto the order."""
    form = AdditionForm(request.POST, missing=order_missing_fields(order))
    if not form.is_valid():
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
        return redirect("order-detail", pk=order.pk)
    try:
        order_addition_write(
            actor=request.user, order=order, text=form.cleaned_data["text"],
            fields=form.additions(),
        )  # fmt: skip
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, ADDITION_WRITTEN)
    return redirect("order-detail", pk=order.pk)


@login_required
def order_change_view(request: HttpRequest, pk: int) -> HttpResponse:
    """O-7: change the order; a new revision, the old one kept readable."""
    order = order_get(user=request.user, pk=pk)
    if not verifier_may(request.user, order):
        raise PermissionDenied
    initial = [
        {"product": line.product_id, "colour_code": line.colour_code, "quantity": line.quantity,
         "unit_price": line.unit_price, "end_price": line.end_price}
        for line in order.lines.all()
    ]  # fmt: skip
    form = OrderChangeForm(request.POST or None, instance=order)
    lines = OrderLineFormSet(request.POST or None, prefix="lines", initial=initial)
    confirmed = list(order.checks.select_related("confirmed_by"))
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        fields = {name: form.cleaned_data[name] for name in CHANGEABLE_FIELDS}
        try:
            order_change(
                actor=request.user, order=order, fields=fields, reason=form.cleaned_data["reason"],
                lines=[line.line() for line in lines if line.cleaned_data],
            )  # fmt: skip
        except ValidationError as error:
            service_errors_to_form(form, error)
        else:
            messages.success(request, order_changed_message(order, confirmed))
            return redirect("order-detail", pk=order.pk)
    resets = check_resets()
    at_stake = [(check, resets[check.item]) for check in confirmed]
    context = {"order": order, "form": form, "lines": lines, "at_stake": at_stake}
    return render(request, "orders/order_change.html", context)


def order_changed_message(order: Order, confirmed: list) -> str:
    """O-7: said after a change, with the checks it took back, to confirm again."""
    kept = set(order.checks.values_list("item", flat=True))
    taken_back = [check.get_item_display() for check in confirmed if check.item not in kept]
    done = _("The order was changed; the earlier version is kept.")
    if not taken_back:
        return done
    again = _("Checks to confirm again: %(items)s.") % {"items": "、".join(taken_back)}
    return f"{done} {again}"


@permission("orders.view_order")
def order_original(request: HttpRequest, pk: int) -> FileResponse:
    """O-1: the original document, to those who may see the order, unchanged."""
    order = order_get(user=request.user, pk=pk)
    name = order.original_document.name
    if not name or not default_storage.exists(name):
        raise Http404
    return upload_response(default_storage.open(name, "rb"), filename=stored_as(order, name))


@permission("orders.view_order")
def order_photo(request: HttpRequest, pk: int, step: str) -> FileResponse:
    """A photo kept with a step's record (the signed delivery note, O-21)."""
    order = order_get(user=request.user, pk=pk)
    name = order.signed.get(step, {}).get("photo")
    if not name or not default_storage.exists(name):
        raise Http404
    return upload_response(default_storage.open(name, "rb"), filename=stored_as(order, name, step))


def stored_as(order: Order, name: str, *parts: str) -> str:
    """The name a download gets: the order's number, not a name its sender chose."""
    return "-".join([order.number, *parts]) + PurePosixPath(name).suffix


@permission("orders.view_order")
def delivery_schedule_view(request: HttpRequest) -> HttpResponse:
    """Orders still to deliver, by day: what logistics plans and the warehouse prepares."""
    params = list_params(request, "start", "end", "city", "q")
    start, end = date_param(params["start"]), date_param(params["end"])
    orders = delivery_schedule(
        user=request.user, start=start, end=end, city=params["city"], search=params["q"]
    )
    if request.GET.get("format") == "xlsx":
        return workbook_response(
            delivery_schedule_xlsx(orders, user=request.user), "delivery-schedule.xlsx"
        )
    context = {"page": page_of(request, orders), "params": params}
    return render(request, "orders/delivery_schedule.html", context)
