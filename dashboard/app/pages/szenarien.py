"""Szenarien: own assumptions (sliders/inputs), presets side by side against Basis,
target-seeking net migration. URL: ``/szenarien?ags=05358&tfr=1.5&e0=1&wanderung=2000&vergleich=…``."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard.app import _model, _validate
from dashboard.app._components import (
    chart,
    data_table,
    dropdown,
    key_figure,
    labelled,
    query_store,
    region_dropdown,
    selection_store,
    stand_line,
)
from dashboard.app._download_panel import download_panel
from dashboard.constants import BASE_YEAR, KREIS_AGS
from dashboard.figures import fan
from dashboard.figures.labels import (
    GROUP_INDICATORS,
    INDICATORS,
    PLANNING_GROUP_LABELS,
    T,
    fmt_dec,
    fmt_int,
    fmt_signed_int,
    fmt_value,
    group_key,
    region_name,
)
from dashboard.figures.scenarios import scenario_figure

dash.register_page(
    __name__, path="/szenarien", name="Szenarien", order=2, title="Szenarien – Kreis Düren 2030"
)

PAGE = "szenarien"
BASIS = "Basis"
OWN = "Eigenes Szenario"
#: Kennzahlen: the indicators and the planning age groups as persons per year (issue 17.4).
MEASURES = {**INDICATORS, **GROUP_INDICATORS}
IND_OPTIONS = [{"label": v[0], "value": k} for k, v in MEASURES.items()]


def own_spec(tfr, e0, wanderung) -> _model.ScenarioSpec:
    """The user's scenario; a slider left at its Basis mark means the exact Basis assumption
    (the marks show rounded values, e.g. 2.300 for an estimated 2.323 persons/year)."""
    d = _model.basis_defaults()
    same = lambda v, key: v is None or _model.parse_float(v, -1e9, 1e9) == d[key]  # noqa: E731
    return _model.parse_scenario(
        _model.CUSTOM,
        None if same(tfr, "tfr") else tfr,
        None if same(e0, "e0_gain") else e0,
        None if same(wanderung, "net_migration") else wanderung,
    )


def compare_keys(vergleich: str | list | None) -> list[str]:
    items = (
        vergleich.split(",")
        if isinstance(vergleich, str)
        else vergleich
        if isinstance(vergleich, list)
        else []
    )
    return [k for k in items if isinstance(k, str) and k in _model.preset_keys() and k != "basis"]


def measures(spec: _model.ScenarioSpec) -> pd.DataFrame:
    """The scenario's indicators with one column of persons per planning age group
    (``alter_0-2`` … ``alter_80plus``, keys of :data:`GROUP_INDICATORS`)."""
    return _measures(spec).copy()


@_model.per_data_version(maxsize=32)
def _measures(spec: _model.ScenarioSpec) -> pd.DataFrame:
    r = _model.result(spec)
    ag = r.age_groups.assign(age_group=r.age_groups.age_group.astype(str))
    wide = ag.pivot_table(index=["ags", "year"], columns="age_group", values="population", observed=True)
    wide = wide[[g for g in PLANNING_GROUP_LABELS if g in wide.columns]]
    wide.columns = [group_key(g) for g in wide.columns]
    return r.indicators.merge(wide.reset_index(), on=["ags", "year"], how="left", validate="one_to_one")


def results(spec: _model.ScenarioSpec, keys: list[str]) -> dict[str, pd.DataFrame]:
    """Scenario label -> indicators and group counts (Basis, compared presets, own scenario)."""
    out = {BASIS: measures(_model.ScenarioSpec())}
    for k in keys:
        out[_model.preset_label(k)] = measures(_model.ScenarioSpec(k))
    out[OWN] = measures(spec)
    return out


def result_table(res: dict[str, pd.DataFrame], ags: str, indicator: str) -> html.Table:
    label, kind, _ = MEASURES[indicator]
    rows = []
    for name, ind in res.items():
        d = ind[ind.ags == ags].set_index("year")[indicator]
        rows.append(
            {"name": name, **{str(y): fmt_value(d.get(y), kind) for y in (BASE_YEAR, 2030, 2035, 2045)}}
        )
    return data_table(
        pd.DataFrame(rows),
        {
            "name": ("Szenario", "text"),
            **{str(y): (f"31.12.{y}", "text") for y in (BASE_YEAR, 2030, 2035, 2045)},
        },
        caption=f"{label}: {region_name(ags)}",
        row_header="name",
        table_id="sz-table",
    )


def headline(res: dict[str, pd.DataFrame], ags: str) -> tuple[str, str]:
    own = res[OWN][(res[OWN].ags == ags) & (res[OWN].year == 2045)].population.iloc[0]
    base = res[BASIS][(res[BASIS].ags == ags) & (res[BASIS].year == 2045)].population.iloc[0]
    return fmt_int(own), f"{fmt_signed_int(own - base)} gegenüber Basis"


def view(ags: str, indicator: str, spec: _model.ScenarioSpec, keys: list[str]):
    """Everything that depends on the inputs: figure, table, headline numbers."""
    res = results(spec, keys)
    fig = scenario_figure(res, ags=ags, indicator=indicator, base_label=BASIS)
    return fig, result_table(res, ags, indicator), *headline(res, ags)


def fan_view(ags: str, spec: _model.ScenarioSpec):
    """Fan chart of the own scenario's population and its table.

    An own scenario shows the Basis simulation's relative spread around its deterministic
    path (:func:`dashboard.app._model.scenario_fan`; cached draws, a slider move only rescales).
    """
    q, draws, exact = _model.scenario_fan(spec)
    t = fan.fan_table(q, ags=ags)
    return (
        fan.fan_chart(
            q, ags=ags, draws=draws, title=f"Eigenes Szenario mit Unsicherheit: {region_name(ags)}"
        ),
        data_table(
            t,
            {c: (c, "text") for c in t.columns},
            caption=f"Eigenes Szenario: {region_name(ags)}",
            row_header="Jahr",
        ),
    )


def query_of(ags, indicator, spec, keys) -> dict[str, str]:
    return {
        "ags": ags,
        "kennzahl": indicator,
        **{k: v for k, v in spec.query().items() if k != "szenario"},
        "vergleich": ",".join(keys),
    }


def layout(
    ags: str | None = None,
    kennzahl: str | None = None,
    tfr: str | None = None,
    e0: str | None = None,
    wanderung: str | None = None,
    vergleich: str | None = None,
    **_query,
) -> html.Div:
    ags = _model.parse_ags(ags)
    indicator = kennzahl if kennzahl in MEASURES else "population"
    d = _model.basis_defaults()
    spec = own_spec(tfr, e0, wanderung)
    keys = compare_keys(vergleich)
    fig, table, big, sub = view(ags, indicator, spec, keys)
    presets = [{"label": _model.preset_label(k), "value": k} for k in _model.preset_keys() if k != "basis"]
    lo_t, hi_t = _model.TFR_RANGE
    lo_e, hi_e = _model.E0_RANGE
    lo_m, hi_m = _model.MIGRATION_RANGE
    return html.Div(
        [
            html.H1("Szenarien"),
            stand_line(),
            html.P(
                "Verändern Sie die Annahmen und vergleichen Sie das Ergebnis mit der Basisvariante und mit "
                "vorbereiteten Szenarien. Geburten, Lebenserwartung und Wanderungen gelten für den ganzen Kreis.",
                className="lead",
            ),
            html.Div(
                [
                    html.Div(
                        [
                            region_dropdown("sz-ags", ags),
                            labelled(
                                "sz-kennzahl",
                                T["indicator"],
                                dropdown(
                                    id="sz-kennzahl", options=IND_OPTIONS, value=indicator, clearable=False
                                ),
                            ),
                            labelled(
                                "sz-tfr",
                                f"Geburtenrate (Kinder je Frau; Basis {fmt_dec(d['tfr'], 2)})",
                                dcc.Slider(
                                    id="sz-tfr",
                                    min=lo_t,
                                    max=hi_t,
                                    step=0.01,
                                    value=spec.tfr or d["tfr"],
                                    marks={x: fmt_dec(x, 1) for x in (1.0, 1.4, 1.8, 2.2)},
                                    allow_direct_input=True,
                                ),
                            ),
                            labelled(
                                "sz-e0",
                                "Zusätzlicher Anstieg der Lebenserwartung bis 2045 (Jahre)",
                                dcc.Slider(
                                    id="sz-e0",
                                    min=lo_e,
                                    max=hi_e,
                                    step=0.5,
                                    value=spec.e0_gain or d["e0_gain"],
                                    marks={x: fmt_dec(x, 0) for x in (-2, 0, 2, 4, 6)},
                                    allow_direct_input=True,
                                ),
                            ),
                            labelled(
                                "sz-wanderung",
                                f"Wanderungssaldo des Kreises (Personen je Jahr; Basis "
                                f"{fmt_int(d['net_migration'])})",
                                dcc.Slider(
                                    id="sz-wanderung",
                                    min=lo_m,
                                    max=hi_m,
                                    step=100,
                                    value=spec.net_migration
                                    if spec.net_migration is not None
                                    else d["net_migration"],
                                    marks={x: fmt_int(x) for x in (-2000, 0, 2000, 4000, 6000, 8000)},
                                    allow_direct_input=True,
                                ),
                            ),
                            html.Button(
                                "Auf Basiswerte zurücksetzen", id="sz-reset", type="button", className="btn"
                            ),
                            html.Fieldset(
                                [
                                    html.Legend("Zum Vergleich einblenden"),
                                    dcc.Checklist(id="sz-vergleich", options=presets, value=keys),
                                ],
                                className="control",
                            ),
                            html.Fieldset(
                                [
                                    html.Legend("Zuwanderung für ein Ziel berechnen"),
                                    labelled(
                                        "sz-ziel",
                                        "Ziel-Einwohnerzahl des Kreises",
                                        dcc.Input(
                                            id="sz-ziel",
                                            type="number",
                                            min=100000,
                                            max=500000,
                                            step=100,
                                            value=280000,
                                        ),
                                    ),
                                    labelled(
                                        "sz-zieljahr",
                                        "im Jahr",
                                        dropdown(
                                            id="sz-zieljahr",
                                            options=[2030, 2035, 2040, 2045],
                                            value=2035,
                                            clearable=False,
                                        ),
                                    ),
                                    html.Button(
                                        "Nötigen Wanderungssaldo berechnen",
                                        id="sz-ziel-los",
                                        type="button",
                                        className="btn",
                                    ),
                                    html.P(id="sz-ziel-ergebnis", **{"aria-live": "polite"}),
                                ],
                                className="control",
                            ),
                        ],
                        className="sidebar",
                    ),
                    html.Div(
                        [
                            html.Div(
                                [
                                    key_figure(
                                        f"Einwohner 2045 im eigenen Szenario ({region_name(ags)})",
                                        big,
                                        sub,
                                        value_id="sz-headline",
                                    )
                                ],
                                id="sz-headline-box",
                                className="key-figures",
                            ),
                            chart(
                                "sz-chart",
                                fig,
                                label="Szenarien im Vergleich mit der Basisvariante",
                                kind=MEASURES[indicator][1],
                                note="Basis: schwarze, dicke Linie. Alle Werte sind Modellrechnungen, keine Prognosen "
                                "im Sinne sicherer Vorhersagen.",
                            ),
                            html.Div(table, id="sz-table-box", className="table-scroll"),
                            chart(
                                "sz-fan",
                                None,
                                label="Eigenes Szenario: Einwohner mit 80- und 95-%-Intervall",
                                note=T["fan_note"].format(draws=_model.UNCERTAINTY_DRAWS)
                                + " "
                                + T["fan_note_own"],
                                table=html.P(T["fan_loading"]),
                            ),
                            html.P(
                                html.A(
                                    "Kurzbericht zu diesem Szenario",
                                    id="sz-brief-link",
                                    href=f"/kurzbericht?ags={ags if ags != KREIS_AGS else '05358008'}&"
                                    + "&".join(f"{k}={v}" for k, v in spec.query().items()),
                                )
                            ),
                        ],
                        className="main-col",
                    ),
                ],
                className="with-sidebar",
            ),
            download_panel(PAGE, ags, spec),
            query_store(PAGE, query_of(ags, indicator, spec, keys)),
            selection_store(PAGE, {"ags": ags, **spec.query()}),
        ]
    )


@callback(
    Output("sz-chart", "figure"),
    Output("sz-table-box", "children"),
    Output("sz-headline", "children"),
    Output("sz-headline-sub", "children"),
    Output({"type": "query", "page": PAGE}, "data"),
    Output({"type": "sel", "page": PAGE}, "data"),
    Input("sz-ags", "value"),
    Input("sz-kennzahl", "value"),
    Input("sz-tfr", "value"),
    Input("sz-e0", "value"),
    Input("sz-wanderung", "value"),
    Input("sz-vergleich", "value"),
    prevent_initial_call=True,
)
def on_change(ags, indicator, tfr, e0, wanderung, vergleich):
    """Any control changed: parse -> scenarios -> figure/table/headline -> URL."""
    ags, spec, keys = _model.parse_ags(ags), own_spec(tfr, e0, wanderung), compare_keys(vergleich)
    indicator = indicator if indicator in MEASURES else "population"
    fig, table, big, sub = view(ags, indicator, spec, keys)
    rejected = _validate.rejected_inputs(tfr, e0, wanderung)  # hand-crafted requests
    if rejected:
        sub = [html.Strong(rejected, className="hinweis-fehler", role="alert"), " ", sub]
    return fig, table, big, sub, query_of(ags, indicator, spec, keys), {"ags": ags, **spec.query()}


@callback(
    Output("sz-tfr", "value"),
    Output("sz-e0", "value"),
    Output("sz-wanderung", "value", allow_duplicate=True),
    Input("sz-reset", "n_clicks"),
    prevent_initial_call=True,
)
def on_reset(_n):
    d = _model.basis_defaults()
    return d["tfr"], d["e0_gain"], d["net_migration"]


@callback(
    Output("sz-ziel-ergebnis", "children"),
    Output("sz-wanderung", "value"),
    Input("sz-ziel-los", "n_clicks"),
    State("sz-ziel", "value"),
    State("sz-zieljahr", "value"),
    State("sz-tfr", "value"),
    State("sz-e0", "value"),
    prevent_initial_call=True,
)
def on_target(_n, target, year, tfr, e0):
    """Target-seeking: the constant net migration that reaches ``target`` in ``year``."""
    msg, value = _model.solve_target(target, year, tfr, e0)
    notes = [
        m
        for m in (
            _validate.rejected_year(year, lo=_model.BASE_YEAR, hi=2045),
            _validate.rejected_inputs(tfr, e0, None),
        )
        if m
    ]
    if notes:
        msg = " ".join(notes) + " " + msg
    return msg, value if value is not None else dash.no_update


@callback(
    Output("sz-fan", "figure"),
    Output("sz-fan-tabelle", "children"),
    Input("sz-ags", "value"),
    Input("sz-tfr", "value"),
    Input("sz-e0", "value"),
    Input("sz-wanderung", "value"),
)
def on_fan(ags, tfr, e0, wanderung):
    """Page load or own scenario changed: its fan chart and table (loaded after the page)."""
    return fan_view(_model.parse_ags(ags), own_spec(tfr, e0, wanderung))
