"""`gendan backup FILE` and `gendan restore FILE`: one file holds the database and the uploads,
and restoring it into an empty database gives back every order, step, document and shop event."""

from __future__ import annotations

import datetime as dt
import json
import secrets
import tarfile
from collections.abc import Iterator
from contextlib import closing
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.cli import run
from gendan.core.backups import (
    MANIFEST,
    NOT_A_BACKUP,
    NOT_EMPTY,
    BackupRefused,
    backup_restore,
    backup_write,
    libpq_params,
    sqlite_connect,
)
from gendan.crm.models import Event
from gendan.crm.services.events import EventInput, events_record
from gendan.documents.models import Document, DocumentFile, DocumentKind
from gendan.documents.services import document_issue
from gendan.documents.tests.helpers import walked_to
from gendan.orders.models import Order, StepLog
from gendan.orders.services.registration import order_original_attach
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump reads what is committed

KEPT = {  # what a restore must give back, by table: the columns compared
    Order: ["id", "number", "step", "total"],
    StepLog: ["id", "order_id", "step", "outcome", "actor_id"],
    Document: ["id", "number", "version", "content_hash"],
    DocumentFile: ["id", "document_id", "sha256"],
    Event: ["id", "kind", "customer_id", "amount"],
}


@pytest.fixture
def target(tmp_path) -> Iterator[dict[str, Any]]:
    """A second, empty database of the test's vendor: a SQLite file, or a PostgreSQL database
    made for the test and dropped after it."""
    database = dict(connection.settings_dict)
    if connection.vendor != "postgresql":
        yield database | {"NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"gendan_restore_{secrets.token_hex(4)}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {name}")
    yield database | {"NAME": name}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def rows(database: dict[str, Any], model: type) -> list[tuple]:
    """The model's rows in a database, read without Django (the restored one is not its own)."""
    sql = f"SELECT {', '.join(KEPT[model])} FROM {model._meta.db_table} ORDER BY id"
    if database["ENGINE"].endswith("sqlite3"):
        with closing(sqlite_connect(database)) as db:
            return [tuple(str(value) for value in row) for row in db.execute(sql)]
    with psycopg.connect(**libpq_params(database)) as db:
        return [tuple(str(value) for value in row) for row in db.execute(sql)]


def business_done(media: Path) -> Order:
    """Orders along their routes, one with its scanned original and its papers, shop events."""
    order = walked_to(scenario("dealer"), "receive_payment")
    scenario("supermarket")
    note = document_issue(actor=staff(Role.CLERK), order=order, kind=DocumentKind.DELIVERY_NOTE)
    scan = SimpleUploadedFile("scan.pdf", bytes(note.files.first().pdf), "application/pdf")
    order_original_attach(actor=staff(Role.CLERK), order=order, document=scan)
    now = timezone.now()
    events_record(rows=[
        EventInput(kind="order_paid", at=now - dt.timedelta(days=n), platform="tmall",
                   platform_id=f"p{n}", amount=Decimal("88.00"), external_id=f"T{n}")
        for n in range(3)
    ])  # fmt: skip
    assert any(media.rglob("*")), "the original is stored under MEDIA_ROOT"
    return Order.objects.get(pk=order.pk)


def test_a_backup_restored_into_an_empty_database_holds_everything(roles, settings, tmp_path,
                                                                   target):  # fmt: skip
    # given a day's work, with an uploaded original
    settings.MEDIA_ROOT = tmp_path / "media"
    order = business_done(settings.MEDIA_ROOT)
    # when it is backed up, and restored into an empty database and an empty media directory
    backup = tmp_path / "gendan.tar"
    manifest = backup_write(backup)
    restored_media = tmp_path / "restored-media"
    backup_restore(backup, database=target, media_root=restored_media)
    # then every order, step, document version and shop event is there, and the original
    source = connection.settings_dict
    for model in KEPT:
        assert rows(target, model) == rows(source, model), model.__name__
        assert rows(target, model), model.__name__
    original = order.original_document.name
    assert (restored_media / original).read_bytes() == order.original_document.read()
    assert manifest["database"] == connection.vendor
    assert set(manifest) >= {"format_version", "created_at", "gendan_version"}


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(roles, settings, tmp_path,
                                                                   target):  # fmt: skip
    # given a backup restored once
    settings.MEDIA_ROOT = tmp_path / "media"
    scenario("dealer")
    backup = tmp_path / "gendan.tar"
    backup_write(backup)
    backup_restore(backup, database=target, media_root=tmp_path / "restored")
    # when it is restored again over what is now there
    with pytest.raises(BackupRefused) as refused:
        backup_restore(backup, database=target, media_root=tmp_path / "restored")
    # then it is refused, unless forced, which replaces what the database holds
    assert str(refused.value) == str(NOT_EMPTY)
    backup_restore(backup, database=target, media_root=tmp_path / "restored", force=True)
    assert rows(target, Order) == rows(connection.settings_dict, Order)
    assert rows(target, StepLog) == rows(connection.settings_dict, StepLog)


@pytest.mark.parametrize("content", ["not an archive", "an archive without a manifest"])
def test_restore_refuses_a_file_that_is_not_a_gendan_backup(tmp_path, content):
    # given a file that gendan did not write
    path = tmp_path / "other.tar"
    if content == "not an archive":
        path.write_text("SQLite format 3 … or anything else")
    else:
        (tmp_path / "notes.txt").write_text("not a backup")
        with tarfile.open(path, "w") as archive:
            archive.add(tmp_path / "notes.txt", arcname="notes.txt")
    # when `gendan restore` is given it, then it says so, and touches nothing
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path))
    assert str(refused.value) == str(NOT_A_BACKUP % {"file": path})


def test_gendan_backup_writes_one_file_with_its_manifest(roles, settings, tmp_path, capsys):
    # given an order
    settings.MEDIA_ROOT = tmp_path / "media"
    scenario("dealer")
    # when the command line backs up
    path = tmp_path / "nightly.tar"
    assert run(["backup", str(path)]) == 0
    # then one file holds the manifest first, the database, and only its owner may read it
    with tarfile.open(path) as archive:
        names = archive.getnames()
        manifest = json.load(archive.extractfile(MANIFEST))
    assert names[0] == MANIFEST and len(names) >= 2
    assert manifest["format"] == "gendan-backup" and manifest["database"] == connection.vendor
    assert path.stat().st_mode & 0o077 == 0
