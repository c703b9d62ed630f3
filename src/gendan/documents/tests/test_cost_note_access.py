"""O-11: beside a profit note, the cost note and every paper at the dealer's settlement stay
inside."""

from __future__ import annotations

from decimal import Decimal

import pytest

from gendan.accounts.roles import Role
from gendan.accounts.tests.factories import UserFactory
from gendan.documents.services import document_issue
from gendan.documents.tests.helpers import walked_to
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db


def papers_of_a_dealer_order_with_a_profit_note():
    """A dealer's order the company delivers, installs and collects for (O-11)."""
    order = walked_to(scenario("dealer", install=True, end_price=Decimal("150")), "receive_payment")
    clerk = staff(Role.CLERK)
    cost = document_issue(actor=clerk, order=order, kind="delivery_note")
    profit = document_issue(actor=clerk, order=order, kind="profit_note")
    return order, cost, profit


def pdf_urls(document) -> tuple[str, str]:
    paper = document.files.values_list("paper", flat=True).first()
    return (f"/documents/{document.pk}/{paper}.pdf", f"/api/documents/{document.pk}/{paper}.pdf")


@pytest.mark.parametrize(
    "role", [Role.WAREHOUSE, Role.DRIVER, Role.LOGISTICS, Role.INSTALLER, Role.SERVICE]
)
def test_o11_the_road_and_the_warehouse_get_the_profit_note_not_the_cost_note(client, roles, role):
    # given a dealer's order with its cost note and its profit note
    _order, cost, profit = papers_of_a_dealer_order_with_a_profit_note()
    client.force_login(staff(role))
    # when the road or the warehouse opens each, on the page and through the API
    cost_answers = [client.get(url).status_code for url in pdf_urls(cost)]
    profit_answers = [client.get(url).status_code for url in pdf_urls(profit)]
    # then the profit note travels and the cost note is refused
    assert (cost_answers, profit_answers) == ([403, 403], [200, 200])


@pytest.mark.parametrize("role", [Role.CLERK, Role.FINANCE, Role.DEALER])
def test_o11_the_cost_note_is_for_the_clerk_finance_and_the_dealer(client, roles, role):
    # given a dealer's order with its cost note
    order, cost, _profit = papers_of_a_dealer_order_with_a_profit_note()
    user = UserFactory(roles=[role], partner=order.partner) if role == Role.DEALER else staff(role)
    client.force_login(user)
    # when the clerk, finance or the dealer opens it, then it opens
    assert [client.get(url).status_code for url in pdf_urls(cost)] == [200, 200]


def test_o11_the_order_page_gives_the_warehouse_no_link_to_the_cost_note(client, roles):
    # given a dealer's order with its cost note and its profit note
    order, cost, profit = papers_of_a_dealer_order_with_a_profit_note()
    client.force_login(staff(Role.WAREHOUSE))
    # when the warehouse opens the order
    page = client.get(f"/orders/{order.pk}/").content.decode()
    # then it links the profit note's PDF, not the cost note's
    assert pdf_urls(profit)[0] in page and pdf_urls(cost)[0] not in page


@pytest.mark.parametrize("kind", ["order_form", "dispatch_advice"])
@pytest.mark.parametrize("role", [Role.WAREHOUSE, Role.DRIVER, Role.SERVICE])
def test_o11_no_paper_priced_at_the_dealers_settlement_reaches_the_road(client, roles, role, kind):
    """O-11: beside the profit note, a paper at the dealer's settlement prices would tell the
    dealer's profit, so only the profit note travels."""
    # given a dealer's order with a profit note, and another paper at the order's prices
    order, _cost, profit = papers_of_a_dealer_order_with_a_profit_note()
    priced = document_issue(actor=staff(Role.CLERK), order=order, kind=kind)
    client.force_login(staff(role))
    # when the road, the warehouse or service opens it
    answers = [client.get(url).status_code for url in pdf_urls(priced)]
    # then it is refused, and the profit note still opens
    assert answers == [403, 403]
    assert [client.get(url).status_code for url in pdf_urls(profit)] == [200, 200]
