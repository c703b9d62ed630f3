"""CSV files of shop events, as an online platform exports them (columns in the README).

Every line is checked before anything is recorded: a file with one bad line records
nothing, and the answer lists each bad line by its number and reason. Lines are counted as
CSV records, the header being line 1.

SQLite reads the file line by line in Python. PostgreSQL takes the whole file by COPY into
a temporary table and checks, resolves and records it there (``gendan.crm.copying``): at a
million lines Python must not touch each line. Both follow the patterns and messages below,
and the import tests run on both databases.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import ROUND_HALF_UP, Decimal
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gendan.crm.models import EventKind
from gendan.crm.services.events import EventInput, events_record

COLUMNS = [
    "event", "time", "platform", "platform_id", "nickname", "mobile", "amount", "item",
    "quantity", "source", "external_id", "category", "gender", "birth_year", "province", "city",
]  # fmt: skip
REQUIRED = {"event", "time"}
KINDS = frozenset(EventKind.values)
# Taken off both ends of every value; PostgreSQL's btrim is given the same characters.
WHITESPACE = " \t\r\n\u3000\xa0"
# 2026-11-21, 2026-11-21 14:30, 2026-11-21T14:30:00.5; a time may end in Z or +08:00 (else
# it is in the shop's zone). Fixed places: SQL reads the parts by position.
TIME_PATTERN = (
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,6}))?)?"
    r"(?:(Z)|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?$"
)
AMOUNT_PATTERN = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$"
QUANTITY_PATTERN = r"^[0-9]{1,9}$"
YEAR_PATTERN = r"^[0-9]+$"
BLANK = re.compile(f"[{WHITESPACE}]*")
TIME_RE, AMOUNT_RE = re.compile(TIME_PATTERN), re.compile(AMOUNT_PATTERN)
QUANTITY_RE, YEAR_RE = re.compile(QUANTITY_PATTERN), re.compile(YEAR_PATTERN)
SHOWN = 100  # problems listed; the rest are counted
FIELD_LIMIT = csv.field_size_limit()  # the csv module's, 131,072 characters: longer is bad
MB = 1024 * 1024

NOT_UTF8 = gettext_lazy("The file is not UTF-8 text: save it as “CSV UTF-8” and try again.")
QUOTE_OPEN = gettext_lazy(
    'A quoted value is never closed: the file has an odd number of double quotes (").'
)
MISSING_COLUMNS = gettext_lazy("The file lacks the columns: %(columns)s")
FIELDS_WRONG = gettext_lazy("the line does not have the header's %(count)s fields")
UNKNOWN_EVENT = gettext_lazy("unknown event “%(kind)s”")
BAD_TIME = gettext_lazy("time must look like 2026-11-21 14:30:00")
AMOUNT_NOT_NUMBER = gettext_lazy("amount “%(text)s” is not a number")
AMOUNT_NEGATIVE = gettext_lazy("amount must not be negative")
BAD_QUANTITY = gettext_lazy("quantity “%(text)s” is not a whole number from 1 to 999,999,999")
YEAR_NOT_YEAR = gettext_lazy("year of birth “%(text)s” is not a year")
FIELD_TOO_LONG = gettext_lazy("a value is longer than %(limit)s characters")
TOO_LARGE = gettext_lazy("The file is larger than %(megabytes)s MB, the limit for an import.")
TOO_MANY_LINES = gettext_lazy("The file has more than %(lines)s lines, the limit for an import.")
LINE = gettext_lazy("line %(line)s: %(reason)s")
MORE = gettext_lazy("… and %(count)s more lines with problems.")


def events_import(file: IO[bytes]) -> int:
    """Import a CSV file of events: all lines or none, in one transaction. Returns how many
    were recorded (a line whose external id was imported before is left out)."""
    file_measure(file)
    header, body = file_split(file.read())
    if connection.vendor == "postgresql":
        from gendan.crm.copying import events_copy_import

        return events_copy_import(header, body)
    return events_parse_import(header, body)


def file_measure(file: IO[bytes]) -> None:
    """Refuse a file past the limits before reading it: its size, then its event lines (after
    the header) counted a megabyte at a time (left as soon as there are too many)."""
    most_bytes, most_lines = (
        settings.GENDAN_CRM_IMPORT_MAX_BYTES,
        settings.GENDAN_CRM_IMPORT_MAX_LINES,
    )
    size = file.seek(0, io.SEEK_END)
    file.seek(0)
    if size > most_bytes:
        raise ValidationError(TOO_LARGE % {"megabytes": most_bytes // MB})
    lines, last = -1, b"\n"  # the header is not an event line
    while chunk := file.read(MB):
        lines, last = lines + chunk.count(b"\n"), chunk[-1:]
        if lines + (last != b"\n") > most_lines:
            raise ValidationError(TOO_MANY_LINES % {"lines": f"{most_lines:,}"})
    file.seek(0)


READING = threading.Lock()


@contextmanager
def long_values_read() -> Iterator[None]:
    """The csv module refuses a value past its limit with an error that names no line (a
    server error). While a file is read the limit is lifted (the file's size is bounded) and
    each value is checked instead, as COPY's lines are: a line error. The limit is the
    process's, so one file is read at a time."""
    with READING:
        before = csv.field_size_limit(sys.maxsize)
        try:
            yield
        finally:
            csv.field_size_limit(before)


def too_long(values: list[str]) -> bool:
    return any(len(value) > FIELD_LIMIT for value in values)


def file_split(content: bytes) -> tuple[list[str], str]:
    """The header's column names and the text after the header line."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(NOT_UTF8) from None
    if "\x00" in text:  # not text at all; PostgreSQL cannot hold it either
        raise ValidationError(NOT_UTF8)
    if text.count('"') % 2:  # a quoted value left open runs to the end of the file
        raise ValidationError(QUOTE_OPEN)
    first, _newline, body = text.partition("\n")
    del text  # the file is held twice at most (its bytes and its lines), not four times
    with long_values_read():
        names = next(csv.reader([first]), [])
    if too_long(names):
        problems_raise([(1, FIELD_TOO_LONG % {"limit": f"{FIELD_LIMIT:,}"})])
    header = [name.strip(WHITESPACE) for name in names]
    missing = REQUIRED - set(header)
    if missing:
        raise ValidationError(MISSING_COLUMNS % {"columns": ", ".join(sorted(missing))})
    if BLANK.fullmatch(body):
        return header, ""
    # Blank lines at the end are left out; the last line ends as the others do (COPY wants it).
    # Most files end so already: their text is not copied again.
    ending, end = "\r\n" if first.endswith("\r") else "\n", len(body)
    while body[end - 1] in "\r\n":
        end -= 1
    return header, body if body[end:] == ending else body[:end] + ending


def problems_raise(problems: list[tuple[int, str]], more: int = 0) -> None:
    """ValidationError listing the first problems by line, and how many more there are."""
    if not problems and not more:
        return
    problems = sorted(problems)
    more += max(0, len(problems) - SHOWN)
    messages = [LINE % {"line": line, "reason": reason} for line, reason in problems[:SHOWN]]
    if more:
        messages.append(MORE % {"count": more})
    raise ValidationError(messages)


def events_parse_import(header: list[str], body: str) -> int:
    with long_values_read():
        parsed, problems = lines_parse(header, body)
    problems_raise(problems)
    try:
        return len(events_record(rows=[row for _line, row in parsed]))
    except ValidationError as error:
        # events_record names rows by their place in the file; the user wants the line.
        problems_raise(
            [
                (parsed[int(key.split(".")[1])][0], " ".join(messages))
                for key, messages in error.message_dict.items()
            ]
        )
        raise


def lines_parse(header: list[str], body: str) -> tuple[list, list[tuple[int, str]]]:
    """Each line as (line, event), and the problems of the bad ones as (line, reason)."""
    parsed, problems = [], []
    reader = csv.reader(io.StringIO(body, newline=""))
    for line, values in enumerate(reader, start=2):
        if too_long(values):
            problems.append((line, FIELD_TOO_LONG % {"limit": f"{FIELD_LIMIT:,}"}))
            continue
        if len(values) != len(header):
            problems.append((line, FIELDS_WRONG % {"count": len(header)}))
            continue
        row = {name: value.strip(WHITESPACE) for name, value in zip(header, values, strict=True)}
        try:
            parsed.append((line, line_parse(row)))
        except ValueError as error:
            problems.append((line, str(error)))
    return parsed, problems


def line_parse(row: dict[str, str]) -> EventInput:
    """One line (values trimmed) as an event, or ValueError saying what is wrong with it."""
    kind = row.get("event", "")
    if kind not in KINDS:
        raise ValueError(UNKNOWN_EVENT % {"kind": kind})
    return EventInput(
        kind=kind, at=time_parse(row.get("time", "")), platform=row.get("platform", ""),
        platform_id=row.get("platform_id", ""), nickname=row.get("nickname", ""),
        mobile=row.get("mobile", ""), amount=amount_parse(row.get("amount", "")),
        item=row.get("item", ""), quantity=quantity_parse(row.get("quantity", "")),
        source=row.get("source", ""), external_id=row.get("external_id", ""),
        category=row.get("category", ""), gender=row.get("gender", ""),
        birth_year=year_parse(row.get("birth_year", "")), province=row.get("province", ""),
        city=row.get("city", ""),
    )  # fmt: skip


def time_parse(text: str) -> dt.datetime:
    """The moment TIME_PATTERN describes; a time without zone is in the shop's zone."""
    match = TIME_RE.fullmatch(text)
    if not match:
        raise ValueError(BAD_TIME)
    year, month, day, hour, minute, second, fraction, utc, sign, hours, minutes = match.groups()
    if not 1900 <= int(year) <= 2999:
        raise ValueError(BAD_TIME)
    try:
        at = dt.datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0),
            int(second or 0), int((fraction or "0").ljust(6, "0")),
        )  # fmt: skip
        if sign:
            if int(hours) > 23 or int(minutes or 0) > 59:
                raise ValueError(BAD_TIME)
            offset = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
            return at.replace(tzinfo=dt.timezone(-offset if sign == "-" else offset))
    except ValueError:
        raise ValueError(BAD_TIME) from None
    return at.replace(tzinfo=dt.UTC) if utc else timezone.make_aware(at)


def year_parse(text: str) -> int | None:
    if not text:
        return None
    if not YEAR_RE.fullmatch(text):
        raise ValueError(YEAR_NOT_YEAR % {"text": text})
    return int(text)


def amount_parse(text: str) -> Decimal | None:
    if not text:
        return None
    if not AMOUNT_RE.fullmatch(text):
        raise ValueError(AMOUNT_NOT_NUMBER % {"text": text})
    amount = Decimal(text)
    if amount < 0:
        raise ValueError(AMOUNT_NEGATIVE)
    # Half up, as PostgreSQL's round(); a huge amount is left for the range check.
    return amount.quantize(Decimal("0.01"), ROUND_HALF_UP) if amount < 10**12 else amount


def quantity_parse(text: str) -> int:
    text = text or "1"
    if not QUANTITY_RE.fullmatch(text) or int(text) < 1:
        raise ValueError(BAD_QUANTITY % {"text": text})
    return int(text)
