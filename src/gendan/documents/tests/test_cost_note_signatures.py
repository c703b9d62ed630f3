"""O-11: the cost note beside a profit note carries only its own signatures; the warehouse,
driver and homeowner sign the profit note, which is the one that travels."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.documents.models import DocumentKind, Paper
from gendan.documents.services import document_issue
from gendan.documents.tests.helpers import needs_poppler, pdf_pages, pdf_text, walked_to
from gendan.orders.tests.helpers import scenario, staff
from gendan.testing import in_chinese

pytestmark = [pytest.mark.django_db, needs_poppler]
TRAVELLING = ["Warehouse (shipped)", "Handled by (collected)", "Received by (homeowner)"]
OWN = ["Made by (clerk)", "Finance"]


def printed(order, kind: str, paper: str = Paper.A4) -> bytes:
    document = document_issue(actor=staff(Role.CLERK), order=order, kind=kind)
    return bytes(document.files.get(paper=paper).pdf)


def delivered_dealer_order():
    """A dealer's order the company delivered, installs and collects for: shipped and signed."""
    order = scenario("dealer", install=True, end_price=Decimal("150"))
    return walked_to(order, "goods_paid")


@pytest.mark.parametrize("paper", [Paper.A4, Paper.FORM])
def test_o11_the_cost_note_shows_no_warehouse_driver_or_homeowner_signature(paper):
    """O-11: once shipped and delivered, the cost note still has no box for the warehouse,
    the driver or the homeowner, nor a copy named for them: it never travels."""
    # given a dealer's order with installation, shipped and signed for by the homeowner
    order = delivered_dealer_order()
    # when its cost note is printed
    text = pdf_text(printed(order, DocumentKind.DELIVERY_NOTE, paper))
    # then only its own signatures are on it, and no copy is the warehouse's or the customer's
    assert all(in_chinese(label) in text for label in OWN)
    travelling = [*TRAVELLING, "Received by (customer)"]
    assert not any(in_chinese(label) in text for label in travelling)
    assert in_chinese("Yellow copy (warehouse)") not in text
    assert in_chinese("Blue copy (customer)") not in text
    assert in_chinese("Blue copy (dealer)") in text and in_chinese("Yellow copy (void)") in text


def test_o11_the_profit_note_carries_the_travelling_signatures():
    """O-11: the profit note is the one the warehouse, driver and homeowner sign, with names."""
    # given the same order
    order = delivered_dealer_order()
    # when its profit note is printed
    pages = pdf_pages(printed(order, DocumentKind.PROFIT_NOTE))
    # then each copy has the warehouse's, the collector's and the homeowner's box, filled
    warehouse = staff(Role.WAREHOUSE).display_name
    for page in pages:
        assert all(in_chinese(label) in page for label in TRAVELLING)
        assert warehouse in page and order.signed["deliver"]["received_by"] in page


def test_o11_a_delivery_note_without_a_profit_note_keeps_the_travelling_signatures():
    """O-10: where no profit note exists, the delivery note itself travels and is signed."""
    # given a dealer's order without installation, delivered
    order = walked_to(scenario("dealer"), "note_returned")
    # when its delivery note is printed
    text = pdf_text(printed(order, DocumentKind.DELIVERY_NOTE))
    # then the warehouse and the customer sign it
    assert in_chinese("Warehouse (shipped)") in text
    assert in_chinese("Received by (customer)") in text
