"""On a phone (390 px): the warehouse picks an order by typing box labels (a box of another
batch refused on the spot), records the checks, then signs the ship step (O-18, O-20, O-58)."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in
from gendan.warehouse.models import Reservation, StockMove
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product
from gendan.warehouse.tests.picking import at_ship, boxes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or Path(__file__).resolve().parents[4] / "var"
         / "screenshots") / "warehouse-picking.png"
)  # fmt: skip


def test_o58_on_a_phone_a_wrong_box_is_refused_the_right_ones_picked_then_shipped(
    browser, live_server, roles
):
    """O-58: typed on the phone, the other batch's box is refused naming both batches; the
    reserved batch's boxes are picked; with the checks recorded the ship step is signed and
    the goods leave (O-20)."""
    # given: 8 m² reserved from B-OK; B-OTHER of the same product on the next shelf
    product = stocked_product()
    ours = batch_received(product, "B-OK", "8", place=location("A-01"))
    other = batch_received(product, "B-OTHER", "100", place=location("A-02"))
    order = at_ship(product, "8")
    right, wrong = boxes(ours, 2, "4", location("A-01")), boxes(other, 1, "4", location("A-02"))
    staff(Role.WAREHOUSE, username="warehouse")
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, "warehouse")

    # when the wrong box is typed, then the two right ones
    page.goto(f"/warehouse/orders/{order.pk}/pick/")
    page.fill("#pick-code", wrong[0].code)
    page.press("#pick-code", "Enter")
    refused = page.locator("#pick-lines p.message.error").inner_text()
    for box in right:
        page.fill("#pick-code", box.code)
        page.press("#pick-code", "Enter")
        page.wait_for_selector(f"#pick-lines li:has-text('{box.code}')")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # ... the checks are recorded, and the ship step signed on the order page
    check = page.locator("form.pick-check")
    for name in ("colour_compared", "quality_ok", "colour_code_ok", "size_ok"):
        check.locator(f"input[name={name}]").check()
    check.locator("button[type=submit]").click()
    page.wait_for_selector("p.pick-ready mark")
    page.click("p.pick-ready a[role=button]")
    page.fill("input[name=record-signed_out_by]", "司机 王师傅")
    page.click("form.sign > button[type=submit]")
    page.click("dialog.sign-confirm [data-sign-ok]")
    page.wait_for_selector("p.message.success")
    phone.close()

    # then
    assert "B-OTHER" in refused and "B-OK" in refused
    assert width == PHONE["width"]
    assert Order.objects.get(pk=order.pk).step != "ship"
    assert Reservation.objects.get(order=order).state == Reservation.State.SHIPPED
    move = StockMove.objects.get(kind=StockMove.Kind.SHIPPED)
    assert (move.batch, move.quantity, move.from_location.code) == (ours, Decimal("8"), "A-01")


def test_the_camera_reader_loads_under_the_csp_and_without_a_camera_the_code_is_typed(
    browser, live_server, roles
):
    """The vendored reader loads when the camera is asked for, under the Content-Security-
    Policy (no inline script, no eval, no wasm); with no camera the page says to type the code,
    and a typed code is still picked."""
    # given
    product = stocked_product()
    batch = batch_received(product, "B-1", "8", place=location("A-01"))
    order = at_ship(product, "4")
    box = boxes(batch, 1, "4", location("A-01"))[0]
    staff(Role.WAREHOUSE, username="warehouse")
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    blocked = []
    page.on("console", lambda message: blocked.append(message.text)
            if "Content Security Policy" in message.text else None)  # fmt: skip
    browser_log_in(page, "warehouse")
    # when
    page.goto(f"/warehouse/orders/{order.pk}/pick/")
    page.click("[data-camera-start]")
    page.wait_for_function("() => window.ZXing && window.ZXing.BrowserMultiFormatReader")
    page.wait_for_selector("[data-camera-error]:not([hidden])")
    page.fill("#pick-code", box.code)
    page.press("#pick-code", "Enter")
    page.wait_for_selector(f"#pick-lines li:has-text('{box.code}')")
    field_empty = page.input_value("#pick-code") == ""
    phone.close()
    # then
    assert blocked == []
    assert field_empty  # ready for the next box
    assert Reservation.objects.get(order=order).picks.get().package == box
