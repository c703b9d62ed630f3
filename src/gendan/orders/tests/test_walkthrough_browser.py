"""Issue 12, the walk-through: one dealer order with installation (O-27) from intake to close,
through the pages only, each role in its own browser (the dealer, the driver and the installer
on a 390 px phone), with a screenshot per step (docs/walkthrough/README.md lists them)."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.documents.models import DocumentKind
from gendan.orders.audit_events import DEALER_PROFIT_CREDITED, RECEIPT
from gendan.orders.guards import CHECKS_OPEN
from gendan.orders.models import Order
from gendan.orders.records import RecordField
from gendan.orders.routes import ROUTES
from gendan.orders.services.verification import FEE_NOT_RECORDED
from gendan.orders.tests.helpers import listed_product
from gendan.parties.tests.factories import AddressFactory, DealerFactory, HomeownerFactory
from gendan.testing import browser_log_in, in_chinese

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROUTE = ROUTES["dealer_install"]
# Under var/ (ignored) so that a test run leaves the checkout as it was; the copies kept in
# docs/walkthrough/ are written with GENDAN_SCREENSHOT_DIR=docs/walkthrough.
SHOTS = Path(
    os.environ.get("GENDAN_SCREENSHOT_DIR")
    or Path(__file__).resolve().parents[4] / "var" / "screenshots" / "walkthrough"
)
DESKTOP = {"viewport": {"width": 1100, "height": 760}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
# Two lines, each with the dealer's price to its homeowner (the profit note, O-11).
COST_TOTAL, PROFIT_NOTE_TOTAL, PROFIT = "3050.00", "4180.00", "1130.00"
INSTALL_FEE = "800.00"
# Days from today: the dates the clerk expects, then those agreed at the measurement (O-33).
EXPECTED_DELIVERY, AGREED_DELIVERY, EXPECTED_INSTALL, AGREED_INSTALL = 7, 8, 9, 10
DIRECTIONS = "大良街道1号碧桂园3栋，东门进"
PEOPLE = {
    Role.CLERK: "林文员", Role.SERVICE: "周售后", Role.FINANCE: "王会计",
    Role.WAREHOUSE: "李库管", Role.DRIVER: "王师傅", Role.INSTALLER: "赵师傅",
}  # fmt: skip


def money(amount: str) -> re.Pattern[str]:
    """An amount as a page may show it, with or without thousands separators."""
    whole, cents = amount.split(".")
    grouped = re.sub(r"\B(?=(\d{3})+$)", ",?", whole)
    return re.compile(rf"(?<![\d,]){grouped}\.{cents}")


def step_label(code: str) -> str:
    return in_chinese(ROUTE.step(code).label)


def shot(page: Any, name: str) -> None:
    """The viewport on a desktop, the whole page on a phone; in 128 colours (a third of the
    bytes, the text as sharp)."""
    phone = page.viewport_size["width"] < 500
    taken = Image.open(io.BytesIO(page.screenshot(full_page=phone))).convert("RGB")
    taken.quantize(colors=128).save(SHOTS / f"{name}.png", optimize=True)


def sign(page: Any, code: str, shot_as: str = "", **record: object) -> list[str]:
    """Fill the step's record by its labels, press "签字：<step>", confirm in the dialog (its
    screenshot ``shot_as``); the messages the next page shows."""
    for name, value in record.items():
        field, box = record_box(page, code, name)
        if field.kind in ("bool", "confirm"):
            box.set_checked(bool(value))
        elif field.kind == "choice":
            box.select_option(str(value))
        else:
            box.fill(str(value))
    button = f"签字：{step_label(code)}"
    page.get_by_role("button", name=button, exact=True).click()
    dialog = page.get_by_role("dialog", name=f"确认签字“{step_label(code)}”？")
    if shot_as:
        shot(page, shot_as)
    with page.expect_navigation():
        dialog.get_by_role("button", name=button).click()
    return page.locator("p.message").all_inner_texts()


def record_box(page: Any, code: str, name: str) -> tuple[RecordField, Any]:
    """A field of the step's record, found by its label as the page shows it."""
    field = next(field for field in ROUTE.step(code).record if field.name == name)
    return field, page.locator("form.sign").get_by_label(in_chinese(field.label))


def prefilled(page: Any, code: str, name: str) -> str:
    """What the step's form already holds in a field, before anything is typed (issue 12,
    point 3: what is known is filled in)."""
    return record_box(page, code, name)[1].input_value()


def on(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def signed(page: Any, code: str, shot_as: str = "", **record: object) -> None:
    """Sign, and see it signed and the order moved on."""
    shown = sign(page, code, shot_as, **record)
    assert f"已签字：{step_label(code)}。" in shown, shown
    assert step_label(code) not in current_step(page)


def current_step(page: Any) -> str:
    current = page.locator("li.route-step[aria-current=step]")
    return current.inner_text() if current.count() else "（已销单）"


def receipt(page: Any, *, amount: str = "", install_fee: bool = False) -> None:
    form = page.locator("form[action$='/receipts/']")
    if amount:
        form.locator("[name=amount]").fill(amount)
    form.locator("[name=method]").select_option("cash")
    form.locator("[name=is_install_fee]").set_checked(install_fee)
    form.get_by_role("button").click()
    page.wait_for_load_state()
    assert "收款已登记。" in page.locator("p.message").all_inner_texts()


def printed(page: Any, kind: str) -> None:
    """Print a paper on A4: a PDF comes down, and its link stays in the documents table."""
    button = page.locator(f"button[data-document={kind}]")
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.endswith("-a4.pdf")
    page.reload()
    label = in_chinese(DocumentKind(kind).label)
    row = page.locator("#documents ~ .table-wrap tr", has_text=label)
    assert row.get_by_role("link", name="A4").count() == 1


@pytest.fixture
def open_as(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """A new browser for a user, signed in through the login page; closed after the test."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    contexts = []

    def open_for(username: str, *, phone: bool = False) -> Any:
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", **(PHONE if phone else DESKTOP)
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        browser_log_in(page, username)
        return page

    yield open_for
    for context in contexts:
        context.close()


def test_a_dealer_order_with_installation_walks_from_intake_to_close_through_the_pages(
    open_as, roles
):
    """O-27: each role signs its step on its own page; the dealer approves, the driver
    delivers and the installer installs on a phone."""
    # given a dealer with its homeowner, two listed products, and one user per role
    dealer = DealerFactory(name="顺德竹韵经销部", city="佛山市")
    homeowner = HomeownerFactory(name="陈业主", via=dealer, mobile="13912345678")
    AddressFactory(
        customer=homeowner, province="广东省", city="佛山市", district="顺德区",
        street="大良街道1号", building="碧桂园3栋", floor=5,
    )  # fmt: skip
    listed_product("95", sku="ZF-777", name="碳化平压竹地板")
    listed_product("20", sku="TJ-20", name="竹踢脚线")
    for role, name in PEOPLE.items():
        UserFactory(username=str(role), name=name, roles=[role])
    UserFactory(username="dealer", name="李店长", roles=[Role.DEALER], partner=dealer)

    # when each role does its part on its own pages
    clerk = open_as("clerk")
    order = clerk_registers(clerk)
    path = f"/orders/{order.pk}/"
    clerk_verifies_and_issues_the_measurement_notice(clerk)
    service_measures(open_as("service"), path)
    clerk_makes_and_sends_the_notes(clerk, path)
    dealer_approves_on_a_phone(open_as("dealer", phone=True), path)
    finance = open_as("finance")
    finance.goto(path)
    signed(finance, "finance_review", "11-finance-review")
    warehouse = open_as("warehouse")
    warehouse.goto(path)
    signed(warehouse, "ship", "12-warehouse-ship", signed_out_by="司机 王师傅")
    driver_delivers_on_a_phone(open_as("driver", phone=True), path)
    finance_records_the_goods_payment(finance, path)
    installer_installs_on_a_phone(open_as("installer", phone=True), path)
    service_accepts_and_collects_the_fee(open_as("service"), path)
    finance_takes_the_fee_and_closes(finance, path)

    # then the order is closed, every step signed by its role
    order.refresh_from_db()
    assert order.step == "closed"
    signers = dict(order.step_log.filter(outcome="done").values_list("step", "actor__username"))
    assert signers["dealer_approve"] == "dealer" and signers["deliver"] == "driver"
    assert signers["install"] == "installer" and signers["close"] == "finance"


def clerk_registers(clerk: Any) -> Order:
    """The clerk finds the dealer and its homeowner by typing, and registers two lines, each
    with the dealer's price to the homeowner, paid on delivery."""
    clerk.goto("/orders/new/")
    clerk.locator("#id_customer-ts-control").press_sequentially("顺德竹韵")
    clerk.click("#id_customer-ts-dropdown .option:has-text('顺德竹韵经销部')")
    clerk.locator("#id_end_customer-ts-control").press_sequentially("5678")
    clerk.locator("#id_end_customer-ts-dropdown .option").first.wait_for()
    shot(clerk, "01-clerk-customer-search")
    clerk.click("#id_end_customer-ts-dropdown .option:has-text('陈业主')")
    clerk.wait_for_function("() => document.querySelector('input[name=street]').value !== ''")
    clerk.check("input[name=needs_installation]")
    clerk.select_option("select[name=payment_method]", "cash")
    clerk.select_option("select[name=payment_terms]", "on_delivery")
    clerk.fill("input[name=expected_delivery_on]", on(EXPECTED_DELIVERY))
    clerk.fill("input[name=expected_install_on]", on(EXPECTED_INSTALL))
    for row, (product, quantity, price, end_price) in enumerate(
        [("ZF-777 碳化平压竹地板", "30", "95", "130"), ("TJ-20 竹踢脚线", "10", "20", "28")]
    ):
        clerk.select_option(f"select[name=lines-{row}-product]", label=product)
        clerk.fill(f"input[name=lines-{row}-quantity]", quantity)
        clerk.fill(f"input[name=lines-{row}-unit_price]", price)
        clerk.fill(f"input[name=lines-{row}-end_price]", end_price)
    register = clerk.get_by_role("button", name="登记", exact=True)
    register.scroll_into_view_if_needed()
    shot(clerk, "02-clerk-register-lines")
    register.click()
    clerk.wait_for_load_state()
    order = Order.objects.get(customer__name="顺德竹韵经销部")
    assert f"订单 {order.number} 已登记。" in clerk.locator("p.message").all_inner_texts()
    assert order.route == "dealer_install" and step_label("verify") in current_step(clerk)
    return order


def clerk_verifies_and_issues_the_measurement_notice(clerk: Any) -> None:
    """O-3: the clerk tells the dealer the order arrived; O-5: signing without the checks is
    refused and says what is open; ticked, it signs."""
    clerk.fill("input[name=confirmed_to]", "经销商 顺德竹韵 李店长")
    clerk.get_by_role("button", name="登记接单回复（O-3）").click()
    clerk.wait_for_load_state()
    assert "经销商 顺德竹韵 李店长" in clerk.locator("main").inner_text()

    refused = sign(clerk, "verify")
    opening = in_chinese(CHECKS_OPEN).split("%(items)s")[0]
    assert any(text.startswith(opening) for text in refused), refused
    assert step_label("verify") in current_step(clerk)
    shot(clerk, "03-clerk-verify-refused")
    for box in clerk.locator("fieldset.checks input[type=checkbox]").all():
        box.check()
    signed(clerk, "verify", "04-clerk-verify")
    signed(clerk, "measurement_notice", "05-clerk-measurement-notice", house="毛坯房，电梯可用")


def service_measures(service: Any, path: str) -> None:
    """Service measures on site and agrees the delivery a day later than expected, then the
    fee and the installation a day later; the forms start from what the order expected."""
    service.goto(path)
    assert step_label("measure") in current_step(service)
    assert prefilled(service, "measure", "delivery_on") == on(EXPECTED_DELIVERY)
    signed(
        service, "measure", "06-service-measure", measured_on=on(0), area="30.00",
        area_with_waste="31.50", skirting="竹踢脚线 TJ-20 10根", clip=True,
        directions=DIRECTIONS, delivery_on=on(AGREED_DELIVERY), requirements="先铺卧室",
    )  # fmt: skip
    assert prefilled(service, "agree_install", "install_on") == on(EXPECTED_INSTALL)
    signed(
        service, "agree_install", "07-service-agree-install", install_fee=INSTALL_FEE,
        install_on=on(AGREED_INSTALL),
    )  # fmt: skip
    signed(service, "return_measurement")


def clerk_makes_and_sends_the_notes(clerk: Any, path: str) -> None:
    """The clerk books the delivery for the day agreed at the measurement (O-41), prints the
    cost note and the profit note, sends the profit note to the dealer (the supervisor's
    review is skipped: nothing unusual)."""
    clerk.goto(path)
    assert prefilled(clerk, "delivery_note", "delivery_booked_for") == on(AGREED_DELIVERY)
    assert prefilled(clerk, "delivery_note", "booked_with") == "陈业主"
    signed(clerk, "delivery_note", "08-clerk-cost-and-profit-notes", payment_reconfirmed=True)
    assert step_label("send_profit_note") in current_step(clerk)
    skipped = clerk.locator("li.route-step.skipped", has_text=step_label("supervisor_review"))
    assert "O-13" in skipped.inner_text()
    printed(clerk, DocumentKind.DELIVERY_NOTE)
    printed(clerk, DocumentKind.PROFIT_NOTE)
    clerk.locator("#documents").scroll_into_view_if_needed()
    shot(clerk, "09-clerk-notes-printed")
    signed(clerk, "send_profit_note")


def dealer_approves_on_a_phone(dealer: Any, path: str) -> None:
    """O-11: the dealer judges the profit note on a phone: its PDF, its lines at the prices
    to the homeowner, its total and the dealer's profit; it may send it back, and approves.
    The VP's approval (not special) and the payment before dispatch (paid on delivery) skip."""
    dealer.goto(path)
    assert step_label("dealer_approve") in current_step(dealer)
    note = dealer.locator("section.profit-note")
    assert note.locator("a[href]", has_text="PDF").count() == 1
    lines = note.locator("ul.note-lines li").all_inner_texts()
    assert [money(price).search(line) is not None for line, price in zip(
        lines, ["3900.00", "280.00"], strict=True)] == [True, True], lines  # fmt: skip
    assert money(PROFIT_NOTE_TOTAL).search(note.locator("[data-profit-note-total]").inner_text())
    assert money(PROFIT).search(note.locator("[data-dealer-profit]").inner_text())
    assert dealer.locator("form.send-back button").is_visible()
    shot(dealer, "10-dealer-approve")
    signed(dealer, "dealer_approve")
    assert step_label("finance_review") in current_step(dealer)


def driver_delivers_on_a_phone(driver: Any, path: str) -> None:
    """O-11, O-51: the driver collects the profit note's amount, said beside the sign button
    (never the cost note's, never a word of the dealer's profit), and sees the measurement's
    directions first."""
    driver.goto(path)
    assert step_label("deliver") in current_step(driver)
    to_collect = driver.locator("article.action p.to-collect").inner_text()
    assert money(PROFIT_NOTE_TOTAL).search(to_collect), to_collect
    page = driver.locator("main").inner_text()
    assert not money(COST_TOTAL).search(page) and not money(PROFIT).search(page)
    assert DIRECTIONS in driver.locator("#measurement").inner_text()
    assert prefilled(driver, "deliver", "received_by") == "陈业主"
    shot(driver, "13-driver-deliver")
    signed(driver, "deliver")


def finance_records_the_goods_payment(finance: Any, path: str) -> None:
    """The homeowner's payment, at the amount the page proposes: the profit note's."""
    finance.goto(path)
    proposed = finance.locator("form[action$='/receipts/'] [name=amount]").input_value()
    assert money(PROFIT_NOTE_TOTAL).search(proposed), proposed
    receipt(finance)
    signed(finance, "goods_paid", "14-finance-goods-paid")


def installer_installs_on_a_phone(installer: Any, path: str) -> None:
    """The installer sees the measurement first; the date agreed with the homeowner is in."""
    installer.goto(path)
    assert step_label("install") in current_step(installer)
    measurement = installer.locator("#measurement").inner_text()
    assert "31.50" in measurement and DIRECTIONS in measurement and "先铺卧室" in measurement
    assert prefilled(installer, "install", "installed_on") == on(AGREED_INSTALL)
    shot(installer, "15-installer-install")
    signed(installer, "install", result="铺设完成")


def service_accepts_and_collects_the_fee(service: Any, path: str) -> None:
    """O-39: service records the fee it collected with how it was paid, or is refused."""
    service.goto(path)
    signed(service, "acceptance", "16-service-acceptance", accepted_by="陈业主", result="合格")
    signed(service, "warranty_card", signed_by="陈业主")
    assert prefilled(service, "install_fee_collected", "amount") == INSTALL_FEE
    refused = sign(service, "install_fee_collected")
    assert in_chinese(FEE_NOT_RECORDED) in refused, refused
    shot(service, "17-service-fee-refused")
    signed(service, "install_fee_collected", "18-service-fee-collected", method="cash")


def finance_takes_the_fee_and_closes(finance: Any, path: str) -> None:
    """Finance takes the fee service collected, and closes: the dealer's profit is on its
    statement since the homeowner paid (O-54)."""
    finance.goto(path)
    signed(finance, "install_fee_to_finance")
    signed(finance, "close")
    assert "已销单" in finance.locator("main").inner_text()
    shot(finance, "19-finance-closed")
    # the history reads as words: the receipts, and the dealer's profit credited (O-54)
    history = finance.locator("details.audit")
    history.locator(":scope > summary").click()
    text = history.inner_text()
    for action in (RECEIPT, DEALER_PROFIT_CREDITED):
        assert in_chinese(action.label) in text and action.code not in text, action.code
    history.scroll_into_view_if_needed()
    shot(finance, "20-finance-history")
