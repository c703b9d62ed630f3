"""Issue 12, point 12: a manager's home page shows the day's figures, each opening its orders."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.orders.models import Order
from gendan.orders.tests.helpers import order_registered, paid_in_full, staff
from gendan.parties.tests.factories import DealerFactory, HomeownerFactory
from gendan.web.selectors import MANAGER_ROLES

pytestmark = pytest.mark.django_db


def delivered(order: Order, on: dt.date) -> None:
    """The order as it stands once delivered on that day and waiting for finance's close."""
    at = dt.datetime.combine(on, dt.time(10), tzinfo=timezone.get_current_timezone())
    Order.objects.filter(pk=order.pk).update(
        step="close", signed={"deliver": {"at": at.isoformat()}}
    )


def ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


@pytest.fixture
def orders(roles) -> dict[str, Order]:
    """Four orders, one for each thing a manager looks at (registered orders stand at "verify");
    what is owed ages from the expected delivery day (the receivables page's ageing)."""
    today = timezone.localdate()
    far = today + dt.timedelta(days=20)
    made = {
        "today": order_registered(DealerFactory(), on=today, expected_delivery_on=far),
        "booking": order_registered(
            HomeownerFactory(), on=today, expected_delivery_on=today + dt.timedelta(days=2)
        ),
        "old": order_registered(
            HomeownerFactory(), on=today - dt.timedelta(days=40), expected_delivery_on=ago(40)
        ),
        "delivered": order_registered(
            DealerFactory(), on=today - dt.timedelta(days=100), expected_delivery_on=ago(100)
        ),
    }
    paid_in_full(made["booking"])
    delivered(made["delivered"], today - dt.timedelta(days=10))
    return made


def figures_of(page: str) -> dict[str, dict[str, dict]]:
    """The figures as the page hands them to its charts: figure, then key, then the bar."""
    start = page.index('<script id="home-figures" type="application/json">')
    text = page[page.index(">", start) + 1 : page.index("</script>", start)]
    return {
        chart["id"].removeprefix("figure-"): {item["key"]: item for item in chart["items"]}
        for chart in json.loads(text)
    }


def counts(figure: dict[str, dict]) -> dict[str, int]:
    return {key: item["count"] for key, item in figure.items()}


@pytest.mark.parametrize("role", sorted(MANAGER_ROLES))
def test_a_managers_home_shows_each_figure_with_its_counts(login, orders, role):
    # when
    page = login(staff(Role(role))).get("/en/").content.decode()
    # then
    figures = figures_of(page)
    assert counts(figures["registered"]) == {"today": 2, "week": 2}
    assert counts(figures["step"]) == {"verify": 3, "close": 1}
    assert counts(figures["overdue"]) == {"not_verified": 1, "not_booked": 1, "not_closed": 1}
    assert counts(figures["age"]) == {
        "not_due": 1, "d0_30": 0, "d31_60": 1, "d61_90": 0, "d90_plus": 1
    }  # fmt: skip
    assert figures["age"]["d31_60"]["amount"] == "1,000.00"
    assert counts(figures["channel"]) == {"dealer": 1, "homeowner": 1}
    assert figures["channel"]["homeowner"]["amount"] == "1,000.00"
    assert page.count('class="chart"') == 5
    assert "Open orders by step" in page and "Delivery not booked 3 days ahead: 1" in page


def test_the_figures_are_read_in_a_few_queries_however_many_orders(
    login, orders, django_assert_max_num_queries
):
    client = login(staff(Role.GENERAL_MANAGER))
    with django_assert_max_num_queries(14):  # session, user, groups, the queue, five figures
        client.get("/en/")


@pytest.mark.parametrize("role", [r for r in Role if r not in MANAGER_ROLES and r not in (
    Role.DEALER, Role.STORE_STAFF, Role.PROMOTER)])  # fmt: skip
def test_other_roles_home_pages_show_no_figures(login, orders, role):
    page = login(staff(role)).get("/en/").content.decode()

    assert "home-figures" not in page and 'class="chart"' not in page
    assert f"<h2>{role.label}</h2>".replace("'", "&#x27;") in page


BEHIND = [
    ("registered", "today", {"today", "booking"}),
    ("registered", "week", {"today", "booking"}),
    ("step", "verify", {"today", "booking", "old"}),
    ("step", "close", {"delivered"}),
    ("overdue", "not_verified", {"old"}),
    ("overdue", "not_booked", {"booking"}),
    ("overdue", "not_closed", {"delivered"}),
    ("age", "not_due", {"today"}),
    ("age", "d31_60", {"old"}),
    ("age", "d90_plus", {"delivered"}),
    ("channel", "dealer", {"today"}),
    ("channel", "homeowner", {"booking"}),
]


@pytest.mark.parametrize(("figure", "key", "expected"), BEHIND)
def test_each_figure_opens_the_list_of_its_orders(login, orders, figure, key, expected):
    # given
    client = login(staff(Role.GENERAL_MANAGER))
    bar = figures_of(client.get("/en/").content.decode())[figure][key]
    url = bar["orders_url"] or bar["url"]
    # when
    page = client.get(url).content.decode()
    # then
    shown = {name for name, order in orders.items() if order.number in page}
    assert shown == expected


AGED = [("not_due", "today"), ("d31_60", "old"), ("d90_plus", "delivered")]


@pytest.mark.parametrize(("key", "name"), AGED)
def test_an_age_bar_opens_the_receivables_page_of_its_days(login, orders, key, name):
    # given
    client = login(staff(Role.GENERAL_MANAGER))
    url = figures_of(client.get("/en/").content.decode())["age"][key]["url"]
    # when
    page = client.get(url).content.decode()
    # then: the customers owing in those days, and only they
    assert url.startswith(reverse("receivables"))
    owing = {n: o.customer.name in page for n, o in orders.items() if n != "booking"}
    assert owing == {n: n == name for n in owing}


def test_the_lists_behind_the_figures_are_for_managers(login, orders):
    url = reverse("figure-orders", args=["step", "verify"])

    assert login(staff(Role.CLERK)).get(url).status_code == 403
    assert login(staff(Role.SALES_VP)).get(url).status_code == 200
    assert (
        login(staff(Role.SALES_VP)).get(reverse("figure-orders", args=["x", "y"])).status_code
        == 404
    )
