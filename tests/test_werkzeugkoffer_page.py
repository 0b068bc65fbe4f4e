"""Werkzeugkoffer page components and callbacks without a browser.

Where figures are checked, the projection is replaced by the SYNTHETIC frame of
tests/_synthetic_measures.py (invented numbers); the catalogue is the real one.
"""

from __future__ import annotations

import base64
import dataclasses
import json

import pytest

from dashboard import settings
from dashboard.data import measures as M
from dashboard.projection.measures_link import filter_measures
from tests._synthetic_measures import NIDEGGEN, synthetic_age_groups


def _text(component) -> str:
    return json.dumps(component.to_plotly_json(), ensure_ascii=False, default=lambda o: o.to_plotly_json()
                      if hasattr(o, "to_plotly_json") else str(o))


@pytest.fixture()
def comps(monkeypatch, tmp_path):
    from dashboard.app.pages import _measures_components as comps
    monkeypatch.setattr(settings, "SETTINGS", dataclasses.replace(settings.SETTINGS, user_data_dir=tmp_path))
    monkeypatch.setattr(comps, "projected_age_groups", lambda scenario="basis": synthetic_age_groups())
    return comps


def test_href_keeps_url_state(comps):
    assert comps.href("05358044", measure="M36", year=2030) == \
        "/werkzeugkoffer?ags=05358044&measure=M36&year=2030"
    assert comps.href("05358", field=None) == "/werkzeugkoffer"


def test_render_view_cards_carry_sources_and_indicators(comps):
    origin, summary, notice, cards, rule, gap_fig, gap_tab, all_tab, cov_fig, cov_tab = comps.render_view(
        ags=NIDEGGEN, field=None, group="80+", status="aktiv", text=None, year=2030, scenario="basis",
        highlight="M36")
    assert notice is None
    expected = filter_measures(M.active_catalogue(), ags=NIDEGGEN, age_group="80+", status="aktiv").id
    assert [c.id for c in cards] == ["massnahme-" + i for i in expected]
    ids = [c.id for c in cards]
    m10 = _text(cards[ids.index("massnahme-M10")])     # Wohnberatung, 65+
    assert "80+ in Nideggen 2024 → 2030: +80 (+20,0\u202f%; 400 → 480)" in m10
    assert "65-79 in Nideggen 2024 → 2030: 0 (0,0\u202f%; 400 → 400)" in m10
    assert "https://" in m10 and "wk-source" in m10
    m36 = cards[ids.index("massnahme-M36")]             # Dorfladen Wollersheim, all ages
    assert "wk-highlight" in m36.className
    assert "Bevölkerung insgesamt in Nideggen 2024 → 2030" in _text(m36)
    assert summary.startswith(f"{len(cards)} Maßnahmen für Nideggen")
    assert "mitgeliefert" in origin[0]
    # every strongly growing synthetic group is answered by an active real measure: no gap
    assert "Keine Lücke" in _text(gap_tab)
    assert len(gap_fig.data) == 1 and len(cov_fig.data) == 1
    # Nideggen 80+ (+20 %) is reached only by district-wide senior services (no measure names
    # Nideggen for that age); Nideggen 0-2 is named by M53 (Kita)
    wide = _text(gap_tab.children[1])
    assert "Nideggen" in wide and "80+" in wide and "0-2" not in wide and "Titz" not in wide
    assert "nur kreisweit" in _text(all_tab) and "stark wachsend" in _text(all_tab)


def test_render_view_without_projection_says_so(comps, monkeypatch):
    monkeypatch.setattr(comps, "projected_age_groups", lambda scenario="basis": None)
    view = comps.render_view(ags="05358", field=M.FIELDS_OF_ACTION[0], group=None, status=None,
                             text=None, year=2030, scenario="basis")
    assert "nicht verfügbar" in _text(view[2])
    assert len(view[3]) == (M.shipped_catalogue().measures.field_of_action == M.FIELDS_OF_ACTION[0]).sum()
    assert "wk-indicator" not in _text(view[3][0])


def test_upload_callback_reports_all_problems_and_accepts_a_valid_workbook(comps, tmp_path):
    import openpyxl
    from dashboard.app.pages import werkzeugkoffer as page
    wb_path = M.write_workbook(M.shipped_catalogue(), tmp_path / "k.xlsx")
    wb = openpyxl.load_workbook(wb_path)
    wb["Massnahmen"]["C5"] = "Gesundheit"
    wb["Gemeinden"]["B3"] = "05358099"
    wb.save(wb_path)
    contents = "data:application/octet-stream;base64," + base64.b64encode(wb_path.read_bytes()).decode()
    result, rev = page._upload(contents, "k.xlsx", 0)
    text = _text(result)
    assert "wurde nicht übernommen" in text and "Gesundheit" in text and "05358099" in text
    assert result.role == "alert" and rev is page.dash.no_update
    assert not M.user_workbook_path(tmp_path).exists()
    good = M.write_workbook(M.shipped_catalogue(), tmp_path / "ok.xlsx")
    contents = "data:application/octet-stream;base64," + base64.b64encode(good.read_bytes()).decode()
    result, rev = page._upload(contents, "ok.xlsx", 3)
    assert "übernommen" in _text(result) and rev == 4
    assert M.active_catalogue().origin == "imported"
    result, rev = page._reset(1, 4)
    assert rev == 5 and M.active_catalogue().origin == "shipped"


def test_teaser_links_into_the_werkzeugkoffer(comps):
    box = comps.measures_teaser(NIDEGGEN)
    text = _text(box)
    assert "/werkzeugkoffer?ags=05358044&measure=M36" in text
    assert "Keine Lücke bis 2030" in text
