"""Every paper of the handbook, for every route that makes it (O-8 to O-12, O-32, O-33, O-60),
read back from the PDF."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.accounts.roles import Role
from gendan.documents.content import amount_in_capitals
from gendan.documents.models import Document, DocumentKind, Paper
from gendan.documents.selectors import order_document_kinds
from gendan.documents.services import NO_END_PRICE, NOT_FOR_THIS_ORDER, NOT_YET, document_issue
from gendan.documents.tests.helpers import needs_poppler, pdf_pages, pdf_text, walked_to
from gendan.orders.models import PaymentTerms
from gendan.orders.routes import ROUTES
from gendan.orders.services.steps import order_step_complete
from gendan.orders.tests.helpers import scenario, staff

pytestmark = [pytest.mark.django_db, needs_poppler]
K = DocumentKind
CONTRACT = PaymentTerms.CONTRACT
TITLES = {
    K.ORDER_FORM: "销售（订货）单", K.MEASUREMENT_NOTICE: "测量通知单",
    K.DISPATCH_ADVICE: "发货通知单", K.DELIVERY_NOTE: "销售送货单", K.PROFIT_NOTE: "利润单",
    K.HANDOVER_SHEET: "售后交接表", K.WARRANTY_CARD: "工程验收单-保修卡",
}  # fmt: skip
PRICED = {K.ORDER_FORM, K.DISPATCH_ADVICE, K.DELIVERY_NOTE, K.PROFIT_NOTE}
INSTALLING = [K.MEASUREMENT_NOTICE, K.DISPATCH_ADVICE, K.DELIVERY_NOTE]
ROUTE_PAPERS = [
    # (route, order, the papers it makes)
    ("supermarket", dict(channel="supermarket", terms=CONTRACT),
     [K.ORDER_FORM, K.DISPATCH_ADVICE, K.DELIVERY_NOTE]),
    ("supermarket_install", dict(channel="supermarket", install=True, terms=CONTRACT),
     [K.ORDER_FORM, *INSTALLING, K.HANDOVER_SHEET, K.WARRANTY_CARD]),
    ("dealer", dict(channel="dealer"), [K.ORDER_FORM, K.DELIVERY_NOTE]),
    ("dealer_install", dict(channel="dealer", install=True, end_price=Decimal("138.50")),
     [K.ORDER_FORM, *INSTALLING, K.PROFIT_NOTE, K.HANDOVER_SHEET, K.WARRANTY_CARD]),
    ("project_install", dict(channel="project", install=True, terms=CONTRACT),
     [K.ORDER_FORM, K.DISPATCH_ADVICE, K.DELIVERY_NOTE, K.HANDOVER_SHEET, K.WARRANTY_CARD]),
    ("project", dict(channel="project", terms=CONTRACT),
     [K.ORDER_FORM, K.DISPATCH_ADVICE, K.DELIVERY_NOTE]),
]  # fmt: skip


def printed(document: Document, paper: str = Paper.A4) -> bytes:
    return bytes(document.files.get(paper=paper).pdf)


def issued(order, kind, role=Role.CLERK) -> Document:
    return document_issue(actor=staff(role), order=order, kind=kind)


@pytest.mark.parametrize(
    ("route", "case", "papers"), ROUTE_PAPERS, ids=[r[0] for r in ROUTE_PAPERS]
)
def test_o8_each_route_prints_each_of_its_papers_with_the_orders_data(route, case, papers):
    """O-8: the papers of each route, each a PDF in Chinese with the company, the customer,
    the lines and, where priced, the total in figures and in capitals."""
    order = walked_to(scenario(**case), "close")
    assert order.route == route
    assert order_document_kinds(order) == papers
    for kind in papers:
        document = issued(order, kind)
        text = pdf_text(printed(document))
        assert TITLES[kind] in text, kind
        assert document.number in text and "广州竹韵地板有限公司" in text
        assert order.customer.name in text and "碳化平压竹地板" in text
        assert order.full_address in text
        if kind in PRICED:
            total = document.content["lines"]["total"]
            assert total in text and amount_in_capitals(Decimal(total.replace(",", ""))) in text


def test_o10_a_delivery_note_prints_four_copies_marked_with_colour_and_destination():
    """O-10: white (stub, clerk), blue (customer), red (finance, settlement), yellow
    (warehouse); on A4 and on the 241 × 140 mm continuous form alike."""
    order = walked_to(scenario("dealer"), "receive_payment")
    document = issued(order, K.DELIVERY_NOTE)
    for paper in (Paper.A4, Paper.FORM):
        pages = pdf_pages(printed(document, paper))
        assert len(pages) == 4
        expected = [
            ("第1联", "白联（存根联）", "文员留存"), ("第2联", "蓝联（顾客联）", "交客户"),
            ("第3联", "红联（结算联）", "交财务结算"), ("第4联", "黄联（仓库联）", "仓库留存"),
        ]  # fmt: skip
        for page, marks in zip(pages, expected, strict=True):
            assert all(mark in page for mark in marks), (paper, marks)
            assert "作废" not in page and "成本单" not in page


def test_o11_the_cost_note_stays_inside_and_its_yellow_copy_is_void():
    """O-11: beside a profit note, the cost note's white stays with the clerk, red with
    finance, blue goes to the dealer at settlement, and yellow is void."""
    order = walked_to(scenario("dealer", install=True, end_price=Decimal("150")), "receive_payment")
    pages = pdf_pages(printed(issued(order, K.DELIVERY_NOTE)))
    assert all("成本单" in page for page in pages)
    assert "文员留存" in pages[0] and "结算时交经销商" in pages[1] and "财务留存" in pages[2]
    assert "作废" in pages[3] and "本联不交仓库" in pages[3]
    assert not any("作废" in page for page in pages[:3])


def test_o11_the_profit_note_travels_and_the_clerk_keeps_none_of_it():
    """O-11: the profit note, at the dealer's price to the homeowner: yellow to the warehouse,
    blue to the homeowner, red and white to finance (white to the dealer after settlement)."""
    order = walked_to(scenario("dealer", install=True, end_price=Decimal("150")), "receive_payment")
    document = issued(order, K.PROFIT_NOTE)
    pages = pdf_pages(printed(document))
    assert "与经销商结算后交经销商" in pages[0] and "交业主" in pages[1]
    assert "交财务" in pages[2] and "仓库留存" in pages[3]
    assert not any("文员留存" in page or "作废" in page for page in pages)
    # 10 m² at the dealer's 150.00, not the cost note's 100.00
    assert document.content["lines"]["rows"][0][-2:] == ["150.00", "1,500.00"]
    assert "壹仟伍佰元整" in pages[0]


def test_o11_no_profit_note_without_the_dealers_price_or_without_a_dealer():
    """O-11: the profit note needs the dealer's price to the homeowner on every line, and
    exists only for a dealer's end customer."""
    order = walked_to(scenario("dealer", install=True), "receive_payment")
    with pytest.raises(ValidationError) as refused:
        issued(order, K.PROFIT_NOTE)
    assert refused.value.messages == [str(NO_END_PRICE % {"position": 1})]
    retail = walked_to(scenario("retail", install=True), "receive_payment")
    assert K.PROFIT_NOTE not in order_document_kinds(retail)
    with pytest.raises(ValidationError) as refused:
        issued(retail, K.PROFIT_NOTE)
    assert refused.value.messages == [str(NOT_FOR_THIS_ORDER % {"document": K.PROFIT_NOTE.label})]


def test_o9_the_delivery_note_is_priced_as_the_order_is():
    """O-9: the delivery note shows the order's prices (the dealer's settlement price here)."""
    order = walked_to(scenario("dealer", install=True, end_price=Decimal("150")), "receive_payment")
    rows = issued(order, K.DELIVERY_NOTE).content["lines"]["rows"]
    line = order.lines.get()
    assert rows[0][-2:] == [f"{line.unit_price:,.2f}", f"{line.amount:,.2f}"]


def test_o12_the_dispatch_advice_is_written_from_the_order_and_the_measurement():
    """O-12: the dispatch advice carries the lines of the order and what was measured."""
    order = walked_to(scenario("dealer", install=True), "delivery_note")
    text = pdf_text(printed(issued(order, K.DISPATCH_ADVICE)))
    assert "发货通知单" in text and "实际面积" in text and "45.00" in text
    assert "碳化平压竹地板" in text


def test_o32_o33_the_measurement_notice_has_the_clerks_part_and_services_part():
    """O-32: customer, address, phone, house, booked times, products, other requests; O-33:
    areas, skirting, edge trim, clips, directions, agreed times, requirements; a sketch box."""
    order = walked_to(scenario("dealer", install=True, other_requests="上午送货"), "measure")
    before = pdf_text(printed(issued(order, K.MEASUREMENT_NOTICE)))
    for field in ("文员填写", "房屋情况", "送货", "安装", "售后测量填写", "实际面积",
                  "含损耗面积", "脚线", "收口条", "卡扣安装", "交通路线", "约定的送货时间",
                  "安装要求", "现场草图",
                  "上午送货", order.contact_phone):  # fmt: skip
        assert field in before, field
    assert "45.00" not in before  # nothing measured yet
    order = walked_to(order, "return_measurement")
    document = issued(order, K.MEASUREMENT_NOTICE)
    assert document.version == 2 and "45.00" in pdf_text(printed(document))


def test_o60_the_handover_sheet_goes_with_installation_only():
    """O-60: a handover sheet goes with the delivery note when there is installation, with
    room for the installer to fill in after the job."""
    order = walked_to(scenario("supermarket", install=True, terms=CONTRACT), "finance_review")
    text = pdf_text(printed(issued(order, K.HANDOVER_SHEET)))
    assert "售后交接表" in text and "安装结束后由安装工填写" in text and "交司机（仓库）" in text
    plain = walked_to(scenario("supermarket", terms=CONTRACT), "finance_review")
    assert K.HANDOVER_SHEET not in order_document_kinds(plain)


def test_the_warranty_card_carries_the_customer_record_stub():
    """The acceptance & warranty card: the customer keeps the card, the company the signed
    customer record stub."""
    order = walked_to(scenario("dealer", install=True, end_price=Decimal("150")), "close")
    text = pdf_text(printed(issued(order, K.WARRANTY_CARD, Role.SERVICE)))
    assert "工程验收单-保修卡" in text and "客户档案" in text and "客户签字" in text
    assert "沿此线剪开" in text and "验收结果" in text


def test_signatures_given_show_name_and_time_and_those_due_are_empty_boxes():
    """Each paper shows the signatures of the step log (name and time) and an empty box for
    each still due; a step skipped has no box."""
    order = walked_to(scenario("dealer"), "finance_review")
    boxes = {box["label"]: box for box in issued(order, K.DELIVERY_NOTE).content["signatures"]}
    made = order.step_log.get(step="delivery_note")
    assert boxes["制单（文员）"]["name"] == made.actor.display_name
    assert boxes["制单（文员）"]["at"].startswith(f"{made.at.astimezone():%Y-}")
    assert boxes["财务"] == {"label": "财务", "name": "", "at": ""}
    assert boxes["收货人签收（客户）"]["name"] == ""
    assert "业务主管" not in boxes  # skipped: nothing unusual (O-13)


def test_a_paper_is_issued_only_once_the_order_reaches_the_step_that_makes_it():
    """Nobody prints a delivery note before it is made, nor a role that does not issue it."""
    order = walked_to(scenario("dealer"), "verify")
    with pytest.raises(ValidationError) as refused:
        issued(order, K.DELIVERY_NOTE)
    step = ROUTES["dealer"].step("delivery_note").label
    assert refused.value.messages == [NOT_YET % {"document": K.DELIVERY_NOTE.label, "step": step}]
    assert not Document.objects.exists()
    with pytest.raises(PermissionDenied):
        issued(walked_to(order, "finance_review"), K.DELIVERY_NOTE, Role.DRIVER)


def test_o33_service_fills_its_part_of_the_measurement_notice_on_site():
    """O-33: what service records on site (actual area and area incl. waste, clip installation,
    the delivery and install times agreed with the customer) is printed in its part."""
    order = walked_to(scenario("dealer", install=True), "measure")
    record = {
        "measured_on": "2026-11-24", "area": "42.50", "area_with_waste": "45.10", "clip": True,
        "delivery_on": "2026-12-03", "directions": "地铁3号线A出口",
    }  # fmt: skip
    order = order_step_complete(actor=staff(Role.SERVICE), order=order, step="measure", data=record)
    text = pdf_text(printed(issued(order, K.MEASUREMENT_NOTICE)))
    for value in ("42.50", "45.10", "2026-12-03", "地铁3号线A出口"):
        assert value in text, value
    assert "卡扣安装" in text and "是" in text.split("卡扣安装", 1)[1][:40]
