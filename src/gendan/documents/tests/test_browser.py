"""The clerk downloads a delivery note from the order page, in a real Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.documents.models import Document
from gendan.documents.tests.helpers import needs_poppler, pdf_pages, walked_to
from gendan.orders.tests.helpers import scenario, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_poppler]
PASSWORD = "correct horse battery"


def test_the_clerk_downloads_the_delivery_note_from_the_order_page(page, roles):
    order = walked_to(scenario("dealer"), "receive_payment")
    clerk = staff(Role.CLERK)
    page.goto("/login/")
    page.fill("input[name=username]", clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"/orders/{order.pk}/")
    page.select_option("form:has(button[data-document=delivery_note]) select[name=paper]", "form")
    with page.expect_download() as download_info:
        page.click("button[data-document=delivery_note]")
    download = download_info.value
    document = Document.objects.get(kind="delivery_note")
    assert download.suggested_filename == f"{document.number}-v1-form.pdf"
    pages = pdf_pages(Path(download.path()).read_bytes())
    assert len(pages) == 4 and all("销售送货单" in text and order.number in text for text in pages)
    # back on the order page, the version issued is listed with its paper
    page.goto(f"/orders/{order.pk}/")
    assert f"{document.number} · 第1版" in page.locator("#documents + .table-wrap").inner_text()
