"""Every write is signed in a log nobody can change."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from gendan.accounts.roles import Role
from gendan.audit.models import AuditEvent
from gendan.audit.services import audit_record
from gendan.catalog.services import product_update
from gendan.catalog.tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(user_with):
    return audit_record(actor=user_with(Role.CLERK), action="test.done", target=ProductFactory())


def test_a_change_records_who_what_and_before_and_after(user_with):
    manager = user_with(Role.GENERAL_MANAGER)
    product = ProductFactory(name="旧名字")

    product_update(actor=manager, product=product, fields={"name": "新名字"})

    event = AuditEvent.objects.get(action="product.update")
    assert event.actor == manager
    assert event.changes == {"name": ["旧名字", "新名字"]}
    assert event.at is not None


def test_saving_without_a_change_signs_nothing(user_with):
    product = ProductFactory(name="同一个名字")

    product_update(
        actor=user_with(Role.GENERAL_MANAGER), product=product, fields={"name": "同一个名字"}
    )

    assert not AuditEvent.objects.filter(action="product.update").exists()


def test_events_cannot_be_changed_or_deleted_through_django(event):
    event.note = "rewritten"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().update(note="rewritten")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()


def test_the_database_itself_refuses_to_rewrite_an_event(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET note = 'rewritten' WHERE id = %s", [event.pk])

    assert AuditEvent.objects.get(pk=event.pk).note == ""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite keeps DELETE for flush")
def test_postgresql_refuses_to_delete_an_event(event):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])


def test_users_read_a_records_history_on_its_page(login, user_with):
    manager = user_with(Role.GENERAL_MANAGER, name="王总")
    product = ProductFactory(name="旧名字")
    product_update(actor=manager, product=product, fields={"name": "新名字"})

    page = login(user_with(Role.CLERK)).get(reverse("product-detail", args=[product.pk]))

    text = page.content.decode()
    assert "王总" in text and "旧名字 → 新名字" in text


def test_the_whole_log_is_for_managers_and_finance(login, user_with, event):
    assert login(user_with(Role.CLERK)).get(reverse("audit-list")).status_code == 403
    assert login(user_with(Role.FINANCE)).get(reverse("audit-list")).status_code == 200
