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

Spread of the Kreis migration driver
------------------------------------
The migration driver (:mod:`dashboard.projection.drivers`) gets its spread from the
Kreis's growth series, not from the quantity the intervals are about. Its *shape* — how
the Kreis's error grows with the horizon and how the errors at different horizons of one
base year hang together — is kept; its *scale* is calibrated on the Kreis's own backtest
errors (:class:`DriverScale`). For every Kreis backtest base year ``b`` with log errors
``e_b`` (log actual/predicted at the case's horizons) and the model's covariance ``C_b`` of
the log Kreis total at those horizons (from a simulation with the migration model fitted
up to ``b``), the quadratic form ``q_b = e_b' C_b^-1 e_b`` is, if the model's spread is
right up to a factor ``c``, ``c²`` times a χ² variable with ``k_b`` (number of horizons)
degrees of freedom. The whitening by ``C_b`` counts the several horizons of one base year
as what they are — strongly correlated — instead of as independent cases. The estimate is

    s² = sum_b q_b / sum_b k_b,      nu = sum_b k_b,

and, with the reference prior ``p(c²) ∝ 1/c²``, the posterior of ``c²`` is
scaled-inverse-χ²(nu, s²). A draw of the stochastic projection multiplies its migration
deviations by its own ``c = sqrt(nu s² / χ²_nu)``, so the intervals carry the uncertainty of
the scale (estimated from only four base years) and become heavier-tailed than normal
(Student-t with ``nu`` degrees of freedom for a normal driver). No parameter is set by
hand; the backtest evaluates the same method leaving one base year out.

The coverage check of the intervals against the backtest is in
:mod:`dashboard.projection.coverage`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.constants import KREIS_AGS
from dashboard.data import data_version, one_data_version
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


@one_data_version()
def fitted_municipal_error() -> MunicipalErrorModel:
    """:class:`MunicipalErrorModel` fitted to the project's backtest (cached per data version)."""
    return _fitted_municipal_error(data_version())


@functools.lru_cache(maxsize=4)
def _fitted_municipal_error(token: tuple) -> MunicipalErrorModel:
    return fit_municipal_error(model_rows(backtest().table))


#: Columns of the per-base-year statistics of :func:`fit_driver_scale`.
SCALE_COLUMNS = ("base_year", "k", "q")


@dataclass(frozen=True)
class DriverScale:
    """Calibrated scale of the migration driver's deviations (see the module docstring).

    Attributes
    ----------
    s2 : estimate of ``c²`` (``sum q / sum k``); 1 = the driver model's own spread.
    nu : degrees of freedom (``sum k``, the number of whitened Kreis errors); 0 = no
        calibration (``c = 1`` in every draw).
    base_years : the backtest base years it was fitted to.
    """

    s2: float
    nu: int
    base_years: tuple[int, ...] = ()

    @classmethod
    def one(cls) -> DriverScale:
        """No calibration: every draw keeps the driver model's spread."""
        return cls(s2=1.0, nu=0)

    def factors(self, draws: int, rng: np.random.Generator) -> np.ndarray:
        """Per-draw multipliers ``c`` of the migration deviations, shape ``(draws,)``.

        ``c² = nu s² / χ²_nu`` (a draw from the scaled-inverse-χ² posterior); all ones for
        :meth:`one`.
        """
        if self.nu <= 0:
            return np.ones(draws)
        return np.sqrt(self.nu * self.s2 / rng.chisquare(self.nu, size=draws))


def fit_driver_scale(statistics: pd.DataFrame) -> DriverScale:
    """Posterior of the migration driver's scale from whitened Kreis backtest errors.

    Parameters
    ----------
    statistics : one row per Kreis backtest base year with ``base_year``, ``k`` (number of
        horizons) and ``q`` (``e' C^-1 e``, see the module docstring), e.g. from
        :func:`dashboard.projection.uncertainty.kreis_scale_statistics`.

    Returns
    -------
    DriverScale with ``s2 = sum q / sum k`` and ``nu = sum k``.
    """
    missing = [c for c in SCALE_COLUMNS if c not in statistics.columns]
    if missing:
        raise ValueError(f"scale statistics lack columns {missing}")
    if len(statistics) == 0:
        raise ValueError("need at least one Kreis backtest base year to calibrate the driver scale")
    bad = ~np.isfinite(statistics.q.to_numpy(float)) | (statistics.q < 0) | (statistics.k < 1)
    if bad.any():
        raise ValueError(
            f"scale statistics need q >= 0 and k >= 1; base years {list(statistics.base_year[bad])} do not"
        )
    nu = int(statistics.k.sum())
    return DriverScale(
        s2=float(statistics.q.sum()) / nu,
        nu=nu,
        base_years=tuple(int(b) for b in statistics.base_year),
    )
