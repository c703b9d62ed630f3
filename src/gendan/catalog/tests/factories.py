from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from gendan.catalog.models import Category, PriceKind, PriceList, PriceListItem, Product, Unit


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"ZF-{n:04d}")
    name = "碳化平压竹地板"
    category = Category.FLOORING
    colour_code = "T-601"
    length_mm = 960
    width_mm = 123
    thickness_mm = Decimal("17")
    board_class = "wide"
    unit = Unit.SQUARE_METRE
    # The route tests sign the delivery note and the ship step without a warehouse; the
    # warehouse's tests ask for stocked=True (and receive goods).
    stocked = False


class PriceListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceList

    name = factory.Sequence(lambda n: f"价格表{n}")
    kind = PriceKind.RETAIL
    valid_from = dt.date(2026, 1, 1)


class PriceListItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PriceListItem

    price_list = factory.SubFactory(PriceListFactory)
    product = factory.SubFactory(ProductFactory)
    price = Decimal("100.00")
