"""File downloads as plain Flask routes (links work without JavaScript and can be shared).

``/download/<table>.<csv|xlsx>?szenario=…`` — tables: ``basisdaten`` (base population by
municipality × sex × age), ``amtlich_kreis`` (official Kreis table 12411-02-03-4 and
12411-0018), ``verlauf`` (municipal totals since 1983), and from the projection of the
scenario in the query: ``bevoelkerung``, ``kennzahlen``, ``altersgruppen``, ``komponenten``,
``annahmen``. ``/download/vorausberechnung.xlsx`` is the model's own workbook.

CSV files are written for German spreadsheet programs: ``;`` as separator, decimal comma,
UTF-8 with byte-order mark. XLSX files carry a second sheet ``Quelle`` with provenance.

``/download/kurzbericht.pdf?ags=…&szenario=…`` sends the one-page brief as
``kurzbericht_<ags>_<szenario>.pdf``, printed by headless Chromium from an HTML file built in
Python (no request to this server; see :mod:`dashboard.app._pdf`). A PDF not yet in the cache
is filed for rendering and the answer is HTTP 202 with a German "wird erstellt" page that asks
again by itself (``Retry-After``); a full queue answers 503 "ausgelastet". Without Chromium on
the server the route answers 503 with a pointer to the browser's own "Drucken / als PDF
speichern".

``/download/vorausberechnung.xlsx`` (the full workbook, seconds of CPU) is computed once per
data version and scenario and then served from the cache folder.
"""

from __future__ import annotations

import html as html_lib
import io
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd
from flask import Flask, Response, abort, request, send_file

from dashboard.app import _model
from dashboard.app._query import scenario_problems
from dashboard.data.export_safety import protect_workbook, safe_frame
from dashboard.export import write_excel
from dashboard.figures.labels import assumptions_de
from dashboard.projection.uncertainty import FULL_DRAWS
from dashboard.settings import SETTINGS
from dashboard.text import QUERY

SOURCE_NOTE = [
    "Kreis Düren 2030 – Demografie-Dashboard",
    "Amtliche Daten: Statistische Ämter des Bundes und der Länder, IT.NRW; Datenlizenz Deutschland – "
    "Namensnennung 2.0 (dl-de/by-2-0).",
    "Die Einwohnerzahlen der Gemeinden am 31.12.2024 sind amtlich (IT.NRW 12411-15i; Spalte "
    "'total_estimated' = False); ob ihre Altersstruktur amtlich oder geschätzt ist, sagt die Spalte "
    "'estimated' (geschätzt, solange keine amtliche Gemeindetabelle nach Geschlecht und Alter "
    "veröffentlicht ist); Werte nach dem Basisjahr sind Modellrechnungen (Spalte 'projected').",
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
MODEL_TABLES = {
    "bevoelkerung": "population",
    "kennzahlen": "indicators",
    "altersgruppen": "age_groups",
    "komponenten": "components",
    "annahmen": "assumptions",
}
#: Draws behind the interval download (the model's full run; the charts use fewer).
DOWNLOAD_DRAWS = FULL_DRAWS


def table(name: str, spec: _model.ScenarioSpec) -> pd.DataFrame:
    """The DataFrame behind a download name (raises KeyError for unknown names)."""
    if name == "basisdaten":
        return _model.base_population()
    if name == "amtlich_kreis":
        from dashboard.data import kreis_age_groups

        return kreis_age_groups()
    if name == "verlauf":
        return _model.history_series()[0]
    if name == "rueckrechnung":
        return _model.backtest_table()
    if name == "intervalle":
        return _model.probabilistic(spec, draws=DOWNLOAD_DRAWS).download_table()
    if name == "trefferquote":
        return _model.backtest_coverage()
    if name == "annahmen":
        return assumptions_de(_model.result(spec).assumptions)
    if name in MODEL_TABLES:
        return getattr(_model.result(spec), MODEL_TABLES[name]).copy()
    raise KeyError(name)


def to_csv_bytes(df: pd.DataFrame) -> bytes:
    """German CSV; text cells that a spreadsheet would run as a formula are neutralised."""
    return safe_frame(df).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


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
        protect_workbook(xl.book)
    return buf.getvalue()


#: Brief shown when the query names no municipality (same as the page's default).
PDF_DEFAULT_AGS = "05358008"
PDF_UNAVAILABLE = (
    "Der PDF-Export ist auf diesem Server nicht verfügbar; bitte nutzen Sie „Drucken / als PDF speichern“."
)
PDF_PENDING_TITLE = "Der Kurzbericht wird erstellt …"
PDF_PENDING = (
    "Der Kurzbericht „{name}“ ({scenario}) wird als PDF erstellt. Das dauert einige Sekunden; "
    "diese Seite fragt von selbst erneut nach, und der Download beginnt, sobald die Datei fertig ist."
)
PDF_BUSY_TITLE = "Der PDF-Export ist gerade ausgelastet"
PDF_BUSY = (
    "Gerade werden viele Kurzberichte erstellt. Diese Seite versucht es in {seconds} Sekunden von selbst "
    "erneut. Sofort geht es im Kurzbericht mit „Drucken / als PDF speichern“."
)
PDF_TIMEOUT_MSG = (
    "Der Kurzbericht konnte nicht rechtzeitig als PDF erzeugt werden; bitte versuchen Sie es "
    "erneut oder nutzen Sie „Drucken / als PDF speichern“."
)
PDF_FAILED = (
    "Der Kurzbericht konnte nicht als PDF erzeugt werden; bitte nutzen Sie „Drucken / als PDF speichern“."
)


def find_chromium() -> str | None:
    """Path of a Chromium executable on this server, or None."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def brief_query(ags: str, spec: _model.ScenarioSpec) -> str:
    """URL query (``ags=…&szenario=…[&tfr=…]``) of a brief."""
    return urlencode({"ags": ags, **spec.query()})


def pdf_href(ags: str, spec: _model.ScenarioSpec) -> str:
    """Link to the brief's PDF download."""
    return "/download/kurzbericht.pdf?" + brief_query(ags, spec)


def brief_request() -> tuple[str, _model.ScenarioSpec] | list[str]:
    """AGS and scenario of a PDF request, or the list of German problems (strict: no fallback;
    the scenario's keys and checks come from its parameter declaration)."""
    a = request.args
    problems = scenario_problems(a)
    ags = a.get("ags", PDF_DEFAULT_AGS)
    if _model.parse_ags(ags, default="") != ags:
        problems.append(
            f"Unbekannter Gemeindeschlüssel „{ags}“ (erwartet: achtstelliger AGS einer Gemeinde "
            "des Kreises Düren oder 05358)."
        )
    if problems:
        return problems
    return ags, _spec()


def workbook_bytes(spec: _model.ScenarioSpec) -> bytes:
    """The model's full workbook of a scenario, computed once per data version and scenario."""
    from dashboard.app._filecache import compute_once, key_of

    def make() -> bytes:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "vorausberechnung.xlsx"
            write_excel(_model.result(spec), path)
            return path.read_bytes()

    key = key_of("workbook", 1, repr(spec), _model.data_version())
    return compute_once("xlsx", key, ".xlsx", make)


def public_base_url() -> str | None:
    """The site's public address for links in files made on the server (``DASHBOARD_PUBLIC_URL``)."""
    return SETTINGS.public_url


def pending_page(ags: str, spec: _model.ScenarioSpec, *, busy: bool) -> Response:
    """German "wird erstellt" (202) or "ausgelastet" (503) page that asks again by itself."""
    from dashboard.app import _pdf
    from dashboard.figures.labels import region_name

    seconds = _pdf.RETRY_AFTER_BUSY if busy else _pdf.RETRY_AFTER
    title = PDF_BUSY_TITLE if busy else PDF_PENDING_TITLE
    text = (
        PDF_BUSY.format(seconds=seconds)
        if busy
        else PDF_PENDING.format(name=region_name(ags), scenario=_model.describe_scenario(spec))
    )
    esc = html_lib.escape
    again = pdf_href(ags, spec)
    back = "/kurzbericht?" + brief_query(ags, spec)
    body = f"""<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><meta http-equiv="refresh" content="{seconds}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)}</title><link rel="stylesheet" href="/assets/style.css"></head>
<body><main id="inhalt"><h1>{esc(title)}</h1><p role="status">{esc(text)}</p>
<p><a href="{esc(again)}">Jetzt erneut versuchen</a> · <a href="{esc(back)}">Zurück zum Kurzbericht</a></p>
</main></body></html>
"""
    return Response(
        body,
        status=503 if busy else 202,
        mimetype="text/html",
        headers={"Retry-After": str(seconds), "Cache-Control": "no-store"},
    )


def _german_error(status: int, message: str) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _spec() -> _model.ScenarioSpec:
    """The request's scenario (callers refuse invalid queries first, :func:`scenario_problems`)."""
    a = request.args
    return _model.spec_from_query({k: a.get(k) for k in _model.URL_KEYS if a.get(k) is not None})[0]


def register(server: Flask) -> None:
    """Add the download routes to the Flask server."""

    @server.route("/download/kurzbericht.pdf")
    def kurzbericht_pdf():
        from dashboard.app import _pdf

        parsed = brief_request()
        if isinstance(parsed, list):
            return _german_error(400, " ".join(parsed))
        ags, spec = parsed
        chromium = find_chromium()
        if chromium is None:
            return _german_error(503, PDF_UNAVAILABLE)
        public_url = public_base_url()
        key = _pdf.cache_key("brief", ags, repr(spec), _model.data_version(), public_url)
        status = _pdf.request_pdf(
            key, lambda: _pdf.brief_document(ags, spec, public_url=public_url), chromium
        )
        if status.state == "ready":
            return send_file(
                io.BytesIO(status.data),
                as_attachment=True,
                mimetype="application/pdf",
                download_name=f"kurzbericht_{ags}_{spec.key}.pdf",
                max_age=0,
            )
        if status.state == "failed":
            if status.message == "timeout":
                return _german_error(504, PDF_TIMEOUT_MSG)
            return _german_error(502, PDF_FAILED)
        busy = status.state == "busy"
        return pending_page(ags, spec, busy=busy)

    @server.route("/download/<name>.<ext>")
    def download(name: str, ext: str):
        problems = scenario_problems(request.args)
        if problems:  # never the Basis under the name of another scenario
            return _german_error(400, QUERY["download_refused"].format(problems="; ".join(problems)))
        spec = _spec()
        if name == "vorausberechnung" and ext == "xlsx":
            data = workbook_bytes(spec)
            return send_file(
                io.BytesIO(data),
                as_attachment=True,
                download_name=f"vorausberechnung_{spec.key}.xlsx",
                mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        if ext not in ("csv", "xlsx") or name not in TABLES:
            abort(404)
        try:
            df = table(name, spec)
        except KeyError:
            abort(404)
        suffix = f"_{spec.key}" if name in MODEL_TABLES else ""
        label = _model.spec_label(spec) if name in MODEL_TABLES else None
        if ext == "csv":
            return send_file(
                io.BytesIO(to_csv_bytes(df)),
                as_attachment=True,
                mimetype="text/csv",
                download_name=f"{name}{suffix}.csv",
            )
        return send_file(
            io.BytesIO(to_xlsx_bytes(df, TABLES[name], label)),
            as_attachment=True,
            download_name=f"{name}{suffix}.xlsx",
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
