"""The first page's content inside the first layout response (time to interactive of a page).

Dash's pages router fills ``_pages_content`` by a server callback that runs only after the
browser has received the layout, rendered it and the ``_pages_location`` component has reported
the address: one more round trip (and a second render) before the first chart can be drawn.

Here the layout response (``/_dash-layout``) already carries the page that the document asking
for it shows. The document's address is the request's ``Referer`` (the app sends
``Referrer-Policy: same-origin``, so same-origin requests carry the full address); without a
same-origin ``Referer`` the layout is the plain shell and the router works as before. The
content is built exactly as the router builds it (:func:`route`), and ``_pages_location`` gets
the address it was built for as its ``pathname``/``search``, so the location component reports
no change and the router does not run again for the same page.

If the pre-rendered address is not the address the document was loaded with (a proxy that cuts
the ``Referer`` down to the origin, say), the client-side callback :data:`REPAIR` notices it at
once and hands the real address to the router, which then replaces the content as usual.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

import dash
from dash import Input, Output, dcc, html
from dash._pages import _parse_query_string, _path_to_page

LOG = logging.getLogger("dashboard.app")

#: Dash's ids of the page container (``dash.page_container``), unchanged.
LOCATION, CONTENT, STORE, DUMMY = "_pages_location", "_pages_content", "_pages_store", "_pages_dummy"
#: The address the pre-rendered content was built for (only in a pre-rendered container).
BUILT_FOR = "seite-vorab"

#: Client side: the address the content was built for is compared with the address the document
#: was loaded with (its navigation entry: the page's own URL mirroring may already have rewritten
#: the query); on a difference the location reports that address (-> router). Its input is not
#: the router's own ``_pages_store``: that would close a circle of callbacks.
REPAIR = """
function(built) {
    const nu = window.dash_clientside.no_update;
    if (typeof built !== "string") { return [nu, nu]; }
    const nav = performance.getEntriesByType("navigation")[0];
    const first = nav ? new URL(nav.name) : window.location;
    if (built === first.pathname + first.search) { return [nu, nu]; }
    return [first.pathname, first.search];
}
"""


def document_address() -> dict[str, str] | None:
    """``href``, ``pathname`` and ``search`` of the page that requests the layout, from a
    same-origin ``Referer`` (the document's address without its fragment); None outside a request
    or without one."""
    from flask import has_request_context, request

    if not has_request_context():
        return None
    referrer = request.headers.get("Referer", "")
    if not referrer:
        return None
    try:
        parts = urlsplit(referrer)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or parts.netloc != request.host:
        return None
    return {
        "href": referrer,
        "pathname": parts.path or "/",
        "search": f"?{parts.query}" if parts.query else "",
    }


def route(app: dash.Dash, pathname: str, search: str) -> tuple[object, dict] | None:
    """Content and title store for an address, as Dash's pages router computes them (same page
    lookup, same query parsing, same keyword arguments; the unknown-address page is
    ``not_found_404``). None if there is no page to show."""
    query = _parse_query_string(search)
    page, path_variables = _path_to_page(app.strip_relative_path(pathname))
    if page == {}:
        page = next((p for m, p in dash.page_registry.items() if m.split(".")[-1] == "not_found_404"), None)
        if page is None:
            return None
        path_variables = None
    layout, title = page.get("layout", ""), page["title"]
    if callable(layout):
        layout = layout(**{**(path_variables or {}), **query})
    if callable(title):
        title = title(**(path_variables or {}))
    return layout, {"title": title}


def page_container(app: dash.Dash, where: dict[str, str] | None):
    """The page container for the document at ``where`` (:func:`document_address`) with its page
    inside, or Dash's empty ``dash.page_container`` when the address is not known.

    Every location component of such a layout must get ``where`` as its properties: one that
    reads the address only after mounting would put back the address it read then (by
    ``history.pushState``) when its properties arrive, undoing a query the page has already
    mirrored into the address bar."""
    try:
        routed = route(app, where["pathname"], where["search"]) if where is not None else None
    except Exception:  # noqa: BLE001 - never break the layout: the router shows the page then
        LOG.exception("Seite %r: Vorab-Darstellung fehlgeschlagen", where)
        routed = None
    if routed is None:
        return dash.page_container
    content, store = routed
    return html.Div(
        [
            dcc.Location(id=LOCATION, refresh="callback-nav", **where),
            html.Div(content, id=CONTENT, disable_n_clicks=True),
            dcc.Store(id=STORE, data=store),
            html.Div(id=DUMMY, disable_n_clicks=True),
            dcc.Store(id=BUILT_FOR, data=where["pathname"] + where["search"]),
        ]
    )


def install(app: dash.Dash) -> None:
    """Register the client-side check of the pre-rendered address."""
    app.clientside_callback(
        REPAIR,
        Output(LOCATION, "pathname"),
        Output(LOCATION, "search"),
        Input(BUILT_FOR, "data"),
    )
