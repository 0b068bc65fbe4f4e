"""Phones, keyboard and chart toolbar (issue 14 items 1 and 4, issue 17 item 8's toolbar).

Real browser (Debian chromium via Playwright) at 390 × 844 CSS px, a desktop viewport (no
mobile zoom-out: ``innerWidth`` stays 390, so a page wider than the screen really scrolls
sideways).
"""

from __future__ import annotations

import pytest

from tests._live import wait_until

PHONE = {"width": 390, "height": 844}
PAGES = [
    "/",
    "/gemeinde?ags=05358012",
    "/szenarien?ags=05358012&tfr=1.6&wanderung=1000&vergleich=zuwanderung_niedrig",
    "/kurzbericht?ags=05358012&szenario=eigenes&tfr=2.12&wanderung=-2100",
    "/methodik",
    "/werkzeugkoffer",
    "/verwaltung",  # signed out: the sign-in hint; signed in: see the test below
    "/gibt-es-nicht",
]


@pytest.fixture
def phone(_browser):
    context = _browser.new_context(viewport=PHONE, locale="de-DE")
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.set_default_timeout(60_000)
    yield page
    context.close()


def _settled(page) -> None:
    page.wait_for_selector("#inhalt h1")
    page.wait_for_load_state("networkidle")
    wait_until(page, "!document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=60)
    page.wait_for_timeout(300)  # Plotly's resize after the last callback


def test_every_page_registered_is_tested():
    import dash

    import dashboard.app  # noqa: F401 (registers the pages)

    registered = {p["relative_path"] for p in dash.page_registry.values()} - {"/404"}
    assert registered == {p.split("?")[0] for p in PAGES} - {"/gibt-es-nicht"}


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES)
def test_no_sideways_scrolling_at_390px(live_server, phone, path):
    phone.goto(live_server + path)
    _settled(phone)
    width, inner = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert inner == 390
    assert width <= inner, f"{path}: document {width} px wide on a {inner} px screen"
    errors = phone.console_errors
    if path == "/gibt-es-nicht":  # the document itself answers 404, which Chromium logs
        errors = [e for e in errors if "status of 404" not in e]
    assert errors == []


@pytest.mark.browser
@pytest.mark.store
def test_verwaltung_signed_in_fits_390px(live_server, phone, fresh_store):
    from tests._accounts import browser_login, make_user

    user = make_user("pflege")
    browser_login(phone, live_server, user.name, then="/verwaltung")
    _settled(phone)
    assert phone.locator("#inhalt h1").inner_text()
    width, inner = phone.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width <= inner, f"/verwaltung (pflege): document {width} px wide on a {inner} px screen"
    assert phone.console_errors == []


@pytest.mark.browser
def test_navigation_collapses_and_opens_by_keyboard(live_server, phone):
    phone.goto(live_server + "/gemeinde")
    _settled(phone)
    toggle = phone.locator("#nav-toggle")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not phone.locator("#hauptnav a").first.is_visible()
    phone.locator(".skip-link").focus()
    phone.keyboard.press("Tab")  # brand
    phone.keyboard.press("Tab")  # Menü
    assert phone.evaluate("() => document.activeElement.id") == "nav-toggle"
    phone.keyboard.press("Enter")
    wait_until(phone, "document.querySelector('#nav-toggle').getAttribute('aria-expanded') === 'true'")
    links = phone.locator("#hauptnav a")
    assert links.count() == 6 and all(links.nth(i).is_visible() for i in range(6))
    phone.keyboard.press("Tab")
    assert phone.evaluate("() => document.activeElement.textContent") == "Übersicht"


@pytest.mark.browser
def test_werkzeugkoffer_on_a_phone_has_collapsed_fields_and_a_way_up(live_server, phone):
    phone.goto(live_server + "/werkzeugkoffer?ags=05358012")
    _settled(phone)
    groups = phone.locator("details.wk-field-group")
    assert groups.count() >= 3
    opened = phone.locator("details.wk-field-group[open]")
    assert opened.count() == 1  # the first Handlungsfeld; the others collapsed with their counts
    assert "Maßnahme" in groups.nth(1).locator("summary").inner_text()
    # Filters come before the list, and every field ends with a link back up to them.
    assert phone.evaluate(
        "() => document.querySelector('#wk-filter').getBoundingClientRect().top"
        " < document.querySelector('#wk-cards').getBoundingClientRect().top"
    )
    assert opened.locator("a.wk-top").get_attribute("href") == "#wk-filter"
    # A collapsed field opens by keyboard.
    groups.nth(1).locator("summary").focus()
    phone.keyboard.press("Enter")
    wait_until(phone, "document.querySelectorAll('details.wk-field-group[open]').length === 2")
    # Far down the list, a fixed link leads back up.
    phone.mouse.wheel(0, 6000)
    up = phone.locator("a.to-top")
    wait_until(phone, "window.scrollY > 2000")
    assert up.is_visible()
    up.click()
    wait_until(phone, "window.scrollY < 200")


@pytest.mark.browser
def test_unknown_page_is_german_404(live_server, browser_page):
    response = browser_page.goto(live_server + "/gibt-es-nicht")
    assert response.status == 404
    browser_page.wait_for_selector("#not-found-title")
    assert browser_page.locator("h1").inner_text() == "Seite nicht gefunden"
    body = browser_page.locator("body").inner_text()
    assert "Page not found" not in body and "404 -" not in body
    assert browser_page.evaluate("() => document.documentElement.lang") == "de"


@pytest.mark.browser
def test_chart_toolbar_is_german_and_has_no_cloud_upload(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/gemeinde?ags=05358012")
    _settled(page)
    graphs = page.locator(".js-plotly-plot")
    assert graphs.count() >= 3
    titles = []
    for i in range(graphs.count()):
        graphs.nth(i).hover()
        titles += (
            page.locator(".js-plotly-plot")
            .nth(i)
            .locator(".modebar-btn")
            .evaluate_all("els => els.map(e => e.getAttribute('data-title'))")
        )
    assert titles, "no toolbar buttons found"
    english = {
        "Download plot as a PNG",
        "Pan",  # "Zoom" is German too
        "Reset axes",
        "Zoom in",
        "Zoom out",
        "Autoscale",
    }
    assert not set(titles) & english, titles
    assert not [t for t in titles if "Share" in t or "Cloud" in t or "Chart Studio" in t], titles
    assert "Graphen als PNG herunterladen" in titles
    assert page.locator(".plotly-cloud-dialog").count() == 0
    assert page.console_errors == []


@pytest.mark.browser
def test_every_input_on_szenarien_shows_a_focus_ring(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/szenarien")
    _settled(page)
    page.locator(".skip-link").focus()
    seen = {}
    for _ in range(80):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                 return [e.tagName, e.id || e.name || e.type || '', s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
        )
        if info[0] == "INPUT":
            seen[info[1]] = info
    assert "sz-ziel" in seen, sorted(seen)
    missing = {k: v for k, v in seen.items() if v[2] == "none" or v[3] < 3}
    assert not missing, missing
