"""Re-measure the findings of issue 12 against a running server started from a checkout.

    python scripts/issue12_findings.py                       # this checkout
    python scripts/issue12_findings.py --repo /work/wt/baseline --out before.json
    python scripts/issue12_findings.py --only 1,7 --starts 3

Every finding starts its own gunicorn (the Procfile command, ``gunicorn.conf.py`` of the
checkout, 127.0.0.1 and a free port) with a fresh, temporary user-data folder (and, where the
checkout has a store, a fresh SQLite database in it), plays the finding as a visitor would
(HTTP requests exactly like the browser's: page GETs, Dash callback POSTs built from
``/_dash-dependencies``, file uploads as base64 ``data:`` URLs) and prints what happened.
Where the checkout has accounts (``/anmelden``), uploads are made once anonymously and once
signed in (``planung``; publishing as ``pflege``), users created with the checkout's own CLI.

Test files come from ``tests/_tables.py`` (test tables in the 12411-02-03-5 layout, never
official figures) and the shipped measures workbook. The servers are stopped by their own
process ids. Nothing outside the temporary folders is written.
"""

from __future__ import annotations

import argparse
import base64
import io
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(HERE))
from benchmarks._server import HOST, free_port, spawn, stop_server, wait_until_up  # noqa: E402

PASSWORD = "Prüfpasswort-12-lang"


# --------------------------------------------------------------------------- server


class Server:
    """gunicorn from ``repo`` with its own user-data folder; ``base`` URL; ``stop()``."""

    def __init__(self, repo: Path, user_data: Path, *, workers: int = 1, wait_http: bool = True, extra=None):
        self.repo, self.user_data = repo, user_data
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.env = env_for(repo, user_data)
        self.env.update(
            GUNICORN_BIND=f"{HOST}:{self.port}",
            WEB_CONCURRENCY=str(workers),
            GUNICORN_MAX_REQUESTS="0",
            GUNICORN_ACCESSLOG="",
            **(extra or {}),
        )
        self.log = tempfile.NamedTemporaryFile(prefix="gunicorn-", suffix=".log", delete=False)  # noqa: SIM115
        self.t0 = time.monotonic()
        self.proc = spawn(repo, self.env, self.log)
        self.started = wait_until_up(self.proc, self.port, 240, need_http=wait_http, poll=0.3)
        self.start_seconds = time.monotonic() - self.t0

    def log_text(self) -> str:
        return Path(self.log.name).read_text(encoding="utf-8", errors="replace")

    def worker_rss_mb(self) -> float:
        total = 0
        for task in Path(f"/proc/{self.proc.pid}/task").glob("*/children"):
            for pid in task.read_text().split():
                try:
                    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                        if line.startswith("VmRSS:"):
                            total = max(total, int(line.split()[1]))
                except OSError:
                    pass
        return total / 1024

    def stop(self) -> None:
        stop_server(self.proc)

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def env_for(repo: Path, user_data: Path) -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=str(repo), DASHBOARD_USER_DATA=str(user_data))
    for k in ("PORT", "DASHBOARD_DEBUG", "DATABASE_URL", "DASHBOARD_WARM_UP"):
        env.pop(k, None)
    return env


def cli(repo: Path, user_data: Path, *args: str, stdin: str | None = None, timeout: float = 600):
    t0 = time.monotonic()
    p = subprocess.run(
        [sys.executable, "-m", "dashboard", *args],
        cwd=repo,
        env=env_for(repo, user_data),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return p.returncode, p.stdout + p.stderr, time.monotonic() - t0


# --------------------------------------------------------------------------- Dash client


class Client:
    """A visitor: cookies, CSRF token of the login form, Dash callbacks by output id."""

    def __init__(self, base: str):
        self.base = base
        self.http = requests.Session()
        self._deps = None

    def get(self, path: str, **kw):
        return self.http.get(self.base + path, timeout=kw.pop("timeout", 300), **kw)

    def deps(self) -> list[dict]:
        if self._deps is None:
            self._deps = self.get("/_dash-dependencies").json()
        return self._deps

    def callback(self, output_id: str, values: dict[str, object], timeout: float = 600, by_input: str = ""):
        """POST the server callback whose outputs include ``output_id`` (and, if given, whose
        inputs include ``by_input``, "id.prop"); inputs and states are filled from ``values``
        (``"id.prop"`` keys, anything else ``None``)."""
        dep = next(
            d
            for d in self.deps()
            if d.get("clientside_function") is None
            and any(o.split(".")[0] == output_id for o in re.split(r"\.\.\.", d["output"].strip(".")))
            and (not by_input or any(f"{i['id']}.{i['property']}" == by_input for i in d["inputs"]))
        )
        outs = [o for o in re.split(r"\.\.\.", dep["output"].strip(".")) if o]

        def _split(o: str):
            k, _, prop = o.rpartition(".")
            try:
                return json.loads(k), prop
            except json.JSONDecodeError:
                return k, prop

        outputs = [dict(zip(("id", "property"), _split(o))) for o in outs]
        body = {
            "output": dep["output"],
            "outputs": outputs if len(outputs) > 1 else outputs[0],
            "inputs": [
                {"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
                for i in dep["inputs"]
            ],
            "state": [
                {"id": s["id"], "property": s["property"], "value": values.get(f"{s['id']}.{s['property']}")}
                for s in dep["state"]
            ],
            "changedPropIds": [
                k for k in values if any(k == f"{i['id']}.{i['property']}" for i in dep["inputs"])
            ],
        }
        t0 = time.monotonic()
        r = self.http.post(
            self.base + "/_dash-update-component",
            data=json.dumps(body),  # allow_nan: a hostile client may send NaN/Infinity
            headers={"Content-Type": "application/json"},
            timeout=timeout,
        )
        return r, time.monotonic() - t0

    def login(self, name: str, password: str = PASSWORD) -> bool:
        page = self.get("/anmelden")
        m = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.text) or re.search(
            r'value="([^"]+)"[^>]*name="csrf_token"', page.text
        )
        r = self.http.post(
            self.base + "/anmelden",
            data={"name": name, "passwort": password, "csrf_token": m.group(1) if m else ""},
            timeout=60,
            allow_redirects=True,
        )
        return r.status_code == 200 and "Abmelden" in r.text


def data_url(blob: bytes, mime: str = "text/csv") -> str:
    return f"data:{mime};base64," + base64.b64encode(blob).decode()


def text_of(resp) -> str:
    """Visible text of a callback response (all string leaves of the JSON)."""
    out = []

    def walk(x):
        if isinstance(x, str):
            out.append(x)
        elif isinstance(x, dict):
            for k, v in x.items():
                if k not in ("id", "className", "type", "namespace"):
                    walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    try:
        walk(resp.json())
    except ValueError:
        out.append(resp.text[:500])
    return " ".join(out)


def has_accounts(c: Client) -> bool:
    r = c.get("/anmelden")  # Dash answers every unknown path with its page shell: look for the form
    return r.status_code == 200 and 'name="csrf_token"' in r.text


def make_users(repo: Path, user_data: Path) -> None:
    for name, role in (("plan", "planung"), ("pflege", "pflege"), ("pflege2", "pflege")):
        rc, out, _ = cli(repo, user_data, "benutzer", "anlegen", name, "--rolle", role, stdin=PASSWORD + "\n")
        if rc != 0:
            raise SystemExit(f"benutzer anlegen {name}: {out}")


def upload_table(c: Client, blob: bytes, name: str):
    return c.callback("mt-upload-result", {"mt-upload.contents": data_url(blob), "mt-upload.filename": name})


def kreis_figures(c: Client) -> dict:
    """Kreis and per-municipality population 31.12.2024 from the kennzahlen download."""
    r = c.get("/download/kennzahlen.csv")
    if r.status_code != 200:
        return {"status": r.status_code}
    import pandas as pd

    df = pd.read_csv(io.StringIO(r.content.decode("utf-8-sig")), sep=";", decimal=",", dtype={"ags": str})
    year_col = "year" if "year" in df.columns else "Jahr"
    pop_col = "population" if "population" in df.columns else "Bevölkerung"
    d = df[df[year_col] == 2024]
    kreis = d[d.ags == "05358"][pop_col]
    return {
        "status": 200,
        "kreis_2024": float(kreis.iloc[0]) if len(kreis) else None,
        "dueren_2024": float(d[d.ags == "05358008"][pop_col].iloc[0]),
        "heimbach_2024": float(d[d.ags == "05358012"][pop_col].iloc[0]),
    }


def health(c: Client) -> dict:
    """Status codes of the pages, one model callback per page and two model downloads."""
    out = {}
    for path in ("/", "/gemeinde", "/szenarien", "/kurzbericht", "/werkzeugkoffer", "/methodik"):
        out[f"GET {path}"] = c.get(path).status_code
    r, _ = c.callback("gm-pyramid", {"gm-ags.value": "05358008", "gm-jahr.value": 2030})
    out["callback gm-pyramid"] = r.status_code
    r, _ = c.callback("ue-map", {"ue-kennzahl.value": "population", "ue-jahr.value": 2030})
    out["callback ue-map"] = r.status_code
    for dl in ("/download/kennzahlen.csv", "/download/basisdaten.csv"):
        out[f"GET {dl}"] = c.get(dl).status_code
    return out


def publish_newest_draft(repo: Path, user_data: Path) -> tuple[int, str]:
    rc, out, _ = cli(repo, user_data, "data", "versions")
    ids = re.findall(r"^\s*(\d+)\s.*Entwurf", out, flags=re.M)
    if not ids:
        return 1, out
    rc, out2, _ = cli(repo, user_data, "data", "publish", ids[-1])
    return rc, out2


# --------------------------------------------------------------------------- findings


def f1_inconsistent(repo: Path) -> dict:
    """Finding 1: a well-formed table whose municipal sums exceed the Kreis table."""
    from tests._tables import inconsistent_table

    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        f = tmp / "12411-02-03-5_inkonsistent.csv"
        f.write_bytes(inconsistent_table())
        ud = tmp / "ud_cli"
        rc, out, _ = cli(repo, ud, "data", "import", str(f))
        res["cli_exit"] = rc
        res["cli_says_usable"] = "verwendbar: ja" in out
        res["cli_tail"] = out.strip().splitlines()[-3:]
        ud = tmp / "ud_web"
        with Server(repo, ud) as srv:
            c = Client(srv.base)
            accounts = has_accounts(c)
            res["accounts"] = accounts
            if accounts:
                make_users(repo, ud)
                r, _ = upload_table(c, f.read_bytes(), f.name)
                res["web_anonymous"] = text_of(r)[:160]
                c.login("plan")
            r, _ = upload_table(c, f.read_bytes(), f.name)
            res["web_status"] = r.status_code
            res["web_says_usable"] = "verwendbar: ja" in text_of(r)
            res["web_message"] = text_of(r)[:300]
            if accounts:
                rc, out = publish_newest_draft(repo, ud)
                res["cli_publish_exit"], res["cli_publish"] = rc, out.strip()[-300:]
            res["after_upload"] = health(Client(srv.base))
        with Server(repo, ud) as srv:
            res["restart_started"] = srv.started
            res["restart_log_error"] = [
                line for line in srv.log_text().splitlines() if "Error" in line or "Überschreitung" in line
            ][-3:]
            if srv.started:
                res["after_restart"] = health(Client(srv.base))
    return res


def f2_accounts(repo: Path) -> dict:
    """Finding 2: anonymous catalogue replace/reset; concurrent uploads."""
    from dashboard.data.measures import SHIPPED_WORKBOOK

    res = {}
    blob = Path(SHIPPED_WORKBOOK).read_bytes()
    with tempfile.TemporaryDirectory() as tmp:
        ud = Path(tmp) / "ud"
        with Server(repo, ud) as srv:
            a, b = Client(srv.base), Client(srv.base)
            r, _ = a.callback(
                "wk-upload-result",
                {
                    "wk-upload.contents": data_url(blob, "application/octet-stream"),
                    "wk-upload.filename": "a.xlsx",
                },
            )
            res["anonymous_upload"] = text_of(r)[:200]
            r, _ = b.callback("wk-origin", {"wk-ags.value": "05358", "wk-jahr.value": 2030})
            res["b_sees"] = next((t for t in r.json()["response"]["wk-origin"].values()), "")
            r, _ = b.callback("wk-upload-result", {"wk-reset.n_clicks": 1}, by_input="wk-reset.n_clicks")
            res["anonymous_reset"] = text_of(r)[:200]
            with ThreadPoolExecutor(2) as ex:
                futs = [
                    ex.submit(
                        Client(srv.base).callback,
                        "wk-upload-result",
                        {
                            "wk-upload.contents": data_url(blob, "application/octet-stream"),
                            "wk-upload.filename": f"{n}.xlsx",
                        },
                    )
                    for n in ("x", "y")
                ]
                res["concurrent_anonymous"] = [text_of(f.result()[0])[:120] for f in futs]
        if (repo / "dashboard" / "store").is_dir():
            # two maintainers publish two drafts at the same moment, both having seen Stand 0
            make_users(repo, ud)
            wb = Path(tmp) / "k.xlsx"
            wb.write_bytes(blob)
            for _ in range(2):
                cli(repo, ud, "massnahmen", "import", str(wb))
            env = env_for(repo, ud)
            procs = [
                subprocess.Popen(
                    [sys.executable, "-m", "dashboard", "massnahmen", "publish", str(i), "--erwartet", "0"],
                    cwd=repo,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for i in (1, 2)
            ]
            outs = [p.communicate(timeout=300) for p in procs]
            res["concurrent_publish_exit_codes"] = [p.returncode for p in procs]
            res["concurrent_publish_messages"] = [(o + e).strip()[:200] for o, e in outs]
            rc, out, _ = cli(repo, ud, "massnahmen", "versions")
            res["versions_after"] = out.strip().splitlines()[:4]
    return res


def f3_other_kreis(repo: Path) -> dict:
    from tests._tables import other_kreis_table

    with tempfile.TemporaryDirectory() as tmp:
        f = Path(tmp) / "12411-02-03-5_euskirchen.csv"
        f.write_bytes(other_kreis_table())
        rc, out, _ = cli(repo, Path(tmp) / "ud", "data", "import", str(f))
    return {"cli_exit": rc, "says_usable": "verwendbar: ja" in out, "tail": out.strip().splitlines()[-3:]}


def f4_big_bad(repo: Path) -> dict:
    """Finding 4: a CSV with 400,000 problems through the web upload."""
    from tests._tables import derived_table

    # 7,408 rows with an invalid key and 54 values each: 400,032 problems (one per value)
    head = derived_table().decode("cp1252").split("\n")
    first = next(i for i, line in enumerate(head) if line.startswith("05358;"))
    values = ";".join(head[first + 1].split(";")[2:])
    bad = "\n".join(f"ABC{i:05d};X;{values}" for i in range(7_408))
    blob = ("\n".join(head[: first + 16]) + "\n" + bad + "\n" + "\n".join(head[first + 16 :])).encode(
        "cp1252"
    )
    res = {"file_mb": round(len(blob) / 2**20, 2)}
    with tempfile.TemporaryDirectory() as tmp:
        ud = Path(tmp) / "ud"
        srv = Server(repo, ud)
        peak = [0.0]
        stop = threading.Event()

        def sample():
            while not stop.is_set():
                peak[0] = max(peak[0], srv.worker_rss_mb())
                time.sleep(0.2)

        try:
            c = Client(srv.base)
            if has_accounts(c):
                make_users(repo, ud)
                c.login("plan")
            res["worker_rss_before_mb"] = round(srv.worker_rss_mb())
            th = threading.Thread(target=sample, daemon=True)
            th.start()
            r, secs = upload_table(c, blob, "gross.csv")
            stop.set()
            res.update(
                status=r.status_code,
                response_mb=round(len(r.content) / 2**20, 2),
                seconds=round(secs, 1),
                worker_peak_rss_mb=round(peak[0]),
                message=text_of(r)[:200],
                mentions_more=bool(re.search(r"und [\d.]+ weitere", text_of(r))),
                mentions_400k=("400.032" in text_of(r)),
            )
        finally:
            stop.set()
            srv.stop()
    return res


def _formula_workbook() -> bytes:
    import openpyxl

    from dashboard.data.measures import SHIPPED_WORKBOOK

    wb = openpyxl.load_workbook(SHIPPED_WORKBOOK)
    ws = wb["Massnahmen"]
    header = [c.value for c in ws[1]]
    col = header.index("title") + 1
    cell = ws.cell(row=2, column=col)
    cell.value = '=HYPERLINK("http://example.org/x","Klick")'
    cell.data_type = "s"  # a TEXT cell that begins with "=", as a spreadsheet user may type it
    dcol = header.index("description") + 1
    ws.cell(row=3, column=dcol).value = "Kinder <6 Jahre und Senioren >80 Jahre"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _formulas(xlsx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return sum(
            z.read(n).count(b"<f>") + z.read(n).count(b"<f ") for n in z.namelist() if "worksheets" in n
        )


def f5_formulas(repo: Path) -> dict:
    res = {}
    blob = _formula_workbook()
    res["input_formulas"] = _formulas(blob)  # 0: the input has a text cell, not a formula
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "wb.xlsx").write_bytes(blob)
        ud = tmp / "ud"
        accounts = (repo / "dashboard" / "store").is_dir()
        if accounts:
            make_users(repo, ud)
        rc, out, _ = cli(repo, ud, "massnahmen", "import", str(tmp / "wb.xlsx"))
        res["import_exit"], res["import_tail"] = rc, out.strip().splitlines()[-2:]
        if accounts:
            rc, out, _ = cli(repo, ud, "massnahmen", "versions")
            ids = re.findall(r"^\s*(\d+)\s.*Entwurf", out, flags=re.M)
            if ids:
                rc, out, _ = cli(repo, ud, "massnahmen", "publish", ids[-1])
                res["publish_exit"] = rc
        rc, out, _ = cli(repo, ud, "massnahmen", "export", "--out", str(tmp / "out"))
        res["export_exit"] = rc
        if (tmp / "out" / "massnahmen.xlsx").exists():
            res["export_xlsx_formulas"] = _formulas((tmp / "out" / "massnahmen.xlsx").read_bytes())
            csv_text = (tmp / "out" / "massnahmen.csv").read_text(encoding="utf-8")
            res["export_csv_cells_starting_with_="] = len(re.findall(r'(^|,)"?=', csv_text, flags=re.M))
        with Server(repo, ud) as srv:
            c = Client(srv.base)
            r, _ = c.callback("wk-download", {"wk-download-btn.n_clicks": 1})
            try:
                content = r.json()["response"]["wk-download"]["data"]["content"]
                res["web_download_formulas"] = _formulas(base64.b64decode(content))
            except (ValueError, KeyError, TypeError):
                res["web_download_status"] = r.status_code
            r, _ = c.callback("wk-cards", {"wk-ags.value": "05358", "wk-jahr.value": 2030})
            body = r.text
            # a backslash before "<" or ">" (JSON: "\\<" or, as Dash escapes "<", "\\\u003c")
            res["description_backslashes"] = sum(
                body.count(t) for t in ("\\\\<", "\\\\>", "\\\\\\u003c", "\\\\\\u003e")
            )
            res["description_shown_as_text"] = "Kinder \\u003c6 Jahre und Senioren \\u003e80 Jahre" in body
    return res


BAD_VALUES = [["05358008", "05358004"], None, "2030", {"a": 1}, float("nan"), 1e308, "", True]


def f6_types(repo: Path) -> dict:
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        with Server(repo, Path(tmp) / "ud") as srv:
            c = Client(srv.base)
            res["GET /gemeinde?ags=…&ags=…"] = c.get("/gemeinde?ags=05358008&ags=05358004").status_code
            res["GET /szenarien?tfr=nan&tfr=1"] = c.get("/szenarien?tfr=nan&tfr=1").status_code
            res["GET nope.js"] = c.get("/_dash-component-suites/dash/nope.js").status_code
            router = next(
                d["output"]
                for d in c.deps()
                if "_pages_content" in d["output"] and d.get("clientside_function") is None
            )
            body = {
                "output": router,
                "outputs": [
                    {"id": "_pages_content", "property": "children"},
                    {"id": "_pages_store", "property": "data"},
                ],
                "inputs": [
                    {"id": "_pages_location", "property": "pathname", "value": "/gemeinde"},
                    {"id": "_pages_location", "property": "search", "value": "?ags=05358008&ags=05358004"},
                ],
                "state": [],
                "changedPropIds": ["_pages_location.pathname"],
            }
            r = c.http.post(c.base + "/_dash-update-component", json=body, timeout=300)
            res["page content of /gemeinde?ags=…&ags=…"] = r.status_code
            res["page content says repeated"] = "mehrfach" in r.text or "-mal im Link" in r.text
            counts: dict[int, int] = {}
            bad500 = []
            for dep in c.deps():
                if dep.get("clientside_function") is not None:
                    continue
                first = re.split(r"\.\.\.", dep["output"].strip("."))[0].rpartition(".")[0]
                try:
                    out_id = json.loads(first)
                    continue  # pattern-matching output ids: skip in this simple sweep
                except json.JSONDecodeError:
                    out_id = first
                for inp in dep["inputs"]:
                    if isinstance(inp["id"], dict):
                        continue
                    for v in BAD_VALUES:
                        try:
                            r, _ = c.callback(out_id, {f"{inp['id']}.{inp['property']}": v}, timeout=120)
                            code = r.status_code
                        except (requests.RequestException, ValueError):
                            code = -1
                        counts[code] = counts.get(code, 0) + 1
                        if code == 500:
                            bad500.append(f"{out_id} {inp['id']}.{inp['property']}={v!r}")
            res["callback_status_counts"] = counts
            res["callback_500_examples"] = bad500[:8]
    return res


def f7_madeup(repo: Path) -> dict:
    from tests._tables import madeup_table

    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        ud = Path(tmp) / "ud"
        with Server(repo, ud) as srv:
            c = Client(srv.base)
            res["before"] = kreis_figures(c)
            r, _ = upload_table(c, madeup_table(), "12411-02-03-5.csv")
            res["anonymous_upload"] = text_of(r)[:200]
            if has_accounts(c):
                make_users(repo, ud)
                c.login("plan")
                r, _ = upload_table(c, madeup_table(), "12411-02-03-5.csv")
                res["planung_upload"] = text_of(r)[:300]
                rc, out = publish_newest_draft(repo, ud)
                res["cli_publish_exit"], res["cli_publish"] = rc, out.strip()[-200:]
            res["after"] = kreis_figures(Client(srv.base))
    return res


def f8_first_requests(repo: Path, starts: int = 3) -> dict:
    """Finding 8: 8 parallel callbacks as the very first requests of a fresh single worker."""
    res = {"starts": []}
    with tempfile.TemporaryDirectory() as tmp:  # the callback signatures, from a separate start
        with Server(repo, Path(tmp) / "ud") as srv:
            deps = Client(srv.base).deps()
    calls = [
        ("gm-pyramid", {"gm-ags.value": "05358008", "gm-jahr.value": 2030}),
        ("ue-map", {"ue-kennzahl.value": "population", "ue-jahr.value": 2030}),
        ("sz-chart", {"sz-ags.value": "05358", "sz-kennzahl.value": "population"}),
        ("gm-title", {"gm-ags.value": "05358012"}),
    ] * 2
    for _ in range(starts):
        with tempfile.TemporaryDirectory() as tmp:
            # started: port open, no request yet
            with Server(repo, Path(tmp) / "ud", workers=1, wait_http=False) as srv:

                def first(call, base=srv.base):
                    c = Client(base)
                    c._deps = deps
                    return c.callback(*call)[0].status_code

                with ThreadPoolExecutor(8) as ex:
                    codes = list(ex.map(first, calls))
                res["starts"].append(codes)
                res.setdefault("log_key_errors", 0)
                res["log_key_errors"] += srv.log_text().count("Callback function not found")
    res["starts_with_500"] = sum(1 for codes in res["starts"] if 500 in codes)
    return res


def f9_nan(repo: Path) -> dict:
    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        with Server(repo, Path(tmp) / "ud") as srv:
            c = Client(srv.base)
            basis = c.get("/download/kennzahlen.csv")
            r = c.get("/download/kennzahlen.csv?szenario=eigenes&tfr=nan&e0=inf")
            res["status"] = r.status_code
            res["same_as_basis"] = r.status_code == 200 and r.content == basis.content
            res["disposition"] = r.headers.get("Content-Disposition")
            res["body"] = r.text[:160] if r.status_code != 200 else ""
            r = c.get("/download/kurzbericht.pdf?ags=05358&szenario=eigenes&tfr=nan&e0=inf")
            res["pdf_status"] = r.status_code
    return res


def f10_version(repo: Path) -> dict:
    """Finding 10: pyramid callback p50 with 2 and with 22 imports (drafts where there is a store)."""
    from tests._tables import derived_table

    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ud = tmp / "ud"
        store = (repo / "dashboard" / "store").is_dir()
        if store:
            make_users(repo, ud)
        n_done = 0
        for n_target in (2, 22):
            while n_done < n_target:
                f = tmp / f"t{n_done}.csv"
                f.write_bytes(derived_table(shift=n_done + 1))
                rc, out, _ = cli(repo, ud, "data", "import", str(f))
                if store and rc == 0:
                    publish_newest_draft(repo, ud)
                n_done += 1
            with Server(repo, ud) as srv:
                c = Client(srv.base)
                times = []
                for i in range(40):
                    _, secs = c.callback(
                        "gm-pyramid", {"gm-ags.value": "05358008", "gm-jahr.value": 2025 + i % 20}
                    )
                    times.append(secs * 1000)
                res[f"p50_ms_{n_target}_imports"] = round(statistics.median(times[5:]), 1)
    return res


def f11_inputs(repo: Path) -> dict:
    from tests._tables import derived_table

    res = {}
    text = derived_table().decode("cp1252")
    mac = text.replace("TESTDATEI", "TESTDATEI Mac Roman").encode("mac_roman")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        (tmp / "mac.csv").write_bytes(mac)
        rc, out, _ = cli(repo, tmp / "ud", "data", "import", str(tmp / "mac.csv"))
        res["mac_roman_exit"] = rc
        res["mac_roman_doppelt"] = out.count("doppelt")
        res["mac_roman_says_mac"] = "Mac" in out
        res["mac_roman_head"] = out.strip().splitlines()[:2]
        (tmp / "kaputt.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
        rc, out, _ = cli(repo, tmp / "ud", "data", "import", str(tmp / "kaputt.xlsx"))
        res["xlsx_message_has_server_path"] = "/tmp" in out or str(tmp) in out
        res["xlsx_message"] = out.strip()[-200:]
        with Server(repo, tmp / "ud") as srv:
            c = Client(srv.base)
            if has_accounts(c):
                make_users(repo, tmp / "ud")
                c.login("pflege")
            blob = os.urandom(int(9.5 * 2**20))
            r, _ = c.callback(
                "wk-upload-result",
                {
                    "wk-upload.contents": data_url(blob, "application/octet-stream"),
                    "wk-upload.filename": "gross.xlsx",
                },
            )
            res["workbook_9_5_mb_status"] = r.status_code
            res["workbook_9_5_mb_message"] = text_of(r)[:200]
    return res


FINDINGS = {
    1: f1_inconsistent,
    2: f2_accounts,
    3: f3_other_kreis,
    4: f4_big_bad,
    5: f5_formulas,
    6: f6_types,
    7: f7_madeup,
    8: f8_first_requests,
    9: f9_nan,
    10: f10_version,
    11: f11_inputs,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repo", default=str(HERE), help="checkout to start (default: this one)")
    ap.add_argument("--only", default="", help="comma list of finding numbers")
    ap.add_argument("--starts", type=int, default=3, help="fresh starts for finding 8")
    ap.add_argument("--out", default="", help="write the results as JSON here")
    args = ap.parse_args(argv)
    repo = Path(args.repo).resolve()
    only = [int(x) for x in args.only.split(",") if x.strip()] or list(FINDINGS)
    results = {}
    for n in only:
        t0 = time.monotonic()
        fn = FINDINGS[n]
        try:
            results[n] = fn(repo, args.starts) if n == 8 else fn(repo)
        except Exception as exc:  # noqa: BLE001 - a measuring script reports and goes on
            results[n] = {"error": f"{type(exc).__name__}: {exc}"}
        results[n]["_seconds"] = round(time.monotonic() - t0, 1)
        print(
            f"## finding {n}: {fn.__doc__.strip().splitlines()[0] if fn.__doc__ else fn.__name__}", flush=True
        )
        print(json.dumps(results[n], ensure_ascii=False, indent=1), flush=True)
    if args.out:
        Path(args.out).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
