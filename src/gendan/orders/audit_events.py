"""What the orders app signs into the audit log: one action and one function per event
(audit/actions.py)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gendan.audit.actions import audit_action
from gendan.audit.models import AuditEvent
from gendan.audit.reading import VALUE_READERS
from gendan.audit.services import audit_record
from gendan.orders.models import PaymentMethod, RefundWay, VerificationItem

RECEIPT = audit_action("order.receipt", _("Money received"))


def receipt_event(*, actor: object, order: object, receipt: object) -> AuditEvent:
    return audit_record(
        actor=actor, action=RECEIPT, target=order,
        changes={"amount": receipt.amount, "method": receipt.method,
                 "install_fee": receipt.is_install_fee},
    )  # fmt: skip


# O-7: a change takes back the verification checks it affects.
CHECKS_RESET = audit_action("order.checks_reset", _("Verification checks taken back by a change"))


def checks_reset_event(*, actor: object, order: object, reset: dict, reason: str) -> AuditEvent:
    """``reset``: each check taken back, as [who confirmed it and when, None]."""
    return audit_record(actor=actor, action=CHECKS_RESET, target=order, changes=reset, note=reason)


# The dealer statement and the payers' credits (O-11, O-50, O-54, O-55).
PAYER_CREDIT = audit_action("order.payer_credit", _("Excess kept as the payer's credit"))
DEALER_PROFIT_CREDITED = audit_action("dealer.profit_credited", _("Dealer's profit credited"))
DEALER_SETTLEMENT = audit_action("dealer.settlement", _("Dealer settlement paid"))


def payer_credit_event(*, actor: object, order: object, credit: object) -> AuditEvent:
    return audit_record(
        actor=actor, action=PAYER_CREDIT, target=order,
        changes={"payer": credit.customer_id, "amount": credit.amount},
    )  # fmt: skip


def dealer_profit_credited_event(*, actor: object, order: object, entries: list) -> AuditEvent:
    return audit_record(
        actor=actor, action=DEALER_PROFIT_CREDITED, target=order,
        changes={LEDGER_KEYS[entry.kind]: entry.amount for entry in entries},
    )  # fmt: skip


# How the statement's entries are named in the log (audit/reading.py reads them as money).
LEDGER_KEYS = {"profit": "profit", "install_fee": "install_fee_offset"}


def dealer_settlement_event(*, actor: object, dealer: object, entry: object) -> AuditEvent:
    return audit_record(
        actor=actor, action=DEALER_SETTLEMENT, target=dealer,
        changes={"amount": -entry.amount, "method": entry.method, "reference": entry.reference},
    )  # fmt: skip


# O-15: the dealer sends the profit note back to the clerk's note step, with its reason.
STEP_SENT_BACK = audit_action("order.step_sent_back", _("Sent back to an earlier step"))


def step_sent_back_event(
    *, actor: object, order: object, step: str, to: str, withdrawn: list[str], reason: str
) -> AuditEvent:
    """``withdrawn``: the steps whose signatures no longer count, from ``to`` to ``step``."""
    return audit_record(
        actor=actor, action=STEP_SENT_BACK, target=order,
        changes={"step": [step, to], "withdrawn": withdrawn}, note=reason,
    )  # fmt: skip


# An order cancelled (services/cancel.py): directly, or asked for by the clerk after finance
# signed and approved or refused by the sales supervisor.
ORDER_CANCEL = audit_action("order.cancelled", _("Order cancelled"))
ORDER_CANCEL_REQUEST = audit_action("order.cancel_requested", _("Cancellation asked for"))
ORDER_CANCEL_REFUSAL = audit_action("order.cancel_refused", _("Cancellation refused"))


def order_cancelled_event(
    *, actor: object, order: object, reason: str, from_step: str, asked_by: str = ""
) -> AuditEvent:
    """``asked_by``: the clerk whose request the sales supervisor approved, if any."""
    changes = {"step": [from_step, order.step]} | ({"asked_by": asked_by} if asked_by else {})
    return audit_record(
        actor=actor, action=ORDER_CANCEL, target=order, changes=changes, note=reason
    )


def order_cancel_requested_event(*, actor: object, order: object, reason: str) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_CANCEL_REQUEST, target=order, note=reason)


def order_cancel_refused_event(
    *, actor: object, order: object, reason: str, asked_by: str
) -> AuditEvent:
    return audit_record(
        actor=actor, action=ORDER_CANCEL_REFUSAL, target=order, changes={"asked_by": asked_by},
        note=reason,
    )  # fmt: skip


# An order's life outside its steps: registration, the original, verification's findings and
# changes, a customer's orders moved by a merge, imports, returns, dealer charges, effects.
ORDER_REGISTERED = audit_action("order.register", _("Order registered"))
ORDER_ORIGINAL = audit_action("order.original", _("Original order document attached"))
ORDER_RECEIPT_CONFIRMED = audit_action("order.receipt_confirmed", _("Receipt confirmed"))
ORDER_VERIFY_ITEMS = audit_action("order.verify_items", _("Verification checks confirmed"))
ORDER_REFERRED = audit_action("order.referred", _("Question referred"))
ORDER_REFERRAL_ANSWERED = audit_action("order.referral_answered", _("Referred question answered"))
ORDER_ADDITION = audit_action("order.addition", _("Missing details added"))
ORDER_CHANGED = audit_action("order.changed", _("Order changed"))
ORDER_CHANGE_CONFIRMED = audit_action("order.change_confirmed", _("Order change confirmed"))
ORDER_CUSTOMER_MOVED = audit_action("order.customer_moved", _("Order moved to another customer"))
EFFECT_RETRIED = audit_action("order.effect_retried", _("Follow-up task retried"))
ORDERS_IMPORT_STARTED = audit_action("orders.import_started", _("Order import started"))
RETURN_RECORDED = audit_action("return.recorded", _("Return recorded"))
RETURN_APPROVED = audit_action("return.approved", _("Return approved"))
RETURN_RECEIVED = audit_action("return.received", _("Returned goods received"))
RETURN_NOTE_MADE = audit_action("return.note_made", _("Return note made"))
DEALER_CHARGE = audit_action("dealer.charge", _("Charge on the dealer"))
DEALER_CHARGE_OFFSET = audit_action("dealer.charge_offset", _("Dealer charge offset"))


def order_registered_event(*, actor: object, order: object, values: dict) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_REGISTERED, target=order, changes=values)


def order_original_event(*, actor: object, order: object, sent_as: str) -> AuditEvent:
    """``sent_as``: the file's name as sent; the stored file gets one of ours."""
    return audit_record(actor=actor, action=ORDER_ORIGINAL, target=order, note=sent_as)


def order_receipt_confirmed_event(*, actor: object, order: object, to: str) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_RECEIPT_CONFIRMED, target=order, note=to)


def order_verify_items_event(*, actor: object, order: object, items: object) -> AuditEvent:
    changes = {"items": items}
    return audit_record(actor=actor, action=ORDER_VERIFY_ITEMS, target=order, changes=changes)


def order_referred_event(*, actor: object, order: object, note: str) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_REFERRED, target=order, note=note)


def order_referral_answered_event(*, actor: object, order: object, answer: str) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_REFERRAL_ANSWERED, target=order, note=answer)


def order_addition_event(*, actor: object, order: object, added: dict, text: str) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_ADDITION, target=order, changes=added, note=text)


def order_changed_event(*, actor: object, order: object, reason: str) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_CHANGED, target=order, note=reason)


def order_change_confirmed_event(*, actor: object, order: object, by: str) -> AuditEvent:
    return audit_record(actor=actor, action=ORDER_CHANGE_CONFIRMED, target=order, note=by)


def order_customer_moved_event(
    *, actor: object, order: object, source: object, target: object
) -> AuditEvent:
    changes = {"from": source.pk, "to": target.pk}
    return audit_record(actor=actor, action=ORDER_CUSTOMER_MOVED, target=order, changes=changes)


def effect_retried_event(*, actor: object, effect: object, changes: dict) -> AuditEvent:
    return audit_record(actor=actor, action=EFFECT_RETRIED, target=effect, changes=changes)


def orders_import_started_event(*, actor: object, job: object) -> AuditEvent:
    return audit_record(actor=actor, action=ORDERS_IMPORT_STARTED, target=job, note=job.file_name)


def return_recorded_event(*, actor: object, goods_return: object) -> AuditEvent:
    """A return's moves are signed on its order's history."""
    order, note = goods_return.order, str(goods_return)
    return audit_record(actor=actor, action=RETURN_RECORDED, target=order, note=note)


def return_approved_event(*, actor: object, goods_return: object, role: object) -> AuditEvent:
    order, note = goods_return.order, f"{goods_return} {role.label}"
    return audit_record(actor=actor, action=RETURN_APPROVED, target=order, note=note)


def return_received_event(*, actor: object, goods_return: object, inspection: str) -> AuditEvent:
    order, note = goods_return.order, f"{goods_return} {inspection}"
    return audit_record(actor=actor, action=RETURN_RECEIVED, target=order, note=note)


def return_note_made_event(*, actor: object, goods_return: object) -> AuditEvent:
    order, note = goods_return.order, str(goods_return)
    return audit_record(actor=actor, action=RETURN_NOTE_MADE, target=order, note=note)


def dealer_charge_event(*, actor: object, order: object, charge: object) -> AuditEvent:
    changes = {"kind": charge.kind, "amount": charge.amount}
    return audit_record(actor=actor, action=DEALER_CHARGE, target=order, changes=changes)


def dealer_charge_offset_event(*, actor: object, charge: object, against: object) -> AuditEvent:
    changes = {"charge": charge.pk, "amount": charge.amount}
    return audit_record(actor=actor, action=DEALER_CHARGE_OFFSET, target=against, changes=changes)


# The money of returns (O-64, O-66 to O-68) and recalled goods (O-50).
REFUND_RECORDED = audit_action("return.refund_recorded", _("Return's refund recorded"))
REFUND_CASH_APPROVED = audit_action("return.refund_cash_approved", _("Cash refund approved"))
REFUND_SIGNED = audit_action("return.refund_signed", _("Return's refund signed by finance"))
EXCHANGE_CREATED = audit_action("return.exchange_created", _("Exchange order made"))
ORDER_RECALLED = audit_action("order.recalled", _("Goods recalled"))
# O-68: the dealer pays the company first what its profit does not cover of a refund first.
DEALER_REFUND_PAID = audit_action("return.dealer_paid", _("Dealer paid for a refund first"))


def dealer_refund_paid_event(*, actor: object, refund: object, entry: object) -> AuditEvent:
    changes = {"amount": entry.amount, "method": entry.method, "reference": entry.reference}
    return audit_record(
        actor=actor, action=DEALER_REFUND_PAID, target=refund.goods_return.order,
        changes=changes, note=str(refund.goods_return),
    )  # fmt: skip


def refund_event(*, actor: object, refund: object, action: object) -> AuditEvent:
    """One of the refund's moves (REFUND_RECORDED, REFUND_CASH_APPROVED, REFUND_SIGNED)."""
    changes = {"refund_way": refund.way, "amount": refund.amount, "method": refund.method}
    return audit_record(
        actor=actor, action=action, target=refund.goods_return.order, changes=changes,
        note=str(refund.goods_return),
    )  # fmt: skip


def exchange_created_event(*, actor: object, goods_return: object, order: object) -> AuditEvent:
    changes = {"exchange_order": order.number}
    return audit_record(
        actor=actor, action=EXCHANGE_CREATED, target=goods_return.order, changes=changes,
        note=str(goods_return),
    )  # fmt: skip


def order_recalled_event(
    *, actor: object, order: object, goods_return: object, freight: object, reason: str
) -> AuditEvent:
    changes = {"return": str(goods_return), "freight": freight}
    return audit_record(
        actor=actor, action=ORDER_RECALLED, target=order, changes=changes, note=reason
    )


def codes_text(choices: type) -> object:
    """A reader for the audit page: stored codes of ``choices`` by their labels."""

    def read(value: object) -> str:
        labels = dict(choices.choices)
        codes = value if isinstance(value, list) else [value]
        return "、".join(str(labels.get(code, code)) for code in codes)

    return read


# The audit page reads the checks confirmed and the way money came by their labels.
VALUE_READERS["items"] = codes_text(VerificationItem)
VALUE_READERS["method"] = codes_text(PaymentMethod)
VALUE_READERS["refund_way"] = codes_text(RefundWay)  # O-66: where a return's money goes


def step_text(code: object) -> str:
    """A step's code by its label on the routes (CLOSED and CANCELLED included)."""
    from gendan.orders.routes import CANCELLED, CLOSED, ROUTES  # routes import the guards

    ends = {CLOSED: _("Closed"), CANCELLED: _("Cancelled")}
    if code in ends:
        return str(ends[code])
    step = next((s for r in ROUTES.values() for s in r.steps if s.code == code), None)
    return str(step.label) if step is not None else str(code)


def route_text(code: object) -> str:
    from gendan.orders.routes import ROUTES

    route = ROUTES.get(str(code))
    return str(route.label) if route is not None else str(code)


# A registration signs the route and the step the order starts at: by their labels.
VALUE_READERS["route"] = route_text
VALUE_READERS["step"] = step_text
VALUE_READERS["from_step"] = step_text
