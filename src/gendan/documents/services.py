"""Issuing documents: content frozen with its hash, PDFs printed once and kept, a new version
when what a document shows has changed."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.documents.audit_events import document_issued_event, document_voided_event
from gendan.documents.content import BUILDERS, RETURN_BUILDERS, Content, moment
from gendan.documents.models import Document, DocumentFile, DocumentKind, Paper
from gendan.documents.rendering import content_hash, document_pdf
from gendan.documents.selectors import (
    document_issuer,
    document_made_at,
    document_ready,
    order_document_kinds,
)
from gendan.orders.models import GoodsReturn, Order, StepLog
from gendan.orders.routes import CANCELLED, ROUTES

NOT_FOR_THIS_ORDER = _("This order has no %(document)s on its route.")
NOT_YET = _("The %(document)s is made at the step “%(step)s”; the order has not reached it yet.")
NO_END_PRICE = _(
    "O-11: the profit note is priced at the dealer's price to the homeowner; line %(position)s "
    "has none yet."
)
MAY_NOT_ISSUE = _("Your role does not issue the %(document)s.")
NOT_A_RETURN_PAPER = _("A return has a warehouse receipt and a return note only.")
ORDER_CANCELLED = _("The order is cancelled: its papers are void and none is issued again.")
RETURN_NOT_YET = _(
    "The %(document)s is made once the warehouse has booked the goods in and, for the return "
    "note, once the clerk has made it."
)

# The delivery notes also print on the dot-matrix printers' continuous form (O-10).
PAPERS = {DocumentKind.DELIVERY_NOTE: (Paper.A4, Paper.FORM)}
PAPERS[DocumentKind.PROFIT_NOTE] = PAPERS[DocumentKind.DELIVERY_NOTE]


@transaction.atomic
def document_issue(*, actor: User, order: Order, kind: str) -> Document:
    """Issue the paper: the current version when nothing it shows has changed since, else a
    new version (the old one superseded). Printing it again gives the same bytes."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    label = DocumentKind(kind).label
    if order.step == CANCELLED:
        raise ValidationError(ORDER_CANCELLED)
    if kind not in order_document_kinds(order):
        raise ValidationError(NOT_FOR_THIS_ORDER % {"document": label})
    issuer_require(actor, kind)
    if not document_ready(order, kind):
        step = ROUTES[order.route].step(document_made_at(order, kind))
        raise ValidationError(NOT_YET % {"document": label, "step": step.label})
    return document_version(actor=actor, order=order, kind=kind, reason="")[0]


@transaction.atomic
def return_document_issue(*, actor: User, goods_return: GoodsReturn, kind: str) -> Document:
    """The warehouse receipt once the goods are booked in, the return note once the clerk
    has made it (O-62, O-63)."""
    goods_return = GoodsReturn.objects.select_for_update().get(pk=goods_return.pk)
    if kind not in RETURN_BUILDERS:
        raise ValidationError(NOT_A_RETURN_PAPER)
    label = DocumentKind(kind).label
    issuer_require(actor, kind)
    made = (
        goods_return.note_made_at if kind == DocumentKind.RETURN_NOTE else goods_return.received_at
    )
    if not made:
        raise ValidationError(RETURN_NOT_YET % {"document": label})
    return document_version(
        actor=actor, order=goods_return.order, kind=kind, reason="", goods_return=goods_return
    )[0]


def issuer_require(actor: User, kind: str) -> None:
    if not document_issuer(actor, kind):
        raise PermissionDenied(MAY_NOT_ISSUE % {"document": DocumentKind(kind).label})


def document_version(
    *, actor: User, order: Order, kind: str, reason: str, goods_return: GoodsReturn | None = None
) -> tuple[Document, bool]:
    """The current version if its content is what the order shows now, else a new one
    (and True)."""
    content = document_content(order, kind, goods_return)
    digest = content_hash(content)
    current = Document.objects.filter(number=content["number"], superseded_at=None).first()
    if current is not None and current.content_hash == digest:
        return current, False
    now = timezone.now()
    if current is not None:
        current.superseded_at = now
        current.save(update_fields=["superseded_at"])
    document = Document.objects.create(
        order=order, goods_return=goods_return, kind=kind, number=content["number"],
        content=content, content_hash=digest, version=current.version + 1 if current else 1,
        issued_by=actor, issued_at=now, reason=reason,
    )  # fmt: skip
    if current is not None:
        current.superseded_by = document
        current.save(update_fields=["superseded_by"])
    for paper in PAPERS.get(kind, (Paper.A4,)):
        document_file_print(document, paper)
    document_issued_event(actor=actor, order=order, document=document)
    return document, True


def document_content(order: Order, kind: str, goods_return: GoodsReturn | None) -> Content:
    with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
        if goods_return is not None:
            return RETURN_BUILDERS[kind](goods_return)
        content = BUILDERS[kind](order)
    if kind == DocumentKind.PROFIT_NOTE:
        missing = order.lines.filter(end_price=None).values_list("position", flat=True).first()
        if missing is not None:
            raise ValidationError(NO_END_PRICE % {"position": missing})
    return content


def document_file_print(document: Document, paper: str) -> DocumentFile:
    pdf = document_pdf(
        document.content, version=document.version, issued_at=document.issued_at, paper=paper
    )
    return DocumentFile.objects.create(
        document=document, paper=paper, pdf=pdf, sha256=hashlib.sha256(pdf).hexdigest(),
        printed_at=timezone.now(),
    )  # fmt: skip


def documents_refresh(*, actor: User, order: Order, reason: str) -> list[Document]:
    """After a change to the order (run by the task worker, see orders/effects.py): each paper
    issued whose content differs now gets a new version, and the old one is superseded."""
    if order.step == CANCELLED:
        return []  # its papers are void (documents_void): none is issued again
    issued = order.documents.filter(superseded_at=None, goods_return=None)  # returns stand alone
    reason = reason[: Document._meta.get_field("reason").max_length]
    renewed = []
    for current in issued.defer("content"):
        if current.kind not in order_document_kinds(order):
            continue  # the route no longer has it; the last version stays as it was
        try:
            document, new = document_version(
                actor=actor, order=order, kind=current.kind, reason=reason
            )
        except ValidationError:
            # It cannot be drawn as the order stands (a profit note without the dealer's
            # prices): the old one no longer holds, and a new one waits for what is missing.
            current.superseded_at = timezone.now()
            current.save(update_fields=["superseded_at"])
            continue
        if new:
            renewed.append(document)
    return renewed


def documents_void(order: Order, entry: StepLog) -> list[Document]:
    """The order is cancelled (its step log ``entry``, run by the task worker): each paper's
    current version gets a void version, the same paper marked VOID with who cancelled it,
    when and why. The bytes of the versions before stay as they were printed."""
    order = Order.objects.select_for_update().get(pk=order.pk)
    current = order.documents.filter(superseded_at=None, goods_return=None, void_at=None)
    return [document_void_version(document, entry) for document in current.order_by("pk")]


def document_void_version(current: Document, entry: StepLog) -> Document:
    reason = entry.note[: Document._meta.get_field("void_reason").max_length]
    void = {"by": entry.signature, "at": moment(entry.at), "reason": reason}
    content = {**current.content, "void": void}
    now = timezone.now()
    current.superseded_at = now
    current.save(update_fields=["superseded_at"])
    document = Document.objects.create(
        order=current.order, kind=current.kind, number=current.number, content=content,
        content_hash=content_hash(content), version=current.version + 1, issued_by=entry.actor,
        issued_at=now, reason=reason, void_at=entry.at, void_by=entry.actor, void_reason=reason,
    )  # fmt: skip
    current.superseded_by = document
    current.save(update_fields=["superseded_by"])
    for paper in current.files.values_list("paper", flat=True):
        document_file_print(document, paper)
    document_voided_event(actor=entry.actor, document=document)
    return document
