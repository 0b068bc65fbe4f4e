"""Load test: gunicorn with the Procfile command, ≥50 simulated users, latency and memory.

One command::

    python benchmarks/load_test.py                        # 50 users, 180 s
    python benchmarks/load_test.py --users 50 --duration 20   # a short check

What it does
------------
1. Starts the ``web:`` command of ``Procfile`` verbatim (``gunicorn dashboard.app:server``,
   which reads ``gunicorn.conf.py``) with ``GUNICORN_BIND=127.0.0.1:<free port>`` and
   ``GUNICORN_MAX_REQUESTS=0``: workers are not recycled during the run, so the memory figure
   shows real growth instead of being reset by restarts. The server is only ever reached on
   127.0.0.1 and is stopped (by its own process id) at the end.
2. Records real callback payloads: a headless Debian chromium (Playwright) opens every page
   of the Dash page registry, then moves each slider with the keyboard and toggles each
   radio/checkbox option once, and every ``POST /_dash-update-component`` body the browser
   sends is kept (page-load callbacks and interaction callbacks, per page).
3. Warms up (each recorded request once), samples the server's memory, then runs ``--users``
   threads for ``--duration`` seconds. Each simulated user repeatedly opens a page the way a
   browser does (GET of the page, ``/_dash-layout``, ``/_dash-dependencies``; the static
   bundles on its first visit only, as a browser caches them), replays that page's load
   callbacks, then 1–4 interaction callbacks, with a think time between actions (uniform in
   0.5–1.5 × ``--think`` seconds; real users read before they click).
4. Reports p50/p95/p99 latency for page requests (GET) and callbacks (POST) separately,
   the slowest callbacks, the error count (any status other than 200/204, any exception or
   timeout) and the resident memory of the gunicorn master plus its workers (sum of RSS and
   of PSS from ``/proc``) after start, after warm-up and at the end, with growth in %.

Bounds: at most ``--max-requests`` requests in total and at most 15 minutes; the target is
fixed to 127.0.0.1. Exit status 1 if the targets (no errors, callback p95 < 300 ms, memory
growth after warm-up < 10 %) are missed, so the script can gate a release.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_DURATION = 900.0
sys.path.insert(0, str(REPO))  # this checkout's dashboard package
from _server import HOST, free_port, procfile_command, start_server, stop_server  # noqa: E402

from dashboard.settings import HEADLESS_CHROMIUM_ARGS  # noqa: E402

CHROMIUM_ARGS = list(HEADLESS_CHROMIUM_ARGS)


# --------------------------------------------------------------------------- server


def _children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        out += [int(x) for x in task.read_text().split()]
    return out


def memory(pid: int) -> dict[str, float]:
    """RSS and PSS (MiB) summed over the gunicorn master and its workers, and worker count."""
    pids = [pid, *_children(pid)]
    rss = pss = 0
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    rss += int(line.split()[1])
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return {"rss": rss / 1024, "pss": pss / 1024, "processes": len(pids)}


# --------------------------------------------------------------------------- recording


@dataclass
class PageScript:
    path: str
    load_calls: list[tuple[str, bytes]] = field(default_factory=list)  # (path, body)
    interactions: list[tuple[str, bytes]] = field(default_factory=list)


def record(base: str, paths: list[str]) -> list[PageScript]:
    """Capture every callback request a real browser sends per page (load, then interaction)."""
    from playwright.sync_api import sync_playwright

    scripts = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        context = browser.new_context()
        for path in paths:
            script = PageScript(path)
            bucket = script.load_calls
            page = context.new_page()
            page.on(
                "request",
                lambda r: (
                    r.method == "POST"
                    and "/_dash-update-component" in r.url
                    and bucket.append((_path(r.url), r.post_data_buffer))  # noqa: B023
                ),
            )
            page.goto(base + path, wait_until="load", timeout=60_000)
            _settle(page)
            bucket = script.interactions
            for slider in page.query_selector_all("[role=slider]")[:12]:
                for key in ("ArrowRight", "ArrowRight", "ArrowLeft"):
                    slider.focus()
                    page.keyboard.press(key)
                    _settle(page, wait_s=10)
            for box in page.query_selector_all("input[type=radio]:not(:checked), input[type=checkbox]")[:8]:
                if box.is_visible():
                    box.click()
                    _settle(page, wait_s=10)
            page.close()
            scripts.append(script)
        browser.close()
    return scripts


def _path(url: str) -> str:
    """Path and query of a recorded URL (Dash 4 adds ``?endId=…`` to callback requests)."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _settle(page, wait_s: float = 30) -> None:
    # Locator expectations, not page-evaluated predicates: the strict CSP forbids eval.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect

    page.wait_for_timeout(300)
    try:
        page.wait_for_load_state("networkidle", timeout=15_000)
        expect(page.locator('[data-dash-is-loading="true"]')).to_have_count(0, timeout=wait_s * 1000)
    except (AssertionError, PlaywrightTimeout):
        print(
            f"  Hinweis: {page.url} lädt nach {wait_s:.0f} s noch (weiter mit den bis dahin "
            "gesendeten Callbacks)"
        )


# --------------------------------------------------------------------------- load


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    by_output: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    requests: int = 0

    def add(self, kind: str, seconds: float, label: str | None = None) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            if label:
                self.by_output[label].append(seconds)


class Budget:
    """Shared cap on the number of requests."""

    def __init__(self, limit: int):
        self.left = limit
        self.lock = threading.Lock()

    def take(self) -> bool:
        with self.lock:
            if self.left <= 0:
                return False
            self.left -= 1
            return True


class User(threading.Thread):
    def __init__(
        self,
        n: int,
        port: int,
        scripts: list[PageScript],
        assets: list[str],
        stats: Stats,
        budget: Budget,
        stop_at: float,
        think: float,
    ):
        super().__init__(daemon=True, name=f"user-{n}")
        self.rng = random.Random(n)
        self.port, self.scripts, self.assets = port, scripts, assets
        self.stats, self.budget, self.stop_at, self.think = stats, budget, stop_at, think
        self.conn: http.client.HTTPConnection | None = None

    def _request(
        self, method: str, path: str, body: bytes | None = None, label: str | None = None, referer: str = ""
    ) -> bool:
        if time.monotonic() >= self.stop_at or not self.budget.take():
            return False
        kind = (
            "callback"
            if method == "POST"
            else ("static" if "component-suites" in path or path.startswith("/assets") else "page")
        )
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if referer:  # a browser names the page that asks (the app pre-renders that page into the layout)
            headers["Referer"] = f"http://{HOST}:{self.port}{referer}"
        start = time.perf_counter()
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            self.conn.request(method, path, body=body, headers=headers)
            resp = self.conn.getresponse()
            resp.read()
            elapsed = time.perf_counter() - start
            if resp.status not in (200, 204):
                with self.stats.lock:
                    self.stats.errors.append(f"{method} {path} {label or ''}: HTTP {resp.status}")
            self.stats.add(kind, elapsed, label)
        except (OSError, http.client.HTTPException) as err:
            with self.stats.lock:
                self.stats.errors.append(f"{method} {path} {label or ''}: {type(err).__name__} {err}")
            if self.conn is not None:
                self.conn.close()
            self.conn = None
        with self.stats.lock:
            self.stats.requests += 1
        return True

    def _pause(self) -> None:
        time.sleep(self.think * self.rng.uniform(0.5, 1.5))

    def run(self) -> None:
        time.sleep(self.rng.uniform(0, self.think * 2))  # users do not arrive all at once
        first = True
        while time.monotonic() < self.stop_at:
            script = self.rng.choice(self.scripts)
            for path in (script.path, "/_dash-layout", "/_dash-dependencies"):
                if not self._request("GET", path, referer=script.path):
                    return
            if first:
                for asset in self.assets:
                    if not self._request("GET", asset):
                        return
                first = False
            for path, body in script.load_calls:
                if not self._request("POST", path, body, _label(body)):
                    return
            self._pause()
            for path, body in self.rng.sample(
                script.interactions, min(len(script.interactions), self.rng.randint(1, 4))
            ):
                if not self._request("POST", path, body, _label(body)):
                    return
                self._pause()


def _label(body: bytes) -> str:
    try:
        return str(json.loads(body).get("output", "?"))[:70]
    except (ValueError, AttributeError):
        return "?"


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0] * 1000
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def warm_up(port: int, scripts: list[PageScript], stats: Stats) -> None:
    budget = Budget(10_000)
    user = User(-1, port, scripts, [], stats, budget, time.monotonic() + 300, 0)
    for script in scripts:
        user._request("GET", script.path)
        for path, body in script.load_calls + script.interactions:
            user._request("POST", path, body, _label(body))


def page_assets(port: int, path: str) -> list[str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", path)
    html = conn.getresponse().read().decode("utf-8", "replace")
    conn.close()
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/[^"]+)"', html)


def page_paths(repo: Path = REPO) -> list[str]:
    code = (
        "import json, dash, dashboard.app; print(json.dumps(sorted({p['relative_path'] "
        "for p in dash.page_registry.values() if not p['module'].endswith('not_found_404')}) or ['/']))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, capture_output=True, text=True, check=True, timeout=300
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Lasttest gegen gunicorn auf 127.0.0.1")
    parser.add_argument("--users", type=int, default=50, help="simulated users (default 50)")
    parser.add_argument("--duration", type=float, default=180.0, help="seconds of load (default 180)")
    parser.add_argument(
        "--think", type=float, default=1.0, help="mean think time between a user's actions in s (default 1.0)"
    )
    parser.add_argument("--max-requests", type=int, default=200_000, help="request cap")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 500):
        parser.error("--users muss zwischen 1 und 500 liegen")
    duration = min(args.duration, MAX_DURATION)

    port = free_port()
    log_path = Path(os.environ.get("TMPDIR", "/tmp")) / f"load_test_gunicorn_{port}.log"
    paths = page_paths()
    t0 = time.monotonic()
    proc = start_server(port, log_path)
    print(
        f"gunicorn (Procfile: {' '.join(procfile_command())}) auf {HOST}:{port} gestartet "
        f"in {time.monotonic() - t0:.1f} s, Log: {log_path}"
    )
    try:
        expected = int(os.environ.get("WEB_CONCURRENCY") or os.environ.get("GUNICORN_WORKERS") or 2)
        deadline = time.monotonic() + 120
        while len(_children(proc.pid)) < expected and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)
        mem_start = memory(proc.pid)
        scripts = record(f"http://{HOST}:{port}", paths)
        n_load = sum(len(s.load_calls) for s in scripts)
        n_int = sum(len(s.interactions) for s in scripts)
        print(
            f"{len(scripts)} Seiten, {n_load} Lade-Callbacks und {n_int} Interaktions-Callbacks "
            f"im Browser aufgezeichnet"
        )
        assets = sorted({a for s in scripts for a in page_assets(port, s.path)})
        warm_stats = Stats()
        warm_up(port, scripts, warm_stats)
        mem_warm = memory(proc.pid)
        stats = Stats()
        budget = Budget(args.max_requests)
        stop_at = time.monotonic() + duration
        users = [
            User(i, port, scripts, assets, stats, budget, stop_at, args.think) for i in range(args.users)
        ]
        started = time.monotonic()
        for u in users:
            u.start()
        peak = dict(mem_warm)
        while any(u.is_alive() for u in users):
            time.sleep(2)
            now = memory(proc.pid)
            peak = max(peak, now, key=lambda m: m["rss"])
            if time.monotonic() > stop_at + 120:
                break
        elapsed = time.monotonic() - started
        mem_end = memory(proc.pid)
        alive = proc.poll() is None
    finally:
        stop_server(proc)

    growth_warm = 100 * (mem_end["rss"] / mem_warm["rss"] - 1)
    growth_start = 100 * (mem_end["rss"] / mem_start["rss"] - 1)
    figures = {
        "users": args.users,
        "duration_s": round(elapsed, 1),
        "requests": stats.requests,
        "throughput_rps": round(stats.requests / elapsed, 1),
        "errors": len(stats.errors),
        "latency_ms": {
            kind: {
                "n": len(v),
                "p50": round(pct(v, 50), 1),
                "p95": round(pct(v, 95), 1),
                "p99": round(pct(v, 99), 1),
                "max": round(max(v) * 1000, 1),
            }
            for kind, v in sorted(stats.latency.items())
        },
        "memory_mib": {
            "start": mem_start,
            "after_warm_up": mem_warm,
            "peak": peak,
            "end": mem_end,
            "growth_after_warm_up_pct": round(growth_warm, 1),
            "growth_from_start_pct": round(growth_start, 1),
        },
        "server_alive_at_end": alive,
    }
    print()
    print(
        f"{args.users} Nutzer, {elapsed:.0f} s, {stats.requests} Anfragen "
        f"({figures['throughput_rps']}/s), Fehler: {len(stats.errors)}"
    )
    print(f"{'Art':<10}{'n':>8}{'p50 ms':>10}{'p95 ms':>10}{'p99 ms':>10}{'max ms':>10}")
    for kind, row in figures["latency_ms"].items():
        print(f"{kind:<10}{row['n']:>8}{row['p50']:>10}{row['p95']:>10}{row['p99']:>10}{row['max']:>10}")
    print("langsamste Callbacks (p95):")
    slow = sorted(stats.by_output.items(), key=lambda kv: -pct(kv[1], 95))[:5]
    for label, values in slow:
        print(f"  {pct(values, 95):8.1f} ms  n={len(values):<6} {label}")
    for name, m in (
        ("nach Start", mem_start),
        ("nach Aufwärmen", mem_warm),
        ("Spitze", peak),
        ("am Ende", mem_end),
    ):
        print(
            f"Speicher {name:<15} RSS {m['rss']:8.1f} MiB  PSS {m['pss']:8.1f} MiB  "
            f"({m['processes']} Prozesse)"
        )
    print(f"Wachstum RSS: {growth_warm:+.1f} % seit dem Aufwärmen, {growth_start:+.1f} % seit dem Start")
    for err in stats.errors[:10]:
        print("  Fehler:", err)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False), encoding="utf-8")
    cb = figures["latency_ms"].get("callback", {}).get("p95", float("nan"))
    ok = not stats.errors and alive and cb < 300 and growth_warm < 10
    print(
        "Ziele (0 Fehler, Callback-p95 < 300 ms, Speicherwachstum < 10 %):", "erreicht" if ok else "VERFEHLT"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
