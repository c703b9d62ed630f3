"""The mail server is read from the environment: none by default, EMAIL_URL or EMAIL_HOST."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

READ = (
    "import json; from gendan.config import base as s; print(json.dumps([s.EMAIL_HOST, "
    "s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS]))"
)


def email_settings(**environment: str) -> list:
    names = ("EMAIL_URL", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_USE_TLS")
    env = {k: v for k, v in os.environ.items() if k not in names} | environment
    done = subprocess.run(
        [sys.executable, "-c", READ], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize(
    ("environment", "read"),
    [
        ({}, ["", 25, "", "", False]),
        ({"EMAIL_HOST": "mail.example.com", "EMAIL_PORT": "2525"},
         ["mail.example.com", 2525, "", "", False]),
        ({"EMAIL_URL": "smtp+tls://gendan:secret@mail.example.com:587"},
         ["mail.example.com", 587, "gendan", "secret", True]),
        ({"EMAIL_URL": "smtp://mail.example.com"}, ["mail.example.com", 25, "", "", False]),
    ],
)  # fmt: skip
def test_the_mail_server_comes_from_the_environment(environment, read):
    assert email_settings(**environment) == read
