"""Reading a workbook's rows and checking their cells; each bad cell a problem of its row."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zipfile import BadZipFile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from gendan.catalog.models import Product
from gendan.orders.models import PaymentMethod, PaymentTerms
from gendan.orders.services.registration import LineInput
from gendan.orders.spreadsheets.limits import NOT_XLSX, TOO_MANY_ROWS, rows_limit, workbook_check
from gendan.parties.phones import mobile_normalize

SHOWN = 100  # problems listed at most; the rest are counted
COLUMNS = 64  # cells read of each row (a layout has at most 19 columns)
Progress = Callable[[int, int], None]  # rows checked, rows in all


class Layout:
    DEALER_TEMPLATE = "dealer_template"
    SUPERMARKET = "supermarket"


NO_ROWS = gettext_lazy("The file has no order rows.")
REQUIRED = gettext_lazy("%(column)s is required.")
NOT_NUMBER = gettext_lazy("%(column)s must be a number, not “%(value)s”.")
NOT_POSITIVE = gettext_lazy("%(column)s must be greater than zero.")
TOO_LARGE = gettext_lazy("%(column)s “%(value)s” is too large (less than 1,000,000,000).")
TOO_PRECISE = gettext_lazy("%(column)s has at most %(places)s decimal places.")
NOT_DATE = gettext_lazy("%(column)s must be a date (YYYY-MM-DD), not “%(value)s”.")
NOT_YES_NO = gettext_lazy("%(column)s must be 是 or 否, not “%(value)s”.")
NOT_CHOICE = gettext_lazy("%(column)s must be one of %(choices)s, not “%(value)s”.")
UNKNOWN_PRODUCT = gettext_lazy("No product has the item number “%(value)s”.")
BAD_FLOOR = gettext_lazy("楼层 must be a whole number from -9 to 200.")
MORE = gettext_lazy("… and %(count)s more problems.")


ORDER_FIELDS = {
    "省": "province", "市": "city", "区": "district", "详细地址": "street", "楼层": "floor",
    "需要安装": "needs_installation", "付款方式": "payment_method", "付款条件": "payment_terms",
    "预计送货日期": "expected_delivery_on", "预计安装日期": "expected_install_on",
    "其他要求": "other_requests",
}  # fmt: skip


class ImportProblems(ValidationError):
    """Bad rows, each as (row number, reason)."""

    def __init__(self, problems: list[tuple[int, str]]):
        self.problems = sorted(problems)
        shown = [_("Row %(row)s: %(reason)s") % {"row": r, "reason": m} for r, m in self.problems]
        extra = len(shown) - SHOWN
        super().__init__(shown[:SHOWN] + ([MORE % {"count": extra}] if extra > 0 else []))


@dataclass
class Draft:
    """One order as read from the file, with the rows it came from."""

    row: int
    reference: str
    values: dict[str, Any]
    lines: list[tuple[int, LineInput]] = field(default_factory=list)


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class RowReader:
    """Reads and checks the cells of one row; each bad cell becomes a problem of the row."""

    def __init__(self, row: int, cells: dict[str, Any], problems: list, products: dict):
        self.row, self.cells, self.problems, self.products = row, cells, problems, products

    def refuse(self, message: str) -> None:
        self.problems.append((self.row, message))

    def value(self, column: str, required: bool, kind: str) -> Any:
        raw = self.cells.get(column)
        text = cell_text(raw)
        if not text:
            if required:
                self.refuse(REQUIRED % {"column": column})
            return False if kind == "yes_no" else None
        reader = getattr(self, f"read_{kind}", None)
        return reader(column, raw, text) if reader else text

    def read_mobile(self, column: str, raw: Any, text: str) -> str | None:
        try:
            return mobile_normalize(text)
        except ValidationError as error:
            self.refuse(f"{column}: {' '.join(error.messages)}")

    def read_number(self, column: str, text: str, places: int) -> Decimal | None:
        """A number as the order line keeps it: at most 9 digits before the point (less than
        a billion) and ``places`` after."""
        try:
            number = Decimal(text.replace(",", ""))
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            self.refuse(NOT_NUMBER % {"column": column, "value": text})
        elif abs(number) >= 10**9:
            self.refuse(TOO_LARGE % {"column": column, "value": text})
        elif number.as_tuple().exponent < -places:
            self.refuse(TOO_PRECISE % {"column": column, "places": places})
        else:
            return number
        return None

    def read_quantity(self, column: str, raw: Any, text: str) -> Decimal | None:
        number = self.read_number(column, text, places=3)
        if number is not None and number <= 0:
            self.refuse(NOT_POSITIVE % {"column": column})
            return None
        return number

    def read_price(self, column: str, raw: Any, text: str) -> Decimal | None:
        number = self.read_number(column, text, places=2)
        if number is not None and number < 0:
            self.refuse(NOT_NUMBER % {"column": column, "value": text})
            return None
        return number

    def read_floor(self, column: str, raw: Any, text: str) -> int | None:
        try:
            floor = int(text)
        except ValueError:
            floor = None
        if floor is None or not -9 <= floor <= 200:
            self.refuse(str(BAD_FLOOR))
            return None
        return floor

    def read_date(self, column: str, raw: Any, text: str) -> dt.date | None:
        if isinstance(raw, dt.datetime):
            return raw.date()
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            self.refuse(NOT_DATE % {"column": column, "value": text})

    def read_yes_no(self, column: str, raw: Any, text: str) -> bool:
        if text in ("是", "否"):
            return text == "是"
        self.refuse(NOT_YES_NO % {"column": column, "value": text})
        return False

    def read_choice(self, column: str, text: str, choices) -> str | None:
        """A choice by its code or by its name in any language of the site."""
        for value, label in choices.choices:
            if text == value or text in labels_of(label):
                return value
        shown = "、".join(str(label) for _value, label in choices.choices)
        self.refuse(NOT_CHOICE % {"column": column, "choices": shown, "value": text})

    def read_payment_method(self, column: str, raw: Any, text: str) -> str | None:
        return self.read_choice(column, text, PaymentMethod)

    def read_payment_terms(self, column: str, raw: Any, text: str) -> str | None:
        return self.read_choice(column, text, PaymentTerms)

    def read_product(self, column: str, raw: Any, text: str) -> Product | None:
        product = self.products.get(text)
        if product is None:
            self.refuse(UNKNOWN_PRODUCT % {"value": text})
        return product


def labels_of(label: Any) -> set[str]:
    names = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            names.add(str(label))
    return names


def workbook_rows(content: bytes) -> Iterable[tuple[int, tuple]]:
    """(row number, cell values) of the first sheet, from row 1, streamed; the workbook's
    size is checked first, and a sheet is refused at its first row past the limit."""
    workbook_check(content)
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True, keep_links=False)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise ValidationError(NOT_XLSX) from error
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # some programs write a wrong <dimension>: read every cell there is
    limit = rows_limit()
    # Bounded whatever the sheet says: openpyxl stops after limit + 1 rows and COLUMNS cells.
    rows = sheet.iter_rows(max_row=limit + 1, max_col=COLUMNS, values_only=True)
    for number, values in enumerate(rows, start=1):
        if number > limit:
            raise ValidationError(TOO_MANY_ROWS % {"rows": f"{limit:,}"})
        yield number, values


def products_by_sku() -> dict[str, Product]:
    return {product.sku: product for product in Product.objects.filter(is_active=True)}
