"""Municipal error model of the probabilistic projection, fitted to the backtest.

Municipal error
---------------
The driver models (:mod:`dashboard.projection.drivers`) describe uncertainty that is
common to the whole Kreis: fertility, mortality and the Kreis's migration. A single
municipality's projection carries extra error beyond that — small populations, new
building areas, a refugee home opening or closing. It is estimated from the backtest:
for every municipal backtest case the *extra* log error is

    e_extra = log(actual_m / predicted_m) - log(actual_K / predicted_K),

the municipal log error minus the Kreis's log error of the same case, base and target
year (where the backtest has no matching Kreis row the municipal log error is used as it
is, which is conservative). The extra errors are modelled as normal with mean zero and a
scale that grows with the horizon ``h`` (years) and shrinks with the population ``P``:

    sigma(h, P) = scale * h ** horizon_exponent * (P / 10,000) ** (-size_exponent),

fitted by maximum likelihood (:func:`scipy.optimize.minimize`, exponents bounded to
[0, 1.5] and [0, 1]). In the stochastic run a municipality's extra error follows a
Gaussian random walk in log space whose variance at horizon ``h`` is ``sigma(h, P)²``;
the municipal populations of a draw are then rescaled so that they sum to the draw's
Kreis total (the extra error redistributes people between municipalities, the Kreis's
uncertainty comes from the drivers alone).

The coverage check of the intervals against the backtest is in
:mod:`dashboard.projection.coverage`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.constants import KREIS_AGS
from dashboard.data import data_version
from dashboard.projection.backtest import backtest

#: Reference population of the size term (persons).
REFERENCE_POPULATION: float = 10_000.0
ERROR_COLUMNS = ("case", "level", "ags", "base_year", "target_year", "horizon", "actual", "predicted")


def _is_kreis(df: pd.DataFrame) -> pd.Series:
    return (df.ags.astype(str) == KREIS_AGS) | (df.level.astype(str).str.lower() == "kreis")


def municipal_extra_errors(errors: pd.DataFrame) -> pd.DataFrame:
    """Extra log errors of the municipal backtest cases beyond the Kreis's error.

    Parameters
    ----------
    errors : backtest table with at least ``case, level, ags, base_year, target_year,
        horizon, actual, predicted`` (persons); optional ``method``. Kreis rows have
        ``ags == "05358"`` or ``level == "kreis"``.

    Returns
    -------
    DataFrame, one row per municipal case: ``case, ags, base_year, target_year, horizon,
    population`` (the predicted population, persons, used as size), ``log_error``
    (log actual/predicted), ``kreis_log_error`` (NaN where the case has no Kreis row),
    ``extra_log_error``.
    """
    missing = [c for c in ERROR_COLUMNS if c not in errors.columns]
    if missing:
        raise ValueError(f"errors table lacks columns {missing}")
    bad = (errors.actual <= 0) | (errors.predicted <= 0) | errors.actual.isna() | errors.predicted.isna()
    if bad.any():
        raise ValueError(
            f"actual and predicted must be positive; rows {list(errors.index[bad])[:10]} are not"
        )
    e = errors.copy()
    e["log_error"] = np.log(e.actual.astype(float) / e.predicted.astype(float))
    keys = ["case", "base_year", "target_year"] + (["method"] if "method" in e.columns else [])
    kreis = e[_is_kreis(e)][keys + ["log_error"]].rename(columns={"log_error": "kreis_log_error"})
    if kreis.duplicated(keys).any():
        raise ValueError("more than one Kreis row per case/base/target(/method)")
    muni = e[~_is_kreis(e)].merge(kreis, on=keys, how="left")
    muni["extra_log_error"] = muni.log_error - muni.kreis_log_error.fillna(0.0)
    muni["population"] = muni.predicted.astype(float)
    cols = [
        "case",
        "ags",
        "base_year",
        "target_year",
        "horizon",
        "population",
        "log_error",
        "kreis_log_error",
        "extra_log_error",
    ]
    return muni[cols].reset_index(drop=True)


@dataclass(frozen=True)
class MunicipalErrorModel:
    """Scale of the extra municipal log error, ``sigma(h, P) = scale h^a (P/10,000)^-b``.

    Attributes
    ----------
    scale : sigma of a municipality of 10,000 people at a one-year horizon (log units).
    horizon_exponent : ``a``.
    size_exponent : ``b``.
    n_cases : number of backtest cases it was fitted to.
    """

    scale: float
    horizon_exponent: float
    size_exponent: float
    n_cases: int

    def sigma(self, horizon, population) -> np.ndarray:
        """Standard deviation of the extra log error (broadcasts over arrays)."""
        h = np.maximum(np.asarray(horizon, dtype=float), 0.0)
        p = np.asarray(population, dtype=float)
        return self.scale * h**self.horizon_exponent * (p / REFERENCE_POPULATION) ** (-self.size_exponent)

    @classmethod
    def zero(cls) -> MunicipalErrorModel:
        """A model without extra error (for tests and the driver-only variant)."""
        return cls(scale=0.0, horizon_exponent=0.5, size_exponent=0.0, n_cases=0)


def fit_municipal_error(errors: pd.DataFrame) -> MunicipalErrorModel:
    """Fit :class:`MunicipalErrorModel` by maximum likelihood to backtest errors.

    Parameters
    ----------
    errors : backtest table as for :func:`municipal_extra_errors`.

    Returns
    -------
    MunicipalErrorModel. Cases with horizon < 1 are ignored (no error can accrue).
    """
    from scipy.optimize import minimize

    x = municipal_extra_errors(errors)
    x = x[x.horizon >= 1]
    if len(x) < 3:
        raise ValueError(f"need at least 3 municipal backtest cases, got {len(x)}")
    e = x.extra_log_error.to_numpy(float)
    lh = np.log(x.horizon.to_numpy(float))
    lp = np.log(x.population.to_numpy(float) / REFERENCE_POPULATION)

    def nll(theta):
        ls, a, b = theta
        log_sigma = ls + a * lh - b * lp
        return float(np.sum(log_sigma + 0.5 * e**2 * np.exp(-2 * log_sigma)))

    start = [np.log(max(np.sqrt(np.mean(e**2)), 1e-6)), 0.5, 0.0]
    res = minimize(nll, start, method="L-BFGS-B", bounds=[(-20, 5), (0.0, 1.5), (0.0, 1.0)])
    ls, a, b = res.x
    return MunicipalErrorModel(
        scale=float(np.exp(ls)), horizon_exponent=float(a), size_exponent=float(b), n_cases=len(x)
    )


def municipal_error_draws(
    model: MunicipalErrorModel, population, horizons, *, draws: int, rng: np.random.Generator
) -> np.ndarray:
    """Gaussian random-walk log errors with variance ``sigma(h, P)²`` at horizon ``h``.

    Parameters
    ----------
    model : the municipal error model.
    population : base populations of the regions, shape ``(region,)`` (persons).
    horizons : horizons in years of the projection years, increasing, shape ``(T,)``.
    draws : number of draws.
    rng : random generator (consumed).

    Returns
    -------
    array ``(draw, region, T)`` of log errors; ``exp`` of it multiplies a municipality.
    """
    h = np.asarray(horizons, dtype=float)
    var = model.sigma(h[None, :], np.asarray(population, float)[:, None]) ** 2  # (region, T)
    inc = np.diff(np.concatenate([np.zeros((var.shape[0], 1)), var], axis=1), axis=1)
    inc = np.maximum(inc, 0.0)
    z = rng.standard_normal((draws, var.shape[0], var.shape[1]))
    return np.cumsum(z * np.sqrt(inc)[None], axis=2)


#: Backtest method whose errors calibrate the intervals (the model with ex-ante migration).
MODEL_METHOD = "model"


def model_rows(table: pd.DataFrame) -> pd.DataFrame:
    """Backtest rows of the model's totals: ``method == "model"``, Kreis and municipal levels."""
    t = table[table.method == MODEL_METHOD]
    if "age_group" in t.columns:
        t = t[t.age_group == "total"]
    return t[t.level.isin(["Kreis", "Gemeinde"])].reset_index(drop=True)


def fitted_municipal_error() -> MunicipalErrorModel:
    """:class:`MunicipalErrorModel` fitted to the project's backtest (cached per data version)."""
    return _fitted_municipal_error(data_version())


@functools.lru_cache(maxsize=4)
def _fitted_municipal_error(token: tuple) -> MunicipalErrorModel:
    return fit_municipal_error(model_rows(backtest().table))
