"""The customer search of the order form (issue 12): names, phones in any writing, their last
digits, customer numbers, within what the user may see."""

from __future__ import annotations

import pytest
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.parties.tests.factories import CustomerFactory, DealerFactory, HomeownerFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("api:customers_search")


def names(response) -> list[str]:
    assert response.status_code == 200
    return [hit["name"] for hit in response.json()]


@pytest.fixture
def clerk(client, user_with):
    client.force_login(user_with(Role.CLERK))
    return client


def test_a_part_of_the_name_finds_the_customer_with_what_tells_it_apart(clerk):
    CustomerFactory(name="佛山顺德陈记装饰", kind="decorator", mobile="13812345678", city="佛山市")
    CustomerFactory(name="广州陈记", mobile="13900000000")

    hits = clerk.get(SEARCH, {"q": "顺德陈"}).json()

    assert [hit["name"] for hit in hits] == ["佛山顺德陈记装饰"]
    assert hits[0]["kind"] == "decorator"
    assert hits[0]["city"] == "佛山市"
    assert hits[0]["phone_tail"] == "5678"


def test_two_characters_find_names_starting_with_them(clerk):
    CustomerFactory(name="陈记"), CustomerFactory(name="老陈记")

    assert names(clerk.get(SEARCH, {"q": "陈记"})) == ["陈记"]


def test_one_character_of_a_name_is_not_enough(clerk):
    CustomerFactory(name="陈记")

    assert names(clerk.get(SEARCH, {"q": "陈"})) == []


@pytest.mark.parametrize("written", ["138 1234 5678", "138-1234-5678", "+86 138 1234 5678",
                                     "+8613812345678", "(138) 1234-5678"])  # fmt: skip
def test_a_mobile_written_any_way_finds_its_customer(clerk, written):
    CustomerFactory(name="李先生", mobile="13812345678"), CustomerFactory(name="别人")

    assert names(clerk.get(SEARCH, {"q": written})) == ["李先生"]


def test_the_last_four_digits_of_a_phone_find_the_customer(clerk):
    CustomerFactory(name="李先生", mobile="13812345678")
    CustomerFactory(name="座机客户", mobile="", landline="020-87655678")
    CustomerFactory(name="别人", mobile="13800001234")

    assert names(clerk.get(SEARCH, {"q": "5678"})) == ["座机客户", "李先生"]


def test_a_customer_number_finds_the_customer(clerk):
    customer = CustomerFactory(name="编号客户")

    assert "编号客户" in names(clerk.get(SEARCH, {"q": str(customer.pk)}))


def test_homeowners_are_searched_apart_and_by_their_dealer(clerk):
    ours, theirs = DealerFactory(name="王氏经销"), DealerFactory(name="王家经销")
    HomeownerFactory(name="王业主甲", via=ours), HomeownerFactory(name="王业主乙", via=theirs)

    assert names(clerk.get(SEARCH, {"q": "王业主"})) == []
    assert names(clerk.get(SEARCH, {"q": "王业主", "homeowners": "true", "via": ours.pk})) == [
        "王业主甲"
    ]


def test_a_dealer_never_finds_another_dealers_customers(client, user_with):
    ours, theirs = DealerFactory(), DealerFactory()
    HomeownerFactory(name="张业主", via=ours, mobile="13811112222")
    HomeownerFactory(name="张业主", via=theirs, mobile="13833332222")
    client.force_login(user_with(Role.DEALER, partner=ours))

    for q in ("张业主", "2222", "138 3333 2222"):
        hits = client.get(SEARCH, {"q": q, "homeowners": "true"}).json()
        assert [hit["phone_tail"] for hit in hits] == (["2222"] if q != "138 3333 2222" else [])
    their_homeowners = {"q": "张业主", "homeowners": "true", "via": theirs.pk}
    assert names(client.get(SEARCH, their_homeowners)) == []


@pytest.mark.parametrize("q", ["\x00", "陈\x00记", "%", "_", "'; --", "9" * 40, "+", "---",
                               "a" * 5000, "\\", "🙂🙂🙂"])  # fmt: skip
def test_odd_input_finds_nothing_and_breaks_nothing(clerk, q):
    CustomerFactory(name="陈记")

    response = clerk.get(SEARCH, {"q": q})

    # A NUL is refused before any view (core.input_checks); the rest are searched for.
    assert response.status_code == 400 if "\x00" in q else names(response) == []


def test_an_impossible_dealer_number_is_refused_not_a_failure(clerk):
    assert clerk.get(SEARCH, {"q": "陈", "via": "9" * 30}).status_code == 422
