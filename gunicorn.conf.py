"""Gunicorn settings for ``web: gunicorn dashboard.app:server`` (read from the working directory).

Every value comes from an environment variable with a safe default:

========================  =====================================================  ==================
variable                  meaning                                                default
========================  =====================================================  ==================
``GUNICORN_BIND``         address(es) to listen on, comma-separated              see below
``PORT``                  platform port (Heroku/Dokku style) → ``0.0.0.0:PORT``  –
``WEB_CONCURRENCY``       worker processes (``GUNICORN_WORKERS`` also works)     2
``GUNICORN_THREADS``      threads per worker (gthread worker class)              4
``GUNICORN_TIMEOUT``      seconds before a silent worker is killed and restarted 60
``GUNICORN_GRACEFUL_TIMEOUT`` seconds a worker gets to finish on restart        30
``GUNICORN_KEEPALIVE``    seconds an idle keep-alive connection stays open       5
``GUNICORN_MAX_REQUESTS`` requests after which a worker is recycled (0 = never)  2000
``GUNICORN_MAX_REQUESTS_JITTER`` random spread of the above                      200
``GUNICORN_PRELOAD``      load the app in the master before forking (``0`` off)  on
``GUNICORN_LOGLEVEL``     log level                                              info
``GUNICORN_ACCESSLOG``    access log target (``-`` = stdout, empty = off)        off
``FORWARDED_ALLOW_IPS``   proxies trusted for X-Forwarded-* headers              127.0.0.1
========================  =====================================================  ==================

Whole numbers are read by :func:`dashboard.settings.int_setting`: a value that is no whole number
or below its minimum stops the start with a message naming the variable.

Without ``GUNICORN_BIND`` or ``PORT`` the server listens on ``127.0.0.1:8000`` only, so
nothing is exposed by accident; put a reverse proxy (TLS) in front in production.
``preload_app`` imports ``dashboard.app`` once in the master: the embedded data and the
default projections are built there and shared copy-on-write by the workers, and a broken
data file stops the start instead of every worker failing separately. Workers are recycled
after ``GUNICORN_MAX_REQUESTS`` requests to bound memory growth from fragmentation.
"""

from __future__ import annotations

import os

from dashboard.settings import int_setting


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name, "").strip().lower()
    if not raw:
        return default
    return raw in {"1", "true", "yes", "on", "ja"}


def _bind() -> list[str]:
    if os.environ.get("GUNICORN_BIND", "").strip():
        return [b.strip() for b in os.environ["GUNICORN_BIND"].split(",") if b.strip()]
    if os.environ.get("PORT", "").strip():
        return [f"0.0.0.0:{int_setting('PORT', 8000, 1)}"]
    return ["127.0.0.1:8000"]


bind = _bind()
workers = int_setting("WEB_CONCURRENCY", int_setting("GUNICORN_WORKERS", 2, 1), 1)
threads = int_setting("GUNICORN_THREADS", 4, 1)
worker_class = "gthread"
timeout = int_setting("GUNICORN_TIMEOUT", 60, 1)
graceful_timeout = int_setting("GUNICORN_GRACEFUL_TIMEOUT", 30, 1)
keepalive = int_setting("GUNICORN_KEEPALIVE", 5, 0)
max_requests = int_setting("GUNICORN_MAX_REQUESTS", 2000, 0)
max_requests_jitter = int_setting("GUNICORN_MAX_REQUESTS_JITTER", 200, 0)
preload_app = _flag("GUNICORN_PRELOAD", True)
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# Request-line and header limits (gunicorn's defaults, stated explicitly).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# Heartbeat files in RAM: a slow disk never makes the arbiter kill healthy workers.
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

# Warm-up before forking. With ``preload_app`` the master imports the app; the expensive
# memoised results (Basis projection, interval draws, backtest and its coverage) are then
# computed once here, in ``when_ready`` (the arbiter calls it before it spawns workers), and
# every worker inherits them copy-on-write. The app's own background warm-up thread is
# switched off under gunicorn: forking while a thread holds a model lock would leave that
# lock held forever in the child.
if preload_app:
    os.environ.setdefault("DASHBOARD_WARM_UP", "master")


def when_ready(server) -> None:  # gunicorn hook
    if preload_app and os.environ.get("DASHBOARD_WARM_UP") == "master":
        from dashboard.app import _model

        server.log.info("Warm-up: memoised projections, intervals and backtest …")
        _model.warm_up()
        from dashboard.app import _query, app
        from dashboard.app import server as flask_server

        _query.expected_kinds(flask_server, app)  # the callback input check, inherited by workers
        server.log.info("Warm-up done")
