"""Outside carriers (O-23): logistics keeps the carriers, books one for an order (waybill and
freight), follows its status; the three papers the carrier brings back are taken in; finance
pays the freight only against all three, and never for a delivery the customer has not signed
for (O-21). When the signed original is in, the deliver step can be signed from it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.logistics import audit_events
from gendan.logistics.locks import shipment_lock
from gendan.logistics.models import Carrier, CarrierShipment, CarrierStatus, CarrierStatusChange
from gendan.logistics.selectors_carriers import PAPERS, freight_refusals
from gendan.orders.models import Order
from gendan.orders.routes import DELIVER, FINISHED, RECEIVING_DOCUMENT_NEEDED
from gendan.orders.services.steps import StepRefused, order_lock
from gendan.orders.services.verification import order_step_sign
from gendan.parties.models import CustomerKind

ADD_CARRIER, CHANGE_CARRIER = "logistics.add_carrier", "logistics.change_carrier"
BOOK, TRACK = "logistics.add_carriershipment", "logistics.change_carriershipment"
PAY = "logistics.pay_freight"

SELF_PICKUP = _("O-23: a self-pickup leaves with the customer; no carrier is booked for it.")
ORDER_FINISHED = _("The order is closed or cancelled; no carrier is booked for it.")
ALREADY_DELIVERED = _("O-21: the customer has already signed for this delivery.")
ALREADY_WITH_CARRIER = _(
    "O-23: the order is already with %(carrier)s (waybill %(waybill)s); only after a problem "
    "is another carrier booked."
)
CARRIER_NOT_IN_USE = _("%(carrier)s is no longer in use; choose another carrier.")
WAYBILL_NEEDED = _("O-23: enter the carrier's waybill number.")
WAYBILL_TAKEN = _("%(carrier)s's waybill %(waybill)s is already booked for another order.")
STATUS_MOVE_REFUSED = _("A shipment that is “%(before)s” cannot become “%(after)s”.")
PROBLEM_NEEDS_NOTE = _("Say what the problem is.")
NOT_A_PAPER = _("Not one of the three papers the carrier brings back.")
PAPER_ALREADY_IN = _("%(paper)s is already in (%(when)s, %(who)s).")
SIGNER_NEEDED = _("O-21: enter who received the goods and signed the original.")
REFERENCE_NEEDED = _("Say how the freight was paid (a transfer's reference, a cheque number).")
ORIGINAL_NOT_IN = _("O-21: the customer-signed original is not in yet.")

# What a shipment's status may become (django-oscar's pipeline as data): a delivered one is
# done; a problem is followed up (picked up again, on its way, delivered after all).
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    CarrierStatus.BOOKED: (CarrierStatus.PICKED_UP, CarrierStatus.PROBLEM),
    CarrierStatus.PICKED_UP: (
        CarrierStatus.IN_TRANSIT,
        CarrierStatus.DELIVERED,
        CarrierStatus.PROBLEM,
    ),
    CarrierStatus.IN_TRANSIT: (CarrierStatus.DELIVERED, CarrierStatus.PROBLEM),
    CarrierStatus.PROBLEM: (
        CarrierStatus.PICKED_UP,
        CarrierStatus.IN_TRANSIT,
        CarrierStatus.DELIVERED,
    ),
    CarrierStatus.DELIVERED: (),
}
CARRIER_FIELDS = ("name", "phone", "contact", "is_active")


def permission_check(actor: User, *permissions: str) -> None:
    if not any(actor.has_perm(permission) for permission in permissions):
        raise PermissionDenied


@transaction.atomic
def carrier_create(
    *, actor: User, name: str, phone: str = "", contact: str = "", is_active: bool = True
) -> Carrier:
    permission_check(actor, ADD_CARRIER)
    carrier = Carrier(name=name.strip(), phone=phone, contact=contact, is_active=is_active)
    carrier.full_clean()
    carrier.save()
    changes = {name: getattr(carrier, name) for name in CARRIER_FIELDS}
    audit_events.carrier_saved_event(actor=actor, carrier=carrier, changes=changes)
    return carrier


@transaction.atomic
def carrier_update(*, actor: User, carrier: Carrier, **fields: Any) -> Carrier:
    """Change the fields given; the audit log keeps what each was and became."""
    permission_check(actor, CHANGE_CARRIER)
    carrier = Carrier.objects.select_for_update().get(pk=carrier.pk)
    changes = {}
    for name in CARRIER_FIELDS:
        if name in fields and fields[name] != getattr(carrier, name):
            changes[name] = [getattr(carrier, name), fields[name]]
            setattr(carrier, name, fields[name])
    carrier.full_clean()
    carrier.save()
    if changes:
        audit_events.carrier_saved_event(actor=actor, carrier=carrier, changes=changes)
    return carrier


def booking_refusals(order: Order, carrier: Carrier, waybill: str) -> list[str]:
    """Why this order cannot be booked with this carrier now; empty: it can."""
    if order.self_pickup:
        return [str(SELF_PICKUP)]
    if order.step in FINISHED:
        return [str(ORDER_FINISHED)]
    if DELIVER.code in order.signed:
        return [str(ALREADY_DELIVERED)]
    open_one = order.carrier_shipments.exclude(status=CarrierStatus.PROBLEM).first()
    if open_one is not None:
        return [ALREADY_WITH_CARRIER % {"carrier": open_one.carrier, "waybill": open_one.waybill}]
    if not carrier.is_active:
        return [CARRIER_NOT_IN_USE % {"carrier": carrier}]
    if not waybill:
        return [str(WAYBILL_NEEDED)]
    if CarrierShipment.objects.filter(carrier=carrier, waybill=waybill).exists():
        return [WAYBILL_TAKEN % {"carrier": carrier, "waybill": waybill}]
    return []


@transaction.atomic
def shipment_book(
    *, actor: User, order: Order, carrier: Carrier, waybill: str, freight: Decimal,
    note: str = "",
) -> CarrierShipment:  # fmt: skip
    """O-23: logistics books an outside carrier for an order: its waybill and the freight.
    The order is locked, so two bookings of one order take turns."""
    permission_check(actor, BOOK)
    order = order_lock(order.pk)
    waybill = waybill.strip()
    refusals = booking_refusals(order, carrier, waybill)
    if refusals:
        raise ValidationError(refusals)
    shipment = CarrierShipment(
        order=order, carrier=carrier, waybill=waybill, freight=freight, note=note, booked_by=actor
    )
    shipment.full_clean(validate_constraints=False)
    shipment.save()
    CarrierStatusChange.objects.create(
        shipment=shipment, status=shipment.status, note=note, changed_by=actor
    )
    audit_events.carrier_booked_event(actor=actor, shipment=shipment)
    return shipment


@transaction.atomic
def shipment_status(
    *, actor: User, shipment: CarrierShipment, status: str, note: str = ""
) -> CarrierShipment:
    """The carrier's news: a move the pipeline allows, written as a change row (append-only)."""
    permission_check(actor, TRACK)
    shipment = shipment_lock(shipment.pk)
    before = shipment.status
    if status not in STATUS_MOVES.get(before, ()):
        labels = {"before": CarrierStatus(before).label, "after": status_label(status)}
        raise ValidationError(STATUS_MOVE_REFUSED % labels)
    note = note.strip()
    if status == CarrierStatus.PROBLEM and not note:
        raise ValidationError(PROBLEM_NEEDS_NOTE)
    shipment.status = status
    shipment.save(update_fields=["status"])
    CarrierStatusChange.objects.create(
        shipment=shipment, status=status, note=note[:200], changed_by=actor
    )
    audit_events.carrier_status_event(actor=actor, shipment=shipment, before=before, note=note)
    return shipment


def status_label(status: str) -> str:
    return str(CarrierStatus(status).label) if status in CarrierStatus.values else status


@transaction.atomic
def shipment_document_received(
    *, actor: User, shipment: CarrierShipment, paper: str, signed_by: str = "",
    receiving_document: str = "",
) -> CarrierShipment:  # fmt: skip
    """O-23: one of the three papers is in (logistics or finance takes it). The signed
    original says who signed (O-21), and on a supermarket's order its receiving document."""
    permission_check(actor, TRACK, PAY)
    shipment = shipment_lock(shipment.pk)
    if paper not in PAPERS:
        raise ValidationError(NOT_A_PAPER)
    if getattr(shipment, f"{paper}_at") is not None:
        raise ValidationError(paper_already_in(shipment, paper))
    if paper == "signed_original":
        original_signer_set(shipment, signed_by.strip(), receiving_document.strip())
    setattr(shipment, f"{paper}_at", timezone.now())
    setattr(shipment, f"{paper}_by", actor)
    shipment.save()
    audit_events.carrier_paper_event(actor=actor, shipment=shipment, paper=paper)
    return shipment


def paper_already_in(shipment: CarrierShipment, paper: str) -> str:
    when = timezone.localtime(getattr(shipment, f"{paper}_at"))
    who = getattr(shipment, f"{paper}_by")
    return PAPER_ALREADY_IN % {
        "paper": PAPERS[paper],
        "when": f"{when:%Y-%m-%d %H:%M}",
        "who": who.display_name,
    }


def original_signer_set(shipment: CarrierShipment, signed_by: str, document: str) -> None:
    if not signed_by:
        raise ValidationError({"signed_by": SIGNER_NEEDED})
    if shipment.order.channel == CustomerKind.SUPERMARKET and not document:
        raise ValidationError({"receiving_document": RECEIVING_DOCUMENT_NEEDED})
    shipment.original_signed_by = signed_by[:60]
    shipment.receiving_document = document[:60]


@transaction.atomic
def shipment_freight_pay(
    *, actor: User, shipment: CarrierShipment, reference: str
) -> CarrierShipment:
    """O-23, O-21: finance pays the freight against the three papers, for a delivery the
    customer signed for; each refusal names what is missing. Locked: paid once."""
    permission_check(actor, PAY)
    shipment = shipment_lock(shipment.pk)
    refusals = freight_refusals(shipment)
    if refusals:
        raise ValidationError(refusals)
    if not reference.strip():
        raise ValidationError({"reference": REFERENCE_NEEDED})
    shipment.freight_paid_at = timezone.now()
    shipment.freight_paid_by = actor
    shipment.freight_reference = reference.strip()[:100]
    shipment.save(update_fields=["freight_paid_at", "freight_paid_by", "freight_reference"])
    audit_events.freight_paid_event(actor=actor, shipment=shipment)
    return shipment


def shipment_deliver_sign(*, actor: User, shipment: CarrierShipment) -> Order:
    """O-21: the customer's signature on the original the carrier brought back signs the
    order's deliver step, through the transition service (which checks the signer's role)."""
    with transaction.atomic():
        shipment = shipment_lock(shipment.pk)
        if shipment.signed_original_at is None:
            raise ValidationError(ORIGINAL_NOT_IN)
        record = {
            "received_by": shipment.original_signed_by,
            "receiving_document": shipment.receiving_document,
        }
        try:
            return order_step_sign(
                actor=actor, order=shipment.order, step=DELIVER.code, data=record
            )
        except StepRefused as refused:
            raise ValidationError(refused.reasons) from refused
