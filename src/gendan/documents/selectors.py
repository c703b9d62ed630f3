"""Which papers an order has, when each can be issued, and the versions issued."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.documents.content import has_profit_note
from gendan.documents.models import Document, DocumentFile, DocumentKind
from gendan.orders.models import Order
from gendan.orders.routes import CANCELLED, CLOSED, ROUTES
from gendan.orders.selectors import order_get

# The step at which each paper is made (the order must have reached it), by the handbook.
MADE_AT = {
    DocumentKind.ORDER_FORM: "register",
    DocumentKind.MEASUREMENT_NOTICE: "measurement_notice",
    DocumentKind.DISPATCH_ADVICE: "dispatch_advice",
    DocumentKind.DELIVERY_NOTE: "delivery_note",
    DocumentKind.PROFIT_NOTE: "delivery_note",
    DocumentKind.HANDOVER_SHEET: "delivery_note",  # O-60: sent with the delivery note
    DocumentKind.WARRANTY_CARD: "install",  # O-60: the installer takes the card along
}


# Who issues each paper (O-8): the role that makes it, and the clerk who keeps the papers.
ISSUERS = {
    DocumentKind.ORDER_FORM: {Role.CLERK, Role.ACCOUNT_MANAGER},
    DocumentKind.MEASUREMENT_NOTICE: {Role.CLERK, Role.SERVICE, Role.SERVICE_MANAGER},
    DocumentKind.DISPATCH_ADVICE: {Role.CLERK, Role.ACCOUNT_MANAGER, Role.INSTALLER},
    DocumentKind.DELIVERY_NOTE: {Role.CLERK, Role.FINANCE, Role.WAREHOUSE},
    DocumentKind.PROFIT_NOTE: {Role.CLERK, Role.FINANCE, Role.WAREHOUSE},
    DocumentKind.HANDOVER_SHEET: {Role.CLERK, Role.WAREHOUSE, Role.SERVICE},
    DocumentKind.WARRANTY_CARD: {Role.CLERK, Role.SERVICE, Role.SERVICE_MANAGER},
    DocumentKind.WAREHOUSE_RECEIPT: {Role.WAREHOUSE, Role.CLERK},
    DocumentKind.RETURN_NOTE: {Role.CLERK, Role.FINANCE},
}


def document_issuer(user: User, kind: str) -> bool:
    return user.is_superuser or user.has_role(*ISSUERS[kind])


def order_document_kinds(order: Order) -> list[str]:
    """The papers of the order's route (O-8), in the order they are made."""
    route = ROUTES[order.route]
    kinds = [DocumentKind.ORDER_FORM]
    if route.has("measurement_notice"):
        kinds.append(DocumentKind.MEASUREMENT_NOTICE)
    # O-12: written from the order, and from the measurement where there is one.
    if route.has("dispatch_advice") or route.has("measure"):
        kinds.append(DocumentKind.DISPATCH_ADVICE)
    kinds.append(DocumentKind.DELIVERY_NOTE)
    if has_profit_note(order):
        kinds.append(DocumentKind.PROFIT_NOTE)
    if order.needs_installation and route.has("install"):
        kinds.append(DocumentKind.HANDOVER_SHEET)
    if route.has("warranty_card"):
        kinds.append(DocumentKind.WARRANTY_CARD)
    return kinds


def document_made_at(order: Order, kind: str) -> str:
    """The step the paper is made at on this order's route."""
    made_at = MADE_AT[kind]
    if kind == DocumentKind.DISPATCH_ADVICE and not ROUTES[order.route].has(made_at):
        return "return_measurement"  # after the measurement comes back (O-12)
    return made_at


def document_ready(order: Order, kind: str) -> bool:
    """Whether the order has reached the step the paper is made at."""
    if order.step == CLOSED:
        return True
    if order.step == CANCELLED:
        return False  # a cancelled order's papers are void; none is issued any more
    codes = [step.code for step in ROUTES[order.route].steps]
    return codes.index(order.step) >= codes.index(document_made_at(order, kind))


@dataclass(frozen=True)
class Paperwork:
    kind: str
    label: str
    ready: bool
    versions: list[Document]
    may_issue: bool = False
    readable: bool = True  # False: the user may not open its PDFs (O-11)


def order_paperwork(order: Order, user: User | None = None) -> list[Paperwork]:
    """Each paper of the order with its versions, newest first, for the order page; and
    whether ``user`` may issue it."""
    issued: dict[str, list[Document]] = {}
    for document in order_documents(order):
        issued.setdefault(document.kind, []).append(document)
    return [
        paper_of(order, kind, issued.get(kind, []), user) for kind in order_document_kinds(order)
    ]


def paper_of(order: Order, kind: str, versions: list[Document], user: User | None) -> Paperwork:
    readable = user is None or paper_readable(user, order, kind)
    may_issue = user is not None and readable and document_issuer(user, kind)
    label = DocumentKind(kind).label
    return Paperwork(kind, label, document_ready(order, kind), versions, may_issue, readable)


# The papers priced at the order's own prices: on a dealer's order, the dealer's settlement.
SETTLEMENT_PRICED = frozenset(
    {DocumentKind.DELIVERY_NOTE, DocumentKind.ORDER_FORM, DocumentKind.DISPATCH_ADVICE,
     DocumentKind.RETURN_NOTE}
)  # fmt: skip


def paper_readable(user: User, order: Order, kind: str) -> bool:
    """O-11: beside a profit note, only it travels to the warehouse, the driver and the
    homeowner; the cost note and every other paper priced at the dealer's settlement (which,
    beside the profit note, tells the dealer's profit) stay with those who see receivables."""
    if kind not in SETTLEMENT_PRICED or not has_profit_note(order):
        return True
    return user.has_perm("orders.view_receivables")


def printed_get(*, user: User, document_id: int, paper: str) -> DocumentFile:
    """A paper as printed, to those who may see its order (404 to others) and read it (403)."""
    printed = get_object_or_404(
        DocumentFile.objects.select_related("document"), document_id=document_id, paper=paper
    )
    printed.document.order = order_get(user=user, pk=printed.document.order_id)
    if not paper_readable(user, printed.document.order, printed.document.kind):
        raise PermissionDenied
    return printed


def order_documents(order: Order) -> QuerySet[Document]:
    return (
        order.documents.filter(goods_return=None)
        .select_related("issued_by", "void_by")
        .prefetch_related(Prefetch("files", DocumentFile.objects.defer("pdf").order_by("paper")))
        .defer("content")
        .order_by("kind", "-version")
    )
