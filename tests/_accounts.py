"""Accounts for tests: real users in the test session's store, signed in through Flask-Login.

``signed_in(role)`` pushes a request context of the app in which ``role`` is signed in (exactly
what a callback sees during a browser request); ``make_user`` creates an account;
``form_login`` signs a Flask test client in through the real ``/anmelden`` form,
``browser_login`` a Playwright page.
"""

from __future__ import annotations

import contextlib
import itertools
import re

from dashboard.store import Actor, get_store

PASSWORD = "Testpasswort-123"
_N = itertools.count(1)
CLI = Actor("Test (Kommandozeile)", "pflege")


def make_user(role: str = "planung", name: str | None = None):
    name = name or f"test-{role}-{next(_N)}"
    return get_store().create_user(name, PASSWORD, role, actor=CLI)


@contextlib.contextmanager
def signed_in(role: str = "planung", name: str | None = None):
    """A request context of the app with a freshly created user of ``role`` signed in."""
    from flask_login import login_user

    from dashboard.app import server
    from dashboard.app.auth import AuthUser

    user = make_user(role, name)
    with server.test_request_context("/"):
        login_user(AuthUser(user))
        yield user


def form_login(client, user, password: str = PASSWORD, *, addr: str = "127.0.0.1") -> None:
    """Sign ``user`` in on a Flask test client through the real ``/anmelden`` form (CSRF token
    read from the form; ``addr``: the client address, its own per sign-in for the rate limit)."""
    env = {"REMOTE_ADDR": addr}
    page = client.get("/anmelden", environ_base=env).get_data(as_text=True)
    tag = re.search(r"<input[^>]*name=\"csrf_token\"[^>]*>", page).group(0)
    token = re.search(r"value=\"([^\"]+)\"", tag).group(1)
    r = client.post(
        "/anmelden", data={"name": user.name, "passwort": password, "csrf_token": token}, environ_base=env
    )
    assert r.status_code == 303, r.get_data(as_text=True)[:500]


def browser_login(
    page, base_url: str, name: str, password: str = PASSWORD, *, then: str = "/verwaltung"
) -> None:
    """Sign in through the real form (CSRF token, rate limit and all)."""
    page.goto(f"{base_url}/anmelden?weiter={then}")
    page.fill("#name", name)
    page.fill("#passwort", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}{then}*")
