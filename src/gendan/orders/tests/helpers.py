"""Building orders for tests through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import PARTNER_ROLES, Role
from gendan.accounts.tests.factories import UserFactory
from gendan.catalog.models import PriceKind, PriceList, PriceListItem, Product
from gendan.catalog.tests.factories import ProductFactory
from gendan.orders.models import Order, PaymentMethod, PaymentTerms, VerificationItem
from gendan.orders.money import order_outstanding
from gendan.orders.routes import CLOSE
from gendan.orders.services.receipts import order_receipt_add
from gendan.orders.services.registration import LineInput, order_register
from gendan.orders.services.verification import order_checks_confirm
from gendan.orders.simulate import order_walk
from gendan.parties.models import Contract, Customer
from gendan.parties.services import contract_create
from gendan.parties.tests.factories import CustomerFactory, HomeownerFactory

DAY = dt.date(2026, 11, 21)


def staff(role: Role, username: str = "", **fields: object) -> User:
    """One user per role, reused within a test."""
    username = username or f"t-{role}"
    user = User.objects.filter(username=username).first()
    return user or UserFactory(username=username, roles=[role], **fields)


def listed_product(price: str = "100", **fields: object) -> Product:
    """A product at the same price in every price kind's general list (O-9, O-14)."""
    product = ProductFactory(**fields)
    for kind in PriceKind:
        price_list, _created = PriceList.objects.get_or_create(
            kind=kind,
            customer=None,
            defaults={"name": f"test {kind}", "valid_from": dt.date(2026, 1, 1)},
        )
        PriceListItem.objects.create(price_list=price_list, product=product, price=Decimal(price))
    return product


def contract_for(customer: Customer) -> Contract:
    """A contract whose one stage falls due in a year: nothing is due yet (O-48)."""
    due = timezone.localdate() + dt.timedelta(days=365)
    stages = [{"name": "全款", "percent": Decimal("100"), "due_on": due}]
    fields = {
        "number": f"HT-{customer.pk}",
        "title": "合同",
        "signed_on": DAY,
        "amount": Decimal("100000"),
    }
    return contract_create(
        actor=staff(Role.FINANCE), customer=customer, fields=fields, stages=stages
    )


def order_registered(
    customer: Customer,
    *,
    end_customer: Customer | None = None,
    quantity: str = "10",
    product: Product | None = None,
    end_price: Decimal | None = None,
    on: dt.date = DAY,
    **fields,
) -> Order:
    defaults = {
        "customer": customer,
        "end_customer": end_customer,
        "payment_method": PaymentMethod.BANK_TRANSFER,
        "payment_terms": PaymentTerms.PREPAY,
        "province": "广东省", "city": "广州市", "street": "天河路1号", "floor": 8,
        "contact_phone": "13800000000", "expected_delivery_on": DAY + dt.timedelta(days=7),
        "expected_install_on": DAY + dt.timedelta(days=9),
    }  # fmt: skip
    if customer.kind in ("project", "decorator") and "contract" not in fields:
        defaults["contract"] = contract_for(customer)
    product = product or listed_product()
    lines = [
        LineInput(
            product=product, quantity=Decimal(quantity), unit_price=Decimal("100"),
            end_price=end_price,
        )
    ]  # fmt: skip
    return order_register(actor=staff(Role.CLERK), fields=defaults | fields, lines=lines, on=on)


def all_checks_confirmed(order: Order, verifier: User) -> None:
    order_checks_confirm(actor=verifier, order=order, items=list(VerificationItem.values))


def paid_in_full(order: Order) -> None:
    outstanding = order_outstanding(order)
    if outstanding > 0:
        order_receipt_add(
            actor=staff(Role.FINANCE), order=order, amount=outstanding, method=PaymentMethod.CASH
        )


def scenario(channel, install=False, terms=PaymentTerms.PREPAY, region="south_china", **fields):
    """An order of the channel, for a homeowner where the channel sells to one."""
    customer = CustomerFactory(kind=channel, region=region)
    end_customer = HomeownerFactory(via=customer) if channel in ("dealer", "supermarket") else None
    return order_registered(
        customer,
        end_customer=end_customer,
        needs_installation=install,
        payment_terms=terms,
        **fields,
    )


def order_at_close() -> Order:
    """A supermarket's order for a homeowner, walked to finance's close, each step signed by
    its role."""
    order = scenario("supermarket", terms=PaymentTerms.CONTRACT)
    signers = {role: staff(role) for role in Role if role not in PARTNER_ROLES}
    while order.step != CLOSE.code:
        before = order.step
        order = order_walk(order, signers, steps=1)
        assert order.step != before, f"the order is held at {before}"
    return order
