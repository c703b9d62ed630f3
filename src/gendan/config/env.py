"""Strict reading of settings from the environment.

django-environ parses the values; these helpers refuse what it would silently
guess at (``DEBUG=maybe`` is not ``False``), so a malformed setting stops
start-up with a message that names it.
"""

from __future__ import annotations

import zoneinfo
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}
DATABASE_SCHEMES = {"sqlite", "postgres", "postgresql", "pgsql"}

env = environ.Env()


def setting_error(name: str, value: str, expected: str) -> ImproperlyConfigured:
    return ImproperlyConfigured(f"Setting {name}={value!r} is malformed: expected {expected}.")


def env_decimal(name: str, default: str) -> Decimal:
    """A positive amount or share (``5000.00``, ``0.5``); anything else is an error."""
    raw = env.str(name, default=default).strip()
    try:
        value = Decimal(raw)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value <= 0:
        raise setting_error(name, raw, "a number above 0")
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default=str(default)).strip().lower()
    if raw in TRUE_WORDS:
        return True
    if raw in FALSE_WORDS:
        return False
    raise setting_error(name, raw, "one of true/false, yes/no, on/off, 1/0")


def env_list(name: str, default: list[str]) -> list[str]:
    raw = env.str(name, default=",".join(default))
    items = [item.strip() for item in raw.split(",")] if raw.strip() else []
    if any(not item or " " in item for item in items):
        raise setting_error(name, raw, "a comma-separated list of names without spaces")
    return items


def env_time_zone(name: str, default: str) -> str:
    value = env.str(name, default=default)
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise setting_error(name, value, "an IANA time zone such as Asia/Shanghai") from exc
    return value


def env_database(name: str, default_path: Path) -> dict[str, Any]:
    """The default database: a SQLite file in WAL mode, or what DATABASE_URL names."""
    url = env.str(name, default=f"sqlite:///{default_path}")
    scheme = url.split("://", 1)[0] if "://" in url else ""
    if scheme not in DATABASE_SCHEMES:
        raise setting_error(name, url, "sqlite:///path or postgres://user@host:port/name")
    config = environ.Env.db_url_config(url)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["OPTIONS"] = sqlite_options()
    elif not config.get("NAME"):
        raise setting_error(name, url, "a database name after the host, e.g. .../gendan")
    return config


def sqlite_options() -> dict[str, Any]:
    # WAL lets readers go on while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN, so two writers queue on the busy timeout instead of failing half-way.
    return {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
