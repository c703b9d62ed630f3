"""Documents through the API: which papers an order has, issuing one, its PDF."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema

from gendan.core.api_helpers import RecordId, permission_require
from gendan.documents.models import DocumentKind
from gendan.documents.selectors import order_paperwork, printed_get
from gendan.documents.services import document_issue
from gendan.documents.views import pdf_response
from gendan.orders.selectors import order_get

router = Router(tags=["documents"])


class FileOut(Schema):
    paper: str
    sha256: str
    url: str


class DocumentOut(Schema):
    id: int
    kind: str
    number: str
    version: int
    content_hash: str
    issued_by: str
    issued_at: dt.datetime
    superseded_at: dt.datetime | None
    files: list[FileOut]


class PaperworkOut(Schema):
    kind: str
    label: str
    ready: bool
    versions: list[DocumentOut]


def document_out(document) -> dict:
    return {
        "id": document.pk, "kind": document.kind, "number": document.number,
        "version": document.version, "content_hash": document.content_hash,
        "issued_by": str(document.issued_by), "issued_at": document.issued_at,
        "superseded_at": document.superseded_at,
        "files": [
            {"paper": printed.paper, "sha256": printed.sha256,
             "url": f"/api/documents/{document.pk}/{printed.paper}.pdf"}
            for printed in document.files.all()
        ],
    }  # fmt: skip


@router.get("/orders/{order_id}", response=list[PaperworkOut])
def paperwork_list(request: HttpRequest, order_id: int):
    """The papers of the order's route, whether each can be issued now, and the versions."""
    permission_require(request, "orders.view_order")
    order = order_get(user=request.user, pk=order_id)
    return [
        {"kind": paper.kind, "label": str(paper.label), "ready": paper.ready,
         "versions": [document_out(document) for document in paper.versions]}
        for paper in order_paperwork(order)
    ]  # fmt: skip


@router.post("/orders/{order_id}/{kind}", response=DocumentOut)
def document_issue_api(request: HttpRequest, order_id: int, kind: DocumentKind):
    """Issue the paper: the current version when nothing it shows has changed, else a new one."""
    permission_require(request, "orders.view_order")
    order = order_get(user=request.user, pk=order_id)
    return document_out(document_issue(actor=request.user, order=order, kind=kind))


@router.get("/{document_id}/{paper}.pdf", response={200: None})
def document_pdf(request: HttpRequest, document_id: RecordId, paper: str) -> HttpResponse:
    """The PDF as printed when issued (the same bytes every time)."""
    permission_require(request, "orders.view_order")
    return pdf_response(printed_get(user=request.user, document_id=document_id, paper=paper))
