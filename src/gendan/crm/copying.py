"""PostgreSQL's import of a CSV file of events, for files of a million lines.

The file goes by COPY into a temporary table; SQL then checks every line (the same checks,
in the same order and with the same messages, as ``imports.line_parse`` and
``services.row_check`` on SQLite), finds or creates each line's customer and records the
events with one ``INSERT ... SELECT``, whose statement trigger keeps the figures. Python
touches no line: only the distinct mobile numbers, which libphonenumber checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import psycopg
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gendan.crm import imports
from gendan.crm.imports import COLUMNS, WHITESPACE, problems_raise
from gendan.crm.keeping import period_roll_due
from gendan.crm.models import Event, EventKind
from gendan.crm.services.events import (
    AMOUNT_NEEDED,
    BAD_AMOUNT,
    BAD_BIRTH_YEAR,
    BAD_GENDER,
    GENDERS,
    KINDS,
    LIMITS,
    NO_WAY_TO_KNOW_WHO,
    PLATFORMS,
    TOO_LONG,
    UNKNOWN_PLATFORM,
)
from gendan.parties.models import Customer, CustomerKind
from gendan.parties.phones import MOBILE_INVALID, mobile_normalize

LINES, ROWS = "crm_import_line", "crm_import_row"
WHO, MOBILES = "crm_import_who", "crm_import_mobile"
UNREADABLE = gettext_lazy("the line cannot be read as CSV")
RECORDED_MEANWHILE = gettext_lazy(
    "Some of the same orders were recorded meanwhile (by another import or the API); nothing "
    "of this file was recorded. Import it again: the orders recorded already are left out."
)
CHUNK = 1 << 20  # characters written to COPY at a time

# A check: the SQL condition of a bad line (earlier checks passed), the SQL of the value its
# message shows, and the message. The first failing check of a line is its problem.
Check = tuple[str, str, Callable[[str], str]]


def sql_text(values) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in sorted(values))


# The zone at the end of a time (Z, +08:00, -0530, +08), or '' (the parts before it are
# digits, ':' and '.'). Positions: date 1-10, hours 12-13, minutes 15-16, seconds 18-19.
ZONE = "ltrim(substr(time, 17), ':.0123456789')"


def time_valid() -> str:
    """A time of TIME_PATTERN whose parts are in range. The pattern is matched without
    captures (PostgreSQL takes ten times longer to capture) and the parts read by position."""
    return f"""CASE WHEN time !~ %(time)s THEN false
        WHEN substr(time, 1, 4)::int NOT BETWEEN 1900 AND 2999
            OR substr(time, 6, 2)::int NOT BETWEEN 1 AND 12 THEN false
        WHEN substr(time, 9, 2)::int NOT BETWEEN 1 AND extract(day FROM make_date(
            substr(time, 1, 4)::int, substr(time, 6, 2)::int, 1) + interval '1 month - 1 day')
            THEN false
        WHEN length(time) = 10 THEN true
        WHEN substr(time, 12, 2)::int > 23 OR substr(time, 15, 2)::int > 59 THEN false
        WHEN substr(time, 17, 1) = ':' AND substr(time, 18, 2)::int > 59 THEN false
        WHEN {ZONE} IN ('', 'Z') THEN true
        ELSE substr({ZONE}, 2, 2)::int <= 23
            AND (length({ZONE}) = 3 OR right({ZONE}, 2)::int <= 59) END"""


def time_value() -> str:
    """The moment of a valid time: with its own zone, else in the shop's (%(tz)s)."""
    return f"""CASE WHEN length(time) > 10 AND {ZONE} <> '' THEN time::timestamptz
        ELSE time::timestamp AT TIME ZONE %(tz)s END"""


def parse_checks() -> list[Check]:
    """What ``imports.lines_parse`` and ``imports.line_parse`` refuse, in their order."""
    too_long = imports.FIELD_TOO_LONG % {"limit": f"{imports.FIELD_LIMIT:,}"}
    return [
        (f"longest > {imports.FIELD_LIMIT}", "''", lambda v: too_long),
        (f"event NOT IN ({sql_text(KINDS)})", "event",
         lambda v: imports.UNKNOWN_EVENT % {"kind": v}),
        (f"NOT ({time_valid()})", "''", lambda v: str(imports.BAD_TIME)),
        (f"amount <> '' AND amount !~ '{imports.AMOUNT_PATTERN}'", "amount",
         lambda v: imports.AMOUNT_NOT_NUMBER % {"text": v}),
        ("amount <> '' AND amount::numeric < 0", "''", lambda v: str(imports.AMOUNT_NEGATIVE)),
        (f"quantity <> '' AND quantity !~ '{imports.QUANTITY_PATTERN}'", "quantity",
         lambda v: imports.BAD_QUANTITY % {"text": v}),
        ("quantity <> '' AND quantity::int < 1", "quantity",
         lambda v: imports.BAD_QUANTITY % {"text": v}),
        (f"birth_year <> '' AND birth_year !~ '{imports.YEAR_PATTERN}'", "birth_year",
         lambda v: imports.YEAR_NOT_YEAR % {"text": v}),
    ]  # fmt: skip


def row_checks() -> list[Check]:
    """What ``services.row_check`` refuses, in its order (the parse checks passed)."""
    checks: list[Check] = [
        (f"platform <> '' AND platform NOT IN ({sql_text(PLATFORMS)})", "platform",
         lambda v: UNKNOWN_PLATFORM % {"platform": v}),
    ]  # fmt: skip
    for name, limit in LIMITS.items():
        too_long = TOO_LONG % {"field": name, "limit": limit}
        checks.append((f"char_length({name}) > {limit}", "''", lambda v, m=too_long: m))
    paying = sql_text([EventKind.ORDER_PAID, EventKind.REFUND])
    return [
        *checks,
        (f"event IN ({paying}) AND amount = ''", "''", lambda v: str(AMOUNT_NEEDED)),
        ("amount <> '' AND round(amount::numeric, 2) >= 1e12", "''", lambda v: str(BAD_AMOUNT)),
        (f"gender NOT IN ({sql_text(GENDERS)})", "''", lambda v: str(BAD_GENDER)),
        ("birth_year <> '' AND birth_year::numeric NOT BETWEEN 1900 AND %(year)s", "''",
         lambda v: str(BAD_BIRTH_YEAR)),
    ]  # fmt: skip


def events_copy_import(header: list[str], body: str) -> int:
    """Import the lines after the header: all or none, in one transaction."""
    if not connection.in_atomic_block:
        period_roll_due()
    with transaction.atomic(), connection.cursor() as cursor:
        # Sorts and hashes of a million lines stay in memory (this transaction only).
        cursor.execute("SET LOCAL work_mem = '256MB'")
        copied = lines_copy(cursor, header, body)
        lines_check(cursor, copied, parse_checks(), row_checks())
        mobiles_check(cursor)
        who_resolve(cursor)
        profiles_fill(cursor)
        recorded = events_insert(cursor)
        cursor.execute(f"DROP TABLE {ROWS}, {WHO}, {MOBILES}")
    return recorded


def lines_copy(cursor, header: list[str], body: str) -> list[str]:
    """The file's lines into a temporary table of text columns, numbered in file order.
    A column the file lacks is empty; a column we do not know is kept aside and ignored.
    Returns the columns copied, in the file's order."""
    last = {name: place for place, name in enumerate(header)}  # a repeated column: the last
    copied = [
        name if name in COLUMNS and last[name] == place else f"ignored_{place}"
        for place, name in enumerate(header)
    ]
    columns = [f"\"{name}\" text NOT NULL DEFAULT ''" for name in COLUMNS]
    columns += [f'"{name}" text' for name in copied if name not in COLUMNS]
    cursor.execute(f"DROP TABLE IF EXISTS {LINES}, {ROWS}, {WHO}, {MOBILES}")
    cursor.execute(
        f"CREATE TEMP TABLE {LINES} (n bigint GENERATED ALWAYS AS IDENTITY, {', '.join(columns)})"
    )
    if not body:
        return copied
    names = ", ".join(f'"{name}"' for name in copied)
    known = ", ".join(f'"{name}"' for name in copied if name in COLUMNS)
    try:
        with cursor.cursor.copy(
            f"COPY {LINES} ({names}) FROM STDIN (FORMAT csv, FORCE_NOT_NULL ({known}))"
        ) as copy:
            for start in range(0, len(body), CHUNK):
                copy.write(body[start : start + CHUNK])
    except psycopg.errors.DataError as error:
        found = re.search(r"line (\d+)", error.diag.context or "")
        line = int(found.group(1)) + 1 if found else 2
        wrong = re.search(r"missing data|extra data", error.diag.message_primary or "")
        reason = imports.FIELDS_WRONG % {"count": len(header)} if wrong else str(UNREADABLE)
        problems_raise([(line, reason)])
    return copied


def lines_check(cursor, copied: list[str], parsing: list[Check], checking: list[Check]) -> None:
    """The lines, trimmed, with the first check each fails, in one pass into a table; then
    ValidationError naming every line that fails a parse check or, if none does, every line
    that fails a row check (as Python reads a file: ``events_parse_import``)."""
    checks = [*parsing, *checking]
    whitespace = "'" + WHITESPACE + "'"
    trimmed = ", ".join(f'btrim("{name}", {whitespace}) AS "{name}"' for name in COLUMNS)
    # The longest value of the line as it was written, in every column (as Python reads it).
    longest = ", ".join(f'char_length("{name}")' for name in copied)
    problem = " ".join(f"WHEN {sql} THEN {place}" for place, (sql, _v, _m) in enumerate(checks))
    parameters = {"time": imports.TIME_PATTERN, "year": timezone.now().year}
    # Lines are numbered from 2: the header is line 1. OFFSET 0 keeps each value trimmed once.
    cursor.execute(
        f"""CREATE TEMP TABLE {ROWS} AS SELECT *, CASE {problem} END AS problem
        FROM (SELECT n + 1 AS line, {trimmed}, greatest({longest}) AS longest
              FROM {LINES} OFFSET 0) t""",
        parameters,
    )
    cursor.execute(f"DROP TABLE {LINES}")
    cursor.execute(f"ANALYZE {ROWS}")
    value = " ".join(f"WHEN {place} THEN {v}" for place, (_s, v, _m) in enumerate(checks))
    cursor.execute(
        f"""SELECT line, problem, CASE problem {value} END, count(*) OVER () FROM {ROWS}
        WHERE problem < %(parsing)s OR (problem IS NOT NULL AND NOT EXISTS (
            SELECT 1 FROM {ROWS} WHERE problem < %(parsing)s))
        ORDER BY line LIMIT %(shown)s""",
        {"parsing": len(parsing), "shown": imports.SHOWN},
    )
    found = cursor.fetchall()
    if found:
        problems = [(line, checks[place][2](text)) for line, place, text, _total in found]
        problems_raise(problems, found[0][3] - len(found))


def mobiles_check(cursor) -> None:
    """Each distinct mobile number checked once; the good ones, normalized, into a table.
    A line with a bad mobile, or with neither platform id nor mobile, is refused."""
    cursor.execute(f"SELECT DISTINCT mobile FROM {ROWS} WHERE mobile <> ''")
    good, bad = {}, []
    for (mobile,) in cursor.fetchall():
        try:
            good[mobile] = mobile_normalize(mobile)
        except ValidationError:
            bad.append(mobile)
    cursor.execute(f"CREATE TEMP TABLE {MOBILES} (raw text PRIMARY KEY, mobile text NOT NULL)")
    with cursor.cursor.copy(f"COPY {MOBILES} (raw, mobile) FROM STDIN") as copy:
        for pair in good.items():
            copy.write_row(pair)
    checks: list[Check] = [
        ("mobile = ANY(%(bad)s)", "''", lambda v: str(MOBILE_INVALID)),
        ("platform_id = '' AND mobile = ''", "''", lambda v: str(NO_WAY_TO_KNOW_WHO)),
    ]
    problem = " ".join(f"WHEN {sql} THEN {place}" for place, (sql, _v, _m) in enumerate(checks))
    cursor.execute(
        f"""SELECT line, problem, count(*) OVER () FROM (
            SELECT line, CASE {problem} END AS problem FROM {ROWS}) p
        WHERE problem IS NOT NULL ORDER BY line LIMIT %(shown)s""",
        {"bad": bad, "shown": imports.SHOWN},
    )
    found = cursor.fetchall()
    if found:
        problems = [(line, checks[place][2]("")) for line, place, _total in found]
        problems_raise(problems, found[0][2] - len(found))


def fresh_key(table: str = "") -> str:
    """The key of a new customer: its platform and platform id, or else its mobile alone."""
    t = f"{table}." if table else ""
    return (
        f"CASE WHEN {t}platform_id <> '' THEN {t}platform || ':' || {t}platform_id "
        f"ELSE ':' || {t}mobile END"
    )


def who_resolve(cursor) -> None:
    """Each distinct (platform, platform id, mobile) of the file to its customer: by platform
    id, else by mobile (the oldest customer with it), else a new online customer; someone
    merged by hand into another is that other (E-3)."""
    customers = Customer._meta.db_table
    # Found by platform id as the table is made: no second pass over it.
    cursor.execute(
        f"""CREATE TEMP TABLE {WHO} AS
        SELECT k.*, c.id AS customer_id, c.platform AS customer_platform
        FROM (SELECT r.platform, r.platform_id, r.mobile AS raw_mobile,
                coalesce(m.mobile, '') AS mobile, min(r.line) AS line
              FROM {ROWS} r LEFT JOIN {MOBILES} m ON m.raw = r.mobile
              GROUP BY 1, 2, 3, 4) k
        LEFT JOIN {customers} c ON k.platform_id <> '' AND c.platform_id <> ''
            AND c.platform = k.platform AND c.platform_id = k.platform_id"""
    )
    cursor.execute(f"ANALYZE {WHO}")
    cursor.execute(
        f"""UPDATE {WHO} w SET customer_id = c.id, customer_platform = c.platform
        FROM (SELECT DISTINCT ON (mobile) mobile, id, platform FROM {customers}
              WHERE mobile IN (SELECT mobile FROM {WHO} WHERE customer_id IS NULL
                               AND mobile <> '')
              ORDER BY mobile, id) c
        WHERE w.customer_id IS NULL AND w.mobile <> '' AND w.mobile = c.mobile"""
    )
    customers_create(cursor)
    merged_follow(cursor)


def customers_create(cursor) -> None:
    """The people not seen before, as new online customers, each from its first line."""
    now = timezone.now()
    given = {
        "kind": "%(kind)s",
        "name": "coalesce(nullif(r.nickname, ''), nullif(r.platform_id, ''), w.mobile)",
        "mobile": "w.mobile", "platform": "r.platform", "platform_id": "r.platform_id",
        "nickname": "r.nickname", "gender": "r.gender",
        "birth_year": "nullif(r.birth_year, '')::int", "province": "r.province", "city": "r.city",
    }  # fmt: skip
    columns, values, parameters = [], [], {"kind": CustomerKind.ONLINE.value}
    for field in Customer._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        if field.name in given:
            values.append(given[field.name])
            continue
        stamped = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        default = now if stamped else None
        parameters[field.column] = field.get_db_prep_save(
            default or field.get_default(), connection
        )
        values.append(f"%({field.column})s")
    customers = Customer._meta.db_table
    cursor.execute(
        f"""WITH first AS (
            SELECT DISTINCT ON (key) {fresh_key()} AS key, line, mobile
            FROM {WHO} WHERE customer_id IS NULL ORDER BY key, line
        ), created AS (
            INSERT INTO {customers} ({", ".join(columns)})
            SELECT {", ".join(values)} FROM first w JOIN {ROWS} r ON r.line = w.line
            ORDER BY w.line
            RETURNING id, platform, {fresh_key()} AS key
        )
        UPDATE {WHO} w SET customer_id = c.id, customer_platform = c.platform
        FROM created c WHERE w.customer_id IS NULL AND c.key = {fresh_key("w")}""",
        parameters,
    )


def merged_follow(cursor) -> None:
    """Move to the customer merged into, as often as merges were chained."""
    customers = Customer._meta.db_table
    for _step in range(50):
        cursor.execute(
            f"""UPDATE {WHO} w SET customer_id = t.id, customer_platform = t.platform
            FROM {customers} m JOIN {customers} t ON t.id = m.merged_into_id
            WHERE m.merged_into_id IS NOT NULL AND w.customer_id = m.id"""
        )
        if not cursor.rowcount:
            return


PROFILE = ("gender", "birth_year", "province", "city")


def profiles_fill(cursor) -> None:
    """E-7: what the platform tells about a person (the first line that tells it) fills
    what the customer's record does not know yet; what it knows is kept."""
    told = " OR ".join(f"r.{name} <> ''" for name in PROFILE)
    firsts = ", ".join(
        f"(array_agg(r.{name} ORDER BY r.line) FILTER (WHERE r.{name} <> ''))[1] AS {name}"
        for name in PROFILE
    )
    sets = ", ".join(
        f"{name} = CASE WHEN c.{name} {blank} AND p.{name} IS NOT NULL THEN p.{name}{cast} "
        f"ELSE c.{name} END"
        for name, blank, cast in [
            ("gender", "= ''", ""), ("birth_year", "IS NULL", "::int"),
            ("province", "= ''", ""), ("city", "= ''", ""),
        ]
    )  # fmt: skip
    cursor.execute(
        f"""UPDATE {Customer._meta.db_table} c SET {sets}, updated_at = %(now)s
        FROM (SELECT w.customer_id, {firsts} FROM {ROWS} r JOIN {WHO} w USING (platform,
              platform_id) WHERE w.raw_mobile = r.mobile AND ({told}) GROUP BY w.customer_id) p
        WHERE c.id = p.customer_id AND (
            (c.gender = '' AND p.gender IS NOT NULL) OR (c.birth_year IS NULL
            AND p.birth_year IS NOT NULL) OR (c.province = '' AND p.province IS NOT NULL)
            OR (c.city = '' AND p.city IS NOT NULL))""",
        {"now": timezone.now()},
    )


def events_insert(cursor) -> int:
    """Every line as an event; an event whose (kind, external id) is recorded already, or
    repeated earlier in the file, is left out. Returns how many were recorded. A paid order
    without a category takes its item's category from the catalogue (E-8).

    Inserted in (customer, time) order, the order of the event table's largest index: each of
    its pages is then visited once, not once per event (a third of the time at a million)."""
    # A plain INSERT: ON CONFLICT would make each of a million rows a speculative insertion
    # (a third more time). An order recorded by someone else since the check below breaks
    # the unique index instead, and the whole import is refused (the transaction is rolled
    # back); imported again, it leaves those orders out.
    try:
        return events_insert_rows(cursor)
    except IntegrityError as error:
        raise ValidationError(RECORDED_MEANWHILE) from error


def events_insert_rows(cursor) -> int:
    from gendan.catalog.models import Product

    cursor.execute(
        f"""INSERT INTO {Event._meta.db_table} (customer_id, kind, at, amount, item, category,
            quantity, source, external_id)
        SELECT w.customer_id, r.event, {time_value()}, round(nullif(r.amount, '')::numeric, 2),
            r.item, CASE WHEN r.event = %(paid)s AND r.category = '' AND r.item <> ''
                THEN coalesce(p.category, '') ELSE r.category END,
            coalesce(nullif(r.quantity, '')::int, 1),
            coalesce(nullif(r.source, ''), w.customer_platform, ''), r.external_id
        FROM {ROWS} r
        JOIN {WHO} w ON w.platform = r.platform AND w.platform_id = r.platform_id
            AND w.raw_mobile = r.mobile
        LEFT JOIN {Product._meta.db_table} p ON p.sku = r.item
        LEFT JOIN (SELECT event, external_id, min(line) AS line FROM {ROWS}
                   WHERE external_id <> '' GROUP BY event, external_id) first
            ON first.event = r.event AND first.external_id = r.external_id
        WHERE r.external_id = '' OR (r.line = first.line AND NOT EXISTS (
            SELECT 1 FROM {Event._meta.db_table} e
            WHERE e.kind = r.event AND e.external_id = r.external_id AND e.external_id <> ''))
        ORDER BY w.customer_id, 3""",
        {
            "paid": EventKind.ORDER_PAID.value,
            "tz": timezone.get_current_timezone_name(),
        },
    )
    return cursor.rowcount
