"""Daten & Methodik: sources, census breaks, estimation, assumptions, backtest, downloads, upload."""

from __future__ import annotations

import base64
import binascii
import tempfile
from pathlib import Path

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard.app import _model
from dashboard.app._components import data_table, notice, stand_line
from dashboard.app._downloads import MODEL_DEPENDENT, TABLES
from dashboard.constants import AGS_LIST, BASIS_Z2011, BASIS_Z2022, CENSUS_DATES
from dashboard.figures.labels import (
    DRIVER_LABELS,
    METHODIK,
    SOURCES,
    T,
    assumptions_de,
    fmt_dec,
    fmt_int,
    region_name,
)

dash.register_page(
    __name__, path="/methodik", name="Daten & Methodik", order=5, title="Daten & Methodik – Kreis Düren 2030"
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def _sources_table() -> html.Table:
    df = pd.DataFrame(SOURCES, columns=["what", "publisher", "table", "stand", "basis", "licence"])
    return data_table(
        df,
        {
            "what": ("Daten", "text"),
            "publisher": ("Herausgeber", "text"),
            "table": ("Tabelle", "text"),
            "stand": ("Stand", "text"),
            "basis": ("Zensusbasis", "text"),
            "licence": ("Lizenz", "text"),
        },
        caption="Quellen und Lizenzen",
        row_header="what",
    )


def census_break_table() -> pd.DataFrame:
    """Per municipality: last figure on the Zensus 2011 basis before and the Zensus 2022 result.

    Returns ``ags, region, z11_2021, z22_census, difference, rel`` (official figures only).
    """
    h, _ = _model.history_series()
    z11 = h[(h.basis == BASIS_Z2011) & (h.reference_date == pd.Timestamp("2021-12-31"))].set_index("ags")
    z22 = h[
        (h.basis == BASIS_Z2022) & (h.reference_date == pd.Timestamp(CENSUS_DATES[BASIS_Z2022]))
    ].set_index("ags")
    rows = []
    for a in list(AGS_LIST) + ["05358"]:
        if a in z11.index and a in z22.index:
            before, after = int(z11.at[a, "population"]), int(z22.at[a, "population"])
            rows.append(
                {
                    "region": region_name(a),
                    "z11": before,
                    "z22": after,
                    "diff": after - before,
                    "rel": (after - before) / before,
                }
            )
    return pd.DataFrame(rows)


def _downloads() -> html.Div:
    items = []
    for name, title in TABLES.items():
        if name in MODEL_DEPENDENT and not _model.model_available():
            continue
        items.append(
            html.Li(
                [
                    title,
                    ": ",
                    html.A("CSV", href=f"/download/{name}.csv", id=f"dl-{name}-csv"),
                    " · ",
                    html.A("XLSX", href=f"/download/{name}.xlsx", id=f"dl-{name}-xlsx"),
                ]
            )
        )
    if _model.model_available():
        items.append(
            html.Li(
                [
                    "Vollständige Vorausberechnung (Basis) als Arbeitsmappe: ",
                    html.A("XLSX", href="/download/vorausberechnung.xlsx", id="dl-vorausberechnung"),
                ]
            )
        )
    return html.Div([html.Ul(items, className="downloads"), html.P(METHODIK["csv"])])


def _model_sections() -> list:
    if not _model.model_available():
        return [notice(T["no_model"])]
    res = _model.result(_model.ScenarioSpec("basis"))
    a = assumptions_de(res.assumptions)
    a["value"] = [fmt_dec(v, 3 if abs(v) < 10 else 0) if v == v else "" for v in a.value]
    out = [
        html.H2("Annahmen der Basisvariante", id="annahmen"),
        html.Div(
            data_table(
                a,
                {
                    "component_de": ("Bereich", "text"),
                    "parameter_de": ("Annahme", "text"),
                    "value": ("Wert", "text"),
                    "unit_de": ("Einheit", "text"),
                    "source": ("Quelle", "text"),
                    "period": ("Zeitraum", "text"),
                    "method": ("Methode", "text"),
                    "fit": ("Anpassung", "text"),
                },
                caption="Annahmen (Basis)",
                row_header="parameter_de",
            ),
            className="table-scroll",
        ),
    ]
    bt = _model.backtest_summary()
    out += [
        html.H2("Rückrechnung: Wie genau wäre das Modell gewesen?", id="backtest"),
        html.P(
            "Das Modell wurde von früheren Basisjahren aus gerechnet und mit den später veröffentlichten "
            "amtlichen Zahlen verglichen (Wachstum zensusbereinigt), zusammen mit einfachen "
            "Vergleichsverfahren (konstant, linearer Trend, konstanter Anteil) und der früheren amtlichen "
            "Vorausberechnung. MAPE: mittlerer absoluter Fehler in Prozent."
        ),
        html.Div(
            data_table(
                bt,
                {
                    "case": ("Fall", "text"),
                    "level": ("Ebene", "text"),
                    "method": ("Verfahren", "text"),
                    "n": ("Vergleiche", "int"),
                    "mape": ("MAPE", "pct"),
                    "median_ape": ("Median-APE", "pct"),
                    "mean_signed_pct_error": ("mittlere Abweichung", "pct"),
                    "worst_municipality": ("größter Fehler bei", "text"),
                    "worst_ape": ("größter Fehler", "pct"),
                },
                caption="Rückrechnung (Backtest): Zusammenfassung",
                table_id="mt-backtest",
            ),
            className="table-scroll",
        ),
    ]
    return out + _uncertainty_section()


def _uncertainty_section() -> list:
    """Coverage of the intervals in the backtest and the chosen driver models."""
    from dashboard.projection.drivers import model_comparison

    cov = _model.backtest_coverage().assign(
        level=lambda d: d.level.map({"Kreis": "Kreis", "Gemeinde": "Gemeinden"}),
        nominal=lambda d: [f"{round(100 * x)} %" for x in d.nominal],
    )
    models = model_comparison()
    models = models.assign(
        driver=models.driver.map(DRIVER_LABELS),
        selected=models.selected.map({True: "ja", False: ""}),
        converged=models.converged.map({True: "ja", False: "nein"}),
        aic=[fmt_dec(v, 1) for v in models.aic],
        bic=[fmt_dec(v, 1) for v in models.bic],
    )
    return [
        html.H2("Unsicherheit: Wie gut treffen die Intervalle?", id="unsicherheit"),
        html.P(METHODIK["uncertainty"]),
        html.Div(
            data_table(
                cov,
                {
                    "level": ("Ebene", "text"),
                    "nominal": ("Sollwert", "text"),
                    "n": ("Vergleiche", "int"),
                    "inside": ("im Intervall", "int"),
                    "coverage": ("Trefferquote", "pct"),
                },
                caption="Trefferquote der Intervalle in der Rückrechnung",
                table_id="mt-coverage",
            ),
            className="table-scroll",
        ),
        html.Div(
            data_table(
                models,
                {
                    "driver": ("Größe", "text"),
                    "model": ("Modell", "text"),
                    "nobs": ("Beobachtungen", "int"),
                    "aic": ("AIC", "text"),
                    "bic": ("BIC", "text"),
                    "converged": ("konvergiert", "text"),
                    "selected": ("gewählt", "text"),
                },
                caption="Zeitreihenmodelle der Einflussgrößen (Auswahl nach BIC)",
                table_id="mt-drivers",
            ),
            className="table-scroll",
        ),
    ]


def layout(**_query) -> html.Div:
    brk = census_break_table()
    return html.Div(
        [
            html.H1("Daten & Methodik"),
            stand_line(),
            html.P(METHODIK["intro"]),
            html.H2("Quellen und Lizenzen", id="quellen"),
            html.Div(_sources_table(), className="table-scroll"),
            html.H2("Zensus-Brüche", id="zensus"),
            html.P(METHODIK["breaks"]),
            html.Div(
                data_table(
                    brk,
                    {
                        "region": ("Gebiet", "text"),
                        "z11": ("31.12.2021 (Basis Zensus 2011)", "int"),
                        "z22": ("Zensus 2022 (15.05.2022)", "int"),
                        "diff": ("Differenz", "int"),
                        "rel": ("Differenz in %", "pct"),
                    },
                    caption="Einwohner vor und nach dem Zensus 2022 (amtlich; die Differenz enthält "
                    "auch die Entwicklung von 4½ Monaten)",
                    row_header="region",
                ),
                className="table-scroll",
            ),
            html.H2("Wie die Altersstruktur der Gemeinden geschätzt wurde", id="schaetzung"),
            html.P(METHODIK["estimation"]),
            html.H2("Das Modell", id="modell"),
            html.P(METHODIK["model"]),
            *_model_sections(),
            html.H2("Downloads", id="downloads"),
            _downloads(),
            html.H2("Eigene Daten hochladen", id="upload"),
            html.P(METHODIK["upload"]),
            dcc.Upload(
                id="mt-upload",
                children=html.Div(
                    ["Datei hierher ziehen oder ", html.Button("Datei auswählen", type="button")]
                ),
                max_size=MAX_UPLOAD_BYTES,
                accept=".csv,.txt,.xlsx",
                className="upload",
                multiple=False,
            ),
            html.Div(id="mt-upload-result", **{"aria-live": "polite"}),
        ]
    )


def decode_upload(contents: str) -> bytes:
    """Bytes of a ``data:…;base64,…`` upload value (raises ValueError if malformed)."""
    try:
        _, b64 = contents.split(",", 1)
        return base64.b64decode(b64, validate=True)
    except (ValueError, binascii.Error) as exc:
        raise ValueError("Die Datei konnte nicht gelesen werden.") from exc


def import_upload(contents: str, filename: str) -> html.Div:
    """Validate and import an uploaded GENESIS export; German result or problem table."""
    from dashboard.data.errors import DataFormatError

    try:
        raw = decode_upload(contents)
    except ValueError as exc:
        return notice(str(exc), "error")
    if len(raw) > MAX_UPLOAD_BYTES:
        return notice(
            f"Die Datei ist zu groß ({fmt_int(len(raw) / 1024)} KB; erlaubt sind höchstens "
            f"{fmt_int(MAX_UPLOAD_BYTES / 1024)} KB).",
            "error",
        )
    try:
        from dashboard.data.userdata import import_file
    except ImportError:
        return notice("Der Import von GENESIS-Dateien ist in dieser Version noch nicht verfügbar.", "error")
    safe = Path(filename or "upload.csv").name
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / safe
        path.write_bytes(raw)
        try:
            out = import_file(path)
        except DataFormatError as err:
            probs = pd.DataFrame(
                [
                    {
                        "file": p.file,
                        "row": "" if p.row is None else str(p.row),
                        "column": p.column or "",
                        "expected": p.expected,
                        "found": p.found,
                    }
                    for p in err.problems
                ]
            )
            return html.Div(
                [
                    notice(
                        f"Die Datei „{safe}“ wurde nicht übernommen: {len(err.problems)} "
                        "Problem(e) gefunden.",
                        "error",
                    ),
                    html.Div(
                        data_table(
                            probs,
                            {
                                "file": ("Datei", "text"),
                                "row": ("Zeile", "text"),
                                "column": ("Spalte", "text"),
                                "expected": ("erwartet", "text"),
                                "found": ("gefunden", "text"),
                            },
                            caption="Gefundene Probleme",
                            table_id="mt-problems",
                        ),
                        className="table-scroll",
                    ),
                ]
            )
    lines = out.summary_de().splitlines()
    return html.Div(
        [
            notice(f"Die Datei „{safe}“ wurde geprüft und übernommen."),
            html.Ul([html.Li(line) for line in lines], id="mt-upload-summary"),
        ]
    )


@callback(
    Output("mt-upload-result", "children"),
    Input("mt-upload", "contents"),
    State("mt-upload", "filename"),
    prevent_initial_call=True,
)
def on_upload(contents: str | None, filename: str | None):
    """Thin: decode -> validated import -> message."""
    if not contents:
        return dash.no_update
    return import_upload(contents, filename or "upload.csv")
