"""Szenarien: own assumptions (sliders/inputs), presets side by side against Basis,
target-seeking net migration. URL: ``/szenarien?ags=05358&tfr=1.5&e0=1&wanderung=2000&vergleich=…``."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, dcc, html

from dashboard.app import _local_panel, _model, _validate
from dashboard.app._components import (
    chart,
    data_table,
    key_figure,
    labelled,
    notice,
    query_store,
    region_dropdown,
    selection_store,
    stand_line,
)
from dashboard.constants import BASE_YEAR, KREIS_AGS
from dashboard.figures import fan
from dashboard.figures.labels import INDICATORS, T, fmt_dec, fmt_int, fmt_signed_int, fmt_value, region_name
from dashboard.figures.scenarios import scenario_figure
from dashboard.text import LOCAL, fmt_date

dash.register_page(
    __name__, path="/szenarien", name="Szenarien", order=2, title="Szenarien – Kreis Düren 2030"
)

PAGE = "szenarien"
BASIS = "Basis"
OWN = "Eigenes Szenario"
IND_OPTIONS = [{"label": v[0], "value": k} for k, v in INDICATORS.items()]


def own_spec(tfr, e0, wanderung, local=None) -> _model.ScenarioSpec:
    """The user's scenario; a slider left at its Basis mark means the exact Basis assumption
    (the marks show rounded values, e.g. 2.300 for an estimated 2.323 persons/year).
    ``local``: the local inputs (a ``LocalScenario`` or their query values)."""
    d = _model.basis_defaults()
    same = lambda v, key: v is None or _model.parse_float(v, -1e9, 1e9) == d[key]  # noqa: E731
    return _model.parse_scenario(
        _model.CUSTOM,
        None if same(tfr, "tfr") else tfr,
        None if same(e0, "e0_gain") else e0,
        None if same(wanderung, "net_migration") else wanderung,
        local,
    )


def slider_values(spec: _model.ScenarioSpec) -> tuple[float, float, float]:
    """Slider positions showing a spec (presets as their effective values)."""
    d = _model.basis_defaults()
    if spec.key not in (_model.CUSTOM, "basis"):
        sc = _model.to_scenario(spec)
        from dashboard.projection import estimate_assumptions

        a = estimate_assumptions()
        net = sc.net_migration if sc.net_migration is not None else a.net_migration * sc.migration_factor
        return (sc.tfr if sc.tfr is not None else d["tfr"], sc.e0_gain, float(net))
    return (
        spec.tfr if spec.tfr is not None else d["tfr"],
        spec.e0_gain if spec.e0_gain is not None else d["e0_gain"],
        spec.net_migration if spec.net_migration is not None else d["net_migration"],
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


def results(spec: _model.ScenarioSpec, keys: list[str]) -> dict[str, pd.DataFrame]:
    """Scenario label -> indicators (Basis, the compared presets, the own scenario)."""
    out = {BASIS: _model.result(_model.ScenarioSpec()).indicators}
    for k in keys:
        out[_model.preset_label(k)] = _model.result(_model.ScenarioSpec(k)).indicators
    out[OWN + (" mit lokalen Annahmen" if spec.local else "")] = _model.result(spec).indicators
    return out


def result_table(res: dict[str, pd.DataFrame], ags: str, indicator: str) -> html.Table:
    label, kind, _ = INDICATORS[indicator]
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
    mine = res[list(res)[-1]]  # the own scenario comes last
    own = mine[(mine.ags == ags) & (mine.year == 2045)].population.iloc[0]
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
    del exact  # the chart note states how the band of an own or local scenario is made
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


def query_of(ags, indicator, spec, keys, saved: dict | None = None) -> dict[str, str]:
    """URL state; while the page shows a saved scenario unchanged, its short permalink ``id``."""
    if isinstance(saved, dict) and saved.get("query") == spec.query() and isinstance(saved.get("key"), str):
        return {"id": saved["key"], "ags": ags, "kennzahl": indicator, "vergleich": ",".join(keys)}
    return {
        "ags": ags,
        "kennzahl": indicator,
        **{k: v for k, v in spec.query().items() if k != "szenario"},
        "vergleich": ",".join(keys),
    }


def brief_href(ags: str, spec: _model.ScenarioSpec) -> str:
    from urllib.parse import urlencode

    return "/kurzbericht?" + urlencode({"ags": ags if ags != KREIS_AGS else "05358008", **spec.query()})


def fan_note(spec: _model.ScenarioSpec) -> str:
    note = T["fan_note"].format(draws=_model.UNCERTAINTY_DRAWS) + " " + T["fan_note_own"]
    return note + (LOCAL["fan_note_local"] if spec.local else "")


def open_saved(key: str):
    """(spec, notice, saved-store data) of a permalink; on failure (None, error notice, None)."""
    try:
        saved, spec = _model.load_saved(key)
    except ValueError as e:
        return None, notice(LOCAL["open_failed"].format(why=e), "error"), None
    text = LOCAL["opened"].format(
        title=saved.title,
        who=saved.created_by,
        when=fmt_date(saved.created_at.date()),
        description=(saved.description.rstrip(".") + ". ") if saved.description else "",
    )
    parts = [text]
    if saved.withdrawn:
        parts.append(
            " "
            + LOCAL["opened_withdrawn"].format(
                who=saved.withdrawn_by, when=fmt_date(saved.withdrawn_at.date())
            )
        )
    return (
        spec,
        html.Div(parts, className="notice notice-info", role="status", id="sz-gespeichert"),
        saved.key,
    )


def layout(
    ags: str | None = None,
    kennzahl: str | None = None,
    tfr: str | None = None,
    e0: str | None = None,
    wanderung: str | None = None,
    vergleich: str | None = None,
    id: str | None = None,  # noqa: A002 - the permalink's query key
    **_query,
) -> html.Div:
    indicator = kennzahl if kennzahl in INDICATORS else "population"
    d = _model.basis_defaults()
    opened, saved_store = None, None
    spec = own_spec(tfr, e0, wanderung, _query)
    if id is not None:
        loaded, opened, key = open_saved(id)
        if loaded is not None:
            spec = own_spec(*slider_values(loaded), loaded.local)
            saved_store = {"key": key, "query": spec.query()}
            if ags is None and spec.local:
                ags = spec.local.municipalities[0]
    ags = _model.parse_ags(ags)
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
            *([opened] if opened is not None else []),
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
                                dcc.Dropdown(
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
                                    value=slider_values(spec)[0],
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
                                    value=slider_values(spec)[1],
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
                                    value=slider_values(spec)[2],
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
                                        dcc.Dropdown(
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
                                kind=INDICATORS[indicator][1],
                                note="Basis: schwarze, dicke Linie. Alle Werte sind Modellrechnungen, keine Prognosen "
                                "im Sinne sicherer Vorhersagen.",
                            ),
                            html.Div(table, id="sz-table-box", className="table-scroll"),
                            chart(
                                "sz-fan",
                                None,
                                label="Eigenes Szenario: Einwohner mit 80- und 95-%-Intervall",
                                note=fan_note(spec),
                                table=html.P(T["fan_loading"]),
                            ),
                            html.P(
                                html.A(
                                    "Kurzbericht zu diesem Szenario",
                                    id="sz-brief-link",
                                    href=brief_href(ags, spec),
                                )
                            ),
                        ],
                        className="main-col",
                    ),
                ],
                className="with-sidebar",
            ),
            _local_panel.panel(
                "sz",
                ags,
                spec.local,
                effect=_local_panel.effect_view(spec, ags, 2030) if ags != KREIS_AGS else None,
            ),
            _local_panel.saved_list(ags, list_id="sz-gespeicherte"),
            _local_panel.save_form("sz"),
            _local_panel.file_form("sz"),
            dcc.Store(id="sz-saved", data=saved_store),
            query_store(PAGE, query_of(ags, indicator, spec, keys, saved_store)),
            selection_store(PAGE, {"ags": ags, **_model.selection(spec)}),
        ]
    )


@callback(
    Output("sz-chart", "figure"),
    Output("sz-table-box", "children"),
    Output("sz-headline", "children"),
    Output("sz-headline-sub", "children"),
    Output({"type": "query", "page": PAGE}, "data"),
    Output({"type": "sel", "page": PAGE}, "data"),
    Output("sz-brief-link", "href"),
    Input("sz-ags", "value"),
    Input("sz-kennzahl", "value"),
    Input("sz-tfr", "value"),
    Input("sz-e0", "value"),
    Input("sz-wanderung", "value"),
    Input("sz-vergleich", "value"),
    Input("sz-lokal", "data"),
    State("sz-saved", "data"),
    prevent_initial_call=True,
)
def on_change(ags, indicator, tfr, e0, wanderung, vergleich, local=None, saved=None):
    """Any control changed: parse -> scenarios -> figure/table/headline -> URL."""
    ags, spec, keys = _model.parse_ags(ags), own_spec(tfr, e0, wanderung, local), compare_keys(vergleich)
    indicator = indicator if indicator in INDICATORS else "population"
    fig, table, big, sub = view(ags, indicator, spec, keys)
    rejected = _validate.rejected_inputs(tfr, e0, wanderung)  # hand-crafted requests
    if rejected:
        sub = [html.Strong(rejected, className="hinweis-fehler", role="alert"), " ", sub]
    return (
        fig,
        table,
        big,
        sub,
        query_of(ags, indicator, spec, keys, saved),
        {"ags": ags, **_model.selection(spec)},
        brief_href(ags, spec),
    )


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
    Input("sz-lokal", "data"),
)
def on_fan(ags, tfr, e0, wanderung, local=None):
    """Page load or own scenario changed: its fan chart and table (loaded after the page)."""
    return fan_view(_model.parse_ags(ags), own_spec(tfr, e0, wanderung, local))


_local_panel.register("sz", "sz-ags")


@callback(
    Output("sz-lokal-wirkung", "figure"),
    Output("sz-lokal-wirkung-tabelle", "children"),
    Input("sz-ags", "value"),
    Input("sz-lokal-jahr", "value"),
    Input("sz-tfr", "value"),
    Input("sz-e0", "value"),
    Input("sz-wanderung", "value"),
    Input("sz-lokal", "data"),
    prevent_initial_call=True,
)
def on_local_effect(ags, year, tfr, e0, wanderung, local):
    """Local inputs, municipality, year or Kreis assumptions changed: the effect on the age groups."""
    ags = _model.parse_ags(ags)
    if ags == KREIS_AGS:
        return {}, html.P(LOCAL["pick_municipality"])
    return _local_panel.effect_view(own_spec(tfr, e0, wanderung, local), ags, year)


@callback(
    Output("sz-lokal-titel", "children"),
    Output("sz-lokal-formulare", "children"),
    Output("sz-gespeicherte", "children"),
    Input("sz-ags", "value"),
    prevent_initial_call=True,
)
def on_local_region(ags):
    """Municipality switch: the panel's title, its forms and the saved scenarios of that municipality."""
    ags = _model.parse_ags(ags)
    return (
        LOCAL["title"].format(name=region_name(ags)),
        _local_panel.forms("sz", ags),
        _local_panel.saved_list(ags, list_id="sz-gespeicherte-x").children,
    )


@callback(
    Output("sz-lokal-liste", "children"),
    Input("sz-lokal", "data"),
    prevent_initial_call=True,
)
def on_local_list(local):
    """The entries table follows the local store."""
    return _local_panel.entries_table("sz", _model.parse_local(local))


@callback(
    Output("sz-speichern-meldung", "children"),
    Output("sz-gespeicherte", "children", allow_duplicate=True),
    Input("sz-speichern", "n_clicks"),
    State("sz-speichern-name", "value"),
    State("sz-speichern-text", "value"),
    State("sz-ags", "value"),
    State("sz-tfr", "value"),
    State("sz-e0", "value"),
    State("sz-wanderung", "value"),
    State("sz-lokal", "data"),
    prevent_initial_call=True,
)
def on_save(_n, title, description, ags, tfr, e0, wanderung, local):
    """Save the current scenario (signed-in users) and show its permalink."""
    msg = _local_panel.save(own_spec(tfr, e0, wanderung, local), title, description)
    ags = _model.parse_ags(ags)
    return msg, _local_panel.saved_list(ags, list_id="sz-gespeicherte-x").children


@callback(
    Output("sz-datei-download", "data"),
    Input("sz-datei-los", "n_clicks"),
    State("sz-tfr", "value"),
    State("sz-e0", "value"),
    State("sz-wanderung", "value"),
    State("sz-lokal", "data"),
    prevent_initial_call=True,
)
def on_download(_n, tfr, e0, wanderung, local):
    """The current scenario as a JSON file."""
    return _local_panel.download(own_spec(tfr, e0, wanderung, local))


@callback(
    Output("sz-datei-meldung", "children"),
    Output("sz-tfr", "value", allow_duplicate=True),
    Output("sz-e0", "value", allow_duplicate=True),
    Output("sz-wanderung", "value", allow_duplicate=True),
    Output("sz-lokal", "data", allow_duplicate=True),
    Input("sz-datei", "contents"),
    State("sz-datei", "filename"),
    prevent_initial_call=True,
)
def on_upload(contents, filename):
    """A scenario file: sliders and local inputs take its values, or a German message says why not."""
    msg, spec = _local_panel.upload(contents, filename)
    if spec is None:
        return msg, dash.no_update, dash.no_update, dash.no_update, dash.no_update
    return (msg, *slider_values(spec), spec.local.to_query())
