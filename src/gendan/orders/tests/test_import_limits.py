"""Imports cannot exhaust the machine (issue 11, point 2): a workbook is measured by its zip
directory and a count of its rows before a row is read, and one past the limits is refused
in seconds, in little memory, with a message that says the limit."""

from __future__ import annotations

import io
import zipfile

import factory
import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from gendan.accounts.roles import Role
from gendan.core.tests.worker import worker_run
from gendan.orders.models import OrderImport
from gendan.orders.spreadsheets.dealer import template_workbook
from gendan.orders.spreadsheets.importing import orders_import
from gendan.orders.spreadsheets.limits import TOO_LARGE_UNPACKED, TOO_MANY_ROWS, TOO_MANY_TEXTS
from gendan.orders.spreadsheets.reading import Layout
from gendan.orders.tasks import order_import_run
from gendan.orders.tests.helpers import staff

SHEET = "xl/worksheets/sheet1.xml"
TEXTS = "xl/sharedStrings.xml"
MAIN = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
# A row of one text cell (56 bytes), and of one number (26 bytes): thousands zip to a kB.
ROW = b'<row><c t="inlineStr"><is><t>ZF-0001</t></is></c></row>'
NUMBER_ROW = b"<row><c><v>1</v></c></row>"
STRINGS_TYPE = (
    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
WORKER = """
from gendan.orders.models import OrderImport
from gendan.orders.tasks import order_import_run
job_id = int(sys.argv[1]) if len(sys.argv) > 1 else OrderImport.objects.get().pk
order_import_run.call(job_id)
job = OrderImport.objects.get(pk=job_id)
answer = {"status": job.status, "problems": job.problems}
"""


class OrderImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderImport

    layout = Layout.DEALER_TEMPLATE
    file_name = "orders.xlsx"
    created_by = factory.LazyFunction(lambda: staff(Role.CLERK))


def workbook_with(parts: dict[str, bytes | list[bytes]]) -> bytes:
    """The order-form template with some of its parts replaced or added; a part given as a
    list of pieces is written piece by piece (millions of rows in a few megabytes)."""
    template = zipfile.ZipFile(io.BytesIO(template_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name in template.namelist():
            if name not in parts:
                book.writestr(name, template.read(name))
        for name, pieces in parts.items():
            with book.open(name, "w", force_zip64=True) as part:
                for piece in [pieces] if isinstance(pieces, bytes) else pieces:
                    part.write(piece)
    return buffer.getvalue()


def sheet_of(rows: int, row: bytes = ROW) -> list[bytes]:
    per = min(rows, 10_000)
    blocks = [row * per] * (rows // per)
    return [MAIN, b"<sheetData>", *blocks, b"</sheetData></worksheet>"]


def with_texts(count: int) -> bytes:
    """A workbook whose table of shared texts holds ``count`` texts."""
    types = zipfile.ZipFile(io.BytesIO(template_workbook())).read("[Content_Types].xml")
    table = [b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">',
             *[b"<si><t>a</t></si>" * 10_000] * (count // 10_000), b"</sst>"]  # fmt: skip
    return workbook_with(
        {"[Content_Types].xml": types.replace(b"</Types>", STRINGS_TYPE), TEXTS: table}
    )


def uploaded(content: bytes, name: str = "orders.xlsx") -> io.BytesIO:
    upload = io.BytesIO(content)
    upload.name = name
    return upload


@pytest.fixture(scope="module")
def bomb() -> bytes:
    """1.3 MB that unpack to 3,000,000 rows (147 MB), as the workbook that took the task
    worker to 7 GB."""
    return workbook_with({SHEET: sheet_of(3_000_000)})


def in_english(messages: list[str], message, **values) -> bool:
    with translation.override("en"):
        return str(message % values) in messages


@pytest.mark.django_db(transaction=True)
def test_a_workbook_that_unpacks_to_millions_of_rows_is_refused_in_seconds(tmp_path, bomb):
    # given a 1.3 MB workbook that unpacks to 3,000,000 rows, queued for import
    assert len(bomb) < 2_000_000
    OrderImportFactory(content=bomb)

    # when the task worker runs its import, in a process of its own
    worker = worker_run(WORKER, tmp_path)

    # then it refuses the file within seconds, in little memory, saying the limit
    assert worker["answer"]["status"] == OrderImport.Status.REFUSED
    assert worker["answer"]["problems"] == [str(TOO_LARGE_UNPACKED % {"megabytes": 100})]
    assert worker["seconds"] < 5
    assert worker["peak_mb"] < 300
    print(f"refused in {worker['seconds']:.2f} s, peak {worker['peak_mb']:.0f} MB")


@pytest.mark.django_db(transaction=True)
def test_a_workbook_of_millions_of_rows_within_the_size_is_refused_by_its_rows(tmp_path):
    # given a workbook of 3,000,000 rows of one number (78 MB unpacked, within the size)
    OrderImportFactory(content=workbook_with({SHEET: sheet_of(3_000_000, NUMBER_ROW)}))

    # when the task worker runs its import
    worker = worker_run(WORKER, tmp_path)

    # then its rows are counted, not read, and it is refused saying the limit
    assert worker["answer"]["status"] == OrderImport.Status.REFUSED
    assert worker["answer"]["problems"] == [str(TOO_MANY_ROWS % {"rows": "50,000"})]
    assert worker["seconds"] < 5
    assert worker["peak_mb"] < 300
    print(f"refused in {worker['seconds']:.2f} s, peak {worker['peak_mb']:.0f} MB")


@pytest.mark.django_db
@pytest.mark.parametrize("layout", [Layout.DEALER_TEMPLATE, Layout.SUPERMARKET])
@override_settings(GENDAN_IMPORT_MAX_ORDER_ROWS=10)
def test_a_sheet_of_more_rows_than_the_setting_is_refused_in_either_layout(layout):
    # given a limit of 10 rows and a sheet of 11, the last at row 11 or far below
    for rows in (sheet_of(11, NUMBER_ROW), [MAIN, b'<sheetData><row r="3000000"/></sheetData>']):
        content = workbook_with({SHEET: rows})

        # when it is imported, then it is refused by its rows
        with pytest.raises(ValidationError) as refused, translation.override("en"):
            orders_import(actor=staff(Role.CLERK), content=content, layout=layout)
        assert refused.value.messages == ["A sheet has more than 10 rows, the limit for an import."]


@pytest.mark.django_db
def test_a_table_of_millions_of_shared_texts_is_refused_before_it_is_read():
    # given a workbook whose shared texts are 1,100,000 (more than 20 a row of the limit)
    content = with_texts(1_100_000)

    # when it is imported
    with pytest.raises(ValidationError) as refused:
        orders_import(actor=staff(Role.CLERK), content=content, layout=Layout.DEALER_TEMPLATE)

    # then it is refused for its texts (openpyxl would keep them all in memory)
    assert refused.value.messages == [str(TOO_MANY_TEXTS % {"texts": "1,000,000"})]


@pytest.mark.django_db
def test_a_part_read_whole_must_be_small():
    # given a workbook whose styles unpack to 3 MB (openpyxl reads them whole)
    styles = [b"<styleSheet>", *[b"<x/>" * 250_000] * 3, b"</styleSheet>"]
    content = workbook_with({"xl/styles.xml": styles})

    # when it is imported, then it is refused
    with pytest.raises(ValidationError) as refused:
        orders_import(actor=staff(Role.CLERK), content=content, layout=Layout.DEALER_TEMPLATE)
    assert refused.value.messages == [str(TOO_LARGE_UNPACKED % {"megabytes": 2})]


@pytest.mark.django_db
def test_the_upload_page_refuses_a_zip_bomb_saying_the_limit_and_keeps_nothing(client, bomb):
    # given a clerk on the import page
    client.force_login(staff(Role.CLERK))

    # when they upload the bomb
    response = client.post(
        reverse("order-import"), {"layout": "dealer_template", "file": uploaded(bomb)}
    )

    # then the page says why, and nothing is queued
    assert response.status_code == 200
    assert str(TOO_LARGE_UNPACKED % {"megabytes": 100}) in response.content.decode()
    assert not OrderImport.objects.exists()


@pytest.mark.django_db
@override_settings(GENDAN_IMPORT_MAX_ORDER_ROWS=10)
def test_the_progress_page_shows_a_refusal_by_rows(client):
    # given an import of 11 rows queued, and a limit of 10
    job = OrderImportFactory(content=workbook_with({SHEET: sheet_of(11, NUMBER_ROW)}))
    client.force_login(job.created_by)

    # when the worker has run it
    order_import_run.call(job.pk)

    # then its page says it was refused, and why
    page = client.get(reverse("order-import-detail", args=[job.pk])).content.decode()
    assert str(TOO_MANY_ROWS % {"rows": "10"}) in page
