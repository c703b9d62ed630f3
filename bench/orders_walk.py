"""Benchmark: 2,000 orders of mixed routes walked through every step, on PostgreSQL.

Reports steps per second and p50/p95 latency per step of the transition service, side by
side, in the same run, with the database's own ceiling: the same number of bare
single-row transactions (an insert and an update, through psycopg, no Django). Then
registers and verifies one order of 1,000 lines.

    make bench                      # or: .venv/bin/python bench/orders_walk.py --orders 2000
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gendan_bench (default)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections import defaultdict
from decimal import Decimal

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gendan_bench"


def database_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_start(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # no query log: it would cost memory and time
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.config.development")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def bare_transactions(url: str, count: int) -> float:
    """The ceiling: ``count`` transactions of one insert and one update, durable commits."""
    import psycopg

    with psycopg.connect(url) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_bare")
        connection.execute("CREATE TABLE bench_bare (id bigserial PRIMARY KEY, n integer)")
        connection.commit()
        started = time.perf_counter()
        for number in range(count):
            row = connection.execute(
                "INSERT INTO bench_bare (n) VALUES (%s) RETURNING id", [number]
            ).fetchone()
            connection.execute("UPDATE bench_bare SET n = n + 1 WHERE id = %s", [row[0]])
            connection.commit()
        elapsed = time.perf_counter() - started
        connection.execute("DROP TABLE bench_bare")
        connection.commit()
    return count / elapsed


def world():
    """Users for every role, one customer per channel with a homeowner, one product."""
    from gendan.accounts.roles import Role
    from gendan.accounts.services import role_groups_sync, user_create
    from gendan.catalog.models import PriceKind
    from gendan.catalog.services import price_list_create, product_create
    from gendan.parties.models import CustomerKind
    from gendan.parties.services import contract_create, customer_create

    role_groups_sync()
    admin = user_create(
        actor=None, username="bench-admin", password="x" * 12, roles=set(), is_superuser=True
    )
    customers = {}
    for kind in ("supermarket", "dealer", "project", "decorator", "retail"):
        fields = {"kind": kind, "name": f"bench {kind}", "mobile": "13800000000"}
        customers[kind] = customer_create(actor=admin, fields=fields)
    homeowner = {"kind": CustomerKind.HOMEOWNER, "name": "业主", "mobile": "13900000000"}
    homeowners = {
        kind: customer_create(actor=admin, fields=homeowner | {"via": customers[kind]})
        for kind in ("supermarket", "dealer")
    }
    signers = {}
    for role in Role:
        partner = customers["dealer"] if role in (Role.DEALER, Role.STORE_STAFF) else None
        partner = customers["supermarket"] if role == Role.PROMOTER else partner
        signers[role] = user_create(
            actor=admin, username=f"bench-{role}", password="x" * 12, roles={role}, partner=partner
        )
    for kind in ("project", "decorator"):
        stages = [{"name": "尾款", "percent": Decimal("100"), "due_on": dt.date(2099, 1, 1)}]
        fields = {
            "number": f"B-{kind}",
            "title": kind,
            "signed_on": dt.date(2026, 1, 1),
            "amount": Decimal("1"),
        }
        customers[kind].bench_contract = contract_create(
            actor=admin, customer=customers[kind], fields=fields, stages=stages
        )
    product = product_create(
        actor=admin, fields={"sku": "B-1", "name": "竹地板", "category": "flooring", "unit": "m2"}
    )
    for kind in PriceKind:  # O-14: finance checks every price against the list
        fields = {"name": f"bench {kind}", "kind": kind, "valid_from": dt.date(2026, 1, 1)}
        price_list_create(actor=admin, fields=fields, items=[(product, Decimal("100"))])
    return customers, homeowners, signers, product


CASES = [  # channel, installation, terms: one of each route
    ("supermarket", False, "contract"), ("supermarket", True, "contract"),
    ("dealer", False, "prepay"), ("dealer", True, "on_delivery"),
    ("project", True, "contract"), ("project", False, "contract"),
    ("decorator", False, "contract"), ("retail", True, "prepay"),
]  # fmt: skip


def walk_orders(count: int, customers, homeowners, signers, product) -> dict[str, list[float]]:
    from gendan.orders.services.registration import LineInput, order_register
    from gendan.orders.simulate import order_walk

    timings: dict[str, list[float]] = defaultdict(list)

    def timed(code, sign):
        started = time.perf_counter()
        result = sign()
        timings[code].append(time.perf_counter() - started)
        return result

    clerk = signers["clerk"]
    for number in range(count):
        channel, install, terms = CASES[number % len(CASES)]
        fields = {
            "customer": customers[channel], "end_customer": homeowners.get(channel),
            "needs_installation": install, "payment_method": "bank_transfer",
            "payment_terms": terms, "province": "广东省", "city": "广州市", "street": "天河路1号",
            "floor": 3, "contact_phone": "13800000000",
            "expected_delivery_on": dt.date(2026, 12, 1),
            "expected_install_on": dt.date(2026, 12, 3),
            "contract": getattr(customers[channel], "bench_contract", None),
        }  # fmt: skip
        line = [LineInput(product=product, quantity=Decimal("10"), unit_price=Decimal("100"))]
        started = time.perf_counter()
        order = order_register(actor=clerk, fields=fields, lines=line)
        timings["register"].append(time.perf_counter() - started)
        order_walk(order, signers, timed=timed)
    return timings


def big_order(customers, signers, product, lines: int = 1000) -> tuple[float, float]:
    from gendan.orders.models import VerificationItem
    from gendan.orders.services.registration import LineInput, order_register
    from gendan.orders.services.steps import order_step_complete
    from gendan.orders.services.verification import order_checks_confirm

    fields = {
        "customer": customers["dealer"], "payment_method": "cash", "payment_terms": "prepay",
        "province": "广东省", "city": "广州市", "street": "天河路1号", "floor": 3,
        "expected_delivery_on": dt.date(2026, 12, 1),
    }  # fmt: skip
    rows = [
        LineInput(product=product, quantity=Decimal(n + 1), unit_price=Decimal("88"))
        for n in range(lines)
    ]
    started = time.perf_counter()
    order = order_register(actor=signers["clerk"], fields=fields, lines=rows)
    registered = time.perf_counter() - started
    started = time.perf_counter()
    order_checks_confirm(actor=signers["clerk"], order=order, items=list(VerificationItem.values))
    order_step_complete(actor=signers["clerk"], order=order, step="verify")
    return registered, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def report(timings, bare_per_second: float, big: tuple[float, float], count: int) -> None:
    steps = [t for code, values in timings.items() if code != "register" for t in values]
    step_rate = len(steps) / sum(steps)
    print(f"\nOrders walked: {count}; steps signed: {len(steps)}")
    print(f"{'step':<24}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}")
    for code, values in sorted(timings.items(), key=lambda item: -len(item[1])):
        p50, p95 = percentile(values, 0.5) * 1000, percentile(values, 0.95) * 1000
        print(f"{code:<24}{len(values):>7}{p50:>9.2f}{p95:>9.2f}")
    p50_all, p95_all = percentile(steps, 0.5) * 1000, percentile(steps, 0.95) * 1000
    print(f"{'all steps':<24}{len(steps):>7}{p50_all:>9.2f}{p95_all:>9.2f}")
    print(f"\nRoute steps per second (service layer): {step_rate:,.0f}")
    print(f"Bare insert+update transactions per second (psycopg): {bare_per_second:,.0f}")
    ratio = step_rate / bare_per_second
    verdict = "met" if ratio >= 0.25 and p95_all < 20 else "NOT met"
    print(f"Ratio: {ratio:.2f} (goal >= 0.25, i.e. a step costs at most 4 bare transactions)")
    print(f"Goal (ratio >= 0.25 and p95 < 20 ms): {verdict}")
    print(f"\n1,000-line order: registered in {big[0]:.3f} s, verified in {big[1]:.3f} s "
          f"(together {sum(big):.3f} s; goal < 1 s)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=2000)
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    database_recreate(url)
    django_start(url)
    customers, homeowners, signers, product = world()
    timings = walk_orders(options.orders, customers, homeowners, signers, product)
    steps = sum(len(values) for code, values in timings.items() if code != "register")
    bare = bare_transactions(url, steps)
    big = big_order(customers, signers, product)
    report(timings, bare, big, options.orders)


if __name__ == "__main__":
    sys.exit(main())
