"""The Kurzbericht as a downloaded PDF (/download/kurzbericht.pdf, server-side headless Chromium)."""

from __future__ import annotations

import re
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


@pytest.mark.browser
def test_brief_pdf_is_one_rendered_a4_page(live_server):
    status, headers, body = _get(
        live_server + "/download/kurzbericht.pdf?ags=05358012&szenario=geburten_hoch"
    )
    assert status == 200, body[:300]
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
