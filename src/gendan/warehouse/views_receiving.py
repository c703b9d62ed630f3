"""Receiving pages: the receipts list, a new receipt (form or .xlsx), a receipt with what it
made, and its labels as a PDF. Each validates, calls one service or selector, and renders."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from gendan.audit.selectors import audit_events_for
from gendan.core.decorators import permission
from gendan.core.idempotency import FORM_SENT_TWICE, form_once, form_token, form_token_address
from gendan.core.listing import date_param, list_params, page_of
from gendan.warehouse.forms_receiving import ReceiptForm, ReceiptLineFormSet
from gendan.warehouse.labels import MAX_LABELS, labels_pdf
from gendan.warehouse.models import GoodsReceipt
from gendan.warehouse.receiving_import import (
    IMPORT_EMPTY,
    ImportForm,
    receipt_import,
    template_workbook,
)
from gendan.warehouse.selectors_receiving import receipt_contents, receipt_get, receipt_list
from gendan.warehouse.services.receiving import receipt_create

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECEIPT_FORM = "warehouse.receipt"


@permission("warehouse.view_stockmove")
def receipt_list_view(request: HttpRequest) -> HttpResponse:
    params = list_params(request, "q", "source", "start", "end", "o")
    receipts = receipt_list(
        search=params["q"], source=params["source"], start=date_param(params["start"]),
        end=date_param(params["end"]), order=params["o"] or "-received_at",
    )  # fmt: skip
    context = {"page": page_of(request, receipts), "params": params,
               "sources": GoodsReceipt.Source.choices}  # fmt: skip
    return render(request, "warehouse/receiving_list.html", context)


@permission("warehouse.add_goodsreceipt")
def receipt_create_view(request: HttpRequest) -> HttpResponse:
    """A form sent twice (a double click, a reload) receives the goods once."""
    token = form_token(request)
    if request.method == "POST" and (made := form_token_address(request, token, RECEIPT_FORM)):
        messages.info(request, FORM_SENT_TWICE)
        return redirect(made)
    form = ReceiptForm(request.POST or None)
    lines = ReceiptLineFormSet(request.POST or None, prefix="lines")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        try:
            address, new = form_once(
                request, token, RECEIPT_FORM, lambda: receipt_posted(request, form, lines)
            )
        except ValidationError as error:
            errors_to_forms(form, lines, error)
        else:
            if not new:
                messages.info(request, FORM_SENT_TWICE)
            return redirect(address)
    context = {"form": form, "lines": lines, "form_token": token}
    return render(request, "warehouse/receiving_form.html", context)


def receipt_posted(request: HttpRequest, form: ReceiptForm, lines: ReceiptLineFormSet) -> str:
    filled = [line for line in lines if line.cleaned_data]
    receipt = receipt_create(
        actor=request.user, **form.cleaned_data, lines=[line.line() for line in filled]
    )
    messages.success(request, _("Goods received: receipt %(number)s.") % {"number": receipt.number})
    return reverse("warehouse-receipt-detail", args=[receipt.pk])


def errors_to_forms(form: ReceiptForm, lines: ReceiptLineFormSet, error: ValidationError) -> None:
    """The service's errors on the fields they name: ``lines.2.quantity`` on the third filled
    line's quantity (blank rows are skipped, as the service never saw them)."""
    filled = [line for line in lines if line.cleaned_data]
    by_field = error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
    for name, messages_ in by_field.items():
        parts = (name or "").split(".")
        if parts[0] == "lines" and len(parts) == 3 and int(parts[1]) < len(filled):
            target, field = filled[int(parts[1])], parts[2]
            target.add_error(field if field in target.fields else None, messages_)
        else:
            form.add_error(name if name in form.fields else None, messages_)


@permission("warehouse.view_stockmove")
def receipt_detail(request: HttpRequest, pk: int) -> HttpResponse:
    receipt = receipt_get(pk=pk)
    context = {"receipt": receipt, "events": audit_events_for(receipt)[:50]}
    context["max_labels"] = MAX_LABELS
    context |= receipt_contents(receipt)
    # A delivery of thousands of boxes: their labels a page at a time.
    context["package_page"] = page_of(request, context.pop("packages"))
    context["package_count"] = sum(line.packages for line in context["lines"])
    return render(request, "warehouse/receiving_detail.html", context)


@permission("warehouse.add_goodsreceipt")
def receipt_labels(request: HttpRequest, pk: int) -> HttpResponse:
    """One label a box or roll, for the printer (100 × 60 mm); ``?line=2``: that line's."""
    line = request.GET.get("line", "")
    position = int(line) if line.isdigit() and len(line) < 6 else None
    receipt = receipt_get(pk=pk)
    try:
        return labels_response(receipt, position)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("warehouse-receipt-detail", pk=receipt.pk)


def labels_response(receipt: GoodsReceipt, position: int | None = None) -> HttpResponse:
    """All the receipt's labels, or one line's (a large delivery prints line by line)."""
    if position is not None and not receipt.lines.filter(position=position).exists():
        raise Http404
    suffix = f"-{position}" if position is not None else ""
    response = HttpResponse(labels_pdf(receipt, position), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{receipt.number}{suffix}-labels.pdf"'
    return response


@permission("warehouse.add_goodsreceipt")
def receipt_import_view(request: HttpRequest) -> HttpResponse:
    """A workbook of lines, checked whole: every line received, or none and each row's errors."""
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            receipt = receipt_import(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            problems = error.messages
        else:
            messages.success(
                request, _("Goods received: receipt %(number)s.") % {"number": receipt.number}
            )
            return redirect("warehouse-receipt-detail", pk=receipt.pk)
    elif request.method == "POST" and "file" in form.errors and not request.FILES:
        problems = [str(IMPORT_EMPTY)]
    context = {"form": form, "problems": problems}
    return render(request, "warehouse/receiving_import.html", context)


@permission("warehouse.add_goodsreceipt")
def receipt_import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="gendan-goods-receipt.xlsx"'
    return response
