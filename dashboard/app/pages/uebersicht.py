"""Übersicht (/): for politicians — Kreis and municipalities now vs. 2030 vs. 2045, a map
and small multiples. URL: ``/?kennzahl=change&jahr=2030``."""

from __future__ import annotations

import dash
from dash import Input, Output, callback, dcc, html

from dashboard.app import _model
from dashboard.app._components import (
    chart,
    chart_outputs,
    data_table,
    dropdown,
    key_figure,
    labelled,
    query_store,
    stand_line,
)
from dashboard.app._download_panel import download_panel
from dashboard.app._viewcache import view_cache
from dashboard.constants import KREIS_AGS
from dashboard.data import municipal_boundaries
from dashboard.figures import fan
from dashboard.figures.labels import CHANGE_KEY
from dashboard.figures.maps import choropleth
from dashboard.figures.summary import indicator_at, key_numbers, region_table
from dashboard.figures.trends import small_multiples
from dashboard.text import INDICATORS, T, fmt_value

dash.register_page(__name__, path="/", name="Übersicht", order=0, title="Übersicht – Kreis Düren 2030")

PAGE = "uebersicht"
FAN_LABEL = "Einwohnerzahl des Kreises mit 80- und 95-%-Intervall"
FAN_LABEL_SUMMARY = "Unsicherheit anzeigen: Einwohnerzahl des Kreises mit 80- und 95-%-Intervall"
MAP_OPTIONS = [{"label": "Veränderung der Einwohnerzahl seit dem Basisjahr", "value": CHANGE_KEY}] + [
    {"label": v[0], "value": k} for k, v in INDICATORS.items() if k != "youth_dependency"
]


def _indicators():
    return _model.result(_model.ScenarioSpec()).indicators


def map_fig(indicator: str, year: int):
    vals = indicator_at(_indicators(), indicator, year)
    vals = vals[vals.ags != KREIS_AGS]
    if indicator == CHANGE_KEY:
        title, kind, div = f"Einwohnerzahl: Veränderung {_model.base_year()}–{year}", "pct", True
    else:
        title, kind, div = f"{INDICATORS[indicator][0]} {year}", INDICATORS[indicator][1], False
    return choropleth(vals, municipal_boundaries(), title=title, kind=kind, diverging=div), kind


def multiples_fig(indicator: str):
    if indicator == CHANGE_KEY:
        return small_multiples(_indicators(), indicator="population", index_to_base=True)
    return small_multiples(_indicators(), indicator=indicator)


def comparison_table(indicator: str):
    key = "population" if indicator == CHANGE_KEY else indicator
    label, kind, _ = INDICATORS[key]
    t = region_table(_indicators(), indicator, _model.key_years())
    cols = {"region": ("Gebiet", "text")}
    for y in _model.key_years():
        cols[str(y)] = (f"31.12.{y}" + (" (Basis)" if y == _model.base_year() else ""), kind)
    for y in _model.key_years()[1:]:
        cols[f"change_{y}"] = (
            f"Veränderung bis {y}" + (" in %" if kind == "int" else ""),
            "pct" if kind == "int" else kind,
        )
    return data_table(
        t,
        cols,
        caption=f"{label}: Kreis und Gemeinden {_model.key_years()[0]}, {_model.key_years()[1]} und {_model.key_years()[2]}",
        row_header="region",
        table_id="ue-table",
    )


def kreis_fan():
    """Kreis population with 80/95 % intervals (Basis, interactive draws) and its table."""
    q, draws, _ = _model.scenario_fan(_model.ScenarioSpec())
    t = fan.fan_table(q, ags=KREIS_AGS)
    return (
        fan.fan_chart(q, ags=KREIS_AGS, draws=draws),
        data_table(t, {c: (c, "text") for c in t.columns}, caption="Kreis Düren", row_header="Jahr"),
    )


def kreis_cards():
    k = key_numbers(_indicators(), KREIS_AGS, _model.key_years())
    cards = []
    for rec in k.to_dict("records"):
        if rec["indicator"] not in ("population", "share_65plus", "share_80plus", "median_age"):
            continue
        now, y30, y45 = (rec[str(y)] for y in _model.key_years())
        sub = f"2030: {fmt_value(y30, rec['kind'])} · 2045: {fmt_value(y45, rec['kind'])}"
        cards.append(key_figure(f"{rec['label']} ({_model.base_year()})", fmt_value(now, rec["kind"]), sub))
    return html.Div(cards, className="key-figures")


def kreis_table():
    k = key_numbers(_indicators(), KREIS_AGS, _model.key_years())
    rows = []
    for rec in k.to_dict("records"):
        rows.append(
            {
                "label": rec["label"],
                **{str(y): fmt_value(rec[str(y)], rec["kind"]) for y in _model.key_years()},
            }
        )
    import pandas as pd

    return data_table(
        pd.DataFrame(rows),
        {"label": ("Kennzahl", "text"), **{str(y): (f"31.12.{y}", "text") for y in _model.key_years()}},
        caption="Kreis Düren: Kennzahlen heute, 2030 und 2045",
        row_header="label",
    )


@view_cache(maxsize=24)
def layout(kennzahl: str | None = None, jahr: str | None = None, **_query) -> html.Div:
    indicator = kennzahl if kennzahl in [o["value"] for o in MAP_OPTIONS] else CHANGE_KEY
    year = _model.parse_year(jahr, default=2030)
    mfig, mtab, cmp_table, sfig, stab = indicator_view(indicator, year)
    return html.Div(
        [
            html.H1(f"Übersicht: Kreis Düren {_model.base_year()} – 2030 – 2045"),
            stand_line(),
            html.P(
                "Die wichtigsten Zahlen für den Kreis und seine 15 Städte und Gemeinden: heute, 2030 und 2045 "
                "(Basisvariante der Vorausberechnung).",
                className="lead",
            ),
            kreis_cards(),
            html.Div(kreis_table(), className="table-scroll"),
            # Off the first screen: the fan chart is computed, put into the page and drawn only when
            # the user opens its section (time to interactive of "/": even an empty chart costs
            # Plotly a full draw; see benchmarks/bench_app.py).
            html.Details(
                [
                    html.Summary(FAN_LABEL_SUMMARY, id="ue-fan-oeffnen"),
                    html.Div(html.P(T["fan_loading"]), id="ue-fan-box"),
                ],
                id="ue-fan-details",
                open=False,
                className="fan-details",
            ),
            html.H2("Städte und Gemeinden im Vergleich"),
            html.Div(
                [
                    labelled(
                        "ue-kennzahl",
                        T["indicator"],
                        dropdown(id="ue-kennzahl", options=MAP_OPTIONS, value=indicator, clearable=False),
                    ),
                    labelled(
                        "ue-jahr",
                        "Zieljahr",
                        dcc.RadioItems(
                            id="ue-jahr",
                            options=[{"label": str(y), "value": y} for y in (2030, 2035, 2040, 2045)],
                            value=year,
                            inline=True,
                        ),
                    ),
                ],
                className="controls",
            ),
            html.Div(
                [
                    html.Div(
                        chart(
                            "ue-map",
                            mfig,
                            table=mtab,
                            label="Karte der 15 Gemeinden",
                            note="Gemeindegrenzen: VG250 © GeoBasis-DE / BKG (dl-de/by-2-0).",
                        ),
                        className="col",
                    ),
                    html.Div(html.Div(cmp_table, id="ue-table-box", className="table-wide"), className="col"),
                ],
                className="two-col",
            ),
            html.H2("Entwicklung in allen Gemeinden"),
            chart(
                "ue-multiples",
                sfig,
                table=stab,
                label="Entwicklung je Gemeinde (kleine Vielfache)",
                note=T["base_note"].format(year=_model.base_year()),
            ),
            download_panel(PAGE, KREIS_AGS, _model.ScenarioSpec(), table="kennzahlen"),
            query_store(PAGE, {"kennzahl": indicator, "jahr": str(year)}),
        ]
    )


@_model.per_data_version(maxsize=64)
def indicator_view(indicator: str, year: int) -> tuple:
    """Map, comparison table and small multiples of an indicator (memoised per data version)."""
    mfig, kind = map_fig(indicator, year)
    return (
        *chart_outputs(mfig, kind),
        comparison_table(indicator),
        *chart_outputs(multiples_fig(indicator), "dec1"),
    )


@callback(
    Output("ue-map", "figure"),
    Output("ue-map-tabelle", "children"),
    Output("ue-table-box", "children"),
    Output("ue-multiples", "figure"),
    Output("ue-multiples-tabelle", "children"),
    Output({"type": "query", "page": PAGE}, "data"),
    Input("ue-kennzahl", "value"),
    Input("ue-jahr", "value"),
    prevent_initial_call=True,
)
def on_indicator(indicator: str, year: int):
    """Indicator or target year changed: map, comparison table, small multiples, URL."""
    year = _model.parse_year(year, default=2030)
    indicator = indicator if indicator in [o["value"] for o in MAP_OPTIONS] else CHANGE_KEY
    return (*indicator_view(indicator, year), {"kennzahl": indicator, "jahr": str(year)})


@callback(
    Output("ue-fan-box", "children"),
    Input("ue-fan-oeffnen", "n_clicks"),
    prevent_initial_call=True,  # the section is rendered closed: nothing to compute on page load
)
def on_load_fan(n_clicks):
    """Kreis fan chart block (chart ``ue-fan`` and its table ``ue-fan-tabelle``), computed when the
    user first opens its section (a click or Enter on its summary; not on first paint). Dash's
    ``html.Details`` does not report ``open`` when the user toggles it, its summary counts clicks."""
    if n_clicks != 1:  # later clicks close and reopen the section: the chart is already there
        raise dash.exceptions.PreventUpdate
    return fan_block()


def fan_block() -> html.Figure:
    """The Kreis fan chart with its note and data table."""
    fig, table = kreis_fan()
    return chart(
        "ue-fan",
        fig,
        label=FAN_LABEL,
        note=T["fan_note"].format(draws=_model.UNCERTAINTY_DRAWS),
        table=table,
    )
