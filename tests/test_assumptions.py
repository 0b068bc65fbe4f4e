"""Assumptions: GLM fits reproduce the official events, graduation keeps group totals, documentation complete."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.constants import AGE_GROUPS_17, FERTILE_AGES, N_AGES, SEXES
from dashboard.data import kreis_age_groups, vital_events
from dashboard.projection import estimate_assumptions
from dashboard.projection.assumptions import (
    ASSUMPTION_COLUMNS,
    BASIS_YEARS,
    MIGRATION_GROUPS,
    MIGRATION_LOWER_BOUNDS,
    _exposures,
    fertility_schedule,
)
from dashboard.projection.base import _germany_qx, kreis_single_age
from dashboard.projection.graduation import graduate_by_exposure
from dashboard.projection.lifetable import life_expectancy, qx_to_mx


@pytest.fixture(scope="module")
def a():
    return estimate_assumptions()


def _events(event, sex="total", age_group="total"):
    v = vital_events()
    return v[(v.event == event) & (v.sex == sex) & (v.age_group == age_group)].set_index("year").value


def test_graduation_reproduces_official_groups_and_is_non_negative():
    k = kreis_age_groups()
    for year in (2015, 2024):
        single = kreis_single_age(year)
        assert single.shape == (2, N_AGES) and (single >= 0).all()
        for si, sex in enumerate(SEXES):
            g = k[(k.year == year) & (k.sex == sex)].set_index("age_group").population
            for label, (lo, hi) in AGE_GROUPS_17.items():
                assert single[si, lo : hi + 1].sum() == pytest.approx(g[label], rel=1e-12)


def test_graduation_functions_on_a_synthetic_example():
    # synthetic: 2 groups [0,50), 50+ (open to 100), flat exposure
    e = np.full(N_AGES, 10.0)
    m = graduate_by_exposure(np.array([5.0, 40.0]), e, [0, 50])
    assert m[:50].sum() == pytest.approx(5) and m[50:].sum() == pytest.approx(40) and (m >= 0).all()


def test_fertility_level_reproduces_births(a):
    phi = fertility_schedule()
    assert (
        phi.sum() == pytest.approx(1.0)
        and phi[: FERTILE_AGES.start].sum() == 0
        and phi[FERTILE_AGES.stop :].sum() == 0
    )
    b = _events("births")
    exp = _exposures(range(2020, 2025))
    for y, tfr in a.tfr_by_year.items():  # saturated year model: exact fit
        assert tfr * (exp[y][0] * phi).sum() == pytest.approx(b[y], rel=1e-6)
    fitted = sum(a.tfr * (exp[y][0] * phi).sum() for y in BASIS_YEARS)
    assert fitted == pytest.approx(
        sum(b[y] for y in BASIS_YEARS), rel=1e-6
    )  # Poisson GLM: Σ fitted = Σ observed
    np.testing.assert_allclose(a.fertility_shape * a.tfr / a.tfr, phi)


def test_mortality_level_reproduces_deaths_by_sex(a):
    m_de = qx_to_mx(_germany_qx())
    exp = _exposures(BASIS_YEARS)
    for si, sex in enumerate(SEXES):
        d = _events("deaths", sex)
        expected = sum((exp[y][si] * m_de[si]).sum() for y in BASIS_YEARS)
        assert a.mortality_level[si] * expected == pytest.approx(sum(d[y] for y in BASIS_YEARS), rel=1e-6)
    np.testing.assert_allclose(life_expectancy(a.qx, female=np.array([True, False])), a.e0)
    assert 75 < a.e0[1] < a.e0[0] < 90


def test_sex_ratio_at_birth(a):
    assert a.sex_ratio_at_birth == pytest.approx(
        _events("births", "male").sum() / _events("births", "female").sum()
    )


def test_migration_schedules_reproduce_the_official_flows(a):
    assert (
        a.in_migration_distribution.sum() == pytest.approx(1.0) and (a.in_migration_distribution >= 0).all()
    )
    exposure = sum(_exposures(range(2020, 2025)).values())
    out_counts = a.out_migration_rate * exposure
    bounds = list(MIGRATION_LOWER_BOUNDS) + [N_AGES]
    v = vital_events()
    for si, sex in enumerate(SEXES):
        for g, label in enumerate(MIGRATION_GROUPS):
            obs = v[(v.event == "out_migration") & (v.sex == sex) & (v.age_group == label)].value.sum()
            assert out_counts[si, bounds[g] : bounds[g + 1]].sum() == pytest.approx(obs, rel=1e-9)
    nets = [a.net_migration_by_year[y] for y in range(2020, 2025)]
    assert a.net_migration_recent == np.median(nets)
    # the Basis is the equal-weight composite of the recent level and the constant-population level
    from dashboard.projection.assumptions import KREIS_COMPOSITE_WEIGHT

    w = KREIS_COMPOSITE_WEIGHT
    assert a.net_migration == pytest.approx(w * a.net_migration_recent + (1 - w) * a.net_migration_constant)
    assert a.net_migration_by_year[2022] == _events("in_migration")[2022] - _events("out_migration")[2022]


def test_municipal_excess_sums_to_zero(a):
    assert a.municipal_excess.shape == (15,) and abs(a.municipal_excess.sum()) < 1e-6


def test_every_assumption_is_documented(a):
    t = a.table
    assert list(t.columns) == list(ASSUMPTION_COLUMNS)
    assert {"mortality", "fertility", "migration", "base_population"} <= set(t.component)
    for col in ("parameter", "unit", "source", "period", "method", "fit"):
        assert (t[col].astype(str).str.len() > 0).all(), col
    assert np.isfinite(t.value).all()
    tfr_row = t[(t.component == "fertility") & (t.parameter == "tfr")].iloc[0]
    assert tfr_row.value == pytest.approx(a.tfr) and "NRW" in tfr_row.fit


def test_arrays_are_read_only(a):
    with pytest.raises(ValueError):
        a.qx[0, 0] = 0.5


def test_method_text_states_the_estimated_values_in_german_format(a):
    from dashboard.projection import method_text_de
    from dashboard.text import fmt_dec, fmt_int

    text = method_text_de()
    assert fmt_dec(a.tfr, 2) in text and fmt_int(a.net_migration) in text and fmt_dec(a.e0[0], 1) in text
    assert "Kohorten-Komponenten" in text


def test_exposure_tables_are_anchored_on_the_official_single_ages():
    """31.12.2024 = official single ages (both sexes); every year = official sex × 17 groups."""
    from dashboard.constants import AGE_GROUPS_17
    from dashboard.data import kreis_age_groups
    from dashboard.data.official import official_kreis_single_ages
    from dashboard.projection.assumptions import kreis_tables

    t = kreis_tables()
    o = official_kreis_single_ages().sort_values("age").population.to_numpy(float)
    both = t[2024].sum(axis=0)
    np.testing.assert_allclose(both[:90], o[:90], rtol=1e-6)
    assert both[90:].sum() == pytest.approx(o[90], rel=1e-6)
    k = kreis_age_groups()
    for year, arr in t.items():
        assert (arr >= 0).all()
        g = k[k.year == year].groupby(["sex", "age_group"], observed=False).population.sum()
        for si, sex in enumerate(("female", "male")):
            for label, (lo, hi) in AGE_GROUPS_17.items():
                assert arr[si, lo : hi + 1].sum() == pytest.approx(float(g.loc[(sex, label)]), rel=1e-9)


def test_mortality_improves_along_the_documented_path(a):
    from dashboard.projection.assumptions import E0_2070_L2, MORTALITY_YEAR
    from dashboard.projection.base import FEMALE_MASK, _germany_qx
    from dashboard.projection.engine import mortality_for_years

    e0_de = life_expectancy(_germany_qx(), female=FEMALE_MASK)
    gain = (np.asarray(E0_2070_L2) - e0_de) / (2070 - MORTALITY_YEAR)
    np.testing.assert_allclose(a.e0_gain_per_year, gain)
    assert 0.05 < gain[0] < 0.2 and 0.05 < gain[1] < 0.2
    q = mortality_for_years(a, [2015, 2024, 2045])
    e = life_expectancy(q, female=FEMALE_MASK)
    np.testing.assert_allclose(e[1], a.e0, atol=1e-3)
    np.testing.assert_allclose(e[2] - e[1], 21 * gain, atol=1e-3)
    np.testing.assert_allclose(e[1] - e[0], 9 * gain, atol=1e-3)
    row = a.table[a.table.parameter == "e0_gap"].iloc[0]
    assert row.value == pytest.approx(a.e0[0] - a.e0[1])
    assert "Deutschland 2023/25: 4,62" in row.fit and "NRW 2021/23: 4,50" in row.fit
