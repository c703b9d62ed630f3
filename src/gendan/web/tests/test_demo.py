"""`gendan demo` loads realistic data once and every printed user can sign in."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections import Counter

import pytest
from django.utils import timezone

from gendan.accounts.models import User
from gendan.accounts.roles import Role
from gendan.catalog.models import Category, PriceKind, PriceList, Product
from gendan.crm.models import Figures
from gendan.demo import DEMO_PASSWORD, demo_load, demo_users_table
from gendan.documents.models import Document
from gendan.logistics.models import FailedDelivery
from gendan.logistics.selectors_carriers import freight_to_pay
from gendan.orders.models import Order, ReturnRefund
from gendan.parties.models import Customer, Store
from gendan.warehouse.selectors_pickup import order_pickup

pytestmark = pytest.mark.django_db


def test_demo_loads_every_channel_once(client):
    # 300 as the served demo below, so its orders (and today's deliveries) are those
    assert demo_load(shop_customers=300) is True
    assert demo_load(shop_customers=300) is False  # a second run changes nothing

    kinds = Counter(Customer.objects.values_list("kind", flat=True))
    assert (kinds["supermarket"], kinds["dealer"], kinds["decorator"]) == (2, 8, 3)
    assert (kinds["project"], kinds["homeowner"]) == (2, 200)
    assert all(chain.stores.count() == 3 for chain in Customer.objects.filter(kind="supermarket"))
    assert Store.objects.filter(customer__kind="dealer").count() == 8
    assert Product.objects.count() == 30
    assert {c for c in Category if c != Category.OTHER} <= set(
        Product.objects.values_list("category", flat=True)
    )
    for kind in PriceKind:
        general = PriceList.objects.get(kind=kind, customer=None)
        assert general.items.count() == 30
    shop = Figures.objects.filter(customer__kind="online", customer__platform_id__startswith="shop")
    assert shop.count() == 300 and shop.filter(purchase_count__gt=0).exists()
    for project in Customer.objects.filter(kind="project"):
        assert sum(stage.percent for stage in project.contracts.get().stages.all()) == 100
    # a few orders have their papers printed, so their pages show documents
    printed = Document.objects.filter(kind="delivery_note")
    assert printed.count() == 3 and all(document.files.exists() for document in printed)
    # O-61: a self-pickup waits for its delivery note; no batch covers its line, a substitute does
    pickup = Order.objects.get(self_pickup=True)
    rows = order_pickup(pickup)
    assert pickup.step == "delivery_note" and rows and not rows[0].covered and rows[0].substitutes
    # O-63: a return approved, booked in and written up; its refund waits for finance's signature
    waiting = ReturnRefund.objects.filter(signed_at=None, goods_return__note_made_at__isnull=False)
    assert waiting.exists()
    # O-43: every product weighs something, so a truck's load counts skirting, clips and bags
    assert not Product.objects.filter(weight_kg=None).exists()
    assert not Product.objects.filter(weight_kg=0).exists()
    # O-44: one of today's drops failed, its customer told; O-23: one freight for finance to pay
    failed = FailedDelivery.objects.get()
    assert failed.drop.state == "failed" and failed.customer_told_at is not None
    assert failed.drop.plan.day == timezone.localdate() and failed.fault == "customer"
    assert freight_to_pay().count() == 1


def test_every_printed_user_can_sign_in(client):
    demo_load(shop_customers=50)
    table = demo_users_table()

    for username in ["admin", *Role.values]:
        assert f"  {username} " in table
        assert client.login(username=username, password=DEMO_PASSWORD), username
        assert client.get("/").status_code == 200
    assert User.objects.get(username="dealer").partner.kind == "dealer"
    assert User.objects.get(username="promoter").partner.kind == "supermarket"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_gendan_demo_migrates_loads_and_serves(tmp_path):
    """The command a newcomer runs: a fresh SQLite file, the demo, a real server."""
    port = free_port()
    environment = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    environment |= {"GENDAN_VAR_DIR": str(tmp_path), "GENDAN_DEMO_SHOP_CUSTOMERS": "300"}
    environment.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-c", "from gendan.cli import main; main()", "demo"]
    server = subprocess.Popen(
        [*command, "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        login_page = wait_for(f"http://127.0.0.1:{port}/login/", seconds=90)
    finally:
        server.terminate()
        output = server.communicate(timeout=30)[0]
    assert "登录" in login_page
    assert "Demo data loaded." in output and "clerk" in output and DEMO_PASSWORD in output
    assert "The task worker runs beside the web server." in output
    assert "Traceback" not in output  # neither the server nor the worker failed


def wait_for(url: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
