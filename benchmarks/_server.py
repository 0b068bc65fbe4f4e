"""A checkout's web server as production runs it, for the measurement scripts.

The ``web:`` command of the checkout's ``Procfile`` (gunicorn with its ``gunicorn.conf.py``),
run in the checkout (so it serves that checkout's code) on 127.0.0.1 and a free port, in its own
process group; stopped by that group (master, workers and any Chromium they started). Used by
``benchmarks/load_test.py``, ``pdf_burst.py``, ``throughput.py`` and
``scripts/issue12_findings.py``.
"""

from __future__ import annotations

import http.client
import os
import shlex
import signal
import socket
import subprocess
import time
from pathlib import Path
from typing import IO

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def procfile_command(repo: Path = REPO) -> list[str]:
    for line in (repo / "Procfile").read_text(encoding="utf-8").splitlines():
        if line.startswith("web:"):
            return shlex.split(line.partition(":")[2])
    raise SystemExit("Procfile hat keinen 'web:'-Eintrag")


def spawn(repo: Path, env: dict[str, str], log: IO[bytes]) -> subprocess.Popen:
    """Start the Procfile command of ``repo`` with exactly ``env``; output to ``log``."""
    return subprocess.Popen(
        procfile_command(repo),
        cwd=repo,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until_up(
    proc: subprocess.Popen, port: int, timeout: float, *, need_http: bool = True, poll: float = 0.5
) -> bool:
    """True once ``/`` answers 200 (``need_http=False``: once the port accepts connections);
    False if the server ended or ``timeout`` seconds passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            if not need_http:
                with socket.create_connection((HOST, port), timeout=1):
                    return True
            conn = http.client.HTTPConnection(HOST, port, timeout=5)
            conn.request("GET", "/")
            ok = conn.getresponse().status == 200
            conn.close()
            if ok:
                return True
        except OSError:
            time.sleep(poll)
    return False


def start_server(
    port: int,
    log_path: Path,
    repo: Path = REPO,
    env_extra: dict[str, str] | None = None,
    timeout: float = 300,
) -> subprocess.Popen:
    """The server of ``repo`` on ``port`` (no request limit, no access log), once ``/`` answers."""
    env = dict(os.environ, GUNICORN_BIND=f"{HOST}:{port}", GUNICORN_MAX_REQUESTS="0", GUNICORN_ACCESSLOG="")
    env.pop("PORT", None)
    env.pop("DASHBOARD_DEBUG", None)
    env.update(env_extra or {})
    proc = spawn(repo, env, open(log_path, "wb"))  # noqa: SIM115 (closed with the process)
    if wait_until_up(proc, port, timeout):
        return proc
    if proc.poll() is not None:
        raise SystemExit(f"gunicorn endete beim Start (Status {proc.returncode}), siehe {log_path}")
    stop_server(proc)
    raise SystemExit(f"gunicorn antwortete nicht innerhalb von {timeout:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """Stop our own server: its process group (master, workers and any Chromium they started)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # leftovers of the group (render processes)
    except ProcessLookupError:
        pass
