"""Accounts for tests: real users in the test session's store, signed in through Flask-Login.

``signed_in(role)`` pushes a request context of the app in which ``role`` is signed in (exactly
what a callback sees during a browser request); ``make_user`` creates an account;
``browser_login`` signs a Playwright page in through the real ``/anmelden`` form.
"""

from __future__ import annotations

import contextlib
import itertools

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


def browser_login(
    page, base_url: str, name: str, password: str = PASSWORD, *, then: str = "/verwaltung"
) -> None:
    """Sign in through the real form (CSRF token, rate limit and all)."""
    page.goto(f"{base_url}/anmelden?weiter={then}")
    page.fill("#name", name)
    page.fill("#passwort", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base_url}{then}*")
