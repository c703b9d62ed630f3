"""Standard product records (S-1)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.catalog.models import Category, Product

pytestmark = pytest.mark.django_db


def test_s1_a_product_record_says_exactly_what_is_bought(login, user_with):
    """S-1: variety, category, size, grade and after-sales terms are on every product record."""
    client = login(user_with(Role.GENERAL_MANAGER))
    body = {
        "sku": "ZF-601", "name": "碳化平压竹地板", "category": "flooring", "variety": "平压竹",
        "colour_code": "T-601", "length_mm": 960, "width_mm": 123, "thickness_mm": "17",
        "board_class": "wide", "grade": "premium", "unit": "m2", "pack_size": "2.36",
        "after_sales_terms": "质保十年",
    }  # fmt: skip

    created = client.post("/api/catalog/products", body, content_type="application/json")
    shown = client.get(f"/catalog/products/{created.json()['id']}/").content.decode()

    product = Product.objects.get(sku="ZF-601")
    assert created.status_code == 201 and created.json()["size"] == "960×123×17 mm"
    assert (product.variety, product.grade, product.pack_size) == (
        "平压竹",
        "premium",
        Decimal("2.36"),
    )
    for text in ("960×123×17 mm", "优等品", "质保十年", "宽板", "平方米"):
        assert text in shown, text


@pytest.mark.parametrize("category", [c for c in Category if c != Category.FLOORING])
def test_s1_accessories_are_products_too(category):
    """S-1: skirting, edge trim, clips, foam, plywood strips and insect powder are products."""
    product = Product.objects.create(
        sku=f"A-{category}", name="辅料", category=category, unit="piece"
    )

    assert product.is_accessory and product.size == ""
