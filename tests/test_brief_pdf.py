"""The Kurzbericht as a downloaded PDF (/download/kurzbericht.pdf, server-side headless Chromium
printing an HTML file built in Python; see dashboard/app/_pdf.py)."""

from __future__ import annotations

import io
import re
import time
import urllib.error
import urllib.request

import pytest

from dashboard.app import _downloads


def _get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


def fetch_pdf(url: str, timeout: float = 180) -> tuple[int, dict, bytes, int]:
    """GET a PDF the way the "wird erstellt" page does: wait ``Retry-After`` and ask again.

    Returns status, headers, body of the final answer and the number of "wird erstellt"
    answers before it.
    """
    deadline = time.monotonic() + timeout
    pending = 0
    while True:
        status, headers, body = _get(url)
        if status == 202 and time.monotonic() < deadline:
            assert "wird erstellt" in body.decode("utf-8")
            pending += 1
            time.sleep(min(float(headers["Retry-After"]), 1.0))
            continue
        return status, headers, body, pending


def pdf_links(body: bytes) -> list[str]:
    import pypdf

    out = []
    for page in pypdf.PdfReader(io.BytesIO(body)).pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A") or {}
            if "/URI" in action:
                out.append(str(action["/URI"]))
    return out


def pdf_text(body: bytes) -> str:
    import pypdf

    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(body)).pages)


@pytest.mark.browser
def test_brief_pdf_is_one_rendered_a4_page(live_server):
    status, headers, body, pending = fetch_pdf(
        live_server + "/download/kurzbericht.pdf?ags=05358012&szenario=geburten_hoch"
    )
    assert status == 200, body[:300]
    assert pending >= 1  # the first answer was "wird erstellt", no request thread waited
    assert headers["Content-Type"] == "application/pdf"
    assert body.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", body)) == 1
    assert "filename=kurzbericht_05358012_geburten_hoch.pdf" in headers["Content-Disposition"]
    assert headers["Content-Disposition"].startswith("attachment")
    # The rendered brief (charts as vector paths, fonts embedded), not the "Wird geladen …" shell,
    # which prints as a few kilobytes of text.
    assert len(body) > 100_000
    # A4 portrait in PDF points (595.3 x 841.9)
    box = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", body)
    assert box and abs(float(box[1]) - 595.3) < 1 and abs(float(box[2]) - 841.9) < 1
    # Without DASHBOARD_PUBLIC_URL the links are printed as text: nothing points at the
    # server's loopback address (dead for every recipient).
    assert pdf_links(body) == []
    assert b"127.0.0.1" not in body
    # Cached: the next request is answered at once with the same file.
    status2, _, body2 = _get(live_server + "/download/kurzbericht.pdf?ags=05358012&szenario=geburten_hoch")
    assert status2 == 200 and body2 == body


@pytest.mark.browser
def test_brief_pdf_links_use_public_address_and_german_scenario(live_server, monkeypatch):
    monkeypatch.setattr(_downloads, "public_base_url", lambda: "https://demografie.example.de")
    status, headers, body, _ = fetch_pdf(
        live_server + "/download/kurzbericht.pdf?ags=05358012&szenario=eigenes&tfr=2.12&wanderung=-2100"
    )
    assert status == 200, body[:300]
    links = pdf_links(body)
    assert links and all(u.startswith("https://demografie.example.de/") for u in links), links
    assert any(u.startswith("https://demografie.example.de/methodik") for u in links)
    text = pdf_text(body)
    assert "eigene Annahmen: 2,12 Kinder je Frau, Wanderungssaldo −2.100" in text
    assert "tfr =" not in text and "wanderung =" not in text


@pytest.mark.parametrize(
    "query, word",
    [
        ("ags=12345678&szenario=basis", "Gemeindeschlüssel"),
        ("ags=05358012&szenario=gibtesnicht", "Szenario"),
        ("ags=05358012&szenario=eigenes&tfr=9", "tfr"),
    ],
)
def test_brief_pdf_rejects_bad_input(live_server, query, word):
    status, headers, body = _get(live_server + "/download/kurzbericht.pdf?" + query)
    assert status == 400
    assert word in body.decode("utf-8")


def test_brief_pdf_without_chromium_points_to_printing(live_server, monkeypatch):
    monkeypatch.setattr(_downloads, "find_chromium", lambda: None)
    status, headers, body = _get(live_server + "/download/kurzbericht.pdf?ags=05358008&szenario=basis")
    assert status == 503
    assert body.decode("utf-8").strip() == (
        "Der PDF-Export ist auf diesem Server nicht verfügbar; bitte nutzen "
        "Sie „Drucken / als PDF speichern“."
    )
