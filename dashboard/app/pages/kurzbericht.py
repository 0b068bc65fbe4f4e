"""Kurzbericht: a one-page brief per municipality and scenario for council papers.

URL: ``/kurzbericht?ags=05358044&szenario=basis`` (or ``szenario=eigenes&tfr=…``).
Printing: the page has an A4 print style sheet (``assets/print.css``); the button
"Drucken / als PDF speichern" opens the browser's print dialog, where users save as PDF.
This is the documented primary route to a PDF (no server-side browser needed).
The link "PDF herunterladen" fetches ``/download/kurzbericht.pdf?…`` (server-side headless
Chromium, see ``dashboard/app/_downloads.py``) where the server has Chromium.
"""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, callback, dcc, html

from dashboard.app import _downloads, _model
from dashboard.app._components import (
    chart,
    data_table,
    dropdown,
    labelled,
    pyramid_data_table,
    query_store,
    region_dropdown,
    selection_store,
)
from dashboard.app._download_panel import download_panel
from dashboard.app._viewcache import view_cache
from dashboard.app.pages._measures_components import measures_brief_line
from dashboard.constants import KREIS_AGS
from dashboard.figures import trends
from dashboard.figures.labels import assumptions_de, region_name
from dashboard.figures.pyramid import pyramid_figure
from dashboard.figures.summary import headline_sentence, key_numbers
from dashboard.text import T, fmt_dec, fmt_int, fmt_signed_dec, fmt_signed_pct, fmt_value

dash.register_page(
    __name__, path="/kurzbericht", name="Kurzbericht", order=3, title="Kurzbericht – Kreis Düren 2030"
)

PAGE = "kurzbericht"
DEFAULT_AGS = "05358008"
BRIEF_WIDTH = 680  # px, fits A4 portrait with 15 mm margins


def _fixed(fig, width: int, height: int, bottom: int = 35):
    fig.update_layout(
        width=width, height=height, margin={"t": 40, "b": bottom}, title_font_size=13, font_size=10
    )
    return fig


def region_population(ags: str, spec: _model.ScenarioSpec):
    """Population by year, sex and age of a municipality or (summed) of the Kreis."""
    return _model.region_population(spec, ags)


def _print_history(fig):
    """The history chart at print size: census labels above the plot (never over the points
    of 2022–2024), the legend below the year labels (never over them)."""
    _fixed(fig, BRIEF_WIDTH, 212, bottom=64)  # 212: one A4 page also for own and local scenarios
    fig.update_layout(
        margin={"t": 50},
        legend={"yref": "container", "y": 0, "yanchor": "bottom", "x": 0, "font": {"size": 9}},
    )
    for ann in fig.layout.annotations:
        ann.update(
            text=ann.text.split("<br>")[0],
            y=1,
            yref="paper",
            yanchor="bottom",
            xanchor="center",
            xshift=0,
            yshift=2,
            font={"size": 9},
            bgcolor=None,
        )
    fig.update_xaxes(automargin=True)
    return fig


def figures(ags: str, spec: _model.ScenarioSpec) -> dict:
    """The brief's three charts (fixed size for print)."""
    res = _model.result(spec)
    hist, breaks = _model.history_series()
    own = region_population(ags, spec)
    base = own[own.year == _model.base_year()].assign(year=2045)
    pyr = pyramid_figure(
        own,
        ags=ags,
        year=2045,
        comparison=base,
        comparison_label=f"31.12.{_model.base_year()}",
        animate=False,
    )
    pyr.update_layout(
        title_text=f"Altersaufbau 2045 (Umriss: {_model.base_year()})",
        legend={
            "orientation": "h",
            "yref": "container",  # below the tick labels, whatever the plot height
            "yanchor": "bottom",
            "y": 0,
            "x": 0,
            "font": {"size": 9},
            "entrywidth": 150,
        },
    )
    pyr.update_xaxes(title=None)
    pyr.update_yaxes(title=None)
    return {
        "trend": _print_history(
            trends.history_figure(hist, ags=ags, breaks=breaks, projection=res.indicators)
        ),
        "pyramid": _fixed(pyr, BRIEF_WIDTH // 2, 228, bottom=84),
        # every age group labelled at print size (Plotly would skip every other one)
        "groups": _fixed(
            trends.age_group_change_figure(res.age_groups, ags=ags, year=2030), BRIEF_WIDTH // 2, 224
        ).update_yaxes(dtick=1, tickfont={"size": 9}),
    }


def change_text(now: float, later: float, kind: str) -> str:
    """Change in German: percent for counts, percentage points for shares, else difference."""
    if kind == "int":
        return fmt_signed_pct(later / now - 1) if now else ""
    if kind == "pct":
        d = (later - now) * 100
        return fmt_signed_dec(d, 1) + " Prozentpunkte"
    return fmt_signed_dec(later - now, 1)


def numbers_table(ags: str, spec: _model.ScenarioSpec) -> html.Table:
    k = key_numbers(_model.result(spec).indicators, ags, _model.key_years())
    rows = []
    for rec in k.to_dict("records"):
        now, y30, y45 = (rec[str(y)] for y in _model.key_years())
        change = change_text(now, y45, rec["kind"])
        rows.append(
            {
                "label": rec["label"],
                **{str(y): fmt_value(rec[str(y)], rec["kind"]) for y in _model.key_years()},
                "change": change,
            }
        )
    return data_table(
        pd.DataFrame(rows),
        {
            "label": ("Kennzahl", "text"),
            **{str(y): (f"31.12.{y}", "text") for y in _model.key_years()},
            "change": ("Veränderung bis 2045", "text"),
        },
        caption="Kennzahlen",
        row_header="label",
        table_id="kb-numbers",
    )


def interval_line(ags: str, spec: _model.ScenarioSpec) -> html.P:
    """Einwohner 2030 and 2045 with their 80 % intervals (rounded), and the number of draws.

    The same simulation as the fan charts and the download ``intervalle``
    (:func:`dashboard.app._model.scenario_fan`); for an own scenario the Basis spread around its
    path, and the line says so."""
    from dashboard.figures.fan import interval_text
    from dashboard.text import T, fmt_pct

    quantiles, draws, exact = _model.scenario_fan(spec)
    parts = "; ".join(interval_text(quantiles, ags=ags, year=y) for y in (2030, 2045))
    cov = _model.backtest_coverage().set_index(["level", "nominal"])
    level = "Kreis" if ags == KREIS_AGS else "Gemeinde"
    hit = T["brief_coverage"].format(
        where="des Kreises" if level == "Kreis" else "der Gemeinden",
        share=fmt_pct(cov.loc[(level, 0.8), "coverage"], 0),
        n=fmt_int(cov.loc[(level, 0.8), "n"]),
    )
    return html.P(
        f"Einwohner mit Unsicherheit: {parts}. Median und Intervall aus {fmt_int(draws)} Simulationen"
        + ("" if exact else " (Streuung der Basis-Simulation um das eigene Szenario)")
        + f". {hit} Methode unter „Daten & Methodik“.",
        id="kb-intervals",
        className="small",
    )


def assumptions_list(spec: _model.ScenarioSpec, ags: str = KREIS_AGS) -> html.Ul:
    """The scenario's own assumptions (value, unit, how set) as a short list."""
    a = assumptions_de(_model.result(spec).assumptions)
    a = a[(a.component == "scenario") & a.value.notna()]
    items = [
        html.Li(
            f"{r['parameter_de']}: {fmt_dec(r['value'], 2 if abs(r['value']) < 10 else 0)} {r['unit_de']}"
            + (f" ({r['source']}, {r['period']})" if r.get("source") else "")
        )
        for r in a.to_dict("records")
    ]
    if spec.local:  # one line (the brief has no room for more on one A4 page): this municipality's entries
        from dashboard.projection.local import describe

        own = describe(spec.local.for_municipality(ags) if ags != KREIS_AGS else spec.local)
        others = len(describe(spec.local)) - len(own)
        text = "; ".join(own) + (f"; {others} in anderen Gemeinden" if others and own else "")
        text = text or f"{others} in anderen Gemeinden"
        items.append(
            html.Li(
                [
                    html.Strong(f"Lokal: {text}."),
                    " Weitere Annahmen, Quellen, Rückrechnung: ",
                    html.A("Daten & Methodik", href="/methodik"),
                    ".",
                ],
                id="kb-local",
            )
        )
        return html.Ul(items, className="assumptions")
    items.append(
        html.Li(
            [
                "Alle weiteren Annahmen, Quellen und die Rückrechnung: ",
                html.A("Daten & Methodik", href="/methodik"),
                ".",
            ]
        )
    )
    return html.Ul(items, className="assumptions")


def headline(ags: str, spec: _model.ScenarioSpec) -> html.P:
    """The brief's plain-language headline sentence, generated from the scenario's numbers."""
    r = _model.result(spec)
    return html.P(headline_sentence(r.indicators, r.age_groups, ags=ags), id="kb-headline", className="lead")


def brief(ags: str, spec: _model.ScenarioSpec) -> list:
    """The printable article's content."""
    f = figures(ags, spec)
    return [
        html.H1(f"Kurzbericht: {region_name(ags)}", id="kb-title"),
        html.P(
            [
                html.Strong(f"Szenario: {_model.describe_scenario(spec)}"),
                " · ",
                T["data_stand"].format(year=_model.base_year()),
            ],
            className="brief-meta",
        ),
        headline(ags, spec),
        numbers_table(ags, spec),
        interval_line(ags, spec),
        html.Div(
            [
                chart(
                    "kb-pyramid",
                    f["pyramid"],
                    label="Altersaufbau 2045 im Vergleich zu heute",
                    table=pyramid_data_table(
                        region_population(ags, spec), ags=ags, year=2045, compare_year=_model.base_year()
                    ),
                ),
                chart(
                    "kb-groups",
                    f["groups"],
                    label="Veränderung der Planungsaltersgruppen bis 2030",
                    kind="signed",
                ),
            ],
            className="brief-row",
        ),
        chart("kb-trend", f["trend"], label="Einwohnerzahl seit 1983 und Vorausberechnung"),
        measures_brief_line(ags, spec)
        if ags != KREIS_AGS
        else html.P(html.A("Werkzeugkoffer", href=_model.scenario_href("/werkzeugkoffer", ags, spec))),
        html.H2("Annahmen und Quellen"),
        assumptions_list(spec, ags),
        html.P(T["estimated_note"], className="small"),
        html.P(
            T["projected_note"].format(year=_model.base_year() + 1) + " " + T["source_line"],
            className="small",
        ),
    ]


def scenario_options(spec: _model.ScenarioSpec) -> list[dict]:
    opts = [{"label": _model.preset_label(k), "value": k} for k in _model.preset_keys()]
    if spec.key == _model.CUSTOM:
        opts.append({"label": _model.preset_label(_model.CUSTOM), "value": _model.CUSTOM})
    return opts


@view_cache(maxsize=24)
def layout(
    ags: str | None = None,
    **_query,
) -> html.Div:
    ags = _model.parse_ags(ags, default=DEFAULT_AGS)
    spec = _model.parse_scenario(**_model.scenario_query(_query))
    return html.Div(
        [
            html.Div(
                [
                    region_dropdown("kb-ags", ags),
                    labelled(
                        "kb-szenario",
                        T["scenario"],
                        dropdown(
                            id="kb-szenario", options=scenario_options(spec), value=spec.key, clearable=False
                        ),
                    ),
                    html.Button(T["print"], id="kb-print", type="button", className="btn btn-primary"),
                    html.A(
                        "PDF herunterladen",
                        id="kb-pdf",
                        href=_downloads.pdf_href(ags, spec),
                        className="btn no-print",
                        title="Kurzbericht als PDF-Datei herunterladen",
                    ),
                    dcc.Store(id="kb-spec", data=spec.query()),
                ],
                className="controls no-print",
            ),
            html.Article(brief(ags, spec), id="kb-article", className="brief"),
            download_panel(PAGE, ags, spec),
            query_store(PAGE, {"ags": ags, **spec.query()}),
            selection_store(PAGE, {"ags": ags, **spec.selection()}),
        ]
    )


@callback(
    Output("kb-article", "children"),
    Output({"type": "query", "page": PAGE}, "data"),
    Output({"type": "sel", "page": PAGE}, "data"),
    Output("kb-pdf", "href"),
    Input("kb-ags", "value"),
    Input("kb-szenario", "value"),
    Input("kb-spec", "data"),
    prevent_initial_call=True,
)
def on_change(ags: str, key: str, spec_query: dict):
    """Municipality or scenario changed: rebuild the brief and the URL."""
    ags = _model.parse_ags(ags, default=DEFAULT_AGS)
    spec = _model.spec_from_choice(key, spec_query)
    return (
        brief(ags, spec),
        {"ags": ags, **spec.query()},
        {"ags": ags, **spec.selection()},
        _downloads.pdf_href(ags, spec),
    )


dash.clientside_callback(
    "function(n) { if (n) { window.print(); } return 'Druckdialog öffnen'; }",
    Output("kb-print", "title"),
    Input("kb-print", "n_clicks"),
    prevent_initial_call=True,
)
