"""The download panel on every page: the table chosen, for the municipality and scenario in view.

``download_panel(page, ags, spec)`` is a small form (table, area, file format, exact values) with
one link to the download route (:mod:`dashboard.app._downloads`), e.g.
``/download/altersgruppen.csv?ags=05358012&szenario=zuwanderung_niedrig``. The link follows the
page: pages write their municipality and scenario into ``{"type": "sel", "page": page}`` and
the panel copies that into its own store (client-side), so the link always names what the page
shows. Because some files take seconds (the full workbook), a click shows a German progress note
("… wird erstellt …") until the server's answer sets the cookie ``download=<token>``.

All ids are pattern ids ``{"type": "dl-…", "page": page}``; the callbacks below serve every page.
"""

from __future__ import annotations

import hashlib
import uuid
from urllib.parse import urlencode

import dash
from dash import MATCH, Input, Output, State, callback, dcc, html

from dashboard.app import _model
from dashboard.app._components import dropdown
from dashboard.constants import KREIS_AGS
from dashboard.figures.labels import region_name
from dashboard.text import DOWNLOAD

#: Tables offered in the panel (download name -> German label), most asked-for first.
PANEL_TABLES: dict[str, str] = {
    "altersgruppen": "Planungsaltersgruppen je Jahr (Personen, Anteil)",
    "kennzahlen": "Kennzahlen je Jahr (Einwohner, Medianalter, Anteile 65+/80+)",
    "bevoelkerung": "Bevölkerung nach Geschlecht und Einzelalter je Jahr",
    "komponenten": "Geburten, Sterbefälle und Wanderungen je Jahr",
    "intervalle": "Unsicherheit: 80- und 95-%-Intervalle",
    "annahmen": "Annahmen des Szenarios",
    "vorausberechnung": "Vollständige Arbeitsmappe (alle Tabellen, alle Gemeinden, XLSX)",
}
#: Tables without an area (whole files only).
WHOLE_ONLY = frozenset({"annahmen", "vorausberechnung"})
#: Milliseconds between checks whether the download has started.
POLL_MS = 500
#: Give up the progress note after this many milliseconds.
POLL_LIMIT_MS = 120_000


def _id(kind: str, page: str) -> dict:
    return {"type": f"dl-{kind}", "page": page}


def _deps(dep, *prop_ids: str) -> list:
    """Callback dependencies (``dep``: Output, Input or State) on the panel of the page that
    fires, one per ``"kind.property"`` (Dash's own id.property notation)."""
    return [dep(_id(kind, MATCH), prop) for kind, _, prop in (p.partition(".") for p in prop_ids)]


def _dom_id(kind: str, page: str) -> str:
    """The id a pattern id gets in the browser (Dash: JSON with sorted keys), for ``<label for>``."""
    import json

    return json.dumps(_id(kind, page), sort_keys=True, separators=(",", ":"))


def href(
    table: str, ext: str, *, ags: str | None, spec: _model.ScenarioSpec, exact: bool = False, token: str = ""
) -> str:
    """The download link of a panel choice (``ags=None``: all municipalities)."""
    extra = {"exakt": "ja" if exact and ext == "csv" else None, "t": token or None}
    return _model.scenario_href(f"/download/{table}.{ext}", ags, spec, **extra)


def choice(
    table: str | None,
    scope: str | None,
    ext: str | None,
    exact: list | None,
    sel: dict | None,
    token: str | None = None,
) -> tuple[str, str, list, list]:
    """(href, link text, area options, format options) of the panel's current choice
    (``token``: the progress cookie's value; a fresh one by default)."""
    table = table if table in PANEL_TABLES else "altersgruppen"
    sel = sel if isinstance(sel, dict) else {}
    ags = _model.parse_ags(sel.get("ags"), default=KREIS_AGS)
    spec = _model.parse_scenario(**_model.scenario_query(sel))
    whole = table in WHOLE_ONLY
    ext = "xlsx" if table == "vorausberechnung" else (ext if ext in ("csv", "xlsx") else "csv")
    area = None if whole or scope == "alle" else ags
    link = href(table, ext, ags=area, spec=spec, exact=bool(exact), token=token or uuid.uuid4().hex[:12])
    from dashboard.app._downloads import file_name

    name = file_name(table, ext, spec, area)
    link = link + "&" + urlencode({"datei": name})
    scopes = [
        {
            "label": DOWNLOAD["scope_region"].format(region=region_name(ags)),
            "value": "gebiet",
            "disabled": whole,
        },
        {"label": DOWNLOAD["scope_all"], "value": "alle", "disabled": whole},
    ]
    formats = [
        {"label": DOWNLOAD["csv"], "value": "csv", "disabled": table == "vorausberechnung"},
        {"label": DOWNLOAD["xlsx"], "value": "xlsx"},
    ]
    return link, DOWNLOAD["button"].format(file=name), scopes, formats


def download_panel(
    page: str, ags: str, spec: _model.ScenarioSpec, *, table: str = "altersgruppen"
) -> html.Section:
    """The panel (a collapsible section, not printed) for ``ags`` and ``spec`` of ``page``."""
    sel = {"ags": ags, **spec.query()}
    # the first link's token follows from what it names, so a page's layout is the same each
    # time it is built (layouts are cached); every later choice gets a fresh token
    token = hashlib.sha256(repr((page, table, sorted(sel.items()))).encode()).hexdigest()[:12]
    link, text, scopes, formats = choice(table, "gebiet", "csv", [], sel, token)
    return html.Section(
        [
            html.H2(DOWNLOAD["legend"], id=f"{page}-dl-titel"),
            html.Div(
                [
                    html.Div(
                        [
                            html.Label(DOWNLOAD["table"], htmlFor=_dom_id("tabelle", page)),
                            dropdown(
                                id=_id("tabelle", page),
                                options=[{"label": v, "value": k} for k, v in PANEL_TABLES.items()],
                                value=table,
                                clearable=False,
                            ),
                        ],
                        className="control",
                    ),
                    html.Fieldset(
                        [
                            html.Legend(DOWNLOAD["scope"]),
                            dcc.RadioItems(id=_id("umfang", page), options=scopes, value="gebiet"),
                        ],
                        className="control",
                    ),
                    html.Fieldset(
                        [
                            html.Legend(DOWNLOAD["format"]),
                            dcc.RadioItems(id=_id("format", page), options=formats, value="csv"),
                            dcc.Checklist(
                                id=_id("exakt", page),
                                options=[{"label": DOWNLOAD["exact"], "value": "ja"}],
                                value=[],
                            ),
                        ],
                        className="control",
                    ),
                ],
                className="controls dl-controls",
            ),
            html.P(html.A(text, id=_id("link", page), href=link, className="btn btn-primary")),
            html.P(id=_id("status", page), role="status", className="small"),
            html.P(DOWNLOAD["hint"], className="small"),
            dcc.Store(id=_id("sel", page), data=sel),
            dcc.Store(
                id=_id("texte", page),
                data={k: DOWNLOAD[k] for k in ("working", "done", "slow")}
                | {"limit": POLL_LIMIT_MS // POLL_MS},
            ),
            dcc.Interval(id=_id("warten", page), interval=POLL_MS, disabled=True),
        ],
        className="download-panel no-print",
        **{"aria-labelledby": f"{page}-dl-titel"},
    )


@callback(
    *_deps(Output, "link.href", "link.children", "umfang.options", "format.options"),
    *_deps(Input, "tabelle.value", "umfang.value", "format.value", "exakt.value", "sel.data"),
    prevent_initial_call=True,
)
def on_choice(table, scope, ext, exact, sel):
    """Table, area, format or the page's selection changed: the link and its text."""
    return choice(table, scope, ext, exact if isinstance(exact, list) else [], sel)


# The page's selection (municipality, scenario) -> the panel's store.
dash.clientside_callback(
    """
    function(sel, current) {
        if (!sel) { return window.dash_clientside.no_update; }
        const merged = Object.assign({}, sel);
        return JSON.stringify(merged) === JSON.stringify(current) ? window.dash_clientside.no_update : merged;
    }
    """,
    *_deps(Output, "sel.data"),
    Input({"type": "sel", "page": MATCH}, "data"),
    *_deps(State, "sel.data"),
    prevent_initial_call=True,
)

# Progress note: a click shows "wird erstellt"; the note changes to "begonnen" when the answer's
# cookie carries the link's token, or to "dauert noch" after the limit.
dash.clientside_callback(
    """
    function(clicks, ticks, href, texts) {
        const nu = window.dash_clientside.no_update;
        const ctx = window.dash_clientside.callback_context;
        const trig = (ctx.triggered[0] || {}).prop_id || "";
        const params = new URLSearchParams((href || "").split("?")[1] || "");
        const token = params.get("t") || "";
        const file = params.get("datei") || "";
        const say = (key) => texts[key].replace("{file}", file);
        if (trig.endsWith(".n_clicks")) {
            document.cookie = "download=; max-age=0; path=/";
            return [say("working"), false, 0];
        }
        const got = document.cookie.split("; ").find(c => c.startsWith("download="));
        if (got && got.slice(9) === token) {
            document.cookie = "download=; max-age=0; path=/";
            return [say("done"), true, nu];
        }
        if (ticks >= texts.limit) { return [say("slow"), true, nu]; }
        return [nu, nu, nu];
    }
    """,
    *_deps(Output, "status.children", "warten.disabled", "warten.n_intervals"),
    *_deps(Input, "link.n_clicks", "warten.n_intervals"),
    *_deps(State, "link.href", "texte.data"),
    prevent_initial_call=True,
)
