"""The pages of money: what customers owe (receivables, by age), a dealer's account and
statement (O-11, O-50, O-54, O-55), and a payer's credits."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from gendan.core.decorators import permission
from gendan.core.listing import date_param, list_params, page_of
from gendan.orders.exports import receivables_xlsx
from gendan.orders.exports_statement import dealer_statement_xlsx
from gendan.orders.forms import (
    DealerAccountForm,
    DealerChargeForm,
    DealerSettlementForm,
)
from gendan.orders.import_views import workbook_response
from gendan.orders.models import (
    DealerCharge,
)
from gendan.orders.money import (
    AGEING_CODES,
    AGEING_COLUMNS,
)
from gendan.orders.selectors import (
    ReceivablesFilter,
    dealer_account,
    dealer_statement,
    order_get,
    payer_credits,
    receivables,
    receivables_totals,
)
from gendan.orders.services.charges import dealer_charge_offset, dealer_charge_record
from gendan.orders.services.dealer_ledger import dealer_profit_credit, dealer_settlement_pay
from gendan.parties.models import Customer, CustomerKind
from gendan.parties.selectors import customer_get


@permission("orders.view_receivables")
def receivables_view(request: HttpRequest) -> HttpResponse:
    """What each customer, and each dealer's homeowners together, still owe, by age."""
    by = "dealer" if request.GET.get("by") == "dealer" else "customer"
    params = list_params(request, "customer", "dealer", "channel", "start", "end")
    filters = ReceivablesFilter(
        customer=params["customer"], dealer=params["dealer"],
        channel=params["channel"] if params["channel"] in CustomerKind.values else "",
        start=date_param(params["start"]), end=date_param(params["end"]),
    )  # fmt: skip
    rows = receivables(user=request.user, by=by, filters=filters)
    totals = receivables_totals(user=request.user, by=by, filters=filters)
    if request.GET.get("format") == "xlsx":
        return workbook_response(receivables_xlsx(rows, by, totals), f"receivables-{by}.xlsx")
    page = page_of(request, rows)
    context = {
        "page": page,
        "lines": [(row, [row[code] for code in AGEING_CODES]) for row in page],
        "totals": totals,
        "total_buckets": [totals[code] for code in AGEING_CODES],
        "columns": AGEING_COLUMNS,
        "by": by,
        "params": params,
        "channels": CustomerKind.choices,
    }
    return render(request, "orders/receivables.html", context)


@permission("orders.view_receivables")
def dealer_account_view(request: HttpRequest, dealer_id: int) -> HttpResponse:
    """O-54: a dealer's profit on its orders, the charges to take from it, and its statement
    (O-11, O-55). Finance acts on it; the dealer reads its own, and no other."""
    dealer = customer_get(user=request.user, pk=dealer_id)
    if dealer.kind != CustomerKind.DEALER:
        raise Http404
    if request.method == "POST":
        if request.POST.get("action") in STATEMENT_ACTIONS:
            dealer_statement_post(request, dealer)
        else:
            dealer_account_post(request)
        return redirect("dealer-account", dealer_id=dealer.pk)
    statement = dealer_statement(user=request.user, dealer_id=dealer.pk)
    if request.GET.get("format") == "xlsx":
        return workbook_response(dealer_statement_xlsx(dealer, statement), "dealer-statement.xlsx")
    context = {
        "dealer": dealer,
        "account": dealer_account(user=request.user, dealer_id=dealer.pk),
        "statement": statement,
        "settlement_form": DealerSettlementForm(),
        "kinds": DealerCharge.Kind.choices,
        "user_roles": {role.value for role in request.user.roles},
    }
    return render(request, "orders/dealer_account.html", context)


@permission("orders.view_receivables")
def customer_credits(request: HttpRequest, pk: int) -> HttpResponse:
    """The payer's credits (money kept beyond what orders owed), for its customer page."""
    customer = customer_get(user=request.user, pk=pk)
    credits = payer_credits(user=request.user, customer_id=customer.pk)
    return render(request, "orders/_customer_credits.html", {"credits": credits})


STATEMENT_ACTIONS = ("settle", "credit")


def dealer_statement_post(request: HttpRequest, dealer: Customer) -> None:
    """Finance pays the dealer a settlement, or credits the profit of a paid order."""
    try:
        if request.POST["action"] == "credit":
            ids = DealerAccountForm(request.POST)
            order_id = ids.cleaned_data["order"] if ids.is_valid() else None
            order = order_get(user=request.user, pk=order_id or 0)
            if order.customer_id != dealer.pk:
                raise Http404
            dealer_profit_credit(actor=request.user, order=order)
        else:
            form = DealerSettlementForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            dealer_settlement_pay(actor=request.user, dealer=dealer, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Dealer statement updated."))


def dealer_account_post(request: HttpRequest) -> None:
    """Finance books a charge on an order, or takes an open charge from an order's profit."""
    try:
        ids = DealerAccountForm(request.POST)
        if not ids.is_valid():
            raise ValidationError([e for errors in ids.errors.values() for e in errors])
        if ids.cleaned_data["charge"]:
            charge = get_object_or_404(DealerCharge, pk=ids.cleaned_data["charge"])
            against = order_get(user=request.user, pk=ids.cleaned_data["against"] or 0)
            dealer_charge_offset(actor=request.user, charge=charge, against=against)
        else:
            order = order_get(user=request.user, pk=ids.cleaned_data["order"] or 0)
            form = DealerChargeForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            dealer_charge_record(actor=request.user, order=order, **form.cleaned_data)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Dealer account updated."))
