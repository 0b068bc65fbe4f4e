"""PDF renders cannot starve the site (issue 14): a burst of 16 PDF requests while another
visitor uses pages and downloads.

The renderer is replaced by one that blocks until the test releases it, so the test sees the
worst case deterministically: every render slot taken and the queue full. Requests must still
be answered at once — PDFs with the German "wird erstellt" (202) or "ausgelastet" (503) page
and ``Retry-After``, everything else normally — and at most ``DASHBOARD_PDF_SLOTS`` renders
may run at the same time, across threads and processes (``flock``). Speed under a real
Chromium burst is measured by ``benchmarks/pdf_burst.py``.
"""

from __future__ import annotations

import concurrent.futures
import fcntl
import threading
import time
import urllib.error
import urllib.request

import pytest

from dashboard.app import _downloads, _pdf

AGS = [f"05358{n:03d}" for n in (4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60)]


def _get(url: str, timeout: float = 30) -> tuple[int, dict, bytes, float]:
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read(), time.perf_counter() - t
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read(), time.perf_counter() - t


class BlockingRenderer:
    """Stands in for Chromium: counts concurrent renders and waits for ``release``."""

    def __init__(self):
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.running = self.peak = self.done = 0

    def __call__(self, document: str, chromium: str, timeout: float = 60) -> bytes:
        with self.lock:
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            assert self.release.wait(60)
            time.sleep(0.05)
            return b"%PDF-1.4 fake " + document.encode()
        finally:
            with self.lock:
                self.running -= 1
                self.done += 1


@pytest.fixture
def blocking_pdf(monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("DASHBOARD_PDF_SLOTS", "1")
    monkeypatch.setenv("DASHBOARD_PDF_QUEUE", "10")
    renderer = BlockingRenderer()
    monkeypatch.setattr(_pdf, "print_pdf", renderer)
    monkeypatch.setattr(_pdf, "brief_document", lambda ags, spec, public_url: f"brief {ags} {spec.key}")
    monkeypatch.setattr(_downloads, "find_chromium", lambda: "/usr/bin/chromium")
    yield renderer
    renderer.release.set()


def test_pdf_burst_never_blocks_pages_and_downloads(live_server, blocking_pdf):
    urls = [
        f"{live_server}/download/kurzbericht.pdf?ags={AGS[i % 15]}&szenario="
        + ("basis" if i < 15 else "zuwanderung_hoch")
        for i in range(16)
    ]
    other = ["/", "/gemeinde", "/download/verlauf.csv", "/download/kennzahlen.csv", "/_dash-layout"] * 3
    with concurrent.futures.ThreadPoolExecutor(24) as pool:
        pdf_futures = [pool.submit(_get, u) for u in urls]
        other_futures = [pool.submit(_get, live_server + p) for p in other]
        pdfs = [f.result() for f in pdf_futures]
        others = [f.result() for f in other_futures]
    # Every visitor request succeeded while all renders were blocked.
    assert [s for s, *_ in others] == [200] * len(others)
    # Every PDF request was answered at once: queued ("wird erstellt") or refused for now
    # ("ausgelastet"), always German and with Retry-After, never a waiting request thread.
    states = sorted(s for s, *_ in pdfs)
    assert states == [202] * 10 + [503] * 6, states
    for status, headers, body, _ in pdfs:
        text = body.decode("utf-8")
        assert int(headers["Retry-After"]) > 0
        assert headers["Content-Type"].startswith("text/html")
        assert ("wird erstellt" in text) if status == 202 else ("ausgelastet" in text)
        assert 'http-equiv="refresh"' in text
    # One render at a time however many are queued.
    assert blocking_pdf.peak <= 1
    blocking_pdf.release.set()
    # A client that asks again as told gets its PDF (the refused ones are filed on retry).
    deadline = time.monotonic() + 60
    pending = set(urls)
    while pending and time.monotonic() < deadline:
        for u in sorted(pending):
            status, headers, body, _ = _get(u)
            if status == 200:
                assert headers["Content-Type"] == "application/pdf"
                assert body.startswith(b"%PDF")
                pending.discard(u)
        time.sleep(0.2)
    assert not pending, f"{len(pending)} PDFs never arrived"
    assert blocking_pdf.peak == 1
    assert blocking_pdf.done == 16  # each rendered once


def test_render_slots_are_shared_across_processes(tmp_path, monkeypatch):
    """A slot held by another process (flock on the same file) makes a render wait."""
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path))
    monkeypatch.setenv("DASHBOARD_PDF_SLOTS", "1")
    import multiprocessing

    ctx = multiprocessing.get_context("spawn")
    started, stop = ctx.Event(), ctx.Event()
    proc = ctx.Process(target=_hold_slot, args=(str(tmp_path / "pdf" / "slot-0.lock"), started, stop))
    (tmp_path / "pdf").mkdir(parents=True)
    proc.start()
    try:
        assert started.wait(60)
        give_up = threading.Event()
        give_up.set()
        with pytest.raises(TimeoutError):
            with _pdf.render_slot(stop=give_up):
                pass
        stop.set()
        proc.join(30)
        with _pdf.render_slot(stop=give_up) as slot:
            assert slot == 0
    finally:
        stop.set()
        proc.join(30)


def _hold_slot(path: str, started, stop) -> None:
    with open(path, "a+b") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        started.set()
        stop.wait(60)


def test_failed_render_is_reported_in_german_and_retried(live_server, monkeypatch, tmp_path):
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(_downloads, "find_chromium", lambda: "/usr/bin/chromium")
    monkeypatch.setattr(_pdf, "brief_document", lambda ags, spec, public_url: "x")

    def broken(document, chromium, timeout=60):
        raise RuntimeError("chromium exit 1")

    monkeypatch.setattr(_pdf, "print_pdf", broken)
    url = live_server + "/download/kurzbericht.pdf?ags=05358008&szenario=basis"
    status, *_ = _get(url)
    assert status == 202
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, headers, body, _ = _get(url)
        if status != 202:
            break
        time.sleep(0.1)
    assert status == 502
    assert "konnte nicht als PDF erzeugt werden" in body.decode("utf-8")
