"""Issued means frozen: the content and its hash kept, the same bytes when printed again, and a
new version (the old one superseded) when the order changes after issue."""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.documents.models import Document, DocumentKind, Paper
from gendan.documents.rendering import content_hash, document_pdf
from gendan.documents.services import document_issue
from gendan.documents.tests.helpers import needs_poppler, pdf_text, walked_to
from gendan.orders.services.effects import effects_due_run
from gendan.orders.services.registration import LineInput
from gendan.orders.services.verification import order_addition_write, order_change
from gendan.orders.tests.helpers import scenario, staff

pytestmark = [pytest.mark.django_db, needs_poppler]
NOTE = DocumentKind.DELIVERY_NOTE


def issued(order, kind=NOTE) -> Document:
    return document_issue(actor=staff(Role.CLERK), order=order, kind=kind)


def pdf_of(document: Document, paper: str = Paper.A4) -> bytes:
    return bytes(document.files.get(paper=paper).pdf)


def test_printing_again_gives_the_same_version_and_the_same_bytes():
    # given a delivery note issued
    order = walked_to(scenario("dealer"), "receive_payment")
    first = issued(order)
    # when it is printed again, with nothing changed
    again = issued(order)
    # then it is the same version, the same bytes, with the hashes kept
    assert again.pk == first.pk and Document.objects.count() == 1
    for paper in (Paper.A4, Paper.FORM):
        printed = first.files.get(paper=paper)
        assert hashlib.sha256(bytes(printed.pdf)).hexdigest() == printed.sha256
    assert first.content_hash == content_hash(first.content)
    # and drawing the frozen content again gives those bytes: nothing of the moment leaks in
    redrawn = document_pdf(first.content, version=1, issued_at=first.issued_at, paper=Paper.A4)
    assert redrawn == pdf_of(first)


def test_a_change_to_the_order_after_issue_makes_a_new_version_and_supersedes_the_old():
    """O-7: a changed order is re-issued; the papers issued follow it, the old kept."""
    # given an order form and a delivery note issued
    order = walked_to(scenario("dealer"), "receive_payment")
    note, form = issued(order), issued(order, DocumentKind.ORDER_FORM)
    old_bytes = pdf_of(note)
    line = order.lines.select_related("product").get()
    # when the clerk changes the quantity, and the task worker carries out what follows
    order_change(
        actor=staff(Role.CLERK), order=order, fields={}, reason="客户改为12平方米",
        lines=[LineInput(product=line.product, quantity=Decimal("12"), unit_price=Decimal("100"))],
    )  # fmt: skip
    effects_due_run()
    # then each has a second version under the same number, and the first is superseded
    for first in (note, form):
        first.refresh_from_db()
        second = first.superseded_by
        assert second is not None and first.superseded_at is not None
        assert (second.number, second.version, second.reason) == (
            first.number,
            2,
            "客户改为12平方米",
        )
        assert second.content_hash != first.content_hash
        assert "1,200.00" in pdf_text(pdf_of(second)) and "壹仟贰佰元整" in pdf_text(pdf_of(second))
    # and the first version is still there, unchanged
    assert pdf_of(note) == old_bytes and "1,000.00" in pdf_text(old_bytes)
    assert Document.objects.filter(superseded_at=None).count() == 2


def test_an_addition_written_onto_the_order_renews_the_papers_that_show_it():
    """O-7: an addition found at verification goes onto the papers issued."""
    order = walked_to(scenario("dealer"), "verify")
    form = issued(order, DocumentKind.ORDER_FORM)
    order_addition_write(actor=staff(Role.CLERK), order=order, text="楼梯需另外报价")
    effects_due_run()  # the task worker
    form.refresh_from_db()
    assert form.superseded_by.version == 2
    assert "楼梯需另外报价" in pdf_text(pdf_of(form.superseded_by))


def test_signatures_given_since_issue_appear_on_the_next_version():
    order = walked_to(scenario("dealer"), "receive_payment")
    first = issued(order)
    order = walked_to(order, "ship")  # finance received the payment and signed
    second = issued(order)
    assert second.version == 2 and second.number == first.number
    finance = order.step_log.get(step="finance_review").actor.display_name
    boxes = {box["label"]: box["name"] for box in second.content["signatures"]}
    assert boxes["财务"] == finance
    first.refresh_from_db()
    assert first.superseded_by == second


def test_a_change_that_leaves_the_profit_note_without_prices_supersedes_it_and_goes_through():
    """O-11 and O-7: the change is kept; the profit note, which cannot be drawn without the
    dealer's prices, is superseded and waits for them."""
    order = walked_to(scenario("dealer", install=True, end_price=Decimal("150")), "measure")
    order = walked_to(order, "send_profit_note")
    profit, _note = issued(order, DocumentKind.PROFIT_NOTE), issued(order)
    line = order.lines.select_related("product").get()
    order_change(
        actor=staff(Role.CLERK), order=order, fields={}, reason="改为12平方米",
        lines=[LineInput(product=line.product, quantity=Decimal("12"), unit_price=Decimal("100"))],
    )  # fmt: skip
    effects_due_run()  # the task worker
    profit.refresh_from_db()
    assert profit.superseded_at is not None and profit.superseded_by is None
    assert order.lines.get().quantity == 12
    assert Document.objects.get(kind="delivery_note", superseded_at=None).version == 2
