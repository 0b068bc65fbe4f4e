"""Browser journeys of issue 17 (every number shown is the number asked for), in Debian's
chromium through Playwright. Each ends by asserting that the browser console shows no errors."""

from __future__ import annotations

import pytest

from dashboard.constants import PLANNING_AGE_GROUPS
from dashboard.text import PLANNING_GROUP_LABELS
from tests._live import wait_until

pytestmark = pytest.mark.browser

HEIMBACH = "05358012"


def de_int(text: str) -> int:
    return int(text.strip().replace("\u2212", "-").replace("±", "").replace("+", "").replace(".", ""))


def test_brief_group_table_shows_the_chart_values_signed_in_age_order(live_server, browser_page):
    """The brief's "Altersgruppen" chart and its "Daten als Tabelle": the same signed numbers
    (read from the bar labels drawn in the SVG), rows in age order."""
    page = browser_page
    page.goto(f"{live_server}/kurzbericht?ags={HEIMBACH}&szenario=basis")
    page.wait_for_selector("#kb-groups .bartext")
    page.wait_for_load_state("networkidle")

    def top_down(selector: str) -> list[str]:
        items = page.locator(selector).all()
        boxes = [(it.bounding_box()["y"], it.text_content()) for it in items]
        return [t for _, t in sorted(boxes)]

    ticks = top_down("#kb-groups .ytick text")  # the chart's categories as seen, top to bottom
    bars = top_down("#kb-groups .bartext")  # the value written on each bar, top to bottom
    page.locator("#kb-groups").locator("xpath=ancestor::figure").locator("summary").click()
    rows = page.locator("#kb-groups-tabelle tr").all()
    cells = [r.locator("td, th").all_text_contents() for r in rows]
    cells = [c for c in cells if c and c[0] in PLANNING_GROUP_LABELS.values()]
    assert [c[0] for c in cells] == [PLANNING_GROUP_LABELS[g] for g in PLANNING_AGE_GROUPS]
    assert ticks == [c[0] for c in cells]  # table rows in the order the chart shows them
    signed = [c[1] for c in cells]
    assert any(v.startswith("\u2212") for v in signed), signed  # Heimbach loses people in some groups
    assert [de_int(b) for b in bars] == [de_int(v) for v in signed]
    assert [b[0] for b in bars] == [v[0] for v in signed]  # the same sign characters (+, −, ±)
    assert page.console_errors == []


def test_pyramid_plays_by_keyboard_and_the_year_slider_follows(live_server, browser_page):
    """Abspielen/Anhalten is a button outside the chart: Tab reaches it, Enter starts, the year
    slider and the pyramid's title move together, Enter again stops (issue 17.8)."""
    page = browser_page
    page.goto(f"{live_server}/gemeinde?ags={HEIMBACH}&jahr=2040")
    page.wait_for_selector("#gm-pyramid .gtitle")
    page.wait_for_load_state("networkidle")
    assert page.locator("#gm-pyramid .updatemenu-container, #gm-pyramid .slider-container").count() == 0
    page.focus("#gm-jahr [role=slider]")
    page.keyboard.press("Tab")  # the next stop after the year slider is the play button
    assert page.evaluate("document.activeElement.id") == "gm-play"
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('#gm-play').getAttribute('aria-pressed') === 'true'")
    wait_until(page, "window.location.search.includes('jahr=2042')", timeout=20)
    page.keyboard.press("Enter")  # stop
    wait_until(page, "document.querySelector('#gm-play').getAttribute('aria-pressed') === 'false'")
    page.wait_for_timeout(1500)  # stopped: nothing moves any more
    page.wait_for_load_state("networkidle")
    year = page.locator("#gm-jahr [role=slider]").get_attribute("aria-valuenow")
    assert 2042 <= int(year) < 2045
    assert f"31.12.{year}" in page.locator("#gm-pyramid .gtitle").text_content()
    assert f"jahr={year}" in page.evaluate("window.location.search")
    page.wait_for_timeout(1000)
    assert page.locator("#gm-jahr [role=slider]").get_attribute("aria-valuenow") == year
    # from the last year, Abspielen starts again at the beginning and stops by itself at 2045
    page.goto(f"{live_server}/gemeinde?ags={HEIMBACH}&jahr=2045")
    page.wait_for_selector("#gm-pyramid .gtitle")
    page.click("#gm-play")
    wait_until(
        page, "window.location.search.includes('jahr=2024') || window.location.search.includes('jahr=2025')"
    )
    assert page.console_errors == []
