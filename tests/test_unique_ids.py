"""Every page, as the browser receives it, has each component id at most once (shell included).

Two components with the same id make Dash's callbacks read or write whichever the renderer finds
first (a real bug: /verwaltung?entwurf=ID had a ``dcc.Store`` and the preview section both called
``vw-entwurf``). The pages are fetched through Dash's pages router over HTTP, signed in as
``pflege`` (the role that sees the most: preview, publish buttons, "Daten aktualisieren"), with a
stored draft open on /verwaltung. Pages not listed in ``QUERIES`` are checked with no query, so a
new page is covered without touching this file.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import dash
import pytest

from tests._accounts import form_login, make_user
from tests._router import router_body

DRAFT_FILE = Path(__file__).parent / "data" / "12411-02-03-4_kreis_dueren_2021-2024_de_flat.csv"

#: The richest query of each page (``{draft}`` = id of a stored draft).
QUERIES = {
    "/": ["", "?kennzahl=share_80plus&jahr=2040"],
    "/gemeinde": ["", "?ags=05358044&jahr=2030"],
    "/szenarien": ["", "?ags=05358008&szenario=eigenes&tfr=1.6&e0=1&wanderung=2500"],
    "/kurzbericht": ["", "?ags=05358008&szenario=zuwanderung_hoch"],
    "/werkzeugkoffer": ["", "?ags=05358008"],
    "/verwaltung": ["", "?entwurf={draft}"],
}


def _component_ids(tree) -> list[str]:
    """Ids of every component in a serialised Dash tree (children and component-valued props);
    dict ids (pattern matching) as sorted JSON."""
    found: list[str] = []

    def visit(node):
        if isinstance(node, list):
            for n in node:
                visit(n)
        elif isinstance(node, dict):
            if {"type", "namespace", "props"} <= node.keys():
                cid = node["props"].get("id")
                if cid is not None:
                    found.append(cid if isinstance(cid, str) else json.dumps(cid, sort_keys=True))
            for v in node.values():
                visit(v)

    visit(tree)
    return found


def _duplicates(ids: list[str]) -> dict[str, int]:
    return {i: n for i, n in Counter(ids).items() if n > 1}


def test_the_id_collector_finds_a_duplicate():
    from dash import dcc, html
    from plotly.utils import PlotlyJSONEncoder

    tree = html.Div([dcc.Store(id="a"), html.Details(html.Section(id="a")), html.P(id={"t": "x", "i": 1})])
    ids = _component_ids(json.loads(json.dumps(tree, cls=PlotlyJSONEncoder)))
    assert sorted(ids) == sorted(["a", "a", '{"i": 1, "t": "x"}'])
    assert _duplicates(ids) == {"a": 2}


@pytest.fixture
def pflege_client(fresh_store):
    from dashboard.app import server

    c = server.test_client()
    user = make_user("pflege")
    form_login(c, user, addr="10.17.0.1")
    return c, user


def _page_content(c, path: str, search: str):
    body = router_body(path, search)
    r = c.post("/_dash-update-component", data=json.dumps(body), content_type="application/json")
    assert r.status_code == 200, (path, search, r.get_data(as_text=True)[:500])
    return r.get_json()["response"]["_pages_content"]["children"]


def test_no_page_has_a_component_id_twice(pflege_client):
    from dashboard.data import imports
    from dashboard.store import Actor

    c, user = pflege_client
    draft = imports.create_draft(DRAFT_FILE.read_bytes(), DRAFT_FILE.name, actor=Actor(user.name, "pflege"))
    layout = c.get("/_dash-layout")
    assert layout.status_code == 200
    shell = _component_ids(layout.get_json())
    assert "_pages_content" in shell and not _duplicates(shell), _duplicates(shell)

    checked = []
    for page in dash.page_registry.values():
        for search in QUERIES.get(page["path"], [""]):
            search = search.format(draft=draft.version.id)
            ids = _component_ids(_page_content(c, page["path"], search))
            assert ids, (page["path"], search)
            dup = _duplicates(shell + ids)
            assert not dup, f"{page['path']}{search}: ids used more than once: {dup}"
            checked.append((page["path"], search, len(ids)))
    paths = {p for p, _, _ in checked}
    assert set(QUERIES) <= paths, set(QUERIES) - paths  # every listed page is still registered
    # the draft's preview really was rendered (the case that had the duplicate)
    verw = _component_ids(_page_content(c, "/verwaltung", f"?entwurf={draft.version.id}"))
    assert {"vw-entwurf", "vw-entwurf-id", "vw-preview"} <= set(verw)
