"""`gendan serve` as a service manager runs it: killed outright, it leaves nothing holding the
port, and started again it serves within seconds. These tests start real processes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

GENDAN = [sys.executable, "-c", "from gendan.cli import main; main()"]
RESTART_LIMIT = 10.0  # seconds from the kill until the restarted server answers


@pytest.fixture(scope="module")
def serving_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """An installation of its own: var/ and a migrated SQLite database in a temporary folder."""
    root = tmp_path_factory.mktemp("serving")
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    env |= {
        "DJANGO_SETTINGS_MODULE": "gendan.config.development",
        "GENDAN_VAR_DIR": str(root / "var"),
        "DATABASE_URL": f"sqlite:///{root / 'gendan.sqlite3'}",
        "GENDAN_TASK_BACKEND": "database",
    }
    subprocess.run([*GENDAN, "manage", "migrate", "--verbosity", "0"], env=env, check=True)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    command = [*GENDAN, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"]
    with log.open("ab") as output:
        return subprocess.Popen(command, env=env, stdout=output, stderr=subprocess.STDOUT)


def answering(port: int, timeout: float = 1.0) -> bool:
    try:
        url = f"http://127.0.0.1:{port}/login/"
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


def wait_answering(port: int, limit: float) -> float:
    started = time.monotonic()
    while (left := limit - (time.monotonic() - started)) > 0:
        # A connection the kernel accepted is answered once a worker is up: wait for it.
        if answering(port, timeout=left):
            return time.monotonic() - started
        time.sleep(0.05)
    raise AssertionError(f"nothing answered on port {port} within {limit} s")


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def wait_children(pid: int, count: int, limit: float = 30.0) -> list[int]:
    """The children of a process once it has `count` of them (gunicorn forks its workers one
    after the other, and the first may answer before the last is born)."""
    deadline = time.monotonic() + limit
    while len(children := children_of(pid)) < count and time.monotonic() < deadline:
        time.sleep(0.05)
    return children


def eventually(check: Callable[[], bool], limit: float = 10.0) -> bool:
    deadline = time.monotonic() + limit
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()


def alive(pid: int) -> bool:
    """Running, not a zombie waiting for a parent that does not reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_gone(pids: list[int], limit: float = 10.0) -> list[str]:
    """The command lines of those still running after the limit."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.05)
    return [command_line(pid) for pid in pids if alive(pid)]


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return f"{pid} (gone)"


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        process.wait(timeout=30)


def test_a_master_killed_with_sigkill_leaves_no_worker_and_a_restart_serves_within_ten_seconds(
    serving_env, tmp_path
):
    # given: gendan serving, its task worker beside it
    port, var = free_port(), Path(serving_env["GENDAN_VAR_DIR"])
    first = serve(serving_env, port, tmp_path / "serve.log")
    second = None
    try:
        wait_answering(port, 60)
        master = int((var / "gunicorn.pid").read_text())
        web_workers = wait_children(master, 2)
        task_worker = [pid for pid in wait_children(first.pid, 2) if pid != master]

        # when: the master is killed outright, and gendan is started again once it has stopped
        killed = time.monotonic()
        os.kill(master, signal.SIGKILL)
        first.wait(timeout=RESTART_LIMIT)
        stopped = time.monotonic() - killed
        second = serve(serving_env, port, tmp_path / "serve.log")
        wait_answering(port, RESTART_LIMIT)
        restart = time.monotonic() - killed

        # then
        print(f"serving again {restart:.1f} s after the kill ({stopped:.1f} s to stop)")
        assert restart < RESTART_LIMIT
        assert (len(web_workers), len(task_worker)) == (2, 1)
        assert wait_gone(web_workers + task_worker) == []
    finally:
        stop(first)
        if second is not None:
            stop(second)


def test_killing_gendan_serve_outright_takes_the_web_server_and_the_task_worker_with_it(
    serving_env, tmp_path
):
    # given
    port, var = free_port(), Path(serving_env["GENDAN_VAR_DIR"])
    server = serve(serving_env, port, tmp_path / "serve.log")
    try:
        wait_answering(port, 60)
        master = int((var / "gunicorn.pid").read_text())
        processes = [*wait_children(server.pid, 2), *wait_children(master, 2)]

        # when
        server.kill()
        server.wait(timeout=10)

        # then: every process is gone, and with them the pid file, the control socket, the port
        assert wait_gone(processes) == []
        assert not (var / "gunicorn.pid").exists()
        assert not (var / "gunicorn.ctl").exists()
        assert not answering(port)
    finally:
        stop(server)


def test_gendan_serve_runs_without_debug_and_keeps_its_pid_file_and_socket_in_its_var(
    serving_env, tmp_path
):
    # given
    port, var = free_port(), Path(serving_env["GENDAN_VAR_DIR"])

    # when
    server = serve(serving_env, port, tmp_path / "serve.log")
    try:
        wait_answering(port, 60)
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/no-such-page/", timeout=10)

        # then: no second instance would find its socket in ~/.gunicorn, nor a technical page
        assert int((var / "gunicorn.pid").read_text()) in children_of(server.pid)
        assert eventually((var / "gunicorn.ctl").is_socket)  # made once the workers are up
        page = missing.value.read().decode()
        assert missing.value.code == 404
        assert "页面不存在" in page
        assert "URLconf" not in page
    finally:
        stop(server)


def development_settings(env: dict[str, str]) -> list[str]:
    script = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True
    )
    return done.stdout.split()


def test_the_demo_settings_have_debug_off_and_a_secret_key_made_once_and_kept(tmp_path):
    # given: no DEBUG and no SECRET_KEY in the environment
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", "SECRET_KEY")}
    env |= {"DJANGO_SETTINGS_MODULE": "gendan.config.development", "GENDAN_VAR_DIR": str(tmp_path)}

    # when
    first, second = development_settings(env), development_settings(env)

    # then
    assert first[0] == "False"
    assert len(first[1]) >= 50
    assert second == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
