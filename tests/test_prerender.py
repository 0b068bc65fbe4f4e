"""The first page inside the layout response (``dashboard/app/_prerender.py``): the same content
the pages router would send, no router request on a plain page load, a wrong pre-rendered address
is repaired in the browser, and the index preloads the layout, the callback list and dcc's chunks.
"""

from __future__ import annotations

import re
import urllib.request

import pytest

from tests._live import wait_until
from tests._router import router_body

HOST = "http://localhost"


def _find(node, cid):
    if isinstance(node, dict):
        if node.get("props", {}).get("id") == cid:
            return node
        node = list(node.get("props", {}).values())
    if isinstance(node, list):
        for child in node:
            found = _find(child, cid)
            if found is not None:
                return found
    return None


@pytest.fixture
def client():
    from dashboard.app import server

    return server.test_client()


@pytest.mark.parametrize(
    "path, search",
    [
        ("/", ""),
        ("/", "?kennzahl=median_age&jahr=2040"),
        ("/gemeinde", "?ags=05358008"),
        ("/szenarien", "?wanderung=2000"),
        ("/kurzbericht", ""),
        ("/methodik", ""),
        ("/werkzeugkoffer", ""),
        ("/gibt-es-nicht", ""),
        ("/gemeinde", "?ags=kaputt"),  # the page's own German link-problem note, as the router shows it
    ],
)
def test_layout_carries_the_page_the_router_would_send(client, path, search):
    layout = client.get("/_dash-layout", headers={"Referer": HOST + path + search}).get_json()
    routed = client.post("/_dash-update-component", json=router_body(path, search)).get_json()
    content = _find(layout, "_pages_content")["props"]["children"]
    assert content == routed["response"]["_pages_content"]["children"]
    assert _find(layout, "_pages_store")["props"]["data"] == routed["response"]["_pages_store"]["data"]
    address = {"pathname": path, "search": search, "href": HOST + path + search}
    for location in ("_pages_location", "url"):  # both know the address: neither reports a change
        props = _find(layout, location)["props"]
        assert {k: props.get(k) for k in address} == address, location
    assert _find(layout, "seite-vorab")["props"]["data"] == path + search


@pytest.mark.parametrize("referer", [None, "http://elsewhere.example/", "ftp://localhost/", "kaputt"])
def test_without_a_same_origin_referer_the_layout_is_the_plain_shell(client, referer):
    plain = client.get("/_dash-layout").get_json()
    layout = client.get("/_dash-layout", headers={"Referer": referer} if referer else {}).get_json()
    assert layout == plain
    assert _find(plain, "_pages_content")["props"].get("children") is None
    assert _find(plain, "seite-vorab") is None
    assert "pathname" not in _find(plain, "_pages_location")["props"]


def test_index_preloads_the_layout_the_callbacks_and_the_chunks(client):
    html = client.get("/").get_data(as_text=True)
    for url in ("/_dash-layout", "/_dash-dependencies"):
        assert f'<link rel="preload" href="{url}" as="fetch" crossorigin="anonymous">' in html
    for chunk in ("graph", "dropdown", "markdown", "highlight"):
        assert f'href="/_dash-component-suites/dash/dcc/async-{chunk}.js" as="script"' in html


def test_index_has_no_babel_polyfill_but_the_regenerator_runtime(client):
    html = client.get("/").get_data(as_text=True)
    assert "polyfill@" not in html
    scripts = re.findall(r'<script src="([^"]+)"', html)
    runtime = next(i for i, s in enumerate(scripts) if "/assets/regenerator-runtime.js" in s)
    renderer = next(i for i, s in enumerate(scripts) if "dash_renderer" in s)
    assert runtime < renderer  # the renderer's async functions need regeneratorRuntime when it loads


def test_fingerprinted_assets_are_cached_for_a_year(client):
    html = client.get("/").get_data(as_text=True)
    assets = re.findall(r'src="(/assets/[^"]+\?m=[^"]+)"', html)
    assert any("plotly-cartesian" in a for a in assets)
    for url in assets:
        assert client.get(url).headers["Cache-Control"] == "public, max-age=31536000, immutable", url
    assert (
        client.get("/assets/style.css").headers.get("Cache-Control") != "public, max-age=31536000, immutable"
    )
    assert "max-age=31536000" not in (client.get("/_dash-layout").headers.get("Cache-Control") or "")


def _requests(page):
    seen = []
    page.on("request", lambda r: seen.append((r.url, r.post_data or "")))
    return seen


def test_page_load_sends_no_router_request_and_uses_the_preloads(live_server, browser_page):
    page = browser_page
    seen = _requests(page)
    page.goto(live_server + "/?kennzahl=median_age&jahr=2040")
    wait_until(
        page,
        "document.querySelector('#ue-map .scatterlayer .trace')"
        " && document.querySelector('#ue-multiples .scatterlayer .trace')",
        timeout=60,
    )
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => typeof window.regeneratorRuntime.mark") == "function"
    assert "Medianalter" in page.inner_text("#ue-map")  # the requested indicator, not the default
    assert page.url == live_server + "/?kennzahl=median_age&jahr=2040"
    assert not [b for _, b in seen if "_pages_content" in b]  # the router did not run
    for url in ("/_dash-layout", "/_dash-dependencies", "/_dash-component-suites/dash/dcc/async-graph.js"):
        assert sum(u == live_server + url for u, _ in seen) == 1, url  # preload used, not fetched again
    # the navigation's links load the next document, which comes pre-rendered too
    page.click("#hauptnav a[href^='/gemeinde']")
    page.wait_for_selector("#gm-ags")
    assert "Gemeinde" in page.inner_text("h1")
    assert not [b for _, b in seen if "_pages_content" in b]
    page.go_back()
    page.wait_for_selector("#ue-kennzahl")
    assert page.console_errors == []


def test_a_layout_built_for_another_address_is_replaced_by_the_router(live_server, browser_page):
    """A proxy that cuts the Referer down to the origin makes the server pre-render "/"; the page
    notices that the document's address differs and lets the router show the right page."""
    page = browser_page
    seen = _requests(page)

    def layout_for_the_origin(route):
        req = urllib.request.Request(live_server + "/_dash-layout", headers={"Referer": live_server + "/"})
        with urllib.request.urlopen(req, timeout=60) as r:  # noqa: S310 (the test's own server)
            route.fulfill(status=200, body=r.read(), content_type="application/json")

    page.route("**/_dash-layout", layout_for_the_origin)
    page.goto(live_server + "/gemeinde?ags=05358008")
    page.wait_for_selector("#gm-ags")
    wait_until(page, "document.querySelector('h1').innerText.includes('Düren (Stadt)')", timeout=60)
    assert page.query_selector("#ue-kennzahl") is None
    assert [b for _, b in seen if "_pages_content" in b and "?ags=05358008" in b]
    assert page.url.startswith(live_server + "/gemeinde?ags=05358008")
    assert page.console_errors == []


def test_overview_draws_the_fan_chart_only_when_its_section_is_opened(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/")
    page.wait_for_selector("#ue-multiples .scatterlayer .trace")
    assert page.query_selector("#ue-fan") is None  # no chart drawn for the closed section
    assert page.evaluate("() => document.querySelectorAll('.js-plotly-plot').length") == 2
    page.focus("#ue-fan-oeffnen")
    page.keyboard.press("Enter")  # by keyboard, as a click
    page.wait_for_selector("#ue-fan .scatterlayer .trace")
    assert "80-%-Intervall" in page.inner_text("#ue-fan-tabelle") or page.query_selector(
        "#ue-fan-tabelle table"
    )
    page.click("#ue-fan-oeffnen")  # closing and reopening keeps the chart
    page.click("#ue-fan-oeffnen")
    assert page.query_selector("#ue-fan .scatterlayer .trace") is not None
    assert page.console_errors == []
