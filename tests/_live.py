"""Test helpers: the one live server (``serve``, used by conftest's ``live_server`` fixture —
tests take that fixture) and ``wait_until`` for browser pages under the app's CSP.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

from werkzeug.serving import make_server


@contextlib.contextmanager
def serve(wsgi_app) -> Iterator[str]:
    """Serve ``wsgi_app`` on 127.0.0.1 and a free port; yield the base URL."""
    server = make_server("127.0.0.1", 0, wsgi_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def wait_until(page, expression: str, timeout: float = 30.0) -> None:
    """Poll a JavaScript expression from Python until it is truthy.

    ``page.wait_for_function`` compiles its predicate with ``eval`` inside the page, which
    the app's Content-Security-Policy (no 'unsafe-eval') rightly forbids; ``page.evaluate``
    runs through the DevTools protocol instead and is not affected.
    """
    deadline = time.monotonic() + timeout
    while not page.evaluate(f"() => Boolean({expression})"):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {expression}")
        page.wait_for_timeout(50)


def type_into_dropdown(page, text: str) -> None:
    """Type into the focused dropdown one key at a time, each seen by its search field before the
    next (a key pressed while the list is still opening would be lost on a busy machine)."""
    typed = ""
    for ch in text:
        page.keyboard.press("Space" if ch == " " else ch)
        typed += ch
        wait_until(
            page,
            f"(document.querySelector('input.dash-dropdown-search') || {{}}).value === {typed!r}",
            timeout=30,
        )
