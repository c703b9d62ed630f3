"""What the step needs is on the page (issue 12, point 3): the measurement, shown to all who
see the order and first to the driver and the installer; and what is already known starts
each sign form, so nothing is typed twice."""

from __future__ import annotations

import datetime as dt
import html
from decimal import Decimal

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.orders.services.steps import order_step_complete
from gendan.orders.tests.helpers import DAY, staff
from gendan.orders.tests.test_guards import advance_to, dealer_order

pytestmark = pytest.mark.django_db
MEASURED = {
    "measured_on": "2026-11-24", "area": "45.5", "area_with_waste": "48.2",
    "skirting": "实木踢脚线 TJX-80 80mm 52米", "edge_trim": "", "clip": True,
    "directions": "地铁3号线岗顶站B口，小区东门", "delivery_on": "2026-12-02",
    "requirements": "客厅斜铺",
}  # fmt: skip
AGREED = {"install_fee": "1200", "install_on": "2026-12-04"}


def measured(order, measure=MEASURED, agree=AGREED):
    """Service's measurement and installation agreement, signed as recorded on site."""
    service = staff(Role.SERVICE)
    order = advance_to(order, "measure")
    order = order_step_complete(actor=service, order=order, step="measure", data=measure)
    return order_step_complete(actor=service, order=order, step="agree_install", data=agree)


def installed_order(**fields):
    """A dealer's homeowner's order the company delivers and installs (O-27)."""
    return dealer_order(needs_installation=True, end_price=Decimal("130"), **fields)


def sign_form(client, order, role):
    """The record form of the order's current step, as its signer's page builds it."""
    client.force_login(staff(role))
    return client.get(reverse("order-detail", args=[order.pk])).context["record_form"]


def page_text(client, order, role) -> str:
    client.force_login(staff(role))
    page = client.get(reverse("order-detail", args=[order.pk])).content.decode()
    return " ".join(html.unescape(page).split())


def test_o33_the_measurement_is_on_the_order_page_in_words(client, roles):
    """O-33: what service recorded, labelled as the step declares it, in human values."""
    # given
    order = measured(installed_order())

    # when
    page = page_text(client, order, Role.CLERK)

    # then
    assert "<dt>实际面积（平方米）</dt><dd>45.50</dd>" in page
    assert "<dt>卡扣安装</dt><dd>是</dd>" in page
    assert "<dd>实木踢脚线 TJX-80 80mm 52米</dd>" in page
    assert "<dd>地铁3号线岗顶站B口，小区东门</dd>" in page
    assert "<dd>2026-12-02</dd>" in page and "<dd>客厅斜铺</dd>" in page
    assert "<dd>1,200.00</dd>" in page and "<dd>2026-12-04</dd>" in page


@pytest.mark.parametrize("step, role", [("deliver", Role.DRIVER), ("install", Role.INSTALLER)])
def test_the_driver_and_the_installer_find_the_measurement_before_their_sign_form(
    client, roles, step, role
):
    # given
    order = advance_to(measured(installed_order()), step)

    # when
    page = page_text(client, order, role)

    # then
    assert page.index('id="measurement"') < page.index('class="action"')
    assert "地铁3号线岗顶站B口" in page


def test_o41_the_delivery_booking_starts_from_the_day_agreed_at_measurement(client, roles):
    """O-41: agreed again at measurement; the clerk books from that day."""
    # given
    order = advance_to(measured(installed_order()), "delivery_note")

    # when
    form = sign_form(client, order, Role.CLERK)

    # then
    assert form["delivery_booked_for"].value() == dt.date(2026, 12, 2)
    assert 'value="2026-12-02"' in str(form["delivery_booked_for"])


def test_o41_without_a_day_agreed_the_booking_starts_from_the_expected_delivery(client, roles):
    # given an order without measurement, its expected delivery written at intake
    order = advance_to(dealer_order(), "delivery_note")

    # when
    form = sign_form(client, order, Role.CLERK)

    # then
    assert form["delivery_booked_for"].value() == DAY + dt.timedelta(days=7)


def test_o41_service_agrees_again_from_the_days_expected_on_the_order(client, roles):
    """O-41: the delivery and installation expected on the order are agreed again at
    measurement: service's forms start from them."""
    # given
    order = advance_to(installed_order(), "measure")

    # when
    measure = sign_form(client, order, Role.SERVICE)
    order = order_step_complete(
        actor=staff(Role.SERVICE), order=order, step="measure", data=MEASURED
    )
    agree = sign_form(client, order, Role.SERVICE)

    # then
    assert measure["delivery_on"].value() == DAY + dt.timedelta(days=7)
    assert agree["install_on"].value() == DAY + dt.timedelta(days=9)


def test_the_installer_starts_from_the_installation_day_agreed(client, roles):
    # given
    order = advance_to(measured(installed_order()), "install")

    # when
    form = sign_form(client, order, Role.INSTALLER)

    # then
    assert form["installed_on"].value() == dt.date(2026, 12, 4)


def test_the_driver_starts_from_the_orders_contact_and_may_change_it(client, roles):
    # given
    order = advance_to(measured(installed_order(contact_name="陈女士")), "deliver")

    # when
    form = sign_form(client, order, Role.DRIVER)

    # then
    assert form["received_by"].value() == "陈女士"
    assert not form.is_bound  # a start, not a value: the driver types over it
