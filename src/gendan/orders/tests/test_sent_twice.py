"""An order sent twice (a double click, a reload, a program's retry) is registered once."""

from __future__ import annotations

import datetime as dt
import re
import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.accounts.services import api_token_create
from gendan.core.idempotency import FORM_SENT_TWICE, KEY_REUSED
from gendan.core.models import IdempotencyKey
from gendan.orders.models import Order
from gendan.orders.tests.helpers import listed_product, staff
from gendan.parties.tests.factories import DealerFactory
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db
JSON = "application/json"


def register_form(customer, product, token, **changes):
    form = {
        "form_token": token,
        "customer": customer.pk, "payment_method": "cash", "payment_terms": "prepay",
        "province": "广东省", "city": "佛山市", "street": "季华路8号", "floor": "3",
        "lines-TOTAL_FORMS": "1", "lines-INITIAL_FORMS": "0", "lines-MIN_NUM_FORMS": "1",
        "lines-0-product": product.pk, "lines-0-quantity": "12.5",
    }  # fmt: skip
    return form | changes


def token_of(page) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page.content.decode()).group(1)


def order_body(customer, product, **changes):
    order = {
        "customer_id": customer.pk, "payment_method": "bank_transfer", "payment_terms": "prepay",
        "province": "广东省", "city": "深圳市", "street": "深南大道1号", "floor": 12,
        "contact_phone": "13800000000", "expected_delivery_on": "2026-12-01",
        "expected_install_on": "2026-12-03",
        "lines": [{"product_id": product.pk, "quantity": "20"}],
    }  # fmt: skip
    return order | changes


def post_order(client, body, key):
    return client.post("/api/orders", body, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)


def test_the_register_form_sent_twice_makes_one_order_and_the_second_post_leads_to_it(
    client, roles
):
    # given: the clerk has the blank form, with its one-time token
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    token = token_of(client.get(reverse("order-register")))

    # when: the form is sent twice in a row
    first = client.post(reverse("order-register"), register_form(dealer, product, token))
    second = client.post(reverse("order-register"), register_form(dealer, product, token))

    # then
    order = Order.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == reverse("order-detail", args=[order.pk])
    shown = client.get(second["Location"]).content.decode()
    assert in_chinese(FORM_SENT_TWICE) in shown


def test_a_register_form_refused_keeps_its_token_and_registers_once_corrected(client, roles):
    # given: a form without the quantity is refused
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    token = token_of(client.get(reverse("order-register")))
    refused = client.post(
        reverse("order-register"), register_form(dealer, product, token, **{"lines-0-quantity": ""})
    )

    # when: the corrected form is sent with the token the refused page carries
    sent = client.post(reverse("order-register"), register_form(dealer, product, token_of(refused)))

    # then
    assert refused.status_code == 200
    assert sent.status_code == 302
    assert Order.objects.count() == 1


def test_two_blank_forms_make_two_orders(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.CLERK))
    tokens = [token_of(client.get(reverse("order-register"))) for _ in range(2)]

    # when
    for token in tokens:
        client.post(reverse("order-register"), register_form(dealer, product, token))

    # then
    assert tokens[0] != tokens[1]
    assert Order.objects.count() == 2


def test_an_order_posted_twice_with_one_idempotency_key_is_registered_once_with_one_answer(
    client, roles
):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.DEALER, partner=dealer))

    # when: a program sends the same order twice in a row, with the same key
    first = post_order(client, order_body(dealer, product), "order-2026-0001")
    second = post_order(client, order_body(dealer, product), "order-2026-0001")

    # then: the same status and body, and one order
    assert first.status_code == second.status_code == 201
    assert second.content == first.content
    assert second["Idempotent-Replayed"] == "true"
    assert Order.objects.count() == 1


def test_a_program_with_a_token_retrying_after_a_lost_answer_gets_the_first_answer(roles):
    # given: a program (no browser session, no CSRF cookie) with its dealer user's API token
    dealer, product = DealerFactory(), listed_product()
    _token, secret = api_token_create(user=staff(Role.DEALER, partner=dealer), name="ERP")
    program = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {secret}")

    # when: it sends the order, loses the answer, and sends it again
    first = post_order(program, order_body(dealer, product), "erp-4711")
    retry = post_order(program, order_body(dealer, product), "erp-4711")

    # then
    assert (first.status_code, retry.status_code) == (201, 201)
    assert retry.json() == first.json()
    assert Order.objects.count() == 1


def test_the_same_idempotency_key_with_a_different_order_is_refused(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.DEALER, partner=dealer))
    post_order(client, order_body(dealer, product), "order-2026-0002")

    # when
    other = post_order(client, order_body(dealer, product, floor=3), "order-2026-0002")

    # then
    assert other.status_code == 422
    assert other.json()["detail"][0]["msg"] == in_chinese(KEY_REUSED)
    assert Order.objects.count() == 1


def test_an_order_refused_frees_its_key_for_the_corrected_order(client, roles):
    # given: an order without lines is refused
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.DEALER, partner=dealer))
    refused = post_order(client, order_body(dealer, product, lines=[]), "order-2026-0003")

    # when
    corrected = post_order(client, order_body(dealer, product), "order-2026-0003")

    # then
    assert refused.status_code == 422
    assert corrected.status_code == 201
    assert Order.objects.count() == 1


def test_one_idempotency_key_from_two_users_is_two_orders(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    users = [staff(Role.DEALER, username=name, partner=dealer) for name in ("d-1", "d-2")]

    # when
    for user in users:
        client.force_login(user)
        post_order(client, order_body(dealer, product), "order-2026-0004")

    # then
    assert Order.objects.count() == 2


def test_an_idempotency_key_is_kept_a_day_and_then_forgotten(client, roles):
    # given: a key sent 25 hours ago
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.DEALER, partner=dealer))
    post_order(client, order_body(dealer, product), "order-2026-0005")
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    # when
    again = post_order(client, order_body(dealer, product), "order-2026-0005")

    # then: a new order, and the old key pruned
    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert Order.objects.count() == 2
    assert IdempotencyKey.objects.count() == 1


def test_a_malformed_idempotency_key_is_refused(client, roles):
    # given
    dealer, product = DealerFactory(), listed_product()
    client.force_login(staff(Role.DEALER, partner=dealer))

    # when
    refused = post_order(client, order_body(dealer, product), "x" * 256)

    # then
    assert refused.status_code == 422
    assert not Order.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_two_web_servers_sent_the_same_key_at_once_register_one_order(roles):
    """Each thread has its own database connection, as two web servers would."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's test database is one connection's memory: no second server")
    # given
    dealer, product = DealerFactory(), listed_product()
    user = staff(Role.DEALER, partner=dealer)
    answers, start = [], threading.Barrier(2)

    def send() -> None:
        client = Client()
        client.force_login(user)
        start.wait()
        answers.append(post_order(client, order_body(dealer, product), "order-2026-0006"))
        connection.close()

    # when
    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then
    assert [answer.status_code for answer in answers] == [201, 201]
    assert answers[0].content == answers[1].content
    assert Order.objects.count() == 1
