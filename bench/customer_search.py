"""Benchmark: the customer search of the order form among 1,000,000 customers, on PostgreSQL.

Generates the customers with COPY (names, mobiles, landlines, homeowners of 2,000 dealers),
then reports the median server time of each kind of search (``customer_search``, as the
search API runs it), beside the same searches with the search indexes dropped (a plain
``LIKE '%q%'`` over the table), and the time and size of the page ``/orders/new/``.

    make bench                      # or: .venv/bin/python bench/customer_search.py
    .venv/bin/python bench/customer_search.py --customers 200000   # a quicker run
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gendan_bench (default)
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import random
import statistics
import sys
import time

from orders_walk import database_recreate, django_start

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gendan_bench"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕辉鹏建国志文斌宇浩然轩涵"
)
CITIES = ["广州市", "佛山市", "深圳市", "东莞市", "中山市", "珠海市", "江门市", "惠州市"]
DEALERS = 2000
COLUMNS = (
    "kind, name, mobile, landline, via_id, region, platform, platform_id, nickname, gender, "
    "province, city, note, is_active, created_at, updated_at"
)
RUNS = 25


def search_indexes() -> dict[str, str]:
    return importlib.import_module("gendan.parties.migrations.0006_customer_search_indexes").INDEXES


def customer_row(number: int, rng: random.Random, via: int | None) -> str:
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
    kind = "homeowner" if via else rng.choice(("retail", "online", "project", "decorator"))
    mobile = f"1{rng.choice('3589')}{rng.randrange(10**9):09d}"
    landline = f"020-{rng.randrange(10**7, 10**8)}" if number % 10 == 0 else ""
    city = rng.choice(CITIES)
    created = "2026-01-01 00:00:00+08"
    fields = [kind, name, mobile, landline, str(via) if via else "\\N", "south_china", "", "",
              "", "", "广东省", city, "", "t", created, created]  # fmt: skip
    return "\t".join(fields) + "\n"


def customers_generate(url: str, count: int) -> list[int]:
    """``count`` customers by COPY, the search indexes built afterwards (faster than kept)."""
    import psycopg

    rng = random.Random(12)
    with psycopg.connect(url) as connection:
        for name in search_indexes():
            connection.execute(f"DROP INDEX IF EXISTS {name}")
        with connection.cursor().copy(f"COPY parties_customer ({COLUMNS}) FROM STDIN") as copy:
            for number in range(DEALERS):
                copy.write(f"dealer\t经销商{number}号\t1390000{number:04d}\t\t\\N\tsouth_china"
                           f"\t\t\t\t\t广东省\t佛山市\t\tt\t2026-01-01\t2026-01-01\n")  # fmt: skip
        first = connection.execute("SELECT min(id) FROM parties_customer").fetchone()[0]
        dealers = list(range(first, first + DEALERS))
        with connection.cursor().copy(f"COPY parties_customer ({COLUMNS}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for number in range(count - DEALERS):
                via = rng.choice(dealers) if number % 2 == 0 else None
                buffer.write(customer_row(number, rng, via))
                if number % 50_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())
        connection.commit()  # the deferred foreign-key checks run before the indexes are built
        for name, how in search_indexes().items():
            connection.execute(f"CREATE INDEX {name} ON parties_customer {how}")
        connection.execute("ANALYZE parties_customer")
    return dealers


def users(dealer_pk: int):
    from gendan.accounts.roles import Role
    from gendan.accounts.services import role_groups_sync, user_create
    from gendan.parties.models import Customer

    role_groups_sync()
    clerk = user_create(actor=None, username="bench-clerk", password="x" * 12, roles={Role.CLERK})
    dealer = user_create(
        actor=None, username="bench-dealer", password="x" * 12, roles={Role.DEALER},
        partner=Customer.objects.get(pk=dealer_pk),
    )  # fmt: skip
    return clerk, dealer


def queries(dealer_pk: int) -> dict[str, str]:
    """One search of each kind, taken from the generated rows."""
    from gendan.parties.models import Customer

    homeowner = Customer.objects.filter(via_id=dealer_pk).order_by("pk").first()
    other = Customer.objects.filter(kind="retail").order_by("pk")[500]
    mobile = other.mobile
    return {
        "name part (3 chars)": other.name[:3] if len(other.name) >= 3 else other.name + "伟",
        "name start (2 chars)": other.name[:2],
        "mobile written +86 138 1234 5678": f"+86 {mobile[:3]} {mobile[3:7]} {mobile[7:]}",
        "mobile's last 4 digits": mobile[-4:],
        "customer number": str(other.pk),
        "dealer's homeowner, name part": homeowner.name[:3],
    }


def median_ms(run, runs: int = RUNS) -> float:
    run()  # warm the cache and the plan
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def searches_time(clerk, dealer, dealer_pk: int, searches: dict[str, str]) -> dict[str, float]:
    from gendan.parties.selectors import customer_search

    figures = {}
    for label, q in searches.items():
        if label.startswith("dealer's"):
            user, kinds, via = dealer, ("homeowner",), dealer_pk
        else:
            user, kinds, via = clerk, (), None
        figures[label] = median_ms(
            lambda u=user, q=q, k=kinds, v=via: list(customer_search(user=u, q=q, kinds=k, via=v))
        )
    return figures


def searches_time_without_indexes(clerk, dealer, dealer_pk, searches) -> dict[str, float]:
    """The same searches, the search indexes dropped in a transaction that is rolled back."""
    from django.db import connection, transaction

    with transaction.atomic():
        with connection.cursor() as cursor:
            for name in search_indexes():
                cursor.execute(f"DROP INDEX {name}")
        figures = searches_time(clerk, dealer, dealer_pk, searches)
        transaction.set_rollback(True)
    return figures


def page_measure(clerk) -> tuple[float, int]:
    from django.test import Client

    client = Client()
    client.force_login(clerk)
    size = len(client.get("/orders/new/").content)
    return median_ms(lambda: client.get("/orders/new/"), runs=9), size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    options = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    database_recreate(url)
    django_start(url)
    from django.conf import settings

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]  # the page, by test client
    started = time.perf_counter()
    dealers = customers_generate(url, options.customers)
    print(f"{options.customers:,} customers generated in {time.perf_counter() - started:.0f} s")
    clerk, dealer = users(dealers[0])
    searches = queries(dealers[0])
    indexed = searches_time(clerk, dealer, dealers[0], searches)
    plain = searches_time_without_indexes(clerk, dealer, dealers[0], searches)
    title = f"search (median of {RUNS})"
    print(f"\n{title:<36}{'indexed ms':>11}{'LIKE ms':>10}{'x':>8}")
    for label, q in searches.items():
        ratio = plain[label] / indexed[label]
        print(f"{label:<36}{indexed[label]:>11.2f}{plain[label]:>10.1f}{ratio:>8.0f}  ({q})")
    worst = max(indexed.values())
    print(f"Slowest indexed search: {worst:.2f} ms (goal < 100 ms): "
          f"{'met' if worst < 100 else 'NOT met'}")  # fmt: skip
    page_ms, size = page_measure(clerk)
    verdict = "met" if page_ms < 300 and size < 150_000 else "NOT met"
    print(f"\n/orders/new/: {page_ms:.1f} ms, {size / 1000:.1f} KB (goal < 300 ms and 150 KB): "
          f"{verdict}")  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
