"""The labels of received goods as a PDF: one 100 × 60 mm page per box, roll or bag, with its
product, colour code, batch, quantity (a roll of foam's length, O-59), and its code as a
Code128 barcode and a QR code, both inline SVG. Laid out by WeasyPrint with the documents'
fonts (Noto Sans CJK, embedded)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable

import segno
from barcode import Code128
from barcode.writer import SVGWriter
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from weasyprint import HTML

from gendan.warehouse.models import GoodsReceipt, Package

TEMPLATE = "warehouse/labels/labels.html"
# What comes before the <svg> element: the XML declaration, the doctype, comments.
PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
BARCODE_WIDTH_MM = 90.0  # the label's width less its margins and the quiet zones
BARCODE_OPTIONS = {"module_height": 12.0, "quiet_zone": 2.0, "write_text": False}


def svg_inline(svg: str) -> SafeString:
    # Our own drawing of a code we made (letters, digits and hyphens): safe to inline.
    return mark_safe(PROLOGUE.sub("", svg, count=1))


def barcode_svg(code: str) -> SafeString:
    """Code128 of the label's code, as SVG."""
    drawn = Code128(code, writer=SVGWriter())
    # The bars as wide as a scanner reads best (0.33 mm), narrower only if the code is long.
    modules = len(drawn.build()[0])
    width = min(0.33, (BARCODE_WIDTH_MM - 4) / modules)
    out = io.BytesIO()
    drawn.write(out, options=BARCODE_OPTIONS | {"module_width": width, "compress": False})
    return svg_inline(out.getvalue().decode())


def qr_svg(code: str) -> SafeString:
    out = io.BytesIO()
    segno.make(code, error="m").save(out, kind="svg", xmldecl=False, omitsize=True, border=2)
    return svg_inline(out.getvalue().decode())


def label_rows(packages: Iterable[Package]) -> list[dict]:
    rows = []
    for package in packages:
        code, quantity = package.code, format(package.quantity.normalize(), "f")
        rows.append(
            {"package": package, "barcode": barcode_svg(code), "qr": qr_svg(code),
             "quantity": quantity}
        )  # fmt: skip
    return rows


def receipt_packages(receipt: GoodsReceipt):
    return (
        Package.objects.filter(receipt_line__receipt=receipt)
        .select_related("batch__product", "location", "receipt_line")
        .order_by("receipt_line__position", "pk")
    )


def labels_pdf(receipt: GoodsReceipt) -> bytes:
    """Every label of the receipt, one a page, in the documents' language (Chinese)."""
    context = {"receipt": receipt, "labels": label_rows(receipt_packages(receipt))}
    with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
        html = render_to_string(TEMPLATE, context)
    return HTML(string=html).write_pdf()
