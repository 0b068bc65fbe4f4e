"""HTTP hardening of the Flask server behind the Dash app.

:func:`install_security` adds, to every response,

``Content-Security-Policy``
    ``default-src 'self'``; scripts only from the app's own origin plus the SHA-256 hashes of
    Dash's inline scripts (the renderer bootstrap and any clientside callbacks, from
    :meth:`dash.Dash.csp_hashes`, computed at the first request after every page module has
    registered its callbacks). No ``'unsafe-eval'``: the Plotly.js bundle that Dash serves
    draws SVG/HTML traces without ``eval``/``new Function`` (only WebGL traces would need it,
    and the dashboard uses none). ``style-src`` needs ``'unsafe-inline'`` because Plotly.js
    inserts ``<style>`` elements and React writes ``style`` attributes at run time; style
    injection cannot run code. Images may be ``data:``/``blob:`` URLs (Plotly's
    "download as PNG" and the mode bar's icons). ``frame-ancestors`` comes from
    ``DASHBOARD_FRAME_ANCESTORS`` (default ``'none'``: no embedding at all).
``X-Content-Type-Options: nosniff``, ``Referrer-Policy: same-origin``,
``X-Frame-Options`` (``DENY``/``SAMEORIGIN`` for the two simple frame policies; omitted when
specific origins may embed, since only CSP can express that), ``Permissions-Policy`` (no
camera, microphone, geolocation, …), ``Cross-Origin-Opener-Policy: same-origin`` and, over
HTTPS, ``Strict-Transport-Security``.

It also caps the size of a request body (:data:`dashboard.settings.MAX_REQUEST_BYTES`: the
upload limit ``DASHBOARD_UPLOAD_MAX_MB`` in base64 plus the callback's JSON envelope, so a file
the upload box accepts is never refused) and installs error handlers that never send a
traceback to the browser: the exception is logged on the server and the browser receives a
short German message. Dash's own handlers (``PreventUpdate`` → 204, unknown component
resource → 404) stay in force because Flask picks the most specific registered handler.
In Dash debug mode (``DASHBOARD_DEBUG=1``, development only) Dash's dev tools may replace the
handler and show tracebacks; that mode is never on unless explicitly enabled.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import TYPE_CHECKING

from werkzeug.exceptions import HTTPException

from dashboard.settings import MAX_REQUEST_BYTES, SETTINGS, UPLOAD_MAX_BYTES
from dashboard.text import fmt_num

if TYPE_CHECKING:  # pragma: no cover
    import flask
    from dash import Dash

LOG = logging.getLogger("dashboard.app")

#: German texts for the error responses (no technical detail, nothing from the exception).
ERROR_MESSAGES: dict[int, str] = {
    400: "Die Anfrage ist ungültig und wurde abgelehnt.",
    404: "Diese Seite gibt es nicht.",
    405: "Diese Anfrage ist hier nicht erlaubt.",
    413: "Die Anfrage ist zu groß. Dateien dürfen höchstens {upload} MB groß sein.",
    500: "Es ist ein interner Fehler aufgetreten. Bitte versuchen Sie es später erneut; "
    "der Fehler wurde protokolliert.",
}
GENERIC_ERROR = "Die Anfrage konnte nicht bearbeitet werden."

_SOURCE = re.compile(
    r"^(?:'none'|'self'|\*|"
    r"(?:https?://)?(?:\*\.)?[A-Za-z0-9.-]+(?::(?:\d{1,5}|\*))?|"
    r"https?:)$"
)


def frame_ancestors_policy(value: str) -> str:
    """Validate ``DASHBOARD_FRAME_ANCESTORS`` and return the CSP source list.

    Parameters
    ----------
    value : str
        Space-separated CSP sources, e.g. ``'none'``, ``'self'`` or
        ``'self' https://www.kreis-dueren.de``.

    Raises
    ------
    ValueError
        If a token is not a plain CSP host source (this also rules out header injection
        through ``;``, ``,`` or line breaks). Failing at start-up is safer than serving a
        header the browser would ignore.
    """
    tokens = value.split()
    if not tokens:
        raise ValueError("DASHBOARD_FRAME_ANCESTORS ist leer; erlaubt ist z. B. 'none' oder 'self'.")
    bad = [t for t in tokens if not _SOURCE.match(t)]
    if bad:
        raise ValueError(f"DASHBOARD_FRAME_ANCESTORS enthält ungültige Quellen: {bad!r}")
    if "'none'" in tokens and len(tokens) > 1:
        raise ValueError("DASHBOARD_FRAME_ANCESTORS: 'none' darf nicht mit anderen Quellen stehen.")
    return " ".join(tokens)


def build_csp(script_hashes: list[str], frame_ancestors: str) -> str:
    """Assemble the Content-Security-Policy header value.

    Parameters
    ----------
    script_hashes : list of str
        CSP hash sources (``'sha256-…'``) of the inline scripts that may run.
    frame_ancestors : str
        Validated source list for ``frame-ancestors``.
    """
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": [frame_ancestors],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def install_security(
    server: flask.Flask,
    *,
    dash_app: Dash,
    frame_ancestors: str | None = None,
    max_request_mb: float | None = None,
) -> None:
    """Add security headers, a request size cap and traceback-free error pages.

    Parameters
    ----------
    server : flask.Flask
        The WSGI app (``dash_app.server``).
    dash_app : dash.Dash
        The Dash app whose inline-script hashes go into the CSP.
    frame_ancestors : str, optional
        CSP sources allowed to embed the app; default from ``DASHBOARD_FRAME_ANCESTORS``.
    max_request_mb : float, optional
        Largest accepted request body in MB; default :data:`dashboard.settings.MAX_REQUEST_BYTES`.
    """
    ancestors = frame_ancestors_policy(
        frame_ancestors if frame_ancestors is not None else SETTINGS.frame_ancestors
    )
    if max_request_mb is not None:
        server.config["MAX_CONTENT_LENGTH"] = int(max_request_mb * 1024 * 1024)
    else:
        server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    limit_mb = server.config["MAX_CONTENT_LENGTH"] / (1024 * 1024)
    server.config["PROPAGATE_EXCEPTIONS"] = False
    x_frame = {"'none'": "DENY", "'self'": "SAMEORIGIN"}.get(ancestors)

    state: dict[str, str] = {}
    lock = threading.Lock()

    def _csp() -> str:
        # Computed once, at the first response: by then every page module has registered
        # its (clientside) callbacks, whose inline scripts need hashes too.
        if "csp" not in state:
            with lock:
                if "csp" not in state:
                    state["csp"] = build_csp(list(dash_app.csp_hashes()), ancestors)
        return state["csp"]

    @server.after_request
    def _security_headers(response: flask.Response) -> flask.Response:
        from flask import request

        headers = response.headers
        headers["Content-Security-Policy"] = _csp()
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = (
            "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
        )
        if x_frame:
            headers["X-Frame-Options"] = x_frame
        if request.is_secure:
            headers["Strict-Transport-Security"] = "max-age=31536000"
        return response

    def _message(code: int) -> str:
        text = ERROR_MESSAGES.get(code, GENERIC_ERROR)
        return text.format(limit=fmt_num(limit_mb, 2), upload=fmt_num(UPLOAD_MAX_BYTES / 2**20, 2))

    def _respond(code: int):
        from flask import Response

        return Response(
            _message(code), status=code, mimetype="text/plain", headers={"Cache-Control": "no-store"}
        )

    @server.errorhandler(HTTPException)
    def _http_error(err: HTTPException):
        if err.code is None or err.code < 400:
            return err
        return _respond(err.code)

    from dash.exceptions import DependencyException

    @server.errorhandler(DependencyException)
    def _unknown_component_file(_err):
        # /_dash-component-suites/<package>/<path> of a file Dash does not serve: not found,
        # not an internal error
        return _respond(404)

    @server.errorhandler(Exception)
    def _internal_error(err: Exception):
        from flask import request

        LOG.exception("Unbehandelter Fehler bei %s %s", request.method, request.path)
        return _respond(500)
