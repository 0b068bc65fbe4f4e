"""Municipal error model and the coverage check of the probabilistic projection.

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

Coverage
--------
:func:`coverage` counts, per level (Kreis / municipalities) and nominal level (80 %,
95 %), how many actual outcomes fell inside the interval. The numbers are computed from
the backtest's data each time and never stored as constants.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.constants import KREIS_AGS
from dashboard.data import data_version

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


def coverage(intervals: pd.DataFrame) -> pd.DataFrame:
    """Share of actual outcomes inside the 80 % and 95 % intervals, by level.

    Parameters
    ----------
    intervals : one row per backtest case with ``level`` (e.g. ``"kreis"``,
        ``"municipality"``), ``actual``, ``q025, q10, q90, q975`` (persons).

    Returns
    -------
    DataFrame ``level, nominal, n, inside, coverage`` (``nominal`` 0.8 / 0.95,
    ``coverage = inside / n``), computed from the rows given.
    """
    rows = []
    for level, g in intervals.groupby("level", sort=True):
        for nominal, lo, hi in ((0.8, "q10", "q90"), (0.95, "q025", "q975")):
            inside = int(((g.actual >= g[lo]) & (g.actual <= g[hi])).sum())
            rows.append(
                {
                    "level": level,
                    "nominal": nominal,
                    "n": len(g),
                    "inside": inside,
                    "coverage": inside / len(g) if len(g) else float("nan"),
                }
            )
    return pd.DataFrame(rows)


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
    from dashboard.projection.backtest import backtest

    return fit_municipal_error(model_rows(backtest().table))


def _relative_log_quantiles(values: np.ndarray) -> np.ndarray:
    """``log(q_p / q_50)`` over the draw axis of ``(draw, ...)``, probabilities of QUANTILES order."""
    q = np.quantile(values, [0.025, 0.10, 0.50, 0.90, 0.975], axis=0)
    return np.log(q / q[2])


def backtest_intervals(draws: int = 500, seed: int = 20241231) -> pd.DataFrame:
    """80 % and 95 % intervals around every backtest prediction of the model's totals.

    Method: the probabilistic model gives, for every region and horizon ``h``, the
    quantiles relative to the median, ``q_p / q_50``. A backtest case with prediction
    ``x`` at horizon ``h`` gets the interval ``x · q_p / q_50``. The spreads are ex ante
    where the data allow it:

    * the migration model is refitted on the Kreis growth up to the case's base year
      (fertility and life-expectancy series start 2013/2005 and are used in full);
    * a municipality's extra error comes from a model fitted to the *other* 14
      municipalities' backtest errors (leave one municipality out).

    Returns
    -------
    DataFrame: the model rows of the backtest (``case, level, ags, municipality, base_year,
    target_year, horizon, actual, predicted``) plus ``q025, q10, q50, q90, q975``
    (persons) and ``interval_source`` (text). Cached per data version; callers must not
    mutate it.
    """
    return _backtest_intervals(draws, seed, data_version())


@functools.lru_cache(maxsize=4)
def _backtest_intervals(draws: int, seed: int, token: tuple) -> pd.DataFrame:
    from dashboard.constants import AGS_LIST, BASE_YEAR
    from dashboard.projection.backtest import backtest
    from dashboard.projection.drivers import draw_drivers, fitted_models
    from dashboard.projection.scenarios import Scenario
    from dashboard.projection.uncertainty import apply_municipal_error, kernel_inputs, simulate

    rows = model_rows(backtest().table)
    max_h = int(rows.horizon.max())
    inputs = kernel_inputs(Scenario("basis", horizon=BASE_YEAR + max_h))
    base_pop = inputs.population.sum(axis=(1, 2))
    loo = {a: fit_municipal_error(rows[rows.ags != a]) for a in AGS_LIST}
    out = []
    for base_year, g in rows.groupby("base_year"):
        s_drv, s_muni = np.random.SeedSequence([seed, int(base_year)]).spawn(2)
        models = fitted_models(migration_until=int(base_year))
        d = draw_drivers(inputs.years, draws=draws, seed=s_drv, base_year=inputs.base_year, models=models)
        sim = simulate(inputs, d)
        kreis_rel = _relative_log_quantiles(sim.values[:, :, -1, 0])  # (5, T+1)
        g = g.copy()
        muni_rel = {}
        for a in set(g.ags) - {KREIS_AGS}:
            k = AGS_LIST.index(a)
            sm = apply_municipal_error(sim, loo[a], base_pop, seed=s_muni)
            muni_rel[a] = _relative_log_quantiles(sm.values[:, :, k, 0])  # (5, T+1)
        rel = np.array(
            [
                kreis_rel[:, int(h)] if a == KREIS_AGS else muni_rel[a][:, int(h)]
                for a, h in zip(g.ags, g.horizon)
            ]
        )
        for j, col in enumerate(("q025", "q10", "q50", "q90", "q975")):
            g[col] = g.predicted.to_numpy(float) * np.exp(rel[:, j])
        g["interval_source"] = np.where(
            g.level == "Kreis",
            f"Treiber (Wanderungsmodell bis {base_year})",
            f"Treiber (Wanderungsmodell bis {base_year}) + Gemeindefehler ohne die Gemeinde selbst",
        )
        out.append(g)
    cols = [
        "case",
        "level",
        "ags",
        "municipality",
        "base_year",
        "target_year",
        "horizon",
        "actual",
        "predicted",
        "q025",
        "q10",
        "q50",
        "q90",
        "q975",
        "interval_source",
    ]
    return pd.concat(out, ignore_index=True)[cols]


def backtest_coverage(draws: int = 500, seed: int = 20241231) -> pd.DataFrame:
    """Coverage of the 80 % and 95 % intervals in the backtest, for the Kreis and the municipalities.

    Returns :func:`coverage` of :func:`backtest_intervals` (``level, nominal, n, inside,
    coverage``), computed from the backtest's data on every call of a fresh process.
    """
    return coverage(backtest_intervals(draws, seed))
