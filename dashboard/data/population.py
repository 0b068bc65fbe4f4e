"""Public base population: municipality × sex × single age, with its estimation report.

The tidy contract (see ``/work/shared/ARCHITECTURE.md``)::

    ags           str, 8 characters ("05358008")
    municipality  str, short German name
    year          int, reference date 31 December of that year
    sex           "female" / "male"
    age           int 0 … 100 (100 = open group 100 and older)
    population    float, persons (an estimate is not rounded to whole persons)
    estimated     bool, True where the value is estimated rather than read from an official
                  table (see :mod:`dashboard.data.estimate`)
    total_estimated  bool, per municipality: True where the municipal *total* (both sexes,
                  all ages) is estimated. False for official totals (31.12.2024: IT.NRW
                  12411-15i) even though the split by age and sex (``estimated``) is not
    age_split_estimated  bool, per municipality: True where the single ages are a split of
                  coarser figures (the estimate; an imported table in age groups graduated
                  within its groups); False for an imported table in single ages

Rows are ordered by ``AGS_LIST``, then ``SEXES``, then age, so
``df.population.to_numpy().reshape(15, 2, 101)`` gives the ``(region, sex, age)`` array.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.constants import AGS_LIST, BASE_YEAR, N_AGES, SEXES
from dashboard.data.estimate import estimate_population

POPULATION_COLUMNS = (
    "ags",
    "municipality",
    "year",
    "sex",
    "age",
    "population",
    "estimated",
    "total_estimated",
    "age_split_estimated",
)


def load_population(year: int = BASE_YEAR) -> pd.DataFrame:
    """Population by municipality × sex × single age at 31.12.year.

    Parameters
    ----------
    year : reference year (31 Dec); any year with an official Kreis age table (2015–2024).
        2015–2021 are on the Zensus 2011 basis, 2022–2024 on the Zensus 2022 basis.

    Returns
    -------
    DataFrame with columns ``ags, municipality, year, sex, age, population, estimated,
    total_estimated, age_split_estimated`` (15 municipalities × 2 sexes × 101 ages = 3,030 rows). At 31.12.2024
    the municipal totals are official (``total_estimated`` False) and sum exactly to the
    IT.NRW figures; the age × sex structure is estimated (``estimated`` True). For every year the sums over
    municipalities equal the official Kreis table by sex × 17 age groups. Cached per
    process; a copy is returned.

    Raises
    ------
    ValueError if there is no official Kreis age table for the year.
    """
    return estimate_population(year).population[list(POPULATION_COLUMNS)]


def population_array(year: int = BASE_YEAR) -> np.ndarray:
    """:func:`load_population` as an array of shape ``(region, sex, age)`` = (15, 2, 101).

    Regions in ``AGS_LIST`` order, sex 0 = female, 1 = male; persons (float). A new array
    on every call.
    """
    p = load_population(year)
    return p.population.to_numpy(dtype=float).reshape(len(AGS_LIST), len(SEXES), N_AGES).copy()


@dataclass(frozen=True)
class EstimationReport:
    """What the Methodik page shows about the estimate of one reference date.

    Attributes
    ----------
    year : reference date 31.12.year.
    fit : DataFrame ``ags, municipality, sex, grid_group, prior, raked, ratio,
        log_adjustment, official_table`` (persons; ratio = raked / prior).
    totals : DataFrame ``ags, municipality, year, sex, population, estimated, basis, method,
        source`` — the municipal totals by sex used as a margin.
    summary : dict of scalar fit figures (IPF iterations, residuals, adjustments).
    method_de, method_en : short method texts (German for the UI, English for docs).
    """

    year: int
    fit: pd.DataFrame
    totals: pd.DataFrame
    summary: dict
    method_de: str
    method_en: str


def estimation_report(year: int = BASE_YEAR) -> EstimationReport:
    """Fit report and method text of :func:`load_population` for 31.12.year."""
    e = estimate_population(year)
    return EstimationReport(e.year, e.fit, e.totals, e.summary, e.method_de, e.method_en)
