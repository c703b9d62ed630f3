"""A document's content as a PDF: an HTML template and print CSS, laid out by WeasyPrint, with
the Noto CJK fonts embedded (Debian's fonts-noto-cjk).

The copies of a paper (white, blue, red, yellow) differ only by their band, their void mark and
the page numbers, so the body is laid out once and those marks, laid out apart on empty pages,
are drawn over it: laying out the body, once per copy, was most of the time
(bench/documents_print.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import threading
from itertools import cycle
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML, Document, Page
from weasyprint.pdf.fonts import Font
from weasyprint.text.fonts import FontConfiguration

from gendan.documents.content import Content
from gendan.documents.models import Paper

# Paper sizes and margins; the continuous form is 241 mm wide and 140 mm high.
PAGES = {
    Paper.A4: {"size": "A4", "margin": "14mm 14mm 16mm", "font_size": "10pt"},
    Paper.FORM: {"size": "241mm 140mm", "margin": "6mm 8mm 7mm", "font_size": "8pt"},
}


def content_hash(content: Content) -> str:
    """SHA-256 of the content in a canonical form (sorted keys, no spaces)."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


TEMPLATE = "documents/pdf/document.html"
MARKS_MISPLACED = "The marks of the copies do not fall on the pages of the body."


def document_pdf(content: Content, *, version: int, issued_at: dt.datetime, paper: str) -> bytes:
    """The PDF of one version of a document on one paper: one page set per copy."""
    context = document_context(content, version=version, issued_at=issued_at, paper=paper)
    with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
        body = laid_out(render_to_string(TEMPLATE, context | {"layer": "body"}))
        later_pages = range(len(body.pages) - 1)
        marks = laid_out(
            render_to_string(TEMPLATE, context | {"layer": "marks", "later_pages": later_pages})
        )
    if len(marks.pages) != len(body.pages) * len(context["copies"]):
        raise RuntimeError(MARKS_MISPLACED)
    pages = [Layered(page, mark) for page, mark in zip(cycle(body.pages), marks.pages)]
    return marks.copy(pages).write_pdf()


def document_context(content: Content, *, version: int, issued_at: dt.datetime, paper: str) -> dict:
    return {
        "c": content,
        "version": version,
        "issued_at": timezone.localtime(issued_at),
        "page": PAGES[Paper(paper)],
        "copies": content["copies"] or [None],
        "facts": pairs(content["order"] + content["party"]),
        "sections": [
            section | {"pairs": pairs(section["rows"]), "blank_rows": range(section["blank"])}
            for section in content["sections"]
        ],
    }


STYLESHEET = Path(__file__).parent / "templates" / "documents" / "pdf" / "document.css"
_thread = threading.local()


def laid_out(html: str) -> Document:
    """Laid out with this thread's fonts and stylesheet: Pango keeps the CJK faces it has loaded
    (a new font configuration loads them again), the print CSS is parsed once, and a font map is
    not to be shared between threads."""
    if not hasattr(_thread, "fonts"):
        _thread.fonts = FontConfiguration()
        _thread.stylesheet = CSS(filename=STYLESHEET, font_config=_thread.fonts)
    return HTML(string=html).render(font_config=_thread.fonts, stylesheets=[_thread.stylesheet])


class Layered(Page):
    """A page of the body with a copy's marks (band, void mark, page numbers) drawn over it;
    its size, links, anchors and bookmarks are the body page's (taken as they are, not gathered
    again from the page box)."""

    def __init__(self, body: Page, marks: Page) -> None:
        self.__dict__.update(vars(body))
        self.marks = marks

    def paint(self, stream, scale: float = 1) -> None:
        super().paint(stream, scale)
        self.marks.paint(stream, scale)


def pairs(rows: list) -> list[list]:
    """Label–value rows two to a line."""
    return [rows[start : start + 2] for start in range(0, len(rows), 2)]


# Subsetting the CJK fonts was the largest part left of writing a PDF, and the A4 and the
# form of a paper use the same glyphs: a font is subset once for a set of glyphs (the same
# glyphs give the same bytes, so a version printed again is unchanged).
_font_subset = Font.subset
_subsets: dict[tuple, bytes] = {}
_subsets_lock = threading.Lock()


def subset_once(font: Font, to_unicode: dict, hinting: bool) -> None:
    identity = (font.family, font.index, font.weight, font.style, len(font.file_content))
    key = (*identity, bool(font.missing), hinting, tuple(sorted(to_unicode)))
    with _subsets_lock:
        subset = _subsets.get(key)
    if subset is None:
        _font_subset(font, to_unicode, hinting)
        subset = font.file_content
        with _subsets_lock:
            if len(_subsets) >= 16:
                _subsets.pop(next(iter(_subsets)))  # the oldest: a paper's PDFs come together
            _subsets[key] = subset
    font.file_content = subset


Font.subset = subset_once
