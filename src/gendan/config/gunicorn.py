"""gunicorn's settings for gendan: `gunicorn -c python:gendan.config.gunicorn ...`.

Each instance keeps its pid file and control socket in its own var/ (GENDAN_VAR_DIR), so two
instances on one machine never take each other's `~/.gunicorn/gunicorn.ctl`. Workers die with
their master: a master killed with SIGKILL once left orphans holding the port for 73 s.
"""

from __future__ import annotations

import ctypes
import os
import signal
from typing import Any

from gendan.config.base import VAR_DIR

PR_SET_PDEATHSIG = 1  # linux/prctl.h
# Loaded here, not in a child between fork and exec, where loading a library is unsafe.
LIBC = ctypes.CDLL(None, use_errno=True)

VAR_DIR.mkdir(parents=True, exist_ok=True)
pidfile = str(VAR_DIR / "gunicorn.pid")
control_socket = str(VAR_DIR / "gunicorn.ctl")
# SO_REUSEPORT: each worker binds the port itself, so a restart binds at once even beside a
# worker of the old master that is still finishing its last request. (The kernel then spreads
# connections over the workers by address, instead of the first idle worker taking them.)
reuse_port = True
# The master loads gendan once and workers start from a copy: a restart answers in seconds, not
# after each worker has imported every page on its own. Code changes need a restart, not a HUP.
preload_app = True


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to send SIGTERM when the parent dies; if it is already gone, go now.

    SIGTERM, not SIGKILL: a gunicorn worker finishes the request it is answering, then exits.
    """
    if LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    # The parent may have died between fork and prctl: then no signal will ever come.
    if os.getppid() != parent_pid:
        os.kill(os.getpid(), signal.SIGTERM)


def when_ready(server: Any) -> None:
    """Import every page's code in the master, before the workers are forked from it."""
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading them is the point)
    # A connection opened while loading must not be shared by the forked workers.
    connections.close_all()


def post_fork(server: Any, worker: Any) -> None:
    die_with_parent(server.pid)
