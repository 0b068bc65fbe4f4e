"""Tests of the probabilistic layer: driver models, municipal error model, coverage."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dashboard.projection import calibration as cal
from dashboard.projection import drivers as drv

YEARS = range(2025, 2046)


# ---------------------------------------------------------------- driver models
def test_driver_series_keep_gaps_as_missing():
    s = drv.driver_series()
    tfr = s["tfr"].values
    assert np.isnan(tfr.loc[2021]) and np.isnan(tfr.loc[2022])
    assert np.isclose(np.exp(tfr.loc[2024]), 1.39)
    mig = s["migration"].values
    assert np.isnan(mig.loc[2012])          # growth over the Zensus-2011 break
    assert mig.index.min() == 1991 and mig.index.max() == 2020
    assert mig.drop(2012).notna().all()


def test_model_comparison_uses_common_sample_and_selects_min_bic():
    t = drv.model_comparison()
    assert set(t.driver) == set(drv.DRIVERS)
    for d, g in t.groupby("driver"):
        assert g.nobs.nunique() == 1                      # same sample for every candidate
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
        assert np.allclose(sd, models[name].deviation_sd(len(YEARS)), rtol=0.06), name
    # joint draws: the two life expectancies move together as estimated
    rho = np.corrcoef(a.of("e0_female")[:, -1], a.of("e0_male")[:, -1])[0, 1]
    assert abs(rho - drv.innovation_correlation()[1, 2]) < 0.05


def test_zero_variance_models_give_zero_deviations():
    zero = {n: drv.DriverModel(n, m.model, m.transform, m.params, 0.0, m.psi, m.last_year,
                               m.comparison, m.forecast_var * 0)
            for n, m in drv.fitted_models().items()}
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
            rows.append(dict(case=f"c{rep}", level="kreis", ags="05358", base_year=2000 + rep,
                             target_year=2000 + rep + h, horizon=h, predicted=250_000.0,
                             actual=250_000.0 * np.exp(kreis_err), method="m"))
            for i, p in enumerate(pops):
                e = kreis_err + rng.normal(0, model.sigma(h, p))
                rows.append(dict(case=f"c{rep}", level="municipality", ags=f"0535800{i}",
                                 base_year=2000 + rep, target_year=2000 + rep + h, horizon=h,
                                 predicted=float(p), actual=p * np.exp(e), method="m"))
    return pd.DataFrame(rows)


def test_municipal_error_model_recovers_known_parameters():
    truth = cal.MunicipalErrorModel(scale=0.01, horizon_exponent=0.6, size_exponent=0.3, n_cases=0)
    fit = cal.fit_municipal_error(_synthetic_errors(truth, seed=3))
    assert fit.scale == pytest.approx(truth.scale, rel=0.2)
    assert fit.horizon_exponent == pytest.approx(truth.horizon_exponent, abs=0.12)
    assert fit.size_exponent == pytest.approx(truth.size_exponent, abs=0.1)
    assert fit.n_cases == 40 * 4 * 5


def test_extra_error_removes_the_kreis_error():
    t = pd.DataFrame([
        dict(case="a", level="kreis", ags="05358", base_year=2015, target_year=2020, horizon=5,
             actual=110.0, predicted=100.0),
        dict(case="a", level="municipality", ags="05358008", base_year=2015, target_year=2020,
             horizon=5, actual=55.0, predicted=50.0),
    ])
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
    t = pd.DataFrame({"level": ["kreis"] * 4, "actual": [1.0, 5.0, 9.0, 20.0],
                      "q025": [0.0] * 4, "q10": [2.0] * 4, "q90": [8.0] * 4, "q975": [10.0] * 4})
    c = cal.coverage(t).set_index("nominal")
    assert c.loc[0.8, "inside"] == 1 and c.loc[0.8, "coverage"] == 0.25
    assert c.loc[0.95, "inside"] == 3 and c.loc[0.95, "coverage"] == 0.75
