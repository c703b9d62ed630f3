"""The order form's customer and homeowner fields are searched, never listed (issue 12)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.catalog.tests.factories import ProductFactory
from gendan.orders.tests.helpers import staff
from gendan.parties.models import Customer, CustomerKind
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db


def customers_many(count: int) -> None:
    Customer.objects.bulk_create(
        Customer(kind=CustomerKind.RETAIL, name=f"散客{n}", mobile=f"138{n:08d}")
        for n in range(count)
    )
    Customer.objects.bulk_create(
        Customer(kind=CustomerKind.HOMEOWNER, name=f"业主{n}", mobile=f"139{n:08d}")
        for n in range(count)
    )


def test_the_form_lists_no_customers_however_many_there_are(client, roles):
    customers_many(2000)
    client.force_login(staff(Role.CLERK))

    page = client.get(reverse("order-register")).content.decode()

    assert "散客1" not in page and "业主1" not in page
    assert len(page) < 150_000
    assert 'data-search-url="/api/customers/search"' in page


def test_a_refused_form_keeps_the_chosen_customer_as_its_one_option(client, roles):
    customers_many(50)
    dealer = DealerFactory(name="顺德竹韵经销部")
    client.force_login(staff(Role.CLERK))

    form = {"customer": dealer.pk, "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0",
            "lines-0-product": ProductFactory().pk}  # fmt: skip
    page = client.post(reverse("order-register"), form).content.decode()

    assert f'<option value="{dealer.pk}" selected>顺德竹韵经销部</option>' in page
    assert "散客1" not in page


def test_a_dealers_user_orders_for_the_dealer_its_one_choice(client, user_with):
    dealer = DealerFactory(name="顺德竹韵经销部")
    client.force_login(user_with(Role.DEALER, partner=dealer))

    page = client.get(reverse("order-register")).content.decode()

    assert f'<option value="{dealer.pk}">顺德竹韵经销部</option>' in page
