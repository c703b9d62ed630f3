from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from gendan.core.decorators import permission
from gendan.documents.models import DocumentFile, DocumentKind, Paper
from gendan.documents.selectors import printed_get
from gendan.documents.services import document_issue, return_document_issue
from gendan.orders.models import GoodsReturn
from gendan.orders.selectors import order_get, order_visible


@permission("orders.view_order")
@require_POST
def document_issue_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Issue (or take the current version of) a paper of the order, then print it."""
    order = order_get(user=request.user, pk=pk)
    if kind not in DocumentKind.values:
        return redirect("order-detail", pk=pk)
    try:
        document = document_issue(actor=request.user, order=order, kind=kind)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("order-detail", pk=pk)
    paper = request.POST.get("paper", Paper.A4)
    printed = document.files.values_list("paper", flat=True)
    return redirect("document-pdf", pk=document.pk, paper=paper if paper in printed else Paper.A4)


@permission("orders.view_order")
@require_POST
def return_document_issue_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """The warehouse receipt or the return note of a return (O-62, O-63), then print it."""
    goods_return = get_object_or_404(
        GoodsReturn.objects.filter(order__in=order_visible(request.user)), pk=pk
    )
    try:
        document = return_document_issue(actor=request.user, goods_return=goods_return, kind=kind)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(reverse("order-detail", args=[goods_return.order_id]) + "#returns")
    return redirect("document-pdf", pk=document.pk, paper=Paper.A4)


@permission("orders.view_order")
def document_pdf_view(request: HttpRequest, pk: int, paper: str) -> HttpResponse:
    """The PDF as it was printed when issued: the same bytes every time."""
    return pdf_response(printed_get(user=request.user, document_id=pk, paper=paper))


def pdf_response(printed: DocumentFile) -> HttpResponse:
    document = printed.document
    name = f"{document.number}-v{document.version}-{printed.paper}.pdf"
    response = HttpResponse(bytes(printed.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["ETag"] = f'"{printed.sha256}"'
    return response
