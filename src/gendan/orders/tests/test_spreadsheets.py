"""Orders in from .xlsx: good, bad and mixed files; every bad row named, nothing half-imported."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gendan.accounts.roles import Role
from gendan.orders.models import Order, OrderImport
from gendan.orders.spreadsheets.dealer import (
    DIFFERS,
    MISSING_COLUMNS,
    TEMPLATE_COLUMNS,
    UNKNOWN_DEALER,
    template_workbook,
)
from gendan.orders.spreadsheets.importing import orders_import
from gendan.orders.spreadsheets.reading import (
    BAD_FLOOR,
    NOT_DATE,
    NOT_NUMBER,
    NOT_POSITIVE,
    NOT_XLSX,
    REQUIRED,
    TOO_LARGE,
    TOO_PRECISE,
    UNKNOWN_PRODUCT,
    ImportProblems,
    Layout,
)
from gendan.orders.spreadsheets.supermarket import UNKNOWN_SUPERMARKET, supermarket_workbook
from gendan.orders.tests.helpers import listed_product, staff
from gendan.parties.models import Customer, CustomerKind
from gendan.parties.tests.factories import CustomerFactory, DealerFactory

pytestmark = pytest.mark.django_db
HEADER = [name for name, _required, _kind in TEMPLATE_COLUMNS]


def row(reference="A1", sku="ZF-1", quantity=10, **changes):
    values = {
        "订单参考号": reference, "经销商": "顺德竹韵经销部", "业主姓名": "王先生",
        "业主电话": "13800138000", "省": "广东省", "市": "佛山市", "区": "顺德区",
        "详细地址": "大良街道1号", "楼层": 8, "需要安装": "否", "付款方式": "银行转账",
        "付款条件": "款到发货", "预计送货日期": "2026-12-20", "预计安装日期": "",
        "其他要求": "", "货号": sku, "色号": "T-601", "数量": quantity, "业主价": "",
    }  # fmt: skip
    values.update(changes)
    return [values[name] for name in HEADER]


def workbook(*rows, header=HEADER) -> bytes:
    book = Workbook()
    book.active.append(header)
    for values in rows:
        book.active.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def shop(roles):
    dealer = DealerFactory(name="顺德竹韵经销部")
    return dealer, listed_product("95", sku="ZF-1"), listed_product("20", sku="JX-1")


def imported(content: bytes, layout=Layout.DEALER_TEMPLATE, actor=None) -> list[Order]:
    return orders_import(actor=actor or staff(Role.CLERK), content=content, layout=layout)


def test_the_template_has_every_column_and_its_notes():
    book = load_workbook(io.BytesIO(template_workbook()))
    assert [cell.value for cell in book["订单"][1]] == HEADER
    assert book.sheetnames == ["订单", "说明"]
    assert "付款方式：现金、银行转账" in book["说明"]["A4"].value


def test_a_good_file_registers_each_order_with_its_lines_and_homeowner(shop):
    dealer = shop[0]
    content = workbook(
        row("A1", "ZF-1", 30, 业主价=128),
        row("A1", "JX-1", 12.5, 业主价=25),
        row("B7", "ZF-1", 18, 业主姓名="李女士", 业主电话="139 0013 9000", 需要安装="是",
            预计安装日期="2026-12-22"),
    )  # fmt: skip
    orders = imported(content)
    assert [order.lines.count() for order in orders] == [2, 1]
    first, second = orders
    assert (first.customer, first.end_customer.name, first.route) == (dealer, "王先生", "dealer")
    assert first.total == Decimal("95") * 30 + Decimal("20") * Decimal("12.5")
    assert list(first.lines.values_list("end_price", flat=True)) == [Decimal("128"), Decimal("25")]
    assert second.route == "dealer_install" and second.end_customer.mobile == "13900139000"
    assert second.number.endswith("-002")


def test_every_bad_row_is_named_with_its_reason_and_nothing_is_imported(shop):
    content = workbook(
        row("A1"),
        row("A2", "ZF-404"),
        row("A3", quantity=0),
        row("A4", 业主电话="12345"),
        row("A5", 预计送货日期="下周"),
        row("A1", 业主电话="13700137000"),
        row("A6", 楼层="顶楼"),
        row("", 经销商="无名经销商"),
    )
    with pytest.raises(ImportProblems) as refused:
        imported(content)
    problems = dict(refused.value.problems)
    assert problems[3] == UNKNOWN_PRODUCT % {"value": "ZF-404"}
    assert problems[4] == NOT_POSITIVE % {"column": "数量"}
    assert problems[5].startswith("业主电话")
    assert problems[6] == NOT_DATE % {"column": "预计送货日期", "value": "下周"}
    assert problems[7] == DIFFERS % {"column": "业主电话", "first": 2, "value": "13700137000"}
    assert problems[8] == str(BAD_FLOOR)
    assert sorted(message for r, message in refused.value.problems if r == 9) == sorted(
        [REQUIRED % {"column": "订单参考号"}, UNKNOWN_DEALER % {"value": "无名经销商"}]
    )
    assert 2 not in problems
    assert refused.value.messages[0] == f"第3行：{problems[3]}"
    assert not Order.objects.exists()
    assert not Customer.objects.filter(kind=CustomerKind.HOMEOWNER).exists()


def test_numbers_the_order_cannot_keep_are_named(shop):
    content = workbook(row("A1", quantity="1e400"), row("A2", quantity="1.2345"),
                       row("A3", 业主价="12.345"), row("A4", quantity="∞"))  # fmt: skip
    with pytest.raises(ImportProblems) as refused:
        imported(content)
    assert refused.value.problems == [
        (2, TOO_LARGE % {"column": "数量", "value": "1e400"}),
        (3, TOO_PRECISE % {"column": "数量", "places": 3}),
        (4, TOO_PRECISE % {"column": "业主价", "places": 2}),
        (5, NOT_NUMBER % {"column": "数量", "value": "∞"}),
    ]


def test_a_good_file_with_one_order_the_service_refuses_imports_nothing(shop):
    """Mixed: the rows read well, but a product has no dealer price (O-9); the whole file is
    refused at that line's row and the good orders are not kept either."""
    listed_product("10", sku="UNPRICED")
    from gendan.catalog.models import PriceListItem

    PriceListItem.objects.filter(product__sku="UNPRICED").delete()
    content = workbook(row("A1"), row("B1", "UNPRICED"), row("C1", "JX-1"))
    with pytest.raises(ImportProblems) as refused:
        imported(content)
    assert [r for r, _message in refused.value.problems] == [3]
    assert not Order.objects.exists()
    assert not Customer.objects.filter(kind=CustomerKind.HOMEOWNER).exists()


def test_a_file_without_the_columns_or_not_a_workbook_is_refused(shop):
    with pytest.raises(ImportProblems) as refused:
        imported(workbook(["货号", "数量"], header=["订单参考号", "货号"]))
    assert refused.value.problems[0][0] == 1
    assert refused.value.problems[0][1].startswith(str(MISSING_COLUMNS).split("%")[0])
    with pytest.raises(ValidationError) as refused:
        imported(b"event,time\norder_paid,2026-01-01\n")
    assert refused.value.messages == [str(NOT_XLSX)]


def test_a_dealers_user_imports_for_its_own_dealer(shop):
    dealer = shop[0]
    own = staff(Role.DEALER, "dealer-user", partner=dealer)
    orders = imported(workbook(row("A1", 经销商="")), actor=own)
    assert orders[0].customer == dealer and orders[0].lines.get().unit_price == Decimal("95")


def supermarket_head(**changes):
    head = {
        "门店": "百安居番禺店", "单据类型": "特殊订单", "单号": "TS-0099", "顾客姓名": "陈女士",
        "顾客电话": "13900139000", "省": "广东省", "市": "广州市", "详细地址": "繁华路12号",
        "楼层": 15, "需要安装": "否", "付款条件": "按合同或长期合作协议",
    }  # fmt: skip
    return head | changes


@pytest.fixture
def supermarket(shop):
    market = CustomerFactory(kind=CustomerKind.SUPERMARKET, name="百安居")
    market.stores.create(name="百安居番禺店", province="广东省", city="广州市", street="1号")
    return market


def test_a_supermarket_special_order_becomes_one_order_of_that_supermarket(supermarket):
    lines = [["ZF-1", "碳化平压竹地板", "T-601", 30, "平方米", 88, 2640],
             ["JX-1", "踢脚线", "", 20, "米", 15, 300]]  # fmt: skip
    (order,) = imported(supermarket_workbook(supermarket_head(), lines), Layout.SUPERMARKET)
    assert order.customer == supermarket and order.is_special
    assert order.end_customer.name == "陈女士" and order.route == "supermarket"
    assert [line.unit_price for line in order.lines.all()] == [Decimal("88"), Decimal("15")]
    assert "特殊订单 TS-0099" in order.other_requests


def test_a_bad_supermarket_quote_names_its_rows(supermarket):
    lines = [["ZF-1", "", "", "三十", "", "", ""], ["ZF-404", "", "", 2, "", "", ""]]
    content = supermarket_workbook(supermarket_head(门店="百安居天河店"), lines)
    with pytest.raises(ImportProblems) as refused:
        imported(content, Layout.SUPERMARKET)
    problems = refused.value.problems
    assert (2, UNKNOWN_SUPERMARKET % {"value": "百安居天河店"}) in problems  # 门店 is on row 2
    assert [r for r, _m in problems[1:]] == [12, 13]
    assert not Order.objects.exists()


# The worker closes its database connection between tasks, as a worker should: the test's
# data must be committed for it, not held in a transaction the close would end.
@pytest.mark.django_db(transaction=True)
def test_the_import_runs_in_the_task_worker_and_the_page_follows_it(client, shop):
    client.force_login(staff(Role.CLERK))
    upload = io.BytesIO(workbook(row("A1"), row("B1")))
    upload.name = "十二月订单.xlsx"
    response = client.post(reverse("order-import"), {"layout": "dealer_template", "file": upload})
    job = OrderImport.objects.get()
    assert response.url == reverse("order-import-detail", args=[job.pk])
    assert job.status == OrderImport.Status.QUEUED
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 1s"' in page
    # the worker takes it
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    job.refresh_from_db()
    assert job.status == OrderImport.Status.DONE and job.rows_checked == job.rows_total == 2
    assert job.orders == list(Order.objects.order_by("number").values_list("number", flat=True))
    polled = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in polled and job.orders[0] in polled


def test_a_lines_refusal_by_the_order_is_named_on_that_lines_row(shop):
    content = workbook(row("A1"), row("A1", 色号="T" * 25))
    with pytest.raises(ImportProblems) as refused:
        imported(content)
    assert [r for r, _message in refused.value.problems] == [3]
    assert refused.value.problems[0][1].startswith("色号: ")


def test_a_supermarkets_promoter_imports_for_its_own_stores_only(supermarket):
    other = CustomerFactory(kind=CustomerKind.SUPERMARKET, name="华美乐")
    promoter = staff(Role.PROMOTER, "promoter-other", partner=other)
    lines = [["ZF-1", "", "", 3, "", "", ""]]
    with pytest.raises(ImportProblems) as refused:
        imported(supermarket_workbook(supermarket_head(), lines), Layout.SUPERMARKET, promoter)
    assert refused.value.problems == [(2, UNKNOWN_SUPERMARKET % {"value": "百安居番禺店"})]
    assert not Order.objects.exists()


def test_the_quote_names_the_row_of_a_bad_label(supermarket):
    lines = [["ZF-1", "", "", 3, "", "", ""]]
    content = supermarket_workbook(supermarket_head(顾客电话="12345"), lines)
    with pytest.raises(ImportProblems) as refused:
        imported(content, Layout.SUPERMARKET)
    assert [r for r, _message in refused.value.problems] == [4]  # 顾客电话 is on row 4
