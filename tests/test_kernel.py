"""Kernel tests: null projection, balance identity, worked example, fast == reference, draws."""

from __future__ import annotations

import numpy as np
import pytest

from dashboard.constants import N_AGES
from dashboard.projection import PRESETS, estimate_assumptions, project
from dashboard.projection._reference import reference_run, reference_step
from dashboard.projection.engine import migration_function, scenario_rates
from dashboard.projection.kernel import age_one_year, run, step


def _balance(P0, res):
    """P(t+1)[a] − (aged(P(t))[a] + births·[a=0] − deaths[a] + net_migration[a]) for every cell."""
    expected = age_one_year(P0) - res.deaths + res.net_migration
    expected[..., 0] += res.births
    return res.population - expected


def test_null_projection_moves_every_cohort_up_one_age():
    rng = np.random.default_rng(0)
    P = rng.uniform(0, 500, size=(15, 2, N_AGES))
    res = step(
        P,
        survival=np.ones((1, 2, N_AGES)),
        infant_survival=np.ones((1, 2)),
        fertility=np.zeros((1, N_AGES)),
        sex_ratio_at_birth=1.05,
        net_migration=np.zeros_like(P),
    )
    assert np.array_equal(res.population[..., 1:-1], P[..., :-2])
    assert np.array_equal(res.population[..., -1], P[..., -2] + P[..., -1])  # open group accumulates
    assert np.all(res.population[..., 0] == 0) and np.all(res.births == 0) and np.all(res.deaths == 0)
    assert np.isclose(res.population.sum(), P.sum(), rtol=1e-14)


def test_worked_example_checked_by_hand():
    # Three ages (0, 1, 2 = open group), one region; migrants arrive at the year end.
    # Women: start [100, 200, 50], survival [0.9, 0.8, 0.5]
    #   survivors: age 1 = 100·0.9 = 90; open = 200·0.8 + 50·0.5 = 185; deaths 10 and 65
    #   net migration (end of year) [0, +10, −5] -> end age 1 = 100, open = 180
    # Births: fertility 0.5 at age 1, exposure = (200 + 100) / 2 = 150 -> 75 births,
    #   sex ratio 1.0 -> 37.5 girls, 37.5 boys; infant survival 0.95 / 0.9
    #   -> 35.625 girls (1.875 deaths), 33.75 boys (3.75 deaths)
    # Men: start [110, 190, 40], survival [0.8, 0.7, 0.4]
    #   survivors: age 1 = 88 (22 deaths); open = 133 + 16 = 149 (81 deaths)
    # Total: 690 + 75 − 183.625 + 5 = 586.375
    P = np.array([[[100.0, 200.0, 50.0], [110.0, 190.0, 40.0]]])
    kw = dict(
        survival=np.array([[[0.9, 0.8, 0.5], [0.8, 0.7, 0.4]]]),
        infant_survival=np.array([[0.95, 0.9]]),
        fertility=np.array([[0.0, 0.5, 0.0]]),
        sex_ratio_at_birth=1.0,
        net_migration=np.array([[[0.0, 10.0, -5.0], [0.0, 0.0, 0.0]]]),
    )
    res = step(P, migration_timing="end", **kw)
    np.testing.assert_allclose(res.population, [[[35.625, 100.0, 180.0], [33.75, 88.0, 149.0]]])
    np.testing.assert_allclose(res.births, [[37.5, 37.5]])
    np.testing.assert_allclose(res.deaths, [[[1.875, 10.0, 65.0], [3.75, 22.0, 81.0]]])
    assert res.population.sum() == pytest.approx(586.375)
    # Mid-year timing: the 10 immigrant women (ending at age 1) face half the cohort's death
    # probability: 10·(1 − 0.9)/2 = 0.5 deaths -> 99.5; the 5 emigrants from the open group
    # "avoid" 5·(1 − 0.8)/2 = 0.5 deaths -> 180.5; exposure (200 + 99.5)/2 -> 74.875 births.
    mid = step(P, migration_timing="mid", **kw)
    assert mid.population[0, 0, 1] == pytest.approx(99.5)
    assert mid.population[0, 0, 2] == pytest.approx(180.5)
    assert mid.births.sum() == pytest.approx(74.875)
    assert np.abs(_balance(P, mid)).max() < 1e-12


def test_emigration_exceeding_cohort_is_floored_and_reported():
    P = np.array([[[10.0, 5.0, 1.0], [10.0, 5.0, 1.0]]])
    M = np.array([[[0.0, -50.0, 0.0], [0.0, 0.0, 0.0]]])
    res = step(
        P,
        survival=np.ones((1, 2, 3)),
        infant_survival=np.ones((1, 2)),
        fertility=np.zeros((1, 3)),
        sex_ratio_at_birth=1.0,
        net_migration=M,
        migration_timing="end",
    )
    assert res.population[0, 0, 1] == 0.0
    assert res.shortfall[0, 0, 1] == pytest.approx(40.0)  # only 10 could leave
    assert res.net_migration[0, 0, 1] == pytest.approx(-10.0)
    assert np.abs(_balance(P, res)).max() < 1e-12
    assert (res.shortfall >= 0).all() and res.shortfall.sum() == pytest.approx(40.0)


def test_balance_identity_every_cell_real_projection():
    r = project(PRESETS["zuwanderung_hoch"])
    pop, arr = r.arrays["population"], r.arrays
    for t in range(pop.shape[0] - 1):
        expected = age_one_year(pop[t]) - arr["deaths"][t] + arr["net_migration"][t]
        expected[..., 0] += arr["births"][t]
        scale = np.maximum(np.abs(pop[t + 1]), 1.0)
        assert np.max(np.abs(pop[t + 1] - expected) / scale) < 1e-12
    # and the totals in the tidy components frame: P(t+1) = P(t) + B − D + M (Kreis)
    c = r.components[r.components.ags == "05358"].groupby("year")[["births", "deaths", "net_migration"]].sum()
    tot = r.indicators[r.indicators.ags == "05358"].set_index("year").population
    for y in c.index:
        assert tot[y] == pytest.approx(tot[y - 1] + c.births[y] - c.deaths[y] + c.net_migration[y], rel=1e-12)


@pytest.mark.parametrize("timing", ["mid", "end"])
def test_fast_equals_reference_on_real_kreis_data(timing):
    a = estimate_assumptions()
    rates = scenario_rates(PRESETS["laengeres_leben"], a)
    T = 6
    P0 = np.asarray(a.base.population)
    kw = dict(
        infant_survival=rates["infant_survival"][:T],
        fertility=rates["fertility"],
        sex_ratio_at_birth=rates["sex_ratio_at_birth"],
    )
    fast = run(
        P0,
        n_years=T,
        survival=rates["survival"][:T],
        net_migration=migration_function(2323.0, a),
        time_varying={"survival", "infant_survival"},
        migration_timing=timing,
        **kw,
    )
    ref = reference_run(
        P0,
        T,
        [rates["survival"][t] for t in range(T)],
        [rates["infant_survival"][t] for t in range(T)],
        rates["fertility"],
        rates["sex_ratio_at_birth"],
        migration_function(2323.0, a),
        timing,
    )
    rel = np.abs(fast.population - ref) / np.maximum(np.abs(ref), 1.0)
    assert rel.max() < 1e-9
    assert fast.population[-1].sum() > 250_000  # a real population, not zeros


def test_fast_equals_reference_with_floors():
    rng = np.random.default_rng(3)
    P = rng.uniform(0, 50, size=(4, 2, N_AGES))
    M = rng.normal(0, 40, size=(4, 2, N_AGES))  # emigration often exceeds the cohort
    s = rng.uniform(0.8, 1.0, size=(1, 2, N_AGES))
    f = np.zeros((1, N_AGES))
    f[0, 15:50] = 0.06
    fast = step(
        P,
        survival=s,
        infant_survival=np.array([[0.99, 0.98]]),
        fertility=f,
        sex_ratio_at_birth=1.05,
        net_migration=M,
    )
    ref = reference_step(P.tolist(), s.tolist(), [[0.99, 0.98]], f.tolist(), 1.05, M.tolist())
    assert fast.shortfall.sum() > 0
    for k in ("population", "births", "deaths", "net_migration", "shortfall"):
        np.testing.assert_allclose(getattr(fast, k), ref[k], rtol=1e-12, atol=1e-9)


def test_draw_axis_equals_loop_over_draws():
    a = estimate_assumptions()
    rates = scenario_rates(PRESETS["basis"], a)
    P0 = np.asarray(a.base.population)
    tfr = np.array([1.2, 1.5, 1.8])
    fert = tfr[:, None, None] * a.fertility_shape  # (D, 1, A)
    common = dict(
        n_years=5,
        survival=rates["survival"][:5],
        infant_survival=rates["infant_survival"][:5],
        sex_ratio_at_birth=rates["sex_ratio_at_birth"],
        time_varying={"survival", "infant_survival"},
    )
    many = run(
        P0, fertility=fert, net_migration=migration_function(np.array([0.0, 2000.0, 4000.0]), a), **common
    )
    assert many.population.shape == (6, 3, 15, 2, N_AGES)
    for d in range(3):
        one = run(
            P0, fertility=fert[d], net_migration=migration_function([0.0, 2000.0, 4000.0][d], a), **common
        )
        np.testing.assert_allclose(many.population[:, d], one.population, rtol=1e-12)


def test_time_varying_rates_with_draw_axis_equal_loop_over_draws():
    a = estimate_assumptions()
    rates = scenario_rates(PRESETS["laengeres_leben"], a)
    T, D = 4, 3
    P0 = np.asarray(a.base.population)
    scale = np.array([0.98, 1.0, 1.02])  # survival draws (synthetic factors)
    surv = np.minimum(rates["survival"][:T, None] * scale[None, :, None, None, None], 1.0)  # (T, D, 1, 2, A)
    s0 = np.broadcast_to(rates["infant_survival"][:T, None], (T, D, 1, 2))
    fert = (
        np.stack([rates["fertility"] * (1 + 0.1 * t) for t in range(T)])[:, None] * scale[None, :, None, None]
    )
    srb = np.array([1.02, 1.05, 1.08])
    many = run(
        P0,
        n_years=T,
        survival=surv,
        infant_survival=s0,
        fertility=fert,
        sex_ratio_at_birth=srb,
        net_migration=migration_function(2323.0, a),
        time_varying={"survival", "infant_survival", "fertility"},
    )
    for d in range(D):
        one = run(
            P0,
            n_years=T,
            survival=surv[:, d],
            infant_survival=s0[:, d],
            fertility=fert[:, d],
            sex_ratio_at_birth=srb[d],
            net_migration=migration_function(2323.0, a),
            time_varying={"survival", "infant_survival", "fertility"},
        )
        for k in ("population", "births", "deaths", "net_migration"):
            np.testing.assert_allclose(getattr(many, k)[:, d], getattr(one, k), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("timing", ["mid", "end"])
def test_multi_year_run_with_floors_equals_reference(timing):
    # synthetic inputs: heavy random net emigration, so that floors occur in several years
    rng = np.random.default_rng(11)
    T = 4
    P = rng.uniform(0, 60, size=(3, 2, N_AGES))
    M = rng.normal(-5, 30, size=(T, 3, 2, N_AGES))
    s = rng.uniform(0.85, 1.0, size=(T, 1, 2, N_AGES))
    s0 = rng.uniform(0.97, 1.0, size=(T, 1, 2))
    f = np.zeros((1, N_AGES))
    f[0, 15:50] = 0.07
    kw = dict(
        n_years=T,
        survival=s,
        infant_survival=s0,
        fertility=f,
        sex_ratio_at_birth=1.05,
        net_migration=M,
        time_varying={"survival", "infant_survival", "net_migration"},
        migration_timing=timing,
    )
    full = run(P, **kw)
    lean = run(P, store_components=False, **kw)
    ref = reference_run(P, T, list(s), list(s0), f, 1.05, list(M), timing)
    np.testing.assert_allclose(full.population, ref, rtol=1e-12, atol=1e-9)
    np.testing.assert_array_equal(lean.population, full.population)
    assert (full.shortfall.sum(axis=(1, 2, 3)) > 0).sum() >= 2  # floors in at least two years
    np.testing.assert_allclose(lean.shortfall, full.shortfall.sum(axis=(1, 2, 3)), rtol=1e-12)
    for t in range(T):  # every component, year by year
        one = reference_step(
            ref[t].tolist(), s[t].tolist(), s0[t].tolist(), f.tolist(), 1.05, M[t].tolist(), timing
        )
        for k in ("births", "deaths", "net_migration", "shortfall"):
            np.testing.assert_allclose(getattr(full, k)[t], one[k], rtol=1e-10, atol=1e-8)
    expected = age_one_year(full.population[:-1]) - full.deaths + full.net_migration
    expected[..., 0] += full.births
    assert np.abs(full.population[1:] - expected).max() < 1e-9
