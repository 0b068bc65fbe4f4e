"""Issue 17.1: one scenario state, carried everywhere.

Every page that shows a scenario is rendered for a few scenario links (own values, the Kreis,
a preset, a local input); every link and download on it — in the layout and in what its
callbacks return — is collected and must reproduce the page's municipality and scenario:

* a link to a page that reads a scenario decodes to the page's scenario (same parameters) and
  municipality;
* a download of a model table of that scenario is fetched and its numbers are the page's
  numbers; the brief's PDF link names the page's municipality and scenario.

The pages' own numbers are checked against the model first, so "the same scenario" means "the
same numbers". The browser journeys of tests/test_scenario_journeys.py follow the same links
by clicking.
"""

from __future__ import annotations

import io
from urllib.parse import parse_qsl, urlsplit

import dash
import pandas as pd
import pytest

from dashboard.app import _downloads, _model, _nav
from dashboard.app._components import walk
from dashboard.constants import KREIS_AGS
from dashboard.projection.scenarios import URL_KEYS, ScenarioSpec, spec_from_query
from dashboard.text import fmt_int

CASES = [
    {"ags": "05358012", "szenario": "eigenes", "wanderung": "1000"},  # the Heimbach case
    {"ags": KREIS_AGS, "szenario": "eigenes", "wanderung": "1000"},  # … started from the Kreis
    {"ags": "05358044", "szenario": "eigenes", "tfr": "1.6", "e0": "1.5"},
    {"ags": "05358012", "szenario": "zuwanderung_niedrig"},
    {"ags": "05358044", "szenario": "basis", "neubau": "05358044:2026-2030:200"},
]
IDS = ["heimbach-1000", "kreis-1000", "nideggen-own", "heimbach-preset", "nideggen-neubau"]


def scenario_pages() -> list[str]:
    """Every registered page whose links carry a scenario."""
    paths = [p["path"] for p in dash.page_registry.values()]
    return [p for p in paths if "szenario" in _nav._PAGE_KEYS.get(p, ())]


def page_spec(path: str, query: dict) -> ScenarioSpec:
    """The scenario a page shows for a link (the Szenarien page: the user's own scenario)."""
    if path == "/szenarien":
        return _model.own_spec(_model.scenario_query(query))
    return spec_from_query(_model.scenario_query(query))[0]


def hrefs(component) -> list[str]:
    return [c.href for c in walk(component) if isinstance(getattr(c, "href", None), str)]


def layout_of(path: str, query: dict):
    page = next(p for p in dash.page_registry.values() if p["path"] == path)
    return page["layout"](**query)


def callback_links(path: str, query: dict, spec: ScenarioSpec) -> list[str]:
    """Links the page's callbacks return after a change (the page state in the browser)."""
    from dashboard.app.pages import kurzbericht, szenarien

    ags = query["ags"]
    if path == "/szenarien":
        d = _model.basis_defaults()
        values = [spec.values().get(p.key, d[p.key]) for p in szenarien.CONTROLLED]
        out = szenarien.on_change(ags, "population", [], *values, szenarien.listed_values(spec), None)
        return [out[-1]]
    if path == "/kurzbericht":
        article, _, _, pdf = kurzbericht.on_change(ags, spec.key, spec.query())
        return [pdf, *hrefs(article)]
    return []


def check_link(href: str, *, path: str, ags: str, spec: ScenarioSpec, client) -> str:
    """Raise AssertionError if ``href`` does not reproduce the page; return what was checked."""
    parts = urlsplit(href)
    q = dict(parse_qsl(parts.query, keep_blank_values=True))
    target = parts.path
    if target.startswith("/download/"):
        name, _, ext = target.rsplit("/", 1)[-1].partition(".")
        if name == "kurzbericht":
            assert q.get("ags") == ags, f"{path}: {href} names another municipality"
            assert spec_from_query(_model.scenario_query(q)) == (spec, []), f"{path}: {href}"
            return "pdf"
        if name not in _downloads.SCENARIO_TABLES:
            return "static"
        assert spec_from_query(_model.scenario_query(q)) == (spec, []), f"{path}: {href}"
        r = client.get(href)
        assert r.status_code == 200, (href, r.data[:300])
        if name in ("kennzahlen", "altersgruppen") and ext == "csv" and q.get("ags") == ags:
            # German download: AGS/Jahr/Personen, persons whole (unrounded with exakt=ja)
            df = pd.read_csv(io.BytesIO(r.data), sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
            got = df[(df.AGS == ags) & (df.Jahr == "2045")].Personen.str.replace(",", ".").astype(float)
            res = _model.result(spec)
            if name == "kennzahlen":
                want = [res.indicators.set_index(["ags", "year"]).population[(ags, 2045)]]
            else:
                ag = res.age_groups
                want = list(ag[(ag.ags == ags) & (ag.year == 2045)].sort_values("age_group").population)
            exact = q.get("exakt") == "ja"
            want = [w if exact else round(w) for w in want]
            assert list(got) == pytest.approx(want, rel=1e-9), f"{path}: {href}"
        return "download"
    keys = _nav._PAGE_KEYS.get(target, ())
    if "szenario" in keys:
        got = page_spec(target, q)
        assert got == spec or (target == "/szenarien" and got == _own(spec)), f"{path}: {href} -> {got}"
    if "ags" in keys and target != "/gemeinde":
        assert q.get("ags", KREIS_AGS if target != "/kurzbericht" else None) == ags, f"{path}: {href}"
    return "page" if keys else "other"


def _own(spec: ScenarioSpec) -> ScenarioSpec:
    """What /szenarien shows for a link with ``spec`` (a preset becomes own values = Basis)."""
    return _model.own_spec(spec.query())


@pytest.fixture(scope="module")
def client():
    from dashboard.app import server

    return server.test_client()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_every_link_and_download_reproduces_the_page(case, client):
    checked: dict[str, int] = {}
    pages = scenario_pages()
    assert {"/szenarien", "/kurzbericht", "/werkzeugkoffer"} <= set(pages)
    for path in pages:
        query = dict(case)
        if path == "/szenarien" and query.get("szenario") != "eigenes":
            query.pop("szenario", None)
        spec = page_spec(path, query)
        ags = _model.parse_ags(query["ags"], default="05358008")
        lay = layout_of(path, query)
        assert "link-problems" not in str(lay), f"{path}: the test link itself is invalid"
        links = hrefs(lay) + callback_links(path, query, spec)
        # the navigation, as the page's selection makes it (merged like the shell does)
        sel = {**_selection(lay)}
        if "szenario" in sel:
            for target in pages:
                links.append(_nav.nav_href(target, {k: v for k, v in sel.items() if v is not None}))
        assert links, path
        for href in links:
            kind = check_link(href, path=path, ags=ags, spec=spec, client=client)
            checked[kind] = checked.get(kind, 0) + 1
    assert checked.get("page", 0) >= 3 and checked.get("pdf", 0) >= 1, checked


def _selection(layout) -> dict:
    out = {}
    for c in walk(layout):
        cid = getattr(c, "id", None)
        if isinstance(cid, dict) and cid.get("type") == "sel":
            out.update(c.data)
    return out


@pytest.mark.parametrize("case", CASES[:3], ids=IDS[:3])
def test_pages_show_the_numbers_of_their_scenario(case):
    """The headline of /szenarien and the brief's 2045 number are the model's numbers of the
    parsed scenario (so equal scenarios in the links mean equal numbers on the pages)."""
    from dashboard.app.pages import kurzbericht, szenarien

    q = {k: v for k, v in case.items() if k != "szenario"}
    spec = page_spec("/szenarien", q)
    assert spec.values() and set(spec.query()) <= set(URL_KEYS)
    want = _model.result(spec).indicators.set_index(["ags", "year"]).population[(case["ags"], 2045)]
    lay = szenarien.layout(**q)
    from tests.test_app_layouts import find

    assert find(lay, "sz-headline").children == fmt_int(want)
    brief = kurzbericht.layout(**case)
    numbers = find(brief, "kb-numbers")
    assert fmt_int(want) in str(numbers)
    brief_link = find(lay, "sz-brief-link").href
    assert dict(parse_qsl(urlsplit(brief_link).query))["ags"] == case["ags"]  # the Kreis stays the Kreis
