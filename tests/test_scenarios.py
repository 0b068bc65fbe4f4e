"""Scenario validation, presets, monotonicity, target seeking and the result contract."""

from __future__ import annotations

import re
import subprocess
import sys

import numpy as np
import pytest

from dashboard.constants import AGS_LIST, BASE_YEAR, KREIS_AGS, PLANNING_AGE_GROUPS
from dashboard.figures.labels import assumptions_de
from dashboard.projection import (
    PRESETS,
    ProjectionResult,
    Scenario,
    estimate_assumptions,
    project,
    solve_net_migration_for_target,
)
from dashboard.projection.assumptions import ASSUMPTION_COLUMNS
from dashboard.projection.lifetable import life_expectancy


def test_scenario_is_frozen_hashable_and_validated_in_german():
    s = Scenario("x", tfr=1.4)
    assert hash(s) == hash(Scenario("x", tfr=1.4)) and s == Scenario("x", tfr=1.4)
    with pytest.raises(AttributeError):
        s.tfr = 2.0  # type: ignore[misc]
    with pytest.raises(ValueError, match="Geburtenrate"):
        Scenario(tfr=7.0)
    with pytest.raises(ValueError, match="Zieljahr"):
        Scenario(horizon=2060)
    with pytest.raises(ValueError, match="Wanderungssaldo"):
        Scenario(net_migration=float("nan"))
    with pytest.raises(ValueError) as err:  # all problems at once
        Scenario(tfr=9.0, horizon=2000)
    assert "Geburtenrate" in str(err.value) and "Zieljahr" in str(err.value)


def test_presets_have_german_labels_and_expected_keys():
    assert set(PRESETS) == {
        "basis",
        "zuwanderung_niedrig",
        "zuwanderung_hoch",
        "geburten_niedrig",
        "geburten_hoch",
        "laengeres_leben",
        "itnrw",
    }
    labels = {s.label for s in PRESETS.values()}
    assert len(labels) == len(PRESETS) and "Basis" in labels
    tfr = estimate_assumptions().tfr
    assert PRESETS["geburten_niedrig"].tfr < tfr < PRESETS["geburten_hoch"].tfr


def test_project_is_memoised_and_frames_follow_contract():
    r = project()
    assert project(PRESETS["basis"]) is r and isinstance(r, ProjectionResult)
    p = r.population
    # the columns are those ProjectionResult's documentation names, in that order
    documented = re.search(r"population : ``([^`]+)``", ProjectionResult.__doc__).group(1)
    assert list(p.columns) == documented.split(", ")
    assert set(p.ags) == set(AGS_LIST) and p.year.min() == BASE_YEAR and p.year.max() == 2045
    assert len(p) == 15 * 2 * 101 * (2045 - BASE_YEAR + 1)
    assert not p[p.year == BASE_YEAR].projected.any() and p[p.year > BASE_YEAR].projected.all()
    assert (p.population >= 0).all()
    # base year equals the base population, Kreis rows equal the municipal sums
    base = estimate_assumptions().base.population
    assert p[p.year == BASE_YEAR].population.sum() == pytest.approx(base.sum())
    ind = r.indicators.set_index(["ags", "year"])
    muni_sum = p.groupby("year").population.sum()
    for y in (2024, 2030, 2045):
        assert ind.loc[(KREIS_AGS, y), "population"] == pytest.approx(muni_sum[y])
    assert {
        "median_age",
        "mean_age",
        "youth_dependency",
        "old_age_dependency",
        "share_65plus",
        "share_80plus",
        "n_65plus",
        "n_80plus",
        "estimated",
        "projected",
    } <= set(r.indicators.columns)
    assert r.indicators.share_65plus.between(0, 1).all()
    ag = r.age_groups
    assert list(ag.age_group.cat.categories) == list(PLANNING_AGE_GROUPS) and ag.age_group.cat.ordered
    tot = ag.groupby(["ags", "year"], observed=True).agg(
        population=("population", "sum"), share=("share", "sum")
    )
    np.testing.assert_allclose(tot.share, 1.0, rtol=1e-12)
    assert {"ags", "year", "sex", "births", "deaths", "net_migration"} <= set(r.components.columns)
    assert list(r.warnings.columns) == ["ags", "year", "sex", "age", "kind", "amount"]
    assert list(r.assumptions.columns) == list(ASSUMPTION_COLUMNS)


def test_model_tables_carry_codes_that_the_text_module_labels():
    """The model returns English codes; every code has a German label in dashboard.text."""
    from dashboard.text import ASSUMPTION_COMPONENTS, ASSUMPTION_PARAMETERS, UNITS, WARNING_KINDS

    a = project().assumptions
    assert set(a.component) <= set(ASSUMPTION_COMPONENTS)
    assert set(zip(a.component, a.parameter)) <= set(ASSUMPTION_PARAMETERS)
    assert set(a.unit) <= set(UNITS)
    assert set(a[a.component == "scenario"].parameter) == {"scenario", "tfr", "net_migration", "e0_gain"}
    assert set(project(PRESETS["zuwanderung_niedrig"]).warnings.kind) <= set(WARNING_KINDS)
    labelled = assumptions_de(a)
    row = labelled[(labelled.parameter == "municipal_excess") & (labelled.qualifier == "05358008")].iloc[0]
    assert row.parameter_de == "Wanderungsüberschuss Düren gegenüber Bevölkerungsanteil"
    row = labelled[(labelled.parameter == "mortality_level") & (labelled.qualifier == "female")].iloc[0]
    assert row.parameter_de == "Sterblichkeitsniveau Frauen (SMR gegenüber Deutschland)"
    assert row.unit_de == "Faktor" and row.component_de == "Sterblichkeit"


def test_indicators_match_hand_computation_for_one_municipality():
    r = project()
    p = r.population
    d = p[(p.ags == "05358012") & (p.year == 2030)].groupby("age").population.sum()
    row = r.indicators[(r.indicators.ags == "05358012") & (r.indicators.year == 2030)].iloc[0]
    assert row.old_age_dependency == pytest.approx(100 * d.loc[65:].sum() / d.loc[20:64].sum())
    assert row.youth_dependency == pytest.approx(100 * d.loc[:19].sum() / d.loc[20:64].sum())
    cum = d.cumsum()
    a = int((cum < d.sum() / 2).sum())
    assert a <= row.median_age < a + 1


def test_more_migration_means_more_people_everywhere():
    lo = project(Scenario("a", net_migration=0.0, horizon=2035)).indicators
    hi = project(Scenario("b", net_migration=3000.0, horizon=2035)).indicators
    m = lo.merge(hi, on=["ags", "year"], suffixes=("_lo", "_hi"))
    m = m[m.year > BASE_YEAR]
    assert (m.population_hi > m.population_lo).all()
    assert (
        project(PRESETS["zuwanderung_hoch"]).kreis_total(2045)
        > project().kreis_total(2045)
        > project(PRESETS["zuwanderung_niedrig"]).kreis_total(2045)
    )


def test_fertility_and_longevity_scenarios_move_the_right_components():
    base, hi, lo = project(), project(PRESETS["geburten_hoch"]), project(PRESETS["geburten_niedrig"])
    births = lambda r: r.components[r.components.ags == KREIS_AGS].births.sum()  # noqa: E731
    assert births(hi) > births(base) > births(lo)
    longer = project(PRESETS["laengeres_leben"])
    deaths = lambda r: r.components[r.components.ags == KREIS_AGS].deaths.sum()  # noqa: E731
    assert deaths(longer) < deaths(base)
    # the life expectancy reached in the horizon year is the estimated one + e0_gain
    from dashboard.projection.engine import scenario_rates

    a = estimate_assumptions()
    q = scenario_rates(PRESETS["laengeres_leben"], a)["qx"][-1]
    # Basis improvement path to the horizon plus the scenario's extra 2 years
    h = PRESETS["laengeres_leben"].horizon
    basis_e0 = a.e0 + np.asarray(a.e0_gain_per_year) * (h - a.mortality_year)
    np.testing.assert_allclose(life_expectancy(q, female=np.array([True, False])), basis_e0 + 2.0, atol=1e-3)
    q0 = scenario_rates(PRESETS["basis"], a)["qx"][-1]
    np.testing.assert_allclose(life_expectancy(q0, female=np.array([True, False])), basis_e0, atol=1e-3)


@pytest.mark.parametrize("target,year", [(300_000, 2030), (290_000, 2040)])
def test_target_seeking_hits_target_within_one_person(target, year):
    n = solve_net_migration_for_target(target, year)
    got = project(Scenario("ziel", net_migration=n, horizon=year)).kreis_total(year)
    assert abs(got - target) < 1.0


def test_target_out_of_reach_raises_german_error():
    with pytest.raises(ValueError, match="nicht erreichbar"):
        solve_net_migration_for_target(2_000_000, 2026)


def test_estimated_flag_flows_into_results():
    a = estimate_assumptions()
    r = project()
    est_muni = np.asarray(a.base.estimated).reshape(15, -1).any(axis=1)
    got = (
        r.indicators[(r.indicators.ags != KREIS_AGS) & (r.indicators.year == 2030)].set_index("ags").estimated
    )
    assert list(got.loc[list(AGS_LIST)]) == list(est_muni)


def test_projection_package_imports_without_dash_plotly_statsmodels():
    code = (
        "import sys, dashboard.projection; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('dash', 'plotly', 'statsmodels')]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_cache_is_keyed_on_the_data_version(monkeypatch):
    import dashboard.projection.engine as engine

    first = project()
    monkeypatch.setattr(engine, "data_version", lambda: ("synthetic-token-for-test",))
    assert project() is not first  # a new data version triggers a new run
    assert project() is project()


def test_callers_cannot_corrupt_the_cached_result():
    r = project()
    before = r.population.population.sum()
    df = r.population
    df.loc[df.index[0], "population"] = -1e9
    df["extra"] = 1
    ind = r.indicators
    ind.loc[:, "population"] = 0.0
    assert r.population.population.sum() == before and "extra" not in r.population.columns
    assert r.indicators.population.sum() > 0
    with pytest.raises(ValueError):
        r.arrays["population"][0, 0, 0, 0] = 1.0


def test_itnrw_preset_follows_the_official_kreis_path():
    """The preset's net migration makes the Basis model grow like IT.NRW's 2021–2050 projection (+1.4 %)."""

    from dashboard.data.embedded import projections_from_pages

    p = projections_from_pages()
    row = p[(p.ags == KREIS_AGS) & (p.measure == "population_change_pct") & (p.target_year == "2050")].iloc[0]
    assert row.vintage_base_year == "2021"
    annual = (1 + float(row.value) / 100) ** (1 / (2050 - 2021))
    r = project(PRESETS["itnrw"])
    base = r.kreis_total(2024)
    for year in (2030, 2045):
        target = base * annual ** (year - 2024)
        # within 0.3 % (≈ 60 persons a year of migration); if the model's rates change, re-solve
        # the preset with solve_net_migration_for_target(target_2045, 2045)
        assert r.kreis_total(year) == pytest.approx(target, rel=3e-3), "re-solve PRESETS['itnrw']"
    # and it is below the Basis (whose migration is higher)
    assert r.kreis_total(2045) < project().kreis_total(2045)
