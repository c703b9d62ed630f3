"""A clerk imports a spreadsheet of orders and watches the progress bar fill, in Chromium."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.tests.helpers import listed_product, staff
from gendan.orders.tests.test_spreadsheets import row, workbook
from gendan.parties.tests.factories import DealerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"


def test_the_clerk_imports_orders_and_the_page_follows_the_worker(page, roles, tmp_path):
    DealerFactory(name="顺德竹韵经销部")
    listed_product("95", sku="ZF-1")
    clerk = staff(Role.CLERK)
    upload = tmp_path / "十二月订单.xlsx"
    upload.write_bytes(workbook(row("A1"), row("A1", quantity=5), row("B1")))
    page.goto("/login/")
    page.fill("input[name=username]", clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")

    page.goto("/orders/import/")
    page.set_input_files("input[name=file]", str(upload))
    page.click("main form button[type=submit]")
    progress = page.locator("#import-progress")
    assert progress.get_attribute("data-status") == "queued"
    assert "等待开始" in progress.inner_text()

    # the task worker takes the import; the page, polling, shows the outcome
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    page.wait_for_selector("#import-progress[data-status=done]", timeout=15_000)
    numbers = list(Order.objects.order_by("number").values_list("number", flat=True))
    text = page.locator("#import-progress").inner_text()
    assert len(numbers) == 2 and all(number in text for number in numbers)
    assert page.locator("#import-progress progress").get_attribute("value") == "100"
