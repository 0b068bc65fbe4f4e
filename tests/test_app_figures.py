"""Figure builders and summary tables (pure functions, no server).

Frames are built from the real model where it matters (``project``); a few small frames
below are SYNTHETIC test fixtures (named ``synthetic_*``) to check drawing rules exactly.
"""

from __future__ import annotations

import pandas as pd
import pytest

from dashboard.constants import AGS_LIST, BASE_YEAR, KREIS_AGS
from dashboard.data import municipal_boundaries
from dashboard.figures import labels, maps, pyramid, scenarios, summary, tables, trends


def test_sex_colours_are_not_pink_or_blue():
    assert labels.SEX_COLORS == {"female": "#E69F00", "male": "#009E73"}
    assert labels.style(trends.go.Figure()).layout.separators == ",."  # text.PLOTLY_SEPARATORS


def synthetic_history() -> pd.DataFrame:
    """SYNTHETIC: two bases for one municipality, one estimated point."""
    return pd.DataFrame(
        {
            "ags": "05358004",
            "reference_date": pd.to_datetime(["2009-12-31", "2013-12-31", "2023-12-31"]),
            "population": [100, 90, 95],
            "basis": ["VZ 1987", "Zensus 2011", "Zensus 2022"],
            "estimated": [False, False, True],
        }
    )


def test_history_marks_breaks_and_estimates():
    fig = trends.history_figure(
        synthetic_history(),
        ags="05358004",
        breaks=[("2011-05-09", "Zensus 2011"), ("2022-05-15", "Zensus 2022")],
    )
    assert len(fig.data) == 3  # one line per basis, never joined across a break
    assert [s.x0 for s in fig.layout.shapes] == [pd.Timestamp("2011-05-09"), pd.Timestamp("2022-05-15")]
    assert any("Zensus 2022" in a.text for a in fig.layout.annotations)
    assert fig.data[2].marker.symbol == ("circle-open",)  # estimated point drawn open
    assert "geschätzt" in fig.data[2].customdata[0][1]


def test_map_has_one_polygon_per_municipality_with_value_table():
    vals = pd.DataFrame({"ags": list(AGS_LIST), "value": [i / 100 for i in range(15)]})
    fig = maps.choropleth(vals, municipal_boundaries(), title="t", kind="pct")
    polys = [t for t in fig.data if t.fill == "toself"]
    assert len(polys) == 15
    t = tables.figure_table(fig)
    assert len(t) == 15 and t.y.tolist() == vals.value.tolist()


@pytest.fixture(scope="module")
def basis():
    from dashboard.projection import PRESETS, project

    return project(PRESETS["basis"])


def test_pyramid_projected_bars_hatched_and_shares_sum_to_100(basis):
    pop = basis.population
    fig = pyramid.pyramid_figure(pop, ags="05358044", year=2035, comparison=pop)
    bars = [t for t in fig.data if t.type == "bar"]
    assert {b.marker.pattern.shape for b in bars} == {"/"}  # 2035 is projected
    assert sum(abs(v) for b in bars for v in b.x) == pytest.approx(
        100, abs=202 * 0.5e-5
    )  # rounded to 5 places
    assert len(fig.frames) == 2045 - BASE_YEAR + 1
    base_frame = fig.to_dict()["frames"][0]
    assert base_frame["name"] == str(BASE_YEAR)
    bars0 = [t for t in base_frame["data"] if t["type"] == "bar"]
    assert {t["marker"]["pattern"]["shape"] for t in bars0} == {"."}  # estimated base year
    assert all("geschätzt" in t["name"] for t in bars0)
    tab = pyramid.pyramid_table(pop, ags="05358044", year=2035)
    got = pop[(pop.ags == "05358044") & (pop.year == 2035)].population.sum()
    assert tab.total.sum() == pytest.approx(got) and tab.share.sum() == pytest.approx(1)


def test_scenario_figure_draws_basis_first_and_thick(basis):
    from dashboard.projection import PRESETS, project

    res = {"Basis": basis.indicators, "Hoch": project(PRESETS["zuwanderung_hoch"]).indicators}
    fig = scenarios.scenario_figure(res, ags=KREIS_AGS, indicator="population")
    assert [t.name for t in fig.data] == ["Basis", "Hoch"]
    assert fig.data[0].line.width > fig.data[1].line.width
    assert fig.data[1].y[-1] > fig.data[0].y[-1]  # more migration, more people in 2045


def test_summary_tables_agree_with_indicators(basis):
    ind = basis.indicators
    t = summary.region_table(ind, "population")
    assert t.ags.tolist() == [KREIS_AGS] + list(AGS_LIST)
    k = ind[(ind.ags == KREIS_AGS)].set_index("year").population
    assert t.loc[0, "change_2030"] == pytest.approx(k[2030] / k[BASE_YEAR] - 1)
    ch = summary.indicator_at(ind, labels.CHANGE_KEY, 2030)
    assert ch.set_index("ags").value[KREIS_AGS] == pytest.approx(t.loc[0, "change_2030"])
    kn = summary.key_numbers(ind, "05358012")
    assert kn.set_index("indicator").loc["share_80plus", "2045"] == pytest.approx(
        ind[(ind.ags == "05358012") & (ind.year == 2045)].share_80plus.iloc[0]
    )


def test_age_group_change_bars_equal_differences(basis):
    fig = trends.age_group_change_figure(basis.age_groups, ags="05358008", year=2030)
    ag = basis.age_groups[basis.age_groups.ags == "05358008"].pivot(
        index="age_group", columns="year", values="population"
    )
    assert list(fig.data[0].x) == pytest.approx(list((ag[2030] - ag[BASE_YEAR]).to_numpy()))


def test_figure_table_reads_every_named_trace(basis):
    fig = trends.indicator_trend(basis.indicators, ags="05358008", indicator="share_65plus")
    t = tables.figure_table(fig)
    assert set(t.Reihe) == {tr.name for tr in fig.data}
    assert len(t) == sum(len(tr.x) for tr in fig.data)


def test_every_builder_output_passes_plotly_validation(basis):
    """Builders skip validation for speed; the validating constructor must accept them."""
    import plotly.graph_objects as go

    pop, ind = basis.population, basis.indicators
    figs = [
        trends.history_figure(synthetic_history(), ags="05358004", breaks=[("2011-05-09", "Zensus 2011")]),
        trends.indicator_trend(ind, ags="05358008", indicator="median_age"),
        trends.small_multiples(ind, indicator="population", index_to_base=True),
        trends.age_groups_figure(basis.age_groups, ags="05358008"),
        trends.components_figure(basis.components, ags=KREIS_AGS),
        trends.age_group_change_figure(basis.age_groups, ags="05358008", year=2030),
        pyramid.pyramid_figure(pop, ags="05358012", year=2030, comparison=pop),
        scenarios.scenario_figure({"Basis": ind}, ags=KREIS_AGS),
        maps.choropleth(
            pd.DataFrame({"ags": list(AGS_LIST), "value": range(15)}),
            municipal_boundaries(),
            title="t",
            kind="int",
        ),
    ]
    for fig in figs:
        go.Figure(fig.to_dict())  # raises ValueError on any invalid property


def test_small_multiples_share_one_y_range(basis):
    fig = trends.small_multiples(basis.indicators, indicator="share_80plus")
    assert len(fig.data) == 16 and fig.layout.yaxis16.matches == "y"
    lo, hi = fig.layout.yaxis.range
    assert all(lo <= v <= hi for tr in fig.data for v in tr.y)


def test_pyramid_at_year_equals_pyramid_built_for_that_year(basis):
    pop = basis.population
    anim = pyramid.pyramid_figure(pop, ags="05358020", year=BASE_YEAR, comparison=pop).to_dict()
    direct = pyramid.pyramid_figure(pop, ags="05358020", year=2040, comparison=pop).to_dict()
    shown = pyramid.at_year(anim, 2040)
    assert shown["layout"]["title"]["text"] == direct["layout"]["title"]["text"]
    assert (
        shown["layout"]["sliders"][0]["active"]
        == direct["layout"]["sliders"][0]["active"]
        == 2040 - BASE_YEAR
    )
    assert [t["x"] for t in shown["data"]] == [t["x"] for t in direct["data"]]
    # the app's pyramid: no Plotly controls in the chart, no frames sent to the browser
    app_anim = pyramid.pyramid_figure(pop, ags="05358020", year=BASE_YEAR, comparison=pop, controls=False)
    app_shown = pyramid.at_year(app_anim.to_dict(), 2040)
    assert "frames" not in app_shown and not app_shown["layout"].get("updatemenus")
    assert not app_shown["layout"].get("sliders")
    assert app_shown["layout"]["title"]["text"] == direct["layout"]["title"]["text"]
    assert [t["x"] for t in app_shown["data"]] == [t["x"] for t in direct["data"]]
