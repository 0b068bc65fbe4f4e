"""The base year of the projection and which of its inputs are official.

The shipped base is 31.12. :data:`~dashboard.constants.BASE_YEAR` (2024). When official municipal
population tables by sex and age that cover **all 15 municipalities** for a later 31 December
are active (imported/published, e.g. by ``python -m dashboard data update`` and a maintainer's
publish), that later date becomes the base: :func:`base_year` returns it and
:func:`dashboard.data.load_population` for that year is assembled from the official tables
(:func:`dashboard.data.estimate.official_municipal_cells`).

:func:`base_inputs` lists, for the /methodik page and the exports, which inputs of a base are
official and which are still estimated.
"""

from __future__ import annotations

import pandas as pd

from dashboard.constants import AGS_LIST, BASE_YEAR, KREIS_NAME
from dashboard.data import load_population
from dashboard.data.estimate import (
    _imported_tables,
    estimate_population,
    kreis_years,
    official_municipal_cells,
)
from dashboard.text import BASE_INPUTS

#: Columns of :func:`base_inputs`.
BASE_INPUT_COLUMNS = ("input", "status", "official", "source")


def official_base_years(tables: list[pd.DataFrame] | None = None) -> list[int]:
    """Years after :data:`BASE_YEAR` whose municipal population by sex × age is fully official.

    Parameters
    ----------
    tables : tidy official municipal tables (contract of
        :func:`dashboard.data.estimate.official_municipal_cells`); default: the active
        (imported/published) ones.

    Returns
    -------
    list of int
        Ascending; a year is listed when the tables give both sexes and complete age groups
        for every one of the 15 municipalities at 31.12. of that year.
    """
    tables = list(_imported_tables() if tables is None else tables)
    years = sorted({int(y) for t in tables if "year" in t.columns for y in t["year"].unique()})
    out = []
    for year in years:
        if year <= BASE_YEAR:
            continue
        cells, _, _ = official_municipal_cells(year, tables)
        if set(cells) == set(AGS_LIST):
            out.append(year)
    return out


def base_year(tables: list[pd.DataFrame] | None = None) -> int:
    """The projection's base year: the newest complete official base after 2024, else 2024."""
    years = official_base_years(tables)
    return years[-1] if years else BASE_YEAR


def base_inputs(year: int | None = None) -> pd.DataFrame:
    """Which inputs of the base population at 31.12.``year`` are official and which estimated.

    Parameters
    ----------
    year : reference year; default :func:`base_year`.

    Returns
    -------
    DataFrame with columns ``input`` (German name of the input), ``status`` ("amtlich" /
    "geschätzt" / "amtlich, Einzelalter geschätzt"), ``official`` (bool: the figures at the
    resolution the office publishes are official) and ``source`` (table / method). Rows: Kreis
    by sex × age groups, municipal totals, municipal split by sex, municipal age structure,
    single years of age.
    """
    year = base_year() if year is None else int(year)
    s = estimate_population(year).summary
    pop = load_population(year)
    n_official = len(s.get("official_municipal_tables", []))
    all_official = n_official == len(AGS_LIST)
    totals_est = bool(s.get("municipal_totals_estimated", True)) and not all_official
    sex_est = bool(s.get("municipal_sex_split_estimated", True)) and not all_official
    if "age_split_estimated" in pop.columns:
        single_est = bool(pop["age_split_estimated"].any())
    else:  # before the data layer had the column: only single-age tables are exact
        single_est = bool(pop["estimated"].any())
    t = BASE_INPUTS
    status = {True: t["official"], False: t["estimated"]}
    rows = [
        (
            t["kreis"].format(kreis=KREIS_NAME),
            t["official"],
            True,
            t["src_kreis"] if year in kreis_years() else t["src_kreis_sum"],
        ),
        (
            t["totals"],
            status[not totals_est],
            not totals_est,
            t["src_tables"] if all_official else (t["src_totals_est"] if totals_est else t["src_totals"]),
        ),
        (
            t["sex"],
            status[not sex_est],
            not sex_est,
            t["src_tables"] if all_official else t["src_sex_est"],
        ),
        (
            t["structure"],
            t["official"] if all_official else (t["partly"] if n_official else t["estimated"]),
            all_official,
            t["src_tables"] if n_official else t["src_structure_est"],
        ),
        (
            t["single"],
            status[not single_est],
            not single_est,
            t["src_single_est"] if single_est else t["src_tables"],
        ),
    ]
    return pd.DataFrame(rows, columns=list(BASE_INPUT_COLUMNS))


__all__ = ["BASE_INPUT_COLUMNS", "base_inputs", "base_year", "official_base_years"]
