"""Amounts in Chinese capitals (大写), as cheques and delivery notes write them."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from gendan.documents.content import amount_in_capitals

DIGITS = "零壹贰叁肆伍陆柒捌玖"


def four_digits(number: int) -> str:
    """1 to 9999 in capitals: one 零 for any run of zeros between digits, none at the end."""
    words, zero = "", False
    for unit, digit in zip(("仟", "佰", "拾", ""), f"{number:04d}", strict=True):
        if digit == "0":
            zero = bool(words)
            continue
        words += ("零" if zero else "") + DIGITS[int(digit)] + unit
        zero = False
    return words


def reference(cents: int) -> str:
    """A second, independent conversion by the rules of the People's Bank accounting norms:
    元 then 角 and 分; 整 when there is neither; 零 for a zero 角 before a 分."""
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    words = ""
    if yuan:
        high, low = divmod(yuan, 10000)
        words = four_digits(high) + "万" if high else ""
        if low:
            words += ("零" if high and low < 1000 else "") + four_digits(low)
        words += "元"
    if jiao:
        words += DIGITS[jiao] + "角"
    elif fen and yuan:
        words += "零"
    if fen:
        words += DIGITS[fen] + "分"
    return words + ("整" if not jiao and not fen else "")


@given(st.integers(min_value=1, max_value=9_999_999_999))
def test_capitals_agree_with_the_reference_from_one_fen_to_99_999_999_yuan_99(cents):
    amount = Decimal(cents) / 100
    assert amount_in_capitals(amount) == reference(cents)


def test_capitals_of_the_amounts_a_clerk_writes_every_day():
    assert amount_in_capitals(Decimal("1234.50")) == "壹仟贰佰叁拾肆元伍角"
    assert amount_in_capitals(Decimal("100")) == "壹佰元整"
    assert amount_in_capitals(Decimal("1001.01")) == "壹仟零壹元零壹分"
    assert amount_in_capitals(Decimal("60036.07")) == "陆万零叁拾陆元零柒分"
    assert amount_in_capitals(Decimal("0.05")) == "伍分"
    assert amount_in_capitals(Decimal("99999999.99")) == "玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"


def test_an_amount_is_rounded_to_the_fen_before_it_is_written():
    assert amount_in_capitals(Decimal("12.345")) == reference(1235)
