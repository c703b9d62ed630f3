"""What the warehouse signs into the audit log: one action and one function per event
(audit/actions.py). The stock moves themselves are the ledger, readable on the stock pages."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record

RESERVATIONS_CHANGED = audit_action("stock.reserve", _("Stock reserved or released"))
SPLIT_AGREED = audit_action("stock.split_agreed", _("Customer agreed to a split over batches"))
RETURNED_STOCK_IN = audit_action("stock.returned", _("Returned goods booked into their batch"))
STOCK_RECOUNTED = audit_action(
    "stock.recounted", _("Stock figures corrected from the ledger's recount")
)
SUBSTITUTION_CHOSEN = audit_action(
    "stock.substitution", _("Customer chose a substitute for a self-pickup")
)
RECEIPT_CREATED = audit_action("stock.received", _("Goods received by batch"))
PICKED = audit_action("stock.picked", _("Goods picked for an order"))
PICK_UNDONE = audit_action("stock.pick_undone", _("A pick taken back"))
PICK_CHECKED = audit_action("stock.pick_checked", _("Goods checked before shipping"))
PACKAGES_SHIPPED = audit_action("stock.packages_shipped", _("Picked boxes left with the order"))


def reservations_changed_event(
    *, actor: Any, order: Any, changes: list[str], reason: str = ""
) -> AuditEvent:
    """``changes``: each batch and what the order now holds more (+) or less (−) of it."""
    values = {"reservations": "; ".join(changes)} | ({"reason": reason} if reason else {})
    return audit_record(actor=actor, action=RESERVATIONS_CHANGED, target=order, changes=values)


def split_agreed_event(*, actor: Any, agreement: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=SPLIT_AGREED, target=agreement.order,
        changes={"product": agreement.product.sku, "agreed_by": agreement.agreed_by},
    )  # fmt: skip


def substitution_chosen_event(*, actor: Any, substitution: Any) -> AuditEvent:
    """O-61: what the line asked for, what the customer takes instead, and who chose it."""
    return audit_record(
        actor=actor, action=SUBSTITUTION_CHOSEN, target=substitution.order,
        changes={
            "product": [substitution.original.sku, substitution.substitute.sku],
            "chosen_by": substitution.chosen_by,
        },
    )  # fmt: skip


def returned_stock_in_event(*, actor: Any, goods_return: Any, moves: list[Any]) -> AuditEvent:
    """O-62, O-63, O-50: each line back into its batch, and where it went (its grade)."""
    placed = "; ".join(
        f"{move.batch.number} {format(move.quantity.normalize(), 'f')} → {move.to_location}"
        for move in moves
    )
    return audit_record(
        actor=actor, action=RETURNED_STOCK_IN, target=goods_return.order,
        changes={"return": str(goods_return), "stock": placed},
    )  # fmt: skip


def stock_recounted_event(*, actor: Any, batch: Any, differences: list[Any]) -> AuditEvent:
    """The figures of one batch the recount set back to the ledger's: each was, now is."""
    return audit_record(
        actor=actor, action=STOCK_RECOUNTED, target=batch,
        changes={
            (f"location {d.location}" if d.location else "on_hand"): [d.recorded, d.ledger]
            for d in differences
        },
    )  # fmt: skip


def picked_event(*, actor: Any, pick: Any) -> AuditEvent:
    """O-58: what was taken for the order: the box (or none), its batch, place and quantity."""
    return audit_record(
        actor=actor, action=PICKED, target=pick.reservation.order,
        changes=pick_changes(pick),
    )  # fmt: skip


def pick_undone_event(*, actor: Any, pick: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=PICK_UNDONE, target=pick.reservation.order,
        changes=pick_changes(pick),
    )  # fmt: skip


def pick_changes(pick: Any) -> dict[str, str]:
    return {
        "package": pick.package.code if pick.package_id else "",
        "batch": pick.reservation.batch.number, "location": str(pick.location),
        "quantity": format(pick.quantity.normalize(), "f"),
    }  # fmt: skip


def pick_checked_event(*, actor: Any, check: Any) -> AuditEvent:
    """O-58: the four checks of one product, as recorded, and the note."""
    return audit_record(
        actor=actor, action=PICK_CHECKED, target=check.order,
        changes={
            "product": check.product.sku, "colour_compared": check.colour_compared,
            "quality_ok": check.quality_ok, "colour_code_ok": check.colour_code_ok,
            "size_ok": check.size_ok, "note": check.note,
        },
    )  # fmt: skip


def packages_shipped_event(*, actor: Any, order: Any, codes: list[str]) -> AuditEvent:
    return audit_record(
        actor=actor, action=PACKAGES_SHIPPED, target=order, changes={"packages": ", ".join(codes)}
    )


def receipt_created_event(*, actor: Any, receipt: Any, lines: list[Any]) -> AuditEvent:
    """Each line's batch, quantity and place, and how many labels were made."""
    received = "; ".join(
        f"{line.batch.product.sku} {line.batch.number} "
        f"{format(line.quantity.normalize(), 'f')} → {line.location} ({line.packages})"
        for line in lines
    )
    return audit_record(
        actor=actor, action=RECEIPT_CREATED, target=receipt,
        changes={"source": receipt.source, "supplier": receipt.supplier, "lines": received},
    )  # fmt: skip


# Moves and write-offs by hand, and stock counts (the stock pages, part E).
STOCK_MOVED = audit_action("stock.moved", _("Goods moved between locations"))
STOCK_WRITTEN_OFF = audit_action("stock.written_off", _("Goods written off"))
COUNT_STARTED = audit_action("stock.count_started", _("Stock count started"))
COUNT_SUBMITTED = audit_action("stock.count_submitted", _("Stock count submitted for approval"))
COUNT_APPROVED = audit_action("stock.count_approved", _("Stock count approved, differences booked"))
COUNT_REJECTED = audit_action("stock.count_rejected", _("Stock count rejected"))


def move_changes(move: Any) -> dict[str, str]:
    return {
        "batch": move.batch.number, "quantity": format(move.quantity.normalize(), "f"),
        "from": str(move.from_location or ""), "to": str(move.to_location or ""),
        "reason": move.reason,
    }  # fmt: skip


def stock_moved_event(*, actor: Any, move: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=STOCK_MOVED, target=move.batch, changes=move_changes(move)
    )


def stock_written_off_event(*, actor: Any, move: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=STOCK_WRITTEN_OFF, target=move.batch, changes=move_changes(move)
    )


def count_started_event(*, actor: Any, count: Any, lines: int) -> AuditEvent:
    place = str(count.location or count.warehouse)
    return audit_record(
        actor=actor, action=COUNT_STARTED, target=count, changes={"place": place, "lines": lines}
    )


def count_submitted_event(*, actor: Any, count: Any, differences: int) -> AuditEvent:
    return audit_record(
        actor=actor, action=COUNT_SUBMITTED, target=count, changes={"differences": differences}
    )


def count_approved_event(*, actor: Any, count: Any, booked: list[str]) -> AuditEvent:
    """Each difference booked: batch, place and the quantity more (+) or less (−)."""
    return audit_record(
        actor=actor, action=COUNT_APPROVED, target=count, changes={"booked": "; ".join(booked)}
    )


def count_rejected_event(*, actor: Any, count: Any) -> AuditEvent:
    return audit_record(
        actor=actor, action=COUNT_REJECTED, target=count,
        changes={"reason": count.decision_note},
    )  # fmt: skip


LOADING_RUNS_SET = audit_action(
    "stock.loading_runs", _("The day's loading runs set from the route plan")
)


def loading_runs_set_event(*, actor: Any, run: Any, day: Any, runs: list[str]) -> AuditEvent:
    """O-43: each truck of the day and its orders in loading order."""
    return audit_record(
        actor=actor, action=LOADING_RUNS_SET, target=run, changes={"day": day, "runs": runs}
    )
