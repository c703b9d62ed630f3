"""A receipt's lines from an .xlsx workbook: the template to download, and the import, checked
whole: every line is received in one receipt, or none and the errors of each row (in Chinese
by default, the user's language). The file is told by its content (a workbook, within the
import limits), never by its name."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any
from zipfile import BadZipFile

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from gendan.accounts.models import User
from gendan.catalog.models import Grade, Product
from gendan.orders.spreadsheets.limits import NOT_XLSX, workbook_check
from gendan.warehouse.forms_receiving import ReceiptForm, ReceiptLineForm
from gendan.warehouse.models import GoodsReceipt, Location, Warehouse
from gendan.warehouse.services.receiving import (
    MAX_LINES,
    ReceiptInput,
    receipt_create,
    receipt_errors,
)

MAX_BYTES = 5 * 1024 * 1024
# The sheet's columns: header as printed in the template → the line form's field.
COLUMNS = {
    "商品编号": "product", "批号": "batch_number", "生产日期": "produced_on", "等级": "grade",
    "色号": "colour", "数量": "quantity", "件数": "packages", "库位": "location",
    "卷长(米)": "lengths_m",
}  # fmt: skip
REQUIRED = ("商品编号", "批号", "生产日期", "数量", "件数", "库位")
FIELD_COLUMN = {field: column for column, field in COLUMNS.items()}

IMPORT_EMPTY = gettext_lazy("Choose the .xlsx file of the receipt's lines.")
IMPORT_TOO_BIG = gettext_lazy("The file is larger than %(megabytes)s MB.")
IMPORT_NO_LINES = gettext_lazy("The sheet has no lines under its header.")
IMPORT_TOO_MANY = gettext_lazy("A receipt has at most %(max)s lines; the sheet has %(count)s.")
COLUMN_MISSING = gettext_lazy("The header has no column %(column)s (see the template).")
UNKNOWN_SKU = gettext_lazy("No product has the item number “%(value)s”.")
UNKNOWN_PLACE = gettext_lazy("Warehouse %(warehouse)s has no location “%(value)s”.")
ROW = gettext_lazy("Row %(row)s: %(reason)s")


class ImportForm(ReceiptForm):
    file = forms.FileField(label=_("Workbook (.xlsx)"))


def template_workbook() -> bytes:
    """The template: the header (required columns yellow), an example row, the notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "入库明细"
    sheet.append(list(COLUMNS))
    sheet.append(["ZF-101", "B20261120-01", "2026-11-20", "优等品", "T-601", 236, 100, "A-01", ""])
    sheet.append(["FM-3", "F20261118", "2026-11-18", "", "", 3, 3, "A-02", "50, 50, 48.5"])
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for cell in sheet[1]:
        cell.font = bold
        if cell.value in REQUIRED:
            cell.fill = fill
        sheet.column_dimensions[cell.column_letter].width = 16
    notes = book.create_sheet("说明")
    for line in TEMPLATE_NOTES:
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


TEMPLATE_NOTES = [
    "每行一个批次：同一商品、同一批号即同一批次（同一色差）。黄色表头为必填项。",
    "生产日期格式 YYYY-MM-DD；等级填 优等品、一等品、合格品，留空则取商品的等级。",
    "件数为箱、卷或袋的数量，每件打印一张标签；数量按商品单位，最多三位小数。",
    "库位填所选仓库的库位编号（可售库位）。",
    "防潮地垫膜（O-59）：每卷填写长度（米），用逗号分隔，卷数须与件数相同；按米计的，长度之和须等于数量。",
    "任何一行有错，整个文件都不会入库；错误会逐行列出行号和原因。",
]


def grade_value(text: str) -> str:
    """A grade as its code, its Chinese or its English name; anything else as written."""
    for value, label in Grade.choices:
        if text in (value, str(label)):
            return value
    names = {"优等品": Grade.PREMIUM, "一等品": Grade.FIRST, "合格品": Grade.QUALIFIED}
    return names.get(text, text)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def sheet_rows(content: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and each non-blank row (with its number) of the first sheet, as text."""
    workbook_check(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise ValidationError(NOT_XLSX) from error
    rows = book.worksheets[0].iter_rows(max_col=len(COLUMNS) + 10, values_only=True)
    header = [cell_text(value) for value in next(rows, ())]
    found = []
    for number, row in enumerate(rows, start=2):
        texts = [cell_text(value) for value in row]
        if any(texts):
            found.append((number, texts))
    book.close()
    return header, found


def row_data(
    header: list[str], texts: list[str], products: dict[str, Product], places: dict[str, Location]
) -> tuple[dict[str, str], list[str]]:
    """The line form's data from one row, and what could not be found."""
    cells = zip(header, texts, strict=False)  # a row may stop before the header does
    values = {COLUMNS[name]: text for name, text in cells if name in COLUMNS}
    problems = []
    product = products.get(values.get("product", ""))
    if values.get("product") and product is None:
        problems.append(str(UNKNOWN_SKU % {"value": values["product"]}))
    place = places.get(values.get("location", ""))
    if values.get("location") and place is None:
        warehouse = next(iter(places.values())).warehouse if places else ""
        problems.append(str(UNKNOWN_PLACE % {"warehouse": warehouse, "value": values["location"]}))
    values["product"] = str(product.pk) if product else ""
    values["location"] = str(place.pk) if place else ""
    values["grade"] = grade_value(values.get("grade", ""))
    return values, problems


def form_problems(form: ReceiptLineForm) -> list[str]:
    return [
        f"{FIELD_COLUMN.get(name, '')}: {message}" if name in FIELD_COLUMN else message
        for name, messages in form.errors.items()
        for message in messages
    ]


def rows_read(content: bytes, warehouse: Warehouse) -> tuple[list, list[int], list]:
    """The lines of the sheet, their rows, and every problem as (row, reason)."""
    header, rows = sheet_rows(content)
    missing = [name for name in REQUIRED if name not in header]
    if missing:
        raise ValidationError([COLUMN_MISSING % {"column": name} for name in missing])
    if not rows:
        raise ValidationError(IMPORT_NO_LINES)
    if len(rows) > MAX_LINES:
        raise ValidationError(IMPORT_TOO_MANY % {"max": MAX_LINES, "count": len(rows)})
    at = header.index("商品编号")
    skus = {texts[at] for _n, texts in rows if len(texts) > at}
    products = {p.sku: p for p in Product.objects.filter(sku__in=skus)}
    places = Location.objects.filter(warehouse=warehouse).select_related("warehouse")
    places = {place.code: place for place in places}
    lines, numbers, problems = [], [], []
    for number, texts in rows:
        data, missing_records = row_data(header, texts, products, places)
        form = ReceiptLineForm(data=data)
        found = missing_records + ([] if form.is_valid() else form_problems(form))
        problems += [(number, reason) for reason in dict.fromkeys(found)]
        if not found:
            lines.append(form.line())
            numbers.append(number)
    return lines, numbers, problems


def row_messages(problems: list[tuple[int, str]]) -> list[str]:
    return [str(ROW % {"row": row, "reason": reason}) for row, reason in sorted(problems)]


def receipt_import(
    *, actor: User, file: Any, source: str, warehouse: Warehouse, supplier: str = "",
    note: str = "",
) -> GoodsReceipt:  # fmt: skip
    """Every row of the workbook as one receipt, or none: the errors of each row."""
    if file.size > MAX_BYTES:
        raise ValidationError(IMPORT_TOO_BIG % {"megabytes": MAX_BYTES // 1024 // 1024})
    lines, numbers, problems = rows_read(file.read(), warehouse)
    if problems:
        # The rows that could be read are checked too, so that one answer lists every row.
        header = ReceiptInput(source=source, warehouse=warehouse, supplier=supplier, note=note)
        errors = receipt_errors(header, lines) if lines else {}
        errors = {name: m for name, m in errors.items() if name != "lines"}
        checked = ValidationError(errors or {"lines": []})
        raise ValidationError(service_messages(checked, numbers, problems))
    try:
        return receipt_create(
            actor=actor, source=source, warehouse=warehouse, supplier=supplier, note=note,
            lines=lines,
        )  # fmt: skip
    except ValidationError as error:
        raise ValidationError(service_messages(error, numbers)) from error


def service_messages(
    error: ValidationError, numbers: list[int], found: list[tuple[int, str]] | None = None
) -> list[str]:
    """The service's refusal with each line's errors on its row (and those found reading)."""
    if not hasattr(error, "error_dict"):
        return error.messages
    found, general = list(found or []), []
    for name, messages in error.message_dict.items():
        parts = name.split(".")
        if parts[0] == "lines" and len(parts) == 3:
            column = FIELD_COLUMN.get(parts[2], "")
            found += [(numbers[int(parts[1])], f"{column}: {m}" if column else m) for m in messages]
        else:
            general += messages
    return general + row_messages(found)
