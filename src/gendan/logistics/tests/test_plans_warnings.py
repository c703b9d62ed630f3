"""The plan page after a first look by users (O-42, O-45, O-43): a window held back on a
published day is planned on a later one; a route that leaves after its O-45 time and drops
whose goods may not leave yet are shown and named when publishing, which asks to confirm; the
held and the unfit listed apart; the plan's texts read in the page's language."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.logistics.models import RoutePlan
from gendan.logistics.planning import departure
from gendan.logistics.services.plans import CONFIRM_WARNINGS, plan_make, plan_publish
from gendan.logistics.tests.plan_helpers import TIANHE, booked, day_to_plan, truck_at, truck_of
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
SECONDS = 1


@pytest.fixture
def planner(roles):
    return staff(Role.LOGISTICS)


def make(planner, day=None):
    return plan_make(actor=planner, day=day or day_to_plan(), seconds=SECONDS)


def late_truck():
    """A truck whose driver starts at 07:30: drops where no zone is listed (out of town,
    O-45: out by 07:00) leave late."""
    truck = truck_at(TIANHE, "TH", plate="粤A·07300")
    truck.driver.shift_start = dt.time(7, 30)
    truck.driver.save()
    return truck


def page_of(client, day, language="zh-hans"):
    client.cookies.load({"django_language": language})
    prefix = "/en" if language == "en" else ""
    return client.get(prefix + reverse("logistics-plan-day", args=[day.isoformat()]))


def test_o42_a_window_held_back_on_a_published_day_is_planned_on_the_next(planner, roles):
    """O-42: a window's booking left off day 1's trucks (no room: held for a later day) and
    day 1 published: day 2 of its window plans it on a truck."""
    # given one truck of 10 m², a booking due on day 1 and a window of 10 m² from day 1
    truck = truck_at(TIANHE, "TH", capacity_m2=Decimal("10"))
    day = day_to_plan()
    due = booked(day, TIANHE, step=1)
    window = booked(day, TIANHE, step=2, last_day=day + dt.timedelta(days=2))
    first = make(planner)
    assert truck_of(first, due) == truck and truck_of(first, window) is None
    plan_publish(actor=planner, plan=first, confirmed=True)
    # when day 2 is planned
    second = make(planner, day + dt.timedelta(days=1))
    # then the window's booking is on the truck that day
    assert truck_of(second, window) == truck


def test_o45_a_route_leaving_late_is_shown_in_red_and_publishing_names_it(planner, client):
    """O-45: out-of-town drops should leave by 07:00; the driver starts at 07:30: the route is
    flagged (red on the page, ``departs_late`` in the API) and publishing asks to confirm,
    naming the truck; confirmed, it is published (not blocked)."""
    # given four drops on a truck whose driver starts at 07:30
    truck = late_truck()
    day = day_to_plan()
    for n in range(4):
        booked(day, TIANHE, step=n + 1)
    plan = make(planner)
    route = plan.routes.get(truck=truck)
    assert route.departs_late and route.departs_at == dt.time(7, 30)
    # when the page is read
    client.force_login(planner)
    page = page_of(client, day).content.decode()
    # then the route is in red with its rule
    assert 'class="departs-late"' in page and "司机 07:30 才上班" in page
    api = client.get(f"/api/logistics/plans/{day.isoformat()}").json()
    assert [r["departs_late"] for r in api["routes"] if r["drops"]] == [True]
    assert any(truck.plate in warning for warning in api["warnings"])
    # and publishing without confirming names the truck, and changes nothing
    with pytest.raises(ValidationError) as asked:
        plan_publish(actor=planner, plan=plan)
    assert asked.value.messages[0] == str(CONFIRM_WARNINGS)
    assert any(truck.plate in text and "07:30" in text for text in asked.value.messages[1:])
    assert RoutePlan.objects.get(pk=plan.pk).state == RoutePlan.State.DRAFT
    # when confirmed it goes out
    plan_publish(actor=planner, plan=plan, confirmed=True)
    assert RoutePlan.objects.get(pk=plan.pk).state == RoutePlan.State.PUBLISHED


def test_o45_a_route_in_time_is_not_flagged(planner, client):
    """O-45: the same drops with a driver starting at 07:00 leave at 07:00, no warning."""
    truck = truck_at(TIANHE, "TH")
    day = day_to_plan()
    for n in range(4):
        booked(day, TIANHE, step=n + 1)
    route = make(planner).routes.get(truck=truck)
    assert not route.departs_late and route.departs_at == dt.time(7, 0)
    client.force_login(planner)
    assert 'class="departs-late"' not in page_of(client, day).content.decode()


def test_o18_drops_not_ready_are_amber_and_publishing_lists_them(planner, client):
    """O-18, O-43: a drop whose order has no delivery note yet rides its truck with the reason
    shown (amber), and publishing asks to confirm, listing each such order."""
    truck_at(TIANHE, "TH")
    day = day_to_plan()
    bookings = [booked(day, TIANHE, step=n + 1) for n in range(2)]
    plan = make(planner)
    client.force_login(planner)
    page = page_of(client, day).content.decode()
    assert page.count('class="not-ready"') == 2 and "送货单尚未开出" in page
    with pytest.raises(ValidationError) as asked:
        plan_publish(actor=planner, plan=plan)
    listed = asked.value.messages[1:]
    assert sorted(listed) == sorted(
        f"订单 {b.order.number} 暂不能出货：O-18：送货单尚未开出。" for b in bookings
    )


def test_o42_the_held_and_the_unfit_are_listed_apart_with_their_counts(planner, client):
    """O-42: a window held for a later day is not mixed with a drop that did not fit: two
    groups with their headings and counts, and the list of days splits them the same way."""
    truck_at(TIANHE, "TH", capacity_m2=Decimal("10"))
    day = day_to_plan()
    booked(day, TIANHE, step=1)
    booked(day, TIANHE, step=2)  # due today too: no room for it
    booked(day, TIANHE, step=3, last_day=day + dt.timedelta(days=2))  # held
    make(planner)
    client.force_login(planner)
    page = page_of(client, day).content.decode()
    assert "装不下（1）" in page and "留待时间窗内的后续日期（1）" in page
    assert page.index("装不下（1）") < page.index("排线未能安排")
    listed = client.get(reverse("logistics-plans")).content.decode()
    assert "1 个装不下" in listed and "1 个留待后续" in listed


def test_the_plans_texts_read_in_the_pages_language(planner, client):
    """A plan made on a Chinese page reads in English on /en/, its rule and reasons too."""
    late_truck()
    day = day_to_plan()
    for n in range(4):
        booked(day, TIANHE, step=n + 1)
    booked(day, None)  # no coordinates
    make(planner)
    client.force_login(planner)
    chinese = page_of(client, day).content.decode()
    english = page_of(client, day, "en").content.decode()
    # (the drops' district has no zone listed: out of town, O-45's far rule)
    rule = departure.RULE_LATE_SHIFT % {"rule": departure.RULE_FAR, "start": "07:30"}
    assert rule.replace("'", "&#x27;") in english and "No coordinates" in english
    assert (
        "O-45：有送货点在内城以外或外地：07:00 前出车（司机 07:30 才上班）" in chinese
        and "No coordinates" not in chinese
    )
    assert "（，" not in chinese  # the solver named only when there is one
