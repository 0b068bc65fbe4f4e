"""File downloads as plain Flask routes (links work without JavaScript and can be shared).

``/download/<table>.<csv|xlsx>?szenario=…`` — tables: ``basisdaten`` (base population by
municipality × sex × age), ``amtlich_kreis`` (official Kreis table 12411-02-03-4 and
12411-0018), ``verlauf`` (municipal totals since 1983), and from the projection of the
scenario in the query: ``bevoelkerung``, ``kennzahlen``, ``altersgruppen``, ``komponenten``,
``annahmen``. ``/download/vorausberechnung.xlsx`` is the model's own workbook.

CSV files are written for German spreadsheet programs: ``;`` as separator, decimal comma,
UTF-8 with byte-order mark. XLSX files carry a second sheet ``Quelle`` with provenance.
"""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
from flask import Flask, abort, request, send_file

from dashboard.app import _model

SOURCE_NOTE = [
    "Kreis Düren 2030 – Demografie-Dashboard",
    "Amtliche Daten: Statistische Ämter des Bundes und der Länder, IT.NRW; Datenlizenz Deutschland – "
    "Namensnennung 2.0 (dl-de/by-2-0).",
    "Die Altersstruktur der Gemeinden ist geschätzt (Spalte 'estimated'); Werte ab dem Basisjahr "
    "sind Modellrechnungen (Spalte 'projected').",
]

TABLES = {
    "basisdaten": "Basisbevölkerung nach Gemeinde, Geschlecht und Alter",
    "amtlich_kreis": "Kreis Düren nach Geschlecht und 17 Altersgruppen (amtlich)",
    "verlauf": "Einwohnerzahlen der Gemeinden seit 1983 (amtlich)",
    "bevoelkerung": "Vorausberechnete Bevölkerung nach Gemeinde, Geschlecht und Alter",
    "kennzahlen": "Kennzahlen je Gemeinde und Jahr",
    "altersgruppen": "Planungsaltersgruppen je Gemeinde und Jahr",
    "komponenten": "Geburten, Sterbefälle und Wanderungen je Jahr",
    "annahmen": "Annahmen des Szenarios",
    "rueckrechnung": "Rückrechnung (Backtest) des Modells",
    "intervalle": "Vorausberechnung mit 80- und 95-%-Intervallen (Median, Grenzen; 1.000 Simulationen)",
    "trefferquote": "Trefferquote der Intervalle in der Rückrechnung (Backtest)",
}
MODEL_TABLES = {"bevoelkerung": "population", "kennzahlen": "indicators", "altersgruppen": "age_groups",
                "komponenten": "components", "annahmen": "assumptions"}
#: Downloads that need the projection model.
MODEL_DEPENDENT = frozenset(MODEL_TABLES) | {"rueckrechnung", "intervalle", "trefferquote"}
#: Draws behind the interval download (the full run; the charts use fewer).
DOWNLOAD_DRAWS = 1000


def table(name: str, spec: _model.ScenarioSpec) -> pd.DataFrame:
    """The DataFrame behind a download name (raises KeyError for unknown names)."""
    if name == "basisdaten":
        return _model.base_population()
    if name == "amtlich_kreis":
        from dashboard.data import kreis_age_groups
        return kreis_age_groups()
    if name == "verlauf":
        return _model.history_series()[0]
    if name == "rueckrechnung" and _model.model_available():
        return _model.backtest_table()
    if name == "intervalle" and _model.model_available():
        return _model.probabilistic(spec, draws=DOWNLOAD_DRAWS).download_table()
    if name == "trefferquote" and _model.model_available():
        return _model.backtest_coverage()
    if name in MODEL_TABLES and _model.model_available():
        return getattr(_model.result(spec), MODEL_TABLES[name]).copy()
    raise KeyError(name)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def to_xlsx_bytes(df: pd.DataFrame, title: str, scenario_label: str | None) -> bytes:
    buf = io.BytesIO()
    out = df.copy()
    for c in out.columns:  # Excel cannot store time zones or categoricals as such
        if isinstance(out[c].dtype, pd.CategoricalDtype):
            out[c] = out[c].astype(str)
    notes = [title] + ([f"Szenario: {scenario_label}"] if scenario_label else []) + SOURCE_NOTE
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        out.to_excel(xl, sheet_name="Daten", index=False)
        pd.DataFrame({"Hinweis": notes}).to_excel(xl, sheet_name="Quelle", index=False)
    return buf.getvalue()


def _spec() -> _model.ScenarioSpec:
    a = request.args
    return _model.parse_scenario(a.get("szenario"), a.get("tfr"), a.get("e0"), a.get("wanderung"))


def register(server: Flask) -> None:
    """Add the download routes to the Flask server."""

    @server.route("/download/<name>.<ext>")
    def download(name: str, ext: str):
        spec = _spec()
        if name == "vorausberechnung" and ext == "xlsx" and _model.model_available():
            with tempfile.TemporaryDirectory() as tmp:
                path = Path(tmp) / "vorausberechnung.xlsx"
                _model.result(spec).to_excel(path)
                data = path.read_bytes()
            return send_file(io.BytesIO(data), as_attachment=True,
                             download_name=f"vorausberechnung_{spec.key}.xlsx",
                             mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        if ext not in ("csv", "xlsx") or name not in TABLES:
            abort(404)
        try:
            df = table(name, spec)
        except KeyError:
            abort(404)
        suffix = f"_{spec.key}" if name in MODEL_TABLES else ""
        label = _model.preset_label(spec.key) if name in MODEL_TABLES else None
        if ext == "csv":
            return send_file(io.BytesIO(to_csv_bytes(df)), as_attachment=True, mimetype="text/csv",
                             download_name=f"{name}{suffix}.csv")
        return send_file(io.BytesIO(to_xlsx_bytes(df, TABLES[name], label)), as_attachment=True,
                         download_name=f"{name}{suffix}.xlsx",
                         mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
