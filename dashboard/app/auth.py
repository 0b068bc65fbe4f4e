"""Accounts in the app: sign-in and sign-out pages, sessions, roles.

Anonymous visitors read everything; signing in is only needed to upload (role ``planung``:
uploads become the user's own drafts) and to publish, roll back and manage accounts (role
``pflege``). Accounts live in the store (:mod:`dashboard.store`); the first one is created at
the command line: ``python -m dashboard benutzer anlegen NAME --rolle pflege``.

Libraries (all well kept): Flask-Login (session handling), werkzeug's scrypt (password hashes,
in the store), Flask-WTF (the sign-in and sign-out forms carry a CSRF token bound to the
session), Flask-Limiter (sign-in attempts: :data:`LOGIN_LIMITS` per client address and
:data:`LOGIN_NAME_LIMITS` per account name; counters in memory per worker unless
``DASHBOARD_RATELIMIT_STORAGE`` names a shared store such as ``redis://…``).

Forms are plain server-rendered HTML (``/anmelden``, ``/abmelden``) with the site's style
sheet: no inline script, so the strict Content-Security-Policy stays as it is. Dash callbacks
are not form posts: they are ``application/json`` POSTs, which a foreign site cannot send with
the user's cookie without a CORS preflight this server never grants, and the session cookie is
``SameSite=Lax`` and ``HttpOnly``. Callbacks that write (upload, publish, rollback, accounts)
check the role on the server (:func:`current_actor`) and the store checks it again.

Secret key: ``DASHBOARD_SECRET_KEY``; without it a random key is created once in the
user-data folder (``secret_key``, mode 0600), so sessions survive restarts and every gunicorn
worker signs with the same key.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Response, redirect, render_template_string, request
from flask_limiter import Limiter
from flask_limiter.errors import RateLimitExceeded
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Length

from dashboard.settings import ratelimit_storage, secret_key_from_env, secure_cookies, user_data_dir
from dashboard.text import AUTH as M

LOG = logging.getLogger("dashboard.app.auth")
LOGIN_PATH, LOGOUT_PATH = "/anmelden", "/abmelden"
#: Sign-in attempts (POST) per client address and per account name.
LOGIN_LIMITS = "5 per minute; 30 per hour"
LOGIN_NAME_LIMITS = "10 per hour"


class AuthUser(UserMixin):
    """The signed-in user as Flask-Login sees it (id, name, role)."""

    def __init__(self, user):
        self.user = user
        self.id = str(user.id)

    @property
    def name(self) -> str:
        return self.user.name

    @property
    def role(self) -> str:
        return self.user.role


def secret_key() -> str:
    """``DASHBOARD_SECRET_KEY`` or a random key kept in the user-data folder (created once)."""
    env = secret_key_from_env()
    if env:
        return env
    folder = user_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "secret_key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return Path(path).read_text(encoding="ascii").strip()
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(secrets.token_urlsafe(48))
    return Path(path).read_text(encoding="ascii").strip()


def current_actor():
    """The signed-in user as a store :class:`~dashboard.store.Actor`, or ``None`` (anonymous)."""
    from dashboard.store import Actor

    try:
        if current_user and current_user.is_authenticated:
            return Actor(current_user.name, current_user.role, current_user.user.id)
    except RuntimeError:  # outside a request (e.g. a unit test calling a page function)
        return None
    return None


class LoginForm(FlaskForm):
    name = StringField("Benutzername", validators=[DataRequired(), Length(max=64)])
    passwort = PasswordField("Passwort", validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField("Anmelden")


class LogoutForm(FlaskForm):
    submit = SubmitField("Abmelden")


PAGE = """<!DOCTYPE html>
<html lang="de">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} – Kreis Düren 2030</title>
<link rel="stylesheet" href="/assets/style.css"></head>
<body>
<a class="skip-link" href="#inhalt">Zum Inhalt springen</a>
<header class="site-header"><div class="brand-box"><a class="brand" href="/">Kreis Düren 2030</a>
<span class="brand-sub">Demografie-Dashboard</span></div></header>
<main id="inhalt" class="auth-page">
<h1>{{ title }}</h1>
{% if message %}<p class="notice {{ 'notice-error' if error else '' }}" role="{{ 'alert' if error else 'status' }}">{{ message }}</p>{% endif %}
{% if form %}
<form method="post" action="{{ action }}" class="auth-form">
{{ form.hidden_tag() }}
{% if form.name %}
<p><label for="name">{{ form.name.label.text }}</label><br>
<input id="name" name="name" type="text" autocomplete="username" required maxlength="64" value="{{ name }}" autofocus></p>
<p><label for="passwort">{{ form.passwort.label.text }}</label><br>
<input id="passwort" name="passwort" type="password" autocomplete="current-password" required maxlength="1024"></p>
{% endif %}
<p><button type="submit" class="btn">{{ button }}</button></p>
</form>
{% endif %}
<p>{{ hint }}</p>
<p><a href="{{ back }}">{{ back_text }}</a></p>
</main>
<footer class="site-footer"><p>Kreis Düren 2030 – Demografie-Dashboard</p></footer>
</body></html>"""


def _safe_next(target: str | None, default: str = "/") -> str:
    """Only a path on this site (no scheme, no host, no ``//``)."""
    if not target or not isinstance(target, str):
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return default
    return target


def _page(title: str, *, status: int = 200, **kw) -> Response:
    ctx = dict(
        title=title,
        message="",
        error=False,
        form=None,
        action="",
        name="",
        button="",
        hint="",
        back="/",
        back_text=M["back"],
    )
    ctx.update(kw)
    resp = Response(render_template_string(PAGE, **ctx), status=status, mimetype="text/html")
    resp.headers["Cache-Control"] = "no-store"
    return resp


def install_auth(server: Flask) -> Limiter:
    """Sessions, Flask-Login, the sign-in/out routes and their rate limits on ``server``."""
    server.secret_key = secret_key()
    server.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=secure_cookies(),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        WTF_CSRF_SSL_STRICT=False,  # Referer checks behind proxies; the session-bound token suffices
    )
    manager = LoginManager()
    manager.init_app(server)
    manager.session_protection = "basic"

    @manager.user_loader
    def _load(user_id: str):
        from dashboard.store import StoreError, get_store

        try:
            u = get_store().user(int(user_id))
        except (StoreError, ValueError):
            return None
        except Exception:  # noqa: BLE001 - the database may be down: read-only anonymous
            LOG.exception("Benutzer konnte nicht geladen werden")
            return None
        return AuthUser(u) if u.active else None

    limiter = Limiter(
        get_remote_address,
        app=server,
        default_limits=[],
        storage_uri=ratelimit_storage(),
        headers_enabled=False,
    )

    def _name_key() -> str:
        return "name:" + str(request.form.get("name", "")).strip().lower()[:64]

    @server.route(LOGIN_PATH, methods=["GET", "POST"])
    @limiter.limit(LOGIN_LIMITS, methods=["POST"])
    @limiter.limit(LOGIN_NAME_LIMITS, methods=["POST"], key_func=_name_key)
    def login():
        form = LoginForm()
        nxt = _safe_next(request.values.get("weiter"), "/verwaltung")
        action = LOGIN_PATH + ("?" + request.query_string.decode("latin-1") if request.query_string else "")
        if current_user.is_authenticated and request.method == "GET":
            return _page(
                M["title_login"],
                message=M["already"].format(name=current_user.name, role=current_user.role),
                back=nxt,
                back_text=M["continue"],
            )
        message, error, status = "", False, 200
        if request.method == "POST":
            if not form.validate_on_submit():
                message, error, status = M["form_invalid"], True, 400
            else:
                from dashboard.store import get_store

                user = get_store().authenticate(form.name.data, form.passwort.data)
                if user is None:
                    LOG.warning(
                        "Anmeldung fehlgeschlagen für %r von %s", form.name.data[:64], get_remote_address()
                    )
                    message, error, status = M["wrong"], True, 401
                else:
                    login_user(AuthUser(user))
                    LOG.info("Angemeldet: %s (%s)", user.name, user.role)
                    return redirect(nxt, code=303)
        return _page(
            M["title_login"],
            status=status,
            message=message,
            error=error,
            form=form,
            action=action,
            name=(request.form.get("name", "") if request.method == "POST" else "")[:64],
            button=M["button_login"],
            hint=M["hint_login"],
        )

    @server.route(LOGOUT_PATH, methods=["GET", "POST"])
    def logout():
        form = LogoutForm()
        if request.method == "POST":
            if not form.validate_on_submit():
                return _page(M["title_logout"], status=400, message=M["form_invalid"], error=True)
            logout_user()
            return _page(M["title_logout"], message=M["logged_out"])
        if not current_user.is_authenticated:
            return _page(M["title_logout"], message=M["not_logged_in"])
        return _page(
            M["title_logout"],
            message=M["logout_question"].format(name=current_user.name),
            form=form,
            action=LOGOUT_PATH,
            button=M["button_logout"],
        )

    @server.errorhandler(RateLimitExceeded)
    def _too_many(_err):
        return _page(M["title_login"], status=429, message=M["too_many"], error=True)

    return limiter


__all__ = ["AuthUser", "LOGIN_PATH", "LOGOUT_PATH", "current_actor", "install_auth", "secret_key"]
