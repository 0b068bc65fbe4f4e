"""Werkzeugkoffer: the district's measures next to the projected age groups they answer.

URL: ``/werkzeugkoffer?ags=05358044&szenario=basis&jahr=2030&feld=…&gruppe=80%2B&status=aktiv&suche=…``
and ``massnahme=M36`` to highlight one card (used by the Gemeinde page and the Kurzbericht).
Upload of an edited catalogue workbook (validated; the shipped catalogue is never changed),
download of the active catalogue, reset to the shipped one.
"""

from __future__ import annotations

import dash
from dash import Input, Output, State, callback, clientside_callback, dcc, html

from dashboard.app import _admin, _model
from dashboard.app._components import (
    chart,
    dropdown,
    labelled,
    query_store,
    region_dropdown,
    selection_store,
    stand_line,
    upload_area,
)
from dashboard.app._download_panel import download_panel
from dashboard.app.auth import current_actor
from dashboard.app.pages import _measures_components as C
from dashboard.constants import PLANNING_AGE_GROUPS
from dashboard.data.errors import DataFormatError
from dashboard.data.measures import (
    FIELDS_OF_ACTION,
    STATUSES,
    active_catalogue,
    import_workbook,
    reset_import,
    workbook_bytes,
)
from dashboard.settings import UPLOAD_MAX_BYTES
from dashboard.text import wk_counts

dash.register_page(
    __name__,
    path=C.PATH,
    name="Werkzeugkoffer",
    order=4,
    title="Werkzeugkoffer – Kreis Düren 2030",
    description="Maßnahmen des Kreises Düren neben der vorausberechneten Entwicklung der Altersgruppen",
)

T = C.T
PAGE = C.PAGE


def _pick(value, allowed):
    return value if value in allowed else None


def _scenario_options(spec: _model.ScenarioSpec) -> list[dict]:
    opts = [{"label": _model.preset_label(k), "value": k} for k in _model.preset_keys()]
    if spec.key == _model.CUSTOM:
        opts.append({"label": _model.preset_label(_model.CUSTOM), "value": _model.CUSTOM})
    return opts


def _url_state(ags, spec, year, field, group, status, text, measure) -> dict:
    return {
        "ags": ags,
        **spec.query(),
        C.Q_YEAR: year,
        C.Q_FIELD: field,
        C.Q_GROUP: group,
        C.Q_STATUS: status,
        C.Q_TEXT: text,
        C.Q_MEASURE: measure,
    }


def layout(
    ags: str | None = None,
    jahr: str | None = None,
    feld: str | None = None,
    gruppe: str | None = None,
    status: str | None = None,
    suche: str | None = None,
    massnahme: str | None = None,
    **_query,
) -> html.Div:
    """The page; URL query values arrive as keyword arguments (shareable view)."""
    ags = _model.parse_ags(ags)
    spec = _model.parse_scenario(**_model.scenario_query(_query))
    year = _model.parse_year(jahr, default=C.HORIZONS[0])
    year = year if year in C.HORIZONS else C.HORIZONS[0]
    field, group = _pick(feld, FIELDS_OF_ACTION), _pick(gruppe, PLANNING_AGE_GROUPS)
    status = _pick(status, {"aktiv", *STATUSES})
    controls = html.Div(
        [
            region_dropdown("wk-ags", ags),
            labelled(
                "wk-feld",
                T["field"],
                dropdown(id="wk-feld", options=C.field_options(), value=field, placeholder=T["all_fields"]),
            ),
            labelled(
                "wk-gruppe",
                T["group"],
                dropdown(id="wk-gruppe", options=C.group_options(), value=group, placeholder=T["all_groups"]),
            ),
            labelled(
                "wk-status",
                T["status"],
                dropdown(
                    id="wk-status", options=C.status_options(), value=status, placeholder=T["all_status"]
                ),
            ),
            labelled(
                "wk-suche",
                T["q"],
                dcc.Input(
                    id="wk-suche",
                    type="search",
                    value=suche or "",
                    debounce=True,
                    placeholder=T["q_placeholder"],
                ),
            ),
            labelled(
                "wk-jahr",
                T["year"],
                dcc.RadioItems(
                    id="wk-jahr",
                    value=year,
                    inline=True,
                    options=[{"label": str(h), "value": h} for h in C.HORIZONS],
                ),
            ),
            labelled(
                "wk-szenario",
                T["scenario"],
                dropdown(id="wk-szenario", options=_scenario_options(spec), value=spec.key, clearable=False),
            ),
            dcc.Store(id="wk-spec", data=spec.query()),
        ],
        className="controls wk-controls",
        id="wk-filter",
        role="search",
        **{"aria-label": "Filter"},
    )
    upload = html.Section(
        [
            html.H2(T["upload_title"], id="wk-sec-upload"),
            html.P(T["upload_help"]),
            html.Div(
                [
                    html.Button(T["download"], id="wk-download-btn", type="button", className="btn"),
                    html.Button(T["reset"], id="wk-reset", type="button", className="btn"),
                ],
                className="wk-buttons",
            ),
            dcc.Download(id="wk-download"),
            upload_area(
                dcc.Upload(
                    id="wk-upload",
                    children=html.Button(T["upload_button"], type="button", className="btn"),
                    accept=".xlsx",
                    multiple=False,
                    max_size=UPLOAD_MAX_BYTES,
                    className="wk-upload",
                ),
                result_id="wk-upload-result",
                limit=UPLOAD_MAX_BYTES,
            ),
            html.Div(id="wk-upload-result", **{"aria-live": "polite"}),
        ],
        className="wk-upload-section no-print",
        **{"aria-label": T["upload_title"]},
    )
    jump = html.Nav(
        html.Ul(
            [
                html.Li(html.A(text, href=f"#{target}"))
                for text, target in (
                    (T["cards"], "wk-sec-cards"),
                    (T["jump_gaps"], "wk-sec-gaps"),
                    (T["jump_overview"], "wk-sec-overview"),
                    (T["upload_title"], "wk-sec-upload"),
                )
            ],
            className="wk-jump",
        ),
        **{"aria-label": T["jump_label"]},
        className="no-print",
    )
    return html.Div(
        [
            html.H1(T["title"]),
            html.P(T["intro"]),
            stand_line(),
            html.P(T["stand"], className="small"),
            html.P(id="wk-origin", className="wk-origin"),
            controls,
            jump,
            html.Div(
                [
                    html.Section(
                        [
                            html.H2(T["cards"], id="wk-sec-cards"),
                            html.P(id="wk-summary", **{"aria-live": "polite"}),
                            html.Div(id="wk-notice"),
                            html.Div(id="wk-cards", className="wk-cards"),
                        ],
                        className="wk-list",
                        **{"aria-labelledby": "wk-sec-cards"},
                    ),
                    html.Section(
                        [
                            html.H2(T["gaps_title"], id="wk-sec-gaps"),
                            html.P(id="wk-gap-rule"),
                            html.Div(id="wk-gap-tables"),
                        ],
                        className="wk-side",
                        **{"aria-labelledby": "wk-sec-gaps"},
                    ),
                ],
                className="wk-body",
            ),
            html.Section(
                [
                    html.H2(T["overview_title"], id="wk-sec-overview"),
                    chart("wk-gap-graph", None, label=T["gap_graph_label"], table=html.Div()),
                    chart("wk-coverage-graph", None, label=T["coverage_graph_label"], table=html.Div()),
                ],
                className="wk-overview",
                **{"aria-labelledby": "wk-sec-overview"},
            ),
            upload,
            dcc.Store(id="wk-rev", data=0),
            dcc.Store(id="wk-measure", data=massnahme or ""),
            download_panel(PAGE, ags, spec),
            query_store(PAGE, _url_state(ags, spec, year, field, group, status, suche, massnahme)),
            selection_store(PAGE, {"ags": ags, **spec.selection()}),
        ],
        className="wk-page",
    )


def _horizon(year: object) -> int:
    """The horizon of the year dropdown (a value outside its options means the first one, which
    the URL then shows)."""
    y = _model.parse_year(year, default=C.HORIZONS[0])
    return y if y in C.HORIZONS else C.HORIZONS[0]


def _spec(key: str | None, spec_query: dict | None) -> _model.ScenarioSpec:
    return _model.spec_from_choice(key, spec_query)


@callback(
    Output("wk-origin", "children"),
    Output("wk-summary", "children"),
    Output("wk-notice", "children"),
    Output("wk-cards", "children"),
    Output({"type": "query", "page": PAGE}, "data"),
    Output({"type": "sel", "page": PAGE}, "data"),
    Input("wk-ags", "value"),
    Input("wk-feld", "value"),
    Input("wk-gruppe", "value"),
    Input("wk-status", "value"),
    Input("wk-suche", "value"),
    Input("wk-jahr", "value"),
    Input("wk-szenario", "value"),
    Input("wk-rev", "data"),
    State("wk-spec", "data"),
    State("wk-measure", "data"),
)
def render_cards(ags, field, group, status, text, year, key, _rev, spec_query, measure):
    """Any filter changed: the measure cards with their indicators, and the URL."""
    ags, spec = _model.parse_ags(ags), _spec(key, spec_query)
    v = C.cards_view(
        ags=ags,
        field=field,
        group=group,
        status=status,
        text=text,
        year=_horizon(year),
        spec=spec,
        highlight=measure or None,
    )
    return (
        v["origin"],
        v["summary"],
        v["notice"],
        v["cards"],
        _url_state(ags, spec, year, field, group, status, text or None, measure or None),
        {"ags": ags, **spec.selection()},
    )


@callback(
    Output("wk-gap-rule", "children"),
    Output("wk-gap-tables", "children"),
    Output("wk-gap-graph", "figure"),
    Output("wk-gap-graph-tabelle", "children"),
    Input("wk-ags", "value"),
    Input("wk-jahr", "value"),
    Input("wk-szenario", "value"),
    Input("wk-rev", "data"),
    State("wk-spec", "data"),
)
def render_gaps(ags, year, key, _rev, spec_query):
    """Horizon, scenario, municipality or catalogue changed: the gap view."""
    v = C.gaps_view(ags=_model.parse_ags(ags), year=_horizon(year), spec=_spec(key, spec_query))
    return v["rule"], v["gap_tables"], v["gap_fig"], v["gap_all"]


@callback(
    Output("wk-coverage-graph", "figure"),
    Output("wk-coverage-graph-tabelle", "children"),
    Input("wk-rev", "data"),
)
def render_coverage(_rev):
    """Catalogue changed (upload/reset) or page opened: the coverage view."""
    return C.coverage_view()


@callback(
    Output("wk-upload-result", "children"),
    Output("wk-rev", "data"),
    Input("wk-upload", "contents"),
    State("wk-upload", "filename"),
    State("wk-rev", "data"),
    prevent_initial_call=True,
)
def upload(contents, filename, rev):
    """Signed in: validate the workbook completely and store it as the user's draft."""
    from dashboard.store import StoreError

    actor = current_actor()
    if actor is None:
        return _admin.login_first(C.PATH), dash.no_update
    name = filename if isinstance(filename, str) and filename else "Upload.xlsx"
    try:
        blob = _admin.decode_upload(contents)
    except ValueError as exc:
        return _admin.notice(str(exc), "error"), dash.no_update
    if msg := _admin.too_big(blob):
        return _admin.notice(msg, "error"), dash.no_update
    try:
        version, cat = import_workbook(blob, display_name=name, actor=actor)
    except DataFormatError as exc:
        return _admin.problems_view(exc.problems, name, table_id="wk-upload-problems"), dash.no_update
    except StoreError as exc:
        return _admin.notice(str(exc), "error"), dash.no_update
    return (
        html.Div(
            [
                html.P(
                    T["upload_ok"].format(
                        name=name, id=version.id, **wk_counts(len(cat.measures), sources=len(cat.sources))
                    ),
                    role="status",
                    className="notice notice-info wk-ok",
                ),
                html.Ul([html.Li(line) for line in version.report.get("summary", [])[1:]]),
                html.P(html.A(T["to_draft"], href=f"{_admin.ADMIN_PATH}?entwurf={version.id}")),
            ]
        ),
        dash.no_update,
    )


@callback(
    Output("wk-upload-result", "children", allow_duplicate=True),
    Output("wk-rev", "data", allow_duplicate=True),
    Input("wk-reset", "n_clicks"),
    State("wk-rev", "data"),
    prevent_initial_call=True,
)
def reset(_n, rev):
    """Role pflege: make the shipped catalogue active again (a new release; nothing deleted)."""
    from dashboard.store import StoreError

    actor = current_actor()
    if actor is None or not actor.can_publish:
        return _admin.notice(_admin.A["only_pflege"], "error"), dash.no_update
    try:
        done = reset_import(actor=actor)
    except StoreError as exc:
        return _admin.notice(str(exc), "error"), dash.no_update
    text = T["reset_ok"] if done else T["reset_none"]
    return html.P(text, role="status", className="notice notice-info wk-ok"), (rev or 0) + (1 if done else 0)


@callback(Output("wk-download", "data"), Input("wk-download-btn", "n_clicks"), prevent_initial_call=True)
def download(_n):
    """The active catalogue as an Excel workbook (to edit and upload again)."""
    return dcc.send_bytes(workbook_bytes(active_catalogue()), T["download_file"])


# Scroll the highlighted card into view and give it focus (keyboard users land on it).
clientside_callback(
    """
    function(cards, measure) {
        if (!measure) { return window.dash_clientside.no_update; }
        const el = document.getElementById("massnahme-" + measure);
        if (el) { el.setAttribute("tabindex", "-1"); el.scrollIntoView({block: "start"});
                  el.focus({preventScroll: true}); }
        return window.dash_clientside.no_update;
    }
    """,
    Output("wk-measure", "data"),
    Input("wk-cards", "children"),
    State("wk-measure", "data"),
)

__all__ = ["layout", "render_cards", "render_gaps", "render_coverage", "upload", "reset", "download"]
