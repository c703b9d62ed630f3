"""Issue 12, point 12, in Chromium: the manager's figures draw under the Content-Security-Policy,
with no console error, and a bar opens the orders behind it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import order_registered, paid_in_full
from gendan.parties.tests.factories import DealerFactory, SupermarketFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery"
CHARTS = ["registered", "step", "overdue", "age", "channel"]


def test_a_managers_figures_draw_and_open_their_orders(page, user_with):
    # given: orders of two channels, one owed since last month, one paid (channels whose routes
    # the handbook gives: a transactional test may find the ChannelRoute rows flushed)
    today = timezone.localdate()
    order = order_registered(DealerFactory(), on=today)
    paid_in_full(order_registered(SupermarketFactory(), on=today))
    order_registered(SupermarketFactory(), on=today - dt.timedelta(days=40))
    user_with(Role.GENERAL_MANAGER, username="zongjingli")
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    # when the general manager signs in
    page.goto("/login/")
    page.fill("input[name=username]", "zongjingli")
    page.fill("input[name=password]", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    # then each chart draws (ECharts puts a canvas in its element), in Chinese
    for name in CHARTS:
        page.wait_for_function(f"() => !!document.querySelector('#figure-{name} canvas')")
        page.wait_for_selector(f"#figure-{name}[data-drawn]", state="attached")
    assert "本月各渠道销售" in page.locator("main").inner_text()
    # when the "registered today" bar is clicked, halfway up
    page.locator("#figure-registered").scroll_into_view_if_needed()
    box = page.locator("#figure-registered").bounding_box()
    x, y = page.evaluate(BAR_MIDDLE)
    page.mouse.click(box["x"] + x, box["y"] + y)
    page.wait_for_url("**/figures/registered/today/")
    # then its orders are listed
    assert order.number in page.locator("main").inner_text()
    # and the links under a chart open the same lists
    page.go_back()
    page.click("#figure-step + ul a")
    page.wait_for_load_state()
    assert order.number in page.locator("main").inner_text()
    assert errors == []


# Where the first bar of the registered chart is, halfway up its two orders (a function:
# under the CSP Playwright may not evaluate a bare expression).
BAR_MIDDLE = """() => window.echarts
  .getInstanceByDom(document.getElementById("figure-registered"))
  .convertToPixel({seriesIndex: 0}, [0, 1])"""
