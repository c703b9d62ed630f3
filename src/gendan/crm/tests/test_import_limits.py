"""Imports cannot exhaust the machine (issue 11, point 2): a CSV file of shop events is
measured (its size, then its lines counted) before it is read, and refused past the limits
in seconds and little memory; a value longer than the csv module's limit is a line error.
On both databases; the last test checks that both ways agree on long values."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import override_settings
from django.utils import translation

from gendan.accounts.roles import Role
from gendan.core.tests.worker import worker_run
from gendan.crm.imports import (
    FIELD_LIMIT,
    TOO_LARGE,
    TOO_MANY_LINES,
    events_import,
    events_parse_import,
    file_measure,
    file_split,
)
from gendan.crm.models import Event
from gendan.crm.tests.test_import_lines import outcome, refusal
from gendan.orders.tests.helpers import staff

HEADER = "event,time,platform,platform_id,nickname,note"
GOOD = "qr_scan,2026-10-05 10:00,tmall,a,,"
LONG = "x" * (FIELD_LIMIT + 1)
COMMAND = """
from django.core.management import call_command
from django.core.management.base import CommandError
try:
    call_command("crm_import", sys.argv[1])
    answer = "imported"
except CommandError as error:
    answer = str(error)
"""


def written(path: Path, lines: int, line: str = GOOD) -> Path:
    """A file of the header and ``lines`` copies of one line, written a block at a time."""
    per = min(lines, 10_000)
    with path.open("w", encoding="utf-8") as file:
        file.write(HEADER + "\n")
        for _block in range(lines // per):
            file.write((line + "\n") * per)
    return path


@pytest.mark.django_db(transaction=True)
def test_a_file_of_millions_of_lines_is_refused_in_seconds_and_little_memory(tmp_path):
    # given a file of 3,000,000 short lines (81 MB, within the size)
    path = written(tmp_path / "events.csv", 3_000_000)

    # when the crm_import command imports it, in a process of its own
    worker = worker_run(COMMAND, tmp_path, str(path))

    # then it is refused for its lines before one is read, saying the limit
    assert worker["answer"] == str(TOO_MANY_LINES % {"lines": "1,000,000"})
    assert worker["seconds"] < 5
    assert worker["peak_mb"] < 300
    assert not Event.objects.exists()
    print(f"refused in {worker['seconds']:.2f} s, peak {worker['peak_mb']:.0f} MB")


@pytest.mark.django_db(transaction=True)
def test_a_file_past_the_size_is_refused_before_it_is_read(tmp_path):
    # given a limit of 64 MB, and a file of 1,000 lines of 100,000 characters (100 MB)
    path = written(tmp_path / "events.csv", 1_000, GOOD + "y" * 100_000)
    limit = str(64 * 1024 * 1024)

    # when the crm_import command imports it
    worker = worker_run(COMMAND, tmp_path, str(path), GENDAN_CRM_IMPORT_MAX_BYTES=limit)

    # then it is refused by its size, at once
    assert worker["answer"] == str(TOO_LARGE % {"megabytes": 64})
    assert worker["seconds"] < 5
    assert worker["peak_mb"] < 300
    print(f"refused in {worker['seconds']:.2f} s, peak {worker['peak_mb']:.0f} MB")


@pytest.mark.django_db
@override_settings(GENDAN_CRM_IMPORT_MAX_LINES=3)
def test_the_api_refuses_a_file_of_too_many_lines_saying_the_limit(client, roles):
    # given a limit of 3 lines, and a file of a header and 4 lines
    client.force_login(staff(Role.GENERAL_MANAGER))
    content = "\n".join([HEADER, GOOD, GOOD, GOOD, GOOD]).encode()
    upload = SimpleUploadedFile("tmall.csv", content, content_type="text/csv")

    # when it is posted
    response = client.post("/api/crm/events/csv", {"file": upload})

    # then the answer is a refusal that says the limit, as the API's other refusals
    assert response.status_code == 422
    assert [problem["msg"] for problem in response.json()["detail"]] == [
        str(TOO_MANY_LINES % {"lines": "3"})
    ]
    assert not Event.objects.exists()


@pytest.mark.django_db
@override_settings(GENDAN_CRM_IMPORT_MAX_BYTES=1024 * 1024)
def test_the_command_says_the_size_limit(tmp_path):
    # given a limit of 1 MB, and a file of 2 MB
    path = written(tmp_path / "events.csv", 2_000, GOOD + "y" * 1_000)

    # when the command imports it, then it fails saying the limit
    with pytest.raises(CommandError) as refused, translation.override("en"):
        call_command("crm_import", str(path))
    assert str(refused.value) == "The file is larger than 1 MB, the limit for an import."


@pytest.mark.django_db
def test_a_value_longer_than_the_csv_modules_limit_is_a_line_error():
    # given lines whose value is too long: a known column, an unknown one, a quoted one over
    # two lines; and a bad line after them
    quoted = '"' + "x" * FIELD_LIMIT + "\n" + 'x"'

    # when the file is imported, then each is named by its line (a quoted line is one)
    assert refusal(
        f"qr_scan,2026-10-05,tmall,{LONG},,",
        f"qr_scan,2026-10-05,tmall,a,,{LONG}",
        f"qr_scan,2026-10-05,tmall,a,{quoted},",
        "liked,2026-10-05,tmall,a,,",
        header=HEADER,
    ) == [
        "line 2: a value is longer than 131,072 characters",
        "line 3: a value is longer than 131,072 characters",
        "line 4: a value is longer than 131,072 characters",
        "line 5: unknown event “liked”",
    ]


@pytest.mark.django_db
def test_a_header_longer_than_the_limit_is_a_line_error_and_the_limit_stays():
    # when a file whose header holds a value too long is imported
    with pytest.raises(Exception) as refused, translation.override("en"):
        events_import(io.BytesIO(f"event,time,{LONG}\n{GOOD}\n".encode()))

    # then it is refused on line 1, and the csv module keeps its limit
    assert refused.value.messages == ["line 1: a value is longer than 131,072 characters"]
    assert csv.field_size_limit() == FIELD_LIMIT


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one way only on SQLite")
@pytest.mark.django_db
@pytest.mark.parametrize("ending", ["\n", "\r\n"])
def test_both_ways_agree_on_values_too_long(ending):
    """A file with long values, good lines and bad ones: COPY and Python give one answer."""
    from gendan.crm.copying import events_copy_import

    # given such a file
    text = io.StringIO()
    writer = csv.writer(text, lineterminator=ending)
    writer.writerows([
        HEADER.split(","), GOOD.split(","), ["qr_scan", "2026-10-05", "tmall", "b", LONG, ""],
        ["qr_scan", "2026-10-05", "tmall", "c", "", "x" * FIELD_LIMIT + ending + "x"],
        ["qr_scan", "2026-10-05", "tmall", "d", "x" * 65, "x" * FIELD_LIMIT],
    ])  # fmt: skip
    header, body = file_split(text.getvalue().encode())

    # when both ways read it
    with translation.override("en"):
        in_sql = outcome(lambda: events_copy_import(header, body))
        in_python = outcome(lambda: events_parse_import(header, body))

    # then they say the same: lines 3 and 4 too long (line 5's nickname waits its turn)
    assert (
        in_sql
        == in_python
        == [
            "line 3: a value is longer than 131,072 characters",
            "line 4: a value is longer than 131,072 characters",
        ]
    )


@pytest.mark.parametrize(
    ("content", "refused"),
    [(b"h\n1\n2\n3\n", False), (b"h\n1\n2\n3", False), (b"h\n1\n2\n3\n4\n", True),
     (b"h\n1\n2\n3\n4", True)],
)  # fmt: skip
def test_the_line_limit_counts_the_events_not_the_header(settings, content, refused):
    # given a limit of three event lines
    settings.GENDAN_CRM_IMPORT_MAX_LINES = 3
    # when a file of a header and three or four lines is measured
    try:
        file_measure(io.BytesIO(content))
    except ValidationError:
        was_refused = True
    else:
        was_refused = False
    # then three pass (a million events in a file fit a limit of a million) and four do not
    assert was_refused is refused
