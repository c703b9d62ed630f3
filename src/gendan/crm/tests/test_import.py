"""Importing the CSV files an online platform exports: all lines or none."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.utils import translation

from gendan.crm.imports import events_import
from gendan.crm.models import Event, Figures
from gendan.parties.models import Customer

pytestmark = pytest.mark.django_db

HEADER = "event,time,platform,platform_id,nickname,mobile,amount,item,quantity,source,external_id\n"
GOOD = (
    "favourite_shop,2026-10-01 09:00:00,tmall,tb_1,竹林小屋,,,,,tmall,\n"
    "add_to_cart,2026-10-02 20:15:00,tmall,tb_1,,,,ZF-101,2,tmall,\n"
    "order_paid,2026-10-03 21:00:00,tmall,tb_1,,,599.00,ZF-101,2,tmall,TB20261003001\n"
    "qr_scan,2026-10-04 10:00:00,,,,13812345678,,,,store,\n"
)


def csv_file(text: str) -> io.BytesIO:
    return io.BytesIO(("\ufeff" + HEADER + text).encode())


def test_a_good_file_is_recorded_with_its_figures():
    count = events_import(csv_file(GOOD))

    buyer = Customer.objects.get(platform_id="tb_1")
    assert count == 4 and Customer.objects.count() == 2
    assert buyer.nickname == "竹林小屋"
    assert Figures.objects.get(customer=buyer).purchase_amount == Decimal("599.00")


def test_every_bad_line_is_reported_by_number_and_nothing_is_imported():
    bad = GOOD + (
        "liked,2026-10-05 10:00:00,tmall,tb_2,,,,,,,\n"
        "order_paid,yesterday,tmall,tb_3,,,10,,,,\n"
        "order_paid,2026-10-06 10:00:00,tmall,tb_4,,,-3,,,,\n"
        "add_to_cart,2026-10-06 10:00:00,tmall,tb_5,,,,,zero,,\n"
    )

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        events_import(csv_file(bad))

    lines = [message.split(":")[0] for message in refused.value.messages]
    assert lines == ["line 6", "line 7", "line 8", "line 9"]
    assert not Event.objects.exists() and not Customer.objects.exists()


def test_a_line_the_customer_check_refuses_is_reported_by_line_too():
    bad = GOOD + "qr_scan,2026-10-05 10:00:00,,,,12345,,,,,\n"

    with pytest.raises(ValidationError) as refused:
        events_import(csv_file(bad))

    assert "6" in refused.value.messages[0]
    assert not Event.objects.exists()


def test_importing_the_same_file_twice_counts_orders_once():
    events_import(csv_file(GOOD))
    events_import(csv_file(GOOD))

    buyer = Customer.objects.get(platform_id="tb_1")
    assert Figures.objects.get(customer=buyer).purchase_count == 1


def test_the_import_command(tmp_path):
    path = tmp_path / "tmall.csv"
    path.write_bytes(csv_file(GOOD).getvalue())
    broken = tmp_path / "broken.csv"
    broken.write_text("time\n2026-10-01 09:00:00\n", encoding="utf-8")

    call_command("crm_import", str(path))

    assert Event.objects.count() == 4
    with pytest.raises(CommandError):
        call_command("crm_import", str(broken))


def test_a_csv_file_through_the_api(client, roles):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gendan.accounts.roles import Role
    from gendan.orders.tests.helpers import staff

    client.force_login(staff(Role.GENERAL_MANAGER))
    upload = SimpleUploadedFile("tmall.csv", csv_file(GOOD).getvalue(), content_type="text/csv")

    response = client.post("/api/crm/events/csv", {"file": upload})

    assert response.json() == {"recorded": 4}
