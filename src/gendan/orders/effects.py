"""What follows an order's steps, declared once, read top to bottom.

Each reaction is the dotted path of a function in the app that reacts: those apps import
orders, orders never imports them, so the path is resolved only when the reaction runs. A
reaction is recorded with its step, in the step's transaction, and the task worker carries it
out afterwards (services/effects.py): a failing one is retried later and never undoes the
signature. The warehouse, delivery and installation work add their reactions here.
"""

from __future__ import annotations

from gendan.orders.routes import CLOSE, DELIVER, DELIVERY_NOTE, SHIP

# A signed step: its reactions, each called as ``function(order, entry)`` with the order and
# the step log entry of the signature.
STEP_EFFECTS: dict[str, tuple[str, ...]] = {
    # E-1: a closed (paid) order counts as a purchase of its homeowner in the shop CRM.
    CLOSE.code: ("gendan.crm.services.events.order_closed_record",),
}

# Work another app does in the transaction of a signature, after the step's checks and
# before it is written; each called as ``function(order=, actor=)``. It may refuse the step
# (StepRefused, with its reasons): then neither the work nor the signature stands.
STEP_WORK: dict[str, tuple[str, ...]] = {
    # O-18, O-58: making the delivery note reserves each product from one batch.
    DELIVERY_NOTE.code: ("gendan.warehouse.services.reservations.order_reserve",),
    # O-20, O-58: the goods leave as picked and checked; their stock moves are written.
    SHIP.code: ("gendan.warehouse.services.shipping.order_ship",),
    # O-41: the booking in force is delivered (whoever signs: the driver's page or the order's).
    DELIVER.code: ("gendan.logistics.services.booking.booking_delivered",),
}

# Work in the transaction of a change or an addition (O-7), after the new lines are written,
# called as ``function(order=, actor=)``; a refusal (ValidationError) refuses the change.
CHANGE_WORK: tuple[str, ...] = (
    # O-58: what the changed order needs is reserved again, from the batches it holds if
    # they have enough.
    "gendan.warehouse.services.reservations.order_reservations_follow",
)

# Work in the transaction of a cancellation, called as ``function(order=, actor=)``.
CANCEL_WORK: tuple[str, ...] = (
    # What the order held in the warehouse is given back.
    "gendan.warehouse.services.reservations.order_release",
    # O-41: its delivery booking is cancelled: nothing is planned for it any more.
    "gendan.logistics.services.booking.booking_cancel",
)

# Work in the transaction of a return's booking-in (orders/returns.py ``return_receive``),
# called as ``function(order=, actor=, goods_return=, grading=)``: the grading is the
# warehouse's, line by line (orders/return_grading.py); a refusal (ValidationError) refuses
# the booking, and nothing of it stands.
RETURN_WORK: tuple[str, ...] = (
    # O-62, O-63: the goods go back into the batch they shipped from, graded on inspection.
    "gendan.warehouse.services.returns.return_stock_in",
)

# What the people of another app do before a step can be signed, for the walks of the demo and
# the benchmark (simulate.py), called as ``function(order=, actor=)`` with that app's signer; a
# refusal (ValidationError) leaves the order waiting there, as it would.
PREPARE_WORK: dict[str, tuple[str, ...]] = {
    # O-18, O-58: the warehouse picks the reserved batches and records the checks.
    SHIP.code: ("gendan.warehouse.services.picking.order_pick_all",),
}

# A step signed again after a later one sent the order back to it (services/send_back.py),
# called as the ORDER_CHANGED ones are.
SIGNED_AGAIN: tuple[str, ...] = (
    # O-15: the profit note the dealer sent back is issued again, as a new version.
    "gendan.documents.services.documents_refresh",
)

# Every signed step, whichever it is: its reactions, called as STEP_EFFECTS' are, after those
# of the step itself.
NEXT_STEP_EFFECTS: tuple[str, ...] = (
    # The users who sign the step the order now waits at are told: in the page (the bell), and
    # by e-mail when it is configured (a second effect, recorded by this one); what told of the
    # step just signed is settled (it is nobody's turn any more).
    "gendan.notifications.services.next_step_notify",
)

# A change or an addition written onto the order (O-7): its reactions, each called as
# ``function(actor=, order=, reason=)``.
ORDER_CHANGED: tuple[str, ...] = (
    # O-7: each paper issued whose content changed gets a new version; the old is superseded.
    "gendan.documents.services.documents_refresh",
)

# A cancelled order (services/cancel.py): its reactions, each called as
# ``function(order, entry)`` with the step log entry of the cancellation.
ORDER_CANCELLED: tuple[str, ...] = (
    # Each paper issued gets a void version, marked VOID; the versions before keep their bytes.
    "gendan.documents.services.documents_void",
    # It is nobody's turn on it any more: its unread notifications leave the bells.
    "gendan.notifications.services.order_cancelled_settle",
)
