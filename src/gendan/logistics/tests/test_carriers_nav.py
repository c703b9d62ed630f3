"""The outside carriers' pages for whoever follows deliveries (O-23): the clerk opens them from
the menu, and the three pages share one compact navigation under their title."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.orders.tests.helpers import staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.CLERK, Role.SERVICE, Role.WAREHOUSE])
def test_a_role_that_follows_deliveries_opens_outside_carriers_from_its_menu(client, roles, role):
    """O-23: the menu links only pages the role may open: the clerk's "Outside carriers" opens."""
    # given
    client.force_login(staff(role))
    # when
    home = client.get(reverse("home")).content.decode()
    page = client.get(reverse("logistics-shipments"))
    # then
    assert f'href="{reverse("logistics-shipments")}"' in home
    assert page.status_code == 200


@pytest.mark.parametrize(
    ("name", "title"),
    [("logistics-freight", "待付运费"), ("logistics-shipments", "外请物流发货"),
     ("logistics-carriers", "物流公司")],
)  # fmt: skip
def test_the_carriers_pages_have_one_compact_nav_under_their_title(client, roles, name, title):
    """O-23: the title first, then the pages' links in a row, the page shown marked current."""
    # given
    client.force_login(staff(Role.LOGISTICS))
    # when
    page = client.get(reverse(name)).content.decode()
    # then
    main = page.split("<main", 1)[1]
    assert main.index(f">{title}</h1>") < main.index('class="carriers-nav"')
    current = main.split('aria-current="page"', 1)[1].split("</a>", 1)[0]
    assert current == f">{title}"
    assert "logistics/carriers.css" in page
