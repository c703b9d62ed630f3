"""The order-form template dealers fill in (sheet 订单, header on row 1, one row per order line;
rows with the same 订单参考号 are one order, whose order fields come from its first row):
    订单参考号* 经销商 业主姓名* 业主电话* 省* 市* 区 详细地址* 楼层 需要安装 付款方式 付款条件
    预计送货日期 预计安装日期 其他要求 货号* 色号 数量* 业主价
"""

from __future__ import annotations

import io

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from gendan.accounts.models import User
from gendan.orders.models import PaymentMethod, PaymentTerms
from gendan.orders.services.registration import LineInput
from gendan.orders.spreadsheets.reading import (
    NO_ROWS,
    REQUIRED,
    Draft,
    ImportProblems,
    Progress,
    RowReader,
    cell_text,
    products_by_sku,
    workbook_rows,
)
from gendan.parties.models import Customer, CustomerKind

MISSING_COLUMNS = gettext_lazy("The header row lacks the columns: %(columns)s.")
UNKNOWN_DEALER = gettext_lazy("No dealer is called “%(value)s”.")
DIFFERS = gettext_lazy(
    "%(column)s differs from row %(first)s of the same order reference (“%(value)s”)."
)

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
