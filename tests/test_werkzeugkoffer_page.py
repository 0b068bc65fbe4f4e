"""Werkzeugkoffer page components and callbacks without a browser.

Where figures are checked, the projection is replaced by the SYNTHETIC frame of
tests/_synthetic_measures.py (invented numbers); the catalogue is the real one.
"""

from __future__ import annotations

import base64
import json

import openpyxl
import pytest

from dashboard.app import _model
from dashboard.data import measures as M
from dashboard.projection.measures_link import filter_measures
from tests._accounts import signed_in
from tests._synthetic_measures import NIDEGGEN, synthetic_age_groups


def _text(component) -> str:
    return json.dumps(
        component.to_plotly_json(),
        ensure_ascii=False,
        default=lambda o: o.to_plotly_json() if hasattr(o, "to_plotly_json") else str(o),
    )


def _cards(view: dict) -> list:
    """The measure cards of a cards view, in display order (they sit in Handlungsfeld sections)."""
    out = []

    def walk(node):
        if isinstance(node, (list, tuple)):
            for n in node:
                walk(n)
        elif hasattr(node, "to_plotly_json"):
            if str(getattr(node, "id", "") or "").startswith("massnahme-"):
                out.append(node)
            else:
                walk(getattr(node, "children", None))

    walk(view["cards"])
    return out


@pytest.fixture()
def comps(monkeypatch, tmp_path):
    from dashboard.app.pages import _measures_components as comps

    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path))
    monkeypatch.setattr(comps, "age_groups_for", lambda spec: synthetic_age_groups())
    # the views are memoised per arguments (dashboard.app._viewcache): a view another test built
    # from the real age groups must not answer for the synthetic ones
    for view in (comps.cards_view, comps.gaps_view, comps.coverage_view):
        if hasattr(view, "cache_clear"):
            view.cache_clear()
    yield comps
    for view in (comps.cards_view, comps.gaps_view, comps.coverage_view):
        if hasattr(view, "cache_clear"):
            view.cache_clear()


def test_markdown_escaping_keeps_catalogue_text_literal(comps):
    assert comps.md_escape("LSBTIQ* <b>x</b> [a](b)") == "LSBTIQ\\* \\<b\\>x\\</b\\> \\[a\\](b)"


def test_href_keeps_url_state(comps):
    assert (
        comps.href("05358044", _model.ScenarioSpec(), massnahme="M36", jahr=2030)
        == "/werkzeugkoffer?ags=05358044&szenario=basis&massnahme=M36&jahr=2030"
    )
    assert comps.href("05358", feld=None) == "/werkzeugkoffer"


def test_catalogue_text_renders_as_text_and_only_vetted_urls_link(comps):
    """Titles, descriptions and sources are text: no Markdown, no HTML, no stray backslashes;
    a link only for an http(s) URL (issue 12, finding 9)."""
    from dash import html

    assert isinstance(comps.source_link("https://www.kreis-dueren.de/x"), html.A)
    for bad in (
        "javascript:alert(1)",
        "data:text/html,<b>x</b>",
        "http://",
        "https://a b.de",
        "ftp://x.de/y",
    ):
        assert not isinstance(comps.source_link(bad), html.A), bad
    row = M.shipped_catalogue().flat().iloc[0].copy()
    row["description"] = "Kinder <6 Jahre und Senioren >80 Jahre, **fett** [x](javascript:1)"
    row["title"] = '=HYPERLINK("http://example.org","x")'
    card = comps.measure_card(row, ["javascript:alert(1)"], "Heimbach", [], scenario_label="Basis")
    text = json.dumps(card.to_plotly_json(), ensure_ascii=False, default=str)
    assert "Kinder <6 Jahre und Senioren >80 Jahre, **fett** [x](javascript:1)" in text
    assert "\\\\<" not in text and "Markdown" not in text
    assert '"href": "javascript' not in text


def test_render_view_cards_carry_sources_and_indicators(comps):
    spec = _model.ScenarioSpec()
    v = comps.cards_view(
        ags=NIDEGGEN,
        field=None,
        group="80+",
        status="aktiv",
        text=None,
        year=2030,
        spec=spec,
        highlight="M36",
    )
    assert v["notice"] is None
    cards = _cards(v)
    found = filter_measures(M.active_catalogue(), ags=NIDEGGEN, age_group="80+", status="aktiv")
    # grouped by Handlungsfeld (first appearance), the filter's order inside each group
    expected = [i for f in dict.fromkeys(found.field_of_action) for i in found[found.field_of_action == f].id]
    assert [c.id for c in cards] == ["massnahme-" + i for i in expected]
    groups = v["cards"]
    assert [g.open for g in groups].count(True) >= 1
    assert all(g.className == "wk-field-group" for g in groups)
    ids = [c.id for c in cards]
    m10 = _text(cards[ids.index("massnahme-M10")])  # Wohnberatung, 65+
    assert "80+ in Nideggen 2024 → 2030: +80 (+20,0 %; 400 → 480)" in m10
    assert "65-79 in Nideggen 2024 → 2030: ±0 (±0,0 %; 400 → 400)" in m10
    assert '"href": "https://' in m10 and '"rel": "noopener noreferrer"' in m10  # source links
    assert "Antwortet auf (Vorausberechnung, Basis):" in m10
    m36 = cards[ids.index("massnahme-M36")]  # Dorfladen Wollersheim, all ages
    assert "wk-highlight" in m36.className
    t36 = _text(m36)
    assert "Bevölkerung insgesamt in Nideggen 2024 → 2030" in t36 and "80+ in Nideggen" not in t36
    assert v["summary"].startswith(f"{len(cards)} Maßnahme{'' if len(cards) == 1 else 'n'} für Nideggen")
    assert "mitgeliefert" in v["origin"][0]
    v = comps.gaps_view(ags=NIDEGGEN, year=2030, spec=spec)
    # every strongly growing synthetic group is answered by an active real measure: no gap;
    # Nideggen 80+ (+20 %) is reached only by district-wide senior services, Nideggen 0-2 is
    # named by M53 (Kita)
    gaps, wide = v["gap_tables"].children
    assert "Keine Lücke" in _text(gaps)
    assert "Nideggen" in _text(wide) and "80+" in _text(wide) and "0-2" not in _text(wide)
    assert "nur kreisweit" in _text(v["gap_all"]) and "stark wachsend" in _text(v["gap_all"])
    assert len(v["gap_fig"].data) == 1
    cov_fig, cov_table = comps.coverage_view()
    assert len(cov_fig.data) == 1 and "Nideggen" in _text(cov_table)


def test_upload_callback_reports_all_problems_and_stores_a_valid_workbook_as_draft(
    comps, tmp_path, fresh_store
):
    from dashboard.app import server
    from dashboard.app.pages import werkzeugkoffer as page

    wb_path = M.write_workbook(M.shipped_catalogue(), tmp_path / "k.xlsx")
    wb = openpyxl.load_workbook(wb_path)
    wb["Massnahmen"]["C5"] = "Gesundheit"
    wb["Gemeinden"]["B3"] = "05358099"
    wb.save(wb_path)
    contents = "data:application/octet-stream;base64," + base64.b64encode(wb_path.read_bytes()).decode()
    with server.test_request_context("/"):  # anonymous
        result, rev = page.upload(contents, "k.xlsx", 0)
    assert "Bitte melden Sie sich an, um Daten hochzuladen." in _text(result) and rev is page.dash.no_update
    with signed_in("planung"):
        result, rev = page.upload(contents, "k.xlsx", 0)
        text = _text(result)
        assert "wurde nicht übernommen" in text and "Gesundheit" in text and "05358099" in text
        assert "Massnahmen" in text and "Gemeinden" in text
        assert rev is page.dash.no_update
        assert fresh_store.versions("catalogue") == []
        good = M.write_workbook(M.shipped_catalogue(), tmp_path / "ok.xlsx")
        contents = "data:application/octet-stream;base64," + base64.b64encode(good.read_bytes()).decode()
        result, rev = page.upload(contents, "ok.xlsx", 3)
        assert "als Entwurf" in _text(result) and rev is page.dash.no_update
        assert M.active_catalogue().origin == "shipped"  # the draft is not public
        result, rev = page.reset(1, 4)
        assert "pflege" in _text(result) and rev is page.dash.no_update  # planung may not reset
    (v,) = fresh_store.versions("catalogue")
    with signed_in("pflege") as chef:
        fresh_store.publish(v.id, actor=chef.actor(), expected=0)
        assert M.active_catalogue().origin == "imported"
        result, rev = page.reset(1, 4)
        assert rev == 5 and M.active_catalogue().origin == "shipped"


def test_teaser_links_into_the_werkzeugkoffer(comps):
    text = _text(comps.measures_teaser(NIDEGGEN))
    assert "/werkzeugkoffer?ags=05358044&szenario=basis&massnahme=M36" in text
    assert "Keine Lücke bis 2030" in text
    assert "Stark wachsend bis 2030, aber nur von kreisweiten Maßnahmen erreicht" in text


def test_download_callback_returns_the_active_catalogue_as_workbook(comps, tmp_path):
    from dashboard.app.pages import werkzeugkoffer as page

    data = page.download(1)
    assert data["filename"] == "werkzeugkoffer_massnahmen.xlsx" and data["base64"]
    p = tmp_path / "dl.xlsx"
    p.write_bytes(base64.b64decode(data["content"]))
    assert M.load_workbook(p).equals(M.active_catalogue())


def test_count_nouns_agree_in_number():
    from dashboard.text import WK, wk_counts

    assert WK["n_found"].format(**wk_counts(1)) == "1 Maßnahme gefunden"
    assert WK["n_found"].format(**wk_counts(2)) == "2 Maßnahmen gefunden"
    assert WK["n_found"].format(**wk_counts(1234)) == "1.234 Maßnahmen gefunden"
    assert WK["teaser_more"].format(name="Nideggen", **wk_counts(1)).startswith("Die 1 Maßnahme für")
    assert WK["teaser_more"].format(name="Nideggen", **wk_counts(3)).startswith("Alle 3 Maßnahmen für")
    assert "1 Quelle." in WK["upload_ok"].format(name="x", id=1, **wk_counts(2, sources=1))
    assert "dieses Problem:" in WK["upload_fail"].format(name="x", **wk_counts(problems=1))
    assert "diese 4 Probleme:" in WK["upload_fail"].format(name="x", **wk_counts(problems=4))
