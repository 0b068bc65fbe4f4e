"""PDF burst: many simultaneous brief PDFs while another visitor uses the site.

One command::

    python benchmarks/pdf_burst.py --pdfs 16            # this checkout
    python benchmarks/pdf_burst.py --pdfs 8 --repo /work/wt/baseline   # another checkout

What it does
------------
1. Starts the ``web:`` command of the checkout's ``Procfile`` (gunicorn with its
   ``gunicorn.conf.py``) on 127.0.0.1 and a free port, waits until ``/`` answers and every
   page was opened once.
2. Starts one "other visitor" who, one request after the other, opens pages (the page
   shell, ``/_dash-layout`` and the page router callback that draws the page) and downloads
   CSV files — the things a colleague does while a council office prints briefs.
3. Fires ``--pdfs`` requests for ``/download/kurzbericht.pdf`` at the same moment, each for a
   different municipality/scenario (so no cache can answer). A client that receives the
   German "wird erstellt" answer (HTTP 202 or 503 with ``Retry-After``) waits as told and
   asks again, as the answer page does — so the figure is the time until the PDF is in hand.
4. Reports per PDF the status and seconds, for the other visitor p50/p95/max latency and
   failures (any status other than 200/204 or no answer within ``--timeout`` s), the most
   Chromium processes running at once under the server, and the machine load.

Exit status 1 unless every PDF arrived, the other visitor saw no failure and its p95 is
below 1 s (issue 14's target).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path

from _server import HOST, free_port, start_server, stop_server

AGS = [f"05358{n:03d}" for n in (4, 8, 12, 16, 20, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60)]
SCENARIOS = ["basis", "zuwanderung_niedrig", "zuwanderung_hoch", "geburten_niedrig", "geburten_hoch"]
PAGES = ["/", "/gemeinde", "/szenarien", "/kurzbericht", "/methodik"]
CSVS = ["/download/verlauf.csv", "/download/bevoelkerung.csv", "/download/kennzahlen.csv"]


def request(port: int, method: str, path: str, body: bytes | None = None, timeout: float = 30.0):
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        return resp.status, dict(resp.getheaders()), data
    finally:
        conn.close()


def descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                kids = [int(x) for x in task.read_text().split()]
            except OSError:
                continue
            out += kids
            todo += kids
    return out


def chromium_count(pid: int) -> int:
    n = 0
    for p in descendants(pid):
        try:
            if "chrom" in Path(f"/proc/{p}/comm").read_text():
                n += 1
        except OSError:
            pass
    return n


def router_body(port: int, path: str) -> bytes:
    """The page router callback as the browser sends it (output key from /_dash-dependencies)."""
    deps = json.loads(request(port, "GET", "/_dash-dependencies")[2])
    dep = next(d for d in deps if "_pages_content.children" in d["output"])
    values = {"pathname": path, "search": "", "hash": ""}
    outputs = [
        {"id": part.split(".")[0], "property": part.split(".")[1]}
        for part in dep["output"].strip(".").split("...")
    ]
    body = {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": [{**i, "value": values.get(i["property"])} for i in dep["inputs"]],
        "changedPropIds": ["_pages_location.pathname"],
        "state": [{**s, "value": None} for s in dep.get("state", [])],
    }
    return json.dumps(body).encode()


class Visitor(threading.Thread):
    """One other visitor: pages (shell, layout, router callback) and CSV downloads in turn."""

    def __init__(self, port: int, bodies: dict[str, bytes], timeout: float):
        super().__init__(daemon=True)
        self.port, self.bodies, self.timeout = port, bodies, timeout
        self.stop = threading.Event()
        self.times: list[float] = []
        self.failures: list[str] = []

    def run(self) -> None:
        k = 0
        while not self.stop.is_set():
            page = PAGES[k % len(PAGES)]
            steps = [
                ("GET", page, None),
                ("GET", "/_dash-layout", None),
                ("POST", "/_dash-update-component", self.bodies[page]),
                ("GET", CSVS[k % len(CSVS)], None),
            ]
            for method, path, body in steps:
                if self.stop.is_set():
                    break
                t = time.perf_counter()
                try:
                    status = request(self.port, method, path, body, timeout=self.timeout)[0]
                    if status not in (200, 204):
                        self.failures.append(f"{method} {path}: HTTP {status}")
                except (OSError, http.client.HTTPException) as err:
                    self.failures.append(f"{method} {path}: {type(err).__name__}")
                self.times.append(time.perf_counter() - t)
                time.sleep(0.2)
            k += 1


def fetch_pdf(port: int, query: str, timeout: float, result: dict) -> None:
    t0 = time.perf_counter()
    tries = 0
    while True:
        tries += 1
        try:
            status, headers, data = request(
                port, "GET", "/download/kurzbericht.pdf?" + query, timeout=timeout
            )
        except (OSError, http.client.HTTPException) as err:
            result.update(status=type(err).__name__, seconds=time.perf_counter() - t0, tries=tries)
            return
        retry = headers.get("Retry-After")
        if status in (202, 503) and retry and time.perf_counter() - t0 < timeout:
            time.sleep(float(retry))
            continue
        ok = status == 200 and data.startswith(b"%PDF")
        result.update(status=status, ok=ok, seconds=time.perf_counter() - t0, tries=tries, size=len(data))
        return


def pdf_burst(port: int, server_pid: int, pdfs: int, timeout: float) -> tuple[list[dict], float, int]:
    """``pdfs`` brief PDFs requested at the same moment, each for another municipality/scenario:
    (one result per PDF, seconds until the last arrived, most Chromium processes at once)."""
    queries = [
        f"ags={AGS[i % len(AGS)]}&szenario={SCENARIOS[(i // len(AGS)) % len(SCENARIOS)]}" for i in range(pdfs)
    ]
    results = [{"query": q} for q in queries]
    threads = [
        threading.Thread(target=fetch_pdf, args=(port, q, timeout, r), daemon=True)
        for q, r in zip(queries, results)
    ]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    peak = 0
    while any(t.is_alive() for t in threads):
        peak = max(peak, chromium_count(server_pid))
        time.sleep(0.25)
    return results, time.perf_counter() - t0, peak


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] * 1000 if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] * 1000


def run(repo: Path, pdfs: int, timeout: float, after: float) -> dict:
    port = free_port()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"pdf_burst_{port}.log"
    proc = start_server(port, log, repo=repo)
    try:
        for p in PAGES:  # every page once (router, first-visit caches)
            request(port, "GET", p, timeout=120)
        bodies = {p: router_body(port, p) for p in PAGES}
        for p in PAGES:
            request(port, "POST", "/_dash-update-component", bodies[p], timeout=120)
        for c in CSVS:
            request(port, "GET", c, timeout=120)
        visitor = Visitor(port, bodies, timeout=30)
        visitor.start()
        time.sleep(3)
        before = len(visitor.times)
        results, burst, peak = pdf_burst(port, proc.pid, pdfs, timeout)
        time.sleep(after)
        visitor.stop.set()
        visitor.join(timeout=60)
        during = visitor.times[before:]
    finally:
        stop_server(proc)
    return {
        "repo": str(repo),
        "pdfs": pdfs,
        "burst_s": round(burst, 1),
        "pdf": results,
        "pdf_ok": sum(1 for r in results if r.get("ok")),
        "chromium_peak": peak,
        "visitor": {
            "n": len(during),
            "p50_ms": round(pct(during, 50), 1),
            "p95_ms": round(pct(during, 95), 1),
            "max_ms": round(max(during) * 1000, 1) if during else None,
            "failures": visitor.failures,
        },
        "load": os.getloadavg(),
    }


def report(fig: dict) -> None:
    print(f"{fig['repo']}: {fig['pdfs']} PDFs gleichzeitig, Dauer {fig['burst_s']} s, Last {fig['load']}")
    for r in fig["pdf"]:
        print(
            f"  {r['query']:<42} Status {r.get('status')}  {r.get('seconds', 0):6.1f} s  "
            f"Versuche {r.get('tries')}  {r.get('size', 0) // 1024} kB"
        )
    v = fig["visitor"]
    print(
        f"  PDFs erhalten: {fig['pdf_ok']}/{fig['pdfs']}; höchstens {fig['chromium_peak']} Chromium-Prozesse"
    )
    print(
        f"  anderer Besucher: n={v['n']} p50 {v['p50_ms']} ms, p95 {v['p95_ms']} ms, max {v['max_ms']} ms, "
        f"Fehler {len(v['failures'])}"
    )
    for f in v["failures"][:10]:
        print("    Fehler:", f)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="PDF-Stoßlast gegen gunicorn auf 127.0.0.1")
    ap.add_argument("--pdfs", type=int, default=16, help="simultaneous PDF requests (default 16)")
    ap.add_argument(
        "--repo", type=Path, default=Path(__file__).resolve().parents[1], help="checkout to serve"
    )
    ap.add_argument("--timeout", type=float, default=300.0, help="seconds a PDF may take in all")
    ap.add_argument("--after", type=float, default=5.0, help="seconds the visitor goes on after the burst")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = ap.parse_args(argv)
    if not 1 <= args.pdfs <= 64:
        ap.error("--pdfs muss zwischen 1 und 64 liegen")
    fig = run(args.repo.resolve(), args.pdfs, args.timeout, args.after)
    report(fig)
    if args.json:
        args.json.write_text(json.dumps(fig, indent=2, ensure_ascii=False), encoding="utf-8")
    v = fig["visitor"]
    ok = fig["pdf_ok"] == fig["pdfs"] and not v["failures"] and v["p95_ms"] < 1000
    print("Ziele (alle PDFs, Besucher ohne Fehler, p95 < 1 s):", "erreicht" if ok else "VERFEHLT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
