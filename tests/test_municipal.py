"""Municipal structure, migration by age, fertility factors and the 2011→2022 age-dynamics case."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.constants import AGS_LIST, N_AGES
from dashboard.projection import PRESETS, estimate_assumptions, project
from dashboard.projection.engine import migration_function
from dashboard.projection.municipal import (
    GRID_GROUPS,
    PROPENSITY_NODES,
    fertility_factors,
    grid_persons,
    in_migration_weights,
    kreis_pattern_back,
    municipal_structure,
    propensity_curve,
)


# ------------------------------------------------------------------- structures of earlier dates
def test_pattern_back_is_a_cohort_shift_worked_example():
    """Synthetic: with survival 1 an integer shift moves every cohort down; k = 0 is the identity."""
    P = np.tile(np.arange(N_AGES, dtype=float) + 1.0, (2, 1))  # synthetic counts 1 … 101
    ones = np.ones((2, N_AGES))
    np.testing.assert_allclose(kreis_pattern_back(P, 0.0, ones), P)
    back = kreis_pattern_back(P, 3.0, ones)
    np.testing.assert_allclose(back[:, :65], P[:, 3:68])  # age a earlier = age a+3 later
    half = kreis_pattern_back(P, 2.5, ones)
    np.testing.assert_allclose(half[:, :65], 0.5 * (P[:, 2:67] + P[:, 3:68]))
    # reverse survival: with survival 0.5 a year, 2 years back means 4× the later count
    s = np.full((2, N_AGES), 0.5)
    np.testing.assert_allclose(kreis_pattern_back(P, 2.0, s)[:, :65], 4.0 * P[:, 2:67])
    # from 65 on the later shape is kept (joined at 64)
    np.testing.assert_allclose(back[:, 65:] / back[:, 64:65], P[:, 65:] / P[:, 64:65])


def test_municipal_structure_keeps_the_census_grid_shares_and_totals():
    a = estimate_assumptions()
    from dashboard.projection.base import kreis_single_age

    totals = np.linspace(4_000, 90_000, len(AGS_LIST))
    s = kreis_pattern_back(kreis_single_age(2015), 4.65, a.survival())
    P = municipal_structure(s, totals)
    assert P.shape == (len(AGS_LIST), 2, N_AGES) and (P >= 0).all()
    np.testing.assert_allclose(P.sum(axis=(1, 2)), totals)
    grid = grid_persons()
    for g, (lo, hi) in enumerate(GRID_GROUPS):
        np.testing.assert_allclose(
            P[:, :, lo : hi + 1].sum(axis=(1, 2)) / totals, grid[:, g] / grid.sum(axis=1), rtol=1e-9
        )


# ------------------------------------------------------------------- migration by age
def test_in_migration_weights_sum_to_one_and_reduce_to_the_kreis_profile():
    rng = np.random.default_rng(0)
    dist = rng.random((2, N_AGES))
    dist /= dist.sum()
    aged = rng.random((4, 2, N_AGES)) * 100 + 1  # synthetic municipalities
    w = in_migration_weights(aged, dist)
    np.testing.assert_allclose(w.sum(axis=(-2, -1)), 1.0)
    # one region (the Kreis): exactly the Kreis distribution
    np.testing.assert_allclose(in_migration_weights(aged[:1], dist)[0], dist)
    # municipalities with the Kreis structure: the Kreis distribution in each
    same = np.broadcast_to(aged[:1] * np.array([1.0, 2.0, 5.0, 0.5])[:, None, None], aged.shape)
    np.testing.assert_allclose(in_migration_weights(same, dist), np.broadcast_to(dist, aged.shape))
    # Kreis profile mode ignores the local structure; propensity multiplies by age
    np.testing.assert_allclose(
        in_migration_weights(aged, dist, local=False), np.broadcast_to(dist, aged.shape)
    )
    g = np.ones((4, N_AGES))
    g[1, 20:30] = 2.0
    wg = in_migration_weights(aged, dist, g)
    ratio = (wg[1, :, 20:30] / w[1, :, 20:30]) / (wg[1, :, 40:50].mean() / w[1, :, 40:50].mean())
    np.testing.assert_allclose(ratio, 2.0)
    # leading draw axis broadcasts
    assert in_migration_weights(np.stack([aged, aged]), dist, np.stack([g, g])).shape == (2, 4, 2, N_AGES)


def test_kreis_migration_target_is_met_in_every_year_and_balance_holds():
    """Σ over municipalities of net migration = the Kreis level (+ damped excess, Σ = 0), every year."""
    a = estimate_assumptions()
    r = project(PRESETS["basis"])
    net = r.arrays["net_migration"].sum(axis=(1, 2, 3))
    np.testing.assert_allclose(net, a.net_migration, rtol=1e-9)
    comp = r.components[r.components.ags != "05358"].groupby(["ags", "year"]).net_migration.sum()
    assert comp.groupby("year").sum().to_numpy() == pytest.approx(np.full(len(net), a.net_migration))


def test_migration_function_keeps_each_municipalitys_target():
    a = estimate_assumptions()
    P = np.asarray(a.base.population)
    excess = np.linspace(-50, 50, len(AGS_LIST))
    excess -= excess.mean()
    m = migration_function(1_000.0, a, excess=excess, damping=1.0)(0, P)
    reg = P.sum(axis=(1, 2))
    np.testing.assert_allclose(m.sum(axis=(1, 2)), reg / reg.sum() * 1_000.0 + excess, rtol=1e-9)
    m0 = migration_function(1_000.0, a, excess=excess, damping=0.0)(3, P)
    np.testing.assert_allclose(m0.sum(axis=(1, 2)), reg / reg.sum() * 1_000.0, rtol=1e-9)


def test_propensities_are_centred_and_move_age_structures_apart():
    a = estimate_assumptions()
    g = np.asarray(a.municipal_propensity)
    assert g.shape == (len(AGS_LIST), N_AGES) and (g > 0).all()
    beta_like = np.log(g)[:, list(PROPENSITY_NODES)]
    sizes = np.asarray(a.base.population).sum(axis=(1, 2))
    # centred over the municipalities by size at every node (within the re-centring of the last step)
    assert np.abs((sizes[:, None] * beta_like).sum(axis=0) / sizes.sum()).max() < 0.05
    np.testing.assert_allclose(propensity_curve(np.zeros((3, len(PROPENSITY_NODES)))), 1.0)


# ------------------------------------------------------------------- fertility
def test_fertility_factors_shrink_by_empirical_bayes_and_keep_the_kreis_level():
    women = np.array([1000.0, 4000.0, 20000.0])
    # synthetic: identical child–woman ratios -> every factor is exactly 1
    f, rep = fertility_factors(women * 0.3, women)
    np.testing.assert_allclose(f, 1.0)
    assert rep["tau2"] == 0.0
    # different ratios: shrunk toward 1, the large municipality less than the small one
    children = women * np.array([0.40, 0.25, 0.30])
    f, rep = fertility_factors(children, women)
    assert ((rep["weight"] >= 0) & (rep["weight"] <= 1)).all()
    assert rep["weight"][2] > rep["weight"][0]
    assert (f * women).sum() == pytest.approx(women.sum())
    with pytest.raises(ValueError):
        fertility_factors(np.array([0.0, 1.0, 2.0]), women)


def test_municipal_fertility_is_used_by_the_projection():
    a = estimate_assumptions()
    from dashboard.projection.engine import scenario_rates

    fert = scenario_rates(PRESETS["basis"], a)["fertility"]
    assert fert.shape == (len(AGS_LIST), N_AGES)
    np.testing.assert_allclose(fert.sum(axis=1) / a.tfr, a.municipal_fertility)


# ------------------------------------------------------------------- the 2011→2022 case
@pytest.fixture(scope="module")
def ad():
    from dashboard.projection.agedynamics import age_dynamics

    return age_dynamics()


def test_age_dynamics_case_is_out_of_sample_and_beats_both_benchmarks(ad):
    s = ad.summary.set_index("method")
    assert s.loc["model", "out_of_sample"]
    assert s.loc["model", "mae_pp"] < min(s.loc["constant shares", "mae_pp"], s.loc["Kreis shares", "mae_pp"])
    t = ad.table
    m = t[t.method == "model"]
    assert len(m) == 15 * 11
    assert s.loc["model", "mae_pp"] == pytest.approx(m.error_pp.abs().mean())
    # census shares add up to 100 in every municipality, and so do the predictions of one fit;
    # the model's classes come from 11 different fits (each leaves its class out), so their sum
    # is only close to 100
    np.testing.assert_allclose(m.groupby("ags").actual.sum(), 100.0)
    for method in ("model (local rates)", "constant shares", "Kreis shares"):
        np.testing.assert_allclose(t[t.method == method].groupby("ags").predicted.sum(), 100.0)
    assert (m.groupby("ags").predicted.sum() - 100).abs().max() < 2.0


def test_kept_share_moves_toward_the_census(ad):
    s = ad.summary.set_index("method")
    census = s.loc["census 2022"]
    assert 0.5 < census.kept_under19 < 1.0 and 0.5 < census.kept_67plus < 1.0
    for col in ("kept_under19", "kept_67plus"):
        before = abs(s.loc["model (Kreis profile)", col] - census[col])
        after = abs(s.loc["model", col] - census[col])
        assert after < before, col
    # the benchmarks' kept shares are 1 (constant) and 0 (Kreis) by construction
    assert s.loc["constant shares", "kept_under19"] == pytest.approx(1.0, abs=1e-3)
    assert s.loc["Kreis shares", "kept_67plus"] == pytest.approx(0.0, abs=1e-9)


def test_case_projection_reproduces_the_census_totals():
    from dashboard.projection.agedynamics import case_inputs, project_case

    a = estimate_assumptions()
    inp = case_inputs(a)
    end = project_case(inp, a, local=True)
    np.testing.assert_allclose(end[0].sum(axis=(1, 2)), inp.totals_2022, rtol=1e-4)


def test_production_penalty_is_the_leave_one_class_out_choice():
    from dashboard.projection.agedynamics import PROPENSITY_PENALTY, penalty_selection

    scores = penalty_selection()
    assert min(scores, key=scores.get) == PROPENSITY_PENALTY
