"""Municipal population totals by sex at 31 December of any year with a Kreis table.

:func:`municipal_sex_totals`: the Destatis Gemeindeverzeichnis (GV Auszug) where it has an
official figure for the date (31.12.2017, 31.12.2021), the official IT.NRW totals of
31.12.2024 (12411-15i) with an estimated sex split; otherwise interpolated between official
dates (Zensus 2022 basis: between the census and 31.12.2024) and raked to the official Kreis
totals by sex. The margins of the estimate in :mod:`dashboard.data.estimate`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.constants import AGS_LIST, BASIS_Z2022, CENSUS_DATES, MUNICIPALITIES, SEXES
from dashboard.data.ageing import IPFResult, ipf
from dashboard.data.embedded import municipal_totals, zensus2022_municipal
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.kreis_ages import kreis_groups
from dashboard.data.official import official_municipal_totals, zensus2022_sex_totals

#: Census day of the Zensus 2022.
ZENSUS2022_DATE = pd.Timestamp(CENSUS_DATES[BASIS_Z2022])


def _year_end_official() -> pd.DataFrame:
    m = municipal_totals(year_end_only=True, official_only=True)
    return m


def _rake_sex_split(totals: np.ndarray, female_share: np.ndarray, kreis_sex: np.ndarray) -> IPFResult:
    """Rake a municipality × sex table to municipal totals and Kreis totals by sex."""
    prior = np.stack([totals * female_share, totals * (1 - female_share)], axis=1)
    return ipf(prior, [((0,), totals), ((1,), kreis_sex)])


def _latest_female_share(before_year: int, basis: str | None = None) -> tuple[np.ndarray, int]:
    """Female share per municipality from the latest official male/female figures."""
    m = _year_end_official()
    m = m[m.female.notna() & (m.year <= before_year)]
    if basis is not None and not m[m.basis == basis].empty:
        m = m[m.basis == basis]
    y = int(m.year.max())
    m = m[m.year == y].set_index("ags")
    share = np.array([float(m.at[a, "female"]) / float(m.at[a, "population"]) for a in AGS_LIST])
    return share, y


def municipal_sex_totals(year: int) -> pd.DataFrame:
    """Municipal population by sex at 31.12.year, official where possible, else estimated.

    * Zensus 2011 basis (2015–2021): official by sex where the Destatis GV Auszug has the
      date (2017, 2021); otherwise log-linear interpolation of municipal shares between
      official dates, sex split from the latest official female share (GV), raked to the
      official Kreis totals by sex.
    * Zensus 2022 basis (2022–2024): the **municipal totals** are official where IT.NRW
      publishes them (31.12.2024, table 12411-15i, :func:`dashboard.data.official_municipal_totals`);
      for 31.12.2022 and 2023 they are estimated by log-linear interpolation in time between the
      census result (15.05.2022) and the official 31.12.2024 total of each municipality, scaled
      to the official Kreis total. The **split by sex** is always estimated here: the Zensus 2022
      female share of each municipality (:func:`dashboard.data.zensus2022_sex_totals`), raked
      (IPF) to the municipal totals and the official Kreis totals by sex.

    Returns
    -------
    DataFrame ``ags, municipality, year, sex, population, estimated, total, total_estimated,
    basis, method, source``: ``population`` persons by sex (float where estimated);
    ``estimated`` True where the count by sex is estimated; ``total`` the municipal total
    (both sexes) and ``total_estimated`` whether *that* is estimated (False for official
    totals such as 31.12.2024). The sums by sex equal the Kreis table exactly.
    """
    groups, basis = kreis_groups(year)
    kreis_sex = groups.sum(axis=1)
    off = _year_end_official()
    same = off[
        (off.year == year) & (off.basis == basis) & off.female.notna() & (off.precision == "exact")
    ].set_index("ags")
    total_estimated = True
    if len(same) == len(AGS_LIST) and set(same.index) == set(AGS_LIST):
        arr = np.array([[float(same.at[a, "female"]), float(same.at[a, "male"])] for a in AGS_LIST])
        if not np.allclose(arr.sum(axis=0), kreis_sex, atol=0.5):
            raise DataFormatError(
                problem(
                    str(same.source.iloc[0]),
                    None,
                    "male/female",
                    f"Summe der Gemeinden = Kreistabelle {kreis_sex.tolist()} (31.12.{year})",
                    str(arr.sum(axis=0).tolist()),
                )
            )
        method = "official: Destatis Gemeindeverzeichnis (GV Auszug), population by sex"
        estimated = total_estimated = False
        sources = [str(same.at[a, "source"]) for a in AGS_LIST]
    else:
        estimated = True
        if basis == BASIS_Z2022:
            totals, method, src, total_estimated = _z22_totals(year)
            fshare, fsrc = zensus_female_share()
        else:
            totals, method, src = _z11_totals(year, basis)
            fshare, fyear = _latest_female_share(year, basis)
            fsrc = f"the official female share per municipality at 31.12.{fyear} (GV Auszug)"
        if total_estimated:
            totals = totals / totals.sum() * kreis_sex.sum()
        elif not np.isclose(totals.sum(), kreis_sex.sum(), atol=1e-9):
            raise DataFormatError(
                problem(
                    src,
                    None,
                    "population",
                    f"Summe der Gemeinden = Kreistabelle {kreis_sex.sum():.0f} (31.12.{year})",
                    f"{totals.sum():.0f}",
                )
            )
        raked = _rake_sex_split(totals, fshare, kreis_sex)
        if not raked.converged:
            raise RuntimeError(f"sex split raking did not converge for {year}")
        arr = raked.cells
        method += (
            f"; sex split estimated from {fsrc}, raked (IPF, {raked.iterations} iterations) to the "
            f"municipal totals and the official Kreis totals by sex of 31.12.{year}"
        )
        sources = [src] * len(AGS_LIST)
    rows = []
    for i, a in enumerate(AGS_LIST):
        for s, sex in enumerate(SEXES):
            rows.append(
                {
                    "ags": a,
                    "municipality": MUNICIPALITIES[a],
                    "year": year,
                    "sex": sex,
                    "population": float(arr[i, s]),
                    "estimated": estimated,
                    "total": float(arr[i].sum()),
                    "total_estimated": total_estimated,
                    "basis": basis,
                    "method": method,
                    "source": sources[i],
                }
            )
    return pd.DataFrame(rows)


def zensus_female_share() -> tuple[np.ndarray, str]:
    """Female share per municipality in the Zensus 2022 (15.05.2022), official (perturbed) cells."""
    z = zensus2022_sex_totals().set_index("ags")
    share = np.array(
        [float(z.at[a, "female"]) / float(z.at[a, "female"] + z.at[a, "male"]) for a in AGS_LIST]
    )
    return share, "the Zensus 2022 female share per municipality (15.05.2022, Regionaltabelle Demografie)"


def official_z22_totals() -> dict[int, np.ndarray]:
    """Official municipal totals on the Zensus 2022 basis by year (31 Dec), in AGS order.

    Today only 31.12.2024 (IT.NRW 12411-15i). Persons (float arrays, exact integers).
    """
    t = official_municipal_totals().set_index("ags").population
    return {2024: np.array([float(t[a]) for a in AGS_LIST])}


def _z22_totals(year: int) -> tuple[np.ndarray, str, str, bool]:
    """Municipal totals on the Zensus 2022 basis: official, or interpolated census → official.

    Returns (totals, method, source, estimated).
    """
    official = official_z22_totals()
    if year in official:
        return (
            official[year],
            f"official municipal totals of 31.12.{year}: IT.NRW Landesdatenbank 12411-15i "
            "(Fortschreibung, Zensus 2022 basis)",
            "IT.NRW 12411-15i",
            False,
        )
    z = zensus2022_municipal().set_index("ags").population
    census = np.array([float(z[m]) for m in AGS_LIST])
    later = [y for y in sorted(official) if y > year]
    if not later:
        raise ValueError(f"no official Zensus-2022-based municipal totals after 31.12.{year}")
    y1 = later[0]
    t = (pd.Timestamp(f"{year}-12-31") - ZENSUS2022_DATE).days
    t1 = (pd.Timestamp(f"{y1}-12-31") - ZENSUS2022_DATE).days
    w = t / t1
    totals = np.exp((1 - w) * np.log(census) + w * np.log(official[y1]))
    method = (
        f"estimated: log-linear interpolation in time between the Zensus 2022 municipal result "
        f"(15.05.2022, table 1000A-0000) and the official municipal total of 31.12.{y1} (IT.NRW "
        f"12411-15i), weight {w:.3f}, scaled to the official Kreis total"
    )
    return totals, method, f"Zensus 2022 1000A-0000; IT.NRW 12411-15i ({y1})", True


def _z11_totals(year: int, basis: str) -> tuple[np.ndarray, str, str]:
    """Log-linear interpolation of municipal shares between official year-end totals."""
    off = _year_end_official()
    off = off[(off.basis == basis)]
    exact = off[off.precision == "exact"]
    years = sorted(
        int(y) for y in exact.year.unique() if exact[exact.year == y].ags.nunique() == len(AGS_LIST)
    )
    same_date = off[off.year == year]
    if same_date.ags.nunique() == len(AGS_LIST):  # e.g. BBSR 31.12.2020 rounded to 10
        s = same_date.set_index("ags").population
        totals = np.array([float(s[m]) for m in AGS_LIST])
        return (
            totals,
            f"official totals of 31.12.{year} ({same_date.precision.iloc[0]}, "
            f"{same_date.source.iloc[0][:60]}…) scaled to the official Kreis total",
            str(same_date.source.iloc[0]),
        )

    def shares(y: int) -> np.ndarray:
        s = exact[exact.year == y].set_index("ags").population
        v = np.array([float(s[m]) for m in AGS_LIST])
        return v / v.sum()

    lo = max((y for y in years if y < year), default=None)
    hi = min((y for y in years if y > year), default=None)
    if lo is None and hi is None:
        raise ValueError(f"no official municipal totals on the {basis} basis to estimate {year}")
    if lo is None or hi is None:
        y0 = lo if hi is None else hi
        return (
            shares(y0),
            f"estimated: municipal shares of the nearest official date 31.12.{y0} "
            f"(GV Auszug), scaled to the official Kreis total",
            "Destatis GV Auszug",
        )
    w = (year - lo) / (hi - lo)
    sh = np.exp((1 - w) * np.log(shares(lo)) + w * np.log(shares(hi)))
    return (
        sh,
        f"estimated: municipal shares interpolated log-linearly between 31.12.{lo} and "
        f"31.12.{hi} (official, GV Auszug), scaled to the official Kreis total",
        "Destatis GV Auszug",
    )
