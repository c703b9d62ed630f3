"""The only place the warehouse locks rows: always batches before levels, each by pk, so two
transactions that touch the same rows take their locks in the same order and never deadlock."""

from __future__ import annotations

from collections.abc import Iterable

from gendan.warehouse.models import Batch, Package, Reservation, StockLevel


def batches_lock(pks: Iterable[int]) -> dict[int, Batch]:
    """The batches, locked for the rest of the transaction, by pk."""
    rows = (
        Batch.objects.select_for_update(of=("self",))
        .select_related("product")
        .filter(pk__in=set(pks))
        .order_by("pk")
    )
    return {batch.pk: batch for batch in rows}


def levels_lock(places: Iterable[tuple[int, int]]) -> dict[tuple[int, int], StockLevel]:
    """The levels of (batch, location) pairs that exist, locked, keyed by the pair."""
    places = sorted(set(places))
    if not places:
        return {}
    batch_pks = {batch for batch, _location in places}
    rows = (
        StockLevel.objects.select_for_update()
        .filter(batch__in=batch_pks, location__in={location for _batch, location in places})
        .order_by("pk")
    )
    return {(row.batch_id, row.location_id): row for row in rows}


def reservations_lock(order_pk: int) -> list[Reservation]:
    """The order's active reservations, locked by pk: picking and shipping them take turns
    (a pick taken back while the ship step reads the picks would ship what is not picked)."""
    return list(
        Reservation.objects.select_for_update(of=("self",))
        .select_related("batch", "product")
        .filter(order_id=order_pk, state=Reservation.State.ACTIVE)
        .order_by("pk")
    )


def shipped_reservations_lock(order_pk: int) -> list[Reservation]:
    """The order's shipped reservations, locked by pk: a failed delivery's goods come back
    into them (services/failed_delivery.py), once, however many ask at the same moment."""
    return list(
        Reservation.objects.select_for_update(of=("self",))
        .select_related("batch", "product")
        .filter(order_id=order_pk, state=Reservation.State.SHIPPED)
        .order_by("pk")
    )


def package_lock(code: str) -> Package | None:
    """The box with this label, locked (two people scanning it at once pick it once)."""
    return (
        Package.objects.select_for_update(of=("self",))
        .select_related("batch__product", "location")
        .filter(code__iexact=code)
        .first()
    )
