"""Under the Content-Security-Policy the pages still work, and the browser reports no violation:
the charts draw, htmx searches, the language switch submits, the admin opens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.crm.services.events import EventInput, events_record
from gendan.orders.tests.helpers import order_registered
from gendan.parties.tests.factories import DealerFactory
from gendan.testing import browser_log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def violations(page):
    """What the browser says when the policy blocks something (Chromium writes it to the
    console: "Refused to execute inline script because it violates ...")."""
    heard: list[str] = []
    page.on(
        "console",
        lambda message: heard.append(message.text) if "Content Security Policy" in message.text
        else None,
    )  # fmt: skip
    page.on("pageerror", lambda error: heard.append(str(error)))
    page.on("response", lambda response: unprotected(response, heard))
    return heard


def unprotected(response, heard: list[str]) -> None:
    """A page the browser got without the policy is as bad as a violation."""
    if response.request.resource_type == "document" and response.status == 200:
        policy = response.headers.get("content-security-policy", "")
        if "script-src 'self'" not in policy:
            heard.append(f"no policy on {response.url}")


def shop_events():
    now = timezone.now()
    events_record(rows=[
        EventInput(kind=kind, at=now - dt.timedelta(days=days), platform="tmall",
                   platform_id=f"p{days}", amount=100 if kind == "order_paid" else None)
        for days in range(1, 30, 3)
        for kind in ("qr_scan", "order_paid")
    ])  # fmt: skip


def test_the_listener_hears_a_violation(page, roles, violations):
    """The check below is real: an inline handler added to a page is blocked, and heard."""
    UserFactory(username="clerk", roles=[Role.CLERK])
    browser_log_in(page, "clerk", language="en")

    page.evaluate("document.body.insertAdjacentHTML('beforeend', '<img src=x onerror=\"1\">')")
    page.wait_for_timeout(300)

    assert any("Content Security Policy" in text for text in violations)


def test_the_crm_dashboard_and_profile_draw_their_charts_without_a_violation(
    page, roles, violations
):
    # given a manager and some shop events
    UserFactory(username="owner", roles=[Role.GENERAL_MANAGER])
    shop_events()
    browser_log_in(page, "owner", language="en")

    # when the dashboard, the profile and the RFM page are opened
    page.goto("/en/crm/")
    dashboard_chart = page.locator("#trend canvas").count()
    page.click(".periods button[data-period=week]")
    page.goto("/en/crm/profile/")
    profile_charts = page.locator("#profile-ages canvas").count()
    page.goto("/en/crm/rfm/")

    # then ECharts drew them and nothing was blocked
    assert dashboard_chart == 1 and profile_charts == 1
    assert violations == []


def test_an_order_page_the_live_search_and_the_language_switch_work_without_a_violation(
    page, roles, violations
):
    # given a clerk and two orders
    UserFactory(username="clerk", roles=[Role.CLERK])
    first, second = order_registered(DealerFactory()), order_registered(DealerFactory())
    browser_log_in(page, "clerk", language="en")

    # when the clerk opens an order, searches the log live, and switches to Chinese
    page.goto(f"/en/orders/{first.pk}/")
    heading = page.locator("h1").inner_text()
    page.goto("/en/orders/")
    page.fill("input[name=q]", second.number)
    page.wait_for_function(
        f"() => !document.querySelector('#results').innerText.includes('{first.number}')"
    )
    page.select_option("select[name=language]", "zh-hans")
    page.wait_for_url(lambda url: "/en/" not in url)

    # then each worked (htmx swapped the results without its own <style>) and nothing was blocked
    assert heading.startswith(first.number)
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert violations == []


def test_the_admin_and_the_api_docs_open_without_a_violation(page, roles, violations):
    UserFactory(username="boss", is_staff=True, is_superuser=True)
    order = order_registered(DealerFactory())
    browser_log_in(page, "boss", language="en")

    page.goto("/en/admin/")
    page.goto(f"/en/admin/orders/order/{order.pk}/change/")
    admin_page = page.locator("#content").inner_text()
    page.goto("/api/docs")
    page.wait_for_selector(".swagger-ui .info")

    assert order.number in admin_page
    assert violations == []
