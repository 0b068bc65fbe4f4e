"""Browser journeys of issue 17 (every number shown is the number asked for), in Debian's
chromium through Playwright. Each ends by asserting that the browser console shows no errors."""

from __future__ import annotations

import pytest

from dashboard.constants import PLANNING_AGE_GROUPS
from dashboard.text import PLANNING_GROUP_LABELS
from tests._live import type_into_dropdown, wait_until

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
    page.goto(f"{live_server}/gemeinde?ags={HEIMBACH}&jahr=2030")
    page.wait_for_selector("#gm-pyramid .gtitle")
    page.wait_for_load_state("networkidle")
    assert page.locator("#gm-pyramid .updatemenu-container, #gm-pyramid .slider-container").count() == 0
    page.focus("#gm-jahr [role=slider]")
    page.keyboard.press("Tab")  # the next stop after the year slider is the play button
    assert page.evaluate("document.activeElement.id") == "gm-play"
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('#gm-play').getAttribute('aria-pressed') === 'true'")
    wait_until(page, "/jahr=20(3[2-9]|4[0-5])/.test(window.location.search)", timeout=60)  # it moves
    page.keyboard.press("Enter")  # stop
    wait_until(page, "document.querySelector('#gm-play').getAttribute('aria-pressed') === 'false'")
    page.wait_for_timeout(1500)  # stopped: nothing moves any more
    page.wait_for_load_state("networkidle")
    year = page.locator("#gm-jahr [role=slider]").get_attribute("aria-valuenow")
    assert 2032 <= int(year) < 2045  # stopped on the way (15 steps of 0,7 s from 2030)
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


def _table_cell(page, table_selector: str, row_label: str, column: str) -> str:
    """Text of a cell of a rendered table (first column = row label, header row = column names)."""
    header = page.locator(f"{table_selector} thead th").all_text_contents()
    col = [h.strip() for h in header].index(column)
    for row in page.locator(f"{table_selector} tbody tr").all():
        cells = [c.strip() for c in row.locator("th, td").all_text_contents()]
        if cells and cells[0] == row_label:
            return cells[col]
    raise AssertionError(f"no row {row_label!r} in {table_selector}")


def test_kita_count_heimbach_2030_low_migration_on_page_and_in_download(live_server, browser_page):
    """Issue 17.4: the 3–5 count of Heimbach in 2030 under "niedrige Zuwanderung", read from the
    page (scenario chosen by keyboard type-ahead) and from a download chosen in the page's panel:
    the same number, the model's number."""
    import pandas as pd

    from dashboard.app import _model

    want = _model.result(_model.ScenarioSpec("zuwanderung_niedrig")).age_groups
    want = want[(want.ags == HEIMBACH) & (want.year == 2030) & (want.age_group.astype(str) == "3-5")]
    want = round(float(want.population.iloc[0]))
    page = browser_page
    page.goto(f"{live_server}/gemeinde?ags={HEIMBACH}")
    page.wait_for_selector("#gm-groups .main-svg")
    page.wait_for_load_state("networkidle")
    page.focus("#gm-szenario")
    type_into_dropdown(page, "Niedrige Zu")  # type-ahead on the closed dropdown
    page.keyboard.press("Enter")
    wait_until(page, "window.location.search.includes('szenario=zuwanderung_niedrig')")
    page.wait_for_load_state("networkidle")
    page.locator("#gm-groups").locator("xpath=ancestor::figure").locator("summary").click()
    shown = _table_cell(page, "#gm-groups-tabelle", "2030", "3–5 (Kita)")
    assert de_int(shown) == want
    # the download panel follows the page: Heimbach, niedrige Zuwanderung, planning age groups
    link = page.locator(".download-panel a.btn")
    wait_until(page, "document.querySelector('.download-panel a.btn').href.includes('zuwanderung_niedrig')")
    assert "altersgruppen_05358012_zuwanderung_niedrig.csv" in link.text_content()
    with page.expect_download() as dl:
        link.click()
    df = pd.read_csv(dl.value.path(), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})
    row = df[(df.Jahr == 2030) & (df.Altersgruppe == "3–5 Jahre")]
    assert len(row) == 1 and int(row.Personen.iloc[0]) == want
    wait_until(
        page, "document.querySelector('.download-panel [role=status]').textContent.includes('Download')"
    )
    # /szenarien: the same count as a Kennzahl, compared with the Basis
    page.goto(f"{live_server}/szenarien?ags={HEIMBACH}&vergleich=zuwanderung_niedrig")
    page.wait_for_selector("#sz-table")
    page.wait_for_load_state("networkidle")
    page.focus("#sz-kennzahl")
    page.keyboard.press("Enter")  # open the list first: typing then goes into its search field
    page.wait_for_selector("input.dash-dropdown-search")
    type_into_dropdown(page, "Anzahl 3")
    page.keyboard.press("Enter")
    wait_until(page, "window.location.search.includes('kennzahl=alter_3-5')")
    page.wait_for_load_state("networkidle")
    assert de_int(_table_cell(page, "#sz-table", "Niedrige Zuwanderung", "31.12.2030")) == want
    assert page.console_errors == []


def test_dropdown_type_ahead_and_german_search_field(live_server, browser_page):
    """Issue 17.7: "Nid" selects Nideggen whether typed on the closed dropdown or into the open
    list; the search field's placeholder is German; the renderer's loading text is German."""
    page = browser_page
    for opening in (None, "Enter", "ArrowDown"):
        page.goto(f"{live_server}/gemeinde?ags=05358008")
        page.wait_for_selector("#gm-title")
        page.wait_for_load_state("networkidle")
        page.focus("#gm-ags")
        if opening:
            page.keyboard.press(opening)
            page.wait_for_selector("input.dash-dropdown-search")
        type_into_dropdown(page, "Nid")
        search = page.locator("input.dash-dropdown-search")
        assert search.get_attribute("placeholder") == "Suchen (Namen eintippen)"
        assert search.input_value() == "Nid"
        page.keyboard.press("Enter")
        wait_until(page, "window.location.search.includes('ags=05358044')")
        wait_until(page, "document.querySelector('#gm-title').textContent.includes('Nideggen')")
    loading = page.evaluate(
        "(() => { const d = document.createElement('div'); d.className = '_dash-loading';"
        " document.body.appendChild(d); const c = getComputedStyle(d, '::after').content; d.remove();"
        " return c; })()"
    )
    assert "Wird geladen" in loading
    assert page.console_errors == []


def test_upload_too_big_is_said_in_german_and_replaces_an_earlier_message(live_server, browser_page):
    """Issue 17.7: the upload component refuses a file over the limit without a callback; the
    page says so in German beside the upload, and the earlier answer (here: about another file)
    is no longer shown as if it were about the new one."""
    from dashboard.settings import UPLOAD_MAX_BYTES
    from dashboard.text import fmt_int

    page = browser_page
    page.goto(live_server + "/methodik#upload")
    page.wait_for_selector("#mt-upload input[type=file]", state="attached")
    small = {"name": "klein.csv", "mimeType": "text/csv", "buffer": b"a;b\n1;2\n"}
    page.set_input_files("#mt-upload input[type=file]", files=[small])
    wait_until(page, "document.querySelector('#mt-upload-result').textContent.trim().length > 0", timeout=60)
    earlier = page.text_content("#mt-upload-result")
    big = {"name": "gross.csv", "mimeType": "text/csv", "buffer": b"0" * (UPLOAD_MAX_BYTES + 1024)}
    page.set_input_files("#mt-upload input[type=file]", files=[big])
    wait_until(page, "document.querySelector('#mt-upload-hinweis').textContent.length > 0", timeout=30)
    note = page.text_content("#mt-upload-hinweis")
    limit_mb = fmt_int(UPLOAD_MAX_BYTES / 2**20)
    assert "„gross.csv“ wurde nicht hochgeladen" in note and f"höchstens {limit_mb} MB" in note, note
    assert not page.is_visible("#mt-upload-result"), earlier  # the earlier answer is not shown
    # a file within the limit goes to the server again: the refusal note is gone, the answer shows
    page.set_input_files("#mt-upload input[type=file]", files=[{**small, "name": "wieder.csv"}])
    wait_until(page, "!document.querySelector('#mt-upload-result').hidden", timeout=60)
    assert page.text_content("#mt-upload-hinweis") == ""
    wait_until(page, "document.querySelector('#mt-upload-result').textContent.trim().length > 0", timeout=60)
    assert page.console_errors == []
