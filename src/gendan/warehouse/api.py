"""The warehouse's JSON API (django-ninja): stock, receipts, reservations, picking, counts."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from gendan.core.api_helpers import permission_require
from gendan.orders.selectors import order_get
from gendan.warehouse.api_picking import router as picking_router
from gendan.warehouse.api_pickup import router as pickup_router
from gendan.warehouse.api_receiving import router as receiving_router
from gendan.warehouse.api_reservations import router as reservations_router
from gendan.warehouse.api_stock import router as stock_router
from gendan.warehouse.selectors import order_stock

router = Router(tags=["warehouse"])
router.add_router("", receiving_router)  # goods received by batch, their labels
router.add_router("", pickup_router)  # O-61: a self-pickup's stock and substitutes
router.add_router("", picking_router)  # O-18, O-58: notes to prepare, picks, checks
router.add_router("", reservations_router)  # O-58: shortfalls, the customer's split agreement
router.add_router("", stock_router)  # stock pages: moves, write-offs, counts, low stock


class ReservationOut(Schema):
    id: int
    product: str
    batch: str
    quantity: str
    state: str
    reserved_at: str


@router.get("/orders/{order_id}/reservations", response=list[ReservationOut])
def order_reservations(request: HttpRequest, order_id: int) -> list[ReservationOut]:
    """What the order holds in the warehouse, by product and batch (O-58)."""
    permission_require(request, "warehouse.view_batch")
    order = order_get(user=request.user, pk=order_id)
    return [
        ReservationOut(
            id=r.pk,
            product=r.product.sku,
            batch=r.batch.number,
            quantity=str(r.quantity),
            state=r.state,
            reserved_at=r.reserved_at.isoformat(),
        )
        for r in order_stock(order)["reservations"]
    ]
