"""Issue 14's throughput figures, before and after, in one run on this machine.

One command::

    python benchmarks/throughput.py                      # baseline checkout, then this one
    python benchmarks/throughput.py --users 50 --duration 120 --pdfs 16 --json out.json
    python benchmarks/throughput.py --only nachher --duration 30    # a short check of this checkout

For each checkout (``--baseline``, default ``/work/wt/baseline``, the state before issue 14,
then this checkout) it:

1. starts the checkout's own ``Procfile`` command (``gunicorn dashboard.app:server`` with that
   checkout's ``gunicorn.conf.py``) in that checkout on 127.0.0.1 and a free port, with a fresh
   temporary ``DASHBOARD_USER_DATA`` (so no cache of an earlier run answers) and workers that
   are not recycled during the run (``GUNICORN_MAX_REQUESTS=0``);
2. **time to interactive** of ``/`` in headless Debian chromium (Playwright, fresh browser
   context per load, 1366 px): from navigation start until the heading, the indicator control,
   the map and the small multiples are drawn — the first load after the start (cold) and the
   median of ``--loads`` further loads, on a quiet server (the definition of
   ``benchmarks/bench_app.py``, there against a werkzeug server);
3. records the callback requests a real browser sends on every page (page load, sliders,
   options), replays each once (warm-up) — ``benchmarks/load_test.py``'s recording;
4. **steady load**: ``--users`` simulated planners for ``--duration`` s, each opening pages as a
   browser does (page, ``/_dash-layout``, ``/_dash-dependencies``, static bundles on the first
   visit) and sending that page's load callbacks and 1–4 interactions, with a think time of
   0.5–1.5 × ``--think`` s between actions: p50/p95/p99 of callbacks (POST) and pages (GET),
   errors, resident memory growth since the warm-up;
5. **PDF burst under load**: the planners go on while ``--pdfs`` brief PDFs are requested at the
   same moment, each for another municipality/scenario (no cache can answer); a PDF client
   that gets the German "wird erstellt" answer (202/503 with ``Retry-After``) waits as told and
   asks again. Reported: PDFs received, time until the last one, and the planners' latencies
   and errors during the burst (until the last PDF has arrived or failed, plus 5 s);
6. **workbook**: 4 simultaneous ``/download/vorausberechnung.xlsx`` (same scenario), twice —
   the first round is cold, the second shows whether the workbook is computed per request;
7. stops its own gunicorn (process group) and removes the temporary folder.

Then it prints one table: each figure before and after, the ratio, issue 14's target and
whether the "after" figure meets it, plus the load average at every phase (the machine is
shared; numbers taken at a high load average are not comparable with a quiet run).
Exit status 1 if a target is missed by this checkout.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

import load_test as lt  # noqa: E402
import pdf_burst as pb  # noqa: E402

HOST = lt.HOST
WORKBOOK = "/download/vorausberechnung.xlsx"
TTI_SCRIPT = """(() => { const tick = () => {
    if (document.querySelector('#ue-map .scatterlayer .trace')
        && document.querySelector('#ue-multiples .scatterlayer .trace')
        && document.querySelector('#ue-kennzahl') && document.querySelector('h1')) {
        window.__tti = performance.now(); } else { requestAnimationFrame(tick); } };
    requestAnimationFrame(tick); })();"""

#: (key, label, unit, target text, check of the "after" value or None)
ROWS = [
    ("tti_median_ms", "Zeit bis interaktiv '/', Median (warm)", "ms", "< 1500", lambda v: v < 1500),
    ("tti_cold_ms", "Zeit bis interaktiv '/', erster Aufruf", "ms", "", None),
    ("load_callback_p50_ms", "Last: Callback p50", "ms", "", None),
    ("load_callback_p95_ms", "Last: Callback p95", "ms", "< 300", lambda v: v < 300),
    ("load_callback_p99_ms", "Last: Callback p99", "ms", "", None),
    ("load_page_p50_ms", "Last: Seitenabruf (GET) p50", "ms", "", None),
    ("load_page_p95_ms", "Last: Seitenabruf (GET) p95", "ms", "", None),
    ("load_slowest_callback_p95_ms", "Last: langsamster Callback p95", "ms", "", None),
    ("load_throughput_rps", "Last: Anfragen je Sekunde", "1/s", "", None),
    ("load_errors", "Last: Fehler", "", "0", lambda v: v == 0),
    ("load_memory_growth_pct", "Last: Speicherwachstum seit Aufwärmen", "%", "< 10", lambda v: v < 10),
    ("burst_pdfs_ok", "PDF-Stoß: PDFs erhalten", "", "alle", None),
    ("burst_last_pdf_s", "PDF-Stoß: letztes PDF nach", "s", "", None),
    ("burst_callback_p95_ms", "PDF-Stoß: Callbacks der Planer p95", "ms", "< 1000", lambda v: v < 1000),
    ("burst_page_p95_ms", "PDF-Stoß: Seitenabrufe der Planer p95", "ms", "< 1000", lambda v: v < 1000),
    ("burst_errors", "PDF-Stoß: Fehler der Planer", "", "0", lambda v: v == 0),
    ("workbook_cold_max_s", "Arbeitsmappe: 4 gleichzeitig, 1. Runde (max)", "s", "", None),
    ("workbook_warm_max_s", "Arbeitsmappe: 4 gleichzeitig, 2. Runde (max)", "s", "< 1", lambda v: v < 1),
]


#: Figures where more is better (the ratio is after/before).
HIGHER_IS_BETTER = {"load_throughput_rps"}


def git_head(repo: Path) -> str:
    out = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(["git", "-C", str(repo), "status", "--porcelain"], capture_output=True, text=True)
    return out.stdout.strip() + (" (+ Änderungen)" if dirty.stdout.strip() else "")


def load_avg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def time_to_interactive(base: str, loads: int) -> tuple[float, list[float]]:
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=lt.CHROMIUM_ARGS)
        for _ in range(loads + 1):
            ctx = browser.new_context(viewport={"width": 1366, "height": 900})
            page = ctx.new_page()
            page.add_init_script(TTI_SCRIPT)  # injected by the browser: the app's CSP does not apply
            page.goto(base + "/", wait_until="commit", timeout=120_000)
            ms = None
            for _ in range(1200):  # at most 60 s
                ms = page.evaluate("window.__tti || null")
                if ms:
                    break
                page.wait_for_timeout(50)
            runs.append(float(ms) if ms else float("nan"))
            ctx.close()
        browser.close()
    return runs[0], runs[1:]


def workbook_round(port: int, n: int = 4) -> list[float]:
    out: list[float] = [float("nan")] * n

    def one(i: int) -> None:
        t = time.perf_counter()
        status, _, data = pb.request(port, "GET", WORKBOOK, timeout=300)
        if status == 200 and data[:2] == b"PK":
            out[i] = time.perf_counter() - t

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return out


def phase(users: list[lt.User], stats: lt.Stats) -> None:
    for u in users:
        u.stats = stats


def summary(stats: lt.Stats) -> dict:
    cb, pages = stats.latency.get("callback", []), stats.latency.get("page", [])
    slow = max((lt.pct(v, 95) for v in stats.by_output.values() if len(v) >= 5), default=float("nan"))
    slow_label = max(
        (k for k, v in stats.by_output.items() if len(v) >= 5),
        key=lambda k: lt.pct(stats.by_output[k], 95),
        default="",
    )
    return {
        "callback_n": len(cb),
        "callback_p50_ms": round(lt.pct(cb, 50), 1),
        "callback_p95_ms": round(lt.pct(cb, 95), 1),
        "callback_p99_ms": round(lt.pct(cb, 99), 1),
        "page_n": len(pages),
        "page_p50_ms": round(lt.pct(pages, 50), 1),
        "page_p95_ms": round(lt.pct(pages, 95), 1),
        "slowest_callback_p95_ms": round(slow, 1),
        "slowest_callback": slow_label,
        "errors": len(stats.errors),
        "error_examples": stats.errors[:5],
    }


def measure(label: str, repo: Path, a: argparse.Namespace) -> dict:
    fig: dict = {"label": label, "repo": str(repo), "commit": git_head(repo), "load_avg": {}}
    print(f"\n=== {label}: {repo} ({fig['commit']}) — Last {load_avg()}", flush=True)
    tmp = Path(tempfile.mkdtemp(prefix=f"throughput_{label}_"))
    port = lt.free_port()
    log = tmp / "gunicorn.log"
    paths = lt.page_paths(repo)
    t0 = time.monotonic()
    fig["load_avg"]["start"] = load_avg()
    proc = lt.start_server(port, log, repo=repo, env_extra={"DASHBOARD_USER_DATA": str(tmp / "user_data")})
    fig["start_s"] = round(time.monotonic() - t0, 1)
    print(
        f"gunicorn {' '.join(lt.procfile_command(repo))} in {repo} auf Port {port}: {fig['start_s']} s",
        flush=True,
    )
    base = f"http://{HOST}:{port}"
    try:
        expected = int(os.environ.get("WEB_CONCURRENCY") or os.environ.get("GUNICORN_WORKERS") or 2)
        deadline = time.monotonic() + 120
        while len(lt._children(proc.pid)) < expected and time.monotonic() < deadline:
            time.sleep(0.5)
        time.sleep(2)
        mem_start = lt.memory(proc.pid)

        # 2. time to interactive (quiet server)
        fig["load_avg"]["tti"] = load_avg()
        cold, runs = time_to_interactive(base, a.loads)
        fig["tti_cold_ms"] = round(cold)
        fig["tti_runs_ms"] = [round(r) for r in runs]
        fig["tti_median_ms"] = round(statistics.median(runs))
        print(
            f"Zeit bis interaktiv: kalt {cold:.0f} ms, warm {fig['tti_runs_ms']} → Median {fig['tti_median_ms']}"
        )

        # 3. recording and warm-up
        scripts = lt.record(base, paths)
        print(
            f"{len(scripts)} Seiten, {sum(len(s.load_calls) for s in scripts)} Lade- und "
            f"{sum(len(s.interactions) for s in scripts)} Interaktions-Callbacks aufgezeichnet",
            flush=True,
        )
        assets = sorted({x for s in scripts for x in lt.page_assets(port, s.path)})
        lt.warm_up(port, scripts, lt.Stats())
        mem_warm = lt.memory(proc.pid)

        # 4. steady load
        fig["load_avg"]["load"] = load_avg()
        steady = lt.Stats()
        budget = lt.Budget(a.max_requests)
        far = time.monotonic() + lt.MAX_DURATION
        users = [lt.User(i, port, scripts, assets, steady, budget, far, a.think) for i in range(a.users)]
        started = time.monotonic()
        for u in users:
            u.start()
        time.sleep(a.duration)
        burst_stats = lt.Stats()
        phase(users, burst_stats)  # requests from now on count for the burst
        elapsed = time.monotonic() - started
        mem_end = lt.memory(proc.pid)
        s = summary(steady)
        fig["load"] = {**s, "seconds": round(elapsed, 1), "requests": steady.requests}
        for k in ("callback_p50_ms", "callback_p95_ms", "callback_p99_ms", "page_p50_ms", "page_p95_ms"):
            fig[f"load_{k}"] = s[k]
        fig["load_slowest_callback_p95_ms"] = s["slowest_callback_p95_ms"]
        fig["load_errors"] = s["errors"]
        fig["load_throughput_rps"] = round(steady.requests / elapsed, 1)
        fig["load_memory_growth_pct"] = round(100 * (mem_end["rss"] / mem_warm["rss"] - 1), 1)
        fig["memory_mib"] = {"start": mem_start, "after_warm_up": mem_warm, "end_of_load": mem_end}
        print(
            f"Last ({a.users} Nutzer, {elapsed:.0f} s): Callbacks p50/p95/p99 {s['callback_p50_ms']}/"
            f"{s['callback_p95_ms']}/{s['callback_p99_ms']} ms, Seiten p50/p95 {s['page_p50_ms']}/"
            f"{s['page_p95_ms']} ms, Fehler {s['errors']}, langsamster {s['slowest_callback']} "
            f"({s['slowest_callback_p95_ms']} ms), RSS {mem_warm['rss']:.0f} → {mem_end['rss']:.0f} MiB",
            flush=True,
        )

        # 5. PDF burst while the planners go on
        fig["load_avg"]["burst"] = load_avg()
        results, last, peak = pb.pdf_burst(port, proc.pid, a.pdfs, a.pdf_timeout)
        time.sleep(5)
        for u in users:
            u.stop_at = 0.0
        for u in users:
            u.join(timeout=90)
        b = summary(burst_stats)
        fig["burst"] = {**b, "pdfs": results, "chromium_peak": peak}
        fig["burst_pdfs_ok"] = f"{sum(1 for r in results if r.get('ok'))}/{a.pdfs}"
        fig["burst_last_pdf_s"] = round(last, 1)
        fig["burst_callback_p95_ms"] = b["callback_p95_ms"]
        fig["burst_page_p95_ms"] = b["page_p95_ms"]
        fig["burst_errors"] = b["errors"]
        print(
            f"PDF-Stoß ({a.pdfs}): erhalten {fig['burst_pdfs_ok']}, letztes nach {last:.1f} s, "
            f"höchstens {peak} Chromium-Prozesse; Planer: Callbacks p95 {b['callback_p95_ms']} ms, "
            f"Seiten p95 {b['page_p95_ms']} ms, Fehler {b['errors']}",
            flush=True,
        )
        for e in b["error_examples"]:
            print("   Fehler:", e)

        # 6. workbook, on a quiet server again
        time.sleep(3)
        fig["load_avg"]["workbook"] = load_avg()
        cold_wb, warm_wb = workbook_round(port), workbook_round(port)
        fig["workbook_cold_s"] = [round(x, 2) for x in cold_wb]
        fig["workbook_warm_s"] = [round(x, 2) for x in warm_wb]
        fig["workbook_cold_max_s"] = round(max(cold_wb), 2)
        fig["workbook_warm_max_s"] = round(max(warm_wb), 2)
        print(
            f"Arbeitsmappe 4× gleichzeitig: {fig['workbook_cold_s']} s, dann {fig['workbook_warm_s']} s",
            flush=True,
        )
        fig["server_alive_at_end"] = proc.poll() is None
    finally:
        pb.stop_server(proc)
        if not a.keep:
            shutil.rmtree(tmp, ignore_errors=True)
    return fig


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{v:,.1f}".replace(",", "·").replace(".", ",").replace("·", ".")
    if isinstance(v, int):
        return f"{v:,}".replace(",", ".")
    return str(v)


def report(figs: dict[str, dict], a: argparse.Namespace) -> bool:
    before, after = figs.get("vorher"), figs.get("nachher")
    print(
        f"\n{a.users} Planer, Denkzeit {a.think} s, {a.duration:.0f} s Last, {a.pdfs} PDFs im Stoß, "
        f"{a.loads} warme Aufrufe für die Zeit bis interaktiv; {os.cpu_count()} Kerne"
    )
    for lab, f in figs.items():
        print(f"  {lab}: {f['repo']} {f['commit']}; Lastmittel (1/5/15 min) je Phase: {f['load_avg']}")
    print("(Faktor: wie viel mal besser nachher; Zeiten vorher/nachher, Anfragen je Sekunde nachher/vorher)")
    print(f"\n{'Kennzahl':<46}{'vorher':>12}{'nachher':>12}{'Faktor':>9}  {'Ziel':<8}erreicht")
    ok = True
    for key, label, unit, target, check in ROWS:
        vb = before.get(key) if before else None
        va = after.get(key) if after else None
        ratio = ""
        if isinstance(vb, int | float) and isinstance(va, int | float) and va and vb:
            # "Faktor" = how many times better: before/after for times, after/before for rates
            ratio = f"{(va / vb if key in HIGHER_IS_BETTER else vb / va):.1f}×"
        met = ""
        if check is not None and va is not None:
            good = bool(check(va))
            met = "ja" if good else "NEIN"
            ok &= good
        if key == "burst_pdfs_ok" and va is not None:
            got, total = va.split("/")
            met = "ja" if got == total else "NEIN"
            ok &= got == total
        name = f"{label} ({unit})" if unit else label
        print(
            f"{name:<46}{_fmt(vb) if vb is not None else '–':>12}{_fmt(va) if va is not None else '–':>12}"
            f"{ratio:>9}  {target:<8}{met}"
        )
    if after and not after.get("server_alive_at_end", True):
        ok = False
    return ok


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Durchsatz vorher/nachher (Issue 14) auf 127.0.0.1")
    ap.add_argument(
        "--baseline", type=Path, default=Path("/work/wt/baseline"), help="checkout before issue 14"
    )
    ap.add_argument("--only", choices=["vorher", "nachher"], help="measure one checkout only")
    ap.add_argument("--users", type=int, default=50, help="simulated planners (default 50)")
    ap.add_argument("--duration", type=float, default=120.0, help="seconds of steady load (default 120)")
    ap.add_argument("--think", type=float, default=1.0, help="mean think time in s (default 1.0)")
    ap.add_argument("--pdfs", type=int, default=16, help="PDFs in the burst (default 16)")
    ap.add_argument("--pdf-timeout", type=float, default=240.0, help="seconds one PDF may take in all")
    ap.add_argument("--loads", type=int, default=5, help="warm loads for time to interactive (default 5)")
    ap.add_argument("--max-requests", type=int, default=200_000, help="request cap per checkout")
    ap.add_argument("--json", type=Path, help="also write every figure as JSON here")
    ap.add_argument("--keep", action="store_true", help="keep the temporary folders (gunicorn logs)")
    a = ap.parse_args(argv)
    if not 1 <= a.users <= 500:
        ap.error("--users muss zwischen 1 und 500 liegen")
    if not 1 <= a.pdfs <= 64:
        ap.error("--pdfs muss zwischen 1 und 64 liegen")
    a.duration = min(a.duration, lt.MAX_DURATION)
    todo = [("vorher", a.baseline.resolve()), ("nachher", REPO)]
    if a.only:
        todo = [t for t in todo if t[0] == a.only]
    figs = {label: measure(label, repo, a) for label, repo in todo}
    ok = report(figs, a)
    if a.json:
        a.json.write_text(json.dumps(figs, indent=2, ensure_ascii=False, default=str), encoding="utf-8")
    print("\nZiele von Issue 14 (nachher):", "erreicht" if ok else "VERFEHLT")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
