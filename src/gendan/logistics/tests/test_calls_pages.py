"""The call list's page and API (O-43): tomorrow by default, tap to call, told with htmx and
the progress with it, a draft plan's times said to be open, the JSON of a day."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.logistics.models import Drop, RoutePlan
from gendan.logistics.services.calls import TOLD_TO_MISSING
from gendan.logistics.tests.calls_helpers import day_of_drops, tomorrow
from gendan.logistics.tests.factories import BookingFactory, DropFactory, TruckRouteFactory
from gendan.orders.models import PaymentTerms
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def drops(roles) -> dict[str, Drop]:
    return day_of_drops()


JSON = "application/json"
WINDOW = ("window_from", "window_until")


def day_url(day: dt.date) -> str:
    return reverse("logistics-calls-day", kwargs={"day": day.isoformat()})


def test_the_call_list_opens_on_tomorrow_with_tap_to_call_and_the_progress(client, drops):
    """O-43: the clerk opens the list: tomorrow's drops with their phones to tap, the window,
    what to pay and that someone must be there; the drop not on a truck apart."""
    client.force_login(staff(Role.CLERK))
    response = client.get(reverse("logistics-calls"), follow=True)
    assert response.redirect_chain == [(day_url(tomorrow()), 302)]
    page = response.content.decode()
    first = drops["on_delivery"].order
    assert f'href="tel:{first.contact_phone}"' in page
    assert "预计 09:30–11:15 到达" in page and "应付：¥700.00" in page
    assert "必须有人在场签收并付款。" in page and "送货时无需付款" in page
    assert "已通知 0 / 3" in page
    assert "未排上车：请告知客户新的送货日期" in page and "超出车辆容量" in page
    # the clerk who booked the day tells the customers too (logistics.tell_customer)
    assert 'name="told_to"' in page and "全部发邮件" in page


def test_service_reads_the_call_list_without_telling(client, drops):
    """O-43: whoever follows deliveries reads the list; telling is for the clerk, the
    warehouse and logistics (no form, no e-mail button)."""
    client.force_login(staff(Role.SERVICE))
    page = client.get(day_url(tomorrow())).content.decode()
    assert "已通知 0 / 3" in page
    assert 'name="told_to"' not in page and "全部发邮件" not in page


def test_told_with_htmx_returns_the_row_and_the_progress(client, drops):
    """O-43: the warehouse marks a drop told on the phone: the row comes back told, by whom,
    and the progress counts it."""
    keeper = staff(Role.WAREHOUSE, name="仓管老周")
    client.force_login(keeper)
    drop = drops["market"]
    url = reverse("logistics-call-told", args=[drop.pk])
    response = client.post(url, {"told_to": "李先生"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert response.status_code == 200 and f'id="drop-{drop.pk}"' in page
    assert "通知 李先生" in page and "仓管老周" in page and "再次通知" in page
    assert 'id="call-progress" class="call-progress" hx-swap-oob="true"' in page
    assert "已通知 1 / 3" in page
    drop.refresh_from_db()
    assert (drop.told_by, drop.told_to) == (keeper, "李先生")


def test_told_without_a_name_says_so_and_changes_nothing(client, drops):
    client.force_login(staff(Role.LOGISTICS))
    drop = drops["market"]
    url = reverse("logistics-call-told", args=[drop.pk])
    page = client.post(url, {"told_to": ""}, headers={"HX-Request": "true"}).content.decode()
    assert str(TOLD_TO_MISSING) in page
    assert not Drop.objects.filter(told_at__isnull=False).exists()


def test_a_promised_call_not_on_the_plan_is_listed_with_whom_to_call(client, drops):
    """O-42: a dealer's homeowner booked for a window covering tomorrow with a call promised,
    not on tomorrow's plan, is listed apart with the homeowner's name and phone to tap."""
    order = scenario("dealer")
    BookingFactory(
        order=order, first_day=tomorrow(), last_day=tomorrow() + dt.timedelta(days=3),
        call_promised=True,
    )  # fmt: skip
    client.force_login(staff(Role.CLERK))
    page = client.get(day_url(tomorrow())).content.decode()
    promised = page.split("已承诺送货前一天通知，但不在当天计划中（O-42）", 1)[1]
    assert order.number in promised and order.end_customer.name in promised
    assert f'href="tel:{order.contact_phone}"' in promised


def test_a_draft_plan_says_its_times_may_change(client, roles):
    """O-43: the list of a plan not published yet warns that the times may still change."""
    route = TruckRouteFactory(plan__day=tomorrow(), plan__state=RoutePlan.State.DRAFT)
    DropFactory(order=scenario("retail", terms=PaymentTerms.ON_DELIVERY), route=route)
    client.force_login(staff(Role.LOGISTICS))
    page = client.get(day_url(tomorrow())).content.decode()
    assert "此计划尚未发布：时间可能还会变动。" in page


def test_a_day_that_is_not_a_date_is_not_found(client, roles):
    client.force_login(staff(Role.LOGISTICS))
    assert (
        client.get(reverse("logistics-calls-day", kwargs={"day": "2026-13-01"})).status_code == 404
    )


def test_the_api_gives_the_days_calls_and_marks_one_told(client, drops):
    """O-43 in the API: each drop's window, amount due and message; told with who and when."""
    client.force_login(staff(Role.LOGISTICS))
    answer = client.get(f"/api/logistics/calls/{tomorrow().isoformat()}").json()
    assert (answer["plan_state"], answer["told"], answer["total"]) == ("published", 0, 3)
    first = answer["drops"][0]
    assert first["number"] == drops["on_delivery"].order.number
    assert first["amount_due"] == "700.00" and "700.00 元" in first["message"]
    window = [
        timezone.localtime(dt.datetime.fromisoformat(first[k]))
        for k in ("window_from", "window_until")
    ]
    assert [f"{t:%H:%M}" for t in window] == ["09:30", "11:15"]
    assert [d["amount_due"] for d in answer["drops"][1:]] == ["0.00", "0.00"]
    assert [u["reason"] for u in answer["unplanned"]] == ["超出车辆容量"]
    # when it is marked told
    drop_id = first["drop_id"]
    told = client.post(
        f"/api/logistics/drops/{drop_id}/told",
        {"told_to": "王女士"},
        content_type="application/json",
    )
    assert told.status_code == 200
    assert (told.json()["told_to"], told.json()["again"]) == ("王女士", False)
    assert told.json()["told_at"] is not None
    # and a drop not on a truck is refused
    unplanned = drops["unplanned"].pk
    refused = client.post(
        f"/api/logistics/drops/{unplanned}/told", {"told_to": "李"}, content_type=JSON
    )
    assert refused.status_code == 422
