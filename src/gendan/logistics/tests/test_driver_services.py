"""The driver at each drop (issue 14 point 6): arrived, delivered with the customer's signature
signing the order's deliver step (O-21), the cash collected kept for finance (O-22), failed
with why and whose fault (O-44)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.audit.models import AuditEvent
from gendan.logistics.collect import amount_to_collect
from gendan.logistics.models import Drop, FailedDelivery, Fault, RoutePlan
from gendan.logistics.services.driver import (
    ALREADY_DONE,
    DETAIL_NEEDED,
    FAULT_WRONG,
    NOT_AT_DELIVER,
    NOT_PUBLISHED,
    SIGNATURE_BLANK,
    SIGNATURE_MISSING,
    SIGNATURE_NOT_PNG,
    drop_arrive,
    drop_deliver,
    drop_fail,
)
from gendan.logistics.tests.driver_helpers import (
    blank_png,
    drop_at_deliver,
    photo_jpeg,
    signature_png,
)
from gendan.logistics.tests.factories import DriverFactory, DropFactory
from gendan.orders.models import StepLog
from gendan.orders.routes import RECEIVING_DOCUMENT, RECEIVING_DOCUMENT_NEEDED
from gendan.orders.services.steps import StepRefused
from gendan.orders.tests.helpers import scenario

pytestmark = pytest.mark.django_db


def driver_of(drop: Drop):
    return drop.route.driver.user


def messages(refused: pytest.ExceptionInfo) -> list[str]:
    return [str(message) for message in refused.value.messages]


def test_arrived_keeps_the_time_and_a_second_tap_keeps_the_first(roles):
    # given a drop of the driver's published route
    drop = drop_at_deliver()
    # when the driver taps Arrived twice
    first = drop_arrive(actor=driver_of(drop), drop=drop).arrived_at
    again = drop_arrive(actor=driver_of(drop), drop=drop)
    # then the drop is arrived at the first time, signed once in the audit log
    assert again.state == Drop.State.ARRIVED and again.arrived_at == first
    assert AuditEvent.objects.filter(action="delivery.drop_arrived").count() == 1


def test_another_drivers_drop_is_refused(roles):
    # given a drop on one driver's route
    drop = drop_at_deliver()
    # when another driver taps Arrived on it, then it is refused and nothing changes
    with pytest.raises(PermissionDenied):
        drop_arrive(actor=DriverFactory().user, drop=drop)
    drop.refresh_from_db()
    assert drop.state == Drop.State.PLANNED and drop.arrived_at is None


def test_a_drop_of_a_draft_plan_is_refused(roles):
    # given a drop whose plan is still a draft
    drop = drop_at_deliver()
    RoutePlan.objects.filter(pk=drop.plan_id).update(state=RoutePlan.State.DRAFT)
    # when the driver taps Arrived, then it is refused: the route may still change
    with pytest.raises(ValidationError) as refused:
        drop_arrive(actor=driver_of(drop), drop=drop)
    assert messages(refused) == [str(NOT_PUBLISHED)]


def test_o21_delivering_signs_the_deliver_step_with_who_when_and_the_signature(roles):
    """O-21: the delivery counts as done with the customer's signature: the deliver step is
    signed by the driver, now, with the receiver's name and the photo; the signature drawn on
    the screen is kept on the drop."""
    # given a dealer's homeowner's order shipped and on the driver's route
    drop = drop_at_deliver("dealer")
    driver = driver_of(drop)
    photo = SimpleUploadedFile("x.jpg", photo_jpeg(), content_type="image/jpeg")
    # when the driver records the delivery
    drop = drop_deliver(
        actor=driver, drop=drop, received_by="王女士", signature_png=signature_png(), photo=photo
    )
    # then the order is past its deliver step, signed by the driver with the record
    order = drop.order
    order.refresh_from_db()
    signed = StepLog.objects.get(order=order, step="deliver", outcome=StepLog.Outcome.DONE)
    assert order.step != "deliver" and signed.actor == driver
    assert signed.data["received_by"] == "王女士" and signed.data["photo"]
    drop.refresh_from_db()
    assert drop.state == Drop.State.DELIVERED and drop.done_by == driver
    assert drop.done_at == pytest.approx(signed.at, abs=dt.timedelta(seconds=5))
    assert drop.signature.read().startswith(b"\x89PNG") and drop.photo.name == signed.data["photo"]


def test_o22_the_cash_collected_is_kept_on_the_drop_not_as_a_receipt(roles):
    """O-22: the driver brings the cash to finance: the drop keeps what was collected, and the
    order's payments are unchanged until finance receives it."""
    # given a dealer's homeowner who pays the company on delivery (O-27)
    drop = drop_at_deliver("dealer", terms="on_delivery", install=True)
    paid_before, due = drop.order.paid, amount_to_collect(drop.order)
    assert due > 0
    # when the driver records 500.50 collected
    drop = drop_deliver(
        actor=driver_of(drop), drop=drop, received_by="李", signature_png=signature_png(),
        collected="500.50",
    )  # fmt: skip
    # then the drop has it, the order's payments do not
    drop.refresh_from_db()
    drop.order.refresh_from_db()
    assert drop.collected == Decimal("500.50") and drop.order.paid == paid_before
    assert drop.to_collect == due


def test_o21_a_supermarket_drop_without_its_receiving_document_is_refused(roles):
    """O-21: a supermarket's delivery is done only with its own receiving document: without it
    the deliver step refuses, and nothing of the drop changes."""
    # given a supermarket's order on the route
    drop = drop_at_deliver("supermarket")
    # when the driver records the delivery without the supermarket's document
    with pytest.raises(StepRefused) as refused:
        drop_deliver(
            actor=driver_of(drop), drop=drop, received_by="收货员", signature_png=signature_png()
        )
    # then the step's own requirement refuses it, and the drop and the order are as they were
    assert refused.value.reasons == [f"{RECEIVING_DOCUMENT}: {RECEIVING_DOCUMENT_NEEDED}"]
    drop.refresh_from_db()
    drop.order.refresh_from_db()
    assert drop.state == Drop.State.PLANNED and not drop.signature and drop.order.step == "deliver"
    # and with the document it is delivered
    drop = drop_deliver(
        actor=driver_of(drop), drop=drop, received_by="收货员", signature_png=signature_png(),
        receiving_document="BQ-20261121-7",
    )  # fmt: skip
    assert drop.order.signed["deliver"]["receiving_document"] == "BQ-20261121-7"


@pytest.mark.parametrize(
    ("signature", "message"),
    [
        (b"", SIGNATURE_MISSING),
        (blank_png(), SIGNATURE_BLANK),
        (photo_jpeg(), SIGNATURE_NOT_PNG),
        (b"<svg onload=alert(1)>\x89PNG", SIGNATURE_NOT_PNG),
        (b"\x89PNG\r\n\x1a\n not really a png", SIGNATURE_NOT_PNG),
    ],
    ids=["missing", "blank", "jpeg", "html", "broken-png"],
)
def test_o21_a_missing_blank_or_non_png_signature_is_refused(roles, signature, message):
    """O-21: the customer's signature is a PNG drawn on the screen, told from its content;
    a blank canvas or another file is refused, and the order waits at its deliver step."""
    # given a drop at its deliver step
    drop = drop_at_deliver()
    # when the driver sends that signature
    with pytest.raises(ValidationError) as refused:
        drop_deliver(actor=driver_of(drop), drop=drop, received_by="李", signature_png=signature)
    # then it is refused, saying why; nothing is signed
    assert refused.value.message_dict == {"signature": [str(message)]}
    drop.order.refresh_from_db()
    assert drop.order.step == "deliver"


def test_o21_an_order_not_at_its_deliver_step_is_refused(roles):
    # given a drop whose order is not shipped yet (still at an earlier step)
    order = scenario("retail")
    drop = DropFactory(order=order)
    # when the driver records the delivery, then it is refused, naming the step it is at
    with pytest.raises(ValidationError) as refused:
        drop_deliver(
            actor=driver_of(drop), drop=drop, received_by="李", signature_png=signature_png()
        )
    assert messages(refused)[0].startswith(str(NOT_AT_DELIVER).split("%")[0])
    assert order.number in messages(refused)[0]


def test_o44_a_failed_drop_writes_its_failed_delivery(roles):
    """O-44: a drop the driver could not deliver is FAILED, with a FailedDelivery saying why,
    whose fault, the photo, who reported it and when; the order still waits to be delivered."""
    # given a drop the driver arrived at
    drop = drop_arrive(actor=driver_of(drop := drop_at_deliver()), drop=drop)
    photo = SimpleUploadedFile("door.jpg", photo_jpeg(), content_type="image/jpeg")
    # when nobody is there
    failure = drop_fail(
        actor=driver_of(drop), drop=drop, reason=FailedDelivery.Reason.NOBODY_THERE,
        detail="电话无人接听", fault=Fault.CUSTOMER, photo=photo,
    )  # fmt: skip
    # then
    failure.refresh_from_db()
    drop.refresh_from_db()
    assert (failure.drop, failure.order, failure.reported_by) == (drop, drop.order, driver_of(drop))
    assert (failure.reason, failure.fault, failure.detail) == (
        "nobody_there",
        "customer",
        "电话无人接听",
    )
    assert failure.photo.read().startswith(b"\xff\xd8\xff")
    assert drop.state == Drop.State.FAILED and drop.done_by == driver_of(drop)
    assert drop.order.step == "deliver"
    assert AuditEvent.objects.filter(action="delivery.drop_failed").count() == 1


def test_o44_a_failure_needs_whose_fault_and_other_needs_what_happened(roles):
    # given a drop
    drop = drop_at_deliver()
    # when the driver fails it with reason "other", no detail and no fault
    with pytest.raises(ValidationError) as refused:
        drop_fail(actor=driver_of(drop), drop=drop, reason="other", detail=" ", fault="")
    # then both are asked for, and nothing is written
    assert refused.value.message_dict == {
        "fault": [str(FAULT_WRONG)],
        "detail": [str(DETAIL_NEEDED)],
    }
    assert not FailedDelivery.objects.exists()


def test_a_drop_done_is_not_done_again(roles):
    # given a failed drop
    drop = drop_at_deliver()
    drop_fail(actor=driver_of(drop), drop=drop, reason="refused", detail="", fault="customer")
    # when the driver then records it delivered, then it is refused
    with pytest.raises(ValidationError) as refused:
        drop_deliver(
            actor=driver_of(drop), drop=drop, received_by="李", signature_png=signature_png()
        )
    assert messages(refused) == [str(ALREADY_DONE % {"state": Drop.State.FAILED.label})]
