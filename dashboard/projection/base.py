"""Base population and Kreis single-age tables as arrays (region, sex, age).

The municipal base population comes from :func:`dashboard.data.load_population`
(official Kreis table × estimated municipal age structure, built by the data layer).
The Kreis single-age tables used to estimate rates are graduated from the official
17 age groups by the data layer (:func:`dashboard.data.estimate.kreis_single_ages`), so they
are estimates too.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from dashboard.constants import AGS_LIST, N_AGES, SEXES
from dashboard.data import data_version, kreis_age_groups, life_table, load_population, one_data_version
from dashboard.data.baseyear import base_year
from dashboard.data.estimate import kreis_single_ages, tables_of_version

__all__ = ["kreis_single_age", "base_population", "start_year", "BasePopulation"]


@functools.cache
def _germany_qx() -> np.ndarray:
    t = life_table()
    q = t.pivot(index="sex", columns="age", values="qx").loc[list(SEXES)].to_numpy(dtype=float)
    if q.shape != (2, N_AGES):
        raise ValueError(f"life table has shape {q.shape}, expected (2, {N_AGES})")
    q.setflags(write=False)
    return q


FEMALE_MASK = np.array([True, False])


@functools.cache
def _kreis_single_age_all() -> dict[int, np.ndarray]:
    """Graduated Kreis tables per year, from the data layer (same graduation as the base population)."""
    out = {}
    for year in sorted(int(y) for y in kreis_age_groups().year.unique()):
        d = kreis_single_ages(year)
        arr = d.pivot(index="sex", columns="age", values="population").loc[list(SEXES)].to_numpy(dtype=float)
        arr.setflags(write=False)
        out[year] = arr
    return out


def kreis_single_age(year: int) -> np.ndarray:
    """Kreis Düren population (2, N_AGES) by sex and single age at 31.12.``year`` (2015–2024).

    Graduated from the official 17 age groups by the data layer
    (:func:`dashboard.data.estimate.kreis_single_ages`: PCHIP on cumulative counts, 75+ by the
    life table), i.e. the same single ages the base population is raked to (estimate; group
    totals exact).
    """
    tables = _kreis_single_age_all()
    if year not in tables:
        raise KeyError(f"no Kreis age table for 31.12.{year} (available: {sorted(tables)})")
    return tables[year]


class BasePopulation:
    """Base population arrays: ``population`` (R, 2, A), ``estimated`` (R, 2, A) bool, ``source`` text.

    ``total_estimated`` (R,) bool: whether each municipality's *total* is estimated (False for
    the official totals of 31.12.2024, IT.NRW 12411-15i, while the age × sex cells are estimated).
    """

    def __init__(
        self,
        population: np.ndarray,
        estimated: np.ndarray,
        source: str,
        year: int,
        total_estimated: np.ndarray | None = None,
    ):
        if total_estimated is None:
            total_estimated = estimated.reshape(estimated.shape[0], -1).any(axis=1)
        population.setflags(write=False)
        estimated.setflags(write=False)
        total_estimated.setflags(write=False)
        self.population, self.estimated, self.source, self.year = population, estimated, source, year
        self.total_estimated = total_estimated


def _from_tidy(df: pd.DataFrame, year: int) -> BasePopulation:
    need = {"ags", "sex", "age", "population"}
    missing = need - set(df.columns)
    if missing:
        raise ValueError(f"load_population() lacks columns {sorted(missing)}")
    d = df[df["year"] == year] if "year" in df.columns else df
    idx = pd.MultiIndex.from_product([AGS_LIST, SEXES, range(N_AGES)], names=["ags", "sex", "age"])
    s = d.set_index(["ags", "sex", "age"])
    pop = s["population"].reindex(idx)
    if pop.isna().any():
        gaps = pop[pop.isna()].index[:5].tolist()
        raise ValueError(f"base population {year} lacks {int(pop.isna().sum())} cells, e.g. {gaps}")
    est = s["estimated"].reindex(idx).astype(bool) if "estimated" in s.columns else pd.Series(True, index=idx)
    shape = (len(AGS_LIST), 2, N_AGES)
    src = (
        "Schätzung dashboard.data.load_population(): Regionalstatistik 12411-02-03-4 (Kreis, 17 Altersgruppen), "
        "Zensus 2022 (1000A-0000), Destatis GV-Auszug, Zensus-2011-Gitter"
    )
    if "source" in d.columns and d["source"].nunique() == 1:
        src = str(d["source"].iloc[0])
    est_arr = est.to_numpy(dtype=bool).reshape(shape)
    if "total_estimated" in s.columns:
        tot = s["total_estimated"].reindex(idx).astype(bool).to_numpy().reshape(shape)
        total_est = tot.reshape(shape[0], -1).any(axis=1)
    else:
        total_est = est_arr.reshape(shape[0], -1).any(axis=1)
    return BasePopulation(pop.to_numpy(dtype=float).reshape(shape), est_arr, src, year, total_est)


@functools.lru_cache(maxsize=8)
def _base_population(year: int, token: tuple) -> BasePopulation:
    return _from_tidy(load_population(year=year), year)


@one_data_version()
def start_year() -> int:
    """Base year of the projection (31 December): :data:`BASE_YEAR` (2024), or a later year once
    complete official municipal tables by sex × age for it are published
    (:func:`dashboard.data.baseyear.base_year`). Cached per data version."""
    return _start_year(data_version())


@functools.lru_cache(maxsize=8)
def _start_year(token: tuple) -> int:
    """Once per data version, from the tables of that very version (no second look at the store)."""
    return int(base_year(tables_of_version(token)))


@one_data_version()
def base_population(year: int | None = None) -> BasePopulation:
    """Municipal base population at 31.12.``year`` as arrays (cached per data version, read-only).

    ``year`` defaults to the projection's base year (:func:`start_year`).

    From :func:`dashboard.data.load_population` (official Kreis table × estimated municipal
    age structure; every cell flagged ``estimated`` there is flagged here too).
    """
    return _base_population(int(start_year() if year is None else year), data_version())
