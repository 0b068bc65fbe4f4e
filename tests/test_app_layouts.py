"""Layouts and callbacks called directly (no server): German headings, URL state, thin
callbacks return figures that match the model."""

from __future__ import annotations

import base64

import pytest
from dash import html

from dashboard.app import _model, _nav
from dashboard.app.pages import gemeinde, kurzbericht, methodik, szenarien, uebersicht
from dashboard.constants import KREIS_AGS
from tests._accounts import signed_in


def walk(component):
    """Every component in a layout tree."""
    yield component
    kids = getattr(component, "children", None)
    if kids is None:
        return
    for k in kids if isinstance(kids, (list, tuple)) else [kids]:
        if hasattr(k, "to_plotly_json"):
            yield from walk(k)


def find(layout, cid):
    hits = [c for c in walk(layout) if getattr(c, "id", None) == cid]
    assert hits, f"no component {cid!r}"
    return hits[0]


def texts(layout, tag) -> list[str]:
    return [str(c.children) for c in walk(layout) if isinstance(c, tag)]


def test_parse_url_values_never_clip_and_fall_back():
    assert _model.parse_ags("05358044") == "05358044"
    assert _model.parse_ags("99999999") == KREIS_AGS
    assert _model.parse_ags(KREIS_AGS, allow_kreis=False, default="05358008") == "05358008"
    assert _model.parse_float("1,5", 0.8, 2.4) == 1.5
    assert _model.parse_float("9", 0.8, 2.4) is None  # out of range: rejected, not clipped
    spec = _model.parse_scenario(None, "1.6", None, "2500")
    assert spec == _model.ScenarioSpec("eigenes", 1.6, None, 2500.0)
    assert _model.parse_scenario("zuwanderung_hoch").key == "zuwanderung_hoch"
    assert _model.parse_scenario("gibtsnicht").key == "basis"
    assert spec.query() == {"szenario": "eigenes", "tfr": "1.6", "wanderung": "2500"}


def test_nav_links_carry_selection():
    sel = {"ags": "05358044", "szenario": "eigenes", "tfr": "1.6"}
    # /gemeinde shows the chosen scenario too (issue 17.4) and offers the Kreis
    assert _nav.nav_href("/gemeinde", sel) == "/gemeinde?ags=05358044&szenario=eigenes&tfr=1.6"
    assert _nav.nav_href("/gemeinde", {"ags": "05358"}) == "/gemeinde?ags=05358"
    assert _nav.nav_href("/kurzbericht", sel) == "/kurzbericht?ags=05358044&szenario=eigenes&tfr=1.6"
    assert _nav.nav_href("/methodik", sel) == "/methodik"


def test_overview_layout_and_indicator_callback():
    lay = uebersicht.layout(kennzahl="share_80plus", jahr="2045")
    assert texts(lay, html.H1)[0].startswith("Übersicht: Kreis Düren")
    assert find(lay, "ue-kennzahl").value == "share_80plus"
    assert "Datenstand" in " ".join(texts(lay, html.P))
    fig, table, box, multiples, mtable, query = uebersicht.on_indicator("change", 2030)
    assert query == {"kennzahl": "change", "jahr": "2030"}
    polys = [t for t in fig.data if t.fill == "toself"]
    ind = _model.result(_model.ScenarioSpec()).indicators.set_index(["ags", "year"]).population
    nid = next(t for t in polys if t.name == "Nideggen (Stadt)").customdata[0][1]
    assert nid == pytest.approx(ind["05358044", 2030] / ind["05358044", 2024] - 1)
    assert len(multiples.data) == 16


def test_gemeinde_layout_and_callbacks():
    lay = gemeinde.layout(ags="05358012", jahr="2040")
    assert texts(lay, html.H1) == ["Gemeinde: Heimbach (Stadt)"]
    assert find(lay, "gm-jahr").value == 2040
    assert "2040" in find(lay, "gm-pyramid").figure["layout"]["title"]["text"]
    title, hist, htab, groups, gtab, comp, ctab, sel = gemeinde.on_region("05358044")
    assert title == "Gemeinde: Nideggen (Stadt)" and sel == {
        "ags": "05358044",
        **_model.ScenarioSpec().selection(),
    }
    assert sel["szenario"] == "basis" and sel["tfr"] is None  # an earlier own value is forgotten
    assert any(s.x0 is not None for s in hist.layout.shapes)  # census breaks drawn
    pyr, ptab, query = gemeinde.on_pyramid("05358044", 2030)
    assert query == {"ags": "05358044", "jahr": "2030", "szenario": "basis"}
    assert "vorausberechnet" in pyr["layout"]["title"]["text"]
    assert "2030" in pyr["layout"]["title"]["text"]
    # play/pause are Dash controls outside the chart (issue 17.8): no Plotly buttons, no frames
    assert "frames" not in pyr and not pyr["layout"].get("updatemenus") and not pyr["layout"].get("sliders")
    assert find(lay, "gm-play").children == "▶ Abspielen"
    # issue 11: the page says what is official (2024 totals) and what is estimated (structure)
    page = str(lay)
    assert "amtlich (IT.NRW 12411-15i)" in page and "Altersaufbau: geschätzt" in page
    assert "Zensus 2022" in page


def test_scenario_callback_moves_headline_with_migration():
    d = _model.basis_defaults()
    low = szenarien.on_change(KREIS_AGS, "population", [], d["tfr"], 0, 0, None, None)
    high = szenarien.on_change(KREIS_AGS, "population", ["zuwanderung_hoch"], d["tfr"], 0, 4000, None, None)
    to_int = lambda s: int(s.replace(".", ""))  # noqa: E731
    assert to_int(high[2]) > to_int(low[2])
    assert high[4]["wanderung"] == "4000" and high[4]["vergleich"] == "zuwanderung_hoch"
    assert [t.name for t in high[0].data][0] == "Basis" and "Eigenes Szenario" in [
        t.name for t in high[0].data
    ]
    lay = szenarien.layout(ags="05358008", tfr="1.6", wanderung="3000", vergleich="geburten_hoch")
    assert find(lay, "sz-tfr").value == 1.6 and find(lay, "sz-wanderung").value == 3000
    assert find(lay, "sz-vergleich").value == ["geburten_hoch"]


def test_target_seeking_reaches_target():
    from dashboard.projection import project
    from dashboard.text import fmt_signed_int

    msg, value = _model.solve_target(285000, 2035, _model.ScenarioSpec("eigenes"))
    assert "Wanderungssaldo" in msg and value is not None
    # the control is set to exactly the value the message names (whole persons per year)
    assert value == round(value) and f"auf {fmt_signed_int(value)} gesetzt" in msg
    spec = _model.ScenarioSpec("eigenes", None, None, value)
    k = project(_model.to_scenario(spec)).kreis_total(2035)
    assert k == pytest.approx(285000, abs=15)  # value rounded to whole persons per year
    assert _model.solve_target("abc", 2035, _model.ScenarioSpec())[1] is None
    assert _model.solve_target("285.000", 2035, _model.ScenarioSpec("eigenes")) == (msg, value)  # German


def test_brief_layout_and_callback():
    lay = kurzbericht.layout(ags="05358012", szenario="geburten_hoch")
    assert "Kurzbericht: Heimbach (Stadt)" in texts(lay, html.H1)
    assert find(lay, "kb-szenario").value == "geburten_hoch"
    assert find(lay, "kb-pdf").href == "/download/kurzbericht.pdf?ags=05358012&szenario=geburten_hoch"
    article, query, sel, pdf = kurzbericht.on_change("05358044", "basis", {"szenario": "basis"})
    assert query == {"ags": "05358044", "szenario": "basis"}
    assert pdf == "/download/kurzbericht.pdf?ags=05358044&szenario=basis"
    assert "Kurzbericht: Nideggen (Stadt)" in texts(html.Div(article), html.H1)


def test_methodik_layout_and_upload_errors(fresh_store):
    from dashboard.app import _admin

    lay = methodik.layout()
    h2 = texts(lay, html.H2)
    for heading in ("Quellen und Lizenzen", "Zensus-Brüche", "Downloads", "Eigene Daten hochladen"):
        assert heading in h2
    page = str(lay)  # issue 11: official 2024 totals and Kreis single ages, estimated structure
    for needle in ("12411-15i", "12411-09i", "Regionaltabelle Demografie", "Jahrgang für Jahrgang"):
        assert needle in page, needle
    brk = methodik.census_break_table()
    assert set(brk.region) >= {"Kreis Düren", "Heimbach (Stadt)"}
    bad = "data:text/csv;base64," + base64.b64encode(b"kein;GENESIS\n1;2\n").decode()
    # anonymous: asked to sign in, nothing stored
    from dashboard.app import server

    with server.test_request_context("/"):
        out = str(_admin.upload_table(bad, "falsch.csv", page_path="/methodik"))
    assert "Bitte melden Sie sich an, um Daten hochzuladen." in out
    assert fresh_store.versions("tables") == []
    with signed_in("planung"):
        out = str(_admin.upload_table(bad, "falsch.csv", page_path="/methodik"))
        assert "nicht übernommen" in out and "mt-problems" in out  # problems listed in a table
        out = str(_admin.upload_table("data:text/csv;base64,@@@", "x.csv", page_path="/methodik"))
        assert "konnte nicht gelesen" in out
    assert fresh_store.versions("tables") == []


def test_methodik_accuracy_section_shows_the_computed_tables():
    """Official vs estimated, backtest criteria, age dynamics, Basis vs IT.NRW: numbers from the tables."""
    from dashboard.text import fmt_pct, fmt_signed_pct

    lay = methodik.layout()
    h2 = texts(lay, html.H2)
    for heading in (
        "Was ist amtlich, was geschätzt?",
        "Rückrechnung: Wie genau wäre das Modell gewesen?",
        "Basis und amtliche Vorausberechnung",
    ):
        assert heading in h2
    t = _model.accuracy_tables()
    crit = t["criteria"].set_index("case")
    result = find(lay, "mt-accuracy-result").children
    assert (
        fmt_pct(crit.loc["mean", "model"], 2) in result
        and fmt_pct(crit.loc["mean", "best_naive"], 2) in result
    )
    crit_table = str(find(lay, "mt-criteria"))
    for case in crit.index.drop("mean"):
        assert case in crit_table and fmt_pct(crit.loc[case, "model"], 2) in crit_table
    assert "Modell" in str(find(lay, "mt-agedynamics"))
    oc = _model.official_comparison().set_index("variant")
    official = str(find(lay, "mt-official"))
    assert (
        fmt_signed_pct(oc.loc["basis", "change_2045"], 1) in official
        and "Amtlicher Pfad (IT.NRW)" in official
    )
    few = find(lay, "mt-few-cases").children
    assert "3 Basisjahren" in few
    assert "Zeitabstand" in str(find(lay, "mt-coverage-horizon"))


def test_methodik_upload_of_real_genesis_export_becomes_a_draft(fresh_store):
    from pathlib import Path

    from dashboard.app import _admin

    f = Path(__file__).parent / "data" / "12411-02-03-4_kreis_dueren_2021-2024_de_flat.csv"
    contents = "data:text/csv;base64," + base64.b64encode(f.read_bytes()).decode()
    with signed_in("planung") as user:
        out = str(_admin.upload_table(contents, f.name, page_path="/methodik"))
    assert "als Entwurf" in out and "12411-02-03-4" in out
    assert "nicht verwendet" in out  # a Kreis table: never called "verwendbar"
    (v,) = fresh_store.versions("tables")
    assert (v.status, v.created_by) == ("draft", user.name)
    assert fresh_store.data_version()["tables"] == 0  # nothing public changed


def test_brief_change_column_uses_points_for_shares():
    assert kurzbericht.change_text(100, 110, "int") == "+10,0 %"
    assert kurzbericht.change_text(0.2, 0.215, "pct") == "+1,5 Prozentpunkte"
    assert kurzbericht.change_text(45.0, 44.2, "dec1") == "−0,8"


def test_untouched_sliders_mean_exact_basis():
    d = _model.basis_defaults()
    assert szenarien.own_spec(d["tfr"], d["e0_gain"], d["net_migration"]) == _model.ScenarioSpec("eigenes")
    out = szenarien.on_change(
        KREIS_AGS, "population", [], d["tfr"], d["e0_gain"], d["net_migration"], None, None
    )
    assert out[3] == "±0 gegenüber Basis"


def test_brief_for_the_kreis_sums_the_municipal_pyramid():
    """The Kreis brief (ags 05358) used to crash: the model's population table has no Kreis rows."""
    from dashboard.app import _model
    from dashboard.app.pages import kurzbericht

    figs = kurzbericht.figures("05358", _model.ScenarioSpec())
    bars = [t for t in figs["pyramid"].data if t.type == "bar"]
    res = _model.result(_model.ScenarioSpec())
    p = res.population
    total_2045 = p[p.year == 2045].population.sum()
    drawn = sum(float(abs(b.customdata).sum()) for b in bars)
    assert abs(drawn - total_2045) < 1.0 + 0.5 * 2 * 101  # customdata is rounded per cell
