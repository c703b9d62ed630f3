"""What each line of an imported CSV file means, and what makes it bad.

These run on SQLite (the file read line by line in Python) and on PostgreSQL (the file taken
by COPY and checked in SQL); the last test feeds any file to both ways on PostgreSQL and
checks they give the same answer.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.crm.imports import QUOTE_OPEN, events_import, events_parse_import, file_split
from gendan.crm.models import Event, Figures, ItemDay
from gendan.parties.models import Customer
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db

HEADER = "event,time,platform,platform_id,mobile,amount,quantity,item,external_id"
SHANGHAI = dt.timezone(dt.timedelta(hours=8))


def imported(*lines: str, header: str = HEADER) -> int:
    return events_import(io.BytesIO("\n".join([header, *lines, ""]).encode()))


def refusal(*lines: str, header: str = HEADER) -> list[str]:
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        imported(*lines, header=header)
    assert not Event.objects.exists() and not Customer.objects.exists()
    return refused.value.messages


def test_each_kind_of_bad_value_is_named_with_its_line():
    messages = refusal(
        "liked,2026-10-05 10:00,tmall,a,,,,,",
        "add_to_cart,2026-02-30 10:00,tmall,a,,,,,",
        "add_to_cart,2026-10-05 24:00,tmall,a,,,,,",
        "order_paid,2026-10-05,tmall,a,,12.3.4,,,",
        "order_paid,2026-10-05,tmall,a,,-3,,,",
        "add_to_cart,2026-10-05,tmall,a,,,0,,",
        "add_to_cart,2026-10-05,tmall,a,,,1.5,,",
    )

    assert messages == [
        "line 2: unknown event “liked”",
        "line 3: time must look like 2026-11-21 14:30:00",
        "line 4: time must look like 2026-11-21 14:30:00",
        "line 5: amount “12.3.4” is not a number",
        "line 6: amount must not be negative",
        "line 7: quantity “0” is not a whole number from 1 to 999,999,999",
        "line 8: quantity “1.5” is not a whole number from 1 to 999,999,999",
    ]


def test_values_that_read_well_but_cannot_be_are_named_too():
    messages = refusal(
        "add_to_cart,2026-10-05,amazon,a,,,,,",
        "order_paid,2026-10-05,tmall,a,,,,,",
        "order_paid,2026-10-05,tmall,a,,1000000000000,,,",
        "add_to_cart,2026-10-05,tmall,a,,,," + "X" * 65 + ",",
    )

    assert messages == [
        "line 2: Unknown platform “amazon”.",
        "line 3: A payment or refund needs its amount.",
        "line 4: The amount must be between 0 and 999,999,999,999.99.",
        "line 5: item is longer than 64 characters.",
    ]


def test_a_line_without_a_way_to_know_who_or_with_a_bad_mobile_is_refused():
    messages = refusal(
        "qr_scan,2026-10-05,,,,,,,",
        "qr_scan,2026-10-05,,,12345,,,,",
        "qr_scan,2026-10-05,,,13812345678,,,,",
    )

    assert messages == [
        "line 2: An event needs a customer number, a platform id or a mobile number.",
        "line 3: Enter a valid mainland mobile number of 11 digits, e.g. 13812345678.",
    ]


def test_a_line_with_too_few_or_too_many_fields_is_refused():
    messages = refusal("qr_scan,2026-10-05,tmall,a")

    assert messages == ["line 2: the line does not have the header's 9 fields"]


def test_a_hundred_problems_are_listed_and_the_rest_counted():
    messages = refusal(*["liked,2026-10-05,tmall,a,,,,,"] * 130)

    assert len(messages) == 101 and messages[99].startswith("line 101:")
    assert messages[100] == "… and 30 more lines with problems."


def test_a_file_with_windows_line_ends_and_blank_lines_at_the_end_is_read():
    text = f"{HEADER}\r\nqr_scan,2026-10-05,tmall,a,,,,,\r\nqr_scan,2026-10-06,tmall,b,,,,,\r\n\r\n"

    assert events_import(io.BytesIO(text.encode())) == 2


def test_a_file_of_a_header_alone_records_nothing():
    assert imported() == 0 and not Event.objects.exists()


def test_a_file_that_is_not_utf8_is_refused_with_a_hint():
    file = io.BytesIO(f"{HEADER}\nqr_scan,2026-10-05,tmall,竹子,,,,,\n".encode("gbk"))

    with pytest.raises(ValidationError) as refused, translation.override("en"):
        events_import(file)

    assert "UTF-8" in refused.value.messages[0]


def test_a_quote_left_open_is_refused_the_same_on_both_databases():
    with pytest.raises(ValidationError) as refused:
        imported('qr_scan,2026-10-05,tmall,"a,,,,,', "qr_scan,2026-10-06,tmall,b,,,,,")

    assert refused.value.messages == [str(QUOTE_OPEN)]
    assert not Event.objects.exists()


def test_a_file_with_nul_characters_is_refused_as_not_text():
    with pytest.raises(ValidationError) as refused, translation.override("en"):
        imported("qr_scan,2026-10-05,tmall,a\x00b,,,,,")

    assert "UTF-8" in refused.value.messages[0]


def test_times_keep_their_zone_or_are_the_shops():
    imported(
        "qr_scan,2026-10-05 10:00:00,tmall,a,,,,,",
        "qr_scan,2026-10-05T10:00:00Z,tmall,a,,,,,",
        "qr_scan,2026-10-05T10:00:00.25-05:30,tmall,a,,,,,",
        "qr_scan,2026-10-05,tmall,a,,,,,",
    )

    assert sorted(Event.objects.values_list("at", flat=True)) == [
        dt.datetime(2026, 10, 5, 0, 0, tzinfo=SHANGHAI),
        dt.datetime(2026, 10, 5, 10, 0, tzinfo=SHANGHAI),
        dt.datetime(2026, 10, 5, 10, 0, tzinfo=dt.UTC),
        dt.datetime(2026, 10, 5, 15, 30, 0, 250000, tzinfo=dt.UTC),
    ]


def test_amounts_round_half_up_to_the_fen_and_quantity_defaults_to_one():
    imported("order_paid,2026-10-05,tmall,a,,10.005,,,", "order_paid,2026-10-05,tmall,a,,7,3,,")

    assert sorted(Event.objects.values_list("amount", "quantity")) == [
        (Decimal("7.00"), 3),
        (Decimal("10.01"), 1),
    ]


def test_the_same_new_phone_on_two_platforms_is_one_new_customer():
    """E-3: the same person arriving twice is one customer."""
    imported(
        "qr_scan,2026-10-05,tmall,,13812345678,,,,",
        "qr_scan,2026-10-06,jd,,138 1234 5678,,,,",
        "qr_scan,2026-10-07,jd,j1,,,,,",
        "favourite_shop,2026-10-08,jd,j1,13912345678,,,,",
    )

    assert sorted(Customer.objects.values_list("platform", "platform_id", "mobile")) == [
        ("jd", "j1", ""),
        ("tmall", "", "13812345678"),
    ]
    assert Customer.objects.get(platform_id="j1").events.count() == 2


def test_events_of_someone_merged_go_to_whom_they_were_merged_into():
    """E-3: merging keeps one customer; later events of the absorbed one follow."""
    keep = CustomerFactory(kind="online", platform="tmall", platform_id="keep")
    CustomerFactory(kind="online", platform="jd", platform_id="gone", merged_into=keep)

    imported("order_paid,2026-10-05,jd,gone,,50,,,")

    event = Event.objects.get()
    assert event.customer == keep and event.source == "tmall"
    assert Figures.objects.get(customer=keep).purchase_amount == Decimal("50.00")


def test_what_the_platform_tells_fills_what_the_record_does_not_know():
    """E-7: profile fields of a known customer are filled, never overwritten."""
    known = CustomerFactory(kind="online", platform="tmall", platform_id="a", city="杭州")
    header = HEADER + ",gender,birth_year,province,city"

    imported(
        "qr_scan,2026-10-05,tmall,a,,,,,,,,,宁波",
        "qr_scan,2026-10-06,tmall,a,,,,,,f,1990,浙江,",
        "qr_scan,2026-10-07,tmall,a,,,,,,m,1991,,",
        header=header,
    )

    known.refresh_from_db()
    told = (known.gender, known.birth_year, known.province, known.city)
    assert told == ("f", 1990, "浙江", "杭州")


def test_a_paid_order_takes_its_category_from_the_catalogue():
    """E-8: an order without a category counts for its item's category."""
    from gendan.catalog.tests.factories import ProductFactory

    product = ProductFactory(category="skirting")

    imported(f"order_paid,2026-10-05,tmall,a,,50,,{product.sku},")

    assert Event.objects.get().category == "skirting"


def test_an_external_id_counts_once_the_first_line_wins():
    imported(
        "order_paid,2026-10-05,tmall,a,,50,,,T1",
        "order_paid,2026-10-05,tmall,a,,70,,,T1",
        "refund,2026-10-06,tmall,a,,50,,,T1",
    )

    assert sorted(Event.objects.values_list("kind", "amount")) == [
        ("order_paid", Decimal("50.00")),
        ("refund", Decimal("50.00")),
    ]


def test_adds_to_cart_are_counted_per_item_and_day():
    """E-12: the items report counts imported adds to cart."""
    imported(
        "add_to_cart,2026-10-05 23:30,tmall,a,,,,ZF-101,",
        "add_to_cart,2026-10-05 08:00,tmall,b,,,,ZF-101,",
        "add_to_cart,2026-10-06 00:10,tmall,a,,,,ZF-101,",
    )

    assert set(ItemDay.objects.values_list("item", "day", "carts")) == {
        ("ZF-101", dt.date(2026, 10, 5), 2),
        ("ZF-101", dt.date(2026, 10, 6), 1),
    }


def test_columns_in_any_order_unknown_ones_ignored_missing_ones_empty():
    imported("shop note,2026-10-05,qr_scan,a", header="remark,time,event,platform_id")

    event = Event.objects.get()
    assert (event.kind, event.customer.platform_id, event.customer.platform) == ("qr_scan", "a", "")


# Any file: lines made of good and bad values, so that both ways meet every check.
VALUES = {
    "event": ["order_paid", "add_to_cart", "refund", "qr_scan", "liked", " card_claimed "],
    "time": ["2026-10-05 10:00", "2026-10-05T23:59:59+08:00", "2026-13-01", "2026-02-29",
             "2024-02-29 12:00:00.5Z", "yesterday", "2026-10-05 10:00:60", "",
             "2026-10-05T10:00+0530", "2026-10-05 10:00-05", "2026-10-05 10:00+24:00",
             "2026-10-05+08:00", "1899-12-31", "2026-04-31 10:00:00.1234567"],
    "platform": ["tmall", "jd", "", "amazon"],
    "platform_id": ["a", "b", "", "\u3000c", 'q"1,2'],
    "mobile": ["", "13812345678", "+86 138-1234-5678", "12345"],
    "amount": ["", "12.345", "-1", "abc", "0", "1e3", "999999999999.995"],
    "quantity": ["", "2", "0", "x", "1234567890"],
    "external_id": ["", "T1", "T2"],
    "gender": ["", "f", "x"],
    "birth_year": ["", "1990", "1850", "19x0"],
}  # fmt: skip
line = st.fixed_dictionaries({name: st.sampled_from(values) for name, values in VALUES.items()})


def outcome(run) -> object:
    """What importing did, or what it said was wrong; undone afterwards."""
    try:
        with transaction.atomic():
            count = run()
            result = (
                count,
                sorted(Event.objects.values_list("customer__platform_id", "customer__mobile",
                                                 "kind", "at", "amount", "quantity", "source")),
                sorted(Customer.objects.values_list("platform", "platform_id", "mobile",
                                                    "gender", "birth_year")),
                sorted(Figures.objects.values_list("purchase_count", "purchase_amount")),
            )  # fmt: skip
            transaction.set_rollback(True)
            return result
    except ValidationError as error:
        return error.messages


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one way only on SQLite")
@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines=st.lists(line, max_size=8), ending=st.sampled_from(["\n", "\r\n"]))
def test_both_ways_of_reading_a_file_give_the_same_answer(db, lines, ending):
    """Any file: the lines checked and recorded in SQL (PostgreSQL) give exactly what they
    give read in Python: the same refusal, or the same events, customers and figures."""
    from gendan.crm.copying import events_copy_import

    text = io.StringIO()
    writer = csv.writer(text, lineterminator=ending)
    writer.writerow(VALUES)
    writer.writerows([[row[name] for name in VALUES] for row in lines])
    header, body = file_split(text.getvalue().encode())

    with translation.override("en"):
        in_sql = outcome(lambda: events_copy_import(header, body))
        in_python = outcome(lambda: events_parse_import(header, body))

    assert in_sql == in_python
