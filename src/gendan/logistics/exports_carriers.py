"""The freight to pay (O-23) as .xlsx, with the filters of its page and a total row."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.logistics.models import CarrierShipment
from gendan.logistics.selectors_carriers import freight_totals
from gendan.orders.exports import workbook_of


def freight_xlsx(shipments: QuerySet[CarrierShipment]) -> bytes:
    columns = [
        (_("Carrier"), 18),
        (_("Waybill number"), 18),
        (_("Order"), 14),
        (_("Customer"), 24),
        (_("Booked at"), 17),
        (_("Signed by"), 14),
        (_("Freight (CNY)"), 14),
    ]
    rows = [
        [
            shipment.carrier.name,
            shipment.waybill,
            shipment.order.number,
            shipment.order.customer.name,
            f"{timezone.localtime(shipment.booked_at):%Y-%m-%d %H:%M}",
            shipment.original_signed_by,
            float(shipment.freight),
        ]
        for shipment in shipments
    ]
    totals = freight_totals(shipments)
    rows.append([_("Total"), "", "", "", "", "", float(totals["total"])])
    return workbook_of(_("Freight to pay"), columns, rows)
