"""Money received on an order (O-47 to O-57): receipts and the confirmation of receipt."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.orders.audit_events import (
    order_receipt_confirmed_event,
    payer_credit_event,
    receipt_event,
)
from gendan.orders.models import (
    Order,
    PayerCredit,
    PaymentMethod,
    Receipt,
)
from gendan.orders.money import order_has_profit_note, order_receivable
from gendan.orders.routes import CANCELLED
from gendan.orders.services.dealer_ledger import dealer_profit_credit_if_paid
from gendan.orders.services.steps import ORDER_CANCELLED
from gendan.parties.models import Customer

NO_CREDIT_RECEIPT = _("Credit is not money received; record what was paid.")
ABOVE_OWED = _(
    "The order still owes %(owed)s CNY; a receipt above that is refused, unless finance "
    "records the excess as the payer's credit."
)
PAID_BEYOND_LIMIT = _(
    "With this receipt the order's goods payments would come to more than %(limit)s CNY; "
    "check the amount."
)


def receipt_recorder(user: User, *, is_install_fee: bool = False) -> bool:
    """O-47: finance receives goods payments (what a driver collects is handed to finance,
    O-22); service collects installation fees."""
    if is_install_fee:
        return user.is_superuser or user.has_role(Role.FINANCE, Role.SERVICE)
    return user.is_superuser or user.has_role(Role.FINANCE)


@transaction.atomic
def order_receipt_add(
    *,
    actor: User,
    order: Order,
    amount: Decimal,
    method: str,
    is_install_fee: bool = False,
    note: str = "",
    excess_as_credit: bool = False,
) -> Receipt:
    """Money received against an order, by finance, or collected by a driver or service.
    Goods payments beyond what the order still owes are refused, unless finance keeps the
    excess as the payer's credit; the receipt that completes a profit-note order's payment
    credits the dealer's profit on its statement (O-11)."""
    if not receipt_recorder(actor, is_install_fee=is_install_fee):
        raise PermissionDenied
    if method == PaymentMethod.CREDIT:
        raise ValidationError({"method": NO_CREDIT_RECEIPT})
    order = Order.objects.select_for_update().get(pk=order.pk)
    if order.step == CANCELLED:
        raise ValidationError(ORDER_CANCELLED)
    receipt = Receipt(
        order=order, amount=amount, method=method, is_install_fee=is_install_fee,
        received_by=actor, note=note,
    )  # fmt: skip
    receipt.full_clean(exclude=["order", "received_by"])
    excess = Decimal("0")
    if not is_install_fee:
        excess = receipt_excess(order, receipt.amount, excess_as_credit)
    receipt.save()
    if not is_install_fee:
        order.paid = paid_total_checked(order.paid + receipt.amount)
        order.save(update_fields=["paid"])
        payer_credit_keep(actor=actor, order=order, receipt=receipt, excess=excess)
        dealer_profit_credit_if_paid(actor=actor, order=order)
    receipt_event(actor=actor, order=order, receipt=receipt)
    return receipt


def receipt_excess(order: Order, amount: Decimal, as_credit: bool) -> Decimal:
    """What the receipt pays beyond what the order still owes; refused unless finance keeps
    it as the payer's credit."""
    excess = amount - order_receivable(order)
    if excess <= 0:
        return Decimal("0")
    if not as_credit:
        raise ValidationError({"amount": ABOVE_OWED % {"owed": order_receivable(order)}})
    return excess  # goods payments are finance's (receipt_recorder): so is the credit


def order_payer(order: Order) -> Customer:
    """Who pays the company: the homeowner of a profit-note order, else the customer."""
    if order_has_profit_note(order) and order.end_customer_id is not None:
        return order.end_customer
    return order.customer


def payer_credit_keep(*, actor: User, order: Order, receipt: Receipt, excess: Decimal) -> None:
    if excess <= 0:
        return
    credit = PayerCredit.objects.create(
        customer=order_payer(order), order=order, receipt=receipt, amount=excess,
        recorded_by=actor,
    )  # fmt: skip
    payer_credit_event(actor=actor, order=order, credit=credit)


def order_paid_to_credit(*, actor: User, order: Order) -> list[PayerCredit]:
    """Inside a cancellation: what was received on the order and not yet kept as a credit
    becomes the payer's credit, receipt by receipt, so nothing paid is lost from sight."""
    credits = []
    for receipt in order.receipts.annotate(kept=Sum("credits__amount")):
        left = receipt.amount - (receipt.kept or Decimal("0"))
        if left > 0:
            credit = PayerCredit.objects.create(
                customer=order_payer(order), order=order, receipt=receipt, amount=left,
                recorded_by=actor,
            )  # fmt: skip
            payer_credit_event(actor=actor, order=order, credit=credit)
            credits.append(credit)
    return credits


def paid_total_checked(paid: Decimal) -> Decimal:
    """The order's paid total must fit its column (14 digits, 2 of them after the point)."""
    field = Order._meta.get_field("paid")
    limit = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal("0.01")
    if paid > limit:
        raise ValidationError({"amount": PAID_BEYOND_LIMIT % {"limit": f"{limit:,}"}})
    return paid


@transaction.atomic
def order_receipt_confirm(*, actor: User, order: Order, confirmed_to: str) -> Order:
    """O-3: the clerk tells the sender the order arrived; that is recorded."""
    if not actor.has_perm("orders.add_order") or actor.partner_id is not None:
        raise PermissionDenied
    order = Order.objects.select_for_update().get(pk=order.pk)
    order.receipt_confirmed_to = confirmed_to
    order.receipt_confirmed_at = timezone.now()
    order.save(update_fields=["receipt_confirmed_to", "receipt_confirmed_at"])
    order_receipt_confirmed_event(actor=actor, order=order, to=confirmed_to)
    return order
