"""Browser journeys through the Werkzeugkoffer (real app, real catalogue, real projection).

Debian's chromium driven by Playwright (fixtures ``live_server`` and ``browser_page`` of
conftest.py); imports go to the session's temporary user data folder.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from tests._accounts import browser_login, make_user

pytestmark = pytest.mark.browser

SLOW = 90_000  # ms: the machine is shared; the first projection of a process is computed on demand


@pytest.fixture(scope="module")
def base_url(live_server):
    """The shared live server, with the Basis projection computed once up front (not by several
    concurrent callbacks)."""
    from dashboard.app import _model

    _model.result(_model.ScenarioSpec())
    return live_server


@pytest.fixture()
def page(browser_page):
    browser_page.set_default_timeout(SLOW)
    return browser_page


def _choose(page, dropdown_id: str, option: str) -> None:
    page.locator(f"#{dropdown_id}").click()
    page.get_by_role("option", name=option, exact=True).click()


def test_follow_a_measure_from_the_brief_and_filter(page, base_url):
    # 1. the municipality's brief lists its measures with links into the Werkzeugkoffer
    page.goto(f"{base_url}/kurzbericht?ags=05358044&szenario=basis")
    link = page.locator("#wk-teaser-list a", has_text="Dorfladen Wollersheim")
    link.wait_for(timeout=SLOW)
    link.click()
    # 2. the Werkzeugkoffer opens for Nideggen with the measure highlighted, in view and focused
    card = page.locator("#massnahme-M36")
    card.wait_for(timeout=SLOW)
    page.wait_for_url(re.compile(r"/werkzeugkoffer\?.*ags=05358044.*massnahme=M36"))
    assert "wk-highlight" in card.get_attribute("class")
    expect(card).to_be_focused(timeout=SLOW)
    assert card.is_visible()
    text = card.inner_text()
    assert re.search(r"Bevölkerung insgesamt in Nideggen 2024 → 2030: [+−±][\d.]+ \([+−±][\d,]+ %", text)
    assert "Nideggen" in text and card.locator(".wk-card-body a[href^='http']").count() >= 1
    assert page.locator("#massnahme-M53").count() == 1  # Kita (0-6) is offered in Nideggen
    # 3. filter by age group: the Kita card goes, senior services answer "80+ in Nideggen …"
    _choose(page, "wk-gruppe", "80 und älter")
    page.wait_for_url(re.compile(r"gruppe=80%2B"), timeout=SLOW)
    page.locator("#massnahme-M53").wait_for(state="detached", timeout=SLOW)
    wohnberatung = page.locator("#massnahme-M10")
    assert re.search(
        r"80\+ in Nideggen 2024 → 2030: [+−±][\d.]+ \([+−±][\d,]+ %; [\d.]+ → [\d.]+\)",
        wohnberatung.inner_text(),
    )
    # 4. filter by field of action and status: only active "Leben & Wohnen" cards remain
    _choose(page, "wk-feld", "Leben & Wohnen gestalten")
    _choose(page, "wk-status", "nur aktive (laufend)")
    page.wait_for_url(re.compile(r"feld=Leben.*status=aktiv|status=aktiv.*feld=Leben"), timeout=SLOW)
    expect(page.locator(".wk-card .wk-field").filter(has_not_text="Leben & Wohnen gestalten")).to_have_count(
        0, timeout=SLOW
    )
    fields = page.locator(".wk-card .wk-field").all_inner_texts()
    statuses = page.locator(".wk-card .wk-status").all_inner_texts()
    assert fields and set(fields) == {"Leben & Wohnen gestalten"} and set(statuses) == {"laufend"}
    # 5. free-text filter on the target group / title
    page.locator("#wk-suche").fill("Wohnberatung")
    page.locator("#wk-suche").press("Enter")
    page.wait_for_url(re.compile(r"suche=Wohnberatung"), timeout=SLOW)
    expect(page.locator(".wk-card")).to_have_count(1, timeout=SLOW)
    assert page.locator(".wk-card h3").inner_text() == "Wohnberatungsstelle des Kreises"
    # 6. the gap view is there with its rule, chart and table alternative
    assert "mindestens 10 %" in page.locator("#wk-gap-rule").inner_text()
    assert page.locator("#wk-gap-graph .main-svg").count() >= 1
    assert page.locator("#wk-gap-graph-tabelle table").count() == 1
    # 7. the filtered view is a shareable link: reloading restores it
    page.reload()
    expect(page.locator(".wk-card")).to_have_count(1, timeout=SLOW)
    assert page.locator("#wk-summary").inner_text().startswith("1 Maßnahme für Nideggen")
    assert page.console_errors == []


def test_gemeinde_page_links_to_its_measures(page, base_url):
    page.goto(f"{base_url}/gemeinde?ags=05358056")
    more = page.locator("#wk-teaser-more")
    more.wait_for(timeout=SLOW)
    assert more.get_attribute("href").startswith("/werkzeugkoffer?ags=05358056")
    more.click()
    page.wait_for_url(re.compile(r"/werkzeugkoffer\?ags=05358056"), timeout=SLOW)
    page.locator(".wk-card").first.wait_for(timeout=SLOW)
    assert page.locator("#wk-summary").inner_text().endswith("kreisweit)")
    assert "Titz" in page.locator("#wk-summary").inner_text()
    assert page.console_errors == []


def test_upload_shows_every_problem_and_keeps_the_catalogue(page, base_url, tmp_path):
    from dashboard.data import measures as M
    from dashboard.store import get_store

    user = make_user("planung")
    browser_login(page, base_url, user.name)
    drafts_before = len(get_store().versions("catalogue"))

    bad = M.write_workbook(M.shipped_catalogue(), tmp_path / "bearbeitet.xlsx")
    wb = openpyxl.load_workbook(bad)
    wb["Massnahmen"]["C5"] = "Gesundheit"  # unknown field of action
    wb["Massnahmen"]["B10"] = None  # missing title
    wb["Gemeinden"]["B3"] = "05358099"  # unknown AGS
    wb.save(bad)
    page.goto(f"{base_url}/werkzeugkoffer?ags=05358012&suche=Bürgerbus")
    page.locator("#massnahme-M30").wait_for(timeout=SLOW)
    page.locator("#wk-upload input[type=file]").set_input_files(str(bad))
    problems = page.locator("#wk-upload-problems")
    problems.wait_for(timeout=SLOW)
    rows = problems.locator("tbody tr").all_inner_texts()
    joined = "\n".join(rows)
    # three edits, four problems: M02 lost its only municipality row with the bad AGS
    assert len(rows) == 4
    assert "Massnahmen\t5\tfield_of_action" in joined and "'Gesundheit'" in joined
    assert "Massnahmen\t10\ttitle" in joined and "Gemeinden\t3\tags" in joined
    assert "Massnahmen\t3\tid" in joined
    assert len(get_store().versions("catalogue")) == drafts_before  # nothing stored
    assert "mitgeliefert" in page.locator("#wk-origin").inner_text()
    assert page.console_errors == []
