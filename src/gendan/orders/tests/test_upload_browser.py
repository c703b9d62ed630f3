"""A dealer's file with a script in it cannot run that script in the clerk's browser."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.core.tests.files import HTML_ATTACK, SVG_ATTACK, photo
from gendan.orders.models import Order
from gendan.orders.services.steps import order_step_complete
from gendan.orders.tests.helpers import listed_product, order_registered, staff
from gendan.orders.tests.test_guards import advance_to, dealer_order
from gendan.parties.tests.factories import DealerFactory
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def script_ran(page) -> bool:
    """What the attack's script would leave behind: the title it sets, the cookie it writes."""
    cookies = {cookie["name"] for cookie in page.context.cookies()}
    return page.title() == "pwned" or "pwned" in cookies


def test_a_dealer_uploading_a_page_named_scan_pdf_is_refused(page, roles, media):
    # given a dealer registering an order in the page
    dealer = DealerFactory(name="顺德竹韵经销部")
    UserFactory(username="dealer", roles=[Role.DEALER], partner=dealer)
    listed_product("95", sku="ZF-777", name="碳化平压竹地板")
    browser_log_in(page, "dealer", language="en")
    page.goto("/en/orders/new/")
    page.select_option("select[name=payment_method]", "bank_transfer")
    page.select_option("select[name=payment_terms]", "prepay")
    for name, value in (("province", "广东省"), ("city", "佛山市"), ("street", "大良1号")):
        page.fill(f"input[name={name}]", value)
    page.fill("input[name=floor]", "5")
    page.select_option("select[name=lines-0-product]", label="ZF-777 碳化平压竹地板")
    page.fill("input[name=lines-0-quantity]", "30")

    # when the original is an HTML page with a script, named and typed as a PDF
    field = page.locator("input[name=original_document]")
    assert "application/pdf" in field.get_attribute("accept")
    field.set_input_files(
        {"name": "scan.pdf", "mimeType": "application/pdf", "buffer": HTML_ATTACK}
    )
    page.click("main form button[type=submit]")

    # then the form says what it accepts, and nothing was registered or stored
    assert "Only PDF, JPEG, PNG, WebP files are accepted" in page.locator("main").inner_text()
    assert not Order.objects.exists()
    assert [path for path in media.rglob("*") if path.is_file()] == []
    assert not script_ran(page)


def order_with_an_old_original(content: bytes) -> Order:
    order = order_registered(DealerFactory())
    name = default_storage.save("orders/originals/2026/11/scan.pdf", ContentFile(content))
    Order.objects.filter(pk=order.pk).update(original_document=name)
    return order


def order_with_an_old_photo(content: bytes) -> Order:
    """Signed with a photo; then the file is what an old upload could be."""
    order = advance_to(dealer_order(), "deliver")
    order = order_step_complete(
        actor=staff(Role.DRIVER), order=order, step="deliver", data={"received_by": "李业主"},
        files={"record-photo": photo()},
    )  # fmt: skip
    Path(default_storage.path(order.signed["deliver"]["photo"])).write_bytes(content)
    return order


@pytest.mark.parametrize(
    ("old_upload", "content", "link"),
    [
        (order_with_an_old_original, HTML_ATTACK, "a[href$='/original/']"),
        (order_with_an_old_photo, SVG_ATTACK, "a[href*='/photos/']"),
    ],
)
def test_a_page_stored_before_the_check_cannot_run_its_script_when_the_clerk_opens_it(
    page, roles, old_upload, content, link
):
    # given an order whose original (or delivery photo) is a page with a script, stored
    # before uploads were checked
    order = old_upload(content)
    UserFactory(username="a-clerk", roles=[Role.CLERK])
    browser_log_in(page, "a-clerk", language="en")
    page.goto(f"/en/orders/{order.pk}/")
    title = page.title()

    # when the clerk opens it from the order page
    with page.expect_download() as download:
        page.click(link)

    # then the browser saves it instead of showing it, and its script never ran
    assert download.value.suggested_filename.startswith(order.number)
    assert page.title() == title
    assert not script_ran(page)
