"""Formula-safe exports (OWASP CSV injection) and a fully initialised app before any request."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from dashboard.data import measures as M
from dashboard.data.export_safety import TRIGGERS, neutralise, protect_workbook, restore_text, safe_frame

RISKY = ['=HYPERLINK("http://example.org/x","Klick")', "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"]


def _formulas(xlsx: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return sum(
            z.read(n).count(b"<f>") + z.read(n).count(b"<f ") for n in z.namelist() if "worksheets" in n
        )


def test_neutralise_and_restore_are_inverse_and_leave_numbers_alone():
    for text in RISKY:
        assert neutralise(text) == "'" + text and restore_text(neutralise(text)) == text
    for safe in ("Düren", "", "'quoted", "a=b", 5, -3.5, None):
        assert neutralise(safe) == safe
    df = pd.DataFrame({"t": RISKY, "n": range(len(RISKY)), "neg": [-1.5] * len(RISKY)})
    out = safe_frame(df)
    assert all(v.startswith("'") for v in out.t) and out.n.tolist() == list(range(len(RISKY)))
    assert (out.neg == -1.5).all()  # numbers stay numbers
    assert df.t.tolist() == RISKY  # the input is not changed


def test_workbook_text_cells_never_become_formulas():
    wb = openpyxl.Workbook()
    ws = wb.active
    for i, text in enumerate(RISKY, start=1):
        ws.cell(row=i, column=1, value=text)
        ws.cell(row=i, column=2, value=-i)
    assert ws["A1"].data_type == "f"  # what openpyxl does with a str beginning with "="
    assert protect_workbook(wb) == len(RISKY)
    buf = io.BytesIO()
    wb.save(buf)
    assert _formulas(buf.getvalue()) == 0
    back = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    assert [back.cell(row=i, column=1).value for i in range(1, 5)] == RISKY[:4]  # text unchanged
    assert all(back.cell(row=i, column=1).quotePrefix for i in range(1, len(RISKY) + 1))
    assert back["B1"].value == -1  # numbers stay numbers


def test_catalogue_exports_keep_formula_text_as_text_and_round_trip(tmp_path):
    """Finding 5: a measure title "=HYPERLINK(…)" never comes back as a live formula."""
    cat = M.shipped_catalogue()
    m = cat.measures.copy()
    m.loc[0, "title"] = RISKY[0]
    m.loc[1, "description"] = "-Kinder <6 Jahre, Senioren >80 Jahre"
    evil = M.Catalogue(m, cat.municipalities, cat.sources)
    wb = M.write_workbook(evil, tmp_path / "k.xlsx")
    assert _formulas(wb.read_bytes()) == 0
    assert M.load_workbook(wb).measures.title.iloc[0] == RISKY[0]  # exact round trip
    M.export_csv(evil, tmp_path / "csv")
    raw = (tmp_path / "csv" / "massnahmen.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in raw and "\n=HYPERLINK" not in raw and ",=HYPERLINK" not in raw
    back = M.read_csv_export(tmp_path / "csv")
    assert back.measures.title.iloc[0] == RISKY[0] and back.measures.description.iloc[1].startswith("-Kinder")


def test_download_routes_neutralise_text_cells(monkeypatch):
    from dashboard.app import _downloads, server

    risky = pd.DataFrame({"ags": ["05358008"], "note": [RISKY[0]], "population": [-3]})
    monkeypatch.setattr(_downloads, "table", lambda name, spec, ags=None: risky)
    c = server.test_client()
    csv = c.get("/download/basisdaten.csv").get_data().decode("utf-8-sig")
    assert "'=HYPERLINK" in csv and ";-3" in csv
    xlsx = c.get("/download/basisdaten.xlsx").get_data()
    assert _formulas(xlsx) == 0
    assert openpyxl.load_workbook(io.BytesIO(xlsx))["Daten"]["B2"].value == RISKY[0]


@pytest.mark.parametrize("ch", TRIGGERS)
def test_every_trigger_is_covered(ch):
    assert neutralise(ch + "x") == "'" + ch + "x"


def test_app_is_fully_initialised_at_import_before_any_request():
    """Finding 8: Dash's first-request set-up (callbacks copied into the app) has run when the
    module is imported, so a forked worker never answers its first parallel requests with
    "Callback function not found"."""
    code = (
        "import os; os.environ['DASHBOARD_WARM_UP']='off'\n"
        "from dashboard.app import app\n"
        "assert app._got_first_request['setup_server'] and app._got_first_request['pages']\n"
        "assert sum('callback' in v for v in app.callback_map.values()) >= 20, len(app.callback_map)\n"
        "assert any('_pages_content' in k for k in app.callback_map)\n"
        "print('ok')\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code],
        cwd=Path(__file__).resolve().parents[1],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert r.returncode == 0 and r.stdout.strip().endswith("ok"), r.stderr[-2000:]
