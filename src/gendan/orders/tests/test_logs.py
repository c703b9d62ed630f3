"""The audit and step logs cannot be rewritten: not by UPDATE, DELETE or TRUNCATE, not even by
the application's own database role; every step an order moves is in the step log, and every
registration is in the audit log."""

from __future__ import annotations

import secrets
from collections.abc import Iterator

import psycopg
import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction

from gendan.accounts.roles import PARTNER_ROLES, Role
from gendan.audit.models import AuditEvent
from gendan.orders.audit_events import ORDER_REGISTERED
from gendan.orders.models import Order, PaymentTerms, StepLog
from gendan.orders.routes import CLOSED, ROUTES
from gendan.orders.simulate import order_walk
from gendan.orders.spreadsheets.importing import orders_import
from gendan.orders.spreadsheets.reading import Layout
from gendan.orders.tests.helpers import listed_product, scenario, staff
from gendan.orders.tests.test_spreadsheets import row, workbook
from gendan.parties.tests.factories import DealerFactory

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="TRUNCATE, DELETE triggers and roles: PostgreSQL"
)
LOGS = ["audit_auditevent", "orders_steplog"]


def step_log(order: Order) -> list[tuple[str, str]]:
    return list(order.step_log.order_by("at", "pk").values_list("step", "outcome"))


@pytest.mark.django_db
def test_the_database_refuses_to_rewrite_a_step(roles):
    # given a signed step
    order = scenario("dealer")
    entry = order.step_log.get(step="register")
    # when someone rewrites it behind the application's back
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE orders_steplog SET note = 'rewritten' WHERE id = %s", [entry.pk])
    # then it stands as signed
    assert StepLog.objects.get(pk=entry.pk).note == ""


@on_postgresql
@pytest.mark.django_db
def test_postgresql_refuses_to_delete_a_step(roles):
    order = scenario("dealer")

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM orders_steplog WHERE order_id = %s", [order.pk])

    assert order.step_log.exists()


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("log", LOGS)
def test_postgresql_refuses_to_truncate_a_log_even_to_its_owner(roles, log):
    # given rows in both logs (a registration writes to each)
    scenario("dealer")
    # when the tables' owner truncates without asking for it (the test flush asks)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL gendan.allow_log_truncate = off")
        cursor.execute(f"TRUNCATE {log} CASCADE")
    # then the rows are still there
    assert AuditEvent.objects.exists() and StepLog.objects.exists()


@pytest.fixture
def app_role(transactional_db: None) -> Iterator[dict[str, str]]:
    """A role like production's (README, *Running in production*): it may read and write every
    table of the test database, and owns none. Dropped after the test."""
    name, password = f"gendan_app_{secrets.token_hex(4)}", secrets.token_hex(16)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {name}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {name}"
        )
        cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {name}")
    settings = connection.settings_dict
    yield {"host": settings["HOST"] or "localhost", "port": str(settings["PORT"] or 5432),
           "dbname": settings["NAME"], "user": name, "password": password}  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(f"DROP OWNED BY {name}")
        cursor.execute(f"DROP ROLE {name}")


def refusal(session: psycopg.Connection, sql: str) -> str:
    """What the database answered to the statement, or "" if it ran."""
    try:
        with session.transaction():
            session.execute(sql)
    except psycopg.Error as error:
        return str(error) or type(error).__name__
    return ""


@on_postgresql
def test_the_application_role_writes_the_logs_but_cannot_rewrite_or_truncate_them(app_role):
    # given an order, and a session as a role that does not own the tables
    order = scenario("dealer")
    kind = ContentType.objects.get_for_model(Order).pk
    with psycopg.connect(**app_role, autocommit=True) as session:
        # when it writes a row to each log, then tries to rewrite and empty them
        session.execute(
            "INSERT INTO audit_auditevent (at, action, target_type_id, target_id, target_repr,"
            " changes, note) VALUES (now(), 'test.app_role', %s, %s, 'x', '{}', '')",
            [kind, str(order.pk)],
        )
        session.execute(
            "INSERT INTO orders_steplog (order_id, step, outcome, at, note, signature, data)"
            " VALUES (%s, 'verify', 'done', now(), 'app role', '', '{}')",
            [order.pk],
        )
        rewrites = {
            f"{verb} {log}": refusal(session, sql)
            for log in LOGS
            for verb, sql in [
                ("UPDATE", f"UPDATE {log} SET note = 'rewritten'"),
                ("DELETE", f"DELETE FROM {log}"),
                ("TRUNCATE", f"TRUNCATE {log} CASCADE"),
                ("DISABLE TRIGGER", f"ALTER TABLE {log} DISABLE TRIGGER ALL"),
            ]
        }
        # (and even when given TRUNCATE by mistake, asking for it as the test flush does)
        with connection.cursor() as cursor:
            cursor.execute(f"GRANT TRUNCATE ON ALL TABLES IN SCHEMA public TO {app_role['user']}")
        session.execute("SET gendan.allow_log_truncate = on")
        granted = {log: refusal(session, f"TRUNCATE {log} CASCADE") for log in LOGS}
    # then its rows are in, and every rewrite was refused
    assert AuditEvent.objects.filter(action="test.app_role").exists()
    assert order.step_log.filter(note="app role").exists()
    assert all(rewrites.values()), rewrites
    assert all("append-only" in answer for answer in granted.values()), granted
    assert AuditEvent.objects.filter(note="rewritten").count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    "case",
    [dict(channel="dealer"), dict(channel="retail", install=True),
     dict(channel="supermarket", terms=PaymentTerms.CONTRACT)],
)  # fmt: skip
def test_every_move_of_an_order_is_in_its_step_log(roles, case):
    # given an order walked along its route, each signature's move watched
    order = scenario(**case)
    moves = [("register", order.step, staff(Role.CLERK))]
    signers = {role: staff(role) for role in Role if role not in PARTNER_ROLES}
    signers[Role.DEALER] = staff(Role.DEALER, partner=order.partner) if order.partner else None

    def watched(code, sign):
        signed = sign()
        moves.append((code, signed.step, signers[ROUTES[order.route].step(code).role]))
        return signed

    # when
    order = order_walk(order, signers, timed=watched)
    # then the log holds each signed step by its signer, then each step passed over, in order
    assert order.step == CLOSED
    codes = [step.code for step in ROUTES[order.route].steps] + [CLOSED]
    expected = []
    for signed, moved_to, signer in moves:
        expected.append((signed, "done", signer.pk))
        passed = codes[codes.index(signed) + 1 : codes.index(moved_to)]
        expected += [(code, "skipped", signer.pk) for code in passed]
    entries = order.step_log.order_by("at", "pk").values_list("step", "outcome", "actor")
    assert list(entries) == expected


@pytest.mark.django_db
def test_a_registration_is_in_the_audit_log(roles):
    # when a clerk registers an order
    order = scenario("dealer")
    # then the audit log says who registered which order, on which route
    event = AuditEvent.objects.get(action=ORDER_REGISTERED, target_id=str(order.pk))
    assert event.actor == staff(Role.CLERK)
    assert event.changes["number"] == order.number
    assert event.changes["route"] == order.route


@pytest.mark.django_db
def test_each_order_of_a_spreadsheet_import_is_in_the_audit_log(roles):
    # given a dealer's file of two orders
    DealerFactory(name="顺德竹韵经销部")
    listed_product("95", sku="ZF-1")
    content = workbook(row("A1"), row("A2", 业主电话="13900139000"))
    # when it is imported
    orders = orders_import(actor=staff(Role.CLERK), content=content, layout=Layout.DEALER_TEMPLATE)
    # then each order has its registration in the audit log
    registered = AuditEvent.objects.filter(action=ORDER_REGISTERED).values_list(
        "target_id", flat=True
    )
    assert sorted(registered) == sorted(str(order.pk) for order in orders)
    assert len(orders) == 2
