"""Signing in the browser: a dialog shows what will be signed, and a double click signs once."""

from __future__ import annotations

import pytest

from gendan.accounts.roles import Role
from gendan.orders.models import StepLog, VerificationItem
from gendan.orders.tests.helpers import staff
from gendan.orders.tests.test_guards import dealer_order
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_o5_the_clerk_ticks_and_signs_once_after_the_dialog_showed_what_is_signed(page, roles):
    """O-5: the twelve ticks and the signature go in one post; the dialog names the step and
    the order, and a double click on its button sends that post once."""
    # given
    order = dealer_order()
    clerk = staff(Role.CLERK, username="clerk")
    browser_log_in(page, clerk.username, language="en")
    posts = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.goto(f"/orders/{order.pk}/")
    for box in page.locator("fieldset.checks input[type=checkbox]").all():
        box.check()
    page.fill("textarea[name=note]", "电话核实无误")

    # when the sign button is pressed, the dialog asks first; going back sends nothing
    page.click("form.sign > button[type=submit]")
    dialog = page.locator("dialog.sign-confirm")
    assert dialog.is_visible()
    shown = dialog.inner_text()
    assert "确认签字“核实订单”？" in shown and order.number in shown
    assert f"{len(VerificationItem)} / {len(VerificationItem)}" in shown and "电话核实无误" in shown
    page.click("dialog.sign-confirm [data-sign-cancel]")
    assert not dialog.is_visible() and posts == []

    # ... and confirmed with a double click, it signs once
    page.click("form.sign > button[type=submit]")
    page.dblclick("dialog.sign-confirm [data-sign-ok]")
    page.wait_for_selector("p.message.success")

    # then
    assert len([url for url in posts if "/steps/verify/" in url]) == 1
    done = StepLog.objects.filter(order=order, step="verify", outcome=StepLog.Outcome.DONE)
    assert done.count() == 1 and done.get().note == "电话核实无误"
    assert order.checks.count() == len(VerificationItem)
    assert "已签字：核实订单" in page.locator("p.message.success").inner_text()


def test_the_sign_form_once_sent_disables_its_buttons_and_sends_nothing_more(page, roles):
    # given a page that counts the posts that would leave, and keeps them from leaving
    order = dealer_order()
    browser_log_in(page, staff(Role.CLERK, username="clerk").username, language="en")
    page.goto(f"/orders/{order.pk}/")
    page.evaluate(
        """() => {
          window.posts = 0;
          window.addEventListener("submit", (event) => {
            if (!event.defaultPrevented) window.posts += 1;
            event.preventDefault();
          });
        }"""
    )

    # when the dialog's button is double-clicked, and the form sent again (Enter in a field)
    page.click("form.sign > button[type=submit]")
    page.dblclick("dialog.sign-confirm [data-sign-ok]")
    page.evaluate("() => document.querySelector('form.sign').requestSubmit()")

    # then one post, and every button of the form disabled
    page.wait_for_function("() => window.posts === 1")
    assert page.evaluate("() => window.posts") == 1
    assert page.locator("form.sign > button[type=submit]").is_disabled()
    assert page.locator("dialog.sign-confirm [data-sign-ok]").is_disabled()
