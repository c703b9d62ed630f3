"""The call list flags a drop whose goods may not leave yet (O-18, O-19): the clerk promises
no time until its reasons are gone; and the clerk, who books the days, marks a call told."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.documents.tests.helpers import walked_to
from gendan.logistics.audit_events import CUSTOMER_TOLD
from gendan.logistics.readiness import FINANCE_NOT_SIGNED, NOTE_NOT_MADE
from gendan.logistics.selectors_calls import call_plan, call_rows
from gendan.logistics.tests.calls_helpers import day_of_drops, tomorrow
from gendan.logistics.tests.factories import DropFactory
from gendan.orders.routes import FINANCE_REVIEW, SHIP
from gendan.orders.tests.helpers import paid_in_full, scenario, staff

pytestmark = pytest.mark.django_db


def project_at(step: str):
    """A project's order paid ahead, walked until ``step`` is the current one."""
    order = scenario("project")
    paid_in_full(order)
    return walked_to(order, step)


@pytest.fixture
def drops(roles):
    """Tomorrow's truck: three orders without their delivery note (calls_helpers), one whose
    note finance has not signed, and one signed by finance, ready to leave."""
    drops = day_of_drops()
    route = drops["on_delivery"].route
    drops["unsigned"] = DropFactory(order=project_at(FINANCE_REVIEW.code), route=route, sequence=4)
    drops["ready"] = DropFactory(order=project_at(SHIP.code), route=route, sequence=5)
    return drops


def row_html(page: str, drop) -> str:
    """The drop's card on the call list."""
    return page.split(f'id="drop-{drop.pk}"', 1)[1].split("</article>", 1)[0]


def test_the_call_list_flags_drops_whose_goods_may_not_leave_with_their_reasons(client, drops):
    """O-18, O-19: a drop without its delivery note, or whose note finance has not signed, is
    flagged not ready with its reason; a drop signed by finance is not."""
    # given the drops of tomorrow; when the clerk opens the call list
    client.force_login(staff(Role.CLERK))
    page = client.get(reverse("logistics-calls-day", args=[tomorrow().isoformat()]))
    page = page.content.decode()
    # then
    rows = {row.drop.pk: row.reasons for row in call_rows(call_plan(tomorrow()))}
    assert rows[drops["on_delivery"].pk] == [str(NOTE_NOT_MADE)]
    assert rows[drops["unsigned"].pk] == [str(FINANCE_NOT_SIGNED)]
    assert rows[drops["ready"].pk] == []
    not_ready = row_html(page, drops["unsigned"])
    assert "尚未就绪：在以下事项完成之前，不要向客户承诺送达时间：" in not_ready
    assert "O-19：财务尚未签核送货单。" in not_ready
    assert "O-18：送货单尚未开出。" in row_html(page, drops["on_delivery"])
    assert "尚未就绪" not in row_html(page, drops["ready"])
    assert f'class="call not-ready" id="drop-{drops["unsigned"].pk}"' in page
    assert f'class="call" id="drop-{drops["ready"].pk}"' in page


def test_the_clerk_marks_a_customer_told(client, drops):
    """O-43: the clerk who booked the day tells the customer and marks it (tell_customer), no
    planner's permission needed; the audit log has who and when."""
    # given
    clerk = staff(Role.CLERK, name="文员小林")
    client.force_login(clerk)
    drop = drops["ready"]
    assert not clerk.has_perm("logistics.change_drop")
    # when
    response = client.post(reverse("logistics-call-told", args=[drop.pk]), {"told_to": "张工"})
    # then
    assert response.status_code == 302
    drop.refresh_from_db()
    assert (drop.told_by, drop.told_to) == (clerk, "张工") and drop.told_at is not None
    told = AuditEvent.objects.get(action=CUSTOMER_TOLD.code)
    assert (told.actor, told.changes["told_to"]) == (clerk, "张工")


def test_the_api_gives_each_drops_reasons_not_to_promise_a_time(client, drops):
    """O-18, O-19: GET /api/logistics/calls/{day} has ``not_ready`` per drop, [] when ready."""
    # given
    client.force_login(staff(Role.CLERK))
    # when
    answer = client.get(f"/api/logistics/calls/{tomorrow().isoformat()}").json()
    # then
    reasons = {row["drop_id"]: row["not_ready"] for row in answer["drops"]}
    assert reasons[drops["ready"].pk] == []
    assert reasons[drops["unsigned"].pk] == ["O-19：财务尚未签核送货单。"]
