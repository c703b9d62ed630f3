"""CSV files of shop events, as an online platform exports them (columns in the README).

Every line is checked before anything is recorded: a file with one bad line records
nothing, and the answer lists each bad line by its number and reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.crm.models import EventKind
from gendan.crm.services import EventInput, events_record

COLUMNS = [
    "event", "time", "platform", "platform_id", "nickname", "mobile", "amount", "item",
    "quantity", "source", "external_id", "category", "gender", "birth_year", "province", "city",
]  # fmt: skip
REQUIRED = {"event", "time"}
KINDS = frozenset(EventKind.values)


def line_parse(row: dict[str, str]) -> EventInput:
    """One line as an event, or ValueError saying what is wrong with it."""
    kind = row.get("event", "").strip()
    if kind not in KINDS:
        raise ValueError(_("unknown event “%(kind)s”") % {"kind": kind})
    try:
        at = dt.datetime.fromisoformat(row.get("time", "").strip())
    except ValueError:
        raise ValueError(_("time must look like 2026-11-21 14:30:00")) from None
    if timezone.is_naive(at):
        at = timezone.make_aware(at)  # the shop's own time zone
    return EventInput(
        kind=kind, at=at, platform=row.get("platform", "").strip(),
        platform_id=row.get("platform_id", "").strip(), nickname=row.get("nickname", "").strip(),
        mobile=row.get("mobile", "").strip(), amount=amount_parse(row.get("amount", "")),
        item=row.get("item", "").strip(), quantity=quantity_parse(row.get("quantity", "")),
        source=row.get("source", "").strip(), external_id=row.get("external_id", "").strip(),
        category=row.get("category", "").strip(), gender=row.get("gender", "").strip(),
        birth_year=year_parse(row.get("birth_year", "")), province=row.get("province", "").strip(),
        city=row.get("city", "").strip(),
    )  # fmt: skip


def year_parse(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(_("year of birth “%(text)s” is not a year") % {"text": text})
    return int(text)


def amount_parse(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("amount “%(text)s” is not a number") % {"text": text}) from None
    if amount < 0:
        raise ValueError(_("amount must not be negative"))
    return amount.quantize(Decimal("0.01"))


def quantity_parse(text: str) -> int:
    text = text.strip() or "1"
    if not text.isdigit() or int(text) < 1:
        raise ValueError(
            _("quantity “%(text)s” is not a whole number of at least 1") % {"text": text}
        )
    return int(text)


def csv_rows(file: IO[bytes]) -> list[tuple[int, dict[str, str]]]:
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    reader = csv.reader(text)
    header = [name.strip() for name in next(reader, [])]
    missing = REQUIRED - set(header)
    if missing:
        raise ValidationError(
            _("The file lacks the columns: %(columns)s") % {"columns": ", ".join(sorted(missing))}
        )
    return [(reader.line_num, dict(zip(header, row, strict=False))) for row in reader if row]


def events_import(file: IO[bytes]) -> int:
    """Import a CSV file of events: all lines or none, in one transaction. Returns how many
    were recorded (a line whose external id was imported before is left out)."""
    parsed, problems = [], []
    for line, row in csv_rows(file):
        try:
            parsed.append((line, line_parse(row)))
        except ValueError as error:
            problems.append(_("line %(line)s: %(reason)s") % {"line": line, "reason": error})
    if problems:
        raise ValidationError(problems)
    try:
        return len(events_record(rows=[row for _line, row in parsed]))
    except ValidationError as error:
        # events_record names rows by their place in the file; the user wants the line.
        raise ValidationError(
            [
                _("line %(line)s: %(reason)s")
                % {"line": parsed[int(key.split(".")[1])][0], "reason": " ".join(messages)}
                for key, messages in error.message_dict.items()
            ]
        ) from error
