"""Benchmark: the shop CRM with 1,000,000 customers, 10,000,000 orders and 20,000,000 interest
events on PostgreSQL (issue 4).

Measures, in one run:
  - building the kept figures from all 30M events (the rebuild command's work);
  - the dashboard page, server time (Django's test client, logged in);
  - RFM relabelling of every customer after a template change (save + the grid of counts);
  - evaluating one automatic tag of three conditions (AND/OR) over every customer;
  - importing 1,000,000 events from a CSV file;
  - the extra cost per paid order of keeping the figures current;
and, side by side, the same RFM summary computed from the same 10M orders in memory by DuckDB
(the speed reference) and by lifetimes.utils.summary_data_from_transaction_data.

    make bench-crm               # or: .venv/bin/python bench/crm_million.py
    BENCH_CRM_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gendan_crm_bench (default)
    --customers / --orders / --interests scale it down; --reuse keeps a generated database.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gendan_crm_bench"
SEED = 0.42
CATEGORIES = ["flooring", "skirting", "foam", "insect_powder"]


def database_exists(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


def database_recreate(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def django_start(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ["DEBUG"] = "false"  # no query log
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.config.development")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def timed(label: str, results: dict, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    results[label] = time.perf_counter() - started
    print(f"  {label}: {results[label]:.3f} s", flush=True)
    return value


def generate(customers: int, orders: int, interests: int) -> None:
    """Seeded data made by the database itself: customers, paid orders, interest events.

    The event table's indexes are dropped during the load and built again after it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [SEED])
        cursor.execute(
            """
            INSERT INTO parties_customer (kind, name, mobile, landline, region, platform,
                platform_id, nickname, note, is_active, created_at, updated_at)
            SELECT 'online', 'buyer ' || g, '', '', '',
                (ARRAY['tmall', 'jd', 'douyin'])[1 + g %% 3], 'b' || g, 'nick' || g, '',
                true, now(), now()
            FROM generate_series(1, %s) AS g
            """,
            [customers],
        )
        cursor.execute("SELECT min(id) FROM parties_customer WHERE platform_id = 'b1'")
        first = cursor.fetchone()[0]
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'crm_event' "
            "AND indexname NOT LIKE '%%_pkey'"
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        # Paid orders: some customers buy much more often than others (power of the random).
        cursor.execute(
            """
            INSERT INTO crm_event (customer_id, kind, at, amount, item, category, quantity,
                source, external_id)
            SELECT %s + floor(%s * power(random(), 2))::int, 'order_paid',
                now() - random() * interval '730 days', round((60 + random() * 2940)::numeric, 2),
                'SKU-' || (1 + floor(random() * 200))::int,
                (ARRAY['flooring', 'skirting', 'foam', 'insect_powder'])[1 + floor(random() * 4)::int],
                1 + floor(random() * 5)::int, 'tmall', ''
            FROM generate_series(1, %s)
            """,
            [first, customers, orders],
        )
        cursor.execute(
            """
            INSERT INTO crm_event (customer_id, kind, at, amount, item, category, quantity,
                source, external_id)
            SELECT %s + floor(%s * random())::int,
                (ARRAY['favourite_shop', 'favourite_item', 'add_to_cart', 'add_to_cart',
                       'qr_scan', 'card_claimed'])[1 + floor(random() * 6)::int],
                now() - random() * interval '730 days', NULL,
                'SKU-' || (1 + floor(random() * 200))::int, '', 1,
                (ARRAY['tmall', 'jd', 'douyin', 'weibo_campaign'])[1 + floor(random() * 4)::int],
                ''
            FROM generate_series(1, %s)
            """,
            [first, customers, interests],
        )
        for _name, definition in indexes:
            cursor.execute(definition)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def dashboard_time(runs: int = 7) -> tuple[float, float]:
    """Median and best server time of the dashboard page, logged in as the general manager."""
    from django.test import Client

    from gendan.accounts.roles import Role
    from gendan.accounts.services import role_groups_sync, user_create

    role_groups_sync()
    user = user_create(
        actor=None, username="bench-gm", password="bench-password-1", name="bench",
        roles={Role.GENERAL_MANAGER},
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        response = client.get("/crm/")
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    return statistics.median(times), min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--interests", type=int, default=20_000_000)
    parser.add_argument("--import-rows", type=int, default=1_000_000)
    parser.add_argument("--reuse", action="store_true", help="keep an already generated database")
    parser.add_argument("--generate-only", action="store_true")
    arguments = parser.parse_args()
    url = os.environ.get("BENCH_CRM_DATABASE_URL", DEFAULT_URL)
    results: dict[str, float] = {}
    fresh = not (arguments.reuse and database_exists(url))
    if fresh:
        database_recreate(url)
    django_start(url)
    if fresh:
        print(f"generating {arguments.customers:,} customers, {arguments.orders:,} orders, "
              f"{arguments.interests:,} interest events ...", flush=True)  # fmt: skip
        timed("generate", results, generate, arguments.customers, arguments.orders,
              arguments.interests)  # fmt: skip
    if arguments.generate_only:
        return 0
    return measure(arguments, results)


def measure(arguments: argparse.Namespace, results: dict[str, float]) -> int:
    raise NotImplementedError  # filled in below, measure by measure


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
