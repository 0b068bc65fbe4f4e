"""Speed of the Dash app: server time per interaction and time to interactive.

1. Server time: the main callbacks are called over Dash's own HTTP endpoint
   (``POST /_dash-update-component`` through Flask's test client, so routing, the callback
   and JSON serialisation are included, but no network) many times with varying inputs:
   the scenario slider (every call a new, not yet memoised scenario), the municipality
   switch on "Gemeinde" (two callbacks: charts and pyramid), the indicator switch on
   "Übersicht", and one local-scenario interaction ("Neubau hinzufügen" on /szenarien: the
   store update and every callback it triggers, each call a new local scenario). Prints
   p50/p95 in ms, wall clock and the request thread's CPU time (the latter does not count the
   waiting for a core on a busy machine).
2. Time to interactive of the first page ("/") in headless Debian chromium: from
   navigation start until the map and the small multiples are drawn and the network is
   idle (warm server, fresh browser context per run). Prints each run and the median.

Usage: ``python benchmarks/bench_app.py [--calls 100] [--loads 5]``
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # this checkout's dashboard package

import argparse
import functools
import statistics
import threading
import time

import numpy as np

from dashboard.constants import AGS_LIST, KREIS_AGS
from dashboard.settings import HEADLESS_CHROMIUM_ARGS

CHROMIUM_ARGS = list(HEADLESS_CHROMIUM_ARGS)


@functools.cache
def _deps() -> tuple[str, ...]:
    from dashboard.app import server

    return tuple(d["output"] for d in server.test_client().get("/_dash-dependencies").get_json())


def _output_key(outputs: list[tuple]) -> str:
    """The callback's output key exactly as Dash lists it in ``/_dash-dependencies``."""
    first = f"{outputs[0][0]}.{outputs[0][1]}"
    for d in _deps():
        if d.startswith(f"..{first}..") or d == first:
            return d
    raise KeyError(outputs[0])


def _payload(outputs: list[tuple], inputs: list[tuple], changed: str, state: list[tuple] = ()) -> dict:
    return {
        "output": _output_key(outputs),
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1
        else {"id": outputs[0][0], "property": outputs[0][1]},
        "inputs": [{"id": i, "property": p, "value": v} for i, p, v in inputs],
        "changedPropIds": [changed],
        "state": [{"id": i, "property": p, "value": v} for i, p, v in state],
    }


class Times(list):
    """Wall-clock milliseconds per call; ``.cpu``: the request thread's CPU milliseconds per call
    (``time.thread_time``: the server work itself, not the waiting for a core on a busy machine)."""

    def __init__(self) -> None:
        super().__init__()
        self.cpu: list[float] = []


def time_requests(client, make_payload, n: int) -> Times:
    times = Times()
    for k in range(n):
        body = make_payload(k)
        t, c0 = time.perf_counter(), time.thread_time()
        r = client.post("/_dash-update-component", json=body)
        times.append((time.perf_counter() - t) * 1000)
        times.cpu.append((time.thread_time() - c0) * 1000)
        assert r.status_code == 200, r.data[:300]
    return times


def pct(ts: list[float]) -> str:
    out = f"p50 {np.percentile(ts, 50):6.1f} ms   p95 {np.percentile(ts, 95):6.1f} ms   (n={len(ts)})"
    cpu = getattr(ts, "cpu", None)
    if cpu:
        out += f"   CPU p50 {np.percentile(cpu, 50):6.1f} ms   p95 {np.percentile(cpu, 95):6.1f} ms"
    return out


def server_times(calls: int) -> dict[str, list[float]]:
    from dashboard.app import _model, server

    c = server.test_client()
    d = _model.basis_defaults()  # also warms the Basis projection
    rng = np.random.default_rng(1)
    sz_out = [
        ("sz-chart", "figure"),
        ("sz-table-box", "children"),
        ("sz-headline", "children"),
        ("sz-headline-sub", "children"),
        ({"type": "query", "page": "szenarien"}, "data"),
        ({"type": "sel", "page": "szenarien"}, "data"),
        ("sz-brief-link", "href"),
    ]

    def slider(k):
        # a fresh value each call: -3000..8000 in steps of 100 are 111 values; add TFR steps
        w = float(-3000 + 100 * ((k * 37) % 111))
        tfr = round(1.2 + 0.05 * ((k * 7) % 12), 2)
        return _payload(
            sz_out,
            [
                ("sz-ags", "value", KREIS_AGS),
                ("sz-kennzahl", "value", "population"),
                ("sz-vergleich", "value", []),
                ("sz-tfr", "value", tfr),
                ("sz-e0", "value", 0.0),
                ("sz-wanderung", "value", w),
                ("sz-lokal", "data", None),
            ],
            "sz-wanderung.value",
            [("sz-saved", "data", None)],
        )

    def slider_compare(k):
        p = slider(k + 500)
        p["inputs"][2]["value"] = ["zuwanderung_hoch", "geburten_niedrig"]
        return p

    gm_out = [
        ("gm-title", "children"),
        ("gm-history", "figure"),
        ("gm-history-tabelle", "children"),
        ("gm-groups", "figure"),
        ("gm-groups-tabelle", "children"),
        ("gm-components", "figure"),
        ("gm-components-tabelle", "children"),
        ({"type": "sel", "page": "gemeinde"}, "data"),
    ]
    gp_out = [
        ("gm-pyramid", "figure"),
        ("gm-pyramid-tabelle", "children"),
        ({"type": "query", "page": "gemeinde"}, "data"),
    ]
    ags = list(AGS_LIST)

    def region(k):
        return _payload(gm_out, [("gm-ags", "value", ags[int(rng.integers(15))])], "gm-ags.value")

    def pyramid(k):
        return _payload(
            gp_out,
            [
                ("gm-ags", "value", ags[int(rng.integers(15))]),
                ("gm-jahr", "value", int(rng.integers(2024, 2046))),
            ],
            "gm-ags.value",
            [("gm-lokal", "data", None)],
        )

    ue_out = [
        ("ue-map", "figure"),
        ("ue-map-tabelle", "children"),
        ("ue-table-box", "children"),
        ("ue-multiples", "figure"),
        ("ue-multiples-tabelle", "children"),
        ({"type": "query", "page": "uebersicht"}, "data"),
    ]
    inds = ["change", "population", "share_65plus", "share_80plus", "median_age", "old_age_dependency"]

    def overview(k):
        return _payload(
            ue_out,
            [
                ("ue-kennzahl", "value", inds[k % len(inds)]),
                ("ue-jahr", "value", [2030, 2035, 2040, 2045][k % 4]),
            ],
            "ue-kennzahl.value",
        )

    fan_out = [("sz-fan", "figure"), ("sz-fan-tabelle", "children")]

    def slider_fan(k):
        w = float(-3000 + 100 * ((k * 41 + 7) % 111))
        return _payload(
            fan_out,
            [
                ("sz-ags", "value", KREIS_AGS),
                ("sz-tfr", "value", 1.4),
                ("sz-e0", "value", 0.5),
                ("sz-wanderung", "value", w),
                ("sz-lokal", "data", None),
            ],
            "sz-wanderung.value",
        )

    def local_chain(k) -> list[dict]:
        """One "Neubau hinzufügen" on /szenarien: the panel's store update and every callback it
        triggers (main chart/table/URL, effect on the age groups, entries list, fan chart), each
        call a new, not yet memoised local scenario (dwellings 100 + k)."""
        nideggen = "05358044"
        fields = [
            ("sz-nb-wohnungen", "value", str(100 + k)),
            ("sz-nb-von", "value", 2026),
            ("sz-nb-bis", "value", 2030),
            ("sz-nb-ppw", "value", ""),
            ("sz-nb-anteil", "value", ""),
            ("sz-wg-saldo", "value", ""),
            ("sz-wg-von", "value", None),
            ("sz-wg-bis", "value", None),
            ("sz-em-jahr", "value", 2027),
            ("sz-em-personen", "value", ""),
            ("sz-em-alter-von", "value", ""),
            ("sz-em-alter-bis", "value", ""),
            ("sz-em-dauerhaft", "value", ["ja"]),
            ("sz-em-anteil", "value", ""),
        ]
        edit = _payload(
            [("sz-lokal", "data"), ("sz-lokal-meldung", "children")],
            [
                ("sz-nb-add", "n_clicks", 1),
                ("sz-wg-add", "n_clicks", None),
                ("sz-em-add", "n_clicks", None),
            ],
            "sz-nb-add.n_clicks",
            [("sz-lokal", "data", {}), ("sz-ags", "value", nideggen), *fields],
        )
        edit["inputs"].append([])  # the remove buttons (pattern ALL): none yet
        local = {"neubau": f"{nideggen}:2026-2030:{100 + k}"}
        main = slider(0)
        main["inputs"][0]["value"] = nideggen
        main["inputs"][4]["value"] = d["net_migration"]
        main["inputs"][2]["value"] = d["tfr"]
        main["inputs"][-1]["value"] = local
        main["changedPropIds"] = ["sz-lokal.data"]
        effect = _payload(
            [("sz-lokal-wirkung", "figure"), ("sz-lokal-wirkung-tabelle", "children")],
            [
                ("sz-ags", "value", nideggen),
                ("sz-lokal-jahr", "value", 2030),
                ("sz-tfr", "value", d["tfr"]),
                ("sz-e0", "value", 0.0),
                ("sz-wanderung", "value", d["net_migration"]),
                ("sz-lokal", "data", local),
            ],
            "sz-lokal.data",
        )
        entries = _payload([("sz-lokal-liste", "children")], [("sz-lokal", "data", local)], "sz-lokal.data")
        fan = slider_fan(0)
        fan["inputs"] = [
            {"id": "sz-ags", "property": "value", "value": nideggen},
            {"id": "sz-tfr", "property": "value", "value": d["tfr"]},
            {"id": "sz-e0", "property": "value", "value": 0.0},
            {"id": "sz-wanderung", "property": "value", "value": d["net_migration"]},
            {"id": "sz-lokal", "property": "data", "value": local},
        ]
        fan["changedPropIds"] = ["sz-lokal.data"]
        return [edit, main, effect, entries, fan]

    def time_chain(n: int) -> dict[str, list[float]]:
        parts = {name: Times() for name in ("edit", "main", "effect", "entries", "fan", "total")}
        for k in range(n):
            total = cpu = 0.0
            for name, body in zip(["edit", "main", "effect", "entries", "fan"], local_chain(k)):
                t, c0 = time.perf_counter(), time.thread_time()
                r = c.post("/_dash-update-component", json=body)
                ms = (time.perf_counter() - t) * 1000
                assert r.status_code == 200, (name, r.data[:300])
                parts[name].append(ms)
                parts[name].cpu.append((time.thread_time() - c0) * 1000)
                total += ms
                cpu += parts[name].cpu[-1]
            parts["total"].append(total)
            parts["total"].cpu.append(cpu)
        return parts

    _model.warm_up()
    for f in (slider, region, pyramid, overview):  # one warm-up call each (imports, caches of data)
        time_requests(c, f, 1)
    assert d
    time_chain(1)  # warm-up: household table, local code path
    chain = time_chain(calls)
    return {
        "Lokale Annahmen: Neubau hinzufügen – alle ausgelösten Callbacks zusammen": chain["total"],
        "  davon Eintrag übernehmen (Speicher der Seite)": chain["edit"],
        "  davon Hauptgrafik, Tabelle, Kennzahl, Link": chain["main"],
        "  davon Wirkung auf die Planungsaltersgruppen": chain["effect"],
        "  davon Liste der Einträge": chain["entries"],
        "  davon Fächer (Basis-Streuung um den lokalen Pfad)": chain["fan"],
        "Szenarien: Regler – Fächer mit Intervallen (200 Simulationen)": time_requests(
            c, slider_fan, max(10, calls // 5)
        ),
        "Szenarien: Regler (neues Szenario je Aufruf)": time_requests(c, slider, calls),
        "Szenarien: Regler mit 2 Vergleichsszenarien": time_requests(c, slider_compare, calls),
        "Gemeinde: Wechsel – Verlauf, Altersgruppen, Komponenten": time_requests(c, region, calls),
        "Gemeinde: Wechsel – Bevölkerungspyramide (22 Jahre animiert)": time_requests(c, pyramid, calls),
        "Übersicht: Kennzahl/Jahr – Karte, Tabelle, 16 Kleindiagramme": time_requests(c, overview, calls),
    }


def time_to_interactive(loads: int) -> list[float]:
    import logging

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from dashboard.app import server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    srv = make_server("127.0.0.1", 0, server, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{srv.server_port}"
    out = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        for k in range(loads + 1):
            ctx = browser.new_context(viewport={"width": 1366, "height": 900})
            page = ctx.new_page()
            # interactive: heading, indicator control and both charts drawn. An init script
            # (injected by the browser, so the app's CSP does not block it) stamps the moment.
            page.add_init_script("""(() => { const tick = () => {
                if (document.querySelector('#ue-map .scatterlayer .trace')
                    && document.querySelector('#ue-multiples .scatterlayer .trace')
                    && document.querySelector('#ue-kennzahl') && document.querySelector('h1')) {
                    window.__tti = performance.now(); } else { requestAnimationFrame(tick); } };
                requestAnimationFrame(tick); })();""")
            page.goto(base + "/", wait_until="commit")
            for _ in range(1200):
                ms = page.evaluate("window.__tti || null")
                if ms:
                    break
                page.wait_for_timeout(50)
            if k > 0:  # the first load warms the server (model, data); reported separately
                out.append(ms)
            else:
                print(f"  first load after server start (cold): {ms:7.0f} ms")
            ctx.close()
        browser.close()
    srv.shutdown()
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--calls", type=int, default=100)
    ap.add_argument("--loads", type=int, default=5)
    a = ap.parse_args()
    print("Server time per interaction (Flask test client, JSON serialisation included):")
    for name, ts in server_times(a.calls).items():
        print(f"  {name:64s} {pct(ts)}")
    print("Time to interactive of '/' in headless chromium (warm server):")
    tti = time_to_interactive(a.loads)
    print("  runs: " + ", ".join(f"{t:.0f}" for t in tti) + f" ms; median {statistics.median(tti):.0f} ms")


if __name__ == "__main__":
    main()
