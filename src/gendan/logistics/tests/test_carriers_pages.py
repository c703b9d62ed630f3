"""The outside carriers' pages and API (O-23, O-21): book from the list, follow the status,
take in the papers, pay the freight after a confirmation, the freight to pay with its total
and as .xlsx; the API refuses as the services do (422, the rule named)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.logistics.models import CarrierShipment, CarrierStatus
from gendan.logistics.selectors_carriers import NOT_SIGNED_FOR
from gendan.logistics.services.carriers import shipment_deliver_sign
from gendan.logistics.tests.carriers_helpers import order_shipped, papers_in, shipment_shipped
from gendan.logistics.tests.factories import CarrierFactory
from gendan.orders.routes import DELIVER
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db
JSON = "application/json"


def payable(freight: str = "380.00") -> CarrierShipment:
    shipment = papers_in(shipment_shipped(freight=Decimal(freight)))
    shipment_deliver_sign(actor=staff(Role.DRIVER), shipment=shipment)
    return shipment


def test_o23_logistics_books_a_carrier_on_the_list_page_and_follows_it(client, roles):
    """O-23: logistics books from the shipments' list by order number, then changes the
    status on the shipment's page; the history lists each change."""
    # given
    order, carrier = order_shipped(), CarrierFactory(name="安达物流")
    client.force_login(staff(Role.LOGISTICS))
    # when
    booked = client.post(reverse("logistics-shipment-book"), {
        "order": order.number, "carrier": carrier.pk, "waybill": "AD-77", "freight": "260",
    }, follow=True)  # fmt: skip
    shipment = CarrierShipment.objects.get(order=order)
    client.post(
        reverse("logistics-shipment-status", args=[shipment.pk]),
        {"status": CarrierStatus.PICKED_UP, "note": "司机已提货"},
    )
    page = client.get(reverse("logistics-shipment", args=[shipment.pk]))
    listed = client.get(reverse("logistics-shipments"), {"q": "AD-77"})
    # then
    assert booked.status_code == 200 and "AD-77" in booked.content.decode()
    assert "司机已提货" in page.content.decode()
    assert order.number in listed.content.decode()


def test_o23_finance_pays_the_freight_on_the_page_only_after_confirming(client, roles):
    """O-23: the first press asks to confirm (nothing paid); the confirmation pays."""
    # given
    shipment = payable()
    client.force_login(staff(Role.FINANCE))
    url = reverse("logistics-shipment-pay", args=[shipment.pk])
    # when
    asked = client.post(url, {"reference": "网银 123"})
    shipment.refresh_from_db()
    unpaid_after_asking = shipment.freight_paid_at is None
    client.post(url, {"reference": "网银 123", "confirmed": "yes"})
    # then
    assert asked.status_code == 200 and 'name="confirmed"' in asked.content.decode()
    assert unpaid_after_asking
    shipment.refresh_from_db()
    assert shipment.freight_reference == "网银 123" and shipment.freight_paid_at is not None


def test_o21_the_page_says_why_an_unsigned_delivery_is_not_payable(client, roles):
    """O-21: all papers in but not signed for: the page names it, no pay button."""
    shipment = papers_in(shipment_shipped())
    client.force_login(staff(Role.FINANCE))
    page = client.get(reverse("logistics-shipment", args=[shipment.pk])).content.decode()
    assert str(NOT_SIGNED_FOR) in page
    assert reverse("logistics-shipment-pay", args=[shipment.pk]) not in page


def test_o23_the_freight_to_pay_shows_its_total_and_exports_it(client, roles):
    """O-23: the list of freight to pay: the total on the page and the rows in the .xlsx."""
    # given
    payable("100.00"), payable("250.50")
    client.force_login(staff(Role.FINANCE))
    # when
    page = client.get(reverse("logistics-freight")).content.decode()
    export = client.get(reverse("logistics-freight"), {"format": "xlsx"})
    # then
    assert "350.50" in page
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[-1] for row in rows] == [100.0, 250.5, 350.5]


def test_o23_the_api_books_takes_papers_in_and_refuses_to_pay_naming_what_is_missing(client, roles):
    """O-23: the API walks as the pages do; paying an unsigned delivery is 422 with O-21."""
    # given
    order, carrier = order_shipped(), CarrierFactory()
    client.force_login(staff(Role.LOGISTICS))
    # when
    booked = client.post("/api/logistics/shipments", {
        "order_number": order.number, "carrier_id": carrier.pk, "waybill": "API-1",
        "freight": "99.00",
    }, content_type=JSON)  # fmt: skip
    shipment_id = booked.json()["id"]
    for paper in ("signed_original", "our_note", "carrier_waybill"):
        taken = client.post(
            f"/api/logistics/shipments/{shipment_id}/papers",
            {"paper": paper, "signed_by": "李女士"}, content_type=JSON,
        )  # fmt: skip
        assert taken.status_code == 200, taken.content
    client.force_login(staff(Role.FINANCE))
    refused = client.post(
        f"/api/logistics/shipments/{shipment_id}/freight-payment", {"reference": "x"},
        content_type=JSON,
    )  # fmt: skip
    # then
    assert booked.status_code == 201
    assert taken.json()["payable_refusals"] == [str(NOT_SIGNED_FOR)]
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["msg"] == str(NOT_SIGNED_FOR)


def test_o23_a_booking_for_an_unknown_order_is_refused_by_its_field(client, roles):
    client.force_login(staff(Role.LOGISTICS))
    refused = client.post("/api/logistics/shipments", {
        "order_number": "20990101-999", "carrier_id": CarrierFactory().pk, "waybill": "X",
        "freight": "1",
    }, content_type=JSON)  # fmt: skip
    assert refused.status_code == 422 and "order_number" in refused.content.decode()


def test_o21_with_the_original_in_the_page_says_who_signs_the_deliver_step(client, roles):
    """O-21: logistics is told the deliver step is the driver's to sign; a user of the step's
    role (here an administrator) gets the button, which signs it from the original."""
    # given
    shipment = papers_in(shipment_shipped(), "signed_original")
    url = reverse("logistics-shipment", args=[shipment.pk])
    deliver_url = reverse("logistics-shipment-deliver", args=[shipment.pk])
    client.force_login(staff(Role.LOGISTICS))
    # when
    for_logistics = client.get(url).content.decode()
    client.force_login(UserFactory(is_superuser=True))
    for_admin = client.get(url).content.decode()
    client.post(deliver_url)
    # then
    assert str(Role.DRIVER.label) in for_logistics and deliver_url not in for_logistics
    assert deliver_url in for_admin
    shipment.order.refresh_from_db()
    assert shipment.order.signed[DELIVER.code]["received_by"] == "王先生"
