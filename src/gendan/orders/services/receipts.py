"""Money received on an order (O-47 to O-57): receipts and the confirmation of receipt."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.audit.services import audit_record
from gendan.orders.audit_events import receipt_event
from gendan.orders.models import (
    Order,
    PaymentMethod,
    Receipt,
)

NO_CREDIT_RECEIPT = _("Credit is not money received; record what was paid.")
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
) -> Receipt:
    """Money received against an order, by finance, or collected by a driver or service."""
    if not receipt_recorder(actor, is_install_fee=is_install_fee):
        raise PermissionDenied
    if method == PaymentMethod.CREDIT:
        raise ValidationError({"method": NO_CREDIT_RECEIPT})
    order = Order.objects.select_for_update().get(pk=order.pk)
    receipt = Receipt(
        order=order, amount=amount, method=method, is_install_fee=is_install_fee,
        received_by=actor, note=note,
    )  # fmt: skip
    receipt.full_clean(exclude=["order", "received_by"])
    receipt.save()
    if not is_install_fee:
        order.paid = paid_total_checked(order.paid + receipt.amount)
        order.save(update_fields=["paid"])
    receipt_event(actor=actor, order=order, receipt=receipt)
    return receipt


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
    audit_record(actor=actor, action="order.receipt_confirmed", target=order, note=confirmed_to)
    return order
