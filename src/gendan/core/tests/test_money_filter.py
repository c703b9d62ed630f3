"""Money reads with thousands separators and 2 places on every page, in both languages
(issue 12); other values read as words."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from gendan.core.formatting import money_text, value_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("13060"), "13,060.00"),
        ("1234567.5", "1,234,567.50"),
        (Decimal("-45"), "-45.00"),
        (0, "0.00"),
        (None, ""),
        ("not a number", "not a number"),
    ],
)
def test_an_amount_has_thousands_separators_and_two_places(value, shown):
    assert money_text(value) == shown


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_money_filter_groups_with_commas_in_both_languages(language):
    template = Template("{% load gendan %}¥{{ amount|money }}")

    with translation.override(language):
        shown = template.render(Context({"amount": Decimal("13060")}))

    assert shown == "¥13,060.00"


def test_stored_values_read_as_words():
    with translation.override("zh-hans"):
        chinese = [value_text(True), value_text(False), value_text("2026-11-25"), value_text(None)]
    with translation.override("en"):
        english = [value_text(True), value_text("2026-11-25"), value_text({"a": 1})]

    assert chinese == ["是", "否", "2026年11月25日", "—"]
    assert english == ["yes", "Nov. 25, 2026", "a: 1"]
    assert value_text("done", choices={"done": "完成"}) == "完成"
    assert value_text(dt.date(2026, 1, 2).isoformat() + " is a day") == "2026-01-02 is a day"
