"""Orders in from spreadsheets: upload, follow the progress, read the outcome."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from gendan.core.decorators import permission
from gendan.orders.models import OrderImport
from gendan.orders.spreadsheets.dealer import template_workbook
from gendan.orders.spreadsheets.importing import NOT_AN_XLSX_NAME, order_import_start
from gendan.orders.spreadsheets.reading import Layout
from gendan.orders.spreadsheets.supermarket import supermarket_sample_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@permission("orders.add_order")
def order_import_view(request: HttpRequest) -> HttpResponse:
    """Upload a workbook; its import runs in the background."""
    if request.method == "POST":
        upload = request.FILES.get("file")
        try:
            if upload is None:
                raise ValidationError(NOT_AN_XLSX_NAME)
            job = order_import_start(
                actor=request.user, upload=upload, layout=request.POST.get("layout", "")
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            return redirect("order-import-detail", pk=job.pk)
    jobs = OrderImport.objects.filter(created_by=request.user).defer("content")[:20]
    return render(request, "orders/order_import.html", {"jobs": jobs, "layouts": Layout})


@permission("orders.add_order")
def order_import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The import's progress bar and outcome; htmx asks again until it has finished."""
    job = get_object_or_404(OrderImport.objects.defer("content"), pk=pk, created_by=request.user)
    polled = request.headers.get("HX-Request") == "true"
    template = "order_import_progress" if polled else "order_import_detail"
    return render(request, f"orders/{template}.html", {"job": job})


@permission("orders.add_order")
def order_import_template(request: HttpRequest) -> HttpResponse:
    return workbook_response(template_workbook(), "gendan-order-form-template.xlsx")


@permission("orders.add_order")
def order_import_supermarket_sample(request: HttpRequest) -> HttpResponse:
    return workbook_response(supermarket_sample_workbook(), "gendan-supermarket-quote-sample.xlsx")


def workbook_response(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
