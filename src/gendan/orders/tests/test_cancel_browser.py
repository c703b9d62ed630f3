"""Cancelling in the browser: the dialog shows the order and the reason before anything is
sent, and the order page then says who cancelled it and why."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.routes import CANCELLED
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_guards import dealer_order
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REASON = "客户重复下单"


def test_the_clerk_cancels_after_the_dialog_showed_the_order_and_the_reason(page, roles):
    # given an order, and the clerk on its page with the cancel box open and a reason typed
    order = dealer_order()
    browser_log_in(page, staff(Role.CLERK, username="clerk").username)
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(f"/orders/{order.pk}/")
    page.click("details.cancel-order > summary")
    page.fill("details.cancel-order input[name=reason]", REASON)

    # when the button is pressed, the dialog asks first; going back sends nothing
    page.click("details.cancel-order button[type=submit]")
    dialog = page.locator("details.cancel-order dialog.cancel-confirm")
    assert dialog.is_visible()
    assert order.number in dialog.inner_text() and REASON in dialog.inner_text()
    page.click("dialog.cancel-confirm [data-sign-cancel]")
    assert not dialog.is_visible() and posts == []

    # ... and confirmed with a double click, it is sent once
    page.click("details.cancel-order button[type=submit]")
    page.dblclick("dialog.cancel-confirm [data-sign-ok]")
    page.wait_for_selector("#cancelled")

    # then the order is cancelled, and its page says by whom and why
    assert len([url for url in posts if "/cancel/cancel/" in url]) == 1
    assert Order.objects.get(pk=order.pk).step == CANCELLED
    shown = page.locator("#cancelled").inner_text()
    assert REASON in shown and staff(Role.CLERK, username="clerk").display_name in shown
