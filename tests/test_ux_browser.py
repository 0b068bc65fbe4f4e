"""Browser journeys of issue 17 (every number shown is the number asked for), in Debian's
chromium through Playwright. Each ends by asserting that the browser console shows no errors."""

from __future__ import annotations

import pytest

from dashboard.constants import PLANNING_AGE_GROUPS
from dashboard.text import PLANNING_GROUP_LABELS

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
