"""Tests of the base-population estimate (graduation, raking, margins, official override)."""

from __future__ import annotations

import itertools
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, N_AGES, OPEN_AGE, SEXES
from dashboard.data import estimate as est
from dashboard.data import (
    estimation_report,
    kreis_age_groups,
    kreis_ages,
    load_population,
    municipal_totals,
    population,
)

BOUNDS_17 = list(AGE_GROUPS_17.values())


def _groups17(df: pd.DataFrame) -> pd.DataFrame:
    """Sum a tidy single-age frame to sex × 17 groups (index sex, columns group labels)."""
    g = pd.cut(df.age, bins=[b[0] - 0.5 for b in BOUNDS_17] + [OPEN_AGE + 0.5], labels=list(AGE_GROUPS_17))
    return df.groupby(["sex", g], observed=True).population.sum().unstack()


# ---------------------------------------------------------------------------- graduation


def test_graduate_keeps_every_group_sum_of_the_kreis_table() -> None:
    k = kreis_age_groups()
    for (year, sex), g in k.groupby(["year", "sex"]):
        counts = g.sort_values("age_group").population.to_numpy(float)
        single = kreis_ages.graduate(counts, BOUNDS_17, tail_weights=kreis_ages.life_table_weights(sex, 75))
        sums = [single[lo : hi + 1].sum() for lo, hi in BOUNDS_17]
        np.testing.assert_allclose(sums, counts, rtol=0, atol=1e-6, err_msg=f"{year} {sex}")
        assert single.min() >= 0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=50_000), min_size=17, max_size=17))
def test_graduate_nonnegative_and_exact_for_any_counts(counts: list[int]) -> None:
    single = kreis_ages.graduate(counts, BOUNDS_17, tail_weights=kreis_ages.life_table_weights("male", 75))
    assert single.shape == (N_AGES,)
    assert single.min() >= 0
    sums = [single[lo : hi + 1].sum() for lo, hi in BOUNDS_17]
    np.testing.assert_allclose(sums, counts, rtol=1e-12, atol=1e-7)


def test_graduate_linear_cumulative_gives_flat_profile() -> None:
    # Worked example: 10 persons per year in every closed group (a straight cumulative);
    # PCHIP reproduces a straight line, so every single age of the closed groups has 10.
    counts = [10.0 * (hi - lo + 1) for lo, hi in BOUNDS_17[:-1]] + [260.0]
    single = kreis_ages.graduate(counts, BOUNDS_17, tail_weights=np.ones(26))
    np.testing.assert_allclose(single, 10.0, atol=1e-9)


def test_graduate_rejects_gaps_and_negative_counts() -> None:
    with pytest.raises(ValueError, match="contiguous"):
        kreis_ages.graduate([1, 2], [(0, 4), (6, 100)])
    with pytest.raises(ValueError, match=">= 0"):
        kreis_ages.graduate([-1, 2], [(0, 4), (5, 100)])


def test_life_table_tail_decreases_with_age() -> None:
    w = kreis_ages.life_table_weights("female", 75)
    assert len(w) == OPEN_AGE + 1 - 75
    assert np.all(np.diff(w[:-1]) < 0)


# ---------------------------------------------------------------------------- raking


def test_ipf_meets_both_margins_on_a_small_table() -> None:
    prior = np.array([[1.0, 2.0], [3.0, 4.0]])
    res = est.ipf(prior, [((0,), np.array([5.0, 5.0])), ((1,), np.array([6.0, 4.0]))])
    assert res.converged
    np.testing.assert_allclose(res.cells.sum(axis=1), [5, 5], atol=1e-7)
    np.testing.assert_allclose(res.cells.sum(axis=0), [6, 4], atol=1e-7)
    # IPF keeps the cross-product ratio of the prior
    c = res.cells
    assert c[0, 0] * c[1, 1] / (c[0, 1] * c[1, 0]) == pytest.approx(1 * 4 / (2 * 3))


def _synthetic_table(ags, year, sex, age_min, age_max, population) -> pd.DataFrame:
    """An official municipal table in the model's contract, marked as a SYNTHETIC fixture."""
    return pd.DataFrame(
        {
            "ags": ags,
            "year": year,
            "sex": sex,
            "age_min": age_min,
            "age_max": age_max,
            "population": population,
            "table": "SYNTHETIC test fixture (not official data)",
        }
    )


def _synthetic_groups17(ags, g: pd.DataFrame) -> pd.DataFrame:
    """:func:`_synthetic_table` at 31.12.2024 of ``g`` (``sex``, ``grp`` index into the 17 groups,
    ``population``)."""
    lo, hi = zip(*(BOUNDS_17[i] for i in g.grp), strict=True)
    return _synthetic_table(ags, 2024, g.sex, list(lo), list(hi), g.population)


# ---------------------------------------------------------------------------- load_population


@pytest.fixture(scope="module")
def pop2024() -> pd.DataFrame:
    return load_population(2024)


def test_contract_of_load_population(pop2024: pd.DataFrame) -> None:
    # the columns are those of the contract in the module's documentation, in that order
    assert list(pop2024.columns) == re.findall(r"^    (\w+) ", population.__doc__, re.M)
    assert len(pop2024) == len(AGS_LIST) * 2 * N_AGES
    assert list(pop2024.ags.unique()) == list(AGS_LIST)
    assert (pop2024.ags.str.len() == 8).all()
    assert set(pop2024.sex) == set(SEXES)
    assert sorted(pop2024.age.unique()) == list(range(OPEN_AGE + 1))
    assert (pop2024.year == 2024).all()
    assert pop2024.estimated.dtype == bool and pop2024.estimated.all()
    # the municipal totals of 31.12.2024 are official (IT.NRW 12411-15i), the structure is not
    assert pop2024.total_estimated.dtype == bool and not pop2024.total_estimated.any()
    assert pop2024.population.notna().all() and (pop2024.population >= 0).all()
    from dashboard.data import population_array

    arr = population_array(2024)
    assert arr.shape == (len(AGS_LIST), 2, N_AGES)
    assert arr[AGS_LIST.index("05358008"), 0, 30] == pytest.approx(
        pop2024.query("ags == '05358008' and sex == 'female' and age == 30").population.item()
    )


def test_kreis_sums_equal_official_2024_table_exactly(pop2024: pd.DataFrame) -> None:
    assert pop2024.population.sum() == pytest.approx(279_285, abs=1e-6)
    got = _groups17(pop2024)
    k = kreis_age_groups()
    want = k[k.year == 2024].pivot(index="sex", columns="age_group", values="population")
    for sex in SEXES:
        for label in AGE_GROUPS_17:
            assert got.at[sex, label] == pytest.approx(float(want.at[sex, label]), abs=1e-6), (sex, label)


def test_returns_copies(pop2024: pd.DataFrame) -> None:
    a = load_population(2024)
    a.loc[0, "population"] = -1.0
    assert load_population(2024).population.min() >= 0


@pytest.mark.parametrize("year", [2017, 2021])
def test_official_municipal_totals_by_sex_are_met(year: int) -> None:
    pop = load_population(year)
    got = pop.groupby(["ags", "sex"]).population.sum()
    m = municipal_totals(year_end_only=True, official_only=True)
    m = m[(m.year == year) & m.female.notna()].set_index("ags")
    assert len(m) == 15
    for ags in AGS_LIST:
        assert got[(ags, "female")] == pytest.approx(float(m.at[ags, "female"]), abs=1e-6)
        assert got[(ags, "male")] == pytest.approx(float(m.at[ags, "male"]), abs=1e-6)
    rep = estimation_report(year)
    assert not rep.totals.estimated.any()
    assert rep.summary["ipf_iterations"] >= 1


@pytest.mark.parametrize("year", range(2015, 2025))
def test_every_year_meets_the_kreis_table(year: int) -> None:
    pop = load_population(year)
    assert pop.population.min() >= 0
    k = kreis_age_groups()
    want = k[k.year == year].groupby("sex").population.sum()
    got = pop.groupby("sex").population.sum()
    for sex in SEXES:
        assert got[sex] == pytest.approx(float(want[sex]), abs=1e-6)


def test_base_date_totals_are_the_official_itnrw_totals() -> None:
    # issue 11: the totals of 31.12.2024 were estimated (Düren 94,780, Heimbach 4,535,
    # Nörvenich 12,051); IT.NRW 12411-15i publishes them (94,568; 4,487; 12,131)
    from dashboard.data import official_municipal_totals

    rep = estimation_report(2024)
    assert not rep.totals.total_estimated.any() and rep.totals.estimated.all()  # sex split estimated
    assert rep.summary["municipal_totals_estimated"] is False
    assert rep.summary["municipal_sex_split_estimated"] is True
    assert "12411-15i" in rep.summary["municipal_totals_method"]
    off = official_municipal_totals().set_index("ags").population
    got = load_population(2024).groupby("ags").population.sum()
    for ags in AGS_LIST:
        assert got[ags] == pytest.approx(float(off[ags]), abs=1e-6), ags
    assert got["05358008"] == pytest.approx(94_568, abs=1e-6)
    assert "amtlich" in rep.method_de and "12411-15i" in rep.method_de


def test_zensus2022_basis_totals_2022_2023_interpolate_census_to_official_2024() -> None:
    # worked example (Heimbach): 4,482 at 15.05.2022 (census), 4,487 at 31.12.2024 (official);
    # 31.12.2023 is 595 of 961 days after the census: 4,482 · (4,487 / 4,482)^(595/961),
    # then every municipality is scaled by the same factor to the official Kreis total
    from dashboard.data import official_municipal_totals, zensus2022_municipal

    z = zensus2022_municipal().set_index("ags").population.astype(float)
    o = official_municipal_totals().set_index("ags").population.astype(float)
    w = (pd.Timestamp("2023-12-31") - pd.Timestamp("2022-05-15")).days / (
        pd.Timestamp("2024-12-31") - pd.Timestamp("2022-05-15")
    ).days
    assert w == pytest.approx(595 / 961)
    raw = np.exp((1 - w) * np.log(z) + w * np.log(o))
    k = kreis_age_groups()
    want = raw / raw.sum() * float(k[k.year == 2023].population.sum())
    rep = estimation_report(2023)
    got = rep.totals.groupby("ags").population.sum()
    for ags in AGS_LIST:  # the margin, met to the raking tolerance (persons)
        assert got[ags] == pytest.approx(want[ags], abs=1e-6)
    assert rep.totals.total_estimated.all() and rep.summary["municipal_totals_estimated"]
    assert load_population(2023).total_estimated.all()


def test_fit_report_describes_the_adjustment() -> None:
    # census-anchored estimate (Zensus 2022 basis): the report is per municipality × sex × the
    # 17 official groups (it was per Zensus-2011 grid group while the 2011 grid was the prior)
    rep = estimation_report(2024)
    fit = rep.fit
    assert set(fit.columns) >= {
        "ags",
        "sex",
        "group",
        "group_kind",
        "prior",
        "raked",
        "ratio",
        "log_adjustment",
    }
    assert len(fit) == 15 * 2 * 17 and (fit.group_kind == "17 age groups").all()
    np.testing.assert_allclose(np.log(fit.ratio), fit.log_adjustment)
    assert rep.summary["kreis_margin_max_abs_error"] < 1e-6
    assert rep.summary["municipal_margin_max_abs_error"] < 1e-6
    assert rep.summary["kreis_single_age_margin_max_abs_error"] < 1e-6
    assert rep.summary["max_abs_log_adjustment_fit"] >= rep.summary["mean_abs_log_adjustment_fit"]
    # how far the prior moved: persons moved = half the absolute cell differences
    assert rep.summary["persons_moved"] == pytest.approx(rep.summary["persons_moved_share"] * 279_285)
    assert 0 < rep.summary["persons_moved_share"] < 0.02
    # the grid estimate of the Zensus 2011 years keeps its grid-group report
    old = estimation_report(2021).fit
    assert len(old) == 15 * 2 * 5 and (old.group_kind == "Zensus 2011 grid group").all()


def test_no_kreis_table_raises() -> None:
    with pytest.raises(ValueError, match="no official Kreis age table"):
        load_population(2013)


# ---------------------------------------------------------------------------- official tables


def test_nothing_published_means_no_table() -> None:
    assert est._imported_tables() == []  # the test session's store is empty


_RELEASES = itertools.count(10_000)


def _install_tables(monkeypatch: pytest.MonkeyPatch, tables: list[pd.DataFrame]) -> None:
    """Serve these tables as if a release with a fresh number were published (the model's
    caches are keyed by that number), bypassing the store's publish-time checks so that the
    model's own checks are what is tested here."""
    from dashboard.data import imports

    fake = imports.Served(next(_RELEASES), 0, tuple(t.copy() for t in tables))
    monkeypatch.setattr(imports, "served", lambda refresh=False: fake)


def test_official_table_replaces_the_estimate(monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNTHETIC official table: built from the estimate with persons moved between ages."""
    base = load_population(2024)
    # Düren in single ages: move 30 women from age 30 to age 31, 20 men from 80 to 70
    d = base[base.ags == "05358008"].copy()
    d.loc[(d.sex == "female") & (d.age == 30), "population"] -= 30
    d.loc[(d.sex == "female") & (d.age == 31), "population"] += 30
    d.loc[(d.sex == "male") & (d.age == 80), "population"] -= 20
    d.loc[(d.sex == "male") & (d.age == 70), "population"] += 20
    single = _synthetic_table(d.ags, 2024, d.sex, d.age, d.age, d.population)
    # Heimbach in the 17 groups, 15 persons moved from 75+ to 65-74 (women)
    h = base[base.ags == "05358012"].copy()
    h["grp"] = kreis_ages.GROUP17_OF_AGE[h.age.to_numpy()]
    hg = h.groupby(["sex", "grp"]).population.sum().reset_index()
    hg.loc[(hg.sex == "female") & (hg.grp == 16), "population"] -= 15
    hg.loc[(hg.sex == "female") & (hg.grp == 15), "population"] += 15
    grouped = _synthetic_groups17("05358012", hg)
    _install_tables(monkeypatch, [single, grouped.reset_index(drop=True)])
    try:
        pop = load_population(2024)
        du = pop[pop.ags == "05358008"].reset_index(drop=True)
        np.testing.assert_allclose(du.population.to_numpy(), d.population.to_numpy())
        assert not du.estimated.any() and not du.age_split_estimated.any()  # single ages imported
        he = pop[pop.ags == "05358012"].copy()
        # official sex × age groups: the figures are official, their split into single years is not
        assert not he.estimated.any() and he.age_split_estimated.all()
        he["grp"] = kreis_ages.GROUP17_OF_AGE[he.age.to_numpy()]
        got = he.groupby(["sex", "grp"]).population.sum().reset_index()
        np.testing.assert_allclose(got.population.to_numpy(), hg.population.to_numpy(), atol=1e-6)
        others = pop[~pop.ags.isin(["05358008", "05358012"])]
        assert others.estimated.all()
        # the Kreis margin is still met exactly
        k = kreis_age_groups()
        want = k[k.year == 2024].pivot(index="sex", columns="age_group", values="population")
        got17 = _groups17(pop)
        for sex in SEXES:
            for label in AGE_GROUPS_17:
                assert got17.at[sex, label] == pytest.approx(float(want.at[sex, label]), abs=1e-6)
        rep = estimation_report(2024)
        # the official Kreis single ages (12411-09i) and municipal totals still hold for the rest
        assert rep.summary["kreis_single_age_margin_used"]
        assert rep.summary["kreis_single_age_margin_max_abs_error"] < 1e-6
        assert rep.summary["official_municipal_tables"] == ["05358008", "05358012"]
        assert "SYNTHETIC" in rep.summary["official_table_provenance"]
        # an official table for another year does not change 2021
        assert load_population(2021).estimated.all()
    finally:
        est.clear_cache()


def test_imported_group_tables_that_contradict_the_kreis_single_ages_drop_that_margin(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SYNTHETIC: 14 municipalities imported in 17 groups (sums of the estimate). Their single
    ages are graduated within the groups (PCHIP), which at some ages exceeds the official Kreis
    single ages; the remaining municipality is then raked without that margin, and the report
    says so — nothing is clipped."""
    base = load_population(2024)
    free = "05358012"
    b = base[base.ags != free].copy()
    b["grp"] = kreis_ages.GROUP17_OF_AGE[b.age.to_numpy()]
    g = b.groupby(["ags", "sex", "grp"]).population.sum().reset_index()
    table = _synthetic_groups17(g.ags, g)
    _install_tables(monkeypatch, [table])
    try:
        s = estimation_report(2024).summary
        assert not s["kreis_single_age_margin_used"]
        assert s["kreis_single_age_margin_note"].startswith("not used: imported municipal tables exceed")
        pop = load_population(2024)
        assert (pop.population >= 0).all()
        assert pop[pop.ags == free].population.sum() == pytest.approx(4_487, abs=1e-6)
        assert _groups17(pop).to_numpy().sum() == pytest.approx(279_285, abs=1e-6)
    finally:
        est.clear_cache()


def test_bad_official_table_lists_all_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    bad = pd.DataFrame(
        {
            "ags": ["05358999", "05358008", "05358008", "05358008"],
            "year": [2024, 2024, "x", "x"],
            "sex": ["female", "divers", "male", "male"],
            "age_min": [0, 5, 0, 0],
            "age_max": [100, 3, 100, 100],
            "population": [10.0, -1.0, 1.0, 1.0],
        }
    )
    bad.attrs["source"] = "synthetic_bad.csv"
    _install_tables(monkeypatch, [bad])
    try:
        from dashboard.data import DataFormatError

        with pytest.raises(DataFormatError) as err:
            load_population(2024)
        cols = [p.column for p in err.value.problems]
        assert cols.count("ags") == 1 and "sex" in cols and "population" in cols
        assert "age_min/age_max" in cols
        assert cols.count("year") == 2 and cols.count("ags/year/sex/age_min") == 2
        assert {p.row for p in err.value.problems} == {2, 3, 4, 5}
        assert all(p.file == "synthetic_bad.csv" for p in err.value.problems)
    finally:
        est.clear_cache()


def test_grid_prior_agrees_with_quoted_official_zensus_2011_shares() -> None:
    """The grid shares behind the prior vs official Zensus 2011 shares quoted by the
    Aachener Nachrichten (figures/age_structure_indicators_from_pages.csv): Heimbach 50+
    47.1 %, Vettweiß 50+ 39.1 %."""
    from dashboard.data import grid_age_shares

    g = grid_age_shares()
    share50 = g[g.age_min >= 50].groupby("ags").share.sum()
    assert 100 * share50["05358012"] == pytest.approx(47.1, abs=1.0)
    assert 100 * share50["05358060"] == pytest.approx(39.1, abs=1.0)


def test_official_table_for_a_year_without_kreis_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNTHETIC official table for 31.12.2013 in single ages for all 15 municipalities
    (values: the 2015 estimate relabelled — a fixture, not data)."""
    base = load_population(2015)
    t = _synthetic_table(base.ags, 2013, base.sex, base.age, base.age, base.population)
    _install_tables(monkeypatch, [t])
    try:
        pop = load_population(2013)
        assert not pop.estimated.any()
        np.testing.assert_allclose(pop.population.to_numpy(), base.population.to_numpy())
        assert (pop.year == 2013).all()
        assert "importierten amtlichen" in estimation_report(2013).method_de
    finally:
        est.clear_cache()


def test_smoothed_grid_factors_keep_every_group_mean_exactly():
    """Synthetic factors (labelled synthetic): the weighted mean over each grid group of the
    smooth curve equals the group's factor, so the prior's grid-group totals are unchanged."""
    from dashboard.data.estimate import GRID_GROUPS, smooth_grid_factors

    weights = np.linspace(3000.0, 500.0, 101)  # synthetic single-age weights
    factors = np.array([[1.05, 0.77, 0.99, 1.03, 1.06], [0.9, 1.2, 1.0, 0.95, 1.1]])
    curve = smooth_grid_factors(factors, weights)
    for g, (lo, hi) in enumerate(GRID_GROUPS.values()):
        means = (curve[:, lo : hi + 1] * weights[lo : hi + 1]).sum(1) / weights[lo : hi + 1].sum()
        assert np.allclose(means, factors[:, g], rtol=0, atol=1e-12)
    assert (curve > 0).all()


def test_estimated_profiles_have_no_step_at_grid_group_boundaries():
    """A factor constant within grid groups made Nideggen's female share relative to the Kreis
    drop by 27 % between ages 17 and 18; with the smoothed grid prior no municipality's ratio
    to the Kreis jumps by more than 5 % between adjacent ages (Zensus 2011 basis years)."""
    p = load_population(2021)
    kreis = p.groupby(["sex", "age"]).population.sum()
    worst = 0.0
    for (_ags, sex), g in p.groupby(["ags", "sex"]):
        k = kreis.loc[sex].to_numpy()
        ratio = (g.sort_values("age").population.to_numpy() / g.population.sum()) / (k / k.sum())
        worst = max(worst, float(np.max(np.abs(np.diff(ratio)) / ratio[:-1])))
    assert worst < 0.05, worst
