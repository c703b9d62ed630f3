"""What logistics signs into the audit log: one action and one function per event
(audit/actions.py). Each part of the app adds its own below."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

__all__ = ["Any", "AuditEvent", "_", "audit_action", "audit_record"]


# The driver's phone (O-20, O-21, O-22, O-44).
DROP_ARRIVED = audit_action("delivery.drop_arrived", _("Driver arrived at a drop"))
DROP_DELIVERED = audit_action("delivery.drop_delivered", _("Drop delivered and signed for"))
DROP_FAILED = audit_action("delivery.drop_failed", _("Drop failed, reported by the driver"))


def drop_arrived_event(*, actor: Any, drop: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=DROP_ARRIVED, target=drop, changes={"arrived_at": drop.arrived_at}
    )


def drop_delivered_event(*, actor: Any, drop: Any) -> AuditEvent:
    """O-21, O-22: who received and signed, the supermarket's document, the cash collected."""
    changes = {
        "order": drop.order.number, "received_by": drop.received_by,
        "receiving_document": drop.receiving_document, "collected": drop.collected,
        "signature": drop.signature.name,
    }  # fmt: skip
    return audit_record(actor=actor, action=DROP_DELIVERED, target=drop, changes=changes)


def drop_failed_event(*, actor: Any, failure: Any) -> AuditEvent:
    """O-44: why, and whose fault, as the driver reported it."""
    changes = {
        "order": failure.order.number, "reason": failure.reason, "fault": failure.fault,
        "detail": failure.detail,
    }  # fmt: skip
    return audit_record(actor=actor, action=DROP_FAILED, target=failure.drop, changes=changes)


# Part B: bookings (O-41, O-42).
DELIVERY_BOOKED = audit_action("delivery.booked", _("Delivery booked with the customer"))
BOOKING_CANCELLED = audit_action(
    "delivery.booking_cancelled", _("Delivery booking cancelled with its order")
)
BOOKING_DELIVERED = audit_action("delivery.booking_delivered", _("Booked delivery delivered"))


def delivery_booked_event(*, actor: Any, booking: Any, replaced: Any = None) -> AuditEvent:
    """O-41, O-42: the day or window, with whom it was agreed, the call promised; and the
    booking it replaces, if any."""
    changes = {
        "first_day": booking.first_day, "last_day": booking.last_day,
        "told_to": booking.told_to, "call_promised": booking.call_promised,
        "with_installers": booking.with_installers,
    }  # fmt: skip
    if replaced is not None:
        changes["replaces"] = [str(replaced.first_day), str(replaced.last_day)]
    return audit_record(actor=actor, action=DELIVERY_BOOKED, target=booking.order, changes=changes)


def booking_closed_event(*, actor: Any, booking: Any) -> AuditEvent:
    """The booking in force ended with its order: cancelled or delivered."""
    action = BOOKING_DELIVERED if booking.state == "delivered" else BOOKING_CANCELLED
    changes = {"booking": booking.pk, "state": booking.state}
    return audit_record(actor=actor, action=action, target=booking.order, changes=changes)


# Part D: the day's route plan (O-43, O-45).
ROUTES_PLANNED = audit_action("route.planned", _("The day's routes planned"))
ROUTES_PUBLISHED = audit_action("route.published", _("The day's routes published"))
ROUTES_REOPENED = audit_action("route.reopened", _("Published routes reopened for changes"))
DROP_MOVED = audit_action("route.drop_moved", _("A drop moved to another truck"))
DROP_PINNED = audit_action("route.drop_pinned", _("A drop pinned to its truck, or let go"))


def routes_planned_event(*, actor: Any, plan: Any, planned: int, unplanned: int) -> AuditEvent:
    changes = {
        "day": plan.day, "solver": plan.solver, "planned": planned, "unplanned": unplanned,
        "distance_m": plan.distance_m, "seconds": plan.seconds,
    }  # fmt: skip
    return audit_record(actor=actor, action=ROUTES_PLANNED, target=plan, changes=changes)


def routes_published_event(*, actor: Any, plan: Any, routes: list[str]) -> AuditEvent:
    """O-43: each truck's orders in the order of driving, as the warehouse loads them."""
    changes = {"routes": routes}
    return audit_record(actor=actor, action=ROUTES_PUBLISHED, target=plan, changes=changes)


def routes_reopened_event(*, actor: Any, plan: Any, reason: str) -> AuditEvent:
    changes = {"reason": reason}
    return audit_record(actor=actor, action=ROUTES_REOPENED, target=plan, changes=changes)


def drop_moved_event(*, actor: Any, drop: Any, before: str, after: str) -> AuditEvent:
    changes = {"order": drop.order.number, "truck": [before, after]}
    return audit_record(actor=actor, action=DROP_MOVED, target=drop, changes=changes)


def drop_pinned_event(*, actor: Any, drop: Any) -> AuditEvent:
    changes = {"order": drop.order.number, "pinned": drop.pinned}
    return audit_record(actor=actor, action=DROP_PINNED, target=drop, changes=changes)


# Part H: outside carriers (O-23, O-21).
CARRIER_SAVED = audit_action("carrier.saved", _("Outside carrier added or changed"))
CARRIER_BOOKED = audit_action("carrier.booked", _("Outside carrier booked for an order"))
CARRIER_STATUS = audit_action("carrier.status", _("Carrier shipment's status changed"))
CARRIER_PAPER = audit_action("carrier.paper_received", _("Paper back from the carrier received"))
FREIGHT_PAID = audit_action("carrier.freight_paid", _("Carrier's freight paid"))


def carrier_saved_event(*, actor: Any, carrier: Any, changes: dict[str, Any]) -> AuditEvent:
    return audit_record(actor=actor, action=CARRIER_SAVED, target=carrier, changes=changes)


def carrier_booked_event(*, actor: Any, shipment: Any) -> AuditEvent:
    changes = {
        "order": shipment.order.number, "carrier": shipment.carrier.name,
        "waybill": shipment.waybill, "freight": shipment.freight,
    }  # fmt: skip
    return audit_record(actor=actor, action=CARRIER_BOOKED, target=shipment, changes=changes)


def carrier_status_event(*, actor: Any, shipment: Any, before: str, note: str) -> AuditEvent:
    changes = {"status": [before, shipment.status], "note": note}
    return audit_record(actor=actor, action=CARRIER_STATUS, target=shipment, changes=changes)


def carrier_paper_event(*, actor: Any, shipment: Any, paper: str) -> AuditEvent:
    """O-23: which of the three papers came back; O-21: who signed the original."""
    changes = {"paper": paper, "order": shipment.order.number}
    if paper == "signed_original":
        changes["signed_by"] = shipment.original_signed_by
    return audit_record(actor=actor, action=CARRIER_PAPER, target=shipment, changes=changes)


def freight_paid_event(*, actor: Any, shipment: Any) -> AuditEvent:
    changes = {"freight": shipment.freight, "reference": shipment.freight_reference}
    return audit_record(actor=actor, action=FREIGHT_PAID, target=shipment, changes=changes)


# Part E: the call the day before (O-43, O-42).
CUSTOMER_TOLD = audit_action("delivery.told", _("Customer told the day before"))
CUSTOMER_TOLD_AGAIN = audit_action("delivery.told_again", _("Customer called again the day before"))
CUSTOMER_EMAILED = audit_action("delivery.emailed", _("Day-before message e-mailed"))


def customer_told_event(*, actor: Any, drop: Any, told_to: str, again: bool) -> AuditEvent:
    """O-43: whom the caller told of the day, the window and the amount; a second call is
    recorded here only (the drop keeps the first)."""
    action = CUSTOMER_TOLD_AGAIN if again else CUSTOMER_TOLD
    changes = {"order": drop.order.number, "told_to": told_to}
    return audit_record(actor=actor, action=action, target=drop, changes=changes)


def customer_emailed_event(*, actor: Any, drop: Any, address: str) -> AuditEvent:
    changes = {"order": drop.order.number, "email": address, "emailed_at": drop.emailed_at}
    return audit_record(actor=actor, action=CUSTOMER_EMAILED, target=drop, changes=changes)


# The fleet and the zones (issue 14 point 1).
TRUCK_SAVED = audit_action("fleet.truck_saved", _("Truck added or changed"))
DRIVER_SAVED = audit_action("fleet.driver_saved", _("Driver added or changed"))
ZONE_SET = audit_action("fleet.zone_set", _("District's zone set"))
ZONE_REMOVED = audit_action("fleet.zone_removed", _("District taken off the zone list"))


def truck_saved_event(*, actor: Any, truck: Any, changes: dict[str, Any]) -> AuditEvent:
    """A new truck's values, or each changed value as [before, after]."""
    return audit_record(actor=actor, action=TRUCK_SAVED, target=truck, changes=changes)


def driver_saved_event(*, actor: Any, driver: Any, changes: dict[str, Any]) -> AuditEvent:
    return audit_record(actor=actor, action=DRIVER_SAVED, target=driver, changes=changes)


def zone_set_event(*, actor: Any, zone: Any, before: str) -> AuditEvent:
    """O-45: the district's zone was ``before`` ("" when it was not listed)."""
    changes = {"city": zone.city, "district": zone.district, "zone": [before, zone.kind]}
    return audit_record(actor=actor, action=ZONE_SET, target=zone, changes=changes)


def zone_removed_event(*, actor: Any, zone: Any) -> AuditEvent:
    changes = {"city": zone.city, "district": zone.district, "zone": [zone.kind, ""]}
    return audit_record(actor=actor, action=ZONE_REMOVED, target=zone, changes=changes)


# Failed deliveries followed up (O-44): the goods back, the customer told, the drop rebooked,
# the redelivery freight charged to the side at fault.
FAILURE_GOODS_BACK = audit_action(
    "delivery.failure_goods_back", _("A failed delivery's goods booked back into stock")
)
FAILURE_TOLD = audit_action("delivery.failure_told", _("Customer told of a failed delivery"))
FAILURE_REBOOKED = audit_action("delivery.failure_rebooked", _("Failed delivery rebooked"))
FAILURE_FREIGHT = audit_action(
    "delivery.failure_freight_charged", _("Redelivery freight charged to the side at fault")
)


def failure_goods_back_event(*, actor: Any, failure: Any, moves: list[Any]) -> AuditEvent:
    """What came back: each batch, where to and how much."""
    back = [f"{move.batch.number} → {move.to_location} {move.quantity}" for move in moves]
    return audit_record(
        actor=actor, action=FAILURE_GOODS_BACK, target=failure.order,
        changes={"failure": failure.pk, "moves": "; ".join(back)},
    )  # fmt: skip


def failure_told_event(*, actor: Any, failure: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=FAILURE_TOLD, target=failure.order,
        changes={"failure": failure.pk, "told_to": failure.customer_told_to},
    )  # fmt: skip


def failure_rebooked_event(*, actor: Any, failure: Any) -> AuditEvent:
    booking = failure.rebooking
    return audit_record(
        actor=actor, action=FAILURE_REBOOKED, target=failure.order,
        changes={"failure": failure.pk, "booking": booking.pk, "days": str(booking)},
    )  # fmt: skip


def failure_freight_event(*, actor: Any, failure: Any, amount: Any) -> AuditEvent:
    """O-44: the freight, the share the side at fault pays, the amount and where it went."""
    return audit_record(
        actor=actor, action=FAILURE_FREIGHT, target=failure.order,
        changes={
            "failure": failure.pk, "fault": failure.fault, "freight": failure.freight,
            "share": failure.fault_share, "amount": amount,
            "charged_as": failure.charge_reference,
        },
    )  # fmt: skip
