"""The Dash app: ``app`` (Dash, pages), ``server`` (WSGI entry point for gunicorn).

Conventions for page authors (e.g. the Werkzeugkoffer page of the measures work)
------------------------------------------------------------------------------
* One page per file in ``dashboard/app/pages/``; helpers in files starting with ``_``.
  ``register_page(__name__, path="/werkzeugkoffer", name="Werkzeugkoffer", title=...)``
  and ``def layout(ags=None, szenario=None, **query)`` — URL query values arrive as
  keyword arguments, so every view is a shareable link.
* Callbacks (``dash.callback``) are thin: parse -> ``_model.parse_*`` / ``_model.result`` ->
  a figure builder in ``dashboard.figures`` -> return. No global assigned at runtime.
* URL state: put ``_components.query_store(page, {...})`` in the layout and write the
  current query dict into ``{"type": "query", "page": page}`` "data"; the shell mirrors it
  into the address bar with ``history.replaceState`` (no page reload).
* Cross-page selection: write ``{"ags": ..., "szenario": ...}`` into
  ``{"type": "sel", "page": page}``; the shell merges it into the session store
  ``auswahl`` (parameters only, never data frames) and the navigation links carry it.
* German strings and formats only from :mod:`dashboard.figures.labels`
  (``T``, ``fmt_int``, ``fmt_dec``, ``fmt_pct``, ``fmt_date``, ``region_name``); the
  colour palette from there too. Every chart through ``_components.chart`` (accessible
  name + data table). IDs are prefixed with the page name (``wk-...``).
* Downloads are plain Flask routes (``/download/...``, see ``_downloads.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import dash
from dash import ALL, Dash, Input, Output, State, dcc, html
from dash._utils import to_json

from dashboard.app import _prerender
from dashboard.app._query import install_callback_guard, install_page_guards
from dashboard.app.auth import install_auth
from dashboard.app.security import install_security
from dashboard.settings import SETTINGS, warm_up_mode
from dashboard.text import T

_HERE = Path(__file__).resolve().parent

INDEX = """<!DOCTYPE html>
<html lang="de">
<head>{%metas%}<title>{%title%}</title>{%favicon%}{%css%}</head>
<body>{%app_entry%}<footer>{%config%}{%scripts%}{%renderer%}</footer></body>
</html>"""


#: Dash's ``@babel/polyfill`` script (100 kB of core-js for old browsers; evaluating it costs about
#: 100 ms before the page can start). Every browser the site supports has those features built in;
#: the one global the Dash bundles need from it, ``regeneratorRuntime``, comes from
#: ``assets/regenerator-runtime.js``.
_POLYFILL = re.compile(r'<script src="[^"]*/deps/polyfill@[^"]*"></script>\s*')

#: dcc's on-demand script chunks that the pages need for their first view (charts, dropdowns,
#: Markdown tables; Markdown loads the highlighter chunk itself).
PRELOADED_CHUNKS = ("graph", "dropdown", "markdown", "highlight")


class _GermanDash(Dash):
    """Dash with a German loading text in the page shell, and the first page's content in the
    layout response (``_prerender``: no router round trip before the first chart is drawn)."""

    def interpolate_index(self, **kwargs) -> str:
        kwargs["app_entry"] = kwargs["app_entry"].replace("Loading...", "Wird geladen …")
        kwargs["css"] = kwargs["css"] + self._preload_links()
        kwargs["scripts"] = _POLYFILL.sub("", kwargs["scripts"])
        return super().interpolate_index(**kwargs)

    def _preload_links(self) -> str:
        """``<link rel=preload>`` for what the renderer asks for only after all scripts have run:
        the layout (with the page inside, see ``serve_layout``) and the callback list are fetched
        while the scripts are evaluated, and the script chunks that every page's charts, dropdowns
        and tables load on demand are fetched with the scripts instead of one after another."""
        prefix = self.config.requests_pathname_prefix
        fetches = "".join(
            f'<link rel="preload" href="{prefix}{p}" as="fetch" crossorigin="anonymous">'
            for p in ("_dash-layout", "_dash-dependencies")
        )
        chunks = "".join(
            f'<link rel="preload" href="{prefix}_dash-component-suites/dash/dcc/async-{c}.js" as="script">'
            for c in PRELOADED_CHUNKS
        )
        return fetches + chunks

    def serve_layout(self):
        where = _prerender.document_address()
        container = _prerender.page_container(self, where)
        if container is dash.page_container:
            return super().serve_layout()
        layout = shell(container, where)
        for hook in self._hooks.get_hooks("layout"):
            layout = hook(layout)
        return self.backend.make_response(to_json(layout), mimetype="application/json")


app = _GermanDash(
    __name__,
    use_pages=True,
    pages_folder=str(_HERE / "pages"),
    assets_folder=str(_HERE / "assets"),
    title=T["app_title"],
    update_title=None,
    suppress_callback_exceptions=True,
    meta_tags=[
        {"name": "viewport", "content": "width=device-width, initial-scale=1"},
        {
            "name": "description",
            "content": "Demografie-Dashboard für den Kreis Düren und seine 15 Städte und Gemeinden",
        },
    ],
)
app.index_string = INDEX
server = app.server


#: Pages registered with an ``order`` below this number are in the navigation, in that order
#: (e.g. /verwaltung has 90: reached from the sign-in link, not the navigation).
NAV_ORDER_LIMIT = 90


def nav_entries() -> list[tuple[str, str]]:
    """(path, German name) of the navigation, from Dash's page registry — the one place a page
    declares its route, name and position (``dash.register_page(..., name=, order=)``)."""
    pages = [p for p in dash.page_registry.values() if p.get("order") is not None]
    return [
        (p["path"], p["name"])
        for p in sorted(pages, key=lambda p: p["order"])
        if p["order"] < NAV_ORDER_LIMIT
    ]


def _nav_links(pathname: str | None, sel: dict | None) -> list:
    from dashboard.app._nav import nav_href

    out = []
    for path, label in nav_entries():
        current = (pathname or "/") == path
        out.append(
            html.Li(
                html.A(
                    label,
                    href=nav_href(path, sel or {}),
                    className="nav-link",
                    **({"aria-current": "page"} if current else {}),
                )
            )
        )
    return out


def shell(page_container, address: dict[str, str] | None = None) -> html.Div:
    """The page shell around Dash's page container (header, navigation, footer); ``address``:
    the document's ``href``/``pathname``/``search`` when the layout is pre-rendered for it."""
    return html.Div(
        [
            dcc.Location(id="url", refresh=False, **(address or {})),
            dcc.Store(id="auswahl", storage_type="session"),
            dcc.Store(id="url-sync"),
            html.A(T["skip"], href="#inhalt", className="skip-link"),
            html.Header(
                [
                    html.Div(
                        [
                            html.A(T["brand"], href="/", className="brand"),
                            html.Span("Demografie-Dashboard", className="brand-sub"),
                        ],
                        className="brand-box",
                    ),
                    html.Button(
                        T["menu"],
                        id="nav-toggle",
                        type="button",
                        className="nav-toggle",
                        **{"aria-controls": "hauptnav-box", "aria-expanded": "false"},
                    ),
                    html.Nav(
                        html.Ul(_nav_links("/", {}), id="hauptnav"),
                        id="hauptnav-box",
                        className="main-nav",
                        **{"aria-label": T["nav_label"]},
                    ),
                    html.Div(id="konto", className="konto"),
                ],
                className="site-header",
            ),
            html.Div(id="daten-hinweis", **{"aria-live": "polite"}),
            html.Main(page_container, id="inhalt", tabIndex="-1"),
            html.Footer(html.P(T["source_line"]), className="site-footer"),
            html.A(T["to_top"], href="#inhalt", className="to-top"),
        ]
    )


app.layout = shell(dash.page_container)


@dash.callback(Output("hauptnav", "children"), Input("url", "pathname"), Input("auswahl", "data"))
def update_nav(pathname: str | None, sel: dict | None):
    """Navigation links carry the current selection; the current page is marked."""
    return _nav_links(pathname if isinstance(pathname, str) else "/", sel if isinstance(sel, dict) else {})


@dash.callback(Output("konto", "children"), Output("daten-hinweis", "children"), Input("url", "pathname"))
def update_account(pathname: str | None):
    """Sign-in link or the signed-in user; the banner when the active data are not served."""
    from dashboard.app import _admin

    return _admin.account_links(pathname), _admin.data_banner()


_prerender.install(app)

# Phones: the navigation collapses behind a "Menü" button (a real button: keyboard and screen
# readers know its state from aria-expanded).
app.clientside_callback(
    """
    function(n) {
        const open = (n || 0) % 2 === 1;
        return [open ? "main-nav nav-open" : "main-nav", open ? "true" : "false"];
    }
    """,
    Output("hauptnav-box", "className"),
    Output("nav-toggle", "aria-expanded"),
    Input("nav-toggle", "n_clicks"),
    prevent_initial_call=True,
)

# Mirror the page's query store into the address bar (no reload, shareable link).
app.clientside_callback(
    """
    function(datas) {
        const d = (datas || []).find(x => x);
        if (!d) { return window.dash_clientside.no_update; }
        const q = new URLSearchParams();
        Object.keys(d).forEach(k => { if (d[k] !== null && d[k] !== undefined && d[k] !== "") q.set(k, d[k]); });
        const s = q.toString();
        const url = window.location.pathname + (s ? "?" + s : "");
        if (url !== window.location.pathname + window.location.search) {
            window.history.replaceState(window.history.state, "", url);
        }
        return s;
    }
    """,
    Output("url-sync", "data"),
    Input({"type": "query", "page": ALL}, "data"),
)

# Merge the page's selection into the session store (parameters only).
app.clientside_callback(
    """
    function(sels, current) {
        const s = (sels || []).find(x => x);
        if (!s) { return window.dash_clientside.no_update; }
        const merged = Object.assign({}, current || {}, s);
        // null = "not set": a page's selection names every scenario key, so values of an
        // earlier scenario are forgotten (never an own value beside another preset)
        Object.keys(merged).forEach(k => { if (merged[k] === null) { delete merged[k]; } });
        if (JSON.stringify(merged) === JSON.stringify(current || {})) { return window.dash_clientside.no_update; }
        return merged;
    }
    """,
    Output("auswahl", "data"),
    Input({"type": "sel", "page": ALL}, "data"),
    State("auswahl", "data"),
)

from dashboard.app import _downloads  # noqa: E402  (routes need ``server``)

_downloads.register(server)

from dashboard.app import _model  # noqa: E402

# DASHBOARD_WARM_UP: "background" (default; development server) fits the interval models in a
# thread at start; "master" means gunicorn.conf.py warms up synchronously before forking
# workers (no thread may run across a fork); "off" disables it (e.g. tests that time it).
if warm_up_mode() == "background":
    _model.warm_up_uncertainty()
    _query_warm_up = True
else:
    _query_warm_up = False


install_auth(server)
install_security(server, dash_app=app)
install_page_guards()
install_callback_guard(server, app)


def _finish_setup() -> None:
    """Run Dash's first-request set-up now, in one thread, before any request is served.

    Dash registers the page router's callbacks and copies every ``dash.callback`` into the
    app in ``before_request`` hooks that mark themselves done *before* they finish; parallel
    first requests of a fresh worker then see no callbacks (``KeyError: Callback function not
    found``). Running the hooks here, at import, means a gunicorn master (``preload_app``)
    forks workers that are fully initialised, and so is every worker that imports the app
    itself.
    """
    with server.app_context(), server.test_request_context("/"):
        for fn in server.before_request_funcs.get(None, []):
            fn()


_finish_setup()

if _query_warm_up:  # development server: the callback input check is ready before the first click
    import threading

    from dashboard.app import _query

    threading.Thread(
        target=_query.expected_kinds, args=(server, app), name="warm-up-input-check", daemon=True
    ).start()


def page_paths() -> frozenset[str]:
    """Paths of the real pages (the German 404 page excluded)."""
    return frozenset(
        p["relative_path"]
        for p in dash.page_registry.values()
        if p["module"].split(".")[-1] != "not_found_404"
    )


@server.route("/favicon.ico")
def _favicon():
    """The icon browsers ask for by themselves on pages without a ``<link rel=icon>`` (sign-in
    form, "wird erstellt" page): Dash's own icon, not the 404 page."""
    return app._serve_default_favicon()


@server.after_request
def _fingerprinted_assets_are_cached(response):
    """Files from ``assets/`` are linked with their modification time (``?m=…``), so a changed file
    gets a new address: browsers may keep them for a year instead of asking again on every page
    (Flask's default ``no-cache`` costs a round trip per file and page, and a revisit cannot reuse
    Plotly's compiled code without it)."""
    from flask import request

    if request.path.startswith("/assets/") and "m" in request.args and response.status_code == 200:
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@server.after_request
def _unknown_page_is_404(response):
    """The page shell is served for every path; one without a page is answered with HTTP 404
    (Dash then shows the German ``not_found_404`` page in it)."""
    from flask import request

    rule = request.url_rule.rule if request.url_rule is not None else None
    if rule == "/<path:path>" and response.status_code == 200:
        path = "/" + request.view_args.get("path", "").strip("/")
        if path not in page_paths():
            response.status_code = 404
    return response


def run_dev_server(host: str | None = None, port: int | None = None) -> None:
    """Start the Dash development server (debug only if DASHBOARD_DEBUG is set)."""
    app.run(host=host or SETTINGS.host, port=port or SETTINGS.port, debug=SETTINGS.debug)
