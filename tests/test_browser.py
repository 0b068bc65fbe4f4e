"""Real-browser journeys in Debian's chromium (Playwright). Each ends by asserting that the
browser console shows no errors."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests._live import wait_until

pytestmark = pytest.mark.browser


def ready(page, selector: str) -> None:
    page.wait_for_selector(selector)
    page.wait_for_load_state("networkidle")


def test_choose_municipality_with_keyboard_updates_page_and_link(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/gemeinde?ags=05358008")
    ready(page, "#gm-title")
    assert page.title() == "Gemeinde – Kreis Düren 2030"
    page.focus("#gm-ags")
    page.keyboard.press("Enter")
    page.wait_for_selector("[role='listbox'] [role='option']")
    page.keyboard.press("ArrowDown")  # Düren (Stadt) -> Heimbach (Stadt)
    wait_until(page, "document.activeElement.value === '05358012'")
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('#gm-title').textContent.includes('Heimbach')")
    wait_until(page, "window.location.search.includes('ags=05358012')")
    title = page.locator("#gm-pyramid .gtitle").text_content()
    assert "Heimbach" in title
    # the navigation now carries the selection to the brief
    page.wait_for_selector("a.nav-link[href^='/kurzbericht?ags=05358012']")
    assert page.console_errors == []


def test_move_slider_changes_number_and_shared_link_restores_state(live_server, browser_page, _browser):
    page = browser_page
    page.goto(live_server + "/szenarien?ags=05358&wanderung=1000")
    ready(page, "#sz-headline")
    before = page.locator("#sz-headline").text_content()
    handle = page.locator("#sz-wanderung [role='slider']").first
    handle.focus()
    for _ in range(10):  # +10 steps of 100 persons/year
        page.keyboard.press("ArrowRight")
    wait_until(page, f"document.querySelector('#sz-headline').textContent !== {before!r}")
    after = page.locator("#sz-headline").text_content()
    assert int(after.replace(".", "")) > int(before.replace(".", ""))
    wait_until(page, "window.location.search.includes('wanderung=2000')")
    shared = page.url
    assert page.console_errors == []
    # open the shared link in a fresh browser context: same state, same number
    other = _browser.new_context().new_page()
    other.set_default_timeout(60_000)
    errors: list[str] = []
    other.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    other.goto(shared)
    ready(other, "#sz-headline")
    assert other.locator("#sz-headline").text_content() == after
    assert other.locator("#sz-wanderung [role='slider']").first.get_attribute("aria-valuenow") == "2000"
    assert errors == []
    other.context.close()


def test_download_csv_from_methodik(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/methodik")
    ready(page, "#dl-kennzahlen-csv")
    with page.expect_download() as dl:
        page.click("#dl-kennzahlen-csv")
    path = dl.value.path()
    df = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})
    assert dl.value.suggested_filename == "kennzahlen_basis.csv"
    assert set(df.AGS) >= {"05358", "05358012"} and df.Jahr.max() == 2045
    assert page.console_errors == []


def test_brief_print_view_is_one_clean_a4_page(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/kurzbericht?ags=05358044&szenario=basis")
    ready(page, "#kb-title")
    page.wait_for_selector("#kb-trend .main-svg")
    page.evaluate("window.print = () => { window.__printed = true; }")
    page.click("#kb-print")
    wait_until(page, "window.__printed === true")
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator("#kb-print").is_visible()
    assert page.locator("#kb-title").is_visible() and page.locator("#kb-numbers").is_visible()
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert pages == 1, f"brief prints on {pages} pages"
    assert page.console_errors == []
