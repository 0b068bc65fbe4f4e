"""Szenarien: own assumptions (sliders/inputs), presets side by side against Basis,
target-seeking net migration. URL: ``/szenarien?ags=05358&tfr=1.5&e0=1&wanderung=2000&vergleich=…``."""

from __future__ import annotations

import dash
import pandas as pd
from dash import Input, Output, State, callback, ctx, dcc, html

from dashboard.app import _local_panel, _model, _validate
from dashboard.app._components import (
    chart,
    data_table,
    dropdown,
    key_figure,
    labelled,
    notice,
    query_store,
    region_dropdown,
    selection_store,
    stand_line,
)
from dashboard.app._download_panel import download_panel
from dashboard.constants import KREIS_AGS
from dashboard.figures import fan
from dashboard.figures.labels import region_name
from dashboard.figures.scenarios import scenario_figure
from dashboard.text import (
    GROUP_INDICATORS,
    INDICATORS,
    LOCAL,
    NUMBER_INPUT,
    PLANNING_GROUP_LABELS,
    T,
    fmt_date,
    fmt_input,
    fmt_int,
    fmt_num,
    fmt_signed_int,
    fmt_value,
    group_key,
)

dash.register_page(
    __name__, path="/szenarien", name="Szenarien", order=2, title="Szenarien – Kreis Düren 2030"
)

PAGE = "szenarien"
BASIS = "Basis"
OWN = "Eigenes Szenario"
#: Kennzahlen: the indicators and the planning age groups as persons per year (issue 17.4).
MEASURES = {**INDICATORS, **GROUP_INDICATORS}
IND_OPTIONS = [{"label": v[0], "value": k} for k, v in MEASURES.items()]


#: The controls of the own scenario: one slider + input box per declared parameter.
CONTROLLED = tuple(p for p in _model.PARAMETERS if p.target == "scenario" and not p.many)


def slider_id(p) -> str:
    return f"sz-{p.url_key}"


def box_id(p) -> str:
    return f"sz-{p.url_key}-eingabe"


def message_id(p) -> str:
    return f"sz-{p.url_key}-hinweis"


def set_id(p) -> str:
    return f"sz-{p.url_key}-setzen"


#: Parameters without a slider (list-valued, per municipality): their link values live in
#: the store ``sz-lokal`` (``{url_key: text}``), which the local-inputs panel edits.
LISTED = tuple(p for p in _model.PARAMETERS if p not in CONTROLLED)


def own_spec(*values, listed: dict | None = None) -> _model.ScenarioSpec:
    """The user's scenario from the sliders' values (in the order of :data:`CONTROLLED`) and
    the link values of the other parameters (``listed``, the store ``sz-lokal``); a slider left
    at its Basis value means the exact Basis assumption (the controls show the Basis value
    rounded, e.g. 1,48 children per woman)."""
    rest = listed if isinstance(listed, dict) else {}
    return _model.own_spec(
        {
            **{p.url_key: rest.get(p.url_key) for p in LISTED},
            **{p.url_key: v for p, v in zip(CONTROLLED, values)},
        }
    )


def slider_values(spec: _model.ScenarioSpec) -> tuple[float, ...]:
    """Control positions showing a spec (in the order of :data:`CONTROLLED`; a preset as its
    effective values, e.g. "Zuwanderung hoch" as 1,5 × the Basis net migration)."""
    d = _model.basis_defaults()
    own = spec.values()
    if spec.key in (_model.CUSTOM, "basis"):
        return tuple(own.get(p.key, d[p.key]) for p in CONTROLLED)
    from dashboard.projection import estimate_assumptions

    sc = spec.scenario()
    net = sc.net_migration
    if net is None:
        net = estimate_assumptions().net_migration * sc.migration_factor
    eff = {
        "tfr": sc.tfr if sc.tfr is not None else d["tfr"],
        "e0_gain": sc.e0_gain,
        "net_migration": float(net),
    }
    return tuple(eff.get(p.key, d[p.key]) for p in CONTROLLED)


def listed_values(spec: _model.ScenarioSpec) -> dict[str, str]:
    """Link values of the spec's list-valued parameters (the store ``sz-lokal``)."""
    q = spec.query()
    return {p.url_key: q[p.url_key] for p in LISTED if p.url_key in q}


def param_control(p, value: float, basis: float) -> html.Div:
    """Slider and German input box of one parameter (label, range, step from the declaration).

    The box takes German numbers ("1,6", "2.300"); Enter or leaving the box applies; a value it
    cannot use is named beside it and not applied. The slider handle gets its accessible name
    from the label (``data-thumb-label``, see ``assets/a11y.js``).
    """
    lo, hi = p.ui_range
    label_id = f"{slider_id(p)}-label"
    return html.Div(
        [
            html.Label(p.control_label(basis), htmlFor=box_id(p), id=label_id),
            html.Div(
                [
                    html.Div(
                        dcc.Slider(
                            id=slider_id(p),
                            min=lo,
                            max=hi,
                            step=p.step,
                            value=value,
                            marks={x: fmt_num(x, 2) for x in p.marks},
                            allow_direct_input=False,
                        ),
                        className="param-slider",
                        **{"data-thumb-label": label_id, "data-thumb-unit": p.unit_text},
                    ),
                    dcc.Input(
                        id=box_id(p),
                        type="text",
                        inputMode="decimal",
                        value=fmt_input(value, 6),
                        debounce=True,
                        autoComplete="off",
                        size="8",
                        className="param-box",
                    ),
                ],
                className="param-row",
            ),
            html.P(id=message_id(p), className="param-message", **{"aria-live": "polite"}),
            dcc.Store(id=set_id(p)),
        ],
        className="control param",
        **{"data-input-message": message_id(p)},
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
    out[OWN + (" mit lokalen Annahmen" if spec.local else "")] = measures(spec)
    return out


def result_table(res: dict[str, pd.DataFrame], ags: str, indicator: str) -> html.Table:
    label, kind, _ = MEASURES[indicator]
    rows = []
    for name, ind in res.items():
        d = ind[ind.ags == ags].set_index("year")[indicator]
        rows.append(
            {
                "name": name,
                **{str(y): fmt_value(d.get(y), kind) for y in (_model.base_year(), 2030, 2035, 2045)},
            }
        )
    return data_table(
        pd.DataFrame(rows),
        {
            "name": ("Szenario", "text"),
            **{str(y): (f"31.12.{y}", "text") for y in (_model.base_year(), 2030, 2035, 2045)},
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


def fan_note(spec: _model.ScenarioSpec) -> str:
    note = T["fan_note"].format(draws=_model.UNCERTAINTY_DRAWS) + " " + T["fan_note_own"]
    return note + (LOCAL["fan_note_local"] if spec.local else "")


def open_saved(key: str):
    """(spec, notice, saved key) of a permalink; on failure (None, error notice, None)."""
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
    vergleich: str | None = None,
    id: str | None = None,  # noqa: A002 - the permalink's query key
    **_query,
) -> html.Div:
    indicator = kennzahl if kennzahl in MEASURES else "population"
    d = _model.basis_defaults()
    spec = _model.own_spec(_model.scenario_query(_query))
    opened, saved_store = None, None
    if id is not None:
        loaded, opened, key = open_saved(id)
        if loaded is not None:
            spec = own_spec(*slider_values(loaded), listed=listed_values(loaded))
            saved_store = {"key": key, "query": spec.query()}
            if ags is None and spec.local:
                ags = spec.local.municipalities[0]
    ags = _model.parse_ags(ags)
    chosen = _query.get("szenario")
    if vergleich is None and chosen in _model.preset_keys() and chosen != "basis":
        vergleich = chosen  # a preset chosen elsewhere (navigation): shown for comparison
    keys = compare_keys(vergleich)
    fig, table, big, sub = view(ags, indicator, spec, keys)
    # the page's contribution to the cross-page selection: its own scenario only when the link
    # gave own values (a visit alone does not replace a preset chosen on another page)
    sel = {"ags": ags, **spec.selection()} if spec.values() else {"ags": ags}
    presets = [{"label": _model.preset_label(k), "value": k} for k in _model.preset_keys() if k != "basis"]
    own = spec.values()
    return html.Div(
        [
            html.H1("Szenarien"),
            stand_line(),
            *([opened] if opened is not None else []),
            html.P(
                "Verändern Sie die Annahmen und vergleichen Sie das Ergebnis mit der Basisvariante und mit "
                "vorbereiteten Szenarien. Geburten, Lebenserwartung und Wanderungen gelten für den ganzen Kreis. "
                "Zahlen können Sie auch eintippen (z. B. 1,6 oder 2.300) und mit der Eingabetaste übernehmen.",
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
                            *[param_control(p, own.get(p.key, d[p.key]), d[p.key]) for p in CONTROLLED],
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
                                            type="text",
                                            inputMode="numeric",
                                            autoComplete="off",
                                            value=fmt_int(280_000),
                                            size="9",
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
                                note=fan_note(spec),
                                table=html.P(T["fan_loading"]),
                            ),
                            html.P(
                                html.A(
                                    "Kurzbericht zu diesem Szenario",
                                    id="sz-brief-link",
                                    href=_model.scenario_href("/kurzbericht", ags, spec),
                                )
                            ),
                        ],
                        className="main-col",
                    ),
                ],
                className="with-sidebar",
            ),
            download_panel(PAGE, ags, spec),
            # the store ``sz-lokal`` (link values of the list-valued parameters) is the panel's
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
            selection_store(PAGE, sel),
        ]
    )


SLIDERS = [Input(slider_id(p), "value") for p in CONTROLLED]
#: The own scenario's controls as callback inputs or states (the sliders, then the local store);
#: :func:`spec_of` turns their values back into the scenario.
OWN_INPUTS = [*SLIDERS, Input("sz-lokal", "data")]
OWN_STATES = [*(State(slider_id(p), "value") for p in CONTROLLED), State("sz-lokal", "data")]


def spec_of(values) -> _model.ScenarioSpec:
    """The own scenario from the callback values of :data:`OWN_INPUTS` or :data:`OWN_STATES`."""
    *sliders, listed = values
    return own_spec(*sliders, listed=listed)


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
    Input("sz-vergleich", "value"),
    *OWN_INPUTS,
    State("sz-saved", "data"),
    prevent_initial_call=True,
)
def on_change(ags, indicator, vergleich, *rest):
    """Any control changed: parse -> scenarios -> figure/table/headline -> URL and links.

    ``rest``: the values of :data:`OWN_INPUTS`, then the opened saved scenario."""
    *own, saved = rest
    values = own[: len(CONTROLLED)]
    ags, spec, keys = _model.parse_ags(ags), spec_of(own), compare_keys(vergleich)
    indicator = indicator if indicator in MEASURES else "population"
    fig, table, big, sub = view(ags, indicator, spec, keys)
    # hand-crafted requests (the sliders themselves send only values in range)
    rejected = _validate.rejected_inputs({p.url_key: v for p, v in zip(CONTROLLED, values)})
    if rejected:
        sub = [html.Strong(rejected, className="hinweis-fehler", role="alert"), " ", sub]
    return (
        fig,
        table,
        big,
        sub,
        query_of(ags, indicator, spec, keys, saved),
        {"ags": ags, **spec.selection()},
        _model.scenario_href("/kurzbericht", ags, spec),
    )


def sync_values(p, trigger, slider, box, setting):
    """New (slider value, box text, message, box class) of parameter ``p`` after ``trigger``:

    * the box (Enter or leaving it): German text read (:meth:`Parameter.parse`, the slider's
      range); a value it cannot use is named beside the box and not applied (the slider and
      the scenario keep their value), never clipped;
    * "zurücksetzen": the Basis value; a value set by the page (``setting``, target seeking):
      exactly that value;
    * the slider moved: the box shows its value in German.
    """
    ok = "param-box"
    if trigger == "sz-reset":
        value = _model.basis_defaults()[p.key]
        return value, fmt_input(value, 6), "", ok
    if trigger == set_id(p) and isinstance(setting, dict):
        value = setting.get("value")
        return value, fmt_input(value, 6), "", ok
    if trigger == box_id(p):
        try:
            value = p.parse(box)
        except ValueError as err:
            current = _model.parse_float(slider, *p.ui_range)
            note = NUMBER_INPUT["not_used"].format(current=fmt_num(current) if current is not None else "–")
            return dash.no_update, dash.no_update, f"{err} {note}", ok + " invalid"
        return value, fmt_input(value, 6), "", ok
    value = _model.parse_float(slider, *p.ui_range)
    return dash.no_update, fmt_input(value, 6) if value is not None else dash.no_update, "", ok


def _register_sync(p) -> None:
    """Slider, input box, "zurücksetzen" and a value set by the page (target seeking) of one
    parameter kept in step by one callback (no value applied twice, none lost)."""

    @callback(
        Output(slider_id(p), "value"),
        Output(box_id(p), "value"),
        Output(message_id(p), "children"),
        Output(box_id(p), "className"),
        Input(slider_id(p), "value"),
        Input(box_id(p), "value"),
        Input("sz-reset", "n_clicks"),
        Input(set_id(p), "data"),
        prevent_initial_call=True,
    )
    def sync(slider, box, _reset, setting):
        return sync_values(p, ctx.triggered_id, slider, box, setting)


for _p in CONTROLLED:
    _register_sync(_p)

_MIGRATION = _model.PARAMETER["net_migration"]


@callback(
    Output("sz-ziel-ergebnis", "children"),
    Output(set_id(_MIGRATION), "data"),
    Input("sz-ziel-los", "n_clicks"),
    Input("sz-ziel", "n_submit"),
    Input("sz-reset", "n_clicks"),
    State("sz-ziel", "value"),
    State("sz-zieljahr", "value"),
    *OWN_STATES,
    prevent_initial_call=True,
)
def on_target(n, n_enter, _reset, target, year, *rest):
    """Target-seeking: the constant net migration that reaches ``target`` in ``year``, set on
    the migration control (exactly the value the message names); "zurücksetzen" clears it."""
    if ctx.triggered_id == "sz-reset":
        return "", dash.no_update
    *values, listed = rest
    msg, value = _model.solve_target(target, year, own_spec(*values, listed=listed))
    others = {p.url_key: v for p, v in zip(CONTROLLED, values) if p is not _MIGRATION}
    notes = [
        m
        for m in (
            _validate.rejected_year(year, lo=_model.base_year(), hi=2045),
            _validate.rejected_inputs(others),
        )
        if m
    ]
    if notes:
        msg = " ".join(notes) + " " + msg
    return msg, {"value": value, "n": (n or 0) + (n_enter or 0)} if value is not None else dash.no_update


@callback(
    Output("sz-fan", "figure"),
    Output("sz-fan-tabelle", "children"),
    Input("sz-ags", "value"),
    *OWN_INPUTS,
)
def on_fan(ags, *rest):
    """Page load or own scenario changed: its fan chart and table (loaded after the page)."""
    return fan_view(_model.parse_ags(ags), spec_of(rest))


_local_panel.register("sz", "sz-ags")


@callback(
    Output("sz-lokal-wirkung", "figure"),
    Output("sz-lokal-wirkung-tabelle", "children"),
    Input("sz-ags", "value"),
    Input("sz-lokal-jahr", "value"),
    *OWN_INPUTS,
    prevent_initial_call=True,
)
def on_local_effect(ags, year, *rest):
    """Local inputs, municipality, year or Kreis assumptions changed: the effect on the age groups."""
    ags = _model.parse_ags(ags)
    if ags == KREIS_AGS:
        return {}, html.P(LOCAL["pick_municipality"])
    return _local_panel.effect_view(spec_of(rest), ags, year)


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
    *OWN_STATES,
    prevent_initial_call=True,
)
def on_save(_n, title, description, ags, *rest):
    """Save the current scenario (signed-in users) and show its permalink."""
    msg = _local_panel.save(spec_of(rest), title, description)
    ags = _model.parse_ags(ags)
    return msg, _local_panel.saved_list(ags, list_id="sz-gespeicherte-x").children


@callback(
    Output("sz-datei-download", "data"),
    Input("sz-datei-los", "n_clicks"),
    *OWN_STATES,
    prevent_initial_call=True,
)
def on_download(_n, *rest):
    """The current scenario as a JSON file."""
    return _local_panel.download(spec_of(rest))


@callback(
    Output("sz-datei-meldung", "children"),
    *[Output(slider_id(p), "value", allow_duplicate=True) for p in CONTROLLED],
    Output("sz-lokal", "data", allow_duplicate=True),
    Input("sz-datei", "contents"),
    State("sz-datei", "filename"),
    prevent_initial_call=True,
)
def on_upload(contents, filename):
    """A scenario file: the controls and local inputs take its values, or a German message says why not."""
    msg, spec = _local_panel.upload(contents, filename)
    if spec is None:
        return msg, *[dash.no_update for _ in CONTROLLED], dash.no_update
    return (msg, *slider_values(spec), listed_values(spec))
