"""Test-wide fixtures.

* Imports go to a temporary user data folder, never to <repo>/user_data (and so does the
  store's default SQLite database).
* ``store_url`` is a fresh, empty database per test: a SQLite file, or — when
  ``STORE_TEST_POSTGRES=1`` (``scripts/test.sh`` runs the store tests a second time inside
  Debian's ``pg_virtualenv``, which sets ``PGHOST``/``PGUSER``/``PGPASSWORD``/``PGPORT``) — a
  new database in that throw-away PostgreSQL cluster. Without a reachable server that run
  fails; it never skips.
* ``live_server`` returns the base URL (``http://127.0.0.1:<port>``) of the Dash app served by
  werkzeug from a thread (``tests._live.serve``); ``browser_page`` is a fresh Playwright page (Debian chromium) whose
  ``console_errors`` list collects every console error and uncaught page error.
"""

from __future__ import annotations

import pytest

from dashboard.settings import HEADLESS_CHROMIUM_ARGS
from tests._live import serve


@pytest.fixture(autouse=True, scope="session")
def _isolated_user_data(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    mp.setenv("DASHBOARD_USER_DATA", str(tmp_path_factory.mktemp("user_data")))
    yield
    mp.undo()


def _postgres_wanted() -> bool:
    import os

    return os.environ.get("STORE_TEST_POSTGRES", "") == "1"


@pytest.fixture
def store_url(tmp_path):
    """URL of a fresh, empty database (SQLite, or PostgreSQL under STORE_TEST_POSTGRES=1)."""
    if not _postgres_wanted():
        yield f"sqlite:///{tmp_path / 'store.sqlite3'}"
        return
    import os
    import uuid

    import psycopg

    if not os.environ.get("PGHOST"):
        pytest.fail("STORE_TEST_POSTGRES=1 but PGHOST is not set: run the tests inside pg_virtualenv")
    name = f"t_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield f"postgresql+psycopg:///{name}"
    from dashboard.store import db

    for engine in list(db._ENGINES):  # close every pooled connection to this database
        if engine.url.database == name:
            engine.dispose()
    with psycopg.connect(dbname="postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_store(tmp_path, monkeypatch, store_url):
    """The app's store on a new, empty database for this test (``store_url``: SQLite, or
    PostgreSQL in the second run; DASHBOARD_USER_DATA points to a temporary folder; the served
    tables and catalogue are looked up again)."""
    from dashboard.data import imports
    from dashboard.data.measures import import_store
    from dashboard.store import get_store

    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path / "ud"))
    monkeypatch.setenv("DATABASE_URL", store_url)
    imports.invalidate()
    import_store.invalidate()
    yield get_store()
    imports.invalidate()
    import_store.invalidate()


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = list(HEADLESS_CHROMIUM_ARGS)


@pytest.fixture(scope="session")
def live_server():
    """Base URL of the app, warmed up as gunicorn's master does, served by ``tests._live.serve``
    (the one live server of the tests)."""
    import logging

    from dashboard.app import _model, _query, app, server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no access log in test output
    _model.warm_up()  # first-visit costs (backtest, intervals) are not what the page tests time
    _query.expected_kinds(server, app)  # the callback input check, as gunicorn's warm-up does
    with serve(server) as url:
        yield url


@pytest.fixture(scope="session")
def _browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(_browser):
    context = _browser.new_context(
        viewport={"width": 1366, "height": 900}, accept_downloads=True, locale="de-DE"
    )
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.set_default_timeout(60_000)  # generous: the test machine is shared
    yield page
    context.close()
