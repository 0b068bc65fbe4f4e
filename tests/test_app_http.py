"""Every page fetched over HTTP from a running server: status 200, German title, and the
page content rendered by Dash's router (the same request the browser makes) with the
expected German heading. Downloads return real files."""

from __future__ import annotations

import io
import json
import urllib.request

import pandas as pd
import pytest

from tests._router import router_body

pytestmark = pytest.mark.http

PAGES = [
    ("/", "", "Übersicht – Kreis Düren 2030", "Übersicht: Kreis Düren"),
    ("/gemeinde", "?ags=05358044", "Gemeinde – Kreis Düren 2030", "Gemeinde: Nideggen (Stadt)"),
    ("/szenarien", "?ags=05358&tfr=1.6", "Szenarien – Kreis Düren 2030", "Szenarien"),
    (
        "/kurzbericht",
        "?ags=05358012&szenario=basis",
        "Kurzbericht – Kreis Düren 2030",
        "Kurzbericht: Heimbach (Stadt)",
    ),
    ("/methodik", "", "Daten & Methodik – Kreis Düren 2030", "Daten & Methodik"),
]


def get(url: str) -> tuple[int, bytes, dict]:
    with urllib.request.urlopen(url, timeout=60) as r:
        return r.status, r.read(), dict(r.headers)


def render(base: str, path: str, search: str) -> dict:
    """POST the pages-router callback like the browser does; returns the response JSON."""
    req = urllib.request.Request(
        base + "/_dash-update-component",
        data=json.dumps(router_body(path, search)).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=60) as r:
        assert r.status == 200
        return json.loads(r.read())


def headings(tree) -> list[str]:
    out = []

    def visit(node):
        if isinstance(node, dict):
            if node.get("type") in ("H1", "H2") and isinstance(node.get("props", {}).get("children"), str):
                out.append(node["props"]["children"])
            for v in node.values():
                visit(v)
        elif isinstance(node, list):
            for v in node:
                visit(v)

    visit(tree)
    return out


@pytest.mark.parametrize("path,search,title,h1", PAGES)
def test_page_served_with_german_title_and_heading(live_server, path, search, title, h1):
    status, body, headers = get(live_server + path + search)
    assert status == 200
    html = body.decode()
    assert '<html lang="de">' in html
    assert f'<meta property="og:title" content="{title.replace("&", "&amp;")}">' in html
    assert "Wird geladen" in html and "Loading..." not in html
    assert "frame-ancestors" in headers["Content-Security-Policy"]
    content = render(live_server, path, search)["response"]["_pages_content"]["children"]
    assert any(h.startswith(h1) for h in headings(content)), headings(content)[:5]


def test_downloads_are_real_tables(live_server):
    status, body, headers = get(live_server + "/download/kennzahlen.csv?szenario=zuwanderung_hoch")
    assert status == 200 and "kennzahlen_zuwanderung_hoch.csv" in headers["Content-Disposition"]
    df = pd.read_csv(io.BytesIO(body), sep=";", decimal=",", encoding="utf-8-sig", dtype={"AGS": str})
    # German headers and values for spreadsheet users (issue 17.6)
    assert {
        "AGS",
        "Jahr",
        "Personen",
        "Anteil 80 Jahre und älter (%)",
        "vorausberechnet",
        "geschätzt",
    } <= set(df.columns)
    assert set(df.vorausberechnet) == {"ja", "nein"}
    assert df[(df.AGS == "05358") & (df.Jahr == 2024)].Personen.iloc[0] == 279285  # whole persons
    assert df["Anteil 80 Jahre und älter (%)"].between(1, 30).all()  # percent, not fractions
    status, body, _ = get(live_server + "/download/basisdaten.xlsx")
    x = pd.read_excel(io.BytesIO(body), sheet_name=None)
    assert set(x) == {"Daten", "exakt", "Quelle"}
    assert x["Daten"].Personen.sum() == pytest.approx(279285, abs=len(x["Daten"]) / 2)
    assert x["exakt"].Personen.sum() == pytest.approx(279285, abs=1e-6)
    assert set(x["Daten"].Geschlecht) == {"weiblich", "männlich"}
    with pytest.raises(urllib.error.HTTPError) as err:
        get(live_server + "/download/gibtsnicht.csv")
    assert err.value.code == 404
