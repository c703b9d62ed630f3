"""The day's plan in Chromium: planned from the page, a drop moved to the other truck with the
select (htmx), planned again around it, published (confirmed); the map draws every stop and
depot on its plain coordinate canvas (no tile server set). Screenshots at 1366 and 390 px."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from gendan.accounts.roles import Role
from gendan.logistics.models import Drop, RoutePlan
from gendan.logistics.tests.plan_helpers import DONGGUAN, TIANHE, booked, day_to_plan, truck_at
from gendan.orders.tests.helpers import staff
from gendan.testing import browser_log_in
from gendan.warehouse.models import LoadingRun

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDE, PHONE = {"width": 1366, "height": 900}, {"width": 390, "height": 844}
SHOTS = Path(
    os.environ.get("GENDAN_SCREENSHOT_DIR")
    or Path(__file__).resolve().parents[4] / "var" / "screenshots"
)


def test_o43_a_day_planned_a_drop_moved_planned_again_and_published_on_the_map(
    browser, live_server, roles, settings
):
    """O-43: the planner plans the day, moves a drop to the Dongguan truck (pinned there),
    plans again, and publishes; the map shows each stop numbered and each depot."""
    # given two trucks and three drops booked near Tianhe for tomorrow
    settings.GENDAN_PLAN_SECONDS = Decimal("1")
    settings.GENDAN_MAP_TILES_URL = ""
    _tianhe, dongguan = truck_at(TIANHE, "TH"), truck_at(DONGGUAN, "DG")
    day = day_to_plan()
    bookings = [booked(day, TIANHE, step=n + 1) for n in range(3)]
    staff(Role.LOGISTICS, username="logistics")
    context = browser.new_context(base_url=live_server.url, viewport=WIDE, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.on("dialog", lambda dialog: dialog.accept())
    browser_log_in(page, "logistics")

    # when the day is planned from its page
    page.goto(f"/logistics/plans/{day.isoformat()}/")
    page.click("form.plan-make button[type=submit]")
    page.wait_for_selector("p.message.success")
    # ... the first drop is moved to the Dongguan truck with its select
    first = Drop.objects.get(plan__day=day, booking=bookings[0])
    page.select_option(f"li[data-drop='{first.pk}'] select[name=route]", label=dongguan.plate)
    page.wait_for_selector(f"article:has-text('{dongguan.plate}') li[data-drop='{first.pk}']")
    # ... planned again, then published
    page.click("form.plan-make button[type=submit]")
    page.wait_for_selector("p.message.success")
    page.click("form[data-plan-confirm] button.contrast")
    page.wait_for_selector("mark.state-published")
    markers = page.locator("#plan-map .leaflet-marker-icon").count()
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "plan-1366.png"), full_page=True)
    phone = browser.new_context(
        base_url=live_server.url, viewport=PHONE, is_mobile=True, locale="zh-CN"
    )
    small = phone.new_page()
    browser_log_in(small, "logistics")
    small.goto(f"/logistics/plans/{day.isoformat()}/")
    small.wait_for_selector("#plan-map .leaflet-marker-icon")
    width = small.evaluate("() => document.documentElement.scrollWidth")
    small.screenshot(path=str(SHOTS / "plan-390.png"), full_page=True)
    context.close()
    phone.close()

    # then the moved drop stayed on the Dongguan truck, and the plan went to the warehouse
    moved = Drop.objects.get(plan__day=day, booking=bookings[0])
    assert moved.route.truck == dongguan and moved.pinned and moved.arrives_at is not None
    plan = RoutePlan.objects.get(day=day)
    assert plan.state == RoutePlan.State.PUBLISHED
    runs = LoadingRun.objects.filter(day=day)
    assert sum(run.orders.count() for run in runs) == 3
    # and the map has the three stops and a depot per truck with drops
    assert markers == 3 + runs.count()
    assert width == PHONE["width"]
