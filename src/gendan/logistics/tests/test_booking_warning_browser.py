"""On a phone (390 px, Chromium): the booking form opens on the first day with room for the
order, and warns at once, before it is sent, when the clerk picks a day the order would fill
(O-42); a window of days takes the warning away."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.logistics.services.booking import booking_make
from gendan.logistics.tests.booking_helpers import in_days, order_to_book
from gendan.logistics.tests.factories import TruckFactory
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
SCREENSHOT = (
    Path(os.environ.get("GENDAN_SCREENSHOT_DIR") or Path(__file__).resolve().parents[4] / "var"
         / "screenshots") / "logistics-booking-full-day.png"
)  # fmt: skip


def test_o42_a_full_day_is_warned_of_before_the_form_is_sent(browser, live_server, roles):
    """O-42: tomorrow is full: the form starts the day after; choosing tomorrow shows the
    warning with the day, a window of three days hides it; nothing is booked meanwhile."""
    # given one truck of 100 m², tomorrow booked with 95 m², an order of 12 m² due tomorrow
    TruckFactory(capacity_m2=Decimal("100"), capacity_kg=Decimal("3000"))
    clerk = staff(Role.CLERK, username="clerk")
    booking_make(actor=clerk, order=order_to_book(m2="95"), first_day=in_days(1), told_to="甲")
    order = order_to_book(m2="12", delivery_in=1)
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    page = phone.new_page()
    page.set_default_timeout(10_000)
    browser_log_in(page, "clerk")
    # when the clerk opens the booking form and picks tomorrow, then a window from it
    page.goto(reverse("logistics-order-book", args=[order.pk]))
    started = page.input_value("#id_first_day")
    hidden_at_start = page.locator("#booking-day-full").is_hidden()
    page.fill("#id_first_day", in_days(1).isoformat())
    page.wait_for_selector("#booking-day-full:not([hidden])")
    warning = page.locator("#booking-day-full").inner_text()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.fill("#id_last_day", in_days(3).isoformat())
    page.wait_for_selector("#booking-day-full[hidden]", state="attached")
    phone.close()
    # then
    assert started == in_days(2).isoformat() and hidden_at_start
    assert warning.startswith(f"O-42：加上此单，{in_days(1).isoformat()} 已满")
    assert width <= PHONE["width"]
    assert not order.delivery_bookings.exists()
