"""Orders in from .xlsx: the order-form template dealers fill in, and the supermarkets' quote /
special order (O-1). Every bad row is named with its row number and reason; nothing is
registered unless every row is good (one transaction).

Dealer template (sheet 订单, header on row 1, one row per order line; rows with the same
订单参考号 are one order, whose order fields come from its first row):
    订单参考号* 经销商 业主姓名* 业主电话* 省* 市* 区 详细地址* 楼层 需要安装 付款方式 付款条件
    预计送货日期 预计安装日期 其他要求 货号* 色号 数量* 业主价
Supermarket quote / special order (one order per file): see ``supermarket_parse``.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from zipfile import BadZipFile

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException

from gendan.accounts.models import User
from gendan.audit.services import audit_record
from gendan.catalog.models import Product
from gendan.orders.models import Order, OrderImport, OrderLine, PaymentMethod, PaymentTerms
from gendan.orders.services import LineInput, order_register
from gendan.parties.models import Customer, CustomerKind, Store
from gendan.parties.phones import mobile_normalize
from gendan.parties.services import customer_create

SHOWN = 100  # problems listed at most; the rest are counted
Progress = Callable[[int, int], None]  # rows checked, rows in all


class Layout:
    DEALER_TEMPLATE = "dealer_template"
    SUPERMARKET = "supermarket"


NOT_XLSX = gettext_lazy("The file is not an Excel workbook (.xlsx).")
NO_ROWS = gettext_lazy("The file has no order rows.")
MISSING_COLUMNS = gettext_lazy("The header row lacks the columns: %(columns)s.")
REQUIRED = gettext_lazy("%(column)s is required.")
NOT_NUMBER = gettext_lazy("%(column)s must be a number, not “%(value)s”.")
NOT_POSITIVE = gettext_lazy("%(column)s must be greater than zero.")
TOO_LARGE = gettext_lazy("%(column)s “%(value)s” is too large (less than 1,000,000,000).")
TOO_PRECISE = gettext_lazy("%(column)s has at most %(places)s decimal places.")
NOT_DATE = gettext_lazy("%(column)s must be a date (YYYY-MM-DD), not “%(value)s”.")
NOT_YES_NO = gettext_lazy("%(column)s must be 是 or 否, not “%(value)s”.")
NOT_CHOICE = gettext_lazy("%(column)s must be one of %(choices)s, not “%(value)s”.")
UNKNOWN_PRODUCT = gettext_lazy("No product has the item number “%(value)s”.")
UNKNOWN_DEALER = gettext_lazy("No dealer is called “%(value)s”.")
UNKNOWN_SUPERMARKET = gettext_lazy("No supermarket has a store called “%(value)s”.")
DIFFERS = gettext_lazy(
    "%(column)s differs from row %(first)s of the same order reference (“%(value)s”)."
)
BAD_FLOOR = gettext_lazy("楼层 must be a whole number from -9 to 200.")
MORE = gettext_lazy("… and %(count)s more problems.")

# The dealer template's columns: (header, required, kind); order fields first, then the line's.
ORDER_COLUMNS = [
    ("订单参考号", True, "text"), ("经销商", False, "text"), ("业主姓名", True, "text"),
    ("业主电话", True, "mobile"), ("省", True, "text"), ("市", True, "text"), ("区", False, "text"),
    ("详细地址", True, "text"), ("楼层", False, "floor"), ("需要安装", False, "yes_no"),
    ("付款方式", False, "payment_method"), ("付款条件", False, "payment_terms"),
    ("预计送货日期", False, "date"), ("预计安装日期", False, "date"), ("其他要求", False, "text"),
]  # fmt: skip
LINE_COLUMNS = [
    ("货号", True, "product"), ("色号", False, "text"), ("数量", True, "quantity"),
    ("业主价", False, "price"),
]  # fmt: skip
TEMPLATE_COLUMNS = ORDER_COLUMNS + LINE_COLUMNS
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
    """(row number, cell values) of the first sheet, from row 1."""
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as error:
        raise ValidationError(NOT_XLSX) from error
    sheet = book.worksheets[0]
    sheet.reset_dimensions()  # some programs write a wrong <dimension>: read every cell there is
    yield from enumerate(sheet.iter_rows(values_only=True), start=1)


def products_by_sku() -> dict[str, Product]:
    return {product.sku: product for product in Product.objects.filter(is_active=True)}


def template_parse(content: bytes, actor: User, progress: Progress) -> list[Draft]:
    """The dealer template's rows as drafts of orders, or ImportProblems naming every bad row."""
    rows = list(workbook_rows(content))
    header = [cell_text(value) for value in (rows[0][1] if rows else ())]
    missing = [name for name, required, _k in TEMPLATE_COLUMNS if required and name not in header]
    if missing:
        raise ImportProblems([(1, MISSING_COLUMNS % {"columns": "、".join(missing)})])
    body = [(number, values) for number, values in rows[1:] if any(cell_text(v) for v in values)]
    if not body:
        raise ValidationError(NO_ROWS)
    problems: list[tuple[int, str]] = []
    products, dealers = products_by_sku(), DealerNames(actor)
    drafts: dict[str, Draft] = {}
    for done, (number, values) in enumerate(body, start=1):
        cells = dict(zip(header, values, strict=False))
        reader = RowReader(number, cells, problems, products)
        order = {name: reader.value(name, required, kind) for name, required, kind in ORDER_COLUMNS}
        order["经销商"] = dealers.find(reader, order["经销商"])
        line = {name: reader.value(name, required, kind) for name, required, kind in LINE_COLUMNS}
        draft_add(drafts, reader, order, line)
        if done % 250 == 0 or done == len(body):
            progress(done, len(body))
    if problems:
        raise ImportProblems(problems)
    return list(drafts.values())


class DealerNames:
    """The dealer of each row: named in the file, or the importing dealer's own."""

    def __init__(self, actor: User):
        self.own = actor.partner if actor.partner_id else None
        self.known: dict[str, Customer | None] = {}

    def find(self, reader: RowReader, name: str | None) -> Customer | None:
        if self.own is not None:
            return self.own  # a dealer's users order for their own dealer only
        if not name:
            reader.refuse(REQUIRED % {"column": "经销商"})
            return None
        if name not in self.known:
            found = Customer.objects.filter(kind=CustomerKind.DEALER, name=name, is_active=True)
            self.known[name] = found.first()
        if self.known[name] is None:
            reader.refuse(UNKNOWN_DEALER % {"value": name})
        return self.known[name]


def draft_add(drafts: dict[str, Draft], reader: RowReader, order: dict, line: dict) -> None:
    """The row's line onto its order; the order's fields must agree with its first row."""
    reference = order["订单参考号"] or f"row-{reader.row}"
    draft = drafts.get(reference)
    if draft is None:
        draft = drafts[reference] = Draft(reader.row, reference, order)
    else:
        for name, value in order.items():
            if value not in (None, "", False) and value != draft.values[name]:
                reader.refuse(DIFFERS % {"column": name, "first": draft.row, "value": value})
    if line["货号"] is not None and line["数量"] is not None:
        draft.lines.append((reader.row, LineInput(
            product=line["货号"], quantity=line["数量"], colour_code=line["色号"] or "",
            end_price=line["业主价"],
        )))  # fmt: skip


def drafts_register(actor: User, drafts: list[Draft], layout: str) -> list[Order]:
    """Register every draft in one transaction; a refused order names its rows and nothing
    stays registered."""
    problems: list[tuple[int, str]] = []
    orders = []
    homeowners = Homeowners(drafts, layout)
    with transaction.atomic():
        for draft in drafts:
            try:
                with transaction.atomic():
                    orders.append(draft_register(actor, draft, layout, homeowners))
            except ValidationError as error:
                problems += draft_problems(draft, error)
        if problems:
            transaction.set_rollback(True)
    if problems:
        raise ImportProblems(problems)
    return orders


def draft_problems(draft: Draft, error: ValidationError) -> list[tuple[int, str]]:
    """A service's refusal, placed on the row it concerns (a line's, else the order's)."""
    if not hasattr(error, "error_dict"):
        return [(draft.row, message) for message in error.messages]
    found = []
    for name, messages in error.message_dict.items():
        parts = name.split(".")
        row, model = draft.row, Order
        if parts[0] == "lines" and len(parts) > 1 and parts[1].isdigit():
            row, model, parts = draft.lines[int(parts[1])][0], OrderLine, parts[2:]
        label = field_label(model, parts[-1] if parts else "")
        found += [(row, f"{label}: {message}" if label else message) for message in messages]
    return found


def field_label(model: type, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return ""


def draft_customer(draft: Draft, layout: str) -> Customer:
    return draft.values["customer"] if layout == Layout.SUPERMARKET else draft.values["经销商"]


class Homeowners:
    """The homeowners of the file's partners, found in one query, and those made meanwhile."""

    def __init__(self, drafts: list[Draft], layout: str):
        partners = {draft_customer(draft, layout).pk for draft in drafts}
        found = Customer.objects.filter(
            kind=CustomerKind.HOMEOWNER, via__in=partners, is_active=True
        ).order_by("-pk")
        self.known = {(customer.via_id, customer.mobile): customer for customer in found}

    def get(self, actor: User, partner: Customer, name: str, mobile: str) -> Customer:
        """The partner's homeowner with this mobile (the oldest), or a new one."""
        if (partner.pk, mobile) not in self.known:
            fields = {"kind": CustomerKind.HOMEOWNER, "name": name, "mobile": mobile,
                      "via": partner}  # fmt: skip
            self.known[partner.pk, mobile] = customer_create(actor=actor, fields=fields)
        return self.known[partner.pk, mobile]


def draft_register(actor: User, draft: Draft, layout: str, homeowners: Homeowners) -> Order:
    values = draft.values
    customer = draft_customer(draft, layout)
    # The homeowner (a dealer's, or a supermarket's shopper) the goods go to.
    end_customer = homeowners.get(actor, customer, values["业主姓名"], values["业主电话"])
    fields = {field: values[column] for column, field in ORDER_FIELDS.items()}
    fields = {name: value for name, value in fields.items() if value not in (None, "")}
    fields |= {"customer": customer, "end_customer": end_customer,
               "contact_name": values["业主姓名"], "contact_phone": values["业主电话"]}  # fmt: skip
    fields |= values.get("extra", {})
    return order_register(actor=actor, fields=fields, lines=[line for _r, line in draft.lines])


def template_workbook() -> bytes:
    """The order-form template dealers download: the header, an example row, the notes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "订单"
    sheet.append([name for name, _required, _kind in TEMPLATE_COLUMNS])
    sheet.append(["A001", "", "王先生", "13800138000", "广东省", "佛山市", "顺德区", "大良街道1号",
                  8, "是", "银行转账", "款到发货", "2026-12-20", "2026-12-22", "", "ZF-0001",
                  "T-601", 30, 128])  # fmt: skip
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="FFF2CC")
    for cell, (_name, required, _kind) in zip(sheet[1], TEMPLATE_COLUMNS, strict=True):
        cell.font = bold
        if required:
            cell.fill = fill
        sheet.column_dimensions[cell.column_letter].width = 14
    notes = book.create_sheet("说明")
    for line in template_notes():
        notes.append([line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_notes() -> list[str]:
    """The template's 说明 sheet, in Chinese whatever the user's language."""
    with translation.override("zh-hans"):
        methods = "、".join(str(label) for _v, label in PaymentMethod.choices)
        terms = "、".join(str(label) for _v, label in PaymentTerms.choices)
    return [
        "每行一个订单明细；订单参考号相同的行属于同一订单，订单信息取该订单的第一行。",
        "黄色表头为必填项。经销商填写经销商名称；经销商账号导入时可留空。",
        "需要安装填 是 或 否；日期格式 YYYY-MM-DD；楼层为 -9 到 200 的整数（地下室为负数）。",
        f"付款方式：{methods}",
        f"付款条件：{terms}",
        "单价按价格表（O-9）；业主价为经销商给业主的实际价格，用于利润单（O-11）。",
        "任何一行有错，整个文件都不会导入；错误会逐行列出行号和原因。",
    ]


# The supermarket quote / special order (报价单 / 特殊订单): a block of labelled cells (the
# label in one cell, its value in the next), then a table of lines under a header row that
# starts with 序号. One file is one order of the supermarket whose store is named.
SUPERMARKET_FIELDS = [
    ("门店", True, "text"), ("单据类型", False, "text"), ("单号", True, "text"),
    ("顾客姓名", True, "text"), ("顾客电话", True, "mobile"), ("省", True, "text"),
    ("市", True, "text"), ("区", False, "text"), ("详细地址", True, "text"),
    ("楼层", False, "floor"),
    ("需要安装", False, "yes_no"), ("预计送货日期", False, "date"), ("预计安装日期", False, "date"),
    ("付款方式", False, "payment_method"), ("付款条件", False, "payment_terms"),
    ("备注", False, "text"),
]  # fmt: skip
SUPERMARKET_LINES = [
    ("商品编码", True, "product"), ("色号", False, "text"), ("数量", True, "quantity"),
    ("单价", False, "price"),
]  # fmt: skip
NO_LINE_TABLE = gettext_lazy("The line table (a header row starting with 序号) is missing.")


def supermarket_parse(content: bytes, actor: User, progress: Progress) -> list[Draft]:
    rows = list(workbook_rows(content))
    header_at = next((n for n, values in rows if values and cell_text(values[0]) == "序号"), None)
    if header_at is None:
        raise ImportProblems([(1, str(NO_LINE_TABLE))])
    labelled = supermarket_labels(rows[: header_at - 1])
    problems: list[tuple[int, str]] = []
    products = products_by_sku()
    values, readers = {}, {}
    for name, required, kind in SUPERMARKET_FIELDS:
        row, raw = labelled.get(name, (1, None))  # a label missing: the sheet's first row
        readers[name] = RowReader(row, {name: raw}, problems, products)
        values[name] = readers[name].value(name, required, kind)
    supermarket = supermarket_of(readers["门店"], values["门店"], actor)
    header = [cell_text(value) for value in rows[header_at - 1][1]]
    body = [(n, v) for n, v in rows[header_at:] if any(cell_text(cell) for cell in v)]
    draft = Draft(1, values["单号"] or "", supermarket_values(values, supermarket))
    for done, (number, cells) in enumerate(body, start=1):
        reader = RowReader(number, dict(zip(header, cells, strict=False)), problems, products)
        line = {
            name: reader.value(name, required, kind) for name, required, kind in SUPERMARKET_LINES
        }
        if line["商品编码"] is not None and line["数量"] is not None:
            draft.lines.append((number, LineInput(
                product=line["商品编码"], quantity=line["数量"], unit_price=line["单价"],
                colour_code=line["色号"] or "",
            )))  # fmt: skip
        progress(done, len(body))
    if not body:
        problems.append((header_at, str(NO_ROWS)))
    if problems:
        raise ImportProblems(problems)
    return [draft]


def supermarket_labels(rows: list[tuple[int, tuple]]) -> dict[str, tuple[int, Any]]:
    """Each known label above the table, with its row and the value in the cell after it."""
    known = {name for name, _required, _kind in SUPERMARKET_FIELDS}
    found = {}
    for number, values in rows:
        for place, value in enumerate(values[:-1]):
            label = cell_text(value).rstrip(":：")
            if label in known:
                found[label] = (number, values[place + 1])
    return found


def supermarket_of(reader: RowReader, store_name: str | None, actor: User) -> Store | None:
    """The store named, of a supermarket; a partner's users name their own stores only."""
    if not store_name:
        return None
    stores = Store.objects.select_related("customer").filter(
        name=store_name, customer__kind=CustomerKind.SUPERMARKET
    )
    if actor.partner_id is not None:
        stores = stores.filter(customer=actor.partner_id)
    store = stores.first()
    if store is None:
        reader.refuse(UNKNOWN_SUPERMARKET % {"value": store_name})
    return store


def supermarket_values(values: dict[str, Any], store: Store | None) -> dict[str, Any]:
    """The head of the quote in the names the dealer template uses."""
    kind = values["单据类型"] or "报价单"
    note = f"{kind} {values['单号'] or ''}".strip()
    return {
        **{column: values.get(column) for column in ORDER_FIELDS if column != "其他要求"},
        "其他要求": "\n".join(part for part in (note, values["备注"]) if part),
        "业主姓名": values["顾客姓名"], "业主电话": values["顾客电话"],
        "customer": store.customer if store else None,
        "extra": {"is_special": kind == "特殊订单"},
    }  # fmt: skip


def supermarket_workbook(head: dict[str, Any], lines: list[list[Any]]) -> bytes:
    """A quote / special order in the supermarket layout: the labelled block, then the lines."""
    book = Workbook()
    sheet = book.active
    sheet.title = "报价单"
    sheet.append([head.get("单据类型", "报价单")])
    sheet["A1"].font = Font(bold=True, size=14)
    labels = [name for name, _required, _kind in SUPERMARKET_FIELDS]
    for start in range(0, len(labels), 2):
        row = []
        for label in labels[start : start + 2]:
            row += [label, head.get(label, "")]
        sheet.append(row)
    sheet.append([])
    sheet.append(["序号", "商品编码", "商品名称", "色号", "数量", "单位", "单价", "金额"])
    for number, line in enumerate(lines, start=1):
        sheet.append([number, *line])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def supermarket_sample_workbook() -> bytes:
    head = {
        "门店": "百安居番禺店", "单据类型": "报价单", "单号": "BQ20261201-0001",
        "顾客姓名": "陈女士", "顾客电话": "13900139000", "省": "广东省", "市": "广州市",
        "区": "番禺区", "详细地址": "市桥街道繁华路12号", "楼层": 15, "需要安装": "是",
        "预计送货日期": "2026-12-20", "预计安装日期": "2026-12-22", "付款方式": "银行转账",
        "付款条件": "按合同或长期合作协议", "备注": "",
    }  # fmt: skip
    return supermarket_workbook(
        head, [["ZF-0001", "碳化平压竹地板", "T-601", 30, "平方米", 128, 3840]]
    )


PARSERS = {Layout.DEALER_TEMPLATE: template_parse, Layout.SUPERMARKET: supermarket_parse}


def orders_import(
    *, actor: User, content: bytes, layout: str, progress: Progress = lambda done, total: None
) -> list[Order]:
    """Read, check and register: every order of the file, or none."""
    drafts = PARSERS[layout](content, actor, progress)
    return drafts_register(actor, drafts, layout)


TOO_BIG = gettext_lazy("The file is larger than %(megabytes)s MB.")
NOT_AN_XLSX_NAME = gettext_lazy("Choose an .xlsx file.")
MAX_BYTES = 20 * 1024 * 1024


def order_import_start(*, actor: User, upload: Any, layout: str) -> OrderImport:
    """Keep the file and queue its import; the worker checks and registers it."""
    from gendan.orders.tasks import order_import_run

    if not actor.has_perm("orders.add_order"):
        raise PermissionDenied
    if layout not in PARSERS:
        raise ValidationError({"layout": _("Choose the layout of the file.")})
    if not upload.name.lower().endswith(".xlsx"):
        raise ValidationError({"file": NOT_AN_XLSX_NAME})
    if upload.size > MAX_BYTES:
        raise ValidationError({"file": TOO_BIG % {"megabytes": MAX_BYTES // 1024 // 1024}})
    job = OrderImport.objects.create(
        layout=layout, file_name=upload.name[:200], content=upload.read(), created_by=actor
    )
    audit_record(actor=actor, action="orders.import_started", target=job, note=job.file_name)
    transaction.on_commit(lambda: order_import_run.enqueue(job.pk))
    return job
