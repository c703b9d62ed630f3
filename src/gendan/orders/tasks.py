"""Background work of the orders app, run by the task worker (`gendan worker`)."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks import task

from gendan.orders.models import OrderImport
from gendan.orders.services.effects import effects_due_run
from gendan.orders.spreadsheets.importing import orders_import

logger = logging.getLogger(__name__)
Status = OrderImport.Status


@task()
def order_import_run(import_id: int) -> None:
    """Check every row, then register every order in one transaction; the page follows the
    progress through the import's row."""
    job = OrderImport.objects.select_related("created_by").get(pk=import_id)
    jobs = OrderImport.objects.filter(pk=import_id)
    jobs.update(status=Status.CHECKING)

    def progress(done: int, total: int) -> None:
        writing = {"status": Status.WRITING} if done == total else {}
        jobs.update(rows_checked=done, rows_total=total, **writing)

    outcome: dict = {"finished_at": timezone.now()}
    try:
        orders = orders_import(
            actor=job.created_by, content=bytes(job.content), layout=job.layout,
            progress=progress,
        )  # fmt: skip
    except ValidationError as error:
        outcome |= {"status": Status.REFUSED, "problems": error.messages}
    except Exception as error:  # the page must say it failed; the log keeps the details
        logger.exception("order import %s failed", import_id)
        outcome |= {"status": Status.FAILED, "problems": [f"{type(error).__name__}: {error}"]}
    else:
        outcome |= {"status": Status.DONE, "orders": [order.number for order in orders]}
    outcome["finished_at"] = timezone.now()
    jobs.update(**outcome)


@task()
def effects_run_due() -> None:
    """Carry out the reactions to signed steps that are due (orders/effects.py); enqueued when
    a step with reactions commits, and again at the time of each retry."""
    effects_due_run()
