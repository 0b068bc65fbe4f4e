"""Tests of the probabilistic layer: driver models, municipal error model, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.projection import calibration as cal
from dashboard.projection import coverage as covmod
from dashboard.projection import drivers as drv
from dashboard.text import UNITS

YEARS = range(2025, 2046)


# ---------------------------------------------------------------- driver models
def test_driver_series_keep_gaps_as_missing():
    s = drv.driver_series()
    tfr = s["tfr"].values
    assert np.isnan(tfr.loc[2021]) and np.isnan(tfr.loc[2022])
    assert np.isclose(np.exp(tfr.loc[2024]), 1.39)
    mig = s["migration"].values
    assert np.isnan(mig.loc[2012])  # growth over the Zensus-2011 break
    assert mig.index.min() == drv.MIGRATION_SERIES_START == 1996 and mig.index.max() == 2020
    assert mig.drop(2012).notna().all()
    assert {x.unit for x in s.values()} <= set(UNITS)  # codes; German in the text module


def test_model_comparison_uses_common_sample_and_selects_min_bic():
    t = drv.model_comparison()
    assert set(t.driver) == set(drv.DRIVERS)
    for _d, g in t.groupby("driver"):
        assert g.nobs.nunique() == 1  # same sample for every candidate
        assert g.selected.sum() == 1
        assert g.loc[g.selected, "bic"].iloc[0] == g.bic.min()
        assert np.allclose(g.aic, 2 * g.k - 2 * g.llf)


def test_impulse_response_deviations_match_statsmodels_forecast_variance():
    """Fast path (psi weights) vs reference (statsmodels get_forecast variance)."""
    for name, m in drv.fitted_models().items():
        steps = 20
        assert np.allclose(m.deviation_sd(steps) ** 2, m.forecast_var[:steps], rtol=1e-3), name


def test_draws_reproducible_and_spread_matches_model():
    a = drv.draw_drivers(YEARS, draws=4000, seed=7, base_year=2024)
    b = drv.draw_drivers(YEARS, draws=4000, seed=7, base_year=2024)
    c = drv.draw_drivers(YEARS, draws=4000, seed=8, base_year=2024)
    assert np.array_equal(a.deviations, b.deviations)
    assert not np.array_equal(a.deviations, c.deviations)
    models = drv.fitted_models()
    for k, name in enumerate(drv.DRIVERS):
        sd = a.deviations[:, k, :].std(axis=0)
        assert np.allclose(sd, models[name].draw_sd(len(YEARS)), rtol=0.06), name
    # the stationary migration proxy starts from its stationary distribution
    m = models["migration"]
    assert m.stationary and not models["tfr"].stationary
    phi = m.params.get("ar.L1", 0.0)
    theta = m.params.get("ma.L1", 0.0)
    stat_sd = np.sqrt(m.sigma2 * (1 + 2 * phi * theta + theta**2) / (1 - phi**2))
    assert m.draw_sd(1)[0] == pytest.approx(stat_sd, rel=1e-3)
    assert a.of("migration")[:, 0].std() == pytest.approx(stat_sd, rel=0.06)
    # joint draws: the two life expectancies move together as estimated
    rho = np.corrcoef(a.of("e0_female")[:, -1], a.of("e0_male")[:, -1])[0, 1]
    assert abs(rho - drv.innovation_correlation()[1, 2]) < 0.05


def test_zero_variance_models_give_zero_deviations():
    zero = {
        n: drv.DriverModel(
            n,
            m.model,
            m.transform,
            m.params,
            0.0,
            m.psi,
            m.last_year,
            m.comparison,
            m.forecast_var * 0,
            m.residuals,
            m.stationary,
        )
        for n, m in drv.fitted_models().items()
    }
    d = drv.draw_drivers(YEARS, draws=10, seed=1, base_year=2024, models=zero)
    assert np.all(d.deviations == 0)
    assert np.all(d.fertility_factor() == 1)


# ---------------------------------------------------------------- municipal error model
def _synthetic_errors(model: cal.MunicipalErrorModel, seed: int, n_rep: int = 40) -> pd.DataFrame:
    """SYNTHETIC backtest table drawn from a known error model (not real data)."""
    rng = np.random.default_rng(seed)
    rows = []
    pops = [4_500, 9_000, 15_000, 30_000, 94_000]
    for rep in range(n_rep):
        for h in (1, 3, 5, 8):
            kreis_err = rng.normal(0, 0.01)
            rows.append(
                dict(
                    case=f"c{rep}",
                    level="kreis",
                    ags="05358",
                    base_year=2000 + rep,
                    target_year=2000 + rep + h,
                    horizon=h,
                    predicted=250_000.0,
                    actual=250_000.0 * np.exp(kreis_err),
                    method="m",
                )
            )
            for i, p in enumerate(pops):
                e = kreis_err + rng.normal(0, model.sigma(h, p))
                rows.append(
                    dict(
                        case=f"c{rep}",
                        level="municipality",
                        ags=f"0535800{i}",
                        base_year=2000 + rep,
                        target_year=2000 + rep + h,
                        horizon=h,
                        predicted=float(p),
                        actual=p * np.exp(e),
                        method="m",
                    )
                )
    return pd.DataFrame(rows)


def test_municipal_error_model_recovers_known_parameters():
    truth = cal.MunicipalErrorModel(scale=0.01, horizon_exponent=0.6, size_exponent=0.3, n_cases=0)
    fit = cal.fit_municipal_error(_synthetic_errors(truth, seed=3))
    assert fit.scale == pytest.approx(truth.scale, rel=0.2)
    assert fit.horizon_exponent == pytest.approx(truth.horizon_exponent, abs=0.12)
    assert fit.size_exponent == pytest.approx(truth.size_exponent, abs=0.1)
    assert fit.n_cases == 40 * 4 * 5


def test_extra_error_removes_the_kreis_error():
    t = pd.DataFrame(
        [
            dict(
                case="a",
                level="kreis",
                ags="05358",
                base_year=2015,
                target_year=2020,
                horizon=5,
                actual=110.0,
                predicted=100.0,
            ),
            dict(
                case="a",
                level="municipality",
                ags="05358008",
                base_year=2015,
                target_year=2020,
                horizon=5,
                actual=55.0,
                predicted=50.0,
            ),
        ]
    )
    x = cal.municipal_extra_errors(t)
    assert len(x) == 1 and x.extra_log_error.iloc[0] == pytest.approx(0.0, abs=1e-12)
    assert x.log_error.iloc[0] == pytest.approx(np.log(1.1))


def test_municipal_error_draws_have_model_variance():
    m = cal.MunicipalErrorModel(scale=0.02, horizon_exponent=0.5, size_exponent=0.25, n_cases=1)
    pop = np.array([4_500.0, 94_000.0])
    d = cal.municipal_error_draws(m, pop, np.arange(1, 22), draws=20_000, rng=np.random.default_rng(0))
    assert d.shape == (20_000, 2, 21)
    assert np.allclose(d.std(axis=0), m.sigma(np.arange(1, 22)[None], pop[:, None]), rtol=0.03)


def test_coverage_is_counted_from_rows():
    t = pd.DataFrame(
        {
            "level": ["kreis"] * 4,
            "actual": [1.0, 5.0, 9.0, 20.0],
            "q025": [0.0] * 4,
            "q10": [2.0] * 4,
            "q90": [8.0] * 4,
            "q975": [10.0] * 4,
        }
    )
    c = covmod.coverage(t).set_index("nominal")
    assert c.loc[0.8, "inside"] == 1 and c.loc[0.8, "coverage"] == 0.25
    assert c.loc[0.95, "inside"] == 3 and c.loc[0.95, "coverage"] == 0.75


# ---------------------------------------------------------------- stochastic run
from dashboard.projection import PRESETS, project  # noqa: E402
from dashboard.projection import uncertainty as unc  # noqa: E402

BASIS = PRESETS["basis"]


@pytest.fixture(scope="module")
def inputs():
    return unc.kernel_inputs(BASIS)


@pytest.fixture(scope="module")
def result():
    return unc.project_probabilistic(BASIS, draws=300, seed=11)


def _merge_deterministic(q: pd.DataFrame, det) -> pd.DataFrame:
    ind = det.indicators[["ags", "year", "population", "n_65plus", "n_80plus"]].melt(
        ["ags", "year"], var_name="quantity", value_name="deterministic"
    )
    grp = det.age_groups[["ags", "year", "age_group", "population"]].rename(
        columns={"age_group": "quantity", "population": "deterministic"}
    )
    grp["quantity"] = grp.quantity.astype(str)
    ref = pd.concat([ind, grp], ignore_index=True)
    m = q.merge(ref, on=["ags", "year", "quantity"], how="inner")
    assert len(m) == len(q)  # every quantile row has its deterministic twin
    return m


@pytest.mark.parametrize("engine,rtol", [("fast", 2e-6), ("kernel", 1e-10)])
def test_zero_variance_median_equals_deterministic_projection(engine, rtol):
    z = unc.project_probabilistic(BASIS, draws=4, seed=1, spread=0.0, municipal_error=False, engine=engine)
    m = _merge_deterministic(z.quantiles, project(BASIS))
    assert np.allclose(m.q50, m.deterministic, rtol=rtol, atol=1e-6)
    assert np.allclose(m.q025, m.q975, rtol=rtol)


def test_fast_engine_agrees_with_kernel_on_random_draws(inputs):
    d = unc.draw_drivers(inputs.years, draws=50, seed=3, base_year=inputs.base_year)
    a = unc.simulate(inputs, d, engine="fast")
    b = unc.simulate(inputs, d, engine="kernel")
    assert np.allclose(a.values, b.values, rtol=2e-6)


def test_fast_net_migration_agrees_with_engine(inputs):
    from dashboard.projection.engine import migration_function

    rng = np.random.default_rng(0)
    P = inputs.population[None] * rng.uniform(0.8, 1.2, size=(7, 1, 1, 1))
    net = rng.normal(2000, 3000, size=7)
    ref = migration_function(net, inputs.migration)(0, P)
    fast = unc.fast_net_migration(P, net, inputs.migration)
    assert np.allclose(fast, ref, rtol=1e-12, atol=1e-9)


def test_intervals_nest_and_widen(result):
    q = result.quantiles
    cols = ["q025", "q10", "q50", "q90", "q975"]
    assert (np.diff(q[cols].to_numpy(), axis=1) >= -1e-9).all()
    k = q[(q.ags == "05358") & (q.quantity == "population")].sort_values("year")
    width = (k.q975 - k.q025).to_numpy()
    width80 = (k.q90 - k.q10).to_numpy()
    assert width[0] == 0 and width80[0] == 0 and (np.diff(width80) > 0).all()
    # the 2.5 %/97.5 % quantiles of 300 draws carry Monte Carlo noise of about 1 %
    assert (np.diff(width) > -0.01 * width[1:]).all() and width[-1] > width[1]
    assert set(q.quantity) == set(unc.QUANTITIES) and q.ags.nunique() == 16


def test_same_seed_same_draws_different_seed_differs():
    a = unc._project_probabilistic.__wrapped__(BASIS, 60, 5, None, 1.0, "fast", (), driver_scale=None)
    b = unc._project_probabilistic.__wrapped__(BASIS, 60, 5, None, 1.0, "fast", (), driver_scale=None)
    c = unc._project_probabilistic.__wrapped__(BASIS, 60, 6, None, 1.0, "fast", (), driver_scale=None)
    assert a is not b
    pd.testing.assert_frame_equal(a.quantiles, b.quantiles)
    assert not np.allclose(a.quantiles.q975, c.quantiles.q975)


def test_municipal_error_keeps_kreis_total_and_age_structure(inputs):
    d = unc.draw_drivers(inputs.years, draws=40, seed=2, base_year=inputs.base_year)
    sim = unc.simulate(inputs, d)
    model = cal.MunicipalErrorModel(scale=0.02, horizon_exponent=0.8, size_exponent=0.5, n_cases=1)
    err = unc.apply_municipal_error(sim, model, inputs.population.sum(axis=(1, 2)), seed=4)
    pop = err.values[..., 0]
    assert np.allclose(pop[:, :, :-1].sum(axis=-1), pop[:, :, -1], rtol=1e-9)
    assert not np.allclose(err.values[:, 1:, :-1], sim.values[:, 1:, :-1])
    share = err.values[..., 1] / err.values[..., 0]  # 65+ share within a draw is kept
    assert np.allclose(share, sim.values[..., 1] / sim.values[..., 0])


def test_interval_helpers(result):
    iv = result.interval("05358008", 2030)
    assert iv["q10"] < iv["q50"] < iv["q90"]
    b = result.bands()
    assert set(b.level) == {0.8, 0.95}
    row = b[(b.ags == "05358008") & (b.year == 2030) & (b.level == 0.8)].iloc[0]
    assert row.lower == pytest.approx(iv["q10"]) and row.upper == pytest.approx(iv["q90"])
    d = result.download_table()
    r = d[(d.ags == "05358008") & (d.year == 2030) & (d.quantity == "population")].iloc[0]
    assert (r.lower_95, r.lower_80, r["median"], r.upper_80, r.upper_95) == (
        iv["q025"],
        iv["q10"],
        iv["q50"],
        iv["q90"],
        iv["q975"],
    )
    assert r.draws == 300 and r.scenario == "basis"


# ---------------------------------------------------------------- calibration on the backtest
def test_backtest_coverage_is_computed_from_the_intervals():
    iv = covmod.backtest_intervals(draws=200, seed=3)
    cov = covmod.backtest_coverage(draws=200, seed=3)
    for _, r in cov.iterrows():
        g = iv[iv.level == r.level]
        lo, hi = ("q10", "q90") if r.nominal == 0.8 else ("q025", "q975")
        assert r.n == len(g)
        assert r.inside == int(((g.actual >= g[lo]) & (g.actual <= g[hi])).sum())
    assert (iv.q025 <= iv.q10).all() and (iv.q10 <= iv.q90).all() and (iv.q90 <= iv.q975).all()
    # a different outcome gives a different coverage: counted, not asserted
    moved = iv.assign(actual=iv.q975 * 1.5)
    assert (covmod.coverage(moved).coverage == 0).all()
    assert set(cov.level) == {"Kreis", "Gemeinde"}
    from dashboard.projection.backtest import backtest

    rows = cal.model_rows(backtest().table)
    assert cov.set_index(["level", "nominal"]).n.loc[("Gemeinde", 0.8)] == (rows.level == "Gemeinde").sum()


# ---------------------------------------------------------------- driver scale (Kreis calibration)
def test_fit_driver_scale_pools_whitened_errors():
    stats = pd.DataFrame({"base_year": [2009, 2013, 2015], "k": [2, 2, 6], "q": [1.0, 3.0, 1.0]})
    s = cal.fit_driver_scale(stats)
    assert s.s2 == pytest.approx(5.0 / 10.0) and s.nu == 10 and s.base_years == (2009, 2013, 2015)
    loo = cal.fit_driver_scale(stats[stats.base_year != 2013])
    assert loo.s2 == pytest.approx(2.0 / 8.0) and loo.nu == 8 and 2013 not in loo.base_years
    with pytest.raises(ValueError, match="lack columns"):
        cal.fit_driver_scale(stats.drop(columns="q"))
    with pytest.raises(ValueError, match="base years \\[2013\\]"):
        cal.fit_driver_scale(stats.assign(q=[1.0, -1.0, 1.0]))
    with pytest.raises(ValueError, match="at least one"):
        cal.fit_driver_scale(stats.iloc[:0])


def test_driver_scale_factors_follow_the_scaled_inverse_chi2_posterior():
    s = cal.DriverScale(s2=0.64, nu=12)
    c = s.factors(200_000, np.random.default_rng(0))
    # nu s2 / c² is chi² with nu degrees of freedom: mean nu, variance 2 nu
    x = s.nu * s.s2 / c**2
    assert x.mean() == pytest.approx(12, rel=0.01) and x.var() == pytest.approx(24, rel=0.03)
    # the predictive of a standard normal times c is Student-t with nu degrees of freedom
    from scipy import stats as st

    z = c * np.random.default_rng(1).standard_normal(c.size) / np.sqrt(s.s2)
    assert np.quantile(z, 0.9) == pytest.approx(st.t.ppf(0.9, 12), rel=0.02)
    assert np.quantile(z, 0.975) == pytest.approx(st.t.ppf(0.975, 12), rel=0.02)
    assert (cal.DriverScale.one().factors(5, np.random.default_rng(0)) == 1).all()


def test_apply_driver_scale_scales_only_migration(inputs):
    d = unc.draw_drivers(inputs.years, draws=30, seed=2, base_year=inputs.base_year)
    s = cal.DriverScale(s2=0.5, nu=8)
    out = unc.apply_driver_scale(d, s, seed=9)
    c = s.factors(30, np.random.default_rng(9))
    m = drv.DRIVERS.index("migration")
    assert np.allclose(out.deviations[:, m], d.deviations[:, m] * c[:, None])
    others = [i for i in range(len(drv.DRIVERS)) if i != m]
    assert np.array_equal(out.deviations[:, others], d.deviations[:, others])
    assert unc.apply_driver_scale(d, None, seed=9) is d
    assert unc.apply_driver_scale(d, cal.DriverScale.one(), seed=9) is d


def test_scale_statistic_is_the_whitened_error(inputs):
    # one Kreis row: q = e² / Var(log Kreis total at h) over the same seeded draws
    from dashboard.constants import KREIS_AGS
    from dashboard.projection.base import start_year
    from dashboard.projection.scenarios import Scenario

    row = pd.DataFrame(
        [{"ags": KREIS_AGS, "base_year": 2013, "horizon": 3, "actual": 103.0, "predicted": 100.0}]
    )
    st = unc.kreis_scale_statistics(row, draws=120, seed=5)
    assert list(st.columns) == ["base_year", "k", "q"] and st.k.tolist() == [1]
    inp = unc.kernel_inputs(Scenario("basis", horizon=start_year() + 3))
    d = unc.draw_drivers(
        inp.years,
        draws=120,
        seed=np.random.SeedSequence([5, 2013, 1]),
        base_year=inp.base_year,
        models=drv.fitted_models(migration_until=2013),
    )
    var = np.var(np.log(unc.simulate(inp, d).values[:, 3, -1, 0]), ddof=1)
    assert st.q.iloc[0] == pytest.approx(np.log(1.03) ** 2 / var, rel=1e-9)
    exact = row.assign(actual=100.0)
    assert unc.kreis_scale_statistics(exact, draws=120, seed=5).q.iloc[0] == 0.0


def test_driver_scale_narrows_the_kreis_band_in_proportion():
    # migration dominates the Kreis spread at short horizons: c ≈ 0.5 halves the band
    half = cal.DriverScale(s2=0.25, nu=10**9)
    a = unc._project_probabilistic.__wrapped__(BASIS, 400, 5, None, 1.0, "fast", (), driver_scale=None)
    b = unc._project_probabilistic.__wrapped__(BASIS, 400, 5, None, 1.0, "fast", (), driver_scale=half)
    assert b.driver_scale is half and a.driver_scale is None

    def width(r, year):
        iv = r.interval("05358", year)
        return iv["q90"] - iv["q10"]

    ratio = width(b, 2027) / width(a, 2027)
    assert 0.45 < ratio < 0.56


def test_production_intervals_use_the_calibrated_scale():
    s = unc.fitted_driver_scale()
    st = unc.kreis_scale_statistics()
    assert s == cal.fit_driver_scale(st)
    assert s.nu == st.k.sum() and 0 < s.s2
    from dashboard.projection.backtest import backtest

    kreis = cal.model_rows(backtest().table).query("ags == '05358'")
    assert sorted(s.base_years) == sorted(kreis.base_year.unique())
    r = unc.project_probabilistic(BASIS, draws=60, seed=3)
    assert r.driver_scale == s


def test_backtest_intervals_calibrate_the_scale_without_the_evaluated_base_year(monkeypatch):
    import threading

    seen = []
    real = covmod.fit_driver_scale
    me = threading.get_ident()

    def spy(stats):  # this thread's calls only: the app's background threads may compute too
        if threading.get_ident() == me:
            seen.append(tuple(sorted(int(b) for b in stats.base_year)))
        return real(stats)

    monkeypatch.setattr(covmod, "fit_driver_scale", spy)
    iv = covmod._backtest_intervals.__wrapped__(40, 3, ())
    all_bases = tuple(sorted(int(b) for b in unc.kreis_scale_statistics().base_year))
    evaluated = sorted(int(b) for b in iv.base_year.unique())
    assert len(seen) == len(evaluated)
    for b, used in zip(evaluated, seen):
        assert b not in used and set(used) | {b} == set(all_bases)
