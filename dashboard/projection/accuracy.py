"""The accuracy tables of the model in one place: backtest summary, criteria, interval coverage.

Used by ``python -m dashboard backtest --out DIR`` (which writes them as CSV), the Methodik
page, notebook 04 and the closing note of issue 11, so that all show the same numbers.
"""

from __future__ import annotations

import pandas as pd

from dashboard.constants import KREIS_AGS
from dashboard.data.embedded import projections_from_pages
from dashboard.projection import PRESETS, Scenario, estimate_assumptions, project
from dashboard.projection.agedynamics import summary_table as age_summary
from dashboard.projection.backtest import backtest, criteria, treatment_comparison
from dashboard.projection.base import start_year
from dashboard.projection.coverage import backtest_coverage, backtest_intervals, coverage_by_horizon
from dashboard.text import OFFICIAL_VARIANTS, fmt_signed_dec

__all__ = [
    "SUMMARY_COLUMNS",
    "COVERAGE_COLUMNS",
    "summary_table",
    "coverage_table",
    "report_tables",
    "official_comparison",
]

#: Columns of ``summary.csv``: ``mape`` is a fraction (0.0123 = 1.23 %), ``mae_pp`` the mean
#: absolute error of age shares in percentage points (age-share rows only, empty otherwise).
SUMMARY_COLUMNS = ("case", "level", "method", "n", "mape", "mae_pp")
#: Columns of ``coverage.csv``: ``interval`` 0.8 / 0.95, ``covered`` a fraction.
COVERAGE_COLUMNS = ("level", "interval", "n", "covered")


def summary_table() -> pd.DataFrame:
    """One row per backtest case × level × method (see :data:`SUMMARY_COLUMNS`)."""
    return backtest().summary.loc[:, list(SUMMARY_COLUMNS)].reset_index(drop=True)


def coverage_table(draws: int = 500) -> pd.DataFrame:
    """Interval coverage in the backtest per level (see :data:`COVERAGE_COLUMNS`)."""
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


def official_comparison() -> pd.DataFrame:
    """The Basis beside the official IT.NRW projection for the Kreis (and the migration behind each).

    Returns
    -------
    DataFrame, one row per variant: ``variant`` (key of :data:`dashboard.text.OFFICIAL_VARIANTS`),
    ``label``, ``source`` (German), ``net_migration`` (persons per year, Kreis),
    ``population_2024``, ``population_2030``, ``population_2045`` (persons; NaN where not
    published), ``change_2045`` (fraction 2024→2045; for the official projection its
    published 2021→2050 change converted to 2024→2045 at the same annual rate). Variants:
    the Basis; the median net migration of 2020–2024 continued (the former Basis); the
    ``itnrw`` preset; the official projection itself.
    """
    a = estimate_assumptions()
    variants = {
        "basis": PRESETS["basis"],
        "saldo_2020_2024": Scenario("saldo_2020_2024", net_migration=float(a.net_migration_recent)),
        "itnrw": PRESETS["itnrw"],
    }

    first = start_year()
    rows = []
    for key, sc in variants.items():
        r = project(sc)
        p0, p30, p45 = (r.kreis_total(y) for y in (first, 2030, 2045))
        net = a.net_migration * sc.migration_factor if sc.net_migration is None else sc.net_migration
        label, src = OFFICIAL_VARIANTS[key]
        rows.append(
            {
                "variant": key,
                "label": label,
                "source": src,
                "net_migration": float(net),
                "population_2024": p0,
                "population_2030": p30,
                "population_2045": p45,
                "change_2045": p45 / p0 - 1,
            }
        )
    p = projections_from_pages()
    off = p[(p.ags == KREIS_AGS) & (p.measure == "population_change_pct") & (p.target_year == "2050")].iloc[0]
    start = int(off.vintage_base_year)
    annual = (1 + float(off.value) / 100) ** (1 / (2050 - start))
    label, src = OFFICIAL_VARIANTS["itnrw_published"]
    change = fmt_signed_dec(float(off.value), 1) + " %"
    rows.append(
        {
            "variant": "itnrw_published",
            "label": label.format(start=start),
            "source": src.format(producer=off.producer, change=change, start=start),
            "net_migration": float("nan"),
            "population_2024": float("nan"),
            "population_2030": float("nan"),
            "population_2045": float("nan"),
            "change_2045": annual ** (2045 - first) - 1,
        }
    )
    return pd.DataFrame(rows)
