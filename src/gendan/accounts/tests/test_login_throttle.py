"""Failed logins lock a user out from one address for 15 minutes, and say until when."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import time_format

from gendan.accounts.roles import Role
from gendan.accounts.throttle import LOCKED_OUT
from gendan.testing import in_chinese

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # the factories' password


def log_in(client, user, password, url=None, **extra):
    data = {"username": user.username, "password": password}
    return client.post(url or reverse("login"), data, **extra)


def fail_five_times(client, user, url=None, **extra):
    for _attempt in range(5):
        log_in(client, user, "wrong password", url, **extra)


def retry_time() -> str:
    """When the lock ends, as the message gives it: the last failure plus 15 minutes."""
    last = AccessAttempt.objects.get().attempt_time
    return time_format(timezone.localtime(last + timedelta(minutes=15)), "H:i")


def test_after_five_failures_the_right_password_is_refused_with_the_time_to_retry(
    client, user_with
):
    # given
    user = user_with(Role.CLERK)
    fail_five_times(client, user)

    # when
    response = log_in(client, user, PASSWORD)

    # then
    assert response.status_code == 429
    message = in_chinese(LOCKED_OUT) % {"time": retry_time()}
    assert message in response.content.decode()
    assert f'value="{user.username}"' in response.content.decode()  # the form is filled in again
    assert "_auth_user_id" not in client.session


def test_the_lock_says_when_to_retry_in_english_too(client, user_with):
    user = user_with(Role.CLERK)
    english_login = "/en" + reverse("login")
    fail_five_times(client, user, english_login)

    response = log_in(client, user, PASSWORD, english_login)

    assert response.status_code == 429
    assert str(LOCKED_OUT) % {"time": retry_time()} in response.content.decode()


def test_four_failures_do_not_lock_and_a_success_starts_the_count_again(client, user_with):
    user = user_with(Role.CLERK)
    for _attempt in range(4):
        log_in(client, user, "wrong password")

    response = log_in(client, user, PASSWORD)

    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_the_lock_holds_for_that_user_from_that_address_only(client, user_with):
    # given
    user, colleague = user_with(Role.CLERK), user_with(Role.CLERK)
    fail_five_times(client, user)

    # when
    colleague_here = log_in(client, colleague, PASSWORD)
    client.logout()
    user_elsewhere = log_in(client, user, PASSWORD, REMOTE_ADDR="10.0.0.9")

    # then
    assert colleague_here.status_code == user_elsewhere.status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, user_with):
    user = user_with(Role.CLERK)
    fail_five_times(client, user)
    sixteen_minutes_ago = timezone.now() - timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=sixteen_minutes_ago)

    response = log_in(client, user, PASSWORD)

    assert response.status_code == 302


def test_the_admin_login_is_locked_too(client, user_with):
    admin = user_with(is_staff=True, is_superuser=True)
    fail_five_times(client, admin, reverse("admin:login"))

    response = log_in(client, admin, PASSWORD, reverse("admin:login"))

    assert response.status_code == 429
    assert in_chinese(LOCKED_OUT) % {"time": retry_time()} in response.content.decode()


def test_behind_the_proxy_failures_count_for_the_address_the_proxy_saw(client, user_with, settings):
    # given: the client claims an address of its own before the proxy's entry
    settings.GENDAN_CLIENT_ADDRESS_FROM_PROXY = True
    user = user_with(Role.CLERK)
    fail_five_times(client, user, HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.7")

    # when
    claimed_anew = log_in(client, user, PASSWORD, HTTP_X_FORWARDED_FOR="5.6.7.8, 203.0.113.7")

    # then
    assert claimed_anew.status_code == 429
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_the_test_clients_login_still_works(client, user_with):
    user = user_with(Role.CLERK)

    assert client.login(username=user.username, password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200
