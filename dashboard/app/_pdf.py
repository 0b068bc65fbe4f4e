"""Server-side PDF of the Kurzbericht that can never starve the web workers.

Why this shape
--------------
The first version let headless Chromium load ``/kurzbericht`` from the same gunicorn: every
render held a request thread while Chromium needed further request threads of the same
workers (page shell, bundles, callbacks). Eight simultaneous PDFs deadlocked the site for
minutes (issue 14). Now:

* **No request to the site.** The brief is built in Python (the same components as the page,
  :func:`dashboard.app.pages.kurzbericht.brief`), written as one self-contained HTML file
  (the site's style sheet inline, each chart drawn by the Plotly.js file shipped with the
  ``plotly`` package, read from disk) and printed from ``file://`` by one headless Chromium.
  Chromium never connects to any server.
* **No request thread waits for a render.** A request for a PDF that is not cached yet
  files a ticket and returns at once with HTTP 202 and a German "wird erstellt" page
  (``Retry-After``, reloading itself); the render runs in a background thread, and its
  Chromium runs at the lowest CPU priority (``nice 19``), so page requests keep the cores.
* **One limit for the whole host.** Renders take a slot by ``flock`` on one of
  ``DASHBOARD_PDF_SLOTS`` lock files (default 1) in the cache folder, shared by every
  worker process and every server on the host; tickets wait for a slot in their thread.
  At most ``DASHBOARD_PDF_QUEUE`` (default 24) tickets may wait: beyond that the answer is
  503 "ausgelastet" with ``Retry-After``.
* **Cached per data version and scenario** on disk (shared by the workers): the key is the
  hash of municipality, scenario, data version, public address and this module's
  ``FORMAT_VERSION``. At most ``CACHE_FILES`` PDFs are kept (oldest removed first).

Links in the PDF point at ``DASHBOARD_PUBLIC_URL`` (e.g. ``https://demografie.kreis-dueren.de``)
or, when it is not set, are printed as plain text — never at ``127.0.0.1``.
"""

from __future__ import annotations

import contextlib
import fcntl
import html as html_lib
import json
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from dashboard.settings import int_setting

#: Bump when the brief's printed form changes (old cached PDFs are then not served).
FORMAT_VERSION = 2
#: Seconds one Chromium print may take before it is killed.
RENDER_TIMEOUT = 60
#: Virtual milliseconds Chromium lets the page run (Plotly drawing) before printing.
VIRTUAL_TIME_MS = 5000
#: PDFs kept in the cache folder.
CACHE_FILES = 200
#: Seconds a failed render is reported before the next request tries again.
ERROR_TTL = 60
#: A ticket older than this (or of a dead process) is abandoned and may be filed again.
TICKET_TTL = 15 * 60
#: Seconds the "wird erstellt" answer asks the client to wait before asking again.
RETRY_AFTER = 3
#: Seconds the "ausgelastet" answer asks the client to wait.
RETRY_AFTER_BUSY = 30


def slots() -> int:
    """Simultaneous renders on this host (``DASHBOARD_PDF_SLOTS``, default 1)."""
    return int_setting("DASHBOARD_PDF_SLOTS", 1, 1, 8)


def queue_limit() -> int:
    """Tickets that may wait for a slot (``DASHBOARD_PDF_QUEUE``, default 24)."""
    return int_setting("DASHBOARD_PDF_QUEUE", 24, 1, 1000)


def _pdf_dir() -> Path:
    from dashboard.app._filecache import cache_dir

    d = cache_dir() / "pdf"
    (d / "tickets").mkdir(parents=True, exist_ok=True)
    return d


def cache_key(*parts: object) -> str:
    """Hash of the parts and :data:`FORMAT_VERSION` (24 hex digits)."""
    from dashboard.app._filecache import key_of

    return key_of(FORMAT_VERSION, *parts)


# --------------------------------------------------------------------------- HTML of the brief

_VOID = {"br", "hr", "img", "wbr"}
_ATTR = {
    "className": "class",
    "htmlFor": "for",
    "tabIndex": "tabindex",
    "colSpan": "colspan",
    "rowSpan": "rowspan",
}
_SKIP_PROPS = {"children", "n_clicks", "n_clicks_timestamp", "disable_n_clicks", "key", "loading_state"}


_CAMEL = re.compile(r"(?<!^)([A-Z])")


def _css(style: dict) -> str:
    return "; ".join(_CAMEL.sub(lambda m: "-" + m[1], k).lower() + f": {v}" for k, v in style.items())


@dataclass
class _Ctx:
    public_url: str | None
    figures: list[tuple[str, dict]]


def _href(href: str, ctx: _Ctx) -> str | None:
    """Absolute link on the public address, or None (printed as text)."""
    if href.startswith(("http://", "https://", "mailto:")):
        return href
    if href.startswith("/") and ctx.public_url:
        return ctx.public_url + href
    return None


def to_html(node: object, ctx: _Ctx) -> str:
    """HTML of a Dash component tree (html.*, dcc.Link, dcc.Graph; other controls are dropped)."""
    if node is None:
        return ""
    if isinstance(node, (list, tuple)):
        return "".join(to_html(n, ctx) for n in node)
    if isinstance(node, (str, int, float)):
        return html_lib.escape(str(node))
    ns = getattr(node, "_namespace", "")
    kind = getattr(node, "_type", "")
    props = {
        k: getattr(node, k) for k in getattr(node, "_prop_names", []) if getattr(node, k, None) is not None
    }
    children = props.get("children")
    if ns == "dash_core_components":
        if kind == "Graph":
            fig = props.get("figure")
            fig = fig.to_plotly_json() if hasattr(fig, "to_plotly_json") else dict(fig or {})
            gid = f"fig{len(ctx.figures)}"
            ctx.figures.append((gid, fig))
            return f'<div class="print-graph" id="{gid}"></div>'
        if kind == "Link":
            kind, ns = "A", "dash_html_components"
        else:
            return ""  # dropdowns, stores, markdown tables: not part of the printed brief
    if ns != "dash_html_components":
        return ""
    if kind == "Details":  # data tables behind charts: hidden in print anyway
        return ""
    tag = kind.lower()
    attrs = []
    for name, value in props.items():
        if name in _SKIP_PROPS or name == "id" and not isinstance(value, str):
            continue
        if name == "href":
            target = _href(str(value), ctx)
            if target is None:
                tag = "span"
                continue
            value = target
        if name == "style" and isinstance(value, dict):
            value = _css(value)
        attrs.append(f' {_ATTR.get(name, name)}="{html_lib.escape(str(value), quote=True)}"')
    if tag in _VOID:
        return f"<{tag}{''.join(attrs)}>"
    return f"<{tag}{''.join(attrs)}>{to_html(children, ctx)}</{tag}>"


def _plotly_js() -> Path:
    import plotly

    return Path(plotly.__file__).resolve().parent / "package_data" / "plotly.min.js"


def _style_sheet() -> str:
    assets = Path(__file__).resolve().parent / "assets"
    return (assets / "style.css").read_text(encoding="utf-8")


def brief_document(ags: str, spec, *, public_url: str | None) -> str:
    """The brief of ``ags`` and ``spec`` as one HTML document for printing from ``file://``."""
    from dashboard.app.pages import kurzbericht

    ctx = _Ctx(public_url=public_url, figures=[])
    body = to_html(kurzbericht.brief(ags, spec), ctx)
    calls = "\n".join(
        f"Plotly.newPlot({json.dumps(gid)}, {_fig_json(fig)}.data, {_fig_json(fig)}.layout, "
        "{staticPlot: true, displayModeBar: false});"
        for gid, fig in ctx.figures
    )
    return f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>Kurzbericht</title>
<style>{_style_sheet()}</style>
<script src="{_plotly_js().as_uri()}"></script>
</head><body class="print-document"><main><article class="brief" id="kb-article">{body}</article></main>
<script>
{calls}
</script></body></html>"""


def _fig_json(fig: dict) -> str:
    import plotly.io

    return plotly.io.to_json(fig, validate=False)


# --------------------------------------------------------------------------- printing


def print_pdf(document: str, chromium: str, timeout: float = RENDER_TIMEOUT) -> bytes:
    """Print an HTML document to PDF with headless Chromium (raises TimeoutError, RuntimeError).

    Chromium runs at the lowest CPU priority in its own process group (killed as a whole on
    timeout), from ``file://`` without any network access.
    """
    from dashboard.settings import HEADLESS_CHROMIUM_ARGS

    with tempfile.TemporaryDirectory(prefix="kurzbericht_") as tmp:
        src = Path(tmp) / "brief.html"
        src.write_text(document, encoding="utf-8")
        out = Path(tmp) / "brief.pdf"
        cmd = [
            chromium,
            *HEADLESS_CHROMIUM_ARGS,
            "--no-pdf-header-footer",
            "--run-all-compositor-stages-before-draw",
            f"--virtual-time-budget={VIRTUAL_TIME_MS}",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--proxy-server=127.0.0.1:9",  # nothing may be fetched from a network
            "--proxy-bypass-list=<-loopback>",
            f"--print-to-pdf={out}",
            src.as_uri(),
        ]
        proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env={**os.environ, "HOME": tmp},
            preexec_fn=lambda: os.nice(19),  # noqa: PLW1509 (only sets the priority)
        )
        try:
            _, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            raise TimeoutError(str(src)) from None
        data = out.read_bytes() if out.exists() else b""
        if proc.returncode != 0 or not data.startswith(b"%PDF"):
            raise RuntimeError(f"chromium exit {proc.returncode}: {err.decode(errors='replace')[-500:]}")
        return data


# --------------------------------------------------------------------------- host-wide slots, tickets


@contextlib.contextmanager
def render_slot(stop: threading.Event | None = None, poll: float = 0.2) -> Iterator[int]:
    """Hold one of the host's render slots (``flock``; released when the process dies)."""
    d = _pdf_dir()
    n = slots()
    while True:
        for i in range(n):
            fh = open(d / f"slot-{i}.lock", "a+b")  # noqa: SIM115 (closed below)
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                fh.close()
                continue
            try:
                yield i
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)
                fh.close()
            return
        if stop is not None and stop.is_set():
            raise TimeoutError("no render slot")
        time.sleep(poll)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _ticket_live(path: Path) -> bool:
    try:
        pid = int(path.read_text().strip() or 0)
        age = time.time() - path.stat().st_mtime
    except (OSError, ValueError):
        return False
    return pid > 0 and _alive(pid) and age < TICKET_TTL


def _live_tickets() -> list[Path]:
    out = []
    for t in (_pdf_dir() / "tickets").glob("*.ticket"):
        if _ticket_live(t):
            out.append(t)
        else:
            with contextlib.suppress(OSError):
                t.unlink()
    return out


@dataclass(frozen=True)
class Status:
    """Outcome of :func:`request_pdf`: ``state`` is ``ready`` (``data`` holds the PDF),
    ``pending`` (a render is queued or running), ``busy`` (queue full) or ``failed``."""

    state: str
    data: bytes | None = None
    message: str | None = None


_submit_lock = threading.Lock()


def request_pdf(key: str, make_document, chromium: str) -> Status:
    """Serve the cached PDF of ``key`` or file a render of ``make_document()`` in the background.

    Never blocks on a render: the request thread returns at once.
    """
    d = _pdf_dir()
    pdf = d / f"{key}.pdf"
    if pdf.exists():
        with contextlib.suppress(OSError):
            return Status("ready", pdf.read_bytes())
    err = d / f"{key}.err"
    if err.exists():
        with contextlib.suppress(OSError):
            if time.time() - err.stat().st_mtime < ERROR_TTL:
                return Status("failed", message=err.read_text(encoding="utf-8"))
            err.unlink()
    ticket = d / "tickets" / f"{key}.ticket"
    with _submit_lock:
        if _ticket_live(ticket):
            return Status("pending")
        if len(_live_tickets()) >= queue_limit():
            return Status("busy")
        try:
            fd = os.open(ticket, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return Status("pending")  # another worker filed it just now
        with os.fdopen(fd, "w") as fh:
            fh.write(str(os.getpid()))
    threading.Thread(
        target=_render_job, args=(key, make_document, chromium, ticket), name=f"pdf-{key[:8]}", daemon=True
    ).start()
    return Status("pending")


def _render_job(key: str, make_document, chromium: str, ticket: Path) -> None:
    import logging

    d = _pdf_dir()
    try:
        with render_slot():
            document = make_document()
            data = print_pdf(document, chromium)
        from dashboard.app._filecache import prune, write_atomic

        write_atomic(d / f"{key}.pdf", data)
        prune(d, "*.pdf", CACHE_FILES)
    except Exception as exc:  # noqa: BLE001 - reported to the next request, logged here
        logging.getLogger("dashboard.app").warning("Kurzbericht-PDF fehlgeschlagen: %s", exc)
        kind = "timeout" if isinstance(exc, TimeoutError) else "failed"
        with contextlib.suppress(OSError):
            (d / f"{key}.err").write_text(kind, encoding="utf-8")
    finally:
        with contextlib.suppress(OSError):
            ticket.unlink()
