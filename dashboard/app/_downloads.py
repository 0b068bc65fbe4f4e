"""File downloads as plain Flask routes (links work without JavaScript and can be shared).

``/download/<table>.<csv|xlsx>?szenario=…`` — tables: ``basisdaten`` (base population by
municipality × sex × age), ``amtlich_kreis`` (official Kreis table 12411-02-03-4 and
12411-0018), ``verlauf`` (municipal totals since 1983), and from the projection of the
scenario in the query: ``bevoelkerung``, ``kennzahlen``, ``altersgruppen``, ``komponenten``,
``annahmen``. ``/download/vorausberechnung.xlsx`` is the model's own workbook.

Every table is written for German spreadsheet users (:mod:`dashboard.app._spreadsheet`): German
headers and values, persons as whole numbers, shares in percent. CSV: ``;`` as separator, decimal
comma, UTF-8 with byte-order mark; ``exakt=ja`` gives the unrounded model values. XLSX: sheets
``Daten`` (rounded), ``exakt`` (unrounded) and ``Quelle`` (title, scenario, area, provenance).
``ags=<AGS>`` limits a table to one municipality or (``05358``) the Kreis; the download panel of
every page (:mod:`dashboard.app._download_panel`) builds these links. ``t=<token>`` makes the
answer set the cookie ``download=<token>``, so the panel can say when a slow file has started.

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
from urllib.parse import urlencode

import pandas as pd
from flask import Flask, Response, abort, request, send_file

from dashboard.app import _model, _spreadsheet
from dashboard.app._query import scenario_problems
from dashboard.data import one_data_version, served_state
from dashboard.figures.labels import assumptions_de
from dashboard.settings import SETTINGS
from dashboard.text import QUERY

SOURCE_NOTE = [
    "Kreis Düren 2030 – Demografie-Dashboard",
    "Amtliche Daten: Statistische Ämter des Bundes und der Länder, IT.NRW; Datenlizenz Deutschland – "
    "Namensnennung 2.0 (dl-de/by-2-0).",
    "Die Einwohnerzahlen der Gemeinden am 31.12.2024 sind amtlich (IT.NRW 12411-15i; Spalte "
    "„Einwohnerzahl geschätzt“ = nein); ob ihre Altersstruktur amtlich oder geschätzt ist, sagt die "
    "Spalte „geschätzt“ (geschätzt, solange keine amtliche Gemeindetabelle nach Geschlecht und Alter "
    "veröffentlicht ist); Werte nach dem Basisjahr sind Modellrechnungen (Spalte „vorausberechnet“).",
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
    "intervalle": (
        "Vorausberechnung mit 80- und 95-%-Intervallen (Median, Grenzen; dieselbe Simulation wie "
        "Diagramme und Kurzbericht)"
    ),
    "trefferquote": "Trefferquote der Intervalle in der Rückrechnung (Backtest)",
}
MODEL_TABLES = {
    "bevoelkerung": "population",
    "kennzahlen": "indicators",
    "altersgruppen": "age_groups",
    "komponenten": "components",
    "annahmen": "assumptions",
}
#: Downloads whose numbers depend on the scenario (file names carry it).
SCENARIO_TABLES = frozenset(MODEL_TABLES) | {"intervalle"}


def table(name: str, spec: _model.ScenarioSpec, ags: str | None = None) -> pd.DataFrame:
    """The DataFrame behind a download name, optionally of one area only (raises KeyError for
    unknown names)."""
    df = _table(name, spec)
    return df if ags is None else area_rows(df, ags, name=name, spec=spec)


def area_rows(df: pd.DataFrame, ags: str, *, name: str = "", spec=None) -> pd.DataFrame:
    """The rows of one municipality or (``05358``) of the Kreis. Tables by municipality without
    Kreis rows (population by age) are summed to the Kreis; tables without an area column are
    returned whole."""
    from dashboard.constants import KREIS_AGS

    if "ags" not in df.columns:
        return df
    if ags in set(df.ags):
        return df[df.ags == ags].reset_index(drop=True)
    if ags == KREIS_AGS and name == "bevoelkerung" and spec is not None:
        return _model.region_population(spec, KREIS_AGS).assign(municipality="Kreis Düren")[list(df.columns)]
    if ags == KREIS_AGS and {"sex", "age", "population"} <= set(df.columns):
        keys = [c for c in ("year", "sex", "age") if c in df.columns]
        flags = [c for c in df.columns if pd.api.types.is_bool_dtype(df[c].dtype)]
        out = df.groupby(keys, as_index=False).agg({"population": "sum", **dict.fromkeys(flags, "any")})
        return out.assign(ags=KREIS_AGS, municipality="Kreis Düren")[list(df.columns)]
    return df.iloc[0:0]


def _table(name: str, spec: _model.ScenarioSpec) -> pd.DataFrame:
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
        return _model.interval_table(spec)
    if name == "trefferquote":
        return _model.backtest_coverage()
    if name == "annahmen":
        return assumptions_de(_model.result(spec).assumptions)
    if name in MODEL_TABLES:
        return getattr(_model.result(spec), MODEL_TABLES[name]).copy()
    raise KeyError(name)


def to_csv_bytes(df: pd.DataFrame, *, exact: bool = False) -> bytes:
    """German CSV (headers, values, rounding: :mod:`dashboard.app._spreadsheet`); formula-safe."""
    return _spreadsheet.csv_bytes(df, exact=exact)


def to_xlsx_bytes(
    df: pd.DataFrame, title: str, scenario_label: str | None, region: str | None = None
) -> bytes:
    """German workbook: ``Daten`` (rounded), ``exakt``, ``Quelle`` (title, scenario, area, sources)."""
    from dashboard.text import DOWNLOAD

    notes = ([DOWNLOAD["scenario_line"].format(scenario=scenario_label)] if scenario_label else []) + (
        [DOWNLOAD["region_line"].format(region=region)] if region else []
    )
    return _spreadsheet.xlsx_bytes(df, title=title, notes=notes + SOURCE_NOTE)


def file_name(name: str, ext: str, spec: _model.ScenarioSpec, ags: str | None) -> str:
    """``altersgruppen_05358012_zuwanderung_niedrig.csv`` (area and scenario where they apply)."""
    parts = [name] + ([ags] if ags else []) + ([spec.key] if name in SCENARIO_TABLES else [])
    return "_".join(parts) + f".{ext}"


def download_args() -> tuple[str | None, bool, str | None] | list[str]:
    """``(ags, exact, token)`` of a download request, or German problems (strict, no fallback)."""
    import re

    from dashboard.text import DOWNLOAD

    a = request.args
    problems = []
    ags = a.get("ags")
    if ags is not None and _model.parse_ags(ags, default="") != ags:
        problems.append(DOWNLOAD["bad_ags"].format(value=ags[:40]))
    exact = a.get("exakt", "nein")
    if exact not in ("ja", "nein"):
        problems.append(DOWNLOAD["bad_exact"].format(value=exact[:40]))
    token = a.get("t")
    token = token if token and re.fullmatch(r"[A-Za-z0-9_-]{1,40}", token) else None
    return problems or (ags, exact == "ja", token)


def _sent(resp: Response, token: str | None) -> Response:
    """Mark a finished download for the panel's progress note (cookie ``download=<token>``)."""
    if token:
        resp.set_cookie("download", token, max_age=120, samesite="Lax", path="/")
    return resp


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

    def make() -> bytes:  # German headers and values, an "exakt" sheet per table (issue 17.6)
        return _spreadsheet.workbook_xlsx(_model.result(spec), scenario=_model.preset_label(spec.key))

    with one_data_version():  # the file is made from the data of its key's version
        key = key_of("workbook", 2, repr(spec), _model.data_version())
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
        with one_data_version():
            key = _pdf.cache_key("brief", ags, repr(spec), _model.data_version(), public_url)
            state = served_state()

        def document() -> str:  # rendered in a background thread: with the data of the key
            with one_data_version(state):
                return _pdf.brief_document(ags, spec, public_url=public_url)

        status = _pdf.request_pdf(key, document, chromium)
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
        args = download_args()
        if isinstance(args, list):
            problems += args
        if problems:  # never the Basis under the name of another scenario
            return _german_error(400, QUERY["download_refused"].format(problems="; ".join(problems)))
        ags, exact, token = args
        spec = _spec()
        if name == "vorausberechnung" and ext == "xlsx":
            data = workbook_bytes(spec)
            return _sent(
                send_file(
                    io.BytesIO(data),
                    as_attachment=True,
                    download_name=f"vorausberechnung_{spec.key}.xlsx",
                    mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                ),
                token,
            )
        if ext not in ("csv", "xlsx") or name not in TABLES:
            abort(404)
        try:
            with one_data_version():  # one release for the whole table
                df = table(name, spec, ags)
        except KeyError:
            abort(404)
        label = _model.spec_label(spec) if name in SCENARIO_TABLES else None
        download_name = file_name(name, ext, spec, ags)
        if ext == "csv":
            resp = send_file(
                io.BytesIO(to_csv_bytes(df, exact=exact)),
                as_attachment=True,
                mimetype="text/csv",
                download_name=download_name,
            )
        else:
            from dashboard.figures.labels import region_name

            resp = send_file(
                io.BytesIO(to_xlsx_bytes(df, TABLES[name], label, region_name(ags) if ags else None)),
                as_attachment=True,
                download_name=download_name,
                mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            )
        return _sent(resp, token)
