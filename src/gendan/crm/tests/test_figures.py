"""Figures kept event by event always agree with a rebuild from all events (E-1, E-2, E-3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.crm.keeping import figures_rebuild, period_roll
from gendan.crm.models import CategoryFigures, DayCount, Event, EventKind, Figures, ItemDay
from gendan.crm.services.events import EventInput, events_record
from gendan.parties.models import Customer
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)

event_rows = st.lists(
    st.tuples(
        st.sampled_from(list(EventKind)),
        st.integers(min_value=0, max_value=2),  # which of three customers
        st.integers(min_value=0, max_value=400),  # day, from 2026-01-01 (today is within)
        st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999"), places=2),
        st.integers(min_value=1, max_value=5),
        st.sampled_from(["tmall", "jd", "weibo"]),
        st.sampled_from(["", "flooring", "accessory"]),
        st.sampled_from(["", "BAMBOO-1", "FOAM-2"]),
    ),
    max_size=25,
)
FIELDS = [f.name for f in Figures._meta.fields if f.name != "customer"]
CATEGORY_FIELDS = [f.attname for f in CategoryFigures._meta.fields if f.name != "id"]
DAY_FIELDS = ["measure", "day", "customers"]


def snapshot() -> dict[str, object]:
    """Everything kept: the figures, the per-category figures and the dashboard's day counts."""
    return {
        "figures": {
            f.customer_id: tuple(getattr(f, name) for name in FIELDS) for f in Figures.objects.all()
        },
        "categories": set(CategoryFigures.objects.values_list(*CATEGORY_FIELDS)),
        "days": set(DayCount.objects.exclude(customers=0).values_list(*DAY_FIELDS)),
        "items": set(ItemDay.objects.exclude(carts=0).values_list("item", "day", "carts")),
    }


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=event_rows,
    batch=st.integers(min_value=1, max_value=7),
    periods=st.lists(st.integers(min_value=1, max_value=330), min_size=1, max_size=4),
)
def test_kept_figures_always_agree_with_a_rebuild(db, rows, batch, periods):
    """E-1 to E-3, E-8: any sequence of events, in batches of any size, in any order of time,
    while the RFM period moves forward and back between batches."""
    from django.conf import settings as django_settings

    for model in (DayCount, ItemDay, CategoryFigures, Figures, Event):
        model.objects.all().delete()
    customers = [CustomerFactory(kind="online") for _ in range(3)]
    inputs = [
        EventInput(kind=kind, at=START + dt.timedelta(days=day), customer_id=customers[who].pk,
                   amount=amount, quantity=quantity, source=source, category=category,
                   item=item)
        for kind, who, day, amount, quantity, source, category, item in rows
    ]  # fmt: skip
    rfm_days = django_settings.GENDAN_CRM_RFM_DAYS
    try:
        for number, start in enumerate(range(0, len(inputs), batch)):
            django_settings.GENDAN_CRM_RFM_DAYS = periods[number % len(periods)]
            period_roll()  # the day's roll, as the daily command or the next batch does it
            events_record(rows=inputs[start : start + batch])
        kept = snapshot()

        figures_rebuild()

        assert snapshot() == kept
    finally:
        django_settings.GENDAN_CRM_RFM_DAYS = rfm_days


def test_a_batch_of_thousands_of_customers_keeps_the_same_figures_as_small_ones(db):
    """E-1 to E-3, E-8: a big batch (an import: on PostgreSQL its statements are planned for
    its size) keeps figures that agree with a rebuild, as small batches do."""
    import random

    rng = random.Random(4)
    customers = Customer.objects.bulk_create(
        [Customer(kind="online", name=f"buyer {n}") for n in range(1300)]
    )
    period_roll()
    kinds = list(EventKind)
    rows = [
        EventInput(kind=rng.choice(kinds), at=START + dt.timedelta(hours=rng.randrange(9000)),
                   customer_id=customer.pk, amount=Decimal(rng.randrange(1, 900)),
                   category=rng.choice(["", "flooring", "foam"]), item=rng.choice(["", "F-1"]))
        for customer in customers for _ in range(rng.randrange(1, 3))
    ]  # fmt: skip
    events_record(rows=rows[:40])  # some figures exist before the big batch
    events_record(rows=rows[40:])
    kept = snapshot()

    figures_rebuild()

    assert len(kept["figures"]) == 1300 and snapshot() == kept


def test_e8_purchases_leave_the_rfm_period_as_days_pass(settings):
    """E-8: F and M count the purchases of the period only; the period follows the setting."""
    customer = CustomerFactory(kind="online")
    now = timezone.now()
    paid = {"kind": "order_paid", "customer_id": customer.pk, "category": "flooring"}
    events_record(rows=[
        EventInput(**paid, at=now - dt.timedelta(days=100), amount=Decimal("300")),
        EventInput(**paid, at=now - dt.timedelta(days=10), amount=Decimal("20")),
    ])  # fmt: skip

    settings.GENDAN_CRM_RFM_DAYS = 30
    period_roll()
    short = Figures.objects.get(customer=customer)
    per_category = CategoryFigures.objects.get(customer=customer, category="flooring")
    settings.GENDAN_CRM_RFM_DAYS = 365
    period_roll()
    long = Figures.objects.get(customer=customer)

    assert (short.period_count, short.period_amount) == (1, Decimal("20"))
    assert (per_category.period_count, per_category.purchase_count) == (1, 2)
    assert (long.period_count, long.period_amount) == (2, Decimal("320"))
    assert short.purchase_count == long.purchase_count == 2


def test_the_same_platform_id_or_phone_is_one_customer(db):
    """One customer, all channels: the same person arriving twice is one customer."""
    at = START
    events_record(
        rows=[
            EventInput(
                kind="favourite_shop", at=at, platform="tmall", platform_id="tb_1", nickname="竹子"
            )
        ]
    )
    events_record(
        rows=[EventInput(kind="add_to_cart", at=at, platform="tmall", platform_id="tb_1")]
    )
    events_record(rows=[EventInput(kind="qr_scan", at=at, mobile="13812345678")])
    events_record(rows=[EventInput(kind="qr_scan", at=at, mobile="138 1234 5678")])

    assert Customer.objects.filter(platform_id="tb_1").count() == 1
    assert Customer.objects.filter(mobile="13812345678").count() == 1
    assert Event.objects.count() == 4


def test_a_repeated_import_counts_each_order_once(db):
    customer = CustomerFactory(kind="online")
    row = EventInput(
        kind="order_paid",
        at=START,
        customer_id=customer.pk,
        amount=Decimal("99"),
        external_id="TB-1",
    )

    events_record(rows=[row, row])
    events_record(rows=[row])

    assert Figures.objects.get(customer=customer).purchase_count == 1


def test_a_bad_row_is_reported_by_number_and_nothing_is_recorded(db):
    customer = CustomerFactory(kind="online")
    good = EventInput(kind="favourite_item", at=START, customer_id=customer.pk)
    bad = EventInput(kind="order_paid", at=START, customer_id=customer.pk)  # no amount

    with pytest.raises(ValidationError) as refused:
        events_record(rows=[good, bad])

    assert "rows.1" in refused.value.message_dict
    assert not Event.objects.exists() and not Figures.objects.exists()


def test_the_rebuild_command(db):
    customer = CustomerFactory(kind="online")
    events_record(
        rows=[EventInput(kind="order_paid", at=START, customer_id=customer.pk, amount=Decimal("5"))]
    )
    Figures.objects.all().delete()

    call_command("crm_rebuild")

    assert Figures.objects.get(customer=customer).purchase_amount == Decimal("5")


def test_orders_of_the_order_process_flow_in_when_closed(roles):
    """E-1: a paid order of the order process counts as a purchase of its homeowner."""
    from gendan.accounts.roles import PARTNER_ROLES, Role
    from gendan.orders.services.effects import effects_due_run
    from gendan.orders.simulate import order_walk
    from gendan.orders.tests.helpers import order_registered, staff
    from gendan.parties.tests.factories import HomeownerFactory, SupermarketFactory

    market = SupermarketFactory()
    shopper = HomeownerFactory(via=market)
    order = order_registered(market, end_customer=shopper, payment_terms="contract")
    signers = {role: staff(role) for role in Role if role not in PARTNER_ROLES}

    order = order_walk(order, signers)
    effects_due_run()  # the task worker feeds the CRM

    figures = Figures.objects.get(customer=shopper)
    assert order.step == "closed"
    assert (figures.purchase_count, figures.purchase_amount) == (1, order.total)
    assert Event.objects.get(customer=shopper).external_id == f"order:{order.number}"


def test_events_arrive_in_batches_through_the_api(client, roles):
    """Events in through the API (batches): all or nothing, figures current at once."""
    from gendan.accounts.roles import Role
    from gendan.orders.tests.helpers import staff

    client.force_login(staff(Role.GENERAL_MANAGER))
    rows = [
        {"kind": "favourite_shop", "at": "2026-11-01T10:00:00+08:00", "platform": "tmall",
         "platform_id": "tb_9", "nickname": "竹林"},
        {"kind": "order_paid", "at": "2026-11-02T10:00:00+08:00", "platform": "tmall",
         "platform_id": "tb_9", "amount": "388.00", "quantity": 2, "external_id": "T-1"},
    ]  # fmt: skip

    recorded = client.post("/api/crm/events", rows, content_type="application/json")
    bad = client.post("/api/crm/events", [rows[1] | {"amount": None, "external_id": "T-2"}],
                      content_type="application/json")  # fmt: skip
    customer = Customer.objects.get(platform_id="tb_9")
    figures = client.get(f"/api/crm/customers/{customer.pk}/figures").json()

    assert recorded.json() == {"recorded": 2} and bad.status_code == 422
    assert (figures["purchase_count"], figures["purchase_amount"], figures["items_bought"]) == (
        1,
        "388.00",
        2,
    )


def test_merging_two_customers_by_hand_keeps_both_histories(roles):
    """The same person found twice: merged, both histories count, later events follow."""
    from gendan.accounts.roles import Role
    from gendan.audit.models import AuditEvent
    from gendan.crm.services.customers import customer_merge
    from gendan.orders.tests.helpers import staff

    paid = {"kind": "order_paid", "at": START}
    events_record(rows=[
        EventInput(**paid, platform="tmall", platform_id="tb_a", amount=Decimal("100")),
        EventInput(**paid, platform="jd", platform_id="jd_a", amount=Decimal("50")),
    ])  # fmt: skip
    keep = Customer.objects.get(platform_id="tb_a")
    absorb = Customer.objects.get(platform_id="jd_a")

    customer_merge(actor=staff(Role.GENERAL_MANAGER), keep=keep, absorb=absorb)
    events_record(rows=[EventInput(kind="qr_scan", at=START, platform="jd", platform_id="jd_a")])

    figures = Figures.objects.get(customer=keep)
    absorb.refresh_from_db()
    assert (figures.purchase_count, figures.purchase_amount) == (2, Decimal("150"))
    assert absorb.merged_into == keep and not absorb.is_active
    assert Event.objects.filter(customer=keep).count() == 3
    assert AuditEvent.objects.filter(action="customer.merge", target_id=str(keep.pk)).exists()


def test_partners_and_firms_are_not_merged(roles):
    from gendan.accounts.roles import Role
    from gendan.crm.services.customers import customer_merge
    from gendan.orders.tests.helpers import staff
    from gendan.parties.tests.factories import DealerFactory

    with pytest.raises(ValidationError):
        customer_merge(
            actor=staff(Role.GENERAL_MANAGER), keep=DealerFactory(), absorb=DealerFactory()
        )


def test_two_first_events_at_the_same_moment_give_the_same_source_kept_or_rebuilt():
    """E-3: where two first events tie, the source is chosen the same way by both paths."""
    customer = CustomerFactory(kind="online")
    rows = [
        EventInput(kind="qr_scan", at=START, customer_id=customer.pk, source=source)
        for source in ("weibo", "jd", "tmall")
    ]
    events_record(rows=rows[:1])
    events_record(rows=rows[1:])
    kept = Figures.objects.get(customer=customer).source

    figures_rebuild()

    assert kept == Figures.objects.get(customer=customer).source == "jd"


def test_a_repeated_external_id_in_one_batch_counts_once_everywhere():
    """An event repeated within a batch is recorded once: figures and item counts alike."""
    from gendan.crm.models import ItemDay

    customer = CustomerFactory(kind="online")
    row = EventInput(kind="add_to_cart", at=START, customer_id=customer.pk, item="BAMBOO-1",
                     external_id="CART-1")  # fmt: skip

    recorded = events_record(rows=[row, row])
    again = events_record(rows=[row])

    assert (len(recorded), len(again)) == (1, 0)
    assert ItemDay.objects.get(item="BAMBOO-1").carts == 1
    assert Event.objects.count() == 1
