"""Browser journeys of issue 17.1/17.2 (Playwright, Debian chromium), exactly the cases of the
issue:

* Heimbach, Wanderung typed as "1.000" on /szenarien → "Kurzbericht zu diesem Szenario" → the
  brief, its PDF and every download on it show the page's 2045 number; from the Kreis the same
  link opens the Kreis brief;
* typing "1,6" into the birth-rate box gives ``tfr=1.6`` in the address and the headline of
  1.6 children per woman; "1.500" is refused beside the box (nothing clipped, nothing applied);
* target seeking sets exactly the value its message names; "zurücksetzen" clears the message;
* every slider handle and input box has an accessible name.

Each journey ends with no console errors.
"""

from __future__ import annotations

import io
import time
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest

from dashboard.app import _model
from dashboard.text import fmt_int
from tests._live import type_into_dropdown, wait_until

pytestmark = pytest.mark.browser

HEIMBACH = "05358012"


def ready(page, selector: str) -> None:
    page.wait_for_selector(selector)
    page.wait_for_load_state("networkidle")


def expected_2045(ags: str, **values) -> str:
    spec = _model.parse_scenario("eigenes", **values)
    return fmt_int(_model.result(spec).indicators.set_index(["ags", "year"]).population[(ags, 2045)])


def type_into(page, box: str, text: str) -> None:
    page.fill(box, text)
    page.press(box, "Enter")


def fetch(url: str, timeout: float = 240) -> tuple[int, dict, bytes]:
    """GET, asking again while the server answers 202 "wird erstellt" (Retry-After)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=180) as r:
                status, headers, body = r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            status, headers, body = e.code, dict(e.headers), e.read()
        if status != 202 or time.monotonic() > deadline:
            return status, headers, body
        time.sleep(1)


def pdf_text(body: bytes) -> str:
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)


def test_heimbach_wanderung_1000_brief_pdf_and_downloads_show_the_page_number(live_server, browser_page):
    page = browser_page
    page.goto(live_server + f"/szenarien?ags={HEIMBACH}")
    ready(page, "#sz-headline")
    type_into(page, "#sz-wanderung-eingabe", "1.000")  # German thousands separator
    wait_until(page, "window.location.search.includes('wanderung=1000')", timeout=60)
    want = expected_2045(HEIMBACH, wanderung="1000")
    wait_until(page, f"document.querySelector('#sz-headline').textContent === {want!r}", timeout=60)
    assert page.input_value("#sz-wanderung-eingabe") == "1.000"
    href = page.get_attribute("#sz-brief-link", "href")
    assert dict(parse_qsl(urlsplit(href).query)) == {
        "ags": HEIMBACH,
        "szenario": "eigenes",
        "wanderung": "1000",
    }
    page.click("#sz-brief-link")
    ready(page, "#kb-numbers")
    assert "Heimbach" in page.text_content("#kb-title")
    row = page.locator("#kb-numbers tbody tr").first  # Einwohner
    assert want in row.text_content(), row.text_content()
    assert page.console_errors == []
    # the brief's PDF and every download on the brief: the same scenario, the same number
    links = page.eval_on_selector_all("a[href^='/download/']", "els => els.map(e => e.getAttribute('href'))")
    assert any(h.startswith("/download/kurzbericht.pdf") for h in links)
    for link in links:
        status, headers, body = fetch(live_server + link)
        assert status == 200, (link, body[:300])
        if link.startswith("/download/kurzbericht.pdf"):
            text = pdf_text(body)
            assert "Heimbach" in text and want in text, text[:500]
        elif ".csv" in link and "kennzahlen" in link:
            assert kennzahlen_2045(body) == want, link
    # the brief's download panel, table chosen by keyboard: the same scenario, the same number
    panel = '[id=\'{"page":"kurzbericht","type":"dl-tabelle"}\']'
    page.focus(panel)
    type_into_dropdown(page, "Kennzahlen")  # type-ahead on the closed dropdown
    page.keyboard.press("Enter")
    wait_until(page, "document.querySelector('.download-panel a.btn').href.includes('/kennzahlen.csv')")
    link = page.locator(".download-panel a.btn")
    assert f"kennzahlen_{HEIMBACH}_eigenes.csv" in link.text_content()
    assert "wanderung=1000" in link.get_attribute("href")
    with page.expect_download() as dl:
        link.click()
    assert kennzahlen_2045(open(dl.value.path(), "rb").read()) == want
    assert page.console_errors == []


def kennzahlen_2045(body: bytes) -> str:
    """Heimbach's population 2045 in a German kennzahlen.csv (AGS;Gemeinde;Jahr;Personen;…), as
    the page shows it."""
    df = pd.read_csv(io.BytesIO(body), sep=";", decimal=",", encoding="utf-8-sig", dtype=str)
    row = df[(df.AGS == HEIMBACH) & (df.Jahr == "2045")]
    assert len(row) == 1, df.head()
    return fmt_int(float(row.Personen.iloc[0].replace(",", ".")))


def test_from_the_kreis_the_brief_link_opens_the_kreis_brief(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/szenarien?ags=05358&wanderung=1000")
    ready(page, "#sz-headline")
    want = expected_2045("05358", wanderung="1000")
    assert page.text_content("#sz-headline") == want
    page.click("#sz-brief-link")
    ready(page, "#kb-numbers")
    assert "Kreis Düren" in page.text_content("#kb-title")
    assert want in page.locator("#kb-numbers tbody tr").first.text_content()
    assert page.console_errors == []


def test_typing_german_numbers_applies_them_and_refuses_what_it_cannot_read(live_server, browser_page):
    page = browser_page
    page.goto(live_server + f"/szenarien?ags={HEIMBACH}")
    ready(page, "#sz-headline")
    basis = page.text_content("#sz-headline")
    # the boxes show German numbers
    d = _model.basis_defaults()
    assert page.input_value("#sz-tfr-eingabe") == f"{d['tfr']:.2f}".replace(".", ",")
    type_into(page, "#sz-tfr-eingabe", "1,6")
    wait_until(page, "window.location.search.includes('tfr=1.6')", timeout=60)
    want = expected_2045(HEIMBACH, tfr="1.6")
    wait_until(page, f"document.querySelector('#sz-headline').textContent === {want!r}", timeout=60)
    assert want != basis
    assert page.locator("#sz-tfr [role='slider']").first.get_attribute("aria-valuenow") == "1.6"
    # "1.500" is 1500 (thousands separator): refused beside the box, nothing applied
    type_into(page, "#sz-tfr-eingabe", "1.500")
    wait_until(page, "document.querySelector('#sz-tfr-hinweis').textContent.length > 0", timeout=60)
    message = page.text_content("#sz-tfr-hinweis")
    assert "Geburtenrate" in message and "0,8 bis 2,4" in message and "1,6" in message
    assert page.get_attribute("#sz-tfr-eingabe", "aria-invalid") == "true"
    assert page.get_attribute("#sz-tfr-eingabe", "aria-describedby") == "sz-tfr-hinweis"
    page.wait_for_load_state("networkidle")
    assert "tfr=1.6" in page.url and page.text_content("#sz-headline") == want
    # "1.6" (a decimal point) means 1.6 as well; the message goes
    type_into(page, "#sz-tfr-eingabe", "1.6")
    wait_until(page, "document.querySelector('#sz-tfr-hinweis').textContent === ''", timeout=60)
    assert page.input_value("#sz-tfr-eingabe") == "1,6"
    assert page.console_errors == []


def test_target_seeking_sets_what_it_says_and_reset_clears_it(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/szenarien?ags=05358")
    ready(page, "#sz-headline")
    type_into(page, "#sz-ziel", "285.000")  # German thousands separator; Enter calculates
    wait_until(
        page, "document.querySelector('#sz-ziel-ergebnis').textContent.includes('gesetzt')", timeout=90
    )
    message = page.text_content("#sz-ziel-ergebnis")
    wait_until(page, "window.location.search.includes('wanderung=')", timeout=60)
    box = page.input_value("#sz-wanderung-eingabe")
    handle = page.locator("#sz-wanderung [role='slider']").first.get_attribute("aria-valuenow")
    assert f"auf +{box} gesetzt" in message  # the message names exactly the value set
    assert fmt_int(float(handle)) == box
    assert f"wanderung={handle}" in page.url
    page.click("#sz-reset")
    wait_until(page, "document.querySelector('#sz-ziel-ergebnis').textContent === ''", timeout=60)
    wait_until(page, "!window.location.search.includes('wanderung=')", timeout=60)
    assert page.input_value("#sz-wanderung-eingabe") == fmt_int(_model.basis_defaults()["net_migration"])
    assert page.console_errors == []


def test_sliders_and_boxes_have_accessible_names(live_server, browser_page):
    page = browser_page
    page.goto(live_server + "/szenarien?ags=05358")
    ready(page, "#sz-headline")
    for p in _model.PARAMETERS:
        if p.many:
            continue
        handle = page.locator(f"#sz-{p.url_key} [role='slider']").first
        label_id = handle.get_attribute("aria-labelledby")
        assert label_id and p.label.split()[0] in page.text_content(f"#{label_id}")
        assert p.unit_text in (handle.get_attribute("aria-valuetext") or "")
        name = page.text_content(f"#{label_id}")
        assert page.get_by_role("slider", name=name, exact=True).count() == 1
        box = page.get_by_role("textbox", name=name, exact=True)
        assert box.evaluate("e => e.id") == f"sz-{p.url_key}-eingabe"
    # the year slider of /gemeinde too (named by its label)
    page.goto(live_server + f"/gemeinde?ags={HEIMBACH}")
    ready(page, "#gm-pyramid")
    wait_until(page, "document.querySelector('#gm-jahr [role=slider]') !== null")
    wait_until(page, "document.querySelector('#gm-jahr [role=slider]').getAttribute('aria-labelledby')")
    label = page.locator("#gm-jahr [role='slider']").first.get_attribute("aria-labelledby")
    assert "Jahr" in page.text_content(f"#{label}")
    assert page.console_errors == []
