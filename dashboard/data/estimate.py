"""Estimate the population by municipality × sex × single age (0–99, 100+), openly.

No official table of the municipal age × sex structure ships with the project (Regionalstatistik
12411-02-03-5 would have it). Until a user imports one, the structure is *estimated*; the
method depends on the census basis of the date (details and measured figures in
``data/README.md``).

**Zensus 2022 basis (31.12.2022–2024, the base year)** — the census aged forward, raked:

1. **Kreis by sex × single age** (:func:`kreis_single_ages`): the official single ages of
   IT.NRW 12411-09i (0 … 89, 90+, both sexes; 31.12.2024) as they are; the split by sex
   (:func:`split_single_ages_by_sex`: life-table female share × a smooth correction meeting
   the official sex × 17 groups exactly) and of 90+ over 90 … 100 (life-table person-years)
   are estimated. Years without official single ages: PCHIP graduation (below).
2. **Prior** (:func:`census_prior`): the Zensus 2022 municipal age classes (15.05.2022)
   carried forward cohort by cohort (:func:`dashboard.data.ageing.age_forward`): each
   municipality keeps its census share of every Kreis birth cohort (smooth over age,
   :func:`census_share_curves`), so its cohorts change at the Kreis's rates — deaths and net
   migration by age applied to the local population; born after the census: shared like
   census age 0. Sex: the Kreis female share by age, shifted in odds to the municipality's
   Zensus 2022 female share.
3. **Raking** (:func:`dashboard.data.ageing.rake`) to the official municipal totals (IT.NRW
   12411-15i for 2024; interpolated census → 2024 for 2022/2023, :func:`municipal_sex_totals`),
   the official Kreis single ages (2024) and the Kreis sex × 17 groups, all exactly.

**Zensus 2011 basis (31.12.2015–2021)** — the Zensus 2011 grid prior:

1. **Graduation** (:func:`graduate`). The Kreis table by sex × 17 age groups
   (:func:`dashboard.data.kreis_age_groups`) is split into single years. For the closed
   groups (0–2 … 65–74) a monotone cubic (PCHIP, :class:`scipy.interpolate.PchipInterpolator`)
   is fitted through the cumulative population at the group boundaries; single-year counts
   are its first differences. PCHIP keeps a monotone cumulative monotone, so counts are never
   negative, and it passes through every knot, so every group sum is kept exactly. The open
   group 75+ is spread over ages 75…99 and 100+ in proportion to the person-years ``L_x`` of
   the Germany period life table 2023/25 (Destatis 12621-0001) of the same sex, i.e. the
   shape of a stationary population. This ignores differences in cohort size among the old
   (e.g. the small cohorts born 1945–46) — a documented limitation.
2. **Municipal prior.** For municipality *m*, sex *s* and age *a* the prior is
   ``T[m,s] · k[s,a] · f[m,G(a)]`` normalised to ``T[m,s]``, where ``k`` is the graduated
   Kreis structure, ``T`` the municipal total by sex and ``f[m,G] = share[m,G] / share[Kreis,G]``
   the relative weight of the Zensus 2011 1-km-grid age group *G* (0–17, 18–29, 30–49,
   50–64, 65+; :func:`dashboard.data.grid_age_shares`) in the municipality vs the Kreis,
   spread smoothly over age (:func:`smooth_grid_factors`).
3. **Raking** (:func:`ipf`) of the cells to the Kreis table by sex × 17 age groups and the
   municipal totals by sex. Results are persons as real numbers (not rounded); the margins
   are met to < 1e-6 persons.
4. **Municipal totals by sex** (:func:`municipal_sex_totals`) come from the Destatis
   Gemeindeverzeichnis (GV Auszug) where it has an official figure for the date (31.12.2017,
   31.12.2021); otherwise log-linear interpolation of each municipality's share between the
   nearest official dates, the sex split from the latest official female share, raked to the
   official Kreis totals by sex.

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
from scipy.interpolate import PchipInterpolator

from dashboard.constants import (
    AGE_GROUPS_17,
    AGS_LIST,
    BASIS_Z2022,
    CENSUS_DATES,
    KREIS_AGS,
    MUNICIPALITIES,
    N_AGES,
    OPEN_AGE,
    SEXES,
    contiguous_age_groups,
)
from dashboard.data.ageing import age_forward, lexis_weights, rake, smooth_group_factors
from dashboard.data.embedded import (
    grid_age_shares,
    kreis_age_groups,
    life_table,
    municipal_totals,
    zensus2022_municipal,
)
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.official import (
    ZENSUS22_AGE_CLASSES,
    official_kreis_single_ages,
    official_municipal_totals,
    zensus2022_age_classes,
    zensus2022_sex_totals,
)
from dashboard.text import SEX_LABELS, fmt_dec

#: Zensus 2011 grid age groups (inclusive bounds); their boundaries are also boundaries of
#: the 17 Kreis groups, so grid factors are constant within every Kreis group.
GRID_GROUPS: dict[str, tuple[int, int]] = contiguous_age_groups(0, 18, 30, 50, 65)
#: Census day of the Zensus 2022.
ZENSUS2022_DATE = pd.Timestamp(CENSUS_DATES[BASIS_Z2022])
#: Convergence tolerance of the raking (persons, absolute, largest margin residual).
IPF_TOL = 1e-7
IPF_MAX_ITER = 10_000

USER_TABLE_COLUMNS = ("ags", "year", "sex", "age_min", "age_max", "population")


# --------------------------------------------------------------------------------------
# 1. Graduation
# --------------------------------------------------------------------------------------


def life_table_weights(sex: str, start: int) -> np.ndarray:
    """Person-years ``L_x`` of the Germany life table for ages ``start`` … 100+.

    ``L_x = (l_x + l_{x+1}) / 2`` for x < 100 and, for the open group,
    ``L_100+ = l_100 / m_100`` with ``m_100 = -ln(1 - q_100)`` (constant hazard).

    Returns
    -------
    ndarray of length ``OPEN_AGE + 1 - start`` (person-years per 100,000 births).
    """
    lt = life_table()
    lt = lt[lt.sex == sex].set_index("age").sort_index()
    lx = lt.lx.to_numpy(float)
    qx = lt.qx.to_numpy(float)
    if len(lx) != N_AGES:
        raise DataFormatError(
            problem(lt.source.iloc[0], None, "age", f"Alter 0…{OPEN_AGE}", f"{len(lx)} Zeilen für {sex}")
        )
    L = np.empty(N_AGES)
    L[:-1] = (lx[:-1] + lx[1:]) / 2.0
    L[-1] = lx[-1] / -np.log1p(-qx[-1])
    return L[start:]


def graduate(
    counts: np.ndarray | list[float], bounds: list[tuple[int, int]], *, tail_weights: np.ndarray | None = None
) -> np.ndarray:
    """Split age-group counts into single years 0 … OPEN_AGE, keeping every group sum.

    Parameters
    ----------
    counts : group counts (persons), one per group, in the order of ``bounds``.
    bounds : inclusive ``(age_min, age_max)`` per group; contiguous from 0; the last group
        must end at ``OPEN_AGE`` (the open group, e.g. ``(75, 100)`` for "75+").
    tail_weights : relative weights for the ages of the last group (length
        ``OPEN_AGE + 1 - age_min_last``); default: even. Use :func:`life_table_weights`
        for a stationary-population shape.

    Returns
    -------
    ndarray of shape ``(OPEN_AGE + 1,)`` (persons, float): first differences of a PCHIP
    interpolant of the cumulative count. Knots: every group boundary, and inside the open
    group every 5 years plus ``OPEN_AGE`` and ``OPEN_AGE + 1``, where the cumulative follows
    ``tail_weights`` (so the open group is shaped by the life table at 5-year resolution
    and joins the closed groups smoothly). PCHIP keeps the non-decreasing cumulative
    non-decreasing (counts >= 0) and passes through every knot (group sums exact; a
    one-year group is kept as it is).
    """
    counts = np.asarray(counts, dtype=float)
    if len(counts) != len(bounds):
        raise ValueError("counts and bounds differ in length")
    if np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise ValueError(f"group counts must be finite and >= 0, got {counts}")
    starts = [b[0] for b in bounds]
    if (
        starts[0] != 0
        or bounds[-1][1] != OPEN_AGE
        or any(bounds[i][1] + 1 != bounds[i + 1][0] for i in range(len(bounds) - 1))
    ):
        raise ValueError(f"age groups must be contiguous from 0 to {OPEN_AGE}: {bounds}")
    a0 = bounds[-1][0]
    n_tail = N_AGES - a0
    w = np.ones(n_tail) if tail_weights is None else np.asarray(tail_weights, dtype=float)
    if len(w) != n_tail or np.any(w < 0) or w.sum() <= 0:
        raise ValueError(f"tail_weights must have {n_tail} non-negative entries with a positive sum")
    # knots: 0, the end (+1) of every closed group, then inside the open group every 5 years,
    # at OPEN_AGE and OPEN_AGE + 1; the cumulative inside the open group follows the weights
    knots = [0] + [b[1] + 1 for b in bounds[:-1]]
    cum = list(np.concatenate([[0.0], np.cumsum(counts[:-1])]))
    tail_cum = counts[-1] * np.cumsum(w) / w.sum()  # cumulative after age a0 + i
    inner = (
        sorted(set(range(a0 + 5, OPEN_AGE, 5)) | {OPEN_AGE, OPEN_AGE + 1}) if n_tail > 1 else [OPEN_AGE + 1]
    )
    for k in inner:
        if k > a0:
            knots.append(k)
            cum.append(cum[len(bounds) - 1] + tail_cum[k - a0 - 1])
    knots_a = np.asarray(knots, dtype=float)
    cum_a = np.asarray(cum, dtype=float)
    if len(knots_a) == 2:
        return np.full(N_AGES, cum_a[-1] / N_AGES)
    p = PchipInterpolator(knots_a, cum_a)
    c = p(np.arange(N_AGES + 1, dtype=float))
    c[knots_a.astype(int)] = cum_a  # exact at the knots (no rounding drift)
    out = np.diff(c)
    # PCHIP of a non-decreasing sequence is non-decreasing; floating point may leave -1e-12
    out[(out < 0) & (out > -1e-9)] = 0.0
    return out


def _group_index(bounds: list[tuple[int, int]]) -> np.ndarray:
    """Group number of every single age 0 … OPEN_AGE."""
    idx = np.empty(N_AGES, dtype=int)
    for g, (lo, hi) in enumerate(bounds):
        idx[lo : hi + 1] = g
    return idx


BOUNDS_17 = list(AGE_GROUPS_17.values())
GROUP17_OF_AGE = _group_index(BOUNDS_17)
GRID_OF_AGE = _group_index(list(GRID_GROUPS.values()))


def kreis_years() -> list[int]:
    """Years (31 Dec) with an official Kreis table by sex × 17 age groups."""
    return sorted(int(y) for y in kreis_age_groups().year.unique())


def _kreis_groups(year: int) -> tuple[np.ndarray, str]:
    """Kreis counts (sex, 17 groups) for 31.12.year and its census basis."""
    k = kreis_age_groups()
    k = k[k.year == year]
    if k.empty:
        raise ValueError(f"no official Kreis age table for 31.12.{year}; available: {kreis_years()}")
    arr = np.zeros((len(SEXES), len(AGE_GROUPS_17)))
    for s, sex in enumerate(SEXES):
        ks = k[k.sex == sex].set_index("age_group").population
        arr[s] = [float(ks[g]) for g in AGE_GROUPS_17]
    return arr, str(k.basis.iloc[0])


#: Open age of the official Kreis single ages (IT.NRW 12411-09i): 90 stands for "90 and older".
ITNRW_OPEN_AGE = 90
#: The 17 groups on the axis 0 … 89, 90+ of the official single ages.
BOUNDS_17_ITNRW = [(lo, min(hi, ITNRW_OPEN_AGE)) for lo, hi in BOUNDS_17]


def official_single_age_years() -> list[int]:
    """Years (31 Dec) with official Kreis single ages 0 … 89, 90+ (both sexes): today [2024]."""
    return sorted(int(y) for y in official_kreis_single_ages().year.unique())


def _official_single_ages(year: int) -> np.ndarray:
    """Official Kreis persons by age 0 … 89 and 90+ (91 cells, both sexes) at 31.12.year."""
    t = official_kreis_single_ages()
    t = t[t.year == year].sort_values("age")
    return t.population.to_numpy(dtype=float)


def _life_table_female_share() -> tuple[np.ndarray, np.ndarray]:
    """Female share of the life-table person-years (Germany 2023/25) by age 0 … 100 and ``L_x`` (2, 101)."""
    L = np.stack([life_table_weights(sex, 0) for sex in SEXES])
    return L[0] / L.sum(axis=0), L


def split_single_ages_by_sex(
    total: np.ndarray, female_groups: np.ndarray, base_share: np.ndarray, bounds: list[tuple[int, int]]
) -> np.ndarray:
    """Female persons by single age from the both-sexes single ages and the female group totals.

    The female share is ``base_share(a) · c(a)``: ``base_share`` gives the shape within a
    group (the life-table female share, which rises with age among the old), ``c`` is a
    piecewise-linear correction (:func:`dashboard.data.ageing.smooth_group_factors`, one node
    per group) solved so that the female persons of every group equal ``female_groups``
    exactly. Males are ``total − female``, so both official margins (single ages, both
    sexes; groups by sex) hold exactly, and the share has no steps at group boundaries.

    Parameters
    ----------
    total : (A,) persons by single age, both sexes.
    female_groups : (G,) female persons per group.
    base_share : (A,) prior female share by age, in (0, 1).
    bounds : G inclusive group bounds covering ``0 … A - 1``.

    Returns
    -------
    (A,) female persons. Raises ``ValueError`` if the solved share leaves [0, 1].
    """
    total = np.asarray(total, dtype=float)
    w = total * base_share
    factors = np.array([female_groups[g] / w[lo : hi + 1].sum() for g, (lo, hi) in enumerate(bounds)])
    c = smooth_group_factors(factors, w, bounds)
    share = base_share * c
    if np.any(share < 0) or np.any(share > 1):
        raise ValueError(
            f"estimated female share by age leaves [0, 1]: {share.min():.3f} … {share.max():.3f}"
        )
    return total * share


@functools.cache
def _kreis_sex_single(year: int) -> tuple[np.ndarray, bool, str]:
    """Kreis persons (sex, 0 … OPEN_AGE) at 31.12.year, whether the age totals are official, method."""
    groups, _ = _kreis_groups(year)
    if year not in official_single_age_years():
        arr = np.stack(
            [
                graduate(groups[s], BOUNDS_17, tail_weights=life_table_weights(sex, 75))
                for s, sex in enumerate(SEXES)
            ]
        )
        return arr, False, "graduated from the 17 official age groups by sex (PCHIP; 75+ by the life table)"
    total = _official_single_ages(year)  # 0 … 89, 90+
    lt_share, L = _life_table_female_share()
    top = ITNRW_OPEN_AGE
    base = np.append(lt_share[:top], L[0, top:].sum() / L[:, top:].sum())
    female = split_single_ages_by_sex(total, groups[0], base, BOUNDS_17_ITNRW)
    male = total - female
    arr = np.zeros((len(SEXES), N_AGES))
    for s, part in enumerate((female, male)):
        arr[s, :top] = part[:top]
        tail = L[s, top:]
        arr[s, top:] = part[top] * tail / tail.sum()
    method = (
        f"official single ages 0…{top - 1} and {top}+ (IT.NRW 12411-09i, both sexes); sex split estimated "
        "(life-table female share × a smooth correction meeting the official sex × 17 groups exactly); "
        f"{top}+ spread over {top}…{OPEN_AGE} by the life-table person-years of each sex"
    )
    return arr, True, method


def kreis_single_ages(year: int) -> pd.DataFrame:
    """Kreis population by sex × single age 0 … 100 at 31.12.year.

    Where IT.NRW publishes the Kreis single ages (31.12.2024, 12411-09i, both sexes 0 … 89
    and 90+) they are used as they are; the split by sex (:func:`split_single_ages_by_sex`)
    and the split of 90+ over 90 … 100 (life-table person-years of each sex) are estimates.
    Other years are graduated from the official 17 groups by sex (:func:`graduate`).

    Returns
    -------
    DataFrame ``ags, year, sex, age, age_group, population, estimated, both_sexes_estimated,
    basis`` (persons, float). ``estimated`` is True (the sex split is estimated in every
    year); ``both_sexes_estimated`` is False where the sum over both sexes is the official
    single-age figure (2024, ages 0 … 89). Sex × 17-group sums equal the official table exactly.
    """
    _, basis = _kreis_groups(year)
    arr, official_ages, _ = _kreis_sex_single(year)
    rows = []
    for s, sex in enumerate(SEXES):
        rows.append(
            pd.DataFrame(
                {"ags": KREIS_AGS, "year": year, "sex": sex, "age": np.arange(N_AGES), "population": arr[s]}
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out["age_group"] = [list(AGE_GROUPS_17)[g] for g in GROUP17_OF_AGE[out.age.to_numpy()]]
    out["estimated"] = True
    out["both_sexes_estimated"] = ~(official_ages & (out.age < ITNRW_OPEN_AGE))
    out["basis"] = basis
    return out[
        ["ags", "year", "sex", "age", "age_group", "population", "estimated", "both_sexes_estimated", "basis"]
    ]


def kreis_sex_split_check(year: int = 2024) -> pd.DataFrame:
    """Check the estimated Kreis sex split by single age against the official groups a year earlier.

    Each official group by sex of 31.12.(year − 1) (12411-02-03-4; the 12411-09i file repeats
    6–9, 10–14, 15–17, 18–19) is one birth cohort range that is one year older at 31.12.year:
    ages ``lo + 1 … hi + 1``. Their female share in the estimate (smooth curve) is compared
    with the official share of the year before, and so is a step split (each group's
    official female share of ``year`` applied to all its ages) — the naive alternative.
    The shares differ also by one year of migration and deaths, so this bounds, not
    measures, the error of the within-group split.

    Returns
    -------
    DataFrame ``age_group, ages_then, official_share, curve_share, step_share, curve_error_pp,
    step_error_pp`` (one row per group but the first, the open group is compared as 76+).
    """
    groups, _ = _kreis_groups(year)
    prev, _ = _kreis_groups(year - 1)
    arr, _, _ = _kreis_sex_single(year)
    total = arr.sum(axis=0)
    step_female = np.zeros(N_AGES)
    for g, (lo, hi) in enumerate(BOUNDS_17):
        step_female[lo : hi + 1] = total[lo : hi + 1] * groups[0, g] / groups[:, g].sum()
    rows = []
    for g, (label, (lo, hi)) in enumerate(AGE_GROUPS_17.items()):
        a, b = lo + 1, min(hi + 1, OPEN_AGE)
        sel = slice(a, b + 1)
        obs = prev[0, g] / prev[:, g].sum()
        cur = arr[0, sel].sum() / total[sel].sum()
        stp = step_female[sel].sum() / total[sel].sum()
        rows.append(
            {
                "age_group": label,
                "ages_then": f"{a}–{b}" if hi < OPEN_AGE else f"{a}+",
                "official_share": obs,
                "curve_share": cur,
                "step_share": stp,
                "curve_error_pp": 100 * (cur - obs),
                "step_error_pp": 100 * (stp - obs),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------
# 2. Raking
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class IPFResult:
    """Outcome of :func:`ipf`: fitted cells, iterations and the largest margin residual."""

    cells: np.ndarray
    iterations: int
    max_residual: float
    converged: bool


def ipf(
    prior: np.ndarray,
    margins: list[tuple[tuple[int, ...], np.ndarray]],
    *,
    tol: float = IPF_TOL,
    max_iter: int = IPF_MAX_ITER,
) -> IPFResult:
    """Iterative proportional fitting of an array to marginal totals.

    Parameters
    ----------
    prior : non-negative array (any shape).
    margins : list of ``(axes, target)``; ``target`` equals ``prior.sum`` over all axes
        *not* in ``axes`` (kept axes in increasing order). All targets must share one total.
    tol : stop when the largest absolute residual over all margins is below ``tol``.
    max_iter : upper bound of full cycles.

    Returns
    -------
    IPFResult
    """
    x = np.array(prior, dtype=float)
    if np.any(x < 0) or not np.all(np.isfinite(x)):
        raise ValueError("prior must be finite and non-negative")
    all_axes = tuple(range(x.ndim))

    def marginal(arr: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        return arr.sum(axis=tuple(a for a in all_axes if a not in axes))

    def expand(arr: np.ndarray, axes: tuple[int, ...]) -> np.ndarray:
        shape = [x.shape[a] if a in axes else 1 for a in all_axes]
        return arr.reshape(shape)

    for axes, target in margins:
        if np.any(np.asarray(target) < 0):
            raise ValueError("targets must be non-negative")
        cur = marginal(x, axes)
        if np.any((cur == 0) & (np.asarray(target) > 0)):
            raise ValueError(f"a target on axes {axes} is positive where the prior is zero")

    def residual() -> float:
        return max(float(np.max(np.abs(marginal(x, ax) - t))) for ax, t in margins)

    it = 0
    res = residual()
    while res > tol and it < max_iter:
        for axes, target in margins:
            cur = marginal(x, axes)
            factor = np.divide(target, cur, out=np.zeros_like(cur), where=cur > 0)
            x *= expand(factor, axes)
        it += 1
        res = residual()
    return IPFResult(x, it, res, res <= tol)


# --------------------------------------------------------------------------------------
# 3. Municipal totals by sex
# --------------------------------------------------------------------------------------


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
    groups, basis = _kreis_groups(year)
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
            fshare, fsrc = _zensus_female_share()
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


def _zensus_female_share() -> tuple[np.ndarray, str]:
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
    totals : municipal totals by sex used as margin (:func:`municipal_sex_totals`).
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
CLASS_OF_AGE = _group_index(list(ZENSUS22_AGE_CLASSES.values()))


def _years_since_census(year: int) -> float:
    return (pd.Timestamp(f"{year}-12-31") - ZENSUS2022_DATE).days / 365.25


def _census_shares() -> tuple[np.ndarray, np.ndarray]:
    """Municipal shares of the Kreis in every census class (M, C) and female shares (M,)."""
    z = zensus2022_age_classes()
    counts = z.pivot(index="ags", columns="age_class", values="population").loc[
        list(AGS_LIST), CENSUS_CLASSES
    ]
    c = counts.to_numpy(dtype=float)
    female, _ = _zensus_female_share()
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
    kreis, _, _ = _kreis_sex_single(year)  # (2, A)
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
    groups, basis = _kreis_groups(year)
    kreis_single, kreis_ages_official, kreis_method = _kreis_sex_single(year)
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
                rest_single = _official_single_ages(year) - np.bincount(
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
        single_resid = float(np.abs(got91 - _official_single_ages(year)).max())
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
