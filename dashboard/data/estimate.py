"""Estimate the population by municipality × sex × single age (0–99, 100+), openly.

No official table of the municipal age × sex structure ships with the project (Regionalstatistik
12411-02-03-5 would have it). Until a user imports one, the structure is *estimated*; the
method depends on the census basis of the date (details and measured figures in
``data/README.md``). Its parts: the Kreis by sex × single age in
:mod:`dashboard.data.kreis_ages`, the municipal totals by sex in
:mod:`dashboard.data.sex_totals`, ageing, smoothing and raking in :mod:`dashboard.data.ageing`;
this module assembles them (prior, raking, imported official tables, report).

**Zensus 2022 basis (31.12.2022–2024, the base year)** — the census aged forward, raked:

1. **Kreis by sex × single age** (:func:`~dashboard.data.kreis_ages.kreis_single_ages`): the
   official single ages of IT.NRW 12411-09i (0 … 89, 90+, both sexes; 31.12.2024) as they are;
   the split by sex (:func:`~dashboard.data.kreis_ages.split_single_ages_by_sex`: life-table
   female share × a smooth correction meeting the official sex × 17 groups exactly) and of 90+
   over 90 … 100 (life-table person-years) are estimated. Years without official single ages:
   PCHIP graduation (below).
2. **Prior** (:func:`census_prior`): the Zensus 2022 municipal age classes (15.05.2022)
   carried forward cohort by cohort (:func:`dashboard.data.ageing.age_forward`): each
   municipality keeps its census share of every Kreis birth cohort (smooth over age,
   :func:`census_share_curves`), so its cohorts change at the Kreis's rates — deaths and net
   migration by age applied to the local population; born after the census: shared like
   census age 0. Sex: the Kreis female share by age, shifted in odds to the municipality's
   Zensus 2022 female share.
3. **Raking** (:func:`dashboard.data.ageing.rake`) to the official municipal totals (IT.NRW
   12411-15i for 2024; interpolated census → 2024 for 2022/2023,
   :func:`~dashboard.data.sex_totals.municipal_sex_totals`), the official Kreis single ages
   (2024) and the Kreis sex × 17 groups, all exactly.

**Zensus 2011 basis (31.12.2015–2021)** — the Zensus 2011 grid prior:

1. **Graduation** (:func:`~dashboard.data.kreis_ages.graduate`). The Kreis table by sex × 17
   age groups (:func:`dashboard.data.kreis_age_groups`) is split into single years. For the
   closed groups (0–2 … 65–74) a monotone cubic (PCHIP,
   :class:`scipy.interpolate.PchipInterpolator`) is fitted through the cumulative population at
   the group boundaries; single-year counts are its first differences. PCHIP keeps a monotone
   cumulative monotone, so counts are never negative, and it passes through every knot, so
   every group sum is kept exactly. The open group 75+ is spread over ages 75…99 and 100+ in
   proportion to the person-years ``L_x`` of the Germany period life table 2023/25 (Destatis
   12621-0001) of the same sex, i.e. the shape of a stationary population. This ignores
   differences in cohort size among the old (e.g. the small cohorts born 1945–46) — a
   documented limitation.
2. **Municipal prior.** For municipality *m*, sex *s* and age *a* the prior is
   ``T[m,s] · k[s,a] · f[m,G(a)]`` normalised to ``T[m,s]``, where ``k`` is the graduated
   Kreis structure, ``T`` the municipal total by sex and ``f[m,G] = share[m,G] / share[Kreis,G]``
   the relative weight of the Zensus 2011 1-km-grid age group *G* (0–17, 18–29, 30–49,
   50–64, 65+; :func:`dashboard.data.grid_age_shares`) in the municipality vs the Kreis,
   spread smoothly over age (:func:`smooth_grid_factors`).
3. **Raking** (:func:`dashboard.data.ageing.ipf`) of the cells to the Kreis table by sex × 17
   age groups and the municipal totals by sex. Results are persons as real numbers (not
   rounded); the margins are met to < 1e-6 persons.
4. **Municipal totals by sex** (:func:`~dashboard.data.sex_totals.municipal_sex_totals`) come
   from the Destatis Gemeindeverzeichnis (GV Auszug) where it has an official figure for the
   date (31.12.2017, 31.12.2021); otherwise log-linear interpolation of each municipality's
   share between the nearest official dates, the sex split from the latest official female
   share, raked to the official Kreis totals by sex.

An OFFICIAL municipal age table published in the store (``imported_municipal_age_tables()``
of :mod:`dashboard.data.imports`: the served, validated release; read through
:func:`_imported_tables` only) replaces the estimate for the municipalities and year it covers:
single ages are used as they are (``estimated=False``); age groups are graduated within each
official group (flagged ``estimated`` because the within-group split is estimated). The other
municipalities are raked to the margins minus the imported ones; if the imported tables'
graduated single ages exceed the official Kreis single ages somewhere, that margin is left out
and the report says so (``summary["kreis_single_age_margin_note"]``).
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.constants import (
    AGE_GROUPS_17,
    AGS_LIST,
    BASIS_Z2022,
    MUNICIPALITIES,
    N_AGES,
    OPEN_AGE,
    SEXES,
)
from dashboard.data.ageing import (
    IPF_MAX_ITER,
    IPF_TOL,
    age_forward,
    ipf,
    lexis_weights,
    rake,
    smooth_group_factors,
)
from dashboard.data.embedded import (
    GRID_AGE_GROUPS,
    grid_age_shares,
)
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.kreis_ages import (
    GROUP17_OF_AGE,
    ITNRW_OPEN_AGE,
    graduate,
    group_index,
    kreis_groups,
    kreis_sex_single,
    kreis_years,
    life_table_weights,
    official_single_ages,
)
from dashboard.data.kreis_ages import kreis_single_ages as kreis_single_ages  # public here too
from dashboard.data.official import (
    ZENSUS22_AGE_CLASSES,
    zensus2022_age_classes,
)
from dashboard.data.sex_totals import ZENSUS2022_DATE, municipal_sex_totals, zensus_female_share
from dashboard.text import SEX_LABELS, fmt_dec

#: Zensus 2011 grid age groups (inclusive bounds); their boundaries are also boundaries of
#: the 17 Kreis groups, so grid factors are constant within every Kreis group.
GRID_GROUPS: dict[str, tuple[int, int]] = GRID_AGE_GROUPS
GRID_OF_AGE = group_index(list(GRID_GROUPS.values()))

USER_TABLE_COLUMNS = ("ags", "year", "sex", "age_min", "age_max", "population")


# --------------------------------------------------------------------------------------
# 4. Official municipal age tables imported by the user (optional)
# --------------------------------------------------------------------------------------


def _imported_tables() -> list[pd.DataFrame]:
    """Official municipal age tables published in the store (the served, validated release)."""
    from dashboard.data.imports import imported_municipal_age_tables

    return list(imported_municipal_age_tables())


def _validate_user_table(t: pd.DataFrame, name: str) -> list:
    """All problems of one imported table (tidy contract of USER_TABLE_COLUMNS)."""
    probs = []
    missing = [c for c in USER_TABLE_COLUMNS if c not in t.columns]
    if missing:
        return [problem(name, None, c, "eine Spalte dieses Namens", "fehlt") for c in missing]
    rows = [int(i) + 2 if isinstance(i, (int, np.integer)) else None for i in t.index]
    pop = pd.to_numeric(t.population, errors="coerce")
    amin = pd.to_numeric(t.age_min, errors="coerce")
    amax = pd.to_numeric(t.age_max, errors="coerce")
    year = pd.to_numeric(t.year, errors="coerce")
    checks = [
        (~t.ags.astype(str).isin(list(MUNICIPALITIES)), "ags", "eine AGS des Kreises Düren", t.ags),
        (year.isna() | (year != year.round()), "year", "ein Jahr (ganze Zahl)", t.year.astype(str)),
        (~t.sex.isin(list(SEXES)), "sex", f"eines von {SEXES}", t.sex),
        (pop.isna() | (pop < 0), "population", "eine Zahl ≥ 0", t.population),
        (
            amin.isna() | amax.isna() | ~((amin >= 0) & (amin <= amax) & (amax <= OPEN_AGE)),
            "age_min/age_max",
            f"0 ≤ age_min ≤ age_max ≤ {OPEN_AGE}",
            t.age_min.astype(str) + "/" + t.age_max.astype(str),
        ),
    ]
    for mask, col, expected, found in checks:
        for k in np.flatnonzero(mask.to_numpy()):
            probs.append(problem(name, rows[k], col, expected, found.iloc[k]))
    dup = t.duplicated(["ags", "year", "sex", "age_min"], keep=False).to_numpy()
    for k in np.flatnonzero(dup):
        probs.append(problem(name, rows[k], "ags/year/sex/age_min", "eine Zeile je Schlüssel", "doppelt"))
    if probs:
        return probs
    for (ags, year, sex), g in t.groupby(["ags", "year", "sex"]):
        g = g.sort_values("age_min")
        b = list(zip(g.age_min.astype(int), g.age_max.astype(int)))
        ok = (
            b[0][0] == 0
            and b[-1][1] == OPEN_AGE
            and all(b[i][1] + 1 == b[i + 1][0] for i in range(len(b) - 1))
        )
        if not ok:
            probs.append(
                problem(
                    name,
                    None,
                    "age_min/age_max",
                    f"lückenlose Altersgruppen 0…{OPEN_AGE} für {ags}, {year}, {sex}",
                    str(b),
                )
            )
    return probs


def official_municipal_cells(
    year: int,
    tables: list[pd.DataFrame] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, bool], str]:
    """Cells (sex, age) per municipality from imported official tables for 31.12.year.

    Parameters
    ----------
    year : reference year (31 Dec).
    tables : tidy tables ``ags, year, sex, age_min, age_max, population`` (+ provenance
        columns ``table, publisher, source, licence`` if present); default: the tables
        published in the store (``dashboard.data.imports``), none if nothing is published.

    Returns
    -------
    (cells, split, provenance): ``cells[ags]`` is a (2, 101) array in persons;
    ``split[ags]`` is True where age groups had to be split into single years (the figures
    themselves are official: callers flag such cells ``estimated=False`` and
    ``age_split_estimated=split[ags]``).
    Municipalities without both sexes in an imported table are left out.
    """
    cells: dict[str, np.ndarray] = {}
    est: dict[str, bool] = {}
    prov = []
    problems = []
    for n, t in enumerate(_imported_tables() if tables is None else tables):
        name = str(t.attrs.get("source", f"importierte Tabelle {n + 1}"))
        t = t.copy()
        if "ags" in t.columns:
            t["ags"] = t.ags.astype(str)
        p = _validate_user_table(t, name)
        if p:
            problems.extend(p)
            continue
        t = t[t.year.astype(int) == year]
        for ags, g in t.groupby("ags"):
            if set(g.sex) != set(SEXES) or ags in cells:
                continue
            arr = np.zeros((len(SEXES), N_AGES))
            is_single = bool((g.age_min == g.age_max).all()) and len(g) == len(SEXES) * N_AGES
            for s, sex in enumerate(SEXES):
                gs = g[g.sex == sex].sort_values("age_min")
                bounds = list(zip(gs.age_min.astype(int), gs.age_max.astype(int)))
                counts = gs.population.astype(float).to_numpy()
                if is_single:
                    arr[s] = counts
                else:
                    arr[s] = graduate(counts, bounds, tail_weights=life_table_weights(sex, bounds[-1][0]))
            cells[str(ags)] = arr
            est[str(ags)] = not is_single
            for c in ("table", "publisher", "source", "licence"):
                if c in g.columns:
                    prov.append(f"{c}={g[c].iloc[0]}")
    if problems:
        raise DataFormatError(problems)
    return cells, est, "; ".join(dict.fromkeys(prov))


# --------------------------------------------------------------------------------------
# 5. The estimate
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """Estimated base population of one date with its fit report.

    Attributes
    ----------
    year : reference date 31.12.year.
    population : tidy frame ``ags, municipality, year, sex, age, population, estimated``
        (persons, float).
    fit : per municipality × sex × grid group: ``prior``, ``raked``, ``ratio`` (raked/prior),
        ``log_adjustment`` (ln ratio) — how far the prior had to move.
    totals : municipal totals by sex used as margin (:func:`~dashboard.data.sex_totals.municipal_sex_totals`).
    summary : scalar fit figures (iterations, residual, max/mean |log adjustment|, …).
    method_de, method_en : short method texts for the Methodik page.
    """

    year: int
    population: pd.DataFrame
    fit: pd.DataFrame
    totals: pd.DataFrame
    summary: dict = field(default_factory=dict)
    method_de: str = ""
    method_en: str = ""


def _grid_factors() -> np.ndarray:
    """f[m, G] = municipal grid share / Kreis grid share (15 × 5)."""
    g = grid_age_shares()
    order = {c: i for i, c in enumerate(["age_0_17", "age_18_29", "age_30_49", "age_50_64", "age_65plus"])}
    persons = np.zeros((len(AGS_LIST), len(order)))
    for r in g.itertuples():
        persons[AGS_LIST.index(r.ags), order[r.grid_group]] = r.persons_grid
    share_m = persons / persons.sum(axis=1, keepdims=True)
    share_k = persons.sum(axis=0) / persons.sum()
    return share_m / share_k


def smooth_grid_factors(factors: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Spread group factors over single ages smoothly, keeping every group's weighted mean.

    A factor that is constant within each Zensus-2011 grid group (0–17, 18–29, …) makes the
    estimated single-age profile jump at the group boundaries (Nideggen: ×1.05 at age 17,
    ×0.77 at 18), which real populations do not do. Instead the factor is a piecewise-linear
    function of age through one node per group, placed at the group's weighted mean age
    (constant before the first and after the last node). The node values are solved from the
    linear system "weighted mean of the curve over group G = group factor of G", so the prior's
    grid-group totals are the same as with the step function, exactly; only the shape within
    groups changes.

    Parameters
    ----------
    factors : (m, G) municipal / Kreis grid-share ratios, G in GRID_GROUPS order.
    weights : (a,) Kreis persons by single age (both sexes), the weights of the group means.

    Returns
    -------
    (m, a) factors by single age.

    Raises
    ------
    ValueError
        If a solved curve is not positive (the step factors are then the only safe choice;
        does not happen for the shipped grid data).
    """
    curve = smooth_group_factors(factors, weights, list(GRID_GROUPS.values()))
    if not (curve > 0).all():
        raise ValueError("smoothed grid factors are not positive")
    return curve


def _prior(totals: np.ndarray, kreis_single: np.ndarray) -> np.ndarray:
    """Prior cells (m, s, a): municipal totals × Kreis single ages × smoothed grid factors."""
    f = smooth_grid_factors(_grid_factors(), kreis_single.sum(axis=0))  # (m, a)
    shape = kreis_single[None, :, :] * f[:, None, :]
    shape = shape / shape.sum(axis=2, keepdims=True)
    return totals[:, :, None] * shape


def _tidy(
    year: int,
    cells: np.ndarray,
    estimated: dict[str, bool],
    total_estimated: dict[str, bool] | None = None,
    age_split_estimated: dict[str, bool] | None = None,
) -> pd.DataFrame:
    """(region, sex, age) array -> tidy population frame in contract order.

    ``estimated[ags]`` flags the cells (age × sex structure), ``total_estimated[ags]`` the
    municipal total, ``age_split_estimated[ags]`` whether single ages are a split of coarser
    figures (graduation or estimate); both default to ``estimated``.
    """
    total_estimated = estimated if total_estimated is None else total_estimated
    age_split_estimated = estimated if age_split_estimated is None else age_split_estimated
    rows = []
    ages = np.arange(N_AGES)
    for i, a in enumerate(AGS_LIST):
        for s, sex in enumerate(SEXES):
            rows.append(
                pd.DataFrame(
                    {
                        "ags": a,
                        "municipality": MUNICIPALITIES[a],
                        "year": year,
                        "sex": sex,
                        "age": ages,
                        "population": cells[i, s],
                        "estimated": estimated[a],
                        "total_estimated": total_estimated[a],
                        "age_split_estimated": age_split_estimated[a],
                    }
                )
            )
    pop = pd.concat(rows, ignore_index=True)
    pop["year"] = pop.year.astype("int64")
    pop["age"] = pop.age.astype("int64")
    pop["estimated"] = pop.estimated.astype(bool)
    pop["total_estimated"] = pop.total_estimated.astype(bool)
    pop["age_split_estimated"] = pop.age_split_estimated.astype(bool)
    return pop


def _official_only(
    year: int, official: dict[str, np.ndarray], official_est: dict[str, bool], prov: str
) -> Estimate:
    """All 15 municipalities from imported official tables, for a year without Kreis table."""
    cells = np.stack([official[a] for a in AGS_LIST])
    pop = _tidy(year, cells, dict.fromkeys(AGS_LIST, False), dict.fromkeys(AGS_LIST, False), official_est)
    totals = pd.DataFrame(
        [
            {
                "ags": a,
                "municipality": MUNICIPALITIES[a],
                "year": year,
                "sex": sex,
                "population": float(cells[i, s].sum()),
                "estimated": False,
                "total": float(cells[i].sum()),
                "total_estimated": False,
                "basis": "",
                "method": "official: imported municipal table",
                "source": prov,
            }
            for i, a in enumerate(AGS_LIST)
            for s, sex in enumerate(SEXES)
        ]
    )
    fit = pd.DataFrame(
        columns=[
            "ags",
            "municipality",
            "sex",
            "grid_group",
            "prior",
            "raked",
            "ratio",
            "official_table",
            "log_adjustment",
        ]
    )
    summary = {
        "year": year,
        "basis": "",
        "kreis_total": float(cells.sum()),
        "ipf_iterations": 0,
        "ipf_max_residual": 0.0,
        "kreis_margin_max_abs_error": float("nan"),
        "municipal_margin_max_abs_error": 0.0,
        "max_abs_log_adjustment_group17": 0.0,
        "mean_abs_log_adjustment_group17": 0.0,
        "max_abs_log_adjustment_grid": 0.0,
        "mean_abs_log_adjustment_grid": 0.0,
        "municipal_totals_estimated": False,
        "municipal_sex_split_estimated": False,
        "municipal_totals_method": "official: imported municipal table",
        "official_municipal_tables": list(AGS_LIST),
        "official_table_provenance": prov,
        "min_cell": float(cells.min()),
    }
    split = any(official_est.values())
    de = f"Bevölkerung am 31.12.{year} aus der importierten amtlichen Gemeindetabelle" + (
        " (Altersgruppen in Einzelalter zerlegt, PCHIP)." if split else "."
    )
    en = f"Population at 31.12.{year} from the imported official municipal table" + (
        " (age groups split into single years, PCHIP)." if split else "."
    )
    return Estimate(year, pop, fit, totals, summary, de, en)


#: imported tables by their content hash (the cache key of :func:`_estimate`)
_TABLES_BY_TOKEN: dict[tuple[int, ...], list[pd.DataFrame]] = {}


def data_version() -> tuple:
    """Version of the input data: the store's release number of the served official tables.

    ``()`` when none is published (the shipped data alone; the shipped raw files are immutable,
    hashes checked by every loader). Read through :func:`dashboard.data.imports.data_version`:
    one small query at most every few seconds, never a hash of the data. Every cache
    downstream (estimate, assumptions, projections, uncertainty, backtest, app views) is keyed
    on it, so a published official municipal age table takes effect without a restart.
    """
    from dashboard.data.imports import data_version as served_version
    from dashboard.data.imports import pinned

    with pinned():  # the token and its tables from the same served release
        token = served_version()
        if token not in _TABLES_BY_TOKEN:
            _TABLES_BY_TOKEN[token] = [t.copy() for t in _imported_tables()]
    return token


@contextlib.contextmanager
def one_data_version(state: object = None) -> Iterator[tuple]:
    """Compute inside the block with one data version (yielded): this thread sees the served
    release of the block's start, whatever is published meanwhile (and nested blocks keep it).

    Every cache keyed on :func:`data_version` reads its key and computes inside such a block, so
    a result is always stored under the version of the data it was computed from — e.g. the
    app's background warm-up computing while a release is published (or while a test serves
    other tables) can never leave the numbers of one release under the key of another.
    ``state``: the served state to compute with (:func:`served_state` of the thread that
    started the work), e.g. in a background job; default the one served now.
    """
    from dashboard.data.imports import pinned

    with pinned(state):
        yield data_version()


def served_state() -> object:
    """This thread's served state (pinned inside :func:`one_data_version`), to hand to
    ``one_data_version(state)`` in another thread that finishes the same work."""
    from dashboard.data.imports import current

    return current()


#: Census classes of the Zensus 2022 (labels, inclusive bounds) and the class of every age.
CENSUS_CLASSES = list(ZENSUS22_AGE_CLASSES)
CLASS_OF_AGE = group_index(list(ZENSUS22_AGE_CLASSES.values()))


def _years_since_census(year: int) -> float:
    return (pd.Timestamp(f"{year}-12-31") - ZENSUS2022_DATE).days / 365.25


def _census_shares() -> tuple[np.ndarray, np.ndarray]:
    """Municipal shares of the Kreis in every census class (M, C) and female shares (M,)."""
    z = zensus2022_age_classes()
    counts = z.pivot(index="ags", columns="age_class", values="population").loc[
        list(AGS_LIST), CENSUS_CLASSES
    ]
    c = counts.to_numpy(dtype=float)
    female, _ = zensus_female_share()
    return c / c.sum(axis=0, keepdims=True), female


def census_share_curves(years: float, kreis_target: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Municipal shares of the Kreis by census single age, smooth over age, class means exact.

    A share constant within each census class would make the aged-forward profiles jump at
    the (shifted) class boundaries. Instead each municipality's share is a piecewise-linear
    curve over census age (:func:`dashboard.data.ageing.smooth_group_factors`, one node per
    class) whose Kreis-weighted mean over every class is its census share of that class; the
    weights are the Kreis persons of 31.12.year traced back to their census age (Lexis
    weights). Because the solution is linear and unique, the curves of all municipalities
    sum to 1 at every age. Persons born after the census are shared like census age 0.

    Returns
    -------
    (shares (M, A) by census age, birth_shares (M,)).
    """
    shares, _ = _census_shares()
    W, _ = lexis_weights(years, len(kreis_target))
    weights = W.T @ kreis_target  # Kreis persons of the target date by census age
    curves = smooth_group_factors(shares, weights, list(ZENSUS22_AGE_CLASSES.values()))
    if np.any(curves <= 0):
        raise ValueError("smoothed census shares are not positive")
    return curves, curves[:, 0] / curves[:, 0].sum()


def _odds_scale(p: np.ndarray, weights: np.ndarray, target: float) -> np.ndarray:
    """Female share by age ``p`` rescaled in odds so that its ``weights``-weighted mean is ``target``."""
    lo, hi = -10.0, 10.0
    logit = np.log(p / (1 - p))
    for _ in range(200):  # bisection on the log odds ratio; monotone in the shift
        mid = (lo + hi) / 2
        q = 1 / (1 + np.exp(-(logit + mid)))
        if np.average(q, weights=weights) < target:
            lo = mid
        else:
            hi = mid
    return 1 / (1 + np.exp(-(logit + (lo + hi) / 2)))


def census_prior(year: int) -> np.ndarray:
    """Prior cells (m, s, a) at 31.12.year: the Zensus 2022 municipal age classes aged forward.

    1. Each municipality keeps its census share of every birth cohort (census class shares,
       :func:`dashboard.data.ageing.age_forward` with Lexis weights for the
       ``(31.12.year − 15.05.2022)`` years); the Kreis single ages of 31.12.year (official
       where published, else graduated) supply the counts. The shares are smooth curves over
       age that keep every census class's share exactly (:func:`census_share_curves`); the
       persons born after the census day are shared like census age 0.
    2. By sex: the Kreis female share by single age, shifted in odds per municipality so that
       the municipality's female share equals its Zensus 2022 female share.

    Returns (M, 2, A) persons; the sum over municipalities and sexes is the Kreis by single age.
    """
    kreis, _, _ = kreis_sex_single(year)  # (2, A)
    k_total = kreis.sum(axis=0)
    years = _years_since_census(year)
    _, female_share = _census_shares()
    curves, births = census_share_curves(years, k_total)
    both = age_forward(curves, np.arange(N_AGES), k_total, years, births)  # (M, A)
    p = np.clip(kreis[0] / np.where(k_total > 0, k_total, 1.0), 1e-6, 1 - 1e-6)
    out = np.empty((len(AGS_LIST), len(SEXES), N_AGES))
    for i in range(len(AGS_LIST)):
        q = _odds_scale(p, both[i], female_share[i])
        out[i, 0] = both[i] * q
        out[i, 1] = both[i] * (1 - q)
    return out


def tables_of_version(token: tuple) -> list[pd.DataFrame]:
    """The published official municipal tables of a data version (:func:`data_version`), as read
    when that version was first seen; ``[]`` for the shipped data. Not copies: do not mutate."""
    if token not in _TABLES_BY_TOKEN:  # e.g. after clear_cache(): read them again
        data_version()
    return _TABLES_BY_TOKEN.get(token, [])


@functools.cache
def _estimate(year: int, token: tuple = ()) -> Estimate:
    return estimate_with_tables(year, tables_of_version(token))


#: Largest difference (persons) between the sum of complete official municipal tables and the
#: official Kreis table, per sex × age group (both are integer counts of the same Fortschreibung).
MARGIN_TOLERANCE = 0.5


def check_official_tables(tables: list[pd.DataFrame]) -> list:
    """What the model would do with these official municipal tables: every problem, or ``[]``.

    Runs :func:`estimate_with_tables` for every reference year the tables cover — the very
    code path of the projection's base population — so a table the model would refuse is
    never called usable. The rules it applies: tidy contract (15 municipalities of Kreis
    Düren, both sexes, complete age groups 0…100+, whole persons ≥ 0, one row per key);
    municipal sums ≤ the official Kreis table by sex × age group, and EQUAL to it (within
    :data:`MARGIN_TOLERANCE`) when all 15 municipalities are given.

    Parameters
    ----------
    tables : tidy frames with the columns of :data:`USER_TABLE_COLUMNS` (+ provenance).
    """
    years = sorted(
        {
            int(y)
            for t in tables
            if "year" in t.columns
            for y in pd.to_numeric(t.year, errors="coerce").dropna()
        }
    )
    problems = []
    for year in years:
        try:
            estimate_with_tables(year, tables)
        except DataFormatError as exc:
            problems.extend(exc.problems)
        except ValueError as exc:
            problems.append(
                problem(
                    "importierte Gemeindetabelle",
                    None,
                    None,
                    f"eine verwendbare Tabelle für 31.12.{year}",
                    str(exc),
                )
            )
    return problems


def estimate_with_tables(year: int, tables: list[pd.DataFrame]) -> Estimate:
    """The estimate of 31.12.year with these official municipal tables (uncached).

    Raises :class:`DataFormatError` naming every rule a table breaks (see
    :func:`check_official_tables`).
    """
    if year not in kreis_years():
        official, official_est, prov = official_municipal_cells(year, tables)
        if set(official) == set(AGS_LIST):
            return _official_only(year, official, official_est, prov)
    groups, basis = kreis_groups(year)
    kreis_single, kreis_ages_official, kreis_method = kreis_sex_single(year)
    census_anchored = basis == BASIS_Z2022
    totals_df = municipal_sex_totals(year)
    totals = (
        totals_df.pivot(index="ags", columns="sex", values="population")
        .loc[list(AGS_LIST), list(SEXES)]
        .to_numpy()
    )

    official, official_est, prov = official_municipal_cells(year, tables)
    free = [i for i, a in enumerate(AGS_LIST) if a not in official]
    fixed = np.zeros((len(AGS_LIST), len(SEXES), N_AGES))
    for a, arr in official.items():
        fixed[AGS_LIST.index(a)] = arr
    if official:  # official municipal figures replace the totals and the Kreis margin share
        fixed_groups = np.stack(
            [
                np.bincount(GROUP17_OF_AGE, weights=fixed[:, s].sum(axis=0), minlength=len(AGE_GROUPS_17))
                for s in range(len(SEXES))
            ]
        )
        rest_groups = groups - fixed_groups
        if set(official) == set(AGS_LIST) and np.abs(rest_groups).max() > MARGIN_TOLERANCE:
            worst = np.unravel_index(np.abs(rest_groups).argmax(), rest_groups.shape)
            raise DataFormatError(
                problem(
                    "importierte Gemeindetabelle",
                    None,
                    "population",
                    f"Summe der 15 Gemeinden = amtliche Kreistabelle 31.12.{year} je Geschlecht × "
                    "Altersgruppe",
                    f"Abweichung in {int((np.abs(rest_groups) > MARGIN_TOLERANCE).sum())} von "
                    f"{rest_groups.size} Zellen, am größten bei {SEX_LABELS[SEXES[worst[0]]]} "
                    f"{list(AGE_GROUPS_17)[worst[1]]}: Gemeinden {fmt_dec(fixed_groups[worst], 0)}, "
                    f"Kreis {fmt_dec(groups[worst], 0)}",
                )
            )
        if np.any(rest_groups < -1e-6):
            raise DataFormatError(
                problem(
                    "importierte Gemeindetabelle",
                    None,
                    "population",
                    f"Gemeindesummen ≤ Kreistabelle 31.12.{year} je Geschlecht × Altersgruppe",
                    f"Überschreitung um bis zu {fmt_dec(float(-rest_groups.min()), 0)} Personen",
                )
            )
        rest_groups = np.clip(rest_groups, 0, None)  # only -1e-6 … 0 float noise reaches here
        rest_totals = totals[free]
        if free:
            rest_totals = rest_totals / rest_totals.sum(axis=0) * rest_groups.sum(axis=1)
    else:
        rest_groups, rest_totals = groups, totals

    single_margin_used = False
    single_margin_note = "no official Kreis single ages for this date"
    cells = fixed.copy()
    iterations, residual, converged = 0, 0.0, True
    margin_residuals: dict[str, float] = {}
    if census_anchored:
        prior_all = census_prior(year)
        if free:
            prior = prior_all[free]
            age91 = np.minimum(np.arange(N_AGES), ITNRW_OPEN_AGE)
            shape = prior.shape
            m_lab = np.broadcast_to(np.arange(len(free))[:, None, None], shape)
            g_lab = np.broadcast_to(
                (np.arange(len(SEXES))[:, None] * len(AGE_GROUPS_17) + GROUP17_OF_AGE[None, :])[None], shape
            )
            margins = [
                (m_lab, rest_totals.sum(axis=1)),  # municipal totals (both sexes)
                (g_lab, rest_groups.reshape(-1)),  # Kreis sex × 17 groups
            ]
            names = ["municipal_totals", "kreis_sex_group17"]
            if kreis_ages_official:
                rest_single = official_single_ages(year) - np.bincount(
                    age91, weights=fixed.sum(axis=(0, 1)), minlength=ITNRW_OPEN_AGE + 1
                )
                if np.all(rest_single >= -1e-6):
                    a_lab = np.broadcast_to(age91[None, None, :], shape)
                    margins.append((a_lab, np.clip(rest_single, 0, None)))  # only float noise clipped
                    names.append("kreis_single_ages")
                    single_margin_used = True
                    single_margin_note = "used"
                else:
                    single_margin_note = (
                        "not used: imported municipal tables exceed the official Kreis single ages at "
                        f"some ages (by up to {float(-rest_single.min()):.1f} persons; their single ages "
                        "are graduated within groups)"
                    )
            res = rake(prior, margins, tol=IPF_TOL, max_iter=IPF_MAX_ITER)
            iterations, residual, converged = res.iterations, res.max_residual, res.converged
            margin_residuals = dict(zip(names, res.residuals))
            cells[free] = res.cells
    else:
        prior_all = _prior(totals, kreis_single)
        if free:
            prior = prior_all[free]
            onehot = np.eye(len(AGE_GROUPS_17))[GROUP17_OF_AGE]  # (a, g)
            grouped_prior = prior @ onehot  # (m, s, g): the single ages keep the prior's shape
            res = ipf(grouped_prior, [((1, 2), rest_groups), ((0, 1), rest_totals)])
            iterations, residual, converged = res.iterations, res.max_residual, res.converged
            factor = np.divide(
                res.cells, grouped_prior, out=np.zeros_like(res.cells), where=grouped_prior > 0
            )
            cells[free] = prior * factor[:, :, GROUP17_OF_AGE]
    if not converged:
        raise RuntimeError(f"IPF did not converge for {year}: residual {residual}")

    if census_anchored and free:
        # the sex split of the census-anchored estimate is the raking's result (census female
        # shares in the prior, Kreis sex × 17 groups as margin), not a margin of its own
        by_sex = cells.sum(axis=2)
        for i in free:
            for s, sex in enumerate(SEXES):
                sel = (totals_df.ags == AGS_LIST[i]) & (totals_df.sex == sex)
                totals_df.loc[sel, "population"] = float(by_sex[i, s])
        totals_df["method"] = totals_df.method.str.split("; sex split").str[0] + (
            "; sex split estimated: result of the census-anchored estimate (Zensus 2022 female share of "
            "each municipality in the prior, raked to the official Kreis table by sex × 17 age groups)"
        )
    tot_est = totals_df.groupby("ags").total_estimated.all()
    total_flags = {
        a: (
            False
            if a in official
            else bool(tot_est[a]) or not np.isclose(cells[i].sum(), totals[i].sum(), rtol=0, atol=1e-6)
        )
        for i, a in enumerate(AGS_LIST)
    }
    # an official municipal table (sex × age groups or single ages) makes its municipalities'
    # figures official (estimated=False); a split of its age groups into single years stays
    # flagged in age_split_estimated
    pop = _tidy(
        year,
        cells,
        {a: a not in official for a in AGS_LIST},
        total_flags,
        {a: official_est.get(a, True) for a in AGS_LIST},
    )

    # ---- fit report: raked vs prior per municipality × sex × group (17 groups for the census-
    # anchored estimate, the 5 Zensus 2011 grid groups for the grid estimate)
    if census_anchored:
        group_of_age, group_names, kind = GROUP17_OF_AGE, list(AGE_GROUPS_17), "17 age groups"
    else:
        group_of_age, group_names, kind = GRID_OF_AGE, list(GRID_GROUPS), "Zensus 2011 grid group"
    fit_rows = []
    for i, a in enumerate(AGS_LIST):
        for s, sex in enumerate(SEXES):
            for G, gname in enumerate(group_names):
                sel = group_of_age == G
                pr = float(prior_all[i, s, sel].sum())
                rk = float(cells[i, s, sel].sum())
                fit_rows.append(
                    {
                        "ags": a,
                        "municipality": MUNICIPALITIES[a],
                        "sex": sex,
                        "group": gname,
                        "group_kind": kind,
                        "prior": pr,
                        "raked": rk,
                        "ratio": rk / pr if pr > 0 else np.nan,
                        "official_table": a in official,
                    }
                )
    fit = pd.DataFrame(fit_rows)
    fit["log_adjustment"] = np.log(fit.ratio)
    grp_prior = np.stack(
        [
            [np.bincount(GROUP17_OF_AGE, weights=prior_all[i, s], minlength=17) for s in range(2)]
            for i in range(len(AGS_LIST))
        ]
    )
    grp_cells = np.stack(
        [
            [np.bincount(GROUP17_OF_AGE, weights=cells[i, s], minlength=17) for s in range(2)]
            for i in range(len(AGS_LIST))
        ]
    )
    est_idx = [i for i, a in enumerate(AGS_LIST) if a not in official]
    la17 = np.abs(np.log(grp_cells[est_idx] / grp_prior[est_idx])) if est_idx else np.zeros(1)
    kreis_resid = np.abs(
        np.stack(
            [np.bincount(GROUP17_OF_AGE, weights=cells[:, s].sum(axis=0), minlength=17) for s in range(2)]
        )
        - groups
    ).max()
    margin_totals = totals.sum(axis=1) if census_anchored else totals
    got_totals = cells.sum(axis=(1, 2)) if census_anchored else cells.sum(axis=2)
    muni_resid = np.abs(got_totals[est_idx] - margin_totals[est_idx]).max() if est_idx else 0.0
    single_resid = float("nan")
    if kreis_ages_official:
        age91 = np.minimum(np.arange(N_AGES), ITNRW_OPEN_AGE)
        got91 = np.bincount(age91, weights=cells.sum(axis=(0, 1)), minlength=ITNRW_OPEN_AGE + 1)
        single_resid = float(np.abs(got91 - official_single_ages(year)).max())
    moved = float(np.abs(cells[est_idx] - prior_all[est_idx]).sum() / 2) if est_idx else 0.0
    summary = {
        "year": year,
        "basis": basis,
        "method_kind": "zensus2022_aged_forward" if census_anchored else "zensus2011_grid",
        "kreis_total": float(groups.sum()),
        "kreis_single_ages": kreis_method,
        "kreis_single_ages_official": bool(kreis_ages_official),
        "ipf_iterations": iterations,
        "ipf_max_residual": float(residual),
        "ipf_margin_residuals": margin_residuals,
        "kreis_margin_max_abs_error": float(kreis_resid),
        "kreis_single_age_margin_max_abs_error": single_resid,
        "kreis_single_age_margin_used": single_margin_used,
        "kreis_single_age_margin_note": single_margin_note,
        "municipal_margin_max_abs_error": float(muni_resid),
        "max_abs_log_adjustment_group17": float(la17.max()),
        "mean_abs_log_adjustment_group17": float(la17.mean()),
        "max_abs_log_adjustment_fit": float(fit.log_adjustment.abs().max()),
        "mean_abs_log_adjustment_fit": float(fit.log_adjustment.abs().mean()),
        "persons_moved": moved,
        "persons_moved_share": moved / float(cells[est_idx].sum()) if est_idx else 0.0,
        "prior_total_ratio": {
            AGS_LIST[i]: float(prior_all[i].sum() / margin_totals[i].sum()) for i in est_idx
        },
        "municipal_totals_estimated": bool(totals_df.total_estimated.any()),
        "municipal_sex_split_estimated": bool(totals_df.estimated.any()),
        "municipal_totals_method": str(totals_df.method.iloc[0]),
        "official_municipal_tables": sorted(official),
        "official_table_provenance": prov,
        "min_cell": float(cells.min()),
    }
    de, en = _method_texts(summary)
    return Estimate(year, pop, fit, totals_df, summary, de, en)


def _totals_sentence(s: dict) -> tuple[str, str]:
    """German and English sentence on the municipal totals used as margin (official or estimated)."""
    y = s["year"]
    if s["basis"] == BASIS_Z2022 and not s["municipal_totals_estimated"]:
        return (
            f"Die Einwohnerzahlen der Gemeinden am 31.12.{y} sind amtlich (IT.NRW, Tabelle 12411-15i); "
            "geschätzt ist ihre Aufteilung nach Alter und Geschlecht. ",
            f"The municipal totals of 31.12.{y} are official (IT.NRW table 12411-15i); their split by age "
            "and sex is estimated. ",
        )
    if s["basis"] == BASIS_Z2022:
        return (
            "Die Gemeindesummen sind selbst geschätzt (amtliche Werte liegen für diesen Stichtag nicht vor): "
            "zwischen dem Zensus-2022-Ergebnis (15.05.2022) und den amtlichen Einwohnerzahlen vom 31.12.2024 "
            "(IT.NRW 12411-15i) zeitlich interpoliert und auf die amtliche Kreissumme abgestimmt. ",
            "Municipal totals are themselves estimated (no official figure for this date): interpolated in "
            "time between the Zensus 2022 result (15.05.2022) and the official totals of 31.12.2024 (IT.NRW "
            "12411-15i), constrained to the official Kreis total. ",
        )
    if s["municipal_totals_estimated"]:
        return (
            "Die Gemeindesummen sind selbst geschätzt (amtliche Werte liegen für diesen Stichtag nicht vor): "
            "Gemeindeanteile zwischen amtlichen Stichtagen interpoliert und auf die amtliche Kreissumme "
            "abgestimmt. ",
            "Municipal totals are themselves estimated (no official figure for this date): municipal shares "
            "interpolated between official dates, constrained to the official Kreis total. ",
        )
    return (
        "Die Gemeindesummen nach Geschlecht sind amtlich (Destatis Gemeindeverzeichnis). ",
        "Municipal totals by sex are official (Destatis GV). ",
    )


def _closing_sentences(s: dict) -> tuple[str, str]:
    """German and English end of a method text: the municipal totals, then how many municipalities
    an official municipal table replaced (nothing when none)."""
    totals_de, totals_en = _totals_sentence(s)
    n_off = len(s["official_municipal_tables"])
    if not n_off:
        return totals_de, totals_en
    return (
        totals_de + f"Für {n_off} Gemeinde(n) wurde eine amtliche Gemeindetabelle übernommen.",
        totals_en + f"An official municipal table replaced the estimate for {n_off} municipality(ies).",
    )


def _census_method_texts(s: dict) -> tuple[str, str]:
    """German and English method text of the census-anchored estimate (Zensus 2022 basis)."""
    y = s["year"]
    closing_de, closing_en = _closing_sentences(s)
    adj = np.expm1(s["max_abs_log_adjustment_group17"])
    if s["kreis_single_ages_official"]:
        ages_de = (
            "Die Zahl der Personen je Altersjahr liefert die amtliche Kreistabelle nach Einzelalter "
            "(IT.NRW 12411-09i, 0 bis 89 Jahre und 90+); geschätzt sind ihre Aufteilung nach Geschlecht "
            "(Frauenanteil der Sterbetafel Deutschland 2023/25, glatt korrigiert, sodass die amtlichen "
            "17 Altersgruppen nach Geschlecht exakt stimmen) und die Verteilung von 90+ auf 90 bis 100+ "
            "(nach der Sterbetafel). "
        )
        ages_en = (
            "The persons per year of age come from the official Kreis single ages (IT.NRW 12411-09i, "
            "0–89 and 90+); their split by sex (life-table female share with a smooth correction that "
            "meets the official 17 groups by sex exactly) and the split of 90+ over 90–100+ (life "
            "table) are estimated. "
        )
        margins_de = ", die amtlichen Einzelalter des Kreises"
        margins_en = ", the official Kreis single ages"
    else:
        ages_de = (
            "Die Kreiswerte je Altersjahr sind aus den amtlichen 17 Altersgruppen nach Geschlecht "
            "interpoliert (PCHIP; 75+ nach der Sterbetafel Deutschland 2023/25). "
        )
        ages_en = (
            "The Kreis values per year of age are interpolated from the official 17 groups by sex "
            "(PCHIP; 75+ by the Germany 2023/25 life table). "
        )
        margins_de = margins_en = ""
    de = (
        f"Bevölkerung nach Gemeinde, Geschlecht und Einzelalter am 31.12.{y} (Basis Zensus 2022) – "
        "Schätzung, verankert im Zensus 2022: Die amtlichen Altersklassen jeder Gemeinde aus dem "
        "Zensus 2022 (15.05.2022, 11 Klassen) werden jahrgangsweise bis zum "
        f"31.12.{y} fortgeschrieben. Jede Gemeinde behält ihren Zensus-Anteil an jedem Geburtsjahrgang "
        "des Kreises; ihre Jahrgänge verändern sich also wie die des Kreises (Sterbefälle und "
        "Wanderungssaldo des Kreises je Jahrgang, als Rate auf die örtliche Bevölkerung übertragen). "
        "Nach dem Zensusstichtag Geborene werden wie die Altersklasse 0–2 verteilt. "
        + ages_de
        + "Den Frauenanteil jeder Gemeinde übernimmt die Schätzung aus dem Zensus 2022. Anschließend "
        "werden die Werte iterativ proportional angepasst (IPF), bis die Einwohnerzahlen der Gemeinden"
        + margins_de
        + " und die amtlichen Kreiswerte nach Geschlecht und 17 Altersgruppen exakt getroffen sind "
        f"({s['ipf_iterations']} Iterationen; verschoben wurden {fmt_dec(s['persons_moved'], 0)} Personen "
        f"= {fmt_dec(100 * s['persons_moved_share'], 2)} %, größte Anpassung einer Altersgruppe "
        f"±{fmt_dec(100 * adj, 1)} %). " + closing_de
    )
    en = (
        f"Population by municipality, sex and single age at 31.12.{y} (Zensus 2022 basis) – estimate "
        "anchored on the Zensus 2022: each municipality's official census age classes (15.05.2022, 11 "
        f"classes) are carried forward cohort by cohort to 31.12.{y}. Every municipality keeps its census "
        "share of each Kreis birth cohort, so its cohorts change like the Kreis's (Kreis deaths and net "
        "migration per cohort, applied as rates to the local population); persons born after the census "
        "day are shared like the class 0–2. "
        + ages_en
        + "The female share of each municipality is its Zensus 2022 share. The cells are then raked "
        "(IPF) until the municipal totals"
        + margins_en
        + " and the official Kreis figures by sex × 17 age groups are met exactly "
        f"({s['ipf_iterations']} iterations; {s['persons_moved']:,.0f} persons = "
        f"{100 * s['persons_moved_share']:.2f} % moved, largest group adjustment ±{100 * adj:.1f} %). "
        + closing_en
    )
    return de.strip(), en.strip()


def _method_texts(s: dict) -> tuple[str, str]:
    if s.get("method_kind") == "zensus2022_aged_forward":
        return _census_method_texts(s)
    y = s["year"]
    closing_de, closing_en = _closing_sentences(s)
    de = (
        f"Bevölkerung nach Gemeinde, Geschlecht und Einzelalter am 31.12.{y} (Basis {s['basis']}) – "
        "Schätzung: Die amtlichen 17 Altersgruppen des Kreises (Regionalstatistik) werden mit einer "
        "monotonen kubischen Interpolation (PCHIP) der kumulierten Bevölkerung in Einzelalter zerlegt; "
        "die Gruppe 75+ wird nach der Sterbetafel Deutschland 2023/25 auf 75 bis 100+ verteilt. Die "
        "Altersanteile je Gemeinde aus dem Zensus-2011-Gitter (5 Gruppen, über das Alter stetig "
        "geglättet, Gruppenmittel exakt erhalten) dienen als Startwerte; diese werden "
        "iterativ proportional angepasst (IPF), bis die amtlichen Kreiswerte nach Geschlecht und "
        f"Altersgruppe und die Gemeindesummen nach Geschlecht exakt getroffen sind "
        f"({s['ipf_iterations']} Iterationen; größte Anpassung ±{fmt_dec(100 * np.expm1(s['max_abs_log_adjustment_group17']), 2)} %). "
        + "Annahme: Das Altersprofil jeder Gemeinde relativ zum Kreis entspricht dem vom Mai 2011. "
        + closing_de
    )
    en = (
        f"Population by municipality, sex and single age at 31.12.{y} ({s['basis']} basis) – estimate: "
        "the Kreis's 17 official age groups are split into single years by monotone cubic (PCHIP) "
        "interpolation of the cumulative population; 75+ follows the Germany 2023/25 life table. "
        "Zensus 2011 grid age shares per municipality (5 groups, spread smoothly over age with every "
        "group mean kept exactly) form the prior, raked (IPF) until the official "
        "Kreis figures by sex × age group and the municipal totals by sex are met exactly "
        f"({s['ipf_iterations']} iterations; largest adjustment ±{100 * np.expm1(s['max_abs_log_adjustment_group17']):.2f} %). "
        + "Assumption: each municipality's age profile relative to the Kreis is that of May 2011. "
        + closing_en
    )
    return de.strip(), en.strip()


def estimate_population(year: int) -> Estimate:
    """Estimate (or, with imported official tables, assemble) the population at 31.12.year.

    Parameters
    ----------
    year : a year with an official Kreis age table (2015–2024).

    Returns
    -------
    Estimate (frames are copies). Cached per process and per content of the imported
    official tables, so importing a table takes effect without clearing the cache.
    """
    with one_data_version() as token:
        e = _estimate(int(year), token)
    return Estimate(
        e.year, e.population.copy(), e.fit.copy(), e.totals.copy(), dict(e.summary), e.method_de, e.method_en
    )


def clear_cache() -> None:
    """Forget cached estimates (e.g. after the user imported an official table)."""
    _estimate.cache_clear()
    _TABLES_BY_TOKEN.clear()
