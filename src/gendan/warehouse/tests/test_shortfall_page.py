"""O-58 on the order page: what each product gets from one batch, what is short, and the
customer's agreement to a split, for the clerk (page and API)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.orders.services.steps import StepRefused
from gendan.orders.tests.helpers import staff
from gendan.warehouse.audit_events import SPLIT_AGREED
from gendan.warehouse.models import Batch, Reservation, SplitAgreement
from gendan.warehouse.tests.helpers import batch_received, stocked_product
from gendan.warehouse.tests.test_reservations import at_note, note_made
from gendan.warehouse.views_reservations import AGREED_LATER

pytestmark = pytest.mark.django_db


def short_order():
    """An order of 50 m² waiting for its note; batches of 30 and 25, and one due in 5 days."""
    product = stocked_product()
    batch_received(product, "B-30", "30")
    batch_received(product, "B-25", "25")
    Batch.objects.create(
        product=product, number="B-NEXT", due_on=timezone.localdate() + dt.timedelta(5)
    )
    return at_note("50", product), product


def shortfalls(client, order):
    return client.get(reverse("warehouse-order-shortfalls", args=[order.pk])).text


def agreement_post(client, order, product, **data):
    return client.post(
        reverse("warehouse-split-agreement", args=[order.pk]),
        {"product": product.pk, "agreed_by": "王先生", "note": "电话确认"} | data,
    )


def test_o58_before_the_note_the_clerk_sees_the_one_batch_each_product_gets(client, roles):
    """O-58: before the delivery note, each product shows the batch the note will reserve."""
    # given
    product = stocked_product()
    batch_received(product, "B-BIG", "500")
    batch_received(product, "B-SNUG", "60")
    order = at_note("50", product)
    client.force_login(staff(Role.CLERK))
    # when
    page = shortfalls(client, order)
    # then
    assert "B-SNUG" in page and "B-BIG" not in page
    assert 'name="agreed_by"' not in page  # nothing is short: no split offered


def test_o58_a_refused_note_leaves_the_largest_batch_what_is_missing_and_the_next_due(
    client, roles
):
    """O-58: when the note was refused for a shortfall, the clerk sees the largest batch and
    what is missing, the day the next batch is due, and the form for the customer's split."""
    # given: the note refused
    order, _product = short_order()
    with pytest.raises(StepRefused):
        note_made(order)
    client.force_login(staff(Role.CLERK))
    # when
    page = shortfalls(client, order)
    # then
    due = (timezone.localdate() + dt.timedelta(5)).isoformat()
    assert "B-30" in page and ">20 " in page  # 30 available, 20 missing
    assert "B-NEXT" in page and due in page
    assert 'name="agreed_by"' in page and "B-30 × 30, B-25 × 20" in page


def test_o58_the_agreement_is_confirmed_first_and_the_note_then_splits_over_few_batches(
    client, roles
):
    """O-58: the customer's agreement (who, when, a note) is shown to confirm before it is
    recorded; recorded, the delivery note reserves over the fewest batches."""
    # given
    order, product = short_order()
    client.force_login(staff(Role.CLERK))
    # when: the clerk posts the form
    confirm = agreement_post(client, order, product)
    # then: a confirmation page, nothing recorded yet
    assert confirm.status_code == 200 and 'name="confirmed" value="yes"' in confirm.text
    assert "王先生" in confirm.text and not SplitAgreement.objects.exists()
    # when: confirmed
    done = agreement_post(client, order, product, confirmed="yes")
    # then
    assert done.status_code == 302
    agreement = SplitAgreement.objects.get(order=order, product=product)
    assert (agreement.agreed_by, agreement.note) == ("王先生", "电话确认")
    assert AuditEvent.objects.filter(action=str(SPLIT_AGREED), target_id=str(order.pk)).exists()
    note_made(order)
    held = Reservation.objects.filter(order=order).values_list("batch__number", "quantity")
    assert sorted(held) == [("B-25", Decimal("20.000")), ("B-30", Decimal("30.000"))]


def test_o58_an_agreement_without_the_customers_name_or_later_than_now_is_refused(client, roles):
    """O-58: who agreed is required; a time in the future is not an agreement; another
    order's product is not this order's to agree on. Nothing is recorded."""
    order, product = short_order()
    client.force_login(staff(Role.CLERK))
    later = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    agreement_post(client, order, product, agreed_by=" ", confirmed="yes")
    refused = agreement_post(client, order, product, agreed_at=later, confirmed="yes")
    agreement_post(client, order, stocked_product(), confirmed="yes")
    assert not SplitAgreement.objects.exists()
    page = client.get(refused.url)
    assert str(AGREED_LATER) in page.text


def test_the_split_and_what_is_short_are_the_clerks(client, roles):
    """The warehouse sees the reservations, not the clerk's split form."""
    order, product = short_order()
    client.force_login(staff(Role.WAREHOUSE))
    panel = client.get(reverse("warehouse-order-panel", args=[order.pk])).text
    assert "warehouse-order-shortfalls" not in panel and "/shortfalls/" not in panel
    assert client.get(reverse("warehouse-order-shortfalls", args=[order.pk])).status_code == 403
    assert agreement_post(client, order, product, confirmed="yes").status_code == 403
    assert not SplitAgreement.objects.exists()


def test_o58_the_api_tells_what_is_short_and_records_the_agreement(client, roles):
    """O-58: GET shortfalls names the largest batch, what is missing and the next batch due;
    POST split-agreements records the customer's agreement, then the note splits."""
    # given
    order, product = short_order()
    client.force_login(staff(Role.CLERK))
    base = f"/api/warehouse/orders/{order.pk}"
    # when
    rows = client.get(f"{base}/shortfalls").json()
    # then
    (row,) = rows
    assert (row["product"], row["one_batch"], row["largest_batch"]) == (product.sku, False, "B-30")
    assert Decimal(row["missing"]) == 20 and row["next_batch"] == "B-NEXT"
    assert row["next_due_on"] == (timezone.localdate() + dt.timedelta(5)).isoformat()
    assert "B-30" in row["message"] and row["agreement"] is None
    # when: the agreement is posted
    made = client.post(
        f"{base}/split-agreements", {"product_id": product.pk, "agreed_by": "王先生"},
        content_type="application/json",
    )  # fmt: skip
    # then
    assert made.status_code == 201 and made.json()["agreed_by"] == "王先生"
    note_made(order)
    assert Reservation.objects.filter(order=order).count() == 2


def test_the_api_refuses_an_agreement_on_another_orders_product(client, roles):
    order, _product = short_order()
    client.force_login(staff(Role.CLERK))
    answer = client.post(
        f"/api/warehouse/orders/{order.pk}/split-agreements",
        {"product_id": stocked_product().pk, "agreed_by": "王先生"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 422 and not SplitAgreement.objects.exists()


def test_o58_the_time_the_customer_agreed_is_carried_through_the_confirmation(client, roles):
    """O-58: the agreement says when the customer agreed, as the clerk typed it."""
    order, product = short_order()
    client.force_login(staff(Role.CLERK))
    when = (timezone.localtime() - dt.timedelta(hours=3)).replace(second=0, microsecond=0)
    typed = when.strftime("%Y-%m-%dT%H:%M")

    confirm = agreement_post(client, order, product, agreed_at=typed)
    assert f'name="agreed_at" value="{typed}"' in confirm.text
    agreement_post(client, order, product, agreed_at=typed, confirmed="yes")

    assert SplitAgreement.objects.get(order=order).agreed_at == when
