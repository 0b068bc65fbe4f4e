"""Population history per municipality and for the Kreis across the census breaks.

Two things are kept apart on purpose:

* **Levels** (``population``) are shown as published, each with its census basis
  (VZ 1987, Zensus 2011, Zensus 2022). A level series has a *break* where the basis
  changes: the jump at a census is a correction of the register count, not people moving.
* **Census-neutral levels** (``linked_population``) rescale every level to the newest
  basis (Zensus 2022) by proportional link factors, one per area and census. Within one
  basis, the growth between two dates equals the official growth exactly; across a break,
  the census correction is removed. Use them for trend and growth charts only, and label
  them as linked.

How the bases are linked (see :func:`census_breaks`)
----------------------------------------------------
Zensus 2011 (old basis: Fortschreibung VZ 1987; new: Zensus 2011), per area, in order of
preference, a pair on the *same date* 31.12.2011:

1. the old-basis level quoted by the Aachener Nachrichten (IT.NRW figures; Jülich, Linnich,
   Aldenhoven, Titz, Inden) vs the census-based level quoted by ederen.de;
2. the revision in per cent of the same date quoted by the Aachener Nachrichten (Merzenich,
   Hürtgenwald; one decimal, so ±0.05 percentage points);
3. otherwise the pre-census level implied by ederen.de (census-based level minus the stated
   difference). Its reference date is not stated (it sums to the article's 267,824, which
   is not the BBSR 31.12.2011 value 267.1k); the link is flagged ``date ambiguous``.
   Where (1) and (3) both exist they differ by 0.0–0.6 %, the size of this uncertainty.

For the Kreis: BBSR 31.12.2011 on the old basis (267.1k, rounded to 100) vs 258,524
(consistent with the quoted −3.2 %).

Zensus 2022 (old: Fortschreibung Zensus 2011; new: Zensus 2022):

* Kreis: both bases are published for 31.12.2022 (270,833 = sum of the municipal Z11 values
  in the BBSR reference file; 276,675 Regionalstatistik 12411-02-03-4).
* Municipalities: the first official Zensus-2022-based year-end figure is 31.12.2024 (IT.NRW
  12411-15i, :func:`dashboard.data.official_municipal_totals`); for 31.12.2022/2023 there is
  only the Zensus-2011-based Fortschreibung. The link therefore pairs the census result of
  15.05.2022 with the Zensus-2011-based level on the same day, interpolated log-linearly
  between 31.12.2021 (GV Auszug) and 31.12.2022 (BBSR). The interpolation is flagged in
  ``link_method``.

The official municipal levels of 31.12.2024 are always included (``estimated=False``).
Estimated Zensus-2022-based municipal levels at 31.12.2022 and 2023
(:func:`dashboard.data.sex_totals.municipal_sex_totals`: log-linear interpolation between the
census result and the official 31.12.2024 total, scaled to the official Kreis totals) can be
included; they carry ``estimated=True`` and, like every Zensus-2022-based level, link factor 1.

Two row selections per area and date:

* ``primary`` (levels to show): official before estimated, then the newest basis. After the
  census day the municipal primary rows are the official Zensus-2011-based levels of 2022/2023
  and the official Zensus-2022-based level of 2024.
* ``linked_primary`` (the census-neutral series, :func:`linked_growth`): the newest basis
  first, then official before estimated. After the census day it follows the Zensus 2022
  basis (census result → estimated 2022/2023 → official 2024). Mixing the two
  Fortschreibungen instead would put their different growth since the census into the step
  2023→2024 (measured: −1.5 … +1.7 % against 0.0 … 2.3 %/year on the Zensus 2022 basis; after
  15.05.2022 the Kreis grew by 0.5 % to 31.12.2022 on the Zensus-2022 basis but by ~1.0 % on
  the Zensus-2011 basis).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from dashboard.constants import (
    BASIS_VZ1987,
    BASIS_Z2011,
    BASIS_Z2022,
    CENSUS_DATES,
    KREIS_AGS,
    KREIS_NAME,
    MUNICIPALITIES,
)
from dashboard.data.embedded import (
    KREIS_BBSR_SERIES_FILE,
    _read_csv,
    municipal_totals,
    population_figures_from_pages,
    zensus2022_municipal,
)
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.official import official_municipal_totals
from dashboard.data.sex_totals import municipal_sex_totals

#: Bases in chronological order.
BASES: tuple[str, str, str] = (BASIS_VZ1987, BASIS_Z2011, BASIS_Z2022)
KREIS_FILE = KREIS_BBSR_SERIES_FILE
Z11_LINK_DATE = pd.Timestamp("2011-12-31")
Z22_CENSUS_DATE = pd.Timestamp(CENSUS_DATES[BASIS_Z2022])
Z22_KREIS_LINK_DATE = pd.Timestamp("2022-12-31")

HISTORY_COLUMNS = (
    "ags",
    "municipality",
    "reference_date",
    "year",
    "population",
    "basis",
    "basis_detail",
    "precision",
    "official_table",
    "estimated",
    "source",
    "link_factor",
    "linked_population",
    "primary",
    "linked_primary",
)


def _precision_rank(precision: str, official: bool) -> int:
    p = str(precision)
    if "round" in p:
        return 3
    if "quoted" in p or not official:
        return 2
    return 0 if "exact" in p else 1


def _pages() -> pd.DataFrame:
    return population_figures_from_pages()


@functools.cache
def _kreis_levels() -> pd.DataFrame:
    k = _read_csv(KREIS_FILE, dtype={"ags": str})
    date = pd.to_datetime(k.ref_date, errors="coerce")
    bad = date.isna()
    if bad.any():
        raise DataFormatError(
            [
                problem(KREIS_FILE, int(i) + 2, "ref_date", "ein Datum JJJJ-MM-TT", k.at[i, "ref_date"])
                for i in k.index[bad]
            ]
        )

    def basis(row: pd.Series, d: pd.Timestamp) -> str:
        b = str(row.basis)
        if "2022" in b:
            return BASIS_Z2022
        if b == "see municipal file":  # sums of GV municipal values
            return BASIS_VZ1987 if d <= pd.Timestamp("2010-12-31") else BASIS_Z2011
        if "pre-census basis" in b and d == Z11_LINK_DATE:  # BBSR 2011 value 267.1k
            return BASIS_VZ1987
        if "2011" in b:
            return BASIS_Z2011
        if "1987" in b or "1970" in b:
            return BASIS_VZ1987
        raise DataFormatError(problem(KREIS_FILE, None, "basis", "eine bekannte Zensusbasis", b))

    bases = [basis(r, d) for (_, r), d in zip(k.iterrows(), date)]
    official = ~k.source.str.startswith("http")
    out = pd.DataFrame(
        {
            "ags": KREIS_AGS,
            "municipality": KREIS_NAME,
            "reference_date": date,
            "year": date.dt.year,
            "population": k.pop_total.astype("int64"),
            "basis": bases,
            "basis_detail": np.where(k.basis == "see municipal file", "sum of municipal values", k.basis),
            "precision": k.precision,
            "official_table": official,
            "estimated": False,
            "source": k.source,
        }
    )
    return out


def _municipal_levels(include_estimates: bool) -> pd.DataFrame:
    m = municipal_totals()
    out = m[
        [
            "ags",
            "municipality",
            "reference_date",
            "year",
            "population",
            "basis",
            "basis_detail",
            "precision",
            "official_table",
            "source",
        ]
    ].copy()
    out["estimated"] = False
    # old-basis levels of 31.12.2011 quoted by the Aachener Nachrichten (same date as census-based)
    p = _pages()
    pre = p[
        (p.measure == "population")
        & (p.ref_date == "2011-12-31")
        & p.basis.str.contains("pre-census", na=False)
        & p.ags.isin(list(MUNICIPALITIES))
    ]
    extra = pd.DataFrame(
        {
            "ags": pre.ags,
            "municipality": pre.ags.map(MUNICIPALITIES),
            "reference_date": Z11_LINK_DATE,
            "year": 2011,
            "population": pre.value.astype("int64"),
            "basis": BASIS_VZ1987,
            "basis_detail": pre.basis,
            "precision": "exact (as quoted)",
            "official_table": False,
            "estimated": False,
            "source": pre.source_url,
        }
    )
    t24 = official_municipal_totals()
    official24 = pd.DataFrame(
        {
            "ags": t24.ags,
            "municipality": t24.municipality,
            "reference_date": t24.reference_date,
            "year": t24.year,
            "population": t24.population,
            "basis": BASIS_Z2022,
            "basis_detail": "Fortschreibung Zensus 2022 (IT.NRW 12411-15i)",
            "precision": "exact",
            "official_table": True,
            "estimated": False,
            "source": "IT.NRW Landesdatenbank 12411-15i (" + t24.source + ")",
        }
    )
    frames = [out, extra, official24]
    if include_estimates:
        for y in (2022, 2023):
            t = municipal_sex_totals(y)
            s = t.groupby("ags", sort=False).population.sum()
            frames.append(
                pd.DataFrame(
                    {
                        "ags": s.index,
                        "municipality": s.index.map(MUNICIPALITIES),
                        "reference_date": pd.Timestamp(f"{y}-12-31"),
                        "year": y,
                        "population": s.to_numpy(),
                        "basis": BASIS_Z2022,
                        "basis_detail": "Fortschreibung Zensus 2022 (estimated)",
                        "precision": "estimate",
                        "official_table": False,
                        "estimated": True,
                        "source": "estimated: " + str(t.method.iloc[0]),
                    }
                )
            )
    res = pd.concat(frames, ignore_index=True)
    res["population"] = res.population.astype(float)
    return res


def _level_at(levels: pd.DataFrame, ags: str, basis: str, date: pd.Timestamp) -> pd.Series | None:
    """Best level row (exact official first) of one area, basis and date."""
    r = levels[
        (levels.ags == ags) & (levels.basis == basis) & (levels.reference_date == date) & ~levels.estimated
    ]
    if r.empty:
        return None
    rank = [_precision_rank(pr, off) for pr, off in zip(r.precision, r.official_table)]
    return r.iloc[int(np.argmin(rank))]


@functools.cache
def _census_breaks() -> pd.DataFrame:
    levels = pd.concat([_municipal_levels(False), _kreis_levels()], ignore_index=True)
    p = _pages()
    rows = []
    areas = list(MUNICIPALITIES) + [KREIS_AGS]
    names = {**MUNICIPALITIES, KREIS_AGS: KREIS_NAME}
    for ags in areas:
        # ---------------- Zensus 2011
        new = _level_at(levels, ags, BASIS_Z2011, Z11_LINK_DATE)
        old = _level_at(levels, ags, BASIS_VZ1987, Z11_LINK_DATE)
        pct = p[(p.ags == ags) & (p.measure == "census_2011_revision_pct_vs_old_fortschreibung")]
        implied = p[(p.ags == ags) & (p.measure == "population_pre_census_implied")]
        rec = {
            "ags": ags,
            "municipality": names[ags],
            "census": "Zensus 2011",
            "old_basis": BASIS_VZ1987,
            "new_basis": BASIS_Z2011,
            "link_date": Z11_LINK_DATE,
        }
        if new is None:
            rec.update(
                old_level=np.nan,
                new_level=np.nan,
                link_factor=np.nan,
                link_method="no census-based level for 31.12.2011",
                link_quality="missing",
                sources="",
            )
        elif old is not None:
            rec.update(
                old_level=float(old.population),
                new_level=float(new.population),
                link_factor=float(new.population) / float(old.population),
                link_method="old- and census-based level of the same date 31.12.2011",
                link_quality="same date" + (" (old level rounded)" if "round" in str(old.precision) else ""),
                sources=f"{old.source} | {new.source}",
            )
        elif not pct.empty:
            f = 1 + float(pct.value.iloc[0]) / 100
            rec.update(
                old_level=float(new.population) / f,
                new_level=float(new.population),
                link_factor=f,
                link_method="census revision in % of the same date 31.12.2011 (quoted, 1 decimal)",
                link_quality="same date (percentage rounded to 0.1)",
                sources=f"{pct.source_url.iloc[0]} | {new.source}",
            )
        elif not implied.empty:
            o = float(implied.value.iloc[0])
            rec.update(
                old_level=o,
                new_level=float(new.population),
                link_factor=float(new.population) / o,
                link_method="pre-census level implied by the quoted difference; its reference "
                "date is not stated (about 2011)",
                link_quality="date ambiguous",
                sources=f"{implied.source_url.iloc[0]} | {new.source}",
            )
        else:
            rec.update(
                old_level=np.nan,
                new_level=float(new.population),
                link_factor=np.nan,
                link_method="no old-basis level to link",
                link_quality="missing",
                sources=str(new.source),
            )
        rows.append(rec)
        # ---------------- Zensus 2022
        rec = {
            "ags": ags,
            "municipality": names[ags],
            "census": "Zensus 2022",
            "old_basis": BASIS_Z2011,
            "new_basis": BASIS_Z2022,
        }
        if ags == KREIS_AGS:
            o = _level_at(levels, ags, BASIS_Z2011, Z22_KREIS_LINK_DATE)
            n = _level_at(levels, ags, BASIS_Z2022, Z22_KREIS_LINK_DATE)
            rec.update(
                link_date=Z22_KREIS_LINK_DATE,
                old_level=float(o.population),
                new_level=float(n.population),
                link_factor=float(n.population) / float(o.population),
                link_method="Zensus-2011- and Zensus-2022-based level of the same date 31.12.2022",
                link_quality="same date",
                sources=f"{o.source} | {n.source}",
            )
        else:
            a = _level_at(levels, ags, BASIS_Z2011, pd.Timestamp("2021-12-31"))
            b = _level_at(levels, ags, BASIS_Z2011, pd.Timestamp("2022-12-31"))
            z = zensus2022_municipal().set_index("ags").population
            w = (Z22_CENSUS_DATE - a.reference_date).days / (b.reference_date - a.reference_date).days
            o = float(np.exp((1 - w) * np.log(float(a.population)) + w * np.log(float(b.population))))
            n = float(z[ags])
            rec.update(
                link_date=Z22_CENSUS_DATE,
                old_level=o,
                new_level=n,
                link_factor=n / o,
                link_method="census result 15.05.2022 vs the Zensus-2011-based level of that day, "
                "interpolated log-linearly between 31.12.2021 and 31.12.2022",
                link_quality="same date (old level interpolated)",
                sources=f"{a.source} | {b.source} | Zensus 2022 1000A-0000",
            )
        rows.append(rec)
    out = pd.DataFrame(rows)
    out["difference"] = out.new_level - out.old_level
    out["difference_pct"] = 100 * (out.link_factor - 1)
    return out[
        [
            "ags",
            "municipality",
            "census",
            "link_date",
            "old_basis",
            "new_basis",
            "old_level",
            "new_level",
            "difference",
            "difference_pct",
            "link_factor",
            "link_quality",
            "link_method",
            "sources",
        ]
    ]


def census_breaks() -> pd.DataFrame:
    """Size of each census break per municipality and for the Kreis (ags ``"05358"``).

    Returns
    -------
    DataFrame ``ags, municipality, census, link_date, old_basis, new_basis, old_level,
    new_level, difference, difference_pct, link_factor, link_quality, link_method, sources``
    (persons; ``link_factor = new_level / old_level``). Two rows per area: Zensus 2011 and
    Zensus 2022. ``link_quality`` says how exact the pairing is (see module docstring).
    """
    return _census_breaks().copy()


@functools.cache
def _history(include_estimates: bool) -> pd.DataFrame:
    lv = pd.concat([_municipal_levels(include_estimates), _kreis_levels()], ignore_index=True)
    br = _census_breaks()
    f11 = br[br.census == "Zensus 2011"].set_index("ags").link_factor
    f22 = br[br.census == "Zensus 2022"].set_index("ags").link_factor
    factor = np.where(
        lv.basis == BASIS_Z2022,
        1.0,
        np.where(lv.basis == BASIS_Z2011, lv.ags.map(f22), lv.ags.map(f22) * lv.ags.map(f11)),
    )
    lv["link_factor"] = factor.astype(float)
    lv["linked_population"] = lv.population * lv.link_factor
    # one primary row per area and date: newest basis, then official exact before rounded/quoted,
    # then official before estimated
    lv["_b"] = -lv.basis.map({b: i for i, b in enumerate(BASES)})
    lv["_p"] = [_precision_rank(pr, off) for pr, off in zip(lv.precision, lv.official_table)]
    lv["_e"] = lv.estimated.astype(int)
    lv = lv.sort_values(["ags", "reference_date", "_e", "_b", "_p"]).reset_index(drop=True)
    lv["primary"] = ~lv.duplicated(["ags", "reference_date"])
    # the row that carries the census-neutral series: newest basis first (after the Zensus 2022
    # day the Zensus-2022-based levels, estimated ones included, rather than the superseded
    # Zensus-2011-based Fortschreibung), then official before estimated, then precision
    lv = lv.sort_values(["ags", "reference_date", "_b", "_e", "_p"])
    lv["linked_primary"] = ~lv.duplicated(["ags", "reference_date"])
    lv = lv.sort_values(["ags", "reference_date", "_e", "_b", "_p"]).reset_index(drop=True)
    lv = lv.drop(columns=["_b", "_p", "_e"])
    lv["year"] = lv.year.astype("int64")
    return lv[list(HISTORY_COLUMNS)]


def municipal_history(*, include_estimates: bool = True) -> pd.DataFrame:
    """Population levels per municipality and for the Kreis with basis and linked values.

    Parameters
    ----------
    include_estimates : add the project's estimated Zensus-2022-based municipal levels for
        31.12.2022 and 2023 (``estimated=True``). The official levels of 31.12.2024 (IT.NRW
        12411-15i) are always included.

    Returns
    -------
    DataFrame ``ags, municipality, reference_date, year, population, basis, basis_detail,
    precision, official_table, estimated, source, link_factor, linked_population, primary,
    linked_primary``.
    ``population`` is the level as published (persons) on ``basis``; ``linked_population``
    the census-neutral level on the Zensus 2022 scale (persons; for growth and trend charts,
    not to be shown as a count). ``primary`` marks one row per area and date: official
    before estimated, then the newest basis, then exact before quoted before rounded;
    ``linked_primary`` one row per area and date for the census-neutral series (newest basis
    first, then official before estimated; see the module docstring). Kreis rows have
    ``ags == "05358"``.
    """
    return _history(bool(include_estimates)).copy()


def linked_growth(ags: str, start: str | pd.Timestamp, end: str | pd.Timestamp) -> float:
    """Census-neutral growth factor of one area between two dates (``linked_primary`` rows).

    Returns ``linked_population(end) / linked_population(start)``; raises ``KeyError`` when
    the area has no level at one of the dates.
    """
    h = _history(True)
    h = h[(h.ags == ags) & h.linked_primary].set_index("reference_date").linked_population
    return float(h[pd.Timestamp(end)] / h[pd.Timestamp(start)])
