"""Returns walked to their return note, for the tests of their money (O-50, O-64, O-66 to O-68)."""

from __future__ import annotations

from decimal import Decimal

from gendan.accounts.roles import Role
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import GoodsReturn, Order, PaymentTerms, ReturnKind
from gendan.orders.returns import (
    APPROVERS,
    ReturnLineInput,
    return_approve,
    return_note_make,
    return_receive,
    return_record,
)
from gendan.orders.tests.helpers import order_registered, scenario, staff
from gendan.parties.models import Customer
from gendan.parties.tests.factories import HomeownerFactory


def written_up(order: Order, quantity: str, kind: str = ReturnKind.LEFTOVER) -> GoodsReturn:
    """A return of ``quantity`` of the order's line, approved where O-63 asks, booked in by
    the warehouse and written up on its return note by the clerk."""
    recorder = staff(Role.SERVICE if kind == ReturnKind.LEFTOVER else Role.SALES_REP)
    goods_return = return_record(
        actor=recorder, order=order, kind=kind, reason="退货",
        lines=[ReturnLineInput(order_line=order.lines.get(), quantity=Decimal(quantity))],
    )  # fmt: skip
    if kind != ReturnKind.LEFTOVER:
        for role in APPROVERS:
            return_approve(actor=staff(role), goods_return=goods_return, role=role)
    return_receive(actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="完好")
    return return_note_make(actor=staff(Role.CLERK), goods_return=goods_return)


def installed(channel: str, terms: str = PaymentTerms.PREPAY, **fields: object) -> Order:
    """An order of the channel, 10 m² at 100.00 CNY, walked past its installation."""
    return walked_to(scenario(channel, install=True, terms=terms, **fields), "acceptance")


def dealer_order(dealer: Customer, *, terms: str = PaymentTerms.PREPAY, install: bool = True,
                 end_price: str = "130") -> Order:  # fmt: skip
    """A dealer's order for one of its homeowners with a profit note: 10 m² at 100.00 CNY,
    sold on at ``end_price`` (the dealer's profit 300.00 CNY at 130)."""
    return order_registered(
        dealer, end_customer=HomeownerFactory(via=dealer), needs_installation=install,
        payment_terms=terms, end_price=Decimal(end_price),
    )  # fmt: skip
