"""The PDFs themselves: paper sizes, embedded fonts with a glyph for every character, and a
page that reads in Chinese when turned into an image."""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal

import pytest
from fontTools.ttLib import TTFont

from gendan.accounts.roles import Role
from gendan.documents.models import DocumentKind, Paper
from gendan.documents.services import document_issue
from gendan.documents.tests.helpers import needs_poppler, pdf_png, pdf_text, walked_to
from gendan.orders.tests.helpers import scenario, staff

pytestmark = [pytest.mark.django_db, needs_poppler]


@pytest.fixture
def delivery_note():
    order = walked_to(scenario("dealer", install=True, end_price=Decimal("150")), "ship")
    return document_issue(actor=staff(Role.CLERK), order=order, kind=DocumentKind.DELIVERY_NOTE)


def pdf_of(document, paper=Paper.A4) -> bytes:
    return bytes(document.files.get(paper=paper).pdf)


def poppler(command: str, pdf: bytes) -> str:
    return subprocess.run(
        [command, "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def test_a4_and_the_continuous_form_have_their_paper_sizes(delivery_note):
    """O-10: A4 (210 × 297 mm) and the 241 × 140 mm form of dot-matrix printers."""
    sizes = {}
    for paper in (Paper.A4, Paper.FORM):
        found = re.search(
            r"Page size:\s+([\d.]+) x ([\d.]+) pts",
            poppler("pdfinfo", pdf_of(delivery_note, paper)),
        )
        sizes[paper] = tuple(round(float(points) * 25.4 / 72) for points in found.groups())
    assert sizes == {Paper.A4: (210, 297), Paper.FORM: (241, 140)}


def font_file(family: str) -> tuple[str, int]:
    found = subprocess.run(
        ["fc-match", "-f", "%{file}|%{index}", family], capture_output=True, check=True
    )
    path, index = found.stdout.decode().split("|")
    return path, int(index)


def test_fonts_are_embedded_and_have_a_glyph_for_every_character(delivery_note):
    """No missing glyphs, no boxes: every font is embedded, and the CJK font holds every
    character the note shows."""
    pdf = pdf_of(delivery_note)
    rows = poppler("pdffonts", pdf).splitlines()[2:]
    embedded = [
        re.search(r"\s(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$", row).group(1) for row in rows
    ]
    assert rows and set(embedded) == {"yes"}
    assert all("Noto-Sans-CJK" in row for row in rows)
    path, index = font_file("Noto Sans CJK SC")
    covered = TTFont(path, fontNumber=index).getBestCmap()
    shown = {char for char in pdf_text(pdf) if not char.isspace()}
    assert {char for char in shown if ord(char) not in covered} == set()


@pytest.mark.skipif(shutil.which("tesseract") is None, reason="tesseract is not installed")
def test_a_page_turned_into_an_image_reads_with_its_chinese_fields(delivery_note):
    """The page as an image (pdftoppm), read back by OCR: the Chinese is drawn, not boxes."""
    png = pdf_png(pdf_of(delivery_note), page=1, dpi=200)
    assert png.startswith(b"\x89PNG")
    read = subprocess.run(
        ["tesseract", "-", "-", "-l", "chi_sim"], input=png, capture_output=True, check=True
    ).stdout.decode()
    read = re.sub(r"\s+", "", read)
    for field in ("销售送货单", "成本单", "白联", "文员留存", "广东省", "碳化平压竹地板", "经销商"):
        assert field in read, field
