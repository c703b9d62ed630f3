"""The `gendan` command: `gendan demo`, `gendan serve`, `gendan worker`, `gendan manage ...`."""

from __future__ import annotations

import argparse
import functools
import os
import signal
import subprocess
import sys
from typing import NoReturn

from django.core.exceptions import ImproperlyConfigured

DEFAULT_SETTINGS = "gendan.config.development"
DEFAULT_BIND = "127.0.0.1:8000"


def django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    import django
    from django.conf import settings

    django.setup()
    # The SQLite file, uploads and collected static files live here.
    settings.VAR_DIR.mkdir(parents=True, exist_ok=True)


def manage(args: list[str]) -> None:
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gendan manage", *args])


def serve(bind: str, workers: int) -> NoReturn:
    """Collect static files and serve with gunicorn (WhiteNoise serves the static files), with
    the task worker beside it (spreadsheet imports run there); both stop together."""
    from gendan.config.gunicorn import die_with_parent

    manage(["collectstatic", "--noinput", "--verbosity", "0"])
    print(f"gendan is serving at http://{bind}/  (Ctrl+C stops it)", flush=True)
    web = [sys.executable, "-m", "gunicorn", "-c", "python:gendan.config.gunicorn"]
    web += ["--bind", bind, "--workers", str(workers), "--access-logfile", "-"]
    web += ["gendan.config.wsgi:application"]
    worker = [sys.executable, "-c", "from gendan.cli import main; main(['worker'])"]
    # Killed (even with SIGKILL), this process takes both children with it. The web server
    # starts first: after a restart, pages matter sooner than queued tasks.
    die_with_me = functools.partial(die_with_parent, os.getpid())
    children = [subprocess.Popen(command, preexec_fn=die_with_me) for command in (web, worker)]
    print("The task worker runs beside the web server.", flush=True)
    # SIGTERM (a service manager, a test) stops the children as Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit(0))
    try:
        code = children[0].wait()
    except KeyboardInterrupt:
        code = 0
    finally:
        for child in children:
            child.terminate()
        for child in children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a task that would not stop
                child.kill()
    sys.exit(code)


def worker_command() -> list[str]:
    """The worker of the task backend (GENDAN_TASK_BACKEND), as a service: code changes take
    effect when it is restarted, not mid-task."""
    from django.conf import settings

    if settings.GENDAN_TASK_BACKEND == "rq":
        # The scheduler moves tasks deferred to a later time (retries) onto the queue.
        return ["rqworker", *settings.TASKS["default"]["QUEUES"], "--with-scheduler"]
    return ["db_worker", "--no-reload"]


def demo(bind: str, workers: int, serve_after: bool) -> int:
    from gendan.demo import demo_load, demo_users_table

    manage(["migrate", "--noinput", "--verbosity", "1"])
    loaded = demo_load()
    print("Demo data loaded." if loaded else "Demo data was already there; nothing reloaded.")
    print(demo_users_table(bind))
    if serve_after:
        serve(bind, workers)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="gendan", description=__doc__)
    commands = root.add_subparsers(dest="command", required=True)
    for name, text in (("demo", "migrate, load demo data once, serve"), ("serve", "serve")):
        sub = commands.add_parser(name, help=text)
        sub.add_argument("--bind", default=DEFAULT_BIND, help="host:port to listen on")
        sub.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    commands.choices["demo"].add_argument(
        "--no-serve", action="store_true", help="load the demo data and stop"
    )
    commands.add_parser("worker", help="run the background task worker")
    commands.add_parser("backup", help="write the database and uploads to FILE").add_argument(
        "file", metavar="FILE"
    )
    restore = commands.add_parser("restore", help="restore FILE into an empty database")
    restore.add_argument("file", metavar="FILE")
    restore.add_argument("--force", action="store_true", help="replace a non-empty database")
    manage_parser = commands.add_parser("manage", help="Django's management commands")
    manage_parser.add_argument("args", nargs=argparse.REMAINDER)
    return root


def run(argv: list[str]) -> int:
    options = parser().parse_args(argv)
    django_setup()
    if options.command == "demo":
        return demo(options.bind, options.workers, not options.no_serve)
    if options.command == "serve":
        serve(options.bind, options.workers)
    if options.command == "worker":
        manage(worker_command())
        return 0
    if options.command == "backup":
        manage(["backup", options.file])
        return 0
    if options.command == "restore":
        manage(["restore", options.file, *(["--force"] if options.force else [])])
        return 0
    manage(options.args)
    return 0


def main(argv: list[str] | None = None) -> None:
    try:
        sys.exit(run(sys.argv[1:] if argv is None else argv))
    except ImproperlyConfigured as exc:
        print(f"gendan: cannot start: {exc}", file=sys.stderr)
        sys.exit(2)
