"""Gemeinde: one municipality or the Kreis — history across census breaks, animated pyramid,
planning age groups (persons or index), uncertainty, births/deaths/migration, for the chosen
scenario. URL: ``/gemeinde?ags=05358012&jahr=2030&szenario=zuwanderung_niedrig`` (``ags=05358``:
the Kreis; own assumptions as on /szenarien: ``szenario=eigenes&wanderung=1000``)."""

from __future__ import annotations

from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, dcc, html

from dashboard.app import _local_panel, _model
from dashboard.app._components import (
    chart,
    chart_outputs,
    data_table,
    dropdown,
    labelled,
    pyramid_data_table,
    query_store,
    region_dropdown,
    selection_store,
    stand_line,
)
from dashboard.app._download_panel import download_panel
from dashboard.app.pages._measures_components import measures_teaser
from dashboard.constants import KREIS_AGS
from dashboard.figures import fan, trends
from dashboard.figures.labels import region_name
from dashboard.figures.pyramid import at_year, pyramid_figure
from dashboard.text import LOCAL, T

dash.register_page(__name__, path="/gemeinde", name="Gemeinde", order=1, title="Gemeinde – Kreis Düren 2030")

DEFAULT_AGS = "05358008"
PAGE = "gemeinde"
#: Milliseconds per year while the pyramid plays (one cached figure per step from the server).
PLAY_MS = 700
LAST_YEAR = 2045
#: How the planning age groups are drawn: persons per year (default) or index base year = 100.
GROUP_MODES = ("personen", "index")


def title(ags: str) -> str:
    return region_name(ags) if ags == KREIS_AGS else f"Gemeinde: {region_name(ags)}"


def spec_of(key: str | None, spec_query: dict | None) -> _model.ScenarioSpec:
    """The scenario of the dropdown; own (and local) values come from the page's URL."""
    return _model.spec_from_choice(key, spec_query)


def scenario_options(spec: _model.ScenarioSpec) -> list[dict]:
    opts = [{"label": _model.preset_label(k), "value": k} for k in _model.preset_keys()]
    if spec.key == _model.CUSTOM:
        opts.append({"label": _model.preset_label(_model.CUSTOM), "value": _model.CUSTOM})
    return opts


def history_fig(ags: str, spec: _model.ScenarioSpec):
    hist, breaks = _model.history_series()
    proj = _model.result(spec).indicators
    return trends.history_figure(hist, ags=ags, breaks=breaks, projection=proj)


def pyramid_fig(ags: str, spec: _model.ScenarioSpec, year: int):
    own = _model.region_population(spec, ags)
    cmp = _model.result(spec).population if ags != KREIS_AGS else None  # outline: the Kreis
    return pyramid_figure(own, ags=ags, year=year, comparison=cmp, controls=False)


def pyramid_text(ags: str, spec: _model.ScenarioSpec, year: int):
    return pyramid_data_table(_model.region_population(spec, ags), ags=ags, year=year)


def age_groups_fig(ags: str, spec: _model.ScenarioSpec, mode: str = "personen"):
    return trends.age_groups_figure(_model.result(spec).age_groups, ags=ags, index_to_base=mode == "index")


def fan_view(ags: str, quantity: str, spec: _model.ScenarioSpec | None = None):
    """Fan chart of the scenario and its table (the same simulation as the brief and the
    download ``intervalle``: :func:`dashboard.app._model.scenario_fan`)."""
    spec = spec or _model.ScenarioSpec()
    q, draws, exact = _model.scenario_fan(spec)
    if quantity not in set(q.quantity):  # an own scenario's band exists for the totals only
        quantity = "population"
    t = fan.fan_table(q, ags=ags, quantity=quantity)
    cols = {c: (c, "text") for c in t.columns}
    name = _model.preset_label(spec.key)
    return (
        fan.fan_chart(
            q,
            ags=ags,
            quantity=quantity,
            draws=draws,
            title=f"{fan.quantity_label(quantity)}: {region_name(ags)} – {name} mit Unsicherheit",
        ),
        data_table(t, cols, caption=f"{fan.quantity_label(quantity)}: {region_name(ags)}", row_header="Jahr"),
    )


def components_fig(ags: str, spec: _model.ScenarioSpec):
    comp = _model.result(spec).components
    observed = _model.observed_kreis_components() if ags == KREIS_AGS else None
    return trends.components_figure(comp, ags=ags, observed=observed)


def pyramid_note(ags: str) -> str:
    outline = "" if ags == KREIS_AGS else f"Schwarze Linie: {region_name(KREIS_AGS)} zum Vergleich. "
    return (
        "Gepunktete Balken: geschätzt. Schraffierte, hellere Balken: vorausberechnet. "
        + outline
        + T["structure_note"].format(year=_model.base_year())
    )


def groups_note() -> str:
    return (
        f"Personen je Altersgruppe am 31.12. des Jahres; Darstellung „Index“: Bestand am 31.12.{_model.base_year()} "
        f"= 100. Alle Werte nach {_model.base_year()} sind vorausberechnet; die Ausgangswerte der Altersgruppen "
        f"sind geschätzt (die Einwohnerzahl am 31.12.{_model.base_year()} ist amtlich)."
    )


def measures_box(ags: str, spec: _model.ScenarioSpec):
    return measures_teaser(ags, spec)


def scenarios_href(ags: str, spec: _model.ScenarioSpec) -> str:
    """/szenarien with this municipality and the local inputs."""
    return "/szenarien?" + urlencode(
        {"ags": ags, **{k: v for k, v in spec.query().items() if k != "szenario"}}
    )


def local_block(ags: str, spec: _model.ScenarioSpec) -> list:
    """The "Lokale Annahmen" panel (effect against the Basis), its link, the saved scenarios."""
    return [
        _local_panel.panel(
            "gm",
            ags,
            spec.local,
            effect=_local_panel.effect_view(spec, ags, 2030),
            note=LOCAL["gemeinde_note"],
        ),
        html.P(html.A(LOCAL["open_in_scenarios"], href=scenarios_href(ags, spec), id="gm-lokal-link")),
        _local_panel.saved_list(ags, list_id="gm-gespeicherte"),
    ]


def layout(
    ags: str | None = None,
    jahr: str | None = None,
    **_query,
) -> html.Div:
    ags = _model.parse_ags(ags, default=DEFAULT_AGS)
    year = _model.parse_year(jahr, default=None)
    spec = _model.parse_scenario(**_model.scenario_query(_query))
    mode = GROUP_MODES[0]
    hf, ht, gf, gt, cf, ct = region_view(ags, spec, mode)
    pf, pt = pyramid_view(ags, spec, year)
    parts = [
        html.H1(title(ags), id="gm-title"),
        stand_line(),
        html.Div(
            [
                region_dropdown("gm-ags", ags),
                labelled(
                    "gm-szenario",
                    T["scenario"],
                    dropdown(
                        id="gm-szenario", options=scenario_options(spec), value=spec.key, clearable=False
                    ),
                ),
                dcc.Store(id="gm-spec", data=spec.query()),
            ],
            className="controls",
        ),
        html.H2("Bevölkerung seit 1983"),
        chart(
            "gm-history",
            hf,
            table=ht,
            label="Bevölkerung seit 1983 mit Zensus-Brüchen",
            note="Senkrechte Linien: Zensus 2011 und Zensus 2022. Die Reihen sind je Zensusbasis getrennt; "
            "Sprünge an den Linien sind Korrekturen der Statistik, keine Zu- oder Abwanderung.",
        ),
        html.H2("Altersaufbau"),
        html.Div(
            [
                html.Label("Jahr des Altersaufbaus", htmlFor="gm-jahr"),
                dcc.Slider(
                    id="gm-jahr",
                    min=_model.base_year(),
                    max=LAST_YEAR,
                    step=1,
                    value=year,
                    marks={y: str(y) for y in (_model.base_year(), 2030, 2035, 2040, 2045)},
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
                    data={
                        "play": T["play"],
                        "pause": T["pause"],
                        "first": _model.base_year(),
                        "last": LAST_YEAR,
                    },
                ),
            ],
            className="control control-wide play-controls",
        ),
        chart(
            "gm-pyramid",
            pf,
            label="Altersaufbau nach Alter und Geschlecht",
            note=pyramid_note(ags),
            table=pt,
        ),
        html.H2("Planungsaltersgruppen"),
        labelled(
            "gm-gruppen-art",
            "Darstellung",
            dcc.RadioItems(
                id="gm-gruppen-art",
                options=[
                    {"label": "Personen", "value": "personen"},
                    {"label": f"Index ({_model.base_year()} = 100)", "value": "index"},
                ],
                value=mode,
                inline=True,
            ),
        ),
        chart(
            "gm-groups",
            gf,
            table=gt,
            kind="int",
            label="Planungsaltersgruppen im Zeitverlauf",
            note=groups_note(),
        ),
        *local_block(ags, spec),
        html.H2("Unsicherheit der Vorausberechnung"),
        html.Div(
            [
                labelled(
                    "gm-fan-groesse",
                    T["fan_quantity"],
                    dropdown(
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
            note=T["fan_note"].format(draws=_model.UNCERTAINTY_DRAWS)
            + (" " + T["fan_note_own"] if spec.key == _model.CUSTOM else ""),
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
        html.Div(measures_box(ags, spec), id="gm-measures"),
        download_panel(PAGE, ags, spec),
        query_store(PAGE, query_of(ags, year, spec)),
        selection_store(PAGE, {"ags": ags, **spec.selection()}),
    ]
    return html.Div(parts)


def query_of(ags: str, year: int, spec: _model.ScenarioSpec) -> dict[str, str]:
    return {"ags": ags, "jahr": str(year), **spec.query()}


@_model.per_data_version(maxsize=32)
def region_view(ags: str, spec: _model.ScenarioSpec, mode: str) -> tuple:
    """Figures and tables that change with the municipality and scenario (memoised per data
    version)."""
    return (
        *chart_outputs(history_fig(ags, spec)),
        *chart_outputs(age_groups_fig(ags, spec, mode), "dec1" if mode == "index" else "int"),
        *chart_outputs(components_fig(ags, spec)),
    )


@_model.per_data_version(maxsize=16)
def pyramid_animated(ags: str, spec: _model.ScenarioSpec) -> dict:
    """The pyramid of a municipality with a frame per year, as a plain dict (memoised)."""
    return pyramid_fig(ags, spec, _model.base_year()).to_dict()


@_model.per_data_version(maxsize=64)
def pyramid_view(ags: str, spec: _model.ScenarioSpec, year: int) -> tuple:
    """Pyramid showing ``year`` and its table (memoised per data version)."""
    return at_year(pyramid_animated(ags, spec), year), pyramid_text(ags, spec, year)


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
    Input("gm-szenario", "value"),
    Input("gm-gruppen-art", "value"),
    State("gm-spec", "data"),
    prevent_initial_call=True,
)
def on_region(ags: str, key: str | None = None, mode: str | None = None, spec_query: dict | None = None):
    """Municipality, scenario or group display switch: title, history, age groups, components,
    selection."""
    ags = _model.parse_ags(ags, default=DEFAULT_AGS)
    spec = spec_of(key, spec_query)
    mode = mode if mode in GROUP_MODES else GROUP_MODES[0]
    return (title(ags), *region_view(ags, spec, mode), {"ags": ags, **spec.selection()})


_local_panel.register("gm", "gm-ags", default_ags=DEFAULT_AGS)


@callback(
    Output("gm-lokal-wirkung", "figure"),
    Output("gm-lokal-wirkung-tabelle", "children"),
    Output("gm-lokal-liste", "children"),
    Output("gm-lokal-link", "href"),
    Output({"type": "query", "page": PAGE}, "data", allow_duplicate=True),
    Output({"type": "sel", "page": PAGE}, "data", allow_duplicate=True),
    Input("gm-ags", "value"),
    Input("gm-lokal-jahr", "value"),
    Input("gm-lokal", "data"),
    State("gm-jahr", "value"),
    State("gm-szenario", "value"),
    State("gm-spec", "data"),
    prevent_initial_call=True,
)
def on_local(ags: str, effect_year, local, year, key=None, spec_query=None):
    """Local inputs, municipality or effect year changed: effect, entries, links, URL, selection
    (the local inputs on top of the scenario chosen on the page)."""
    ags = _model.parse_ags(ags, default=DEFAULT_AGS)
    spec = spec_of(key, spec_query).with_local(_model.parse_local(local))
    year = _model.parse_year(year, default=None)
    return (
        *_local_panel.effect_view(spec, ags, effect_year),
        _local_panel.entries_table("gm", spec.local),
        scenarios_href(ags, spec),
        query_of(ags, year, spec),
        {"ags": ags, **spec.selection()},
    )


@callback(
    Output("gm-pyramid", "figure"),
    Output("gm-pyramid-tabelle", "children"),
    Output({"type": "query", "page": PAGE}, "data"),
    Input("gm-ags", "value"),
    Input("gm-jahr", "value"),
    Input("gm-szenario", "value"),
    State("gm-spec", "data"),
    State("gm-lokal", "data"),
    prevent_initial_call=True,
)
def on_pyramid(ags: str, year: int, key: str | None = None, spec_query: dict | None = None, local=None):
    """Municipality, year or scenario switch: pyramid, its table and the URL."""
    ags = _model.parse_ags(ags, default=DEFAULT_AGS)
    year = _model.parse_year(year, default=None)
    spec = spec_of(key, spec_query)
    if local is not None:
        spec = spec.with_local(_model.parse_local(local))
    return (*pyramid_view(ags, spec, year), query_of(ags, year, spec))


@callback(
    Output("gm-fan", "figure"),
    Output("gm-fan-tabelle", "children"),
    Input("gm-ags", "value"),
    Input("gm-fan-groesse", "value"),
    Input("gm-szenario", "value"),
    State("gm-spec", "data"),
)
def on_fan(ags: str, quantity: str, key: str | None = None, spec_query: dict | None = None):
    """Page load, municipality, quantity or scenario switch: fan chart and its table (loaded after
    the page)."""
    ags = _model.parse_ags(ags, default=DEFAULT_AGS)
    quantity = quantity if quantity in fan.KEY_QUANTITIES else "population"
    return fan_view(ags, quantity, spec_of(key, spec_query))


@callback(
    Output("gm-measures", "children"),
    Input("gm-ags", "value"),
    Input("gm-szenario", "value"),
    State("gm-spec", "data"),
    prevent_initial_call=True,
)
def on_region_measures(ags: str, key: str | None = None, spec_query: dict | None = None):
    """Municipality or scenario switch: the measures box (Werkzeugkoffer) of that area."""
    return measures_box(_model.parse_ags(ags, default=DEFAULT_AGS), spec_of(key, spec_query))


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
