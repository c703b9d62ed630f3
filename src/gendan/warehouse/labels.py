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
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML

from gendan.warehouse.models import GoodsReceipt, Package
from gendan.warehouse.services.receiving import MAX_PACKAGES

TEMPLATE = "warehouse/labels/labels.html"
# One PDF at a time holds at most a line's worth of labels; a larger receipt prints by line.
MAX_LABELS = MAX_PACKAGES
TOO_MANY_LABELS = _(
    "This receipt has %(count)s labels, more than %(max)s at once: print them line by line."
)
# What comes before the <svg> element: the XML declaration, the doctype, comments.
PROLOGUE = re.compile(r"^.*?(?=<svg)", re.DOTALL)
BARCODE_WIDTH_MM = 90.0  # the label's width less its margins
BARCODE_HEIGHT_MM = 12.0
QUIET_MODULES = 10  # the blank a scanner needs either side of the bars


def svg_inline(svg: str) -> SafeString:
    # Our own drawing of a code we made (letters, digits and hyphens): safe to inline.
    return mark_safe(PROLOGUE.sub("", svg, count=1))


def bar_runs(modules: str) -> list[tuple[int, int]]:
    """Each bar as (first module, width in modules): "1101" → [(0, 2), (3, 1)]."""
    return [(found.start(), len(found.group())) for found in re.finditer("1+", modules)]


def barcode_svg(code: str) -> SafeString:
    """Code128 of the label's code (python-barcode encodes it), drawn as one SVG path: a
    hundred separate bars cost WeasyPrint a style and a drawing each, per label. The bars are
    as wide as a scanner reads best (0.33 mm), narrower only if the code is long."""
    modules = Code128(code).build()[0]
    total = len(modules) + 2 * QUIET_MODULES
    module_mm = min(0.33, BARCODE_WIDTH_MM / total)
    height = round(BARCODE_HEIGHT_MM / module_mm, 2)
    path = "".join(
        f"M{QUIET_MODULES + start} 0h{width}v{height}h-{width}z"
        for start, width in bar_runs(modules)
    )
    return svg_inline(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {total} {height}" '
        f'width="{total * module_mm:.2f}mm" height="{BARCODE_HEIGHT_MM}mm">'
        f'<path fill="#000" d="{path}"/></svg>'
    )


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


def receipt_packages(receipt: GoodsReceipt, position: int | None = None):
    packages = Package.objects.filter(receipt_line__receipt=receipt)
    if position is not None:
        packages = packages.filter(receipt_line__position=position)
    return packages.select_related("batch__product", "location", "receipt_line").order_by(
        "receipt_line__position", "pk"
    )


def labels_pdf(receipt: GoodsReceipt, position: int | None = None) -> bytes:
    """The labels of the receipt, or of its line at ``position``, one a page, in the documents'
    language (Chinese)."""
    packages = receipt_packages(receipt, position)
    if position is None and packages.count() > MAX_LABELS:
        raise ValidationError(TOO_MANY_LABELS % {"count": packages.count(), "max": MAX_LABELS})
    context = {"receipt": receipt, "labels": label_rows(packages)}
    with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
        html = render_to_string(TEMPLATE, context)
    return HTML(string=html).write_pdf()
