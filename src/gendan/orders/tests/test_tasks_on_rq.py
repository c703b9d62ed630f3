"""With GENDAN_TASK_BACKEND=rq the order import runs on RQ workers, against the local Redis."""

from __future__ import annotations

import io
import os
import uuid

import django_rq
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django_tasks import default_task_backend
from django_tasks.base import TaskResultStatus
from django_tasks_rq.backend import Job
from openpyxl import Workbook
from redis import Redis
from redis.exceptions import ConnectionError as RedisDown
from rq import SimpleWorker

from gendan.accounts.roles import Role
from gendan.orders.models import Order, OrderImport
from gendan.orders.spreadsheets.dealer import TEMPLATE_COLUMNS
from gendan.orders.spreadsheets.importing import Layout, order_import_start
from gendan.orders.tasks import order_import_run
from gendan.orders.tests.helpers import listed_product, staff
from gendan.parties.tests.factories import DealerFactory

pytestmark = pytest.mark.django_db
REDIS_URL = os.environ.get("GENDAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def rq_queue(settings) -> str:
    """The RQ backend, on a queue of its own: two test runs at once never take each other's
    tasks. Without Redis the test is skipped, except under CI, where it fails."""
    try:
        Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except RedisDown:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    name = f"gendan-test-{uuid.uuid4().hex[:12]}"
    # (the backend finds results through the "default" connection)
    settings.RQ_QUEUES = {name: {"URL": REDIS_URL}, "default": {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    yield name
    django_rq.get_queue(name).delete(delete_jobs=True)


def dealer_workbook(dealer_name: str, sku: str) -> bytes:
    values = {
        "订单参考号": "R1", "经销商": dealer_name, "业主姓名": "王先生", "业主电话": "13800138000",
        "省": "广东省", "市": "佛山市", "区": "顺德区", "详细地址": "大良街道1号", "楼层": 8,
        "需要安装": "否", "付款方式": "银行转账", "付款条件": "款到发货",
        "预计送货日期": "2026-12-20", "货号": sku, "数量": 10,
    }  # fmt: skip
    book = Workbook()
    book.active.append([name for name, _required, _kind in TEMPLATE_COLUMNS])
    book.active.append([values.get(name, "") for name, _required, _kind in TEMPLATE_COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_order_import_queued_on_redis_is_carried_out_by_an_rq_worker(
    rq_queue, roles, django_capture_on_commit_callbacks
):
    # given: a dealer's workbook kept for import (its own enqueueing left aside), and queued on RQ
    dealer, product = DealerFactory(name="顺德竹韵经销部"), listed_product("95", sku="ZF-1")
    upload = SimpleUploadedFile("orders.xlsx", dealer_workbook(dealer.name, product.sku))
    with django_capture_on_commit_callbacks(execute=False):
        job = order_import_start(
            actor=staff(Role.CLERK), upload=upload, layout=Layout.DEALER_TEMPLATE
        )
    queued = order_import_run.using(queue_name=rq_queue).enqueue(job.pk)

    # when: an RQ worker takes what is queued, then stops
    worker = django_rq.get_worker(rq_queue, job_class=Job, worker_class=SimpleWorker)
    worker.work(burst=True)

    # then
    job.refresh_from_db()
    assert default_task_backend.get_result(queued.id).status == TaskResultStatus.SUCCESSFUL
    assert job.status == OrderImport.Status.DONE
    assert job.orders == [Order.objects.get().number]
