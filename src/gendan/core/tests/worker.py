"""Run code in a fresh Python process, as the task worker or a command runs it, against the
test database, and learn what it printed, how long it took and its peak memory.

For tests that must measure one worker's memory: the test process holds the test suite, so
its own figures say nothing. The test must commit what the child reads
(``django_db(transaction=True)``); a SQLite test database lives in memory and is copied to a
file the child opens.
"""

from __future__ import annotations

import json
import os
import resource
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from django.db import connection

# The child is stopped here whatever it does: code that is not bounded must fail the test,
# not take the machine.
ADDRESS_SPACE = 3 * 1024**3
PROLOGUE = """
import json, sys, time
import django
django.setup()
started = time.perf_counter()
"""
EPILOGUE = """
seconds = time.perf_counter() - started
# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child of a large test
# process would report its parent's peak.
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
peak_mb = peak_kb / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "answer": answer}))
"""


def database_url(directory: Path) -> str:
    """The test database as the child can open it."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        path = directory / "worker.sqlite3"
        with sqlite3.connect(path) as copy:
            connection.ensure_connection()
            connection.connection.backup(copy)
        return f"sqlite:///{path}"
    password = f":{settings['PASSWORD']}" if settings["PASSWORD"] else ""
    where = f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}"
    return f"postgres://{settings['USER']}{password}@{where}/{settings['NAME']}"


def address_space_bound() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def worker_run(code: str, directory: Path, *args: str, timeout: float = 60, **env: str) -> dict:
    """Run ``code`` (which sets ``answer`` to something JSON can hold; ``args`` are its
    sys.argv[1:]) after django.setup(), with ``env`` added to the environment, and return
    {"seconds": the code's time, "peak_mb": the process's peak RSS, "answer": answer}."""
    environment = (
        os.environ
        | env
        | {
            "DJANGO_SETTINGS_MODULE": "gendan.config.test",
            "DATABASE_URL": database_url(directory),
        }
    )
    script = PROLOGUE + textwrap.dedent(code) + EPILOGUE
    finished = subprocess.run(
        [sys.executable, "-c", script, *args], env=environment, capture_output=True, text=True,
        timeout=timeout, preexec_fn=address_space_bound, check=False,
    )  # fmt: skip
    assert finished.returncode == 0, finished.stderr[-3000:]
    return json.loads(finished.stdout.strip().splitlines()[-1])
