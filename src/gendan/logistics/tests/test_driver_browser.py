"""On the driver's phone (390 px, Chromium): today's route, Arrived, then Delivered with the
customer's signature drawn with the mouse on the canvas and a photo: the order's deliver step
is signed (O-21). Screenshots of the route and of the delivery form."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PIL import Image

from gendan.logistics.models import Drop
from gendan.logistics.services.driver import SIGNATURE_MIN_INK, signature_ink
from gendan.logistics.tests.driver_helpers import photo_jpeg, picked_order_at_deliver
from gendan.logistics.tests.factories import DriverFactory, DropFactory, TruckRouteFactory
from gendan.orders.models import StepLog
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
ROOT = Path(__file__).resolve().parents[4]
SHOTS = Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or ROOT / "var" / "screenshots")
DOCS = ROOT / "docs" / "screenshots" / "logistics"


def shot(page, name: str) -> None:
    """Kept under var/screenshots, and copied to the docs when the checkout has them."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)
    if DOCS.is_dir():
        shutil.copyfile(SHOTS / name, DOCS / name)


def signature_drawn(page) -> None:
    """A name written with the mouse: three strokes across the canvas."""
    box = page.locator("canvas[data-signature-pad]").bounding_box()
    for row in range(3):
        top = box["y"] + 40 + row * 45
        page.mouse.move(box["x"] + 30, top)
        page.mouse.down()
        for step in range(1, 13):
            page.mouse.move(box["x"] + 30 + step * 25, top + (15 if step % 2 else -15))
        page.mouse.up()


def test_o21_on_the_phone_the_driver_arrives_and_delivers_with_a_drawn_signature(
    browser, live_server, roles, tmp_path
):
    """O-21: the delivery is signed by the customer on the screen: the drawing reaches the
    server as a PNG that is not blank, and the order's deliver step is signed by the driver."""
    # given today's published route of a driver with two stops, the first picked and shipped
    driver = DriverFactory(user__username="driver-li", user__name="李师傅")
    route = TruckRouteFactory(truck__driver=driver, driver=driver)
    first = DropFactory(order=picked_order_at_deliver("B-2611"), route=route, sequence=1)
    DropFactory(order=picked_order_at_deliver("B-2612"), route=route, sequence=2)
    photo = tmp_path / "note.jpg"
    photo.write_bytes(photo_jpeg())
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, has_touch=False,
        locale="zh-CN",
    )  # fmt: skip
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, "driver-li")
    # when the driver opens the route, taps Arrived at the first stop, then Delivered
    page.goto("/logistics/driver/")
    card = page.locator(f"#stop-{first.pk}")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    shot(page, "driver-390.png")
    card.locator("form[action$='/arrive/'] button").click()
    page.wait_for_selector(f"#stop-{first.pk}.stop-arrived")
    page.locator(f"#stop-{first.pk} a[href*='/deliver/']").click()
    page.wait_for_selector("canvas[data-signature-pad]")
    signature_drawn(page)
    page.set_input_files("input[name=photo]", str(photo))
    form_width = page.evaluate("() => document.documentElement.scrollWidth")
    shot(page, "driver-deliver-390.png")
    page.locator("form[data-deliver-form] button[type=submit]").click()
    page.wait_for_selector(f"#stop-{first.pk}.stop-delivered")
    phone.close()
    # then the page fits the phone, and the deliver step is signed with the drawn signature
    assert width == PHONE["width"] and form_width == PHONE["width"]
    drop = Drop.objects.select_related("order").get(pk=first.pk)
    signed = StepLog.objects.get(order=drop.order, step="deliver", outcome="done")
    assert signed.actor == driver.user and drop.state == Drop.State.DELIVERED
    assert signed.data["photo"] and drop.photo.name == signed.data["photo"]
    with drop.signature.open("rb") as stored:
        png = stored.read()
    assert signature_ink(png) > SIGNATURE_MIN_INK
    with drop.signature.open("rb") as stored, Image.open(stored) as image:
        assert image.format == "PNG" and image.width >= 300
