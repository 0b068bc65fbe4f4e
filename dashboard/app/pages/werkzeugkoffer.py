"""Page ``/werkzeugkoffer``: the district's measures linked to the projected age groups.

URL state (shareable): ``ags``, ``field``, ``group``, ``status``, ``q``, ``year``,
``scenario``, ``measure`` (card to highlight and scroll to). Filters update the address bar
with ``history.replaceState`` (no page reload, focus stays where it is).
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard.constants import KREIS_AGS, MUNICIPALITIES, PLANNING_AGE_GROUPS
from dashboard.data.errors import DataFormatError
from dashboard.app.pages import _measures_components as C
from dashboard.data.measures import (FIELDS_OF_ACTION, STATUSES, active_catalogue, import_workbook,
                                     reset_import, workbook_bytes)

dash.register_page(__name__, path=C.PATH, name="Werkzeugkoffer", title="Werkzeugkoffer – Kreis Düren 2030",
                   description="Maßnahmen des Kreises Düren neben der vorausberechneten Entwicklung der Altersgruppen")

T = C.TEXT


def _scenarios() -> list[str]:
    try:
        from dashboard.projection import PRESETS
        return list(PRESETS)
    except ImportError:
        return [C.DEFAULT_SCENARIO]


def _clean(value, allowed, default=None):
    return value if value in allowed else default


def _control(label: str, component, cid: str) -> html.Div:
    return html.Div([html.Label(label, htmlFor=cid), component], className="wk-control")


def layout(ags: str | None = None, field: str | None = None, group: str | None = None,
           status: str | None = None, q: str | None = None, year: str | None = None,
           scenario: str | None = None, measure: str | None = None, **_other) -> html.Main:
    """Page layout; the URL query values arrive as keyword arguments."""
    ags = _clean(ags, {KREIS_AGS, *MUNICIPALITIES}, KREIS_AGS)
    year_i = int(year) if str(year) in {str(h) for h in C.HORIZONS} else C.HORIZONS[0]
    scenarios = _scenarios()
    scenario = _clean(scenario, scenarios, scenarios[0] if C.DEFAULT_SCENARIO not in scenarios
                      else C.DEFAULT_SCENARIO)
    controls = html.Div([
        _control(T["ags"], dcc.Dropdown(id="wk-ags", options=C.municipality_options(), value=ags,
                                        clearable=False), "wk-ags"),
        _control(T["field"], dcc.Dropdown(id="wk-field", options=C.field_options(),
                                          value=_clean(field, FIELDS_OF_ACTION),
                                          placeholder=T["all_fields"]), "wk-field"),
        _control(T["group"], dcc.Dropdown(id="wk-group", options=C.group_options(),
                                          value=_clean(group, PLANNING_AGE_GROUPS),
                                          placeholder=T["all_groups"]), "wk-group"),
        _control(T["status"], dcc.Dropdown(id="wk-status", options=C.status_options(),
                                           value=_clean(status, {"aktiv", *STATUSES}),
                                           placeholder=T["all_status"]), "wk-status"),
        _control(T["q"], dcc.Input(id="wk-q", type="search", value=q or "", debounce=True,
                                   placeholder=T["q_placeholder"]), "wk-q"),
        _control(T["year"], dcc.RadioItems(id="wk-year", options=[{"label": str(h), "value": h}
                                                                  for h in C.HORIZONS],
                                           value=year_i, inline=True), "wk-year"),
        _control(T["scenario"], dcc.Dropdown(id="wk-scenario", value=scenario, clearable=False,
                                             options=[{"label": C.scenario_label(s), "value": s}
                                                      for s in scenarios]), "wk-scenario"),
    ], className="wk-controls", role="search")
    upload = html.Section([
        html.H2(T["upload_title"]), html.P(T["upload_help"]),
        html.Div([html.Button(T["download"], id="wk-download-btn", type="button"),
                  html.Button(T["reset"], id="wk-reset", type="button")], className="wk-buttons"),
        dcc.Download(id="wk-download"),
        dcc.Upload(id="wk-upload", children=html.Button(T["upload_button"], type="button"),
                   accept=".xlsx", multiple=False, max_size=10 * 1024 * 1024, className="wk-upload"),
        html.Div(id="wk-upload-result", **{"aria-live": "polite"}),
    ], className="wk-upload-section", **{"aria-label": T["upload_title"]})
    return html.Main([
        html.H1(T["title"]), html.P(T["intro"]),
        html.P(id="wk-origin", className="wk-origin"),
        controls,
        html.Div([
            html.Section([html.H2(T["cards"]), html.P(id="wk-summary", **{"aria-live": "polite"}),
                          html.Div(id="wk-notice"), html.Div(id="wk-cards", className="wk-cards")],
                         className="wk-list", **{"aria-label": T["cards"]}),
            html.Section([
                html.H2(T["gaps_title"]), html.P(id="wk-gap-rule"),
                html.Div(dcc.Graph(id="wk-gap-graph", config={"displaylogo": False}), role="img",
                         **{"aria-label": T["gap_graph_label"]}),
                html.Div(id="wk-gap-table"),
                html.Details([html.Summary(T["show_table"]), html.Div(id="wk-gap-all")]),
                html.H2(T["coverage_title"]),
                html.Div(dcc.Graph(id="wk-coverage-graph", config={"displaylogo": False}), role="img",
                         **{"aria-label": T["coverage_graph_label"]}),
                html.Details([html.Summary(T["show_table"]), html.Div(id="wk-coverage-table")]),
            ], className="wk-side", **{"aria-label": T["gaps_title"]}),
        ], className="wk-body"),
        upload,
        dcc.Store(id="wk-rev", data=0),
        dcc.Store(id="wk-measure", data=measure or ""),
        dcc.Store(id="wk-query"),
        dcc.Store(id="wk-url-sync"),
    ], className="wk-page")


@callback(
    Output("wk-origin", "children"), Output("wk-summary", "children"), Output("wk-notice", "children"),
    Output("wk-cards", "children"), Output("wk-gap-rule", "children"), Output("wk-gap-graph", "figure"),
    Output("wk-gap-table", "children"), Output("wk-gap-all", "children"),
    Output("wk-coverage-graph", "figure"), Output("wk-coverage-table", "children"),
    Output("wk-query", "data"),
    Input("wk-ags", "value"), Input("wk-field", "value"), Input("wk-group", "value"),
    Input("wk-status", "value"), Input("wk-q", "value"), Input("wk-year", "value"),
    Input("wk-scenario", "value"), Input("wk-rev", "data"), State("wk-measure", "data"))
def _render(ags, field, group, status, q, year, scenario, _rev, measure):
    view = C.render_view(ags=ags or KREIS_AGS, field=field, group=group, status=status, text=q,
                         year=int(year), scenario=scenario, highlight=measure)
    query = urlencode({k: v for k, v in dict(ags=None if ags == KREIS_AGS else ags, field=field,
                                             group=group, status=status, q=q or None, year=year,
                                             scenario=scenario, measure=measure or None).items() if v})
    return (*view, query)


@callback(Output("wk-upload-result", "children"), Output("wk-rev", "data"),
          Input("wk-upload", "contents"), State("wk-upload", "filename"), State("wk-rev", "data"),
          prevent_initial_call=True)
def _upload(contents, filename, rev):
    name = filename or "Upload.xlsx"
    try:
        blob = base64.b64decode(contents.split(",", 1)[1])
        cat = import_workbook(blob, display_name=name)
    except DataFormatError as exc:
        return C.problems_view(exc, name), dash.no_update
    return (html.P(T["upload_ok"].format(name=name, n=len(cat.measures), s=len(cat.sources)),
                   role="status", className="wk-alert wk-ok"), (rev or 0) + 1)


@callback(Output("wk-upload-result", "children", allow_duplicate=True),
          Output("wk-rev", "data", allow_duplicate=True),
          Input("wk-reset", "n_clicks"), State("wk-rev", "data"), prevent_initial_call=True)
def _reset(_n, rev):
    reset_import()
    return html.P(T["reset_ok"], role="status", className="wk-alert wk-ok"), (rev or 0) + 1


@callback(Output("wk-download", "data"), Input("wk-download-btn", "n_clicks"), prevent_initial_call=True)
def _download(_n):
    return dcc.send_bytes(workbook_bytes(active_catalogue()), "werkzeugkoffer_massnahmen.xlsx")


clientside_callback(
    """
    function(query) {
        if (query === undefined || query === null) { return window.dash_clientside.no_update; }
        const url = window.location.pathname + (query ? "?" + query : "");
        if (url !== window.location.pathname + window.location.search) {
            window.history.replaceState(window.history.state, "", url);
        }
        return query;
    }
    """,
    Output("wk-url-sync", "data"), Input("wk-query", "data"))

clientside_callback(
    """
    function(cards, measure) {
        if (!measure) { return window.dash_clientside.no_update; }
        const el = document.getElementById("massnahme-" + measure);
        if (el) { el.setAttribute("tabindex", "-1"); el.scrollIntoView({block: "start"}); el.focus({preventScroll: true}); }
        return window.dash_clientside.no_update;
    }
    """,
    Output("wk-measure", "data"), Input("wk-cards", "children"), State("wk-measure", "data"))
