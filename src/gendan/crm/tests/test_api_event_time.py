"""The JSON feed of shop events takes times as the CSV import does, and numbers its columns hold."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest

from gendan.accounts.roles import Role
from gendan.crm.models import Event
from gendan.crm.services.events import BAD_EVENT_YEAR
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
JSON = "application/json"
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def favourite(at: str) -> list[dict[str, str]]:
    return [{"kind": "favourite_shop", "at": at, "platform": "tmall", "platform_id": "tb_1"}]


def test_an_event_time_without_offset_is_taken_as_shop_time(client, roles):
    # given
    client.force_login(staff(Role.GENERAL_MANAGER))
    # when
    response = client.post("/api/crm/events", favourite("2026-11-01T10:00:00"), content_type=JSON)
    # then
    assert response.json() == {"recorded": 1}
    assert Event.objects.get().at == dt.datetime(2026, 11, 1, 10, tzinfo=SHANGHAI)


@pytest.mark.parametrize("at", ["0001-01-01T00:00:00", "1800-06-01T12:00:00+08:00", "3000-01-01"])
def test_an_event_time_outside_the_years_1900_to_2999_is_refused(client, roles, at):
    # given
    client.force_login(staff(Role.GENERAL_MANAGER))
    # when
    response = client.post("/api/crm/events", favourite(at), content_type=JSON)
    # then
    assert response.status_code == 422
    assert [e["msg"] for e in response.json()["detail"]] == [str(BAD_EVENT_YEAR)]
    assert not Event.objects.exists()


@pytest.mark.parametrize("field", ["quantity", "customer_id"])
def test_an_event_number_beyond_its_column_is_refused(client, roles, field):
    # given
    client.force_login(staff(Role.GENERAL_MANAGER))
    rows = [favourite("2026-11-01T10:00:00")[0] | {field: 2**63}]
    # when
    response = client.post("/api/crm/events", rows, content_type=JSON)
    # then
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == field
    assert not Event.objects.exists()
