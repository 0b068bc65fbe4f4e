"""Pages of issue 17 without a browser: German dropdown texts everywhere, /gemeinde's Kreis,
the axis range rule."""

from __future__ import annotations

import dash
import pytest
from dash import dcc

from dashboard.app._components import walk
from dashboard.text import DROPDOWN_LABELS


@pytest.fixture(scope="module")
def ctx():
    from dashboard.app import server

    with server.app_context(), server.test_request_context("/"):
        yield


def test_every_dropdown_speaks_german(ctx):
    """No "Search" / "No options found" inside any dropdown of any page."""
    seen = 0
    for page in dash.page_registry.values():
        for c in walk(page["layout"]()):
            if isinstance(c, dcc.Dropdown):
                assert c.labels == DROPDOWN_LABELS, (page["path"], c.id)
                assert getattr(c, "placeholder", None), (page["path"], c.id)
                seen += 1
    assert seen >= 8


def test_gemeinde_accepts_the_kreis_in_its_link(ctx):
    page = next(p for p in dash.page_registry.values() if p["path"] == "/gemeinde")
    text = str(page["layout"](ags="05358"))
    assert "link-problems" not in text  # no "invalid link" notice: the Kreis is a valid choice
    assert "H1(children='Kreis Düren'" in text or "children='Kreis Düren', id='gm-title'" in text
    bad = str(page["layout"](ags="12345"))
    assert "link-problems" in bad and "12345" in bad  # unknown keys are named, never silently swapped


def test_value_axis_never_magnifies_a_flat_line():
    """Heimbach's population 4.518–4.535 spans at least 10 % of its size on the axis."""
    from dashboard.figures.trends import value_range

    lo, hi = value_range([4535, 4518, 4521, 4530], "int")
    assert hi - lo >= 0.1 * 4535 - 1e-9 and lo < 4518 and hi > 4535
    lo, hi = value_range([0.221, 0.229], "pct")
    assert hi - lo == pytest.approx(0.05)
    lo, hi = value_range([100, 30_000], "int")  # a wide range keeps its own span (+5 % padding)
    assert lo == pytest.approx(100 - 0.05 * 29_900) and hi == pytest.approx(30_000 + 0.05 * 29_900)


def test_scenario_chart_of_a_flat_municipality_uses_the_rule(ctx):
    from dashboard.app import _model
    from dashboard.app.pages import szenarien

    d = _model.basis_defaults()
    fig, *_ = szenarien.on_change("05358012", "population", [], d["tfr"], 0, d["net_migration"], None, None)
    lo, hi = fig.layout.yaxis.range
    ys = [v for t in fig.data for v in t.y]
    assert hi - lo >= 0.1 * max(ys) - 1e-6


@pytest.mark.parametrize("ags", ["05358012", "05358"])
def test_brief_headline_sentence_is_made_of_the_brief_numbers(ctx, ags):
    """Issue 17.10: the headline sentence names the region, the 2030 population of the numbers
    table, a trend word that fits the change, and the changes of two planning age groups whose
    counts are the model's."""
    from dashboard.app import _model
    from dashboard.app.pages import kurzbericht
    from dashboard.figures.labels import region_name
    from dashboard.text import GROUP_PHRASES, fmt_int, fmt_signed_pct

    spec = _model.ScenarioSpec("zuwanderung_niedrig")
    r = _model.result(spec)
    pop = r.indicators[r.indicators.ags == ags].set_index("year").population
    base = int(r.indicators.year.min())
    sentence = kurzbericht.headline(ags, spec).children
    assert sentence.startswith(region_name(ags))
    assert f"{fmt_int(pop[base])} → {fmt_int(pop[2030])}" in sentence
    change = pop[2030] / pop[base] - 1
    word = "kaum" if abs(change) < 0.01 else ("wächst" if change > 0 else "schrumpft")
    assert word in sentence and fmt_signed_pct(change) in sentence
    ag = r.age_groups[(r.age_groups.ags == ags) & r.age_groups.year.isin([base, 2030])]
    p = ag.assign(age_group=ag.age_group.astype(str)).pivot(
        index="age_group", columns="year", values="population"
    )
    named = [g for g, phrase in GROUP_PHRASES.items() if phrase in sentence]
    assert len(named) == 2
    for g in named:
        d = p.loc[g, 2030] - p.loc[g, base]
        assert f"{'steigt' if d > 0 else 'sinkt'} um {fmt_int(abs(d))}" in sentence
    # on the brief page itself, before the numbers table
    page = str(kurzbericht.layout(ags=ags, szenario="zuwanderung_niedrig"))
    assert page.index("kb-headline") < page.index("kb-numbers")
