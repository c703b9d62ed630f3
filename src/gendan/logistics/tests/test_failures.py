"""Failed deliveries followed up (O-44): the goods back into the batches and places they
shipped from, the customer told at once, the drop rebooked, the redelivery freight charged at
least half to the side at fault; then the order is shipped again through the ship step."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.documents.tests.helpers import walked_to
from gendan.logistics.collect import amount_to_collect
from gendan.logistics.models import Booking, Fault
from gendan.logistics.selectors_failures import failure_row
from gendan.logistics.services.failures import (
    SHARE_BELOW_HALF,
    TOLD_ALREADY,
    failure_customer_told,
    failure_freight_charge,
    failure_goods_back,
    failure_rebook,
)
from gendan.logistics.tests.factories import (
    DropFactory,
    FailedDeliveryFactory,
    RoutePlanFactory,
    TruckRouteFactory,
)
from gendan.orders.models import DealerCharge, PaymentTerms
from gendan.orders.routes import DELIVER, SHIP
from gendan.orders.services.send_back import NOT_WAITING_FOR_DELIVERY
from gendan.orders.services.steps import order_step_complete
from gendan.orders.simulate import sample_record
from gendan.orders.tests.helpers import scenario, staff
from gendan.warehouse.models import Package, Pick, PickCheck, Reservation, StockLevel, StockMove
from gendan.warehouse.selectors_returns import shipped_batches
from gendan.warehouse.services.picking import order_pick_all
from gendan.warehouse.services.recount import stock_recount
from gendan.warehouse.tests.helpers import batch_received, location, stocked_product
from gendan.warehouse.tests.picking import boxes

pytestmark = pytest.mark.django_db


def failed_drop(channel: str = "supermarket", fault: str = Fault.CUSTOMER, **fields):
    """An order of 10 m² from batch B-1 (12 m² on A-01, three boxes of 4), shipped through
    the ship step and failed at its drop: the driver's report."""
    product = stocked_product()
    batch = batch_received(product, "B-1", "12", place=location("A-01"))
    boxes(batch, 3, "4", location("A-01"))
    terms = PaymentTerms.CONTRACT if channel == "supermarket" else PaymentTerms.PREPAY
    order = walked_to(
        scenario(channel, terms=terms, product=product, quantity="10", **fields), DELIVER.code
    )
    return FailedDeliveryFactory(drop=DropFactory(order=order), fault=fault), batch


def ship(order):
    return order_step_complete(
        actor=staff(Role.WAREHOUSE), order=order, step=SHIP.code, data=sample_record(SHIP)
    )


def test_o44_the_goods_come_back_into_the_batch_and_place_they_shipped_from(roles):
    """O-44: booked back in by the warehouse, the goods are in batch B-1 on A-01 again, the
    order holds them again (the customer keeps the shade, O-58), its picks are cleared, and it
    waits at the ship step; the stock recount finds no difference."""
    # given
    failure, batch = failed_drop()
    batch.refresh_from_db()
    assert (batch.on_hand, batch.reserved) == (Decimal("2"), Decimal("0"))
    # when
    failure_goods_back(actor=staff(Role.WAREHOUSE), failure=failure)
    # then
    back = StockMove.objects.get(order=failure.order, kind=StockMove.Kind.RETURNED)
    assert (back.batch, back.to_location.code, back.quantity) == (batch, "A-01", Decimal("10"))
    batch.refresh_from_db()
    assert (batch.on_hand, batch.reserved) == (Decimal("12"), Decimal("10"))
    assert StockLevel.objects.get(batch=batch, location__code="A-01").on_hand == Decimal("12")
    held = Reservation.objects.get(order=failure.order)
    assert (held.state, held.batch, held.quantity) == ("active", batch, Decimal("10"))
    assert not Pick.objects.filter(reservation=held).exists()
    assert not PickCheck.objects.filter(order=failure.order).exists()
    assert not Package.objects.filter(batch=batch, gone_at__isnull=False).exists()
    failure.refresh_from_db()
    failure.order.refresh_from_db()
    assert failure.order.step == SHIP.code and SHIP.code not in failure.order.signed
    assert failure.goods_back_by.has_role(Role.WAREHOUSE) and failure.goods_back_at
    assert stock_recount() == []


def test_o44_the_redelivery_is_picked_checked_and_shipped_again(roles):
    """O-44: once back, the order is picked and shipped again through the ship step, from
    the same batch; what it shipped can still come back as a return later (O-62)."""
    # given
    failure, batch = failed_drop()
    failure_goods_back(actor=staff(Role.WAREHOUSE), failure=failure)
    # when
    order_pick_all(order=failure.order, actor=staff(Role.WAREHOUSE))
    order = ship(failure.order)
    # then
    assert order.step == DELIVER.code
    shipped = StockMove.objects.filter(order=order, kind=StockMove.Kind.SHIPPED)
    assert shipped.count() == 2 and {move.batch for move in shipped} == {batch}
    batch.refresh_from_db()
    assert (batch.on_hand, batch.reserved) == (Decimal("2"), Decimal("0"))
    (option,) = shipped_batches(order)[batch.product_id]
    assert option.left == Decimal("10")
    assert stock_recount() == []


def test_o44_the_goods_come_back_once_and_only_by_the_warehouse(roles):
    """O-44: logistics cannot book the goods back; a second booking-back is refused."""
    failure, _batch = failed_drop()
    with pytest.raises(PermissionDenied):
        failure_goods_back(actor=staff(Role.LOGISTICS), failure=failure)
    failure_goods_back(actor=staff(Role.WAREHOUSE), failure=failure)
    with pytest.raises(ValidationError):
        failure_goods_back(actor=staff(Role.WAREHOUSE), failure=failure)
    assert StockMove.objects.filter(order=failure.order, kind="returned").count() == 1


def test_o44_goods_back_of_an_order_not_waiting_for_delivery_is_refused_whole(roles):
    """O-44: a second failure reported while the order waits at the ship step again: booking
    its goods back is refused with the reason, and no stock moves."""
    # given
    failure, batch = failed_drop()
    failure_goods_back(actor=staff(Role.WAREHOUSE), failure=failure)
    tomorrow = RoutePlanFactory(day=timezone.localdate() + dt.timedelta(days=1))
    other = FailedDeliveryFactory(
        drop=DropFactory(
            order=failure.order, route=TruckRouteFactory(plan=tomorrow),
            booking=failure.drop.booking,
        )
    )  # fmt: skip
    # when
    with pytest.raises(ValidationError) as refused:
        failure_goods_back(actor=staff(Role.WAREHOUSE), failure=other)
    # then
    assert refused.value.messages == [
        str(NOT_WAITING_FOR_DELIVERY % {"order": failure.order.number})
    ]
    other.refresh_from_db()
    batch.refresh_from_db()
    assert other.goods_back_at is None
    assert (batch.on_hand, batch.reserved) == (Decimal("12"), Decimal("10"))
    assert StockMove.objects.filter(order=failure.order, kind="returned").count() == 1


def test_o44_the_customer_told_is_recorded_and_late_telling_is_flagged(roles):
    """O-44: who told whom and when is kept; told three hours after the report, the failure is
    flagged as not told at once; telling twice is refused."""
    # given
    failure, _batch = failed_drop()
    failure.reported_at = timezone.now() - dt.timedelta(hours=3)
    failure.save(update_fields=["reported_at"])
    clerk = staff(Role.CLERK)
    assert failure_row(failure).late_told  # not told yet, three hours on
    # when
    told = failure_customer_told(actor=clerk, failure=failure, told_to="王女士")
    # then
    assert (told.customer_told_by, told.customer_told_to) == (clerk, "王女士")
    assert failure_row(told).late_told
    assert AuditEvent.objects.filter(action="delivery.failure_told").count() == 1
    with pytest.raises(ValidationError) as refused:
        failure_customer_told(actor=clerk, failure=failure, told_to="王女士")
    assert str(TOLD_ALREADY).split("%")[0] in refused.value.messages[0]


def test_o44_a_customer_told_within_two_hours_is_not_flagged(roles):
    """O-44: told an hour after the report is "at once"."""
    failure, _batch = failed_drop()
    failure.reported_at = timezone.now() - dt.timedelta(hours=1)
    failure.save(update_fields=["reported_at"])
    told = failure_customer_told(actor=staff(Role.LOGISTICS), failure=failure, told_to="王女士")
    assert not failure_row(told).late_told


def test_o44_the_drop_rebooked_replaces_the_booking_in_force(roles):
    """O-44 with O-41: the rebooking is the booking in force; the failed one is replaced."""
    # given
    failure, _batch = failed_drop()
    first = failure.drop.booking
    day = timezone.localdate() + dt.timedelta(days=2)
    # when
    failure = failure_rebook(
        actor=staff(Role.CLERK), failure=failure, first_day=day, told_to="王女士"
    )
    # then
    first.refresh_from_db()
    assert first.state == Booking.State.REPLACED
    assert failure.rebooking.state == Booking.State.BOOKED
    assert (failure.rebooking.first_day, failure.rebooking.order) == (day, failure.order)
    assert failure.customer_told_to == "王女士"  # agreeing the day told the customer


def test_o44_a_share_under_half_is_refused_and_nothing_changes(roles):
    """O-44: 49% to the side at fault is refused with the rule; nothing is charged."""
    failure, _batch = failed_drop("dealer", fault=Fault.DEALER)
    with pytest.raises(ValidationError) as refused:
        failure_freight_charge(
            actor=staff(Role.FINANCE), failure=failure, freight="200", share="0.49"
        )
    assert refused.value.message_dict == {"share": [str(SHARE_BELOW_HALF)]}
    failure.refresh_from_db()
    assert (failure.freight, failure.fault_share, failure.charged_at) == (None, None, None)
    assert not DealerCharge.objects.exists()
    assert not AuditEvent.objects.filter(action="delivery.failure_freight_charged").exists()


def test_o44_the_dealers_fault_is_charged_against_its_other_orders_profit(roles):
    """O-44 with O-54: 60% of 200 CNY is a dealer charge of 120 CNY for redelivery freight."""
    failure, _batch = failed_drop("dealer", fault=Fault.DEALER)
    failure = failure_freight_charge(
        actor=staff(Role.FINANCE), failure=failure, freight="200", share="0.6"
    )
    charge = DealerCharge.objects.get()
    assert (charge.kind, charge.amount) == ("redelivery_freight", Decimal("120.00"))
    assert (charge.dealer_id, charge.order) == (failure.order.customer_id, failure.order)
    assert str(charge.pk) in failure.charge_reference
    assert (failure.freight, failure.fault_share) == (Decimal("200"), Decimal("0.60"))


def test_o44_the_customers_fault_is_owed_on_the_order_and_collected_with_it(roles):
    """O-44: the customer's half of 150 CNY is owed on the order: the driver collects it on
    the redelivery (a dealer's homeowner who paid the goods ahead pays the 75 CNY)."""
    failure, _batch = failed_drop("dealer", fault=Fault.CUSTOMER)
    before = amount_to_collect(failure.order)
    failure = failure_freight_charge(
        actor=staff(Role.FINANCE), failure=failure, freight="150", share="0.5"
    )
    assert amount_to_collect(failure.order) == before + Decimal("75.00")
    assert failure.order.number in failure.charge_reference
    assert not DealerCharge.objects.exists()


def test_o44_the_companys_fault_is_recorded_as_its_own_cost(roles):
    """O-44: the company pays all of it: recorded, charged to nobody else."""
    failure, _batch = failed_drop(fault=Fault.COMPANY)
    before = amount_to_collect(failure.order)
    failure = failure_freight_charge(
        actor=staff(Role.FINANCE), failure=failure, freight="180", share="1"
    )
    assert failure.charged_at and "180.00" in failure.charge_reference
    assert amount_to_collect(failure.order) == before
    assert not DealerCharge.objects.exists()
    event = AuditEvent.objects.get(action="delivery.failure_freight_charged")
    assert event.changes["fault"] == "company"


def test_o44_only_finance_charges_the_freight(roles):
    """O-44: the money is finance's to charge."""
    failure, _batch = failed_drop(fault=Fault.COMPANY)
    with pytest.raises(PermissionDenied):
        failure_freight_charge(
            actor=staff(Role.LOGISTICS), failure=failure, freight="180", share="1"
        )
