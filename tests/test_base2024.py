"""The 31.12.2024 base anchored on the Zensus 2022 (issue 11): exact official margins, flags.

Official references: IT.NRW 12411-15i (municipal totals), IT.NRW 12411-09i (Kreis single
ages 0 … 89, 90+), Regionalstatistik 12411-02-03-4 (Kreis sex × 17 groups), Zensus 2022
Regionaltabelle (municipal age classes, 15.05.2022).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, N_AGES, SEXES
from dashboard.data import estimate as est
from dashboard.data import (
    estimation_report,
    kreis_age_groups,
    kreis_ages,
    load_population,
    official_kreis_single_ages,
    official_municipal_totals,
    zensus2022_age_classes,
)
from dashboard.data.ageing import lexis_weights

TOL = 1e-6  # persons; the raking converges to 1e-7


@pytest.fixture(scope="module")
def pop() -> pd.DataFrame:
    return load_population(2024)


def test_every_municipality_sums_exactly_to_its_official_total(pop: pd.DataFrame) -> None:
    got = pop.groupby("ags").population.sum()
    off = official_municipal_totals().set_index("ags").population
    assert list(got.index) == list(AGS_LIST)
    for ags in AGS_LIST:
        assert got[ags] == pytest.approx(float(off[ags]), abs=TOL), ags


def test_kreis_single_ages_both_sexes_are_the_official_ones(pop: pd.DataFrame) -> None:
    got = pop.groupby("age").population.sum().to_numpy()
    off = official_kreis_single_ages().population.to_numpy(dtype=float)
    np.testing.assert_allclose(got[:90], off[:90], rtol=0, atol=TOL)
    assert got[90:].sum() == pytest.approx(off[90], abs=TOL)  # 90+ = 2,624


def test_kreis_sex_by_17_groups_are_the_official_ones(pop: pd.DataFrame) -> None:
    k = kreis_age_groups()
    want = k[k.year == 2024].set_index(["sex", "age_group"]).population
    g = kreis_ages.GROUP17_OF_AGE[pop.age.to_numpy()]
    got = pop.assign(g=g).groupby(["sex", "g"]).population.sum()
    for s in SEXES:
        for j, label in enumerate(AGE_GROUPS_17):
            assert got[(s, j)] == pytest.approx(float(want[(s, label)]), abs=TOL), (s, label)


def test_no_negative_cells_and_flags(pop: pd.DataFrame) -> None:
    assert len(pop) == 15 * 2 * N_AGES and (pop.population >= 0).all() and pop.population.notna().all()
    assert pop.estimated.all()  # age × sex structure: estimated
    assert not pop.total_estimated.any()  # municipal totals: official (12411-15i)
    s = estimation_report(2024).summary
    assert s["method_kind"] == "zensus2022_aged_forward"
    assert s["kreis_single_ages_official"] and s["kreis_single_age_margin_used"]
    assert not s["municipal_totals_estimated"] and s["municipal_sex_split_estimated"]
    # convergence, every margin
    assert set(s["ipf_margin_residuals"]) == {"municipal_totals", "kreis_sex_group17", "kreis_single_ages"}
    assert max(s["ipf_margin_residuals"].values()) < 1e-6 and s["ipf_iterations"] >= 1
    rep = estimation_report(2024)
    assert "Zensus 2022" in rep.method_de and "12411-09i" in rep.method_de and "12411-15i" in rep.method_de
    assert "geschätzt" in rep.method_de and "amtlich" in rep.method_de


def test_census_share_curves_keep_every_class_share_and_sum_to_one() -> None:
    years = est._years_since_census(2024)
    k, _, _ = kreis_ages.kreis_sex_single(2024)
    target = k.sum(axis=0)
    curves, births = est.census_share_curves(years, target)
    z = zensus2022_age_classes()
    shares = z.pivot(index="ags", columns="age_class", values="population").loc[list(AGS_LIST)]
    shares = shares / shares.sum(axis=0)
    W, _ = lexis_weights(years, N_AGES)
    w = W.T @ target
    for label, (lo, hi) in est.ZENSUS22_AGE_CLASSES.items():
        got = np.average(curves[:, lo : hi + 1], weights=w[lo : hi + 1], axis=1)
        np.testing.assert_allclose(got, shares[label].to_numpy(dtype=float), rtol=0, atol=1e-12)
    np.testing.assert_allclose(curves.sum(axis=0), 1.0, atol=1e-12)
    assert births.sum() == pytest.approx(1.0) and (curves > 0).all()


def test_census_prior_sums_to_the_kreis_single_ages() -> None:
    prior = est.census_prior(2024)
    k, _, _ = kreis_ages.kreis_sex_single(2024)
    np.testing.assert_allclose(prior.sum(axis=(0, 1)), k.sum(axis=0), rtol=1e-12)
    # each municipality's female share equals its Zensus 2022 female share
    from dashboard.data import zensus2022_sex_totals

    z = zensus2022_sex_totals().set_index("ags")
    share = prior[:, 0].sum(axis=1) / prior.sum(axis=(1, 2))
    want = (z.female / (z.female + z.male)).loc[list(AGS_LIST)].to_numpy()
    np.testing.assert_allclose(share, want, atol=1e-9)


def test_smooth_shares_spread_the_step_of_class_constant_shares() -> None:
    """Class-constant census shares make a municipality's ratio to the Kreis jump where a
    census class boundary lands (Heimbach, ages 4–5: 26 %); the smooth share curves spread it."""
    years = est._years_since_census(2024)
    k, _, _ = kreis_ages.kreis_sex_single(2024)
    target = k.sum(axis=0)
    z = zensus2022_age_classes()
    sh = z.pivot(index="ags", columns="age_class", values="population").loc[list(AGS_LIST)].to_numpy(float)
    sh = sh / sh.sum(axis=0)
    curves, births = est.census_share_curves(years, target)
    from dashboard.data.ageing import age_forward

    step = age_forward(sh, est.CLASS_OF_AGE, target, years, sh[:, 0])
    smooth = age_forward(curves, np.arange(N_AGES), target, years, births)

    def worst(x: np.ndarray) -> np.ndarray:
        r = (x / x.sum(axis=1, keepdims=True)) / (target / target.sum())
        return np.max(np.abs(np.diff(r, axis=1)) / r[:, :-1], axis=1)

    ws, wm = worst(step), worst(smooth)
    assert ws.max() > 0.2  # Heimbach: 26 % between adjacent ages
    assert wm.max() <= 0.5 * ws.max()  # largest jump at least halved (measured 11 %)
    assert (wm < ws).all()  # and smaller in every municipality


def test_kreis_single_ages_2024_sex_split() -> None:
    k = kreis_ages.kreis_single_ages(2024)
    arr = k.pivot(index="sex", columns="age", values="population").loc[list(SEXES)].to_numpy()
    off = official_kreis_single_ages().population.to_numpy(dtype=float)
    both = arr.sum(axis=0)
    np.testing.assert_allclose(both[:90], off[:90], rtol=0, atol=1e-9)
    assert both[90:].sum() == pytest.approx(off[90])
    assert not k[k.age < 90].both_sexes_estimated.any() and k[k.age >= 90].both_sexes_estimated.all()
    assert k.estimated.all()
    share = arr[0] / both
    assert (share > 0.4).all() and (share < 0.85).all()
    assert np.abs(np.diff(share[:90])).max() < 0.015  # no step at the group boundaries
    # other years are still graduated from the 17 groups
    assert kreis_ages.kreis_single_ages(2023).both_sexes_estimated.all()


def test_sex_split_checked_against_the_groups_by_sex_a_year_earlier() -> None:
    c = kreis_ages.kreis_sex_split_check(2024)
    assert len(c) == 17
    # 2023 groups by sex one year older: the estimated within-group split is within ±1.5 pp
    # (the difference also contains one year of migration, largest at 18–24)
    assert c.curve_error_pp.abs().max() < 1.5
    # worked example: 2023 ages 6–9 by sex (12411-09i file: 5,241 women of 10,900)
    row = c[c.age_group == "6-9"].iloc[0]
    assert row.official_share == pytest.approx(5_241 / 10_900) and row.ages_then == "7–10"
