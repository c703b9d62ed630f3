"""The task backend is a setting: the database by default, RQ on Redis for many workers."""

from __future__ import annotations

import os
import subprocess
import sys

from gendan.cli import worker_command


def test_gendan_worker_runs_the_worker_of_the_task_backend(settings):
    # given / when / then
    settings.GENDAN_TASK_BACKEND = "database"
    assert worker_command() == ["db_worker", "--no-reload"]
    settings.GENDAN_TASK_BACKEND = "rq"
    assert worker_command() == ["rqworker", "default", "--with-scheduler"]


def test_an_unknown_task_backend_stops_start_up_and_names_the_setting(tmp_path):
    # given
    env = os.environ | {"GENDAN_TASK_BACKEND": "celery", "GENDAN_VAR_DIR": str(tmp_path)}
    env["DJANGO_SETTINGS_MODULE"] = "gendan.config.development"

    # when
    done = subprocess.run(
        [sys.executable, "-c", "from gendan.cli import main; main()", "manage", "check"],
        env=env, capture_output=True, text=True,
    )  # fmt: skip

    # then
    assert done.returncode == 2
    assert "GENDAN_TASK_BACKEND='celery'" in done.stderr


def test_the_rq_backend_installs_django_rq_and_reads_the_redis_url(tmp_path):
    # given
    env = os.environ | {"GENDAN_TASK_BACKEND": "rq", "REDIS_URL": "redis://redis.internal:6380/2"}
    env |= {"DJANGO_SETTINGS_MODULE": "gendan.config.development", "GENDAN_VAR_DIR": str(tmp_path)}
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.TASKS['default']['BACKEND'], 'django_rq' in s.INSTALLED_APPS, "
        "s.RQ_QUEUES['default']['URL'])"
    )

    # when
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)

    # then
    assert done.stdout.split() == [
        "django_tasks_rq.RQBackend",
        "True",
        "redis://redis.internal:6380/2",
    ]
