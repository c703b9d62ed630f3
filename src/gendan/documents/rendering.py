"""A document's content as a PDF: an HTML template and print CSS, laid out by WeasyPrint, with
the Noto CJK fonts embedded (Debian's fonts-noto-cjk)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

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


def document_pdf(content: Content, *, version: int, issued_at: dt.datetime, paper: str) -> bytes:
    """The PDF of one version of a document on one paper: one page set per copy."""
    context = {
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
    with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
        html = render_to_string("documents/pdf/document.html", context)
    return HTML(string=html).write_pdf()


def pairs(rows: list) -> list[list]:
    """Label–value rows two to a line."""
    return [rows[start : start + 2] for start in range(0, len(rows), 2)]
