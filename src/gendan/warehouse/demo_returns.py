"""The demo's self-pickup and return: an urgent self-pickup waiting for its delivery note whose
line no single batch covers, so its page shows the substitutes (O-61); and a bulk return of a
delivered order approved (O-63), graded and booked in by the warehouse, written up, and its
refund recorded waiting for finance's signature. Everything goes through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.catalog.models import Product
from gendan.orders.models import GoodsReturn, Order, OrderLine, ReturnCondition, ReturnKind
from gendan.orders.return_grading import LineGrading
from gendan.orders.returns import (
    APPROVERS,
    ReturnLineInput,
    return_approve,
    return_note_make,
    return_receive,
    return_record,
)
from gendan.orders.routes import DELIVER, DELIVERY_NOTE, SHIP
from gendan.orders.services.refunds import refund_record
from gendan.orders.services.registration import LineInput, order_register
from gendan.orders.simulate import order_walk
from gendan.parties.models import Customer, CustomerKind
from gendan.warehouse.models import Batch
from gendan.warehouse.selectors_pickup import substitute_candidates

PICKUP_QUANTITY = Decimal("60")  # more than any of the small batches (20 to 40) holds


def demo_returns(users: dict[Role, User]) -> None:
    demo_pickup(users)
    demo_return(users)


def largest_batch(product: Product) -> Decimal:
    return Batch.objects.filter(product=product).aggregate(most=Max("on_hand"))["most"] or 0


def pickup_product() -> Product | None:
    """A stocked product no batch covers, with a substitute one batch does."""
    for product in Product.objects.filter(stocked=True, is_active=True).order_by("sku"):
        if largest_batch(product) >= PICKUP_QUANTITY:
            continue
        candidates = substitute_candidates(product)
        if any(largest_batch(other) >= PICKUP_QUANTITY * 2 for other in candidates):
            return product
    return None


def demo_pickup(users: dict[Role, User]) -> Order | None:
    """O-61: a dealer's customer comes for the goods: walked up to its delivery note."""
    product = pickup_product()
    customer = Customer.objects.filter(kind=CustomerKind.DEALER).order_by("pk").first()
    if product is None or customer is None:
        return None
    address = customer.addresses.first()
    keys = ("province", "city", "district", "street", "building", "floor")
    fields = {
        "customer": customer, "self_pickup": True, "needs_installation": False,
        "payment_method": "bank_transfer", "payment_terms": "prepay",
        "expected_delivery_on": timezone.localdate() + dt.timedelta(days=1),
        "contact_phone": customer.phone, **{key: getattr(address, key) for key in keys},
    }  # fmt: skip
    lines = [LineInput(product=product, quantity=PICKUP_QUANTITY)]
    order = order_register(actor=users[Role.CLERK], fields=fields, lines=lines)
    for _turn in range(6):
        if order.step == DELIVERY_NOTE.code:
            break
        order = order_walk(order, users, steps=1)
    return order


def returnable() -> tuple[Order, OrderLine] | None:
    """A delivered order paid to the company (not at a supermarket) with a stocked line."""
    delivered = Order.objects.filter(signed__has_key=DELIVER.code).filter(signed__has_key=SHIP.code)
    for order in delivered.exclude(customer__kind=CustomerKind.SUPERMARKET).order_by("pk"):
        line = order.lines.filter(product__stocked=True, quantity__gte=4).first()
        if line is not None:
            return order, line
    return None


def demo_return(users: dict[Role, User]) -> GoodsReturn | None:
    """O-63: part of a line back, approved, booked in sellable into its batch, written up,
    and its refund recorded for finance to sign."""
    found = returnable()
    if found is None:
        return None
    order, line = found
    quantity = (line.quantity / 4).quantize(Decimal("1"))
    goods_return = return_record(
        actor=users[Role.SALES_REP], order=order, kind=ReturnKind.BULK, reason="顾客房间改用瓷砖",
        lines=[ReturnLineInput(order_line=line, quantity=quantity)],
    )  # fmt: skip
    for role in APPROVERS:
        return_approve(actor=users[role], goods_return=goods_return, role=role)
    returned = goods_return.lines.get()
    return_receive(
        actor=users[Role.WAREHOUSE], goods_return=goods_return, inspection="包装完好，未拆封",
        grading={returned.pk: LineGrading(condition=ReturnCondition.SELLABLE)},
    )  # fmt: skip
    return_note_make(actor=users[Role.CLERK], goods_return=goods_return)
    refund_record(actor=users[Role.CLERK], goods_return=goods_return)
    return goods_return
