"""Coverage check of the probabilistic projection: its intervals around the backtest.

:func:`coverage` counts, per level (Kreis / municipalities) and nominal level (80 %,
95 %), how many actual outcomes fell inside the interval. :func:`backtest_intervals` puts
around every backtest prediction the interval the model would have given at the time;
:func:`backtest_coverage` counts them. The numbers are computed from the backtest's data
each time and never stored as constants.

Kept apart from :mod:`dashboard.projection.calibration` (the municipal error model, which
:mod:`dashboard.projection.uncertainty` needs) so that the imports run one way:
calibration → uncertainty → coverage.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from dashboard.constants import AGS_LIST, KREIS_AGS
from dashboard.data import data_version, one_data_version
from dashboard.projection.backtest import backtest
from dashboard.projection.base import start_year
from dashboard.projection.calibration import fit_driver_scale, fit_municipal_error, model_rows
from dashboard.projection.drivers import draw_drivers, fitted_models
from dashboard.projection.scenarios import Scenario
from dashboard.projection.uncertainty import (
    apply_driver_scale,
    apply_municipal_error,
    kernel_inputs,
    kreis_scale_statistics,
    simulate,
)


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


def _relative_log_quantiles(values: np.ndarray) -> np.ndarray:
    """``log(q_p / q_50)`` over the draw axis of ``(draw, ...)``, probabilities of QUANTILES order."""
    q = np.quantile(values, [0.025, 0.10, 0.50, 0.90, 0.975], axis=0)
    return np.log(q / q[2])


@one_data_version()
def backtest_intervals(draws: int = 500, seed: int = 20241231) -> pd.DataFrame:
    """80 % and 95 % intervals around every backtest prediction of the model's totals.

    Method: the probabilistic model gives, for every region and horizon ``h``, the
    quantiles relative to the median, ``q_p / q_50``. A backtest case with prediction
    ``x`` at horizon ``h`` gets the interval ``x · q_p / q_50``. The spreads are ex ante
    where the data allow it:

    * the migration model is refitted on the Kreis growth up to the case's base year
      (fertility and life-expectancy series start 2013/2005 and are used in full);
    * the scale of the migration deviations is calibrated on the Kreis errors of the
      *other* base years (:class:`~dashboard.projection.calibration.DriverScale`, leave
      one base year out), drawn per draw from its posterior as in the app;
    * a municipality's extra error comes from a model fitted to the backtest errors of the
      *other* base years (leave one case out: the errors of one base year share its
      migration history, so they are not independent of each other).

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
    rows = model_rows(backtest().table)
    max_h = int(rows.horizon.max())

    inputs = kernel_inputs(Scenario("basis", horizon=start_year() + max_h))
    base_pop = inputs.population.sum(axis=(1, 2))
    stats = kreis_scale_statistics()
    out = []
    for base_year, g in rows.groupby("base_year"):
        others = rows[rows.base_year != base_year]
        loco = fit_municipal_error(others) if (others.ags != KREIS_AGS).sum() >= 3 else None
        scale = fit_driver_scale(stats[stats.base_year != base_year])
        s_drv, s_muni, s_scale = np.random.SeedSequence([seed, int(base_year)]).spawn(3)
        models = fitted_models(migration_until=int(base_year))
        d = draw_drivers(inputs.years, draws=draws, seed=s_drv, base_year=inputs.base_year, models=models)
        d = apply_driver_scale(d, scale, seed=s_scale)
        sim = simulate(inputs, d)
        kreis_rel = _relative_log_quantiles(sim.values[:, :, -1, 0])  # (5, T+1)
        g = g.copy()
        muni_rel = {}
        if set(g.ags) - {KREIS_AGS}:
            sm = apply_municipal_error(sim, loco, base_pop, seed=s_muni)
            for a in set(g.ags) - {KREIS_AGS}:
                muni_rel[a] = _relative_log_quantiles(sm.values[:, :, AGS_LIST.index(a), 0])  # (5, T+1)
        rel = np.array(
            [
                kreis_rel[:, int(h)] if a == KREIS_AGS else muni_rel[a][:, int(h)]
                for a, h in zip(g.ags, g.horizon)
            ]
        )
        for j, col in enumerate(("q025", "q10", "q50", "q90", "q975")):
            g[col] = g.predicted.to_numpy(float) * np.exp(rel[:, j])
        src = f"Treiber (Wanderungsmodell bis {base_year}, Streuung an den anderen Basisjahren geeicht)"
        g["interval_source"] = np.where(
            g.level == "Kreis", src, src + " + Gemeindefehler aus den anderen Basisjahren"
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


def coverage_by_horizon(intervals: pd.DataFrame) -> pd.DataFrame:
    """Coverage and mean band width per level, horizon and nominal level.

    Parameters
    ----------
    intervals : as returned by :func:`backtest_intervals`.

    Returns
    -------
    DataFrame ``level, horizon, nominal, n, inside, coverage, mean_width`` (``mean_width`` =
    mean of (upper − lower) / prediction, a fraction), plus rows with ``horizon`` = -1 for
    all horizons together. Computed from the rows given.
    """
    rows = []
    for level, g in intervals.groupby("level", sort=True):
        for h in [-1] + sorted(int(x) for x in g.horizon.unique()):
            sub = g if h == -1 else g[g.horizon == h]
            for nominal, lo, hi in ((0.8, "q10", "q90"), (0.95, "q025", "q975")):
                inside = int(((sub.actual >= sub[lo]) & (sub.actual <= sub[hi])).sum())
                rows.append(
                    {
                        "level": level,
                        "horizon": h,
                        "nominal": nominal,
                        "n": len(sub),
                        "inside": inside,
                        "coverage": inside / len(sub),
                        "mean_width": float(((sub[hi] - sub[lo]) / sub.predicted).mean()),
                    }
                )
    return pd.DataFrame(rows)


def backtest_coverage(draws: int = 500, seed: int = 20241231) -> pd.DataFrame:
    """Coverage of the 80 % and 95 % intervals in the backtest, for the Kreis and the municipalities.

    Returns :func:`coverage` of :func:`backtest_intervals` (``level, nominal, n, inside,
    coverage``), computed from the backtest's data on every call of a fresh process.
    """
    return coverage(backtest_intervals(draws, seed))
