"""The driver's route says each quantity with its unit as a reader would (O-21: what to hand
over): "50 pieces" and "1 piece" in English, "50 个" in Chinese."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from gendan.catalog.models import Unit
from gendan.catalog.units import quantity_text
from gendan.logistics.tests.driver_helpers import order_at_deliver
from gendan.logistics.tests.factories import DropFactory
from gendan.orders.tests.helpers import listed_product

pytestmark = pytest.mark.django_db


def route_page(client, quantities: list[str], language: str) -> str:
    """Today's route of one driver with a stop for each quantity of a product sold by the
    piece, as the driver's phone shows it in the language."""
    product = listed_product(unit=Unit.PIECE)
    first = DropFactory(order=order_at_deliver(product=product, quantity=quantities[0]))
    for quantity in quantities[1:]:
        DropFactory(order=order_at_deliver(product=product, quantity=quantity), route=first.route)
    client.force_login(first.route.driver.user)
    client.cookies.load({"django_language": language})
    with translation.override(language):  # the English pages are under /en/
        url = reverse("logistics-driver")
    return client.get(url).content.decode()


def test_the_route_in_english_says_pieces_for_many_and_piece_for_one(roles, client):
    """O-21: the hand-over reads "50 pieces", and "1 piece" for one."""
    # given / when
    html = route_page(client, ["50", "1"], "en")
    # then
    assert "50 pieces" in html and "1 piece<" in html
    assert "50 piece<" not in html


def test_the_route_in_chinese_has_one_word_for_the_unit(roles, client):
    """O-21: Chinese has no plural: "50 个"."""
    # given / when
    html = route_page(client, ["50"], "zh-hans")
    # then
    assert "50 个" in html


@pytest.mark.parametrize(
    ("quantity", "unit", "text"),
    [("1", Unit.BOX, "1 box"), ("2.000", Unit.BOX, "2 boxes"),
     ("0.5", Unit.METRE, "0.5 metres"), ("12.50", Unit.SQUARE_METRE, "12.5 m²"),
     ("1", Unit.BAG, "1 bag"), ("3", Unit.ROLL, "3 rolls")],
)  # fmt: skip
def test_a_quantity_is_said_with_the_plural_of_its_unit_but_for_one(quantity, unit, text):
    """O-21: the plural for any quantity but exactly one, trailing zeros left out."""
    with translation.override("en"):
        assert quantity_text(Decimal(quantity), unit) == text
