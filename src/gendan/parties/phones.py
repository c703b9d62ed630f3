"""Mainland China telephone numbers, checked against libphonenumber's numbering plan."""

from __future__ import annotations

import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_INVALID = _("Enter a valid mainland mobile number of 11 digits, e.g. 13812345678.")
LANDLINE_INVALID = _("Enter a valid landline number with its area code, e.g. 020-12345678.")

PHONE_CHARACTERS = re.compile(r"\+?[0-9()\-]{7,20}")
MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE}
LANDLINE_TYPES = {
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


def parse_cn(value: str) -> phonenumbers.PhoneNumber | None:
    cleaned = value.strip().replace(" ", "").replace("－", "-")
    if not PHONE_CHARACTERS.fullmatch(cleaned):
        return None
    try:
        number = phonenumbers.parse(cleaned, "CN")
    except phonenumbers.NumberParseException:
        return None
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        return None
    return number


def mobile_normalize(value: str) -> str:
    """13812345678, or ValidationError."""
    number = parse_cn(value)
    if number is None or phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise ValidationError(MOBILE_INVALID, code="mobile")
    return str(number.national_number)


def landline_normalize(value: str) -> str:
    """020-12345678 (area code, dash, local number), or ValidationError."""
    number = parse_cn(value)
    if number is None or phonenumbers.number_type(number) not in LANDLINE_TYPES:
        raise ValidationError(LANDLINE_INVALID, code="landline")
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return national.replace(" ", "-", 1).replace(" ", "")


def validate_mobile(value: str) -> None:
    if value:
        mobile_normalize(value)


def validate_landline(value: str) -> None:
    if value:
        landline_normalize(value)
