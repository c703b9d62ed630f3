"""Registering the orders of a file: all of them in one transaction, or none; and starting an
import in the task worker."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.models import User
from gendan.orders.audit_events import orders_import_started_event
from gendan.orders.models import Order, OrderImport, OrderLine
from gendan.orders.services.registration import order_register
from gendan.orders.spreadsheets.dealer import template_parse
from gendan.orders.spreadsheets.limits import workbook_check
from gendan.orders.spreadsheets.reading import (
    ORDER_FIELDS,
    Draft,
    ImportProblems,
    Layout,
    Progress,
)
from gendan.orders.spreadsheets.supermarket import supermarket_parse
from gendan.parties.models import Customer, CustomerKind
from gendan.parties.services import customer_create


def drafts_register(actor: User, drafts: list[Draft], layout: str) -> list[Order]:
    """Register every draft in one transaction; a refused order names its rows and nothing
    stays registered."""
    problems: list[tuple[int, str]] = []
    orders = []
    homeowners = Homeowners(drafts, layout)
    with transaction.atomic():
        for draft in drafts:
            try:
                with transaction.atomic():
                    orders.append(draft_register(actor, draft, layout, homeowners))
            except ValidationError as error:
                problems += draft_problems(draft, error)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportProblems(problems)
    return orders


def draft_problems(draft: Draft, error: ValidationError) -> list[tuple[int, str]]:
    """A service's refusal, placed on the row it concerns (a line's, else the order's)."""
    if not hasattr(error, "error_dict"):
        return [(draft.row, message) for message in error.messages]
    found = []
    for name, messages in error.message_dict.items():
        parts = name.split(".")
        row, model = draft.row, Order
        if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit():
            row, model, parts = draft.lines[int(parts[1])][0], OrderLine, parts[2:]
        label = field_label(model, parts[-1] if parts else "")
        found += [(row, f"{label}: {message}" if label else message) for message in messages]
    return found


def field_label(model: type, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return ""


def draft_customer(draft: Draft, layout: str) -> Customer:
    return draft.values["customer"] if layout == Layout.SUPERMARKET else draft.values["经销商"]


class Homeowners:
    """The homeowners of the file's partners, found in one query, and those made meanwhile."""

    def __init__(self, drafts: list[Draft], layout: str):
        partners = {draft_customer(draft, layout).pk for draft in drafts}
        found = Customer.objects.filter(
            kind=CustomerKind.HOMEOWNER, via__in=partners, is_active=True
        ).order_by("-pk")
        self.known = {(customer.via_id, customer.mobile): customer for customer in found}

    def get(self, actor: User, partner: Customer, name: str, mobile: str) -> Customer:
        """The partner's homeowner with this mobile (the oldest), or a new one."""
        if (partner.pk, mobile) not in self.known:
            fields = {"kind": CustomerKind.HOMEOWNER, "name": name, "mobile": mobile,
                      "via": partner}  # fmt: skip
            self.known[partner.pk, mobile] = customer_create(actor=actor, fields=fields)
        return self.known[partner.pk, mobile]


def draft_register(actor: User, draft: Draft, layout: str, homeowners: Homeowners) -> Order:
    values = draft.values
    customer = draft_customer(draft, layout)
    # The homeowner (a dealer's, or a supermarket's shopper) the goods go to.
    end_customer = homeowners.get(actor, customer, values["业主姓名"], values["业主电话"])
    fields = {field: values[column] for column, field in ORDER_FIELDS.items()}
    fields = {name: value for name, value in fields.items() if value not in (None, "")}
    fields |= {"customer": customer, "end_customer": end_customer,
               "contact_name": values["业主姓名"], "contact_phone": values["业主电话"]}  # fmt: skip
    fields |= values.get("extra", {})
    return order_register(actor=actor, fields=fields, lines=[line for _r, line in draft.lines])


PARSERS = {Layout.DEALER_TEMPLATE: template_parse, Layout.SUPERMARKET: supermarket_parse}


def orders_import(
    *, actor: User, content: bytes, layout: str, progress: Progress = lambda done, total: None
) -> list[Order]:
    """Read, check and register: every order of the file, or none."""
    drafts = PARSERS[layout](content, actor, progress)
    return drafts_register(actor, drafts, layout)


TOO_BIG = gettext_lazy("The file is larger than %(megabytes)s MB.")
NOT_AN_XLSX_NAME = gettext_lazy("Choose an .xlsx file.")
MAX_BYTES = 20 * 1024 * 1024


def order_import_start(*, actor: User, upload: Any, layout: str) -> OrderImport:
    """Keep the file and queue its import; the worker checks and registers it."""
    from gendan.orders.tasks import order_import_run

    if not actor.has_perm("orders.add_order"):
        raise PermissionDenied
    if layout not in PARSERS:
        raise ValidationError({"layout": _("Choose the layout of the file.")})
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError({"file": NOT_AN_XLSX_NAME})
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": TOO_BIG % {"megabytes": MAX_BYTES // 1024 // 1024}})
    content = upload.read()
    workbook_check(content)  # a zip bomb is refused on the page, before it is kept
    job = OrderImport.objects.create(
        layout=layout, file_name=upload.name[:200], content=content, created_by=actor
    )
    orders_import_started_event(actor=actor, job=job)
    transaction.on_commit(lambda: order_import_run.enqueue(job.pk))
    return job
