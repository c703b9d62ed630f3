"""In the page: the bell with its count in the header, the list, opening one, all read."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.notifications.models import Notification
from gendan.notifications.tests.helpers import signed_once
from gendan.orders.models import Order
from gendan.orders.tests.helpers import scenario, staff

pytestmark = pytest.mark.django_db
BELL = re.compile(r'class="bell-count"[^>]*>([^<]*)<')


@pytest.fixture
def order(roles) -> Order:
    """A dealer's order, verified and its delivery note made: it waits for finance to receive
    the payment (five entries in its step log)."""
    return signed_once(signed_once(scenario("dealer")))


def notified(user, order: Order, count: int = 1) -> list[Notification]:
    """``count`` notifications of the order for the user, one per signature (made up here:
    how they are written is tested in test_recipients)."""
    made = []
    used = Notification.objects.filter(recipient=user).values("step_log")
    for entry in order.step_log.exclude(pk__in=used).order_by("pk")[:count]:
        made.append(
            Notification.objects.create(
                recipient=user, order=order, step=order.step, step_log=entry
            )
        )
    return made


def bell(client) -> str | None:
    found = BELL.search(client.get("/en/").content.decode())
    return found.group(1) if found else None


def test_the_bell_counts_the_unread_notifications_in_one_query(order, client):
    # given a clerk told twice, one of them read, and a finance user told once
    clerk = staff(Role.CLERK, "clerk-b")
    first, _unread = notified(clerk, order, 2)
    Notification.objects.filter(pk=first.pk).update(read_at=timezone.now())
    notified(staff(Role.FINANCE), order)
    client.force_login(clerk)
    # when the clerk opens any page
    with CaptureQueriesContext(connection) as queries:
        page = client.get("/en/").content.decode()
    # then the bell shows 1, counted in one query on the notifications
    assert BELL.search(page).group(1) == "1"
    counting = [q["sql"] for q in queries if "notifications_notification" in q["sql"]]
    assert len(counting) == 1 and "COUNT" in counting[0].upper()


def test_the_bell_shows_no_count_when_all_is_read_and_99_plus_past_99(order, client, monkeypatch):
    # given a clerk with nothing unread
    clerk = staff(Role.CLERK, "clerk-b")
    client.force_login(clerk)
    # then the bell is there, without a number
    page = client.get("/en/").content.decode()
    assert 'class="bell"' in page and bell(client) is None
    # when more than 99 are unread (the bell stops counting at 100)
    monkeypatch.setattr("gendan.notifications.context_processors.BELL_MOST", 2)
    monkeypatch.setattr("gendan.notifications.selectors.BELL_MOST", 2)
    notified(clerk, order, 3)
    # then it says so, without counting them all
    assert bell(client) == "2+"


def test_an_anonymous_page_has_no_bell(client):
    assert 'class="bell"' not in client.get("/en/login/").content.decode()


def test_the_list_shows_the_users_own_notifications_newest_first_in_pages(order, client, settings):
    # given a clerk with three notifications, and another's
    settings.GENDAN_PAGE_SIZE = 2
    clerk = staff(Role.CLERK, "clerk-b")
    older, newer = notified(clerk, order, 2)
    Notification.objects.filter(pk=older.pk).update(created_at=timezone.now().replace(year=2025))
    someone_else = notified(staff(Role.FINANCE), order)[0]
    client.force_login(clerk)
    # when the clerk opens the list
    page = client.get("/en/notifications/").content.decode()
    # then the newest comes first, each opening its notification, the other's not there
    links = re.findall(r'href="(/en/notifications/\d+/)"', page)
    assert links == [f"/en/notifications/{newer.pk}/", f"/en/notifications/{older.pk}/"]
    assert f"/notifications/{someone_else.pk}/" not in page
    assert f"Order {order.number} waits for you: Finance receives the payment" in page
    # and a third one moves the oldest to page 2
    notified(clerk, order)
    second = client.get("/en/notifications/", {"page": 2}).content.decode()
    assert 'rel="prev"' in second and "Mark all read" in second


def test_opening_a_notification_marks_it_read_and_shows_its_order(order, client):
    # given a clerk's unread notification
    clerk = staff(Role.CLERK, "clerk-b")
    notification = notified(clerk, order)[0]
    client.force_login(clerk)
    assert bell(client) == "1"
    # when the clerk opens it
    response = client.get(reverse("notification-open", args=[notification.pk]))
    # then it leads to the order, and is read
    assert response.status_code == 302
    assert response["Location"] == reverse("order-detail", args=[order.pk])
    notification.refresh_from_db()
    assert notification.read_at is not None and bell(client) is None


def test_a_notification_of_another_user_is_not_found_and_stays_unread(order, client):
    # given a finance user's notification
    notification = notified(staff(Role.FINANCE), order)[0]
    client.force_login(staff(Role.CLERK, "clerk-b"))
    # when a clerk asks for it
    response = client.get(reverse("notification-open", args=[notification.pk]))
    # then it is not found, and not read
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_reads_only_the_users_own(order, client):
    # given a clerk's two unread notifications and a finance user's
    clerk = staff(Role.CLERK, "clerk-b")
    notified(clerk, order, 2)
    theirs = notified(staff(Role.FINANCE), order)[0]
    client.force_login(clerk)
    # when the clerk marks all read
    response = client.post("/en/notifications/read/", follow=True)
    # then the clerk's are read, the bell is empty, and the other's stays unread
    assert "All your notifications are marked read." in response.content.decode()
    assert not Notification.objects.filter(recipient=clerk, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None and bell(client) is None


def test_the_admin_lists_notifications_read_only(order, client, user_with):
    # given a notification, and an administrator
    notification = notified(staff(Role.CLERK, "clerk-b"), order)[0]
    client.force_login(user_with(is_staff=True, is_superuser=True))
    # when the administrator opens the notifications in the admin
    listing = client.get(reverse("admin:notifications_notification_changelist"))
    change = client.post(
        reverse("admin:notifications_notification_change", args=[notification.pk]), {}
    )
    # then it is listed with its order, and cannot be changed there
    assert listing.status_code == 200 and order.number in listing.content.decode()
    assert change.status_code == 403
