"""The price of a product for a customer on a day (O-9)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from gendan.catalog.models import PriceKind
from gendan.catalog.selectors import PriceNotFound, price_for
from gendan.catalog.tests.factories import PriceListFactory, PriceListItemFactory, ProductFactory
from gendan.parties.models import CustomerKind
from gendan.parties.tests.factories import (
    CustomerFactory,
    DealerFactory,
    HomeownerFactory,
    SupermarketFactory,
)

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 6, 1)


@pytest.fixture
def product():
    return ProductFactory()


@pytest.fixture
def general_prices(product):
    """One general list per price kind, each with its own price so a mix-up shows."""
    prices = {}
    for number, kind in enumerate(PriceKind, start=1):
        price = Decimal(100 + number)
        PriceListItemFactory(price_list=PriceListFactory(kind=kind), product=product, price=price)
        prices[kind] = price
    return prices


@pytest.mark.parametrize(
    ("channel", "kind"),
    [
        (CustomerKind.SUPERMARKET, PriceKind.SUPERMARKET_SETTLEMENT),
        (CustomerKind.DEALER, PriceKind.DEALER_SETTLEMENT),
        (CustomerKind.DECORATOR, PriceKind.DECORATOR_CONTRACT),
        (CustomerKind.PROJECT, PriceKind.PROJECT),
        (CustomerKind.GROUP_BUY, PriceKind.GROUP_BUY),
        (CustomerKind.RETAIL, PriceKind.RETAIL),
        (CustomerKind.ONLINE, PriceKind.RETAIL),
        (CustomerKind.HOMEOWNER, PriceKind.RETAIL),
    ],
)
def test_each_channel_is_billed_at_its_price_kind(product, general_prices, channel, kind):
    """O-9: supermarket → settlement, dealer → dealer settlement, decorator → contract,
    the company's own end customers → project, group-buy or retail price."""
    # given
    customer = CustomerFactory(kind=channel)
    # when
    price = price_for(product=product, customer=customer, on=DAY)
    # then
    assert price.kind == kind
    assert price.amount == general_prices[kind]


def test_supermarket_shopper_is_billed_at_the_shelf_price(product, general_prices):
    """O-9: a supermarket's shopper whom the company delivers to pays the shelf price."""
    shopper = HomeownerFactory(via=SupermarketFactory())

    price = price_for(product=product, customer=shopper, on=DAY)

    assert price.kind == PriceKind.SUPERMARKET_SHELF
    assert price.amount == general_prices[PriceKind.SUPERMARKET_SHELF]


def test_dealers_homeowner_is_billed_to_the_dealer_at_settlement_price(product, general_prices):
    """O-9: a dealer's end customer goes on the dealer's cost note at dealer settlement price."""
    dealer = DealerFactory()
    PriceListItemFactory(
        price_list=PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT, customer=dealer),
        product=product,
        price=Decimal("55.50"),
    )

    price = price_for(product=product, customer=HomeownerFactory(via=dealer), on=DAY)

    assert price.kind == PriceKind.DEALER_SETTLEMENT
    assert price.amount == Decimal("55.50")


def test_a_customers_contract_price_wins_over_the_general_list(product, general_prices):
    """O-9: a decoration firm pays its contract price where its contract sets one."""
    firm = CustomerFactory(kind=CustomerKind.DECORATOR)
    own = PriceListFactory(kind=PriceKind.DECORATOR_CONTRACT, customer=firm)
    PriceListItemFactory(price_list=own, product=product, price=Decimal("88.00"))
    other_firm = CustomerFactory(kind=CustomerKind.DECORATOR)

    assert price_for(product=product, customer=firm, on=DAY).price_list == own
    assert price_for(product=product, customer=firm, on=DAY).amount == Decimal("88.00")
    assert (
        price_for(product=product, customer=other_firm, on=DAY).amount
        == general_prices[PriceKind.DECORATOR_CONTRACT]
    )


def test_the_price_valid_on_the_day_is_taken(product):
    first_half = PriceListFactory(valid_from=dt.date(2026, 1, 1), valid_to=dt.date(2026, 6, 30))
    second_half = PriceListFactory(valid_from=dt.date(2026, 7, 1))
    PriceListItemFactory(price_list=first_half, product=product, price=Decimal("100"))
    PriceListItemFactory(price_list=second_half, product=product, price=Decimal("120"))
    walk_in = CustomerFactory(kind=CustomerKind.RETAIL)

    assert price_for(product=product, customer=walk_in, on=dt.date(2026, 6, 30)).amount == 100
    assert price_for(product=product, customer=walk_in, on=dt.date(2026, 7, 1)).amount == 120


def test_no_price_before_a_list_starts_or_after_it_ends(product):
    PriceListItemFactory(
        price_list=PriceListFactory(valid_from=dt.date(2026, 3, 1), valid_to=dt.date(2026, 3, 31)),
        product=product,
    )
    walk_in = CustomerFactory(kind=CustomerKind.RETAIL)

    for day in (dt.date(2026, 2, 28), dt.date(2026, 4, 1)):
        with pytest.raises(PriceNotFound):
            price_for(product=product, customer=walk_in, on=day)


def test_another_customers_contract_price_is_never_used(product):
    PriceListItemFactory(
        price_list=PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT, customer=DealerFactory()),
        product=product,
    )

    with pytest.raises(PriceNotFound):
        price_for(product=product, customer=DealerFactory(), on=DAY)


def test_prices_for_many_products_agree_with_price_for_each():
    """One query for a whole order's lines gives what price_for gives line by line."""
    from gendan.catalog.selectors import prices_for

    dealer = DealerFactory()
    products = [ProductFactory() for _ in range(3)]
    general = PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT)
    own = PriceListFactory(kind=PriceKind.DEALER_SETTLEMENT, customer=dealer)
    for number, product in enumerate(products):
        PriceListItemFactory(price_list=general, product=product, price=Decimal(100 + number))
    PriceListItemFactory(price_list=own, product=products[0], price=Decimal("77"))

    batch = prices_for(products=products, customer=dealer, on=DAY)

    single = {p.pk: price_for(product=p, customer=dealer, on=DAY).amount for p in products}
    assert batch == single and batch[products[0].pk] == Decimal("77")
