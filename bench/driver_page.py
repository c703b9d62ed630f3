"""Benchmark: the driver's page (issue 14 point 6), goal "under 200 ms", on PostgreSQL.

Today's published plan with one driver's route of 25 stops, each a shipped order (three lines
of stocked products, their labelled boxes reserved, picked and shipped by the real services,
the order walked to its deliver step), and a second driver's route beside it. Then
``GET /logistics/driver/`` for the first driver through Django's test Client in-process
(the whole stack: middleware, session, the selector, the templates), 10 warm-ups and 100 timed
requests: p50, p95 and p95 ÷ 200 ms. The queries of one request are counted too.

    make bench-driver           # or: .venv/bin/python bench/driver_page.py
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gendan_bench_driver (default)
    --stops N (25), --requests N (100)
"""

from __future__ import annotations

import argparse
import itertools
import os
import statistics
import sys
import time
from decimal import Decimal

from orders_walk import database_recreate, django_start

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gendan_bench_driver"
GOAL_MS = 200
WARM_UPS = 10
LINES = 3
BATCHES = itertools.count(1)  # batch numbers, unique over the run (box labels follow them)


def products_stocked(count: int) -> list:
    """Stocked products, each with one batch received and 40 labelled boxes of 4 m²."""
    from gendan.warehouse.tests.helpers import batch_received, stocked_product
    from gendan.warehouse.tests.picking import boxes

    products = []
    for _ in range(count):
        product = stocked_product()
        batch = batch_received(product, f"B-{next(BATCHES):04d}", "400")
        boxes(batch, 40, "4")
        products.append(product)
    return products


def order_at_deliver(products: list, number: int):
    """A dealer's homeowner's order of three products, walked to the deliver step: reserved
    at the delivery note, its boxes picked and checked, shipped (orders/simulate.py)."""
    from gendan.accounts.roles import Role
    from gendan.documents.tests.helpers import walked_to
    from gendan.orders.models import PaymentMethod, PaymentTerms
    from gendan.orders.routes import DELIVER
    from gendan.orders.services.registration import LineInput, order_register
    from gendan.orders.tests.helpers import DAY, staff
    from gendan.parties.tests.factories import DealerFactory, HomeownerFactory

    dealer = DealerFactory()
    fields = {
        "customer": dealer, "end_customer": HomeownerFactory(via=dealer),
        "payment_method": PaymentMethod.BANK_TRANSFER, "payment_terms": PaymentTerms.PREPAY,
        "province": "广东省", "city": "深圳市", "district": "南山区", "street": "科技园路1号",
        "building": f"{number}栋", "floor": number % 30, "contact_name": f"业主{number}",
        "contact_phone": "13800000000", "expected_delivery_on": DAY,
    }  # fmt: skip
    lines = [
        LineInput(product=product, quantity=Decimal("8"), unit_price=Decimal("100"))
        for product in products
    ]
    order = order_register(actor=staff(Role.CLERK), fields=fields, lines=lines, on=DAY)
    return walked_to(order, DELIVER.code)


def world(stops: int):
    """Today's published plan: the measured driver's route of ``stops`` drops, another
    driver's route of five beside it."""
    from gendan.accounts.services import role_groups_sync
    from gendan.logistics.tests.factories import DropFactory, TruckRouteFactory

    role_groups_sync()
    route, other = TruckRouteFactory(), TruckRouteFactory()
    for place, count in ((route, stops), (other, 5)):
        for sequence in range(1, count + 1):
            products = products_stocked(LINES)
            DropFactory(order=order_at_deliver(products, sequence), route=place, sequence=sequence)
    return route.driver.user


def measured(user, requests: int) -> tuple[list[float], int, int]:
    """Milliseconds of each timed request, the page's size and its queries."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    for _ in range(WARM_UPS):
        assert client.get("/logistics/driver/").status_code == 200
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get("/logistics/driver/")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as queries:
        size = len(client.get("/logistics/driver/").content)
    return times, size, len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--stops", type=int, default=25)
    parser.add_argument("--requests", type=int, default=100)
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    database_recreate(url)
    django_start(url)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the page, by test client
    started = time.perf_counter()
    driver = world(options.stops)
    print(f"{options.stops} stops of {LINES}-line orders walked to delivery "
          f"in {time.perf_counter() - started:.0f} s")  # fmt: skip
    times, size, queries = measured(driver, options.requests)
    p50 = statistics.median(times)
    p95 = statistics.quantiles(times, n=20)[-1]
    print(f"GET /logistics/driver/ ({options.stops} stops, {size / 1000:.0f} KB, {queries} "
          f"queries), {options.requests} requests after {WARM_UPS} warm-ups:")  # fmt: skip
    print(f"  p50 {p50:.1f} ms, p95 {p95:.1f} ms; p95 / {GOAL_MS} ms = {p95 / GOAL_MS:.2f} "
          f"({'met' if p95 < GOAL_MS else 'NOT met'})")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
