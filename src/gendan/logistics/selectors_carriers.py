"""Reads of outside carriers and their shipments (O-23): the list with its search and filters,
whether a shipment's freight may be paid and why not (O-21), the freight to pay with totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.logistics.models import THREE_PAPERS_IN, Carrier, CarrierShipment
from gendan.orders.routes import DELIVER

# The three papers the carrier brings back (O-23), by the name of their fields.
PAPERS = {
    "signed_original": _("the customer-signed original"),
    "our_note": _("our delivery note"),
    "carrier_waybill": _("the carrier's waybill"),
}
ALREADY_PAID = _("The freight of this shipment is already paid (%(when)s).")
PAPERS_MISSING = _(
    "O-23: finance pays the freight only against the three papers; still missing: %(papers)s."
)
NOT_SIGNED_FOR = _(
    "O-21: the customer has not signed for this delivery (the deliver step is not signed): "
    "no freight is paid for it."
)
SIGNED_FOR = Q(order__signed__has_key=DELIVER.code)
PAYABLE = THREE_PAPERS_IN & SIGNED_FOR & Q(freight_paid_at__isnull=True)
# The list's "freight" filter: payable now, waiting for papers or the signature, paid.
FREIGHT_FILTERS = {
    "payable": PAYABLE,
    "waiting": Q(freight_paid_at__isnull=True) & ~(THREE_PAPERS_IN & SIGNED_FOR),
    "paid": Q(freight_paid_at__isnull=False),
}
SORTS = {
    "booked_at": "booked_at", "-booked_at": "-booked_at", "freight": "freight",
    "-freight": "-freight", "order": "order__number", "-order": "-order__number",
    "status": "status", "-status": "-status",
}  # fmt: skip


def freight_refusals(shipment: CarrierShipment) -> list[str]:
    """Why finance may not pay this shipment's freight now, each naming what is missing."""
    if shipment.freight_paid_at is not None:
        when = timezone.localtime(shipment.freight_paid_at)
        return [ALREADY_PAID % {"when": f"{when:%Y-%m-%d %H:%M}"}]
    refusals = []
    missing = [str(label) for paper, label in PAPERS.items() if paper_missing(shipment, paper)]
    if missing:
        refusals.append(PAPERS_MISSING % {"papers": "、".join(missing)})
    if DELIVER.code not in shipment.order.signed:
        refusals.append(str(NOT_SIGNED_FOR))
    return refusals


def paper_missing(shipment: CarrierShipment, paper: str) -> bool:
    return getattr(shipment, f"{paper}_at") is None


def carrier_list(*, search: str = "", active: str = "") -> QuerySet[Carrier]:
    carriers = Carrier.objects.annotate(shipment_count=Count("shipments"))
    if search:
        carriers = carriers.filter(
            Q(name__icontains=search) | Q(contact__icontains=search) | Q(phone__icontains=search)
        )
    if active in ("yes", "no"):
        carriers = carriers.filter(is_active=active == "yes")
    return carriers.order_by("-is_active", "name")


def shipment_list(
    *, search: str = "", status: str = "", carrier: str = "", freight: str = "",
    order: str = "-booked_at",
) -> QuerySet[CarrierShipment]:  # fmt: skip
    """Shipments, newest first: by order number, waybill or customer (``search``), status,
    carrier, and whether the freight is payable, waiting or paid."""
    shipments = CarrierShipment.objects.select_related("order__customer", "carrier", "booked_by")
    if search:
        shipments = shipments.filter(
            Q(order__number__icontains=search) | Q(waybill__icontains=search)
            | Q(order__customer__name__icontains=search)
        )  # fmt: skip
    if status:
        shipments = shipments.filter(status=status)
    if carrier.isdigit():
        shipments = shipments.filter(carrier_id=int(carrier))
    if freight in FREIGHT_FILTERS:
        shipments = shipments.filter(FREIGHT_FILTERS[freight])
    return shipments.order_by(SORTS.get(order, "-booked_at"), "-pk")


def freight_to_pay(
    *, carrier: str = "", start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[CarrierShipment]:
    """O-23, O-21: the freight finance may pay now (three papers in, signed for, not paid),
    oldest first, booked between two days."""
    shipments = shipment_list(carrier=carrier, freight="payable", order="booked_at")
    if start is not None:
        shipments = shipments.filter(booked_at__date__gte=start)
    if end is not None:
        shipments = shipments.filter(booked_at__date__lte=end)
    return shipments


def freight_totals(shipments: QuerySet[CarrierShipment]) -> dict:
    """The count and sum of the freight, in all and per carrier."""
    overall = shipments.aggregate(count=Count("pk"), total=Sum("freight"))
    per_carrier = (
        shipments.order_by()
        .values("carrier__name")
        .annotate(count=Count("pk"), total=Sum("freight"))
        .order_by("carrier__name")
    )
    rows = [row | {"total": cents(row["total"])} for row in per_carrier]
    return {"count": overall["count"], "total": cents(overall["total"]), "carriers": rows}


def cents(amount: Decimal | None) -> Decimal:
    """A sum of money to the cent (SQLite's sums drop the trailing zeros)."""
    return (amount or Decimal("0")).quantize(Decimal("0.01"))
