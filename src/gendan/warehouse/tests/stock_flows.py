"""Goods through the warehouse for the recount, concurrency and property tests: orders that
hold stock, shipments and bulk returns, each through the real services."""

from __future__ import annotations

from decimal import Decimal

from gendan.accounts.roles import Role
from gendan.orders.models import GoodsReturn, ReturnCondition, ReturnKind
from gendan.orders.return_grading import LineGrading
from gendan.orders.returns import ReturnLineInput, return_approve, return_receive, return_record
from gendan.orders.tests.helpers import scenario, staff
from gendan.warehouse.models import StockMove
from gendan.warehouse.services.reservations import reservations_ship

APPROVERS = (Role.SALES_REP, Role.SALES_SUPERVISOR, Role.SALES_VP, Role.GENERAL_MANAGER)


def order_of(product, quantity: str | Decimal):
    """A project's order of one line of the product (no installation)."""
    return scenario("project", product=product, quantity=str(quantity))


def order_shipped(order) -> list[StockMove]:
    """What the order holds leaves the warehouse, as the ship step does it."""
    return reservations_ship(order=order, actor=staff(Role.WAREHOUSE))


def order_returned(
    order, quantity: str | Decimal, condition: str = ReturnCondition.SELLABLE
) -> GoodsReturn:
    """A bulk return of the order's first line (O-63): recorded, approved, booked in."""
    goods_return = return_record(
        actor=staff(Role.CLERK), order=order, kind=ReturnKind.BULK, reason="多订了",
        lines=[ReturnLineInput(order_line=order.lines.first(), quantity=Decimal(quantity))],
    )  # fmt: skip
    for role in APPROVERS:
        return_approve(actor=staff(role), goods_return=goods_return, role=role)
    line = goods_return.lines.get()
    return return_receive(
        actor=staff(Role.WAREHOUSE), goods_return=goods_return, inspection="检验",
        grading={line.pk: LineGrading(condition=condition)},
    )  # fmt: skip
