"""The accuracy tables of the model in one place: backtest summary, criteria, interval coverage.

Used by ``python -m dashboard backtest --out DIR`` (which writes them as CSV), the Methodik
page, notebook 04 and the closing note of issue 11, so that all show the same numbers.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["SUMMARY_COLUMNS", "COVERAGE_COLUMNS", "summary_table", "coverage_table", "report_tables"]

#: Columns of ``summary.csv``: ``mape`` is a fraction (0.0123 = 1.23 %), ``mae_pp`` the mean
#: absolute error of age shares in percentage points (age-share rows only, empty otherwise).
SUMMARY_COLUMNS = ("case", "level", "method", "n", "mape", "mae_pp")
#: Columns of ``coverage.csv``: ``interval`` 0.8 / 0.95, ``covered`` a fraction.
COVERAGE_COLUMNS = ("level", "interval", "n", "covered")


def summary_table() -> pd.DataFrame:
    """One row per backtest case × level × method (see :data:`SUMMARY_COLUMNS`)."""
    from dashboard.projection.backtest import backtest

    return backtest().summary.loc[:, list(SUMMARY_COLUMNS)].reset_index(drop=True)


def coverage_table(draws: int = 500) -> pd.DataFrame:
    """Interval coverage in the backtest per level (see :data:`COVERAGE_COLUMNS`)."""
    from dashboard.projection.coverage import backtest_coverage

    c = backtest_coverage(draws)
    return pd.DataFrame({"level": c.level, "interval": c.nominal, "n": c.n, "covered": c.coverage})


def report_tables(draws: int = 500) -> dict[str, pd.DataFrame]:
    """Every accuracy table by file stem.

    ``summary`` and ``coverage`` (the contracts above); ``coverage_by_horizon`` (``level,
    horizon`` (−1 = all), ``interval, n, covered, mean_width``); ``criteria`` (model vs best
    naive method per municipal total case, fractions); ``age_dynamics`` (the 2011→2022
    case: ``method, n, mae_pp, kept_under19, kept_67plus, out_of_sample``); ``treatments``
    (municipal MAPE of the migration-level treatments per case).
    """
    from dashboard.projection.agedynamics import summary_table as age_summary
    from dashboard.projection.backtest import criteria, treatment_comparison
    from dashboard.projection.coverage import backtest_intervals, coverage_by_horizon

    h = coverage_by_horizon(backtest_intervals(draws))
    return {
        "summary": summary_table(),
        "coverage": coverage_table(draws),
        "coverage_by_horizon": h.rename(columns={"nominal": "interval", "coverage": "covered"})[
            ["level", "horizon", "interval", "n", "covered", "mean_width"]
        ],
        "criteria": criteria(),
        "age_dynamics": age_summary(),
        "treatments": treatment_comparison(),
    }
