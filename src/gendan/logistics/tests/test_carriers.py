"""Outside carriers (O-23, O-21): booked and followed by logistics, the three papers taken in,
the freight paid by finance only against all three and only for a delivery signed for."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.documents.tests.helpers import walked_to
from gendan.logistics.models import CarrierShipment, CarrierStatus
from gendan.logistics.selectors_carriers import (
    ALREADY_PAID,
    NOT_SIGNED_FOR,
    PAPERS,
    PAPERS_MISSING,
    freight_to_pay,
    freight_totals,
)
from gendan.logistics.services import carriers
from gendan.logistics.tests.carriers_helpers import order_shipped, papers_in, shipment_shipped
from gendan.logistics.tests.factories import CarrierFactory, CarrierShipmentFactory
from gendan.orders.records import record_initial
from gendan.orders.routes import DELIVER, RECEIVING_DOCUMENT_NEEDED, ROUTES, SHIP
from gendan.orders.services.steps import WRONG_ROLE
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db
S = CarrierStatus


def book(order, **fields):
    values = {"carrier": CarrierFactory(name="顺心物流"), "waybill": "SX-0001",
              "freight": Decimal("420.00")} | fields  # fmt: skip
    return carriers.shipment_book(actor=staff(Role.LOGISTICS), order=order, **values)


def test_o23_logistics_books_a_carrier_and_the_ship_step_starts_from_its_waybill(roles):
    """O-23: logistics books a carrier (carrier, waybill, freight); the warehouse's ship step
    finds "carrier and waybill" filled in from it."""
    # given an order the warehouse is about to ship
    order = walked_to(scenario("retail"), SHIP.code)
    # when logistics books a carrier for it
    shipment = book(order)
    # then the shipment is booked, its first status row written and the booking audited
    assert (shipment.status, shipment.freight) == (S.BOOKED, Decimal("420.00"))
    assert list(shipment.changes.values_list("status", flat=True)) == [S.BOOKED]
    assert AuditEvent.objects.filter(action="carrier.booked", target_id=str(shipment.pk)).exists()
    initial = record_initial(ROUTES[order.route].step(SHIP.code).record, order)
    assert initial["carrier"] == "顺心物流 SX-0001"


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("self_pickup", carriers.SELF_PICKUP),
        ("cancelled", carriers.ORDER_FINISHED),
        ("with_carrier", carriers.ALREADY_WITH_CARRIER),
    ],
)
def test_o23_no_carrier_for_a_self_pickup_a_finished_order_or_one_already_with_a_carrier(
    roles, case, message
):
    """O-23: a self-pickup leaves with its customer, a closed or cancelled order goes nowhere,
    and an order is with one carrier at a time: refused, nothing booked."""
    # given
    order = scenario("retail", self_pickup=case == "self_pickup")
    if case == "cancelled":
        type(order).objects.filter(pk=order.pk).update(step="cancelled")
    if case == "with_carrier":
        existing = CarrierShipmentFactory(order=order)
        message = message % {"carrier": existing.carrier, "waybill": existing.waybill}
    before = CarrierShipment.objects.count()
    # when, then
    with pytest.raises(ValidationError) as refused:
        book(order)
    assert refused.value.messages == [str(message)]
    assert CarrierShipment.objects.count() == before


def test_o23_after_a_problem_the_order_may_be_booked_with_another_carrier(roles):
    """O-23: a shipment with a problem frees the order for another carrier."""
    # given
    shipment = CarrierShipmentFactory(order=scenario("retail"))
    carriers.shipment_status(
        actor=staff(Role.LOGISTICS), shipment=shipment, status=S.PROBLEM, note="车坏了"
    )
    # when
    again = book(shipment.order, waybill="SX-0002")
    # then
    assert again.order == shipment.order and again.status == S.BOOKED


def test_o23_logistics_follows_the_status_one_change_row_each_along_the_pipeline(roles):
    """O-23: booked → picked up → in transit → delivered, each change a row (who, when, note);
    a move the pipeline does not have is refused; a problem says what it is."""
    # given
    shipment = CarrierShipmentFactory(order=scenario("retail"))
    logistics = staff(Role.LOGISTICS)
    # when
    for status in (S.PICKED_UP, S.IN_TRANSIT, S.DELIVERED):
        shipment = carriers.shipment_status(
            actor=logistics, shipment=shipment, status=status, note=f"{status}"
        )
    # then
    changes = list(shipment.changes.values_list("status", "changed_by", "note"))
    moves = (S.PICKED_UP, S.IN_TRANSIT, S.DELIVERED)
    assert changes[0][0] == S.BOOKED
    assert changes[1:] == [(status, logistics.pk, str(status)) for status in moves]
    with pytest.raises(ValidationError) as refused:
        carriers.shipment_status(actor=logistics, shipment=shipment, status=S.IN_TRANSIT)
    assert refused.value.messages == [
        carriers.STATUS_MOVE_REFUSED % {"before": S.DELIVERED.label, "after": S.IN_TRANSIT.label}
    ]
    fresh = CarrierShipmentFactory(order=scenario("retail"))
    with pytest.raises(ValidationError) as unexplained:
        carriers.shipment_status(actor=logistics, shipment=fresh, status=S.PROBLEM)
    assert unexplained.value.messages == [str(carriers.PROBLEM_NEEDS_NOTE)]


def test_o23_each_of_the_three_papers_is_taken_in_once_with_who_and_when(roles):
    """O-23: the customer-signed original (with who signed it), our delivery note and the
    carrier's waybill, each with who took it in and when; twice is refused."""
    # given
    shipment = shipment_shipped()
    finance = staff(Role.FINANCE)
    # when
    shipment = carriers.shipment_document_received(
        actor=finance, shipment=shipment, paper="our_note"
    )
    shipment = papers_in(shipment, "signed_original")
    # then
    assert shipment.our_note_by == finance and shipment.our_note_at is not None
    assert shipment.signed_original_by == staff(Role.LOGISTICS)
    assert shipment.original_signed_by == "王先生"
    assert shipment.carrier_waybill_at is None
    with pytest.raises(ValidationError) as twice:
        carriers.shipment_document_received(actor=finance, shipment=shipment, paper="our_note")
    assert twice.value.messages == [carriers.paper_already_in(shipment, "our_note")]


def test_o21_the_signed_original_names_its_signer_and_a_supermarkets_receiving_document(roles):
    """O-21: the original counts only with who signed it; a supermarket's also with its own
    receiving document."""
    # given
    shipment = shipment_shipped("supermarket")
    logistics = staff(Role.LOGISTICS)
    # when, then
    with pytest.raises(ValidationError) as unsigned:
        carriers.shipment_document_received(
            actor=logistics, shipment=shipment, paper="signed_original"
        )
    assert unsigned.value.messages == [str(carriers.SIGNER_NEEDED)]
    with pytest.raises(ValidationError) as no_document:
        carriers.shipment_document_received(
            actor=logistics, shipment=shipment, paper="signed_original", signed_by="店长"
        )
    assert no_document.value.messages == [str(RECEIVING_DOCUMENT_NEEDED)]
    shipment.refresh_from_db()
    assert shipment.signed_original_at is None


def test_o23_finance_pays_only_when_all_three_papers_are_in_naming_the_missing(roles):
    """O-23: with two papers in, the payment is refused and names the third; nothing is paid."""
    # given a delivery signed for, with the original and our note back
    shipment = papers_in(shipment_shipped(), "signed_original", "our_note")
    carriers.shipment_deliver_sign(actor=staff(Role.DRIVER), shipment=shipment)
    # when
    with pytest.raises(ValidationError) as refused:
        carriers.shipment_freight_pay(
            actor=staff(Role.FINANCE), shipment=shipment, reference="转账 001"
        )
    # then
    assert refused.value.messages == [PAPERS_MISSING % {"papers": PAPERS["carrier_waybill"]}]
    shipment.refresh_from_db()
    assert shipment.freight_paid_at is None


def test_o23_with_all_three_in_and_signed_for_finance_pays_the_freight_once(roles):
    """O-23: all three papers in, the delivery signed for: finance pays, with its reference,
    audited; the freight leaves the list to pay, and a second payment is refused."""
    # given
    shipment = papers_in(shipment_shipped())
    carriers.shipment_deliver_sign(actor=staff(Role.DRIVER), shipment=shipment)
    assert list(freight_to_pay()) == [shipment]
    # when
    paid = carriers.shipment_freight_pay(
        actor=staff(Role.FINANCE), shipment=shipment, reference="转账 001"
    )
    # then
    assert (paid.freight_paid_by, paid.freight_reference) == (staff(Role.FINANCE), "转账 001")
    assert AuditEvent.objects.filter(action="carrier.freight_paid").count() == 1
    assert list(freight_to_pay()) == []
    with pytest.raises(ValidationError) as twice:
        carriers.shipment_freight_pay(actor=staff(Role.FINANCE), shipment=paid, reference="x")
    when = f"{timezone.localtime(paid.freight_paid_at):%Y-%m-%d %H:%M}"
    assert twice.value.messages == [ALREADY_PAID % {"when": when}]


def test_o21_no_freight_is_paid_for_a_delivery_the_customer_has_not_signed_for(roles):
    """O-21: all three papers in, but the deliver step is not signed: refused, and the
    shipment is not in the freight to pay."""
    # given
    shipment = papers_in(shipment_shipped())
    # when
    with pytest.raises(ValidationError) as refused:
        carriers.shipment_freight_pay(
            actor=staff(Role.FINANCE), shipment=shipment, reference="转账 001"
        )
    # then
    assert refused.value.messages == [str(NOT_SIGNED_FOR)]
    assert list(freight_to_pay()) == []


def test_o21_the_deliver_step_is_signed_from_the_original_by_its_role_only(roles):
    """O-21: the customer's signature on the original signs the deliver step ("received and
    signed by" from it) through the transition service: by the step's role (the driver), not
    by logistics."""
    # given
    shipment = papers_in(shipment_shipped(), "signed_original")
    # when logistics tries, then the route's role is named
    with pytest.raises(ValidationError) as refused:
        carriers.shipment_deliver_sign(actor=staff(Role.LOGISTICS), shipment=shipment)
    deliver = ROUTES[shipment.order.route].step(DELIVER.code)
    assert refused.value.messages == [
        WRONG_ROLE % {"step": deliver.label, "role": deliver.role.label}
    ]
    # when the driver signs
    order = carriers.shipment_deliver_sign(actor=staff(Role.DRIVER), shipment=shipment)
    # then
    assert order.signed[DELIVER.code]["received_by"] == "王先生"


def test_o23_only_finance_pays_the_freight(roles):
    """O-23: logistics books and follows, finance pays."""
    shipment = papers_in(shipment_shipped())
    with pytest.raises(PermissionDenied):
        carriers.shipment_freight_pay(actor=staff(Role.LOGISTICS), shipment=shipment, reference="x")
    with pytest.raises(PermissionDenied):
        carriers.shipment_book(
            actor=staff(Role.FINANCE), order=order_shipped(), carrier=shipment.carrier,
            waybill="SX-9", freight=Decimal("1"),
        )  # fmt: skip


def test_o23_the_database_refuses_freight_paid_without_the_three_papers(roles):
    """O-23: the rule holds below the services too: a check constraint."""
    shipment = papers_in(shipment_shipped(), "signed_original", "our_note")
    with pytest.raises(IntegrityError), transaction.atomic():
        CarrierShipment.objects.filter(pk=shipment.pk).update(freight_paid_at=timezone.now())


def test_o23_the_freight_to_pay_is_totalled_in_all_and_per_carrier(roles):
    """O-23: the list of freight to pay: the count and the sum, in all and per carrier."""
    # given two payable shipments of one carrier, one of another, one not signed for
    one, other = CarrierFactory(name="甲物流"), CarrierFactory(name="乙物流")
    driver = staff(Role.DRIVER)
    for carrier, freight in ((one, "100.00"), (one, "250.50"), (other, "80.00")):
        shipment = papers_in(shipment_shipped(carrier=carrier, freight=Decimal(freight)))
        carriers.shipment_deliver_sign(actor=driver, shipment=shipment)
    papers_in(shipment_shipped(carrier=other, freight=Decimal("999")))
    # when
    totals = freight_totals(freight_to_pay())
    # then
    assert (totals["count"], totals["total"]) == (3, Decimal("430.50"))
    per_carrier = [(row["carrier__name"], row["count"], row["total"]) for row in totals["carriers"]]
    assert sorted(per_carrier) == [
        ("乙物流", 1, Decimal("80.00")),
        ("甲物流", 2, Decimal("350.50")),
    ]
