"""Benchmark: issuing a delivery note with its copies on both papers (A4 and the continuous
form), on PostgreSQL, the way it was printed before (each copy laid out anew; the stylesheet
parsed, a font configuration made and the fonts subset for every PDF) beside the way it is
printed now, in the same run, turn about, on orders walked to the same step.

    make bench                      # or: .venv/bin/python bench/documents_print.py --runs 15
    BENCH_PRINT_DATABASE_URL=postgres://postgres@127.0.0.1:5432/gendan_bench_print (default)
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from unittest import mock

from orders_walk import database_recreate, django_start

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/gendan_bench_print"
# The last commit that printed the old way, and its template (the old way is drawn from it).
BEFORE = "87cd1f9496178f8eaeb3c51c5f3240ebad37c16a"
OLD_TEMPLATE = "src/gendan/documents/templates/documents/pdf/document.html"


def before_pdf():
    """``document_pdf`` as it was at BEFORE: the template as one HTML page, all copies in it."""
    from django.conf import settings
    from django.template import engines
    from django.utils import translation
    from weasyprint import HTML

    from gendan.documents.rendering import document_context

    root = Path(__file__).resolve().parent.parent
    source = subprocess.run(
        ["git", "show", f"{BEFORE}:{OLD_TEMPLATE}"], cwd=root, capture_output=True, check=True
    ).stdout.decode()
    template = engines["django"].from_string(source)

    def document_pdf(content, *, version, issued_at, paper) -> bytes:
        context = document_context(content, version=version, issued_at=issued_at, paper=paper)
        with translation.override(settings.GENDAN_DOCUMENT_LANGUAGE):
            html = template.render(context)
        return HTML(string=html).write_pdf()

    return document_pdf


def orders_ready(count: int) -> list:
    """Dealer orders with installation, each walked, as its roles would sign it, to the step
    where the delivery note is made; each dealer signs with its own user."""
    from gendan.accounts.roles import Role
    from gendan.accounts.services import role_groups_sync
    from gendan.documents.tests.helpers import signers_for
    from gendan.orders.simulate import order_walk
    from gendan.orders.tests.helpers import scenario, staff

    role_groups_sync()
    orders = []
    for number in range(count):
        order = scenario("dealer", install=True, end_price=Decimal("150"))
        signers = signers_for(order) | {
            Role.DEALER: staff(Role.DEALER, f"bench-dealer-{number}", partner=order.partner)
        }
        while order.step != "ship":
            before, order = order.step, order_walk(order, signers, steps=1)
            assert order.step != before, f"the order is held at {before}"
        orders.append(order)
    return orders


def issue_timed(order) -> float:
    from gendan.accounts.roles import Role
    from gendan.documents.models import DocumentKind
    from gendan.documents.services import document_issue
    from gendan.orders.tests.helpers import staff

    clerk = staff(Role.CLERK)
    started = time.perf_counter()
    document = document_issue(actor=clerk, order=order, kind=DocumentKind.DELIVERY_NOTE)
    elapsed = time.perf_counter() - started
    assert document.files.count() == 2
    return elapsed


def measure(runs: int) -> dict[str, list[float]]:
    """Turn about, so that a busy moment of the machine falls on both ways alike; the first
    issue of each way warms up (imports, fonts) and is not counted."""
    from weasyprint.pdf.fonts import Font

    from gendan.documents import rendering

    old_way = before_pdf()  # and each font subset anew, as WeasyPrint does
    orders = orders_ready(2 * runs + 2)
    timings: dict[str, list[float]] = {"before": [], "after": []}
    for number, order in enumerate(orders):
        way = "before" if number % 2 == 0 else "after"
        if way == "before":
            with (
                mock.patch("gendan.documents.services.document_pdf", old_way),
                mock.patch.object(Font, "subset", rendering._font_subset),
            ):
                elapsed = issue_timed(order)
        else:
            elapsed = issue_timed(order)
        if number >= 2:
            timings[way].append(elapsed)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="delivery notes issued each way")
    options = parser.parse_args()
    url = os.environ.get("BENCH_PRINT_DATABASE_URL", DEFAULT_URL)
    database_recreate(url)
    django_start(url)
    timings = measure(options.runs)
    before, after = (statistics.median(timings[way]) for way in ("before", "after"))
    print("\n| issue a delivery note, 4 copies on A4 and form | median | |\n|---|---|---|")
    print(f"| before (each copy laid out, CSS and fonts per PDF) | {before * 1000:.0f} ms | |")
    print(
        f"| after (body laid out once, copies' marks over it) | {after * 1000:.0f} ms | < 500 ms |"
    )
    print(f"| before / after | {before / after:.2f} × | {options.runs} issues each way |")


if __name__ == "__main__":
    sys.exit(main())
