"""Gemeinde: one municipality — history across census breaks, animated pyramid, planning
age groups, births/deaths/migration. URL: ``/gemeinde?ags=05358008&jahr=2030``."""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.app import _model
from dashboard.app._components import (
    chart,
    chart_outputs,
    data_table,
    labelled,
    notice,
    pyramid_data_table,
    query_store,
    region_dropdown,
    selection_store,
    stand_line,
)
from dashboard.app.pages._measures_components import measures_teaser
from dashboard.constants import BASE_YEAR, KREIS_AGS
from dashboard.figures import fan, trends
from dashboard.figures.labels import T, region_name
from dashboard.figures.pyramid import at_year, pyramid_figure

dash.register_page(__name__, path="/gemeinde", name="Gemeinde", order=1, title="Gemeinde – Kreis Düren 2030")

DEFAULT_AGS = "05358008"
PAGE = "gemeinde"
#: Milliseconds per year while the pyramid plays (one cached figure per step from the server).
PLAY_MS = 700
LAST_YEAR = 2045


def history_fig(ags: str):
    hist, breaks = _model.history_series()
    proj = _model.result(_model.ScenarioSpec()).indicators if _model.model_available() else None
    return trends.history_figure(hist, ags=ags, breaks=breaks, projection=proj)


def pyramid_fig(ags: str, year: int):
    pop = _model.result(_model.ScenarioSpec()).population
    return pyramid_figure(pop, ags=ags, year=year, comparison=pop, controls=False)


def pyramid_text(ags: str, year: int):
    return pyramid_data_table(_model.result(_model.ScenarioSpec()).population, ags=ags, year=year)


def age_groups_fig(ags: str):
    return trends.age_groups_figure(_model.result(_model.ScenarioSpec()).age_groups, ags=ags)


def fan_view(ags: str, quantity: str):
    """Fan chart of the Basis scenario (interactive draws) and its table."""
    r = _model.probabilistic(_model.ScenarioSpec())
    t = fan.fan_table(r.quantiles, ags=ags, quantity=quantity)
    cols = {c: (c, "text") for c in t.columns}
    return (
        fan.fan_chart(r.quantiles, ags=ags, quantity=quantity, draws=r.draws),
        data_table(t, cols, caption=f"{fan.quantity_label(quantity)}: {region_name(ags)}", row_header="Jahr"),
    )


def components_fig(ags: str):
    comp = _model.result(_model.ScenarioSpec()).components
    observed = _model.observed_kreis_components() if ags == KREIS_AGS else None
    return trends.components_figure(comp, ags=ags, observed=observed)


def layout(ags: str | None = None, jahr: str | None = None, **_query) -> html.Div:
    ags = _model.parse_ags(ags, allow_kreis=False, default=DEFAULT_AGS)
    year = _model.parse_year(jahr, default=BASE_YEAR)
    model = _model.model_available()
    if not model:
        return html.Div(
            [
                html.H1(f"Gemeinde: {region_name(ags)}", id="gm-title"),
                stand_line(False),
                notice(T["no_model"]),
            ]
        )
    hf, ht, gf, gt, cf, ct = region_view(ags)
    pf, pt = pyramid_view(ags, year)
    parts = [
        html.H1(f"Gemeinde: {region_name(ags)}", id="gm-title"),
        stand_line(model),
        html.Div([region_dropdown("gm-ags", ags, include_kreis=False)], className="controls"),
        html.H2("Bevölkerung seit 1983"),
        chart(
            "gm-history",
            hf,
            table=ht,
            label="Bevölkerung seit 1983 mit Zensus-Brüchen",
            note="Senkrechte Linien: Zensus 2011 und Zensus 2022. Die Reihen sind je Zensusbasis getrennt; "
            "Sprünge an den Linien sind Korrekturen der Statistik, keine Zu- oder Abwanderung.",
        ),
    ]
    if model:
        pyr = chart(
            "gm-pyramid",
            pf,
            label="Altersaufbau nach Alter und Geschlecht",
            note=f"Gepunktete Balken: geschätzt. Schraffierte, hellere Balken: vorausberechnet. "
            f"Schwarze Linie: {region_name(KREIS_AGS)} zum Vergleich. "
            + T["structure_note"].format(year=BASE_YEAR),
            table=pt,
        )
        parts += [
            html.H2("Altersaufbau"),
            html.Div(
                [
                    html.Label("Jahr des Altersaufbaus", htmlFor="gm-jahr"),
                    dcc.Slider(
                        id="gm-jahr",
                        min=BASE_YEAR,
                        max=LAST_YEAR,
                        step=1,
                        value=year,
                        marks={y: str(y) for y in (BASE_YEAR, 2030, 2035, 2040, 2045)},
                    ),
                    html.Button(
                        T["play"],
                        id="gm-play",
                        type="button",
                        className="btn",
                        title=T["play_title"],
                        **{"aria-pressed": "false", "aria-controls": "gm-jahr"},
                    ),
                    dcc.Interval(id="gm-takt", interval=PLAY_MS, disabled=True),
                    dcc.Store(
                        id="gm-play-labels",
                        data={"play": T["play"], "pause": T["pause"], "first": BASE_YEAR, "last": LAST_YEAR},
                    ),
                ],
                className="control control-wide play-controls",
            ),
            pyr,
            html.H2("Planungsaltersgruppen"),
            chart(
                "gm-groups",
                gf,
                table=gt,
                label="Planungsaltersgruppen im Zeitverlauf",
                note=f"Index: Bestand am 31.12.{BASE_YEAR} = 100. Alle Werte nach {BASE_YEAR} sind "
                "vorausberechnet; die Ausgangswerte der Altersgruppen sind geschätzt (die Einwohnerzahl "
                f"am 31.12.{BASE_YEAR} ist amtlich).",
            ),
            html.H2("Unsicherheit der Vorausberechnung"),
            html.Div(
                [
                    labelled(
                        "gm-fan-groesse",
                        T["fan_quantity"],
                        dcc.Dropdown(
                            id="gm-fan-groesse",
                            options=fan.quantity_options(),
                            value="population",
                            clearable=False,
                        ),
                    )
                ],
                className="controls",
            ),
            chart(
                "gm-fan",
                None,
                label="Vorausberechnung mit 80- und 95-%-Intervall",
                note=T["fan_note"].format(draws=_model.UNCERTAINTY_DRAWS),
                table=html.P(T["fan_loading"]),
            ),
            html.H2("Geburten, Sterbefälle und Wanderungen"),
            chart(
                "gm-components",
                cf,
                table=ct,
                label="Geburten, Sterbefälle und Wanderungssaldo je Jahr",
                note="Unterbrochene Linien: Modellwerte der Vorausberechnung (für die Gemeinden geschätzt). "
                "Durchgezogene Linien mit Punkten: amtliche Werte, die es nur für den Kreis gibt (2020–2024).",
            ),
        ]
    parts.append(html.Div(measures_teaser(ags), id="gm-measures"))
    parts += [query_store(PAGE, {"ags": ags, "jahr": str(year)}), selection_store(PAGE, {"ags": ags})]
    return html.Div(parts)


@_model.per_data_version(maxsize=32)
def region_view(ags: str) -> tuple:
    """Figures and tables that change with the municipality (memoised per data version)."""
    return (
        *chart_outputs(history_fig(ags)),
        *chart_outputs(age_groups_fig(ags), "dec1"),
        *chart_outputs(components_fig(ags)),
    )


@_model.per_data_version(maxsize=16)
def pyramid_animated(ags: str) -> dict:
    """The animated pyramid of a municipality as a plain dict (memoised per data version)."""
    return pyramid_fig(ags, BASE_YEAR).to_dict()


@_model.per_data_version(maxsize=64)
def pyramid_view(ags: str, year: int) -> tuple:
    """Pyramid showing ``year`` (all years as frames) and its table (memoised per data version)."""
    return at_year(pyramid_animated(ags), year), pyramid_text(ags, year)


@callback(
    Output("gm-title", "children"),
    Output("gm-history", "figure"),
    Output("gm-history-tabelle", "children"),
    Output("gm-groups", "figure"),
    Output("gm-groups-tabelle", "children"),
    Output("gm-components", "figure"),
    Output("gm-components-tabelle", "children"),
    Output({"type": "sel", "page": PAGE}, "data"),
    Input("gm-ags", "value"),
    prevent_initial_call=True,
)
def on_region(ags: str):
    """Municipality switch: title, history, age groups, components, selection."""
    ags = _model.parse_ags(ags, allow_kreis=False, default=DEFAULT_AGS)
    return (f"Gemeinde: {region_name(ags)}", *region_view(ags), {"ags": ags})


@callback(
    Output("gm-pyramid", "figure"),
    Output("gm-pyramid-tabelle", "children"),
    Output({"type": "query", "page": PAGE}, "data"),
    Input("gm-ags", "value"),
    Input("gm-jahr", "value"),
    prevent_initial_call=True,
)
def on_pyramid(ags: str, year: int):
    """Municipality or year switch: pyramid, its table and the URL."""
    ags = _model.parse_ags(ags, allow_kreis=False, default=DEFAULT_AGS)
    year = _model.parse_year(year, default=BASE_YEAR)
    return (*pyramid_view(ags, year), {"ags": ags, "jahr": str(year)})


@callback(
    Output("gm-fan", "figure"),
    Output("gm-fan-tabelle", "children"),
    Input("gm-ags", "value"),
    Input("gm-fan-groesse", "value"),
)
def on_fan(ags: str, quantity: str):
    """Page load, municipality or quantity switch: fan chart and its table (loaded after the page)."""
    ags = _model.parse_ags(ags, allow_kreis=False, default=DEFAULT_AGS)
    return fan_view(ags, quantity if quantity in fan.KEY_QUANTITIES else "population")


@callback(Output("gm-measures", "children"), Input("gm-ags", "value"), prevent_initial_call=True)
def on_region_measures(ags: str):
    """Municipality switch: the measures box (Werkzeugkoffer) of that municipality."""
    return measures_teaser(_model.parse_ags(ags, allow_kreis=False, default=DEFAULT_AGS))


# Play/pause of the pyramid: a Dash button outside the chart (keyboard: Tab, Enter/Space) drives
# the year slider, so slider, pyramid, table and URL always show the same year. A click starts
# (from the first year when the last one is shown) or stops; each tick moves the slider one year
# and the last year stops the animation.
dash.clientside_callback(
    """
    function(clicks, ticks, year, disabled, labels) {
        const ctx = window.dash_clientside.callback_context;
        const trig = (ctx.triggered[0] || {}).prop_id || "";
        const first = labels.first, last = labels.last;
        const stop = [window.dash_clientside.no_update, true, labels.play, "false"];
        if (trig.startsWith("gm-play")) {
            if (disabled === false) { return stop; }  // playing: stop
            const start = (year >= last) ? first : window.dash_clientside.no_update;
            return [start, false, labels.pause, "true"];
        }
        if (trig.startsWith("gm-takt")) {
            if (year >= last) { return stop; }
            const next = year + 1;
            return next >= last ? [next, true, labels.play, "false"] : [next, false, labels.pause, "true"];
        }
        return window.dash_clientside.no_update;
    }
    """,
    Output("gm-jahr", "value"),
    Output("gm-takt", "disabled"),
    Output("gm-play", "children"),
    Output("gm-play", "aria-pressed"),
    Input("gm-play", "n_clicks"),
    Input("gm-takt", "n_intervals"),
    State("gm-jahr", "value"),
    State("gm-takt", "disabled"),
    State("gm-play-labels", "data"),
    prevent_initial_call=True,
)
