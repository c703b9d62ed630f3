"""Benchmark: the warehouse (issue 13) with 200 products, 100,000 batches and 10,000,000 stock
moves on PostgreSQL.

The bulk data is made by the database itself (INSERT ... SELECT generate_series); the figures
it keeps (each location's level, each batch's sellable on hand) are then computed from those
moves, exactly as the ledger would have kept them, and checked against the warehouse's own
recount. The measured operations go through the real services:

  1. reserving a 50-line order (``order_reserve``, its own committed transaction), p50/p95,
     goal p95 < 50 ms;
  2. the availability of one product over all its batches (``product_availability``, the
     selector the pages use), p50/p95, goal p95 < 10 ms;
  3. 16 clerks at once (16 processes, each its own connection) reserving orders from the
     same few batches: successes and refusals, no batch over-reserved after, and the
     reservations per second beside the bare rate of the same number of trivial one-row
     UPDATE transactions by 16 workers, in the same run, as a ratio.

    make bench-warehouse          # or: .venv/bin/python bench/warehouse_reserve.py
    BENCH_WAREHOUSE_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gendan_bench_wh (default)
    --quick: 20 products, 2,000 batches, 100,000 moves (its own database, name + "_quick");
    --fresh: generate again even if the database already holds the data.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from orders_walk import database_recreate, django_start

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gendan_bench_wh"
SKU = "WH-"  # the generated products' item numbers
MOVES_FINAL = 2  # per batch: the last two moves, computed from the ones before
LOCATIONS = 40  # sellable places in the one warehouse, besides one for seconds, one damaged


@dataclass(frozen=True)
class Size:
    products: int
    batches: int
    moves: int
    runs: int  # reservations of 50-line orders measured, and availability reads
    per_worker: int  # orders each of the 16 clerks reserves at once with the others


FULL = Size(200, 100_000, 10_000_000, 200, 25)
QUICK = Size(20, 2_000, 100_000, 50, 8)


def database_url(quick: bool) -> str:
    url = os.environ.get("BENCH_WAREHOUSE_DATABASE_URL", DEFAULT_URL)
    return url + "_quick" if quick else url


def database_ready(url: str, size: Size, fresh: bool) -> bool:
    """True when the database holds data of this size (its marker); else made empty again."""
    import psycopg

    name, admin = url.rsplit("/", 1)[1], url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as connection:
        found = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = found.fetchone() is not None
    if exists and not fresh:
        with psycopg.connect(url) as connection:
            marker = connection.execute(
                "SELECT to_regclass('bench_warehouse_marker') IS NOT NULL"
            ).fetchone()[0]
            if marker:
                row = connection.execute(
                    "SELECT products, batches, moves FROM bench_warehouse_marker"
                ).fetchone()
                if row == (size.products, size.batches, size.moves):
                    return True
    database_recreate(url)
    return False


def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    value = function(*args, **kwargs)
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return value


# --- the world: people, customers, products, places -------------------------------------


def people() -> dict:
    """The users and customers the orders need (made once, found again on reuse)."""
    from gendan.accounts.models import User
    from gendan.accounts.roles import Role
    from gendan.accounts.services import role_groups_sync, user_create
    from gendan.parties.models import Customer, CustomerKind
    from gendan.parties.services import customer_create

    if not User.objects.filter(username="bench-clerk").exists():
        role_groups_sync()
        admin = user_create(actor=None, username="bench-admin", password="x" * 12,
                            roles=set(), is_superuser=True)  # fmt: skip
        for role in (Role.CLERK, Role.WAREHOUSE):
            user_create(actor=admin, username=f"bench-{role}", password="x" * 12, roles={role})
        fields = {"kind": CustomerKind.DEALER, "name": "bench dealer", "mobile": "13800000000"}
        dealer = customer_create(actor=admin, fields=fields)
        for number in range(20):
            fields = {"kind": CustomerKind.HOMEOWNER, "name": f"业主{number}",
                      "mobile": "13900000000", "via": dealer}  # fmt: skip
            customer_create(actor=admin, fields=fields)
    return {
        "admin": User.objects.get(username="bench-admin"),
        "clerk": User.objects.get(username="bench-clerk"),
        "warehouse": User.objects.get(username="bench-warehouse"),
        "dealer": Customer.objects.get(name="bench dealer"),
        "homeowners": list(Customer.objects.filter(kind=CustomerKind.HOMEOWNER).order_by("pk")),
    }


def world_make(size: Size, who: dict) -> None:
    """Products (through the catalog's service) and the warehouse's places."""
    from gendan.catalog.services import product_create
    from gendan.warehouse.models import Location, Warehouse

    for number in range(1, size.products + 1):
        fields = {"sku": f"{SKU}{number:03d}", "name": f"竹地板 {number}", "category": "flooring",
                  "unit": "m2", "stocked": True}  # fmt: skip
        product_create(actor=who["admin"], fields=fields)
    warehouse = Warehouse.objects.create(code="BENCH", name="基准仓")
    Location.objects.bulk_create(
        [Location(warehouse=warehouse, code=f"A-{n:02d}") for n in range(1, LOCATIONS + 1)]
        + [Location(warehouse=warehouse, code="SEC", kind=Location.Kind.SECONDS),
           Location(warehouse=warehouse, code="DMG", kind=Location.Kind.DAMAGED)]
    )  # fmt: skip


# --- the bulk data: batches, the ledger, the figures --------------------------------------


def generate(size: Size, who: dict) -> None:
    """Batches and moves by bulk SQL; levels and on hand computed from the moves after."""
    from django.db import connection

    world_make(size, who)
    with connection.cursor() as cursor:
        # The rows are consistent by construction: no foreign-key trigger per row (10M).
        cursor.execute("SET session_replication_role = replica")
        cursor.execute("SET maintenance_work_mem = '512MB'")
        cursor.execute("SET work_mem = '256MB'")
        timed("batches", batches_insert, cursor, size)
        indexes = moves_indexes_drop(cursor)
        timed(f"{size.moves:,} moves", moves_insert, cursor, size, who["warehouse"].pk)
        timed("indexes of the moves", moves_indexes_create, cursor, indexes)
        timed("levels and on hand from the moves", figures_from_ledger, cursor)
        cursor.execute("SET session_replication_role = DEFAULT")
        timed("vacuum analyze", vacuum, cursor)
    timed("figures checked against the ledger", figures_check)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE bench_warehouse_marker (products int, batches int, "
                       "moves bigint, made_at timestamptz DEFAULT now())")  # fmt: skip
        cursor.execute("INSERT INTO bench_warehouse_marker VALUES (%s, %s, %s)",
                       [size.products, size.batches, size.moves])  # fmt: skip


def batches_insert(cursor, size: Size) -> None:
    """``size.batches`` batches spread over the products, produced over two years, oldest
    first. A table of what the moves need beside them: the batch's two places, its receipt,
    whether it is sold out (the oldest three quarters, but one in five keeps a leftover)."""
    cursor.execute(
        """
        INSERT INTO warehouse_batch (product_id, number, produced_on, grade, due_on, note,
            on_hand, reserved, first_received_at, created_at)
        SELECT p.ids[1 + g %% %(products)s], 'B' || lpad(g::text, 7, '0'),
            DATE '2026-11-30' - ((%(batches)s - g) * 730 / %(batches)s), '', NULL, '', 0, 0,
            NULL, now()
        FROM generate_series(1, %(batches)s) AS g,
            (SELECT array_agg(id ORDER BY sku) AS ids FROM catalog_product
             WHERE sku LIKE 'WH-%%') AS p
        """,
        {"products": size.products, "batches": size.batches},
    )
    cursor.execute(
        """
        CREATE TABLE bench_batch AS
        SELECT b.id, g, l.ids[1 + g %% %(places)s] AS a, l.ids[1 + (g + 7) %% %(places)s] AS b,
            l.seconds, 2000 + g %% 1000 AS received,
            g <= %(batches)s * 3 / 4 AS sold_out, g %% 5 = 0 AS leftover,
            b.produced_on + time '08:00' AS t0
        FROM (SELECT id, produced_on, row_number() OVER (ORDER BY id) AS g FROM warehouse_batch
              WHERE number LIKE 'B%%') AS b,
            (SELECT array_agg(id ORDER BY code) FILTER (WHERE kind = 'sellable') AS ids,
                    min(id) FILTER (WHERE kind = 'seconds') AS seconds
             FROM warehouse_location) AS l
        """,
        {"places": LOCATIONS, "batches": size.batches},
    )
    cursor.execute("UPDATE warehouse_batch b SET first_received_at = t0 FROM bench_batch x "
                   "WHERE x.id = b.id")  # fmt: skip


def moves_indexes_drop(cursor) -> list[str]:
    cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'warehouse_stockmove' "
        "AND indexname NOT LIKE '%%_pkey'"
    )
    indexes = cursor.fetchall()
    for name, _definition in indexes:
        cursor.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in indexes]


def moves_indexes_create(cursor, definitions: list[str]) -> None:
    for definition in definitions:
        cursor.execute(definition)


# Per batch, move n (0 .. per-2): n = 0 the receipt into place a; then, by n mod 10: 1-6 and 0
# shipped from a, 7 moved from a to b, 8 a sellable return into a, 9 a return graded second.
MOVES_SQL = """
    INSERT INTO warehouse_stockmove (kind, batch_id, from_location_id, to_location_id, quantity,
        actor_id, at, reason, document, order_id, goods_return_id, receipt_id, count_id)
    SELECT
        CASE WHEN n = 0 THEN 'received_production' WHEN n %% 10 = 7 THEN 'moved'
             WHEN n %% 10 IN (8, 9) THEN 'returned' ELSE 'shipped' END,
        x.id,
        CASE WHEN n = 0 OR n %% 10 IN (8, 9) THEN NULL ELSE x.a END,
        CASE WHEN n = 0 THEN x.a WHEN n %% 10 = 7 THEN x.b WHEN n %% 10 = 8 THEN x.a
             WHEN n %% 10 = 9 THEN x.seconds END,
        CASE WHEN n = 0 THEN x.received
             ELSE 1 + (x.g * 7 + n * 13) %% 20 + ((x.g + n) %% 1000) / 1000.0 END,
        %(actor)s, x.t0 + n * interval '3 hours', '',
        CASE WHEN n = 0 THEN 'RK-' || x.g ELSE '' END, NULL, NULL, NULL, NULL
    FROM bench_batch x CROSS JOIN generate_series(0, %(per)s - 3) AS n
    WHERE x.id BETWEEN %(low)s AND %(high)s
"""


def moves_insert(cursor, size: Size, actor: int) -> None:
    """All but the last two moves of each batch in slices (a progress line each), then the
    last two from what the moves before left: a sold-out batch ships what is left at both
    its places (a leftover batch keeps a few m² at a), a current one ships a little."""
    per = size.moves // size.batches
    cursor.execute("SELECT min(id), max(id) FROM bench_batch")
    low, high = cursor.fetchone()
    step = max(1, (high - low + 1) // 10)
    for start in range(low, high + 1, step):
        cursor.execute(MOVES_SQL, {"actor": actor, "per": per, "low": start,
                                   "high": start + step - 1})  # fmt: skip
        print(f"    moves of batches up to {min(start + step - 1, high):,}", flush=True)
    cursor.execute(f"CREATE TABLE bench_left AS {LEVELS_SQL}")
    cursor.execute(
        """
        INSERT INTO warehouse_stockmove (kind, batch_id, from_location_id, to_location_id,
            quantity, actor_id, at, reason, document, order_id, goods_return_id, receipt_id,
            count_id)
        SELECT 'shipped', x.id, l.place, NULL,
            CASE WHEN NOT x.sold_out THEN 1 + x.g %% 5
                 WHEN l.place = x.a AND x.leftover THEN l.on_hand - (1 + x.g %% 9)
                 ELSE l.on_hand END,
            %(actor)s, x.t0 + (%(per)s + k) * interval '3 hours', '', '', NULL, NULL, NULL, NULL
        FROM bench_batch x
        CROSS JOIN LATERAL (VALUES (x.a, 0), (x.b, 1)) AS places (place, k)
        JOIN bench_left l ON l.batch_id = x.id AND l.place = places.place
        """,
        {"actor": actor, "per": per - MOVES_FINAL},
    )
    cursor.execute("DROP TABLE bench_left")


# Each (batch, place) the moves touched: what came in less what went out.
LEVELS_SQL = """
    SELECT batch_id, place, sum(quantity) AS on_hand FROM (
        SELECT batch_id, to_location_id AS place, quantity FROM warehouse_stockmove
        WHERE to_location_id IS NOT NULL
        UNION ALL
        SELECT batch_id, from_location_id, -quantity FROM warehouse_stockmove
        WHERE from_location_id IS NOT NULL
    ) AS m GROUP BY batch_id, place
"""


def figures_from_ledger(cursor) -> None:
    """Each (batch, place) the moves touched: in less out; a batch's sellable on hand: its
    levels at sellable places. What ``stock_moves_add`` would have kept, move by move."""
    columns = "batch_id, location_id, on_hand"
    cursor.execute(f"INSERT INTO warehouse_stocklevel ({columns}) {LEVELS_SQL}")
    cursor.execute(
        """
        UPDATE warehouse_batch b SET on_hand = s.on_hand FROM (
            SELECT l.batch_id, sum(l.on_hand) AS on_hand FROM warehouse_stocklevel l
            JOIN warehouse_location p ON p.id = l.location_id AND p.kind = 'sellable'
            GROUP BY l.batch_id
        ) AS s WHERE s.batch_id = b.id
        """
    )
    cursor.execute("DROP TABLE bench_batch")


def vacuum(cursor) -> None:
    for table in ("warehouse_stockmove", "warehouse_stocklevel", "warehouse_batch"):
        cursor.execute(f"VACUUM ANALYZE {table}")


def figures_check() -> None:
    """The warehouse's own recount finds no figure that differs from the ledger."""
    from gendan.warehouse.models import Batch, StockMove

    try:
        from gendan.warehouse.services.recount import stock_differences
    except ImportError:  # the recount is not there yet: the database's own sums
        stock_differences = None
    moves = StockMove.objects.count()
    print(f"    {moves:,} moves, {Batch.objects.count():,} batches", flush=True)
    if stock_differences is not None:
        differences = stock_differences()
        if differences:
            raise SystemExit(f"the figures differ from the ledger: {differences[:5]}")


# --- the measures --------------------------------------------------------------------------


def state_reset() -> None:
    """What earlier runs reserved is let go, so each run meets the same stock."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("UPDATE warehouse_reservation SET state = 'released', ended_at = now(), "
                       "end_reason = 'bench reset' WHERE state = 'active'")  # fmt: skip
        cursor.execute("UPDATE warehouse_batch SET reserved = 0 WHERE reserved <> 0")
        cursor.execute("VACUUM ANALYZE warehouse_batch")  # as it was right after generating


def orders_register(who: dict, count: int, lines: int, products: list, rng, quantities) -> list:
    """Fresh orders of a dealer for its homeowners through the real registration."""
    import datetime as dt
    from decimal import Decimal

    from gendan.orders.services.registration import LineInput, order_register

    orders = []
    for number in range(count):
        fields = {
            "customer": who["dealer"], "payment_method": "bank_transfer",
            "end_customer": who["homeowners"][number % len(who["homeowners"])],
            "payment_terms": "prepay", "province": "广东省", "city": "广州市",
            "street": "天河路1号", "floor": 3, "contact_phone": "13800000000",
            "expected_delivery_on": dt.date(2026, 12, 20),
        }  # fmt: skip
        chosen = rng.sample(products, lines) if lines < len(products) else list(products)
        rows = [
            LineInput(product=product, quantity=Decimal(quantities(rng)),
                      unit_price=Decimal("128"))
            for product in chosen
        ]  # fmt: skip
        orders.append(order_register(actor=who["clerk"], fields=fields, lines=rows))
    return orders


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(values: list[float]) -> dict:
    return {"n": len(values), "p50_ms": percentile(values, 0.5) * 1000,
            "p95_ms": percentile(values, 0.95) * 1000}  # fmt: skip


def reserve_measure(size: Size, who: dict, products: list, rng) -> dict:
    """order_reserve of fresh 50-line orders, each its own committed transaction."""
    from gendan.warehouse.services.reservations import order_reserve

    lines = min(50, len(products))
    orders = timed(
        f"{size.runs + 11} orders of {lines} lines registered", orders_register, who,
        size.runs + 11, lines, products, rng, lambda r: f"{r.randint(5, 80)}.{r.randint(0, 9)}",
    )  # fmt: skip
    timings = []
    for place, order in enumerate(orders[:-1]):
        started = time.perf_counter()
        order_reserve(order=order, actor=who["clerk"])
        if place >= 10:  # the first ten warm the caches
            timings.append(time.perf_counter() - started)
    return (
        figures(timings) | {"lines": lines} | round_trips(orders[-1], who["clerk"], order_reserve)
    )


def round_trips(order, clerk, order_reserve) -> dict:
    """Where a reservation's time goes: its statements (round trips to the database)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        order_reserve(order=order, actor=clerk)
    timings = []
    with connection.cursor() as cursor:  # one trivial statement, for the scale of the above
        for _number in range(200):
            started = time.perf_counter()
            cursor.execute("SELECT 1")
            cursor.fetchall()
            timings.append(time.perf_counter() - started)
    return {"statements": len(captured.captured_queries),
            "trivial_statement_p50_ms": percentile(timings, 0.5) * 1000}  # fmt: skip


def availability_measure(size: Size, products: list, rng) -> dict:
    from gendan.warehouse.selectors import product_availability

    for product in products[:10]:
        product_availability(product)
    timings = []
    for _run in range(size.runs):
        product = rng.choice(products)
        started = time.perf_counter()
        product_availability(product)
        timings.append(time.perf_counter() - started)
    return figures(timings)


# --- 16 clerks at once -----------------------------------------------------------------------


SHARES = ("0.5", "0.3", "0.2")  # of the supply, in each of the three hot batches


def hot_batches(who: dict, size: Size, workers: int) -> list:
    """Two products of a few batches each, received through the real ledger, holding about
    half of what the clerks' orders will ask of them."""
    from decimal import Decimal

    from gendan.catalog.services import product_create
    from gendan.warehouse.models import Batch, Location, StockMove
    from gendan.warehouse.services.ledger import MoveInput, stock_moves_add

    run = int(time.time())
    place = Location.objects.filter(kind=Location.Kind.SELLABLE).order_by("pk").first()
    supply = Decimal(workers * size.per_worker * 35 // 2)  # an order asks 20-50 of each
    products = []
    for letter in "AB":
        fields = {"sku": f"HOT-{run}-{letter}", "name": f"热销 {letter}", "category": "flooring",
                  "unit": "m2", "stocked": True}  # fmt: skip
        product = product_create(actor=who["admin"], fields=fields)
        batches = [Batch.objects.create(product=product, number=f"H{run}{letter}{n}")
                   for n in range(3)]  # fmt: skip
        stock_moves_add(actor=who["warehouse"], moves=[
            MoveInput(kind=StockMove.Kind.RECEIVED_PRODUCTION, batch=batch, to_location=place,
                      quantity=(supply * Decimal(share)).quantize(Decimal("1")))
            for batch, share in zip(batches, SHARES, strict=True)
        ])  # fmt: skip
        products.append(product)
    return products


def clerk_work(pks: list[int], clerk_pk: int, barrier, results) -> None:
    """One clerk: its orders reserved one after the other, each its own transaction."""
    from gendan.accounts.models import User
    from gendan.orders.models import Order
    from gendan.orders.services.steps import StepRefused
    from gendan.warehouse.services.reservations import order_reserve

    clerk = User.objects.get(pk=clerk_pk)
    orders = list(Order.objects.filter(pk__in=pks).order_by("pk"))
    done = {"ok": 0, "refused": 0, "errors": []}
    barrier.wait()
    started = time.time()
    for order in orders:
        try:
            order_reserve(order=order, actor=clerk)
            done["ok"] += 1
        except StepRefused:
            done["refused"] += 1
        except Exception as error:  # a deadlock or anything else the clerk would see
            done["errors"].append(repr(error)[:200])
    results.put(done | {"started": started, "ended": time.time()})


def bare_work(url: str, row: int, count: int, barrier, results) -> None:
    """The ceiling: a trivial UPDATE of the worker's own row, each its own transaction."""
    import psycopg

    with psycopg.connect(url) as connection:
        barrier.wait()
        started = time.time()
        for _number in range(count):
            connection.execute("UPDATE bench_bare SET n = n + 1 WHERE id = %s", [row])
            connection.commit()
        results.put({"started": started, "ended": time.time()})


def workers_run(target, jobs: list[tuple]) -> list[dict]:
    """Each job in its own process (its own connection), all let go at the same moment."""
    import multiprocessing

    from django.db import connections

    connections.close_all()  # never share the parent's connection with a child
    context = multiprocessing.get_context("fork")
    barrier, results = context.Barrier(len(jobs)), context.Queue()
    processes = [context.Process(target=target, args=(*job, barrier, results)) for job in jobs]
    for process in processes:
        process.start()
    done = [results.get() for _process in processes]
    for process in processes:
        process.join()
    return done


def contention_measure(url: str, size: Size, who: dict, workers: int, rng) -> dict:
    from django.db.models import F

    from gendan.warehouse.models import Batch

    hot = hot_batches(who, size, workers)
    orders = orders_register(who, workers * size.per_worker, 2, hot, rng,
                             lambda r: str(r.randint(20, 50)))  # fmt: skip
    jobs = [([o.pk for o in orders[n::workers]], who["clerk"].pk) for n in range(workers)]
    done = workers_run(clerk_work, jobs)
    seconds = max(d["ended"] for d in done) - min(d["started"] for d in done)
    attempts = len(orders)
    bare_seconds = bare_measure(url, workers, [len(job[0]) for job in jobs])
    batches = Batch.objects.filter(product__in=hot)
    return {
        "workers": workers, "orders": attempts, "reserved": sum(d["ok"] for d in done),
        "refused": sum(d["refused"] for d in done),
        "errors": [e for d in done for e in d["errors"]],
        "over_reserved": Batch.objects.filter(reserved__gt=F("on_hand")).count(),
        "held_differs": held_differs(batches),
        "reservations_per_s": attempts / seconds, "bare_per_s": attempts / bare_seconds,
        "ratio": bare_seconds / seconds,
    }  # fmt: skip


def held_differs(batches) -> int:
    """Batches whose ``reserved`` is not the sum of their active reservations."""
    from decimal import Decimal

    from django.db.models import Q, Sum

    rows = batches.annotate(
        held=Sum("reservations__quantity", filter=Q(reservations__state="active"))
    )
    return sum(1 for batch in rows if batch.reserved != (batch.held or Decimal("0")))


def bare_measure(url: str, workers: int, counts: list[int]) -> float:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE IF EXISTS bench_bare")
        connection.execute("CREATE TABLE bench_bare (id int PRIMARY KEY, n int NOT NULL)")
        connection.execute("INSERT INTO bench_bare SELECT g, 0 FROM generate_series(1, %s) g",
                           [workers])  # fmt: skip
    done = workers_run(bare_work, [(url, n + 1, counts[n]) for n in range(workers)])
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("DROP TABLE bench_bare")
    return max(d["ended"] for d in done) - min(d["started"] for d in done)


# --- the report ------------------------------------------------------------------------------


def report(size: Size, results: dict) -> None:
    reserve, availability, clerks = results["reserve"], results["availability"], results["clerks"]
    print("\n| measure | n | p50 ms | p95 ms | goal |\n|---|---|---|---|---|")
    lines = reserve["lines"]
    for label, row, goal in ((f"reserve a {lines}-line order (order_reserve)", reserve, 50),
                             ("availability of one product (product_availability)",
                              availability, 10)):  # fmt: skip
        verdict = "met" if row["p95_ms"] < goal else "NOT met"
        print(f"| {label} | {row['n']} | {row['p50_ms']:.2f} | {row['p95_ms']:.2f} | "
              f"p95 < {goal} ms: {verdict} |")  # fmt: skip
    print(f"\none {lines}-line order's reservation: {reserve['statements']} statements "
          f"; a trivial statement (SELECT 1) takes "
          f"{reserve['trivial_statement_p50_ms']:.2f} ms (p50) on this machine now")  # fmt: skip
    print(
        f"\n{clerks['workers']} clerks at once, {clerks['orders']} orders of two products "
        f"from 6 batches: "
        f"{clerks['reserved']} reserved, {clerks['refused']} refused, "
        f"{len(clerks['errors'])} errors; batches over-reserved: {clerks['over_reserved']}, "
        f"whose reserved differs from their reservations: {clerks['held_differs']}"
    )
    print(f"reservations/s {clerks['reservations_per_s']:,.0f}; bare one-row UPDATE "
          f"transactions/s ({clerks['workers']} workers, same count) {clerks['bare_per_s']:,.0f}; "
          f"ratio {clerks['ratio']:.3f}")  # fmt: skip
    for error in clerks["errors"][:5]:
        print(f"  error: {error}")
    # The machine's load says how far the figures are from an idle machine's.
    results["load_average"] = [round(value, 2) for value in os.getloadavg()]
    print(f"load average (1, 5, 15 min): {results['load_average']}")
    print("JSON " + json.dumps({"size": size.__dict__} | results, default=str))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a small run, under a minute")
    parser.add_argument("--fresh", action="store_true", help="generate the data again")
    parser.add_argument("--workers", type=int, default=16)
    options = parser.parse_args()
    size = QUICK if options.quick else FULL
    url = database_url(options.quick)
    ready = database_ready(url, size, options.fresh)
    django_start(url)
    who = people()
    if ready:
        print(f"reusing the data in {url.rsplit('/', 1)[1]} (--fresh makes it again)")
    else:
        print(f"generating {size.batches:,} batches and {size.moves:,} moves", flush=True)
        timed("generated", generate, size, who)
    return measure(url, size, who, options.workers)


def measure(url: str, size: Size, who: dict, workers: int) -> int:
    from gendan.catalog.models import Product

    state_reset()
    rng = random.Random(13)
    products = list(Product.objects.filter(sku__startswith=SKU).order_by("sku"))
    print("measuring", flush=True)
    results = {"reserve": reserve_measure(size, who, products, rng)}
    results["availability"] = availability_measure(size, products, rng)
    results["clerks"] = contention_measure(url, size, who, workers, rng)
    report(size, results)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    sys.exit(main())
