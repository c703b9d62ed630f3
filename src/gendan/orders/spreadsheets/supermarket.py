"""The supermarkets' quote / special order (报价单 / 特殊订单): one order per file."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from gendan.accounts.models import User
from gendan.orders.services.registration import LineInput
from gendan.orders.spreadsheets.reading import (
    NO_ROWS,
    ORDER_FIELDS,
    Draft,
    ImportProblems,
    Progress,
    RowReader,
    cell_text,
    products_by_sku,
    workbook_rows,
)
from gendan.parties.models import CustomerKind, Store

UNKNOWN_SUPERMARKET = gettext_lazy("No supermarket has a store called “%(value)s”.")

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
