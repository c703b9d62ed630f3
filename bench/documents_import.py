"""Benchmark: spreadsheets and documents (issue 5), on PostgreSQL.

- importing a dealer template of 5,000 rows (1,000 orders of 5 lines) from .xlsx: read,
  check, register, all in one transaction (goal: under 30 s), side by side with the same
  1,000 orders registered directly through the service (the floor under any import);
- issuing a delivery note (content, hash, the A4 and the continuous-form PDFs) and printing
  it again (the stored bytes).

  make bench                      # or: .venv/bin/python bench/documents_import.py
  BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gendan_bench (default)
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from decimal import Decimal

from orders_walk import DEFAULT_URL, database_recreate, django_start, world


def template_rows(rows: int, lines: int, dealer: str, sku: str) -> bytes:
    from openpyxl import Workbook

    from gendan.orders.spreadsheets.dealer import TEMPLATE_COLUMNS

    book = Workbook(write_only=True)
    sheet = book.create_sheet("订单")
    sheet.append([name for name, _required, _kind in TEMPLATE_COLUMNS])
    for number in range(rows):
        order = number // lines
        sheet.append([
            f"R{order}", dealer, f"业主{order}", f"139{order:08d}", "广东省", "佛山市", "顺德区",
            f"大良街道{order}号", 1 + order % 30, "是" if order % 2 else "否", "银行转账",
            "款到发货", "2026-12-20", "2026-12-22", "", sku, "T-601", 10 + number % 7, 128,
        ])  # fmt: skip
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def import_measure(rows: int, lines: int, customers, signers, product) -> dict[str, float]:
    from django.db import transaction

    from gendan.orders.services.registration import LineInput, order_register
    from gendan.orders.spreadsheets.importing import orders_import
    from gendan.orders.spreadsheets.reading import Layout
    from gendan.parties.models import Customer

    content = template_rows(rows, lines, customers["dealer"].name, product.sku)
    checked = []
    started = time.perf_counter()
    orders = orders_import(
        actor=signers["clerk"], content=content, layout=Layout.DEALER_TEMPLATE,
        progress=lambda done, total: checked.append(done),
    )  # fmt: skip
    imported = time.perf_counter() - started
    assert len(orders) == rows // lines and checked[-1] == rows
    # The floor: the same orders (for the homeowners the import made) registered straight
    # through the service, then undone.
    homeowners = {c.mobile: c for c in Customer.objects.filter(via=customers["dealer"])}
    started = time.perf_counter()
    with transaction.atomic():
        for order in range(rows // lines):
            homeowner = homeowners[f"139{order:08d}"]
            fields = {
                "customer": customers["dealer"], "end_customer": homeowner,
                "province": "广东省", "city": "佛山市", "street": f"大良街道{order}号",
                "needs_installation": bool(order % 2),
            }  # fmt: skip
            line = LineInput(product=product, quantity=Decimal("10"), end_price=Decimal("128"))
            order_register(actor=signers["clerk"], fields=fields, lines=[line] * lines)
        transaction.set_rollback(True)
    direct = time.perf_counter() - started
    return {"import": imported, "direct": direct, "file_bytes": len(content)}


def documents_measure(signers, orders: list, runs: int = 20) -> dict[str, float]:
    from gendan.documents.models import DocumentKind
    from gendan.documents.selectors import document_ready
    from gendan.documents.services import document_issue
    from gendan.orders.simulate import order_walk

    issued, again = [], []
    for order in orders[:runs]:
        while not document_ready(order, DocumentKind.DELIVERY_NOTE):
            order = order_walk(order, signers, steps=1)  # up to the delivery note step
        started = time.perf_counter()
        document = document_issue(
            actor=signers["clerk"], order=order, kind=DocumentKind.DELIVERY_NOTE
        )
        issued.append(time.perf_counter() - started)
        started = time.perf_counter()
        bytes(document.files.get(paper="a4").pdf)
        again.append(time.perf_counter() - started)
    return {"issue": statistics.median(issued), "again": statistics.median(again)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--lines", type=int, default=5, help="lines per order")
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    database_recreate(url)
    django_start(url)
    customers, _homeowners, signers, product = world()
    timings = import_measure(options.rows, options.lines, customers, signers, product)
    from gendan.orders.models import Order

    documents = documents_measure(signers, list(Order.objects.order_by("pk")))
    orders = options.rows // options.lines
    print("\n| measure | result | reference / goal |\n|---|---|---|")
    print(f"| import {options.rows:,} rows ({orders:,} orders) from .xlsx "
          f"({timings['file_bytes'] / 1024:,.0f} KB) | {timings['import']:.1f} s "
          f"({options.rows / timings['import']:,.0f} rows/s) | goal < 30 s |")  # fmt: skip
    print(f"| the same orders registered directly (no file) | {timings['direct']:.1f} s | "
          f"import / direct = {timings['import'] / timings['direct']:.2f} |")  # fmt: skip
    print(
        f"| issue a delivery note (A4 + form PDFs), median | {documents['issue'] * 1000:.0f} ms | |"
    )
    print(f"| print it again (stored bytes), median | {documents['again'] * 1000:.1f} ms | |")


if __name__ == "__main__":
    sys.exit(main())
