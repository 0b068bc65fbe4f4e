"""Engine and migrations: SQLite file by default, PostgreSQL by ``DATABASE_URL``.

* ``DATABASE_URL`` (e.g. ``postgresql+psycopg://user:pw@host/db``; ``postgres://`` and
  ``postgresql://`` are taken to mean the psycopg 3 driver) selects the database;
* otherwise an embedded SQLite file ``dashboard.sqlite3`` in the user-data folder
  (``DASHBOARD_USER_DATA``, default ``<repo>/user_data``), created on first use — so
  ``python -m dashboard`` needs no set-up.

SQLite runs in WAL mode (readers never wait for the writer) with a busy timeout; write
transactions start with ``BEGIN IMMEDIATE`` so two writers queue instead of failing half-way.
Engines are disposed in a forked child (gunicorn workers after ``preload_app``): a pooled
connection is never shared between processes.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from dashboard.settings import database_url as configured_url
from dashboard.settings import user_data_dir

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_NAME = "dashboard.sqlite3"

_ENGINES: list[sa.Engine] = []
_ENGINES_LOCK = threading.Lock()
# Alembic's ``context`` and ``op`` are process-wide proxies: two threads migrating at once (an app
# background thread and a request or a test, each with its own database) would run in each
# other's migration context. One migration at a time per process.
_MIGRATION_LOCK = threading.Lock()


def database_url() -> str:
    """The database URL in use: ``DATABASE_URL`` or the default SQLite file (folder created)."""
    url = configured_url()
    if url:
        if url.startswith("postgres://"):
            url = "postgresql+psycopg://" + url[len("postgres://") :]
        elif url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return url
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / SQLITE_NAME}"


def configuration_key() -> str:
    """What selects the database (cheap: no folder is created)."""
    return configured_url() or f"sqlite-in:{user_data_dir()}"


def display_url(url: str) -> str:
    """The URL without its password (for messages and logs)."""
    return sa.make_url(url).render_as_string(hide_password=True)


def make_engine(url: str) -> sa.Engine:
    """An engine for ``url`` with the SQLite settings above; registered for fork safety."""
    u = sa.make_url(url)
    if u.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @sa.event.listens_for(engine, "connect")
        def _sqlite_connect(dbapi_conn, _record):
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        @sa.event.listens_for(engine, "begin")
        def _sqlite_begin(conn):
            immediate = conn.get_execution_options().get("write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    else:
        engine = sa.create_engine(url, pool_pre_ping=True)
    with _ENGINES_LOCK:
        _ENGINES.append(engine)
    return engine


def _dispose_in_child() -> None:
    for engine in list(_ENGINES):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_dispose_in_child)


def _alembic_config(connection: sa.Connection) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def migrate(connection: sa.Connection, target: str, *, down: bool = False) -> None:
    """Run the migrations on ``connection`` up (or ``down``) to ``target``, one run at a time per process."""
    with _MIGRATION_LOCK:
        (command.downgrade if down else command.upgrade)(_alembic_config(connection), target)


def head_revision() -> str:
    """The newest migration of this code."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return ScriptDirectory.from_config(cfg).get_current_head()


def current_revision(engine: sa.Engine) -> str | None:
    """The migration the database is at (``None``: empty database)."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: sa.Engine) -> tuple[str | None, str]:
    """Create or migrate the schema to the newest revision. Returns (before, after)."""
    before = current_revision(engine)
    head = head_revision()
    if before != head:
        with engine.connect().execution_options(write=True) as conn:
            with conn.begin():
                migrate(conn, "head")
    return before, head
