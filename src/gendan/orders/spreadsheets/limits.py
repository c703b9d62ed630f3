"""How much a workbook may hold, checked before openpyxl reads a cell.

An .xlsx is a zip, and 1.3 MB of it can unpack to 3,000,000 rows (a zip bomb). The zip's
directory gives each part's unpacked size without unpacking anything, and Python's zipfile
never hands out more than that size (a part that lies fails its CRC), so their sum bounds
the work. openpyxl streams two kinds of part, the sheets and the table of shared texts; it
reads every other part whole, so those must be small. The streamed parts are then read once,
a megabyte at a time, counting the rows of each sheet and the texts of the table: openpyxl
keeps the whole table in memory (5,800,000 texts in 98 MB took it 38 s and 560 MB).
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import _find_workbook_part
from openpyxl.xml.constants import (
    ARC_CONTENT_TYPES,
    ARC_CORE,
    ARC_CUSTOM,
    ARC_STYLE,
    SHARED_STRINGS,
)
from openpyxl.xml.functions import fromstring

MB = 1024 * 1024
SMALL_PART = 2 * MB  # styles, workbook, properties: a few hundred kB in real workbooks
TEXTS_PER_ROW = 20  # the shared texts allowed: a row's cells (a layout has 19 columns)
TAG_CARRIED = 64 * 1024  # a tag cut by a chunk's end is read with the next chunk

TOO_LARGE_UNPACKED = gettext_lazy(
    "Unpacked, the workbook is larger than %(megabytes)s MB, the limit for an import."
)
TOO_MANY_ROWS = gettext_lazy("A sheet has more than %(rows)s rows, the limit for an import.")
TOO_MANY_TEXTS = gettext_lazy(
    "The workbook holds more than %(texts)s different texts, the limit for an import."
)
NOT_XLSX = gettext_lazy("The file is not an Excel workbook (.xlsx).")

ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s/>])([^>]*)>")
ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']\s*([0-9]+)""")
TEXT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si(?=[\s/>])")


def rows_limit() -> int:
    return settings.GENDAN_IMPORT_MAX_ORDER_ROWS


def workbook_check(content: bytes) -> None:
    """ValidationError if the workbook unpacks to more than the limits allow."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise ValidationError(NOT_XLSX) from error
    with archive:
        limit = settings.GENDAN_IMPORT_MAX_UNCOMPRESSED_BYTES
        if sum(member.file_size for member in archive.infolist()) > limit:
            raise ValidationError(TOO_LARGE_UNPACKED % {"megabytes": limit // MB})
        sheets, texts = streamed_parts(archive)
        for member in archive.infolist():
            if member.filename not in sheets | texts and member.file_size > SMALL_PART:
                raise ValidationError(TOO_LARGE_UNPACKED % {"megabytes": SMALL_PART // MB})
        for name in sheets:
            sheet_rows_check(archive, name)
        for name in texts:
            texts_check(archive, name)


def streamed_parts(archive: zipfile.ZipFile) -> tuple[set[str], set[str]]:
    """The sheets and the table of shared texts, found as openpyxl finds them; the parts
    this reads, and those openpyxl reads whole by their fixed names, are never among them."""
    small_read(archive, ARC_CONTENT_TYPES)
    try:
        manifest = Manifest.from_tree(fromstring(archive.read(ARC_CONTENT_TYPES)))
        workbook = _find_workbook_part(manifest).PartName[1:]
        relations = get_rels_path(workbook)
        small_read(archive, relations)
        targets = get_dependents(archive, relations)
    except (KeyError, OSError, ValueError, TypeError, SyntaxError) as error:
        raise ValidationError(NOT_XLSX) from error
    whole = {ARC_CONTENT_TYPES, workbook, relations, ARC_STYLE, ARC_CORE, ARC_CUSTOM}
    sheets = {rel.target for rel in targets if rel.Type.endswith("/worksheet")}
    strings = manifest.find(SHARED_STRINGS)
    texts = {strings.PartName[1:]} if strings is not None else set()
    present = set(archive.namelist())
    return (sheets & present) - whole, (texts & present) - whole


def small_read(archive: zipfile.ZipFile, name: str) -> None:
    """A part read whole (by this check and by openpyxl) must be small."""
    try:
        size = archive.getinfo(name).file_size
    except KeyError as error:
        raise ValidationError(NOT_XLSX) from error
    if size > SMALL_PART:
        raise ValidationError(TOO_LARGE_UNPACKED % {"megabytes": SMALL_PART // MB})


def sheet_rows_check(archive: zipfile.ZipFile, name: str) -> None:
    """Refuse a sheet whose last row is past the limit, numbered as openpyxl numbers them
    (a row's r, else one after the row before): the file is left as soon as it is."""
    limit, number = rows_limit(), 0
    with archive.open(name) as part:
        for found in tags(part, ROW):
            given = ROW_NUMBER.search(found.group(1))
            number = int(given.group(1)) if given else number + 1
            if number > limit:
                raise ValidationError(TOO_MANY_ROWS % {"rows": f"{limit:,}"})


def texts_check(archive: zipfile.ZipFile, name: str) -> None:
    limit, count = rows_limit() * TEXTS_PER_ROW, 0
    with archive.open(name) as part:
        for _found in tags(part, TEXT):
            count += 1
            if count > limit:
                raise ValidationError(TOO_MANY_TEXTS % {"texts": f"{limit:,}"})


def tags(part: IO[bytes], pattern: re.Pattern):
    """The pattern's matches in a part read a megabyte at a time; a tag cut by the end of a
    chunk is matched with the next."""
    carried = b""
    while chunk := part.read(MB):
        text = carried + chunk
        cut = text.rfind(b"<")
        if cut < 0 or b">" in text[cut:] or len(text) - cut > TAG_CARRIED:
            cut = len(text)
        yield from pattern.finditer(text, 0, cut)
        carried = text[cut:]
    yield from pattern.finditer(carried)
