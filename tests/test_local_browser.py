"""Local scenarios in a real browser (Playwright + Debian chromium), issue 13.

Journey: a ``planung`` user signs in, adds 200 dwellings in Nideggen 2026–2030 with the keyboard,
saves the scenario and copies its permalink; an anonymous browser opens the permalink and sees
the same numbers; the Kurzbericht of that scenario is one A4 page. On /gemeinde the same panel
works for the selected municipality, and a malformed entry is named in German.
"""

from __future__ import annotations

import re
import urllib.parse

import pytest

from dashboard.app import _model
from dashboard.projection.local import LocalScenario, NewHousing
from tests._accounts import browser_login, make_user
from tests.test_brief_pdf import fetch_pdf

pytestmark = pytest.mark.browser
SLOW = 120_000
NIDEGGEN = "05358044"


def _page(context, errors: list[str]):
    p = context.new_page()
    p.set_default_timeout(SLOW)
    p.on("console", lambda m: m.type == "error" and errors.append(m.text))
    p.on("pageerror", lambda e: errors.append(str(e)))
    return p


def _cells(page, selector: str) -> list[str]:
    return [c.strip() for c in page.locator(selector).all_inner_texts()]


def test_planner_saves_200_dwellings_anonymous_opens_permalink_brief_is_one_page(
    live_server, _browser, fresh_store
):
    base = live_server
    planer = make_user("planung")
    errors: list[str] = []
    ctx = _browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
    page = _page(ctx, errors)
    browser_login(page, base, planer.name, then="/szenarien")
    page.goto(f"{base}/szenarien?ags={NIDEGGEN}")
    page.locator("#sz-nb-wohnungen").wait_for()

    # keyboard only: type the number, tab through the form to the button, press Enter
    page.locator("#sz-nb-wohnungen").focus()
    page.keyboard.type("200")
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == "sz-nb-add":
            break
    assert page.evaluate("document.activeElement.id") == "sz-nb-add"
    page.keyboard.press("Enter")
    page.locator("#sz-lokal-liste").get_by_text("Nideggen: 200 Wohnungen 2026–2030").wait_for()
    page.locator("#sz-lokal-meldung").get_by_text("Übernommen").wait_for()

    # the effect table equals the model: 0–5-year-olds and the total of Nideggen 2030 rise
    spec = _model.ScenarioSpec(_model.CUSTOM).with_local(
        LocalScenario(new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200),))
    )
    eff = _model.local_effect(spec, NIDEGGEN, 2030).set_index("age_group")
    total_diff = f"+{eff.loc['total', 'difference']:,.0f}".replace(",", ".")
    table = page.locator("#sz-lokal-wirkung-tabelle")
    table.get_by_text(total_diff, exact=True).wait_for()
    assert eff.loc["0-2", "difference"] > 0 and eff.loc["3-5", "difference"] > 0
    headline = page.locator("#sz-headline")
    page.wait_for_function(
        "([sel, q]) => new URLSearchParams(window.location.search).get('neubau') === q",
        arg=["", "05358044:2026-2030:200"],
    )
    planner_headline = headline.inner_text()
    planner_effect = _cells(page, "#sz-lokal-wirkung-tabelle td")

    # save with a name; the permalink appears
    page.fill("#sz-speichern-name", "Neubaugebiet Nideggen")
    page.fill("#sz-speichern-text", "200 Wohnungen 2026–2030, Personen je Wohnung laut Zensus 2022")
    page.click("#sz-speichern")
    link_box = page.locator("#sz-permalink-text")
    link_box.wait_for()
    permalink = link_box.input_value()
    assert re.fullmatch(re.escape(base) + r"/szenarien\?id=[A-Za-z0-9_-]{8}", permalink)
    saved = fresh_store.scenarios(ags=NIDEGGEN)
    assert [s.title for s in saved] == ["Neubaugebiet Nideggen"] and saved[0].created_by == planer.name
    assert not errors, errors

    # an anonymous browser opens the permalink: same numbers, read-only notice
    anon_ctx = _browser.new_context(locale="de-DE", viewport={"width": 1366, "height": 900})
    anon = _page(anon_ctx, errors)
    anon.goto(permalink)
    anon.locator("#sz-gespeichert").get_by_text("Neubaugebiet Nideggen").wait_for()
    assert planer.name in anon.locator("#sz-gespeichert").inner_text()
    anon.locator("#sz-lokal-liste").get_by_text("Nideggen: 200 Wohnungen 2026–2030").wait_for()
    anon.locator("#sz-headline").get_by_text(planner_headline, exact=True).wait_for()
    assert _cells(anon, "#sz-lokal-wirkung-tabelle td") == planner_effect
    assert "id=" in anon.url  # the short permalink stays while nothing is changed
    assert anon.locator("#sz-speichern-meldung").inner_text() == ""
    # the saved scenario is listed for Nideggen with author and date
    anon.locator("#sz-gespeicherte").get_by_text("Neubaugebiet Nideggen").wait_for()

    # the Kurzbericht of that scenario: local inputs named, one A4 page as PDF
    href = anon.locator("#sz-brief-link").get_attribute("href")
    assert "neubau=05358044" in urllib.parse.unquote(href)
    anon.goto(base + href)
    anon.locator("#kb-article").get_by_text("Nideggen: 200 Wohnungen 2026–2030").first.wait_for()
    # the PDF is rendered in the background: "wird erstellt" (202) until it is ready
    status, _, body, _ = fetch_pdf(base + anon.locator("#kb-pdf").get_attribute("href"))
    assert status == 200, body[:300]
    assert body.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", body)) == 1
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", body)  # A4 portrait
    assert box and abs(float(box[1]) - 595.3) < 1.5 and abs(float(box[2]) - 841.9) < 1.5, box
    assert not errors, errors
    ctx.close()
    anon_ctx.close()


def test_gemeinde_panel_names_bad_input_and_removes_entries(live_server, browser_page):
    page, base = browser_page, live_server
    page.goto(f"{base}/gemeinde?ags=05358012")
    page.locator("#gm-wg-saldo").wait_for()
    page.fill("#gm-wg-saldo", "viel")
    page.click("#gm-wg-add")
    page.locator("#gm-lokal-meldung").get_by_text("'viel' ist keine Zahl").wait_for()
    page.fill("#gm-wg-saldo", "50")
    page.click("#gm-wg-add")
    page.locator("#gm-lokal-liste").get_by_text("Heimbach: Wanderungssaldo +50 je Jahr").wait_for()
    page.wait_for_function(
        "new URLSearchParams(window.location.search).get('wanderung_gemeinde') === '05358012:50'"
    )
    # the link to the scenario comparison carries the local input
    href = page.locator("#gm-lokal-link").get_attribute("href")
    assert "wanderung_gemeinde=05358012%3A50" in href
    page.get_by_role("button", name="Heimbach: Wanderungssaldo +50 je Jahr entfernen").click()
    page.locator("#gm-lokal-liste").get_by_text("Noch keine lokalen Annahmen.").wait_for()
    assert not page.console_errors, page.console_errors
