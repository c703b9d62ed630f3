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

from orders_walk import database_recreate, django_start

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gendan_crm_bench"
SEED = 0.42
CATEGORIES = ["flooring", "skirting", "foam", "insect_powder"]
PARTS = ["dashboard", "rfm", "tags", "references", "import", "per-order"]


def database_exists(url: str) -> bool:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return found.fetchone() is not None


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
                platform_id, nickname, gender, birth_year, province, city, note, is_active,
                created_at, updated_at)
            SELECT 'online', 'buyer ' || g, '', '', '',
                (ARRAY['tmall', 'jd', 'douyin'])[1 + g %% 3], 'b' || g, 'nick' || g,
                (ARRAY['f', 'm', ''])[1 + g %% 3], 1960 + g %% 45,
                (ARRAY['浙江', '江苏', '广东', '上海', '北京', ''])[1 + g %% 6], '', '',
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
                (ARRAY['flooring', 'skirting', 'foam', 'insect_powder'])
                    [1 + floor(random() * 4)::int],
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


def dashboard_time(path: str = "/crm/", runs: int = 7) -> tuple[float, float]:
    """Median and best server time of a page, logged in as the general manager."""
    from django.test import Client

    from gendan.accounts.models import User
    from gendan.accounts.roles import Role
    from gendan.accounts.services import role_groups_sync, user_create

    role_groups_sync()
    User.objects.filter(username="bench-gm").delete()
    user = user_create(
        actor=None, username="bench-gm", password="bench-password-1", name="bench",
        roles={Role.GENERAL_MANAGER},
    )  # fmt: skip
    client = Client()
    client.force_login(user)
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        response = client.get(path)
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
    parser.add_argument("--no-rebuild", action="store_true", help="keep the figures as they are")
    parser.add_argument(
        "--only", default=",".join(PARTS),
        help=f"the measures to take, comma-separated (default all: {','.join(PARTS)})",
    )  # fmt: skip
    arguments = parser.parse_args()
    url = os.environ.get("BENCH_CRM_DATABASE_URL", DEFAULT_URL)
    results: dict[str, float] = {}
    fresh = not (arguments.reuse and database_exists(url))
    if fresh:
        database_recreate(url)
    os.environ["ALLOWED_HOSTS"] = "testserver"  # the dashboard is fetched by the test client
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
    from django.db import connection

    from gendan.crm.keeping import figures_rebuild

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM parties_customer")
        customers = cursor.fetchone()[0]
        cursor.execute("SELECT kind = 'order_paid', count(*) FROM crm_event GROUP BY 1")
        counts = dict(cursor.fetchall())
    print(f"shop: {customers:,} customers, {counts.get(True, 0):,} paid orders, "
          f"{counts.get(False, 0):,} interest events", flush=True)  # fmt: skip

    parts = set(arguments.only.split(","))
    if not arguments.no_rebuild:
        print("figures", flush=True)
        built = timed("rebuild all figures from the events", results, figures_rebuild)
        print(f"  {built:,} customers with figures", flush=True)

    if "dashboard" in parts:
        print("dashboard", flush=True)
        median, best = dashboard_time()
        results["dashboard page (median of 7)"] = median
        print(f"  dashboard page: median {median * 1000:.1f} ms, best {best * 1000:.1f} ms")
        # The lists the dashboard's figures open: the figures have no index but their key.
        for group in ("sleeping", "buyers", "interested"):
            median, best = dashboard_time(f"/crm/people/{group}/", runs=3)
            results[f"people list '{group}', first page (median of 3)"] = median
            print(f"  people list {group}: median {median * 1000:.1f} ms", flush=True)
    if parts & {"rfm", "tags", "references"}:
        rfm_tags_measure(results, parts)
    if parts & {"import", "per-order"}:
        # Writes start from a clean state: no dead rows of earlier runs, no checkpoint due.
        with connection.cursor() as cursor:
            for table in ("crm_event", "crm_figures", "crm_categoryfigures", "parties_customer"):
                cursor.execute(f"VACUUM ANALYZE {table}")
            cursor.execute("CHECKPOINT")
    if "import" in parts:
        print("import", flush=True)
        import_measure(arguments.import_rows, customers, results)
    if "per-order" in parts:
        print("per paid order", flush=True)
        per_order_measure(results, customers, count=1000)
    table_print(results)
    return 0


def rfm_tags_measure(results: dict[str, float], parts: set[str]) -> None:
    from gendan.crm.models import RfmTemplate, Tag
    from gendan.crm.rfm import rfm_grid, template_for
    from gendan.crm.services.segments import rfm_template_save, tag_create

    print("RFM", flush=True)
    RfmTemplate.objects.all().delete()
    timed("RFM grid, default template", results, rfm_grid, template_for(""))

    def relabel(category: str, fields: dict) -> object:
        rfm_template_save(actor=None, category=category, fields=fields)
        return rfm_grid(template_for(category))

    changed = {"recency": [15, 60, 120, 300], "frequency": [3, 6, 10, 20], "active_days": 90}
    grid = timed("RFM relabel all after a template change (save + grid)", results, relabel, "",
                 changed)  # fmt: skip
    print(f"  {grid.total.count:,} buyers: "
          + ", ".join(f"{k} {v.count:,}" for k, v in grid.labels.items()))  # fmt: skip
    timed("RFM relabel one category (flooring)", results, relabel, "flooring", changed)

    print("tags", flush=True)
    Tag.objects.filter(name="bench").delete()
    rule = {"any": [
        {"all": [{"field": "purchase_count", "op": ">=", "value": 12},
                 {"field": "purchase_amount", "op": ">=", "value": 15000}]},
        {"field": "bought_within_days", "value": 7},
    ]}  # fmt: skip
    tag = timed("tag of three conditions (AND/OR) over all", results, tag_create, actor=None,
                name="bench", rule=rule)  # fmt: skip
    print(f"  {tag.people:,} customers in it", flush=True)

    if "references" in parts:
        print("references (the same orders, in memory)", flush=True)
        references_measure(results, template_for(""), grid)


def import_csv_write(path: Path, rows: int, customers: int) -> None:
    """A seeded platform export: 80% known buyers, 20% new people; 30% paid orders."""
    import csv
    import datetime as dt
    import random

    rng = random.Random(42)
    run = int(time.time())  # external ids unique to this run (--reuse keeps earlier ones)
    kinds = ["favourite_shop", "favourite_item", "add_to_cart", "qr_scan", "card_claimed"]
    now = dt.datetime.now().replace(microsecond=0)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["event", "time", "platform", "platform_id", "nickname", "amount",
                         "item", "quantity", "external_id"])  # fmt: skip
        for number in range(rows):
            known = rng.random() < 0.8
            who = rng.randint(1, customers) if known else customers + rng.randint(1, rows // 5)
            platform = ("tmall", "jd", "douyin")[who % 3] if known else "tmall"
            at = now - dt.timedelta(seconds=rng.randint(0, 30 * 86400))
            paid = rng.random() < 0.3
            writer.writerow([
                "order_paid" if paid else rng.choice(kinds), at.isoformat(sep=" "), platform,
                f"b{who}", "", f"{rng.randint(60, 3000)}.00" if paid else "",
                f"SKU-{rng.randint(1, 200)}", rng.randint(1, 5) if paid else 1,
                f"IMP-{run}-{number}" if paid else "",
            ])  # fmt: skip


def import_measure(rows: int, customers: int, results: dict) -> None:
    from gendan.crm.imports import events_import

    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "events.csv"
        import_csv_write(path, rows, customers)
        with path.open("rb") as file:
            recorded = timed(f"import {rows:,} events from CSV", results, events_import, file)
    seconds = results[f"import {rows:,} events from CSV"]
    results["import rate (rows/s)"] = rows / seconds
    print(f"  {recorded:,} recorded, {rows / seconds:,.0f} rows/s", flush=True)
    floor_measure(recorded, results)


def floor_measure(rows: int, results: dict) -> None:
    """The floor under any import: the events just imported, inserted once more into the event
    table as they are (customers known, sorted as the import sorts them, no external ids,
    nothing kept: the triggers off), then rolled back."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("CREATE TEMP TABLE bench_again AS SELECT customer_id, kind, at, amount, "
                       "item, category, quantity, source FROM crm_event "
                       "ORDER BY id DESC LIMIT %s", [rows])  # fmt: skip
        for trigger in ("crm_event_keep_figures", "crm_event_count_carts"):
            cursor.execute(f"ALTER TABLE crm_event DISABLE TRIGGER {trigger}")
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO crm_event (customer_id, kind, at, amount, item, category, quantity, "
            "source, external_id) SELECT *, '' FROM bench_again ORDER BY customer_id, at"
        )
        seconds = time.perf_counter() - started
        # The machine's ceiling: the same rows into a table like the event table with no index.
        cursor.execute(
            "CREATE TABLE bench_plain (LIKE crm_event INCLUDING DEFAULTS INCLUDING IDENTITY)"
        )
        started = time.perf_counter()
        cursor.execute(
            "INSERT INTO bench_plain (customer_id, kind, at, amount, item, category, quantity, "
            "source, external_id) SELECT *, '' FROM bench_again ORDER BY customer_id, at"
        )
        plain = time.perf_counter() - started
        transaction.set_rollback(True)
    results[f"for reference: the same {rows:,} events inserted bare (nothing kept)"] = seconds
    results["for reference: bare insert rate (rows/s)"] = rows / seconds
    results["for reference: the same into a table with no index (rows/s)"] = rows / plain
    print(f"  bare insert of the same events: {seconds:.1f} s, {rows / seconds:,.0f} rows/s")
    print(f"  into a table with no index: {plain:.1f} s, {rows / plain:,.0f} rows/s")


def per_order_measure(results: dict, customers: int, count: int) -> None:
    """A paid order recorded through ``events_record`` (one API call, its own transaction),
    with the figures kept and, like for like, with the keeping switched off (the triggers
    disabled): the difference is what keeping the figures current adds. Rounds alternate
    so that both meet the same state of the caches; each order goes to a random customer.
    For orientation, the same event merely created through the ORM is timed too."""
    import datetime as dt
    import itertools
    import random
    from decimal import Decimal

    from django.db import connection, transaction
    from django.utils import timezone

    from gendan.crm.models import Event
    from gendan.crm.services.events import EventInput, events_record

    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id) FROM parties_customer")
        first = cursor.fetchone()[0]
    rng = random.Random(7)
    now = timezone.now()
    run = int(time.time())  # external ids unique to this run (--reuse keeps earlier ones)
    serial = itertools.count()
    triggers = ("crm_event_keep_figures", "crm_event_count_carts")

    def triggers_set(state: str) -> None:
        with connection.cursor() as cursor:
            for trigger in triggers:
                cursor.execute(f"ALTER TABLE crm_event {state} TRIGGER {trigger}")

    def orders(label: str, number: int) -> float:
        who = [first + rng.randrange(customers) for _ in range(number)]
        started = time.perf_counter()
        for place, pk in enumerate(who):
            events_record(rows=[EventInput(
                kind="order_paid", at=now + dt.timedelta(seconds=1), customer_id=pk,
                amount=Decimal("99"), external_id=f"{label}-{run}-{number}-{place}-{pk}",
            )])  # fmt: skip
        return time.perf_counter() - started

    def created(number: int) -> float:
        who = [first + rng.randrange(customers) for _ in range(number)]
        started = time.perf_counter()
        for pk in who:
            with transaction.atomic():
                Event.objects.create(
                    customer_id=pk,
                    kind="order_paid",
                    at=now,
                    amount=Decimal("99"),
                    external_id=f"BARE-{run}-{next(serial)}",
                )
        return time.perf_counter() - started

    rounds, kept, off, bare = 5, 0.0, 0.0, 0.0
    orders("WARM", 100)
    try:
        for _round in range(rounds):
            kept += orders("KEPT", count // rounds)
            triggers_set("DISABLE")
            off += orders("OFF", count // rounds)
            bare += created(count // rounds)
            triggers_set("ENABLE")
    finally:
        triggers_set("ENABLE")
        with connection.cursor() as cursor:  # events recorded without their figures
            cursor.execute("DELETE FROM crm_event WHERE kind = 'order_paid' AND "
                           "(external_id LIKE %s OR external_id LIKE %s)",
                           [f"OFF-{run}-%", f"BARE-{run}-%"])  # fmt: skip
    results["paid order through events_record, figures kept (ms)"] = kept / count * 1000
    results["paid order through events_record, keeping switched off (ms)"] = off / count * 1000
    results["added per paid order (ms)"] = (kept - off) / count * 1000
    results["for orientation: the event alone created by the ORM (ms)"] = bare / count * 1000
    print(f"  kept {kept / count * 1000:.2f} ms, switched off {off / count * 1000:.2f} ms, "
          f"added {(kept - off) / count * 1000:.2f} ms; ORM create alone "
          f"{bare / count * 1000:.2f} ms", flush=True)  # fmt: skip


def references_measure(results: dict, template, grid) -> None:
    """The same 10M orders, exported once, then summarised in memory by DuckDB (with the
    template's own limits, so its grid must equal ours) and by lifetimes."""
    import datetime as dt

    import duckdb
    import pandas as pd
    from django.db import connection
    from django.utils import timezone
    from lifetimes.utils import summary_data_from_transaction_data

    from gendan.crm.keeping import period_start_current
    from gendan.crm.rfm import Scoring

    path = Path(tempfile.gettempdir()) / "gendan_bench_orders.csv"
    with connection.cursor() as cursor:
        cursor.execute(
            f"COPY (SELECT customer_id, at AT TIME ZONE 'UTC' AS bought_at, amount FROM crm_event "
            f"WHERE kind = 'order_paid') TO '{path}' WITH (FORMAT csv, HEADER)"
        )
    database = duckdb.connect()
    database.execute(f"CREATE TABLE orders AS SELECT * FROM read_csv('{path}')")

    def utc(moment: dt.datetime) -> str:
        return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")

    scoring = Scoring(template)
    start = utc(period_start_current())
    r_cases = " ".join(
        f"WHEN last >= TIMESTAMP '{utc(since)}' THEN {5 - n}"
        for n, since in enumerate(scoring.bought_since)
    )

    def at_least(column: str, limits: list) -> str:
        cases = " ".join(
            f"WHEN {column} >= {limit} THEN {n + 2}"
            for n, limit in reversed(list(enumerate(limits)))
        )
        return f"CASE {cases} ELSE 1 END"

    query = f"""
        WITH summary AS (
            SELECT customer_id, max(bought_at) AS last,
                count(*) FILTER (WHERE bought_at >= TIMESTAMP '{start}') AS frequency,
                coalesce(sum(amount) FILTER (WHERE bought_at >= TIMESTAMP '{start}'), 0)
                    AS monetary
            FROM orders GROUP BY customer_id
        )
        SELECT CASE {r_cases} ELSE 1 END AS r, {at_least("frequency", template.frequency)} AS f,
            {at_least("monetary", template.monetary)} AS m, count(*), sum(monetary)
        FROM summary GROUP BY ALL
    """
    cells = timed(
        "DuckDB: RFM summary and grid from the orders", results,
        lambda: database.execute(query).fetchall(),
    )  # fmt: skip
    duck_grid: dict[tuple[int, int], int] = {}
    for r, f, _m, count, _amount in cells:
        duck_grid[r, f] = duck_grid.get((r, f), 0) + count
    ours = {key: cell.count for key, cell in grid.cells.items() if cell.count}
    print(f"  {sum(row[3] for row in cells):,} buyers; same R x F counts as gendan's grid: "
          f"{duck_grid == ours}", flush=True)  # fmt: skip
    frame = pd.read_csv(path)
    frame["bought_at"] = pd.to_datetime(frame["bought_at"], format="ISO8601")
    summary = timed(
        "lifetimes: summary_data_from_transaction_data", results,
        summary_data_from_transaction_data, frame, "customer_id", "bought_at",
        monetary_value_col="amount", observation_period_end=pd.Timestamp(timezone.localdate()),
    )  # fmt: skip
    print(f"  {len(summary):,} customers", flush=True)
    path.unlink(missing_ok=True)


def table_print(results: dict) -> None:
    print("\n| measure | result |\n|---|---|")
    for label, value in results.items():
        unit = "" if label.endswith(("(ms)", "(rows/s)")) else " s"
        print(f"| {label} | {value:,.3f}{unit} |")
    duck = results.get("DuckDB: RFM summary and grid from the orders")
    life = results.get("lifetimes: summary_data_from_transaction_data")
    if duck is None or life is None:
        return
    for label in ("RFM relabel all after a template change (save + grid)",
                  "tag of three conditions (AND/OR) over all"):  # fmt: skip
        print(f"| {label} / DuckDB | {results[label] / duck:.2f}x |")
        print(f"| {label} / lifetimes | {results[label] / life:.2f}x |")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
