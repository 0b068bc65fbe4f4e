"""The Kreis population by sex × single age 0 … 100 (the margin of the municipal estimate).

Where IT.NRW publishes the Kreis single ages (31.12.2024, 12411-09i: both sexes, 0 … 89 and
90+) they are used as they are; their split by sex (:func:`split_single_ages_by_sex`) and the
split of 90+ over 90 … 100 (life-table person-years) are estimated. Other years are
graduated from the official table by sex × 17 age groups (:func:`graduate`: PCHIP of the
cumulative population, the open group 75+ shaped by the Germany life table 2023/25).
Used by :mod:`dashboard.data.estimate` (method and measured figures in its docstring and in
``data/README.md``).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
from scipy.interpolate import PchipInterpolator

from dashboard.constants import AGE_GROUPS_17, KREIS_AGS, N_AGES, OPEN_AGE, SEXES
from dashboard.data.ageing import smooth_group_factors
from dashboard.data.embedded import kreis_age_groups, life_table
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.official import official_kreis_single_ages


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


def group_index(bounds: list[tuple[int, int]]) -> np.ndarray:
    """Group number of every single age 0 … OPEN_AGE."""
    idx = np.empty(N_AGES, dtype=int)
    for g, (lo, hi) in enumerate(bounds):
        idx[lo : hi + 1] = g
    return idx


BOUNDS_17 = list(AGE_GROUPS_17.values())
GROUP17_OF_AGE = group_index(BOUNDS_17)


def kreis_years() -> list[int]:
    """Years (31 Dec) with an official Kreis table by sex × 17 age groups."""
    return sorted(int(y) for y in kreis_age_groups().year.unique())


def kreis_groups(year: int) -> tuple[np.ndarray, str]:
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


def official_single_ages(year: int) -> np.ndarray:
    """Official Kreis persons by age 0 … 89 and 90+ (91 cells, both sexes) at 31.12.year."""
    t = official_kreis_single_ages()
    t = t[t.year == year].sort_values("age")
    return t.population.to_numpy(dtype=float)


def life_table_female_share() -> tuple[np.ndarray, np.ndarray]:
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
def kreis_sex_single(year: int) -> tuple[np.ndarray, bool, str]:
    """Kreis persons (sex, 0 … OPEN_AGE) at 31.12.year, whether the age totals are official, method."""
    groups, _ = kreis_groups(year)
    if year not in official_single_age_years():
        arr = np.stack(
            [
                graduate(groups[s], BOUNDS_17, tail_weights=life_table_weights(sex, 75))
                for s, sex in enumerate(SEXES)
            ]
        )
        return arr, False, "graduated from the 17 official age groups by sex (PCHIP; 75+ by the life table)"
    total = official_single_ages(year)  # 0 … 89, 90+
    lt_share, L = life_table_female_share()
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
    _, basis = kreis_groups(year)
    arr, official_ages, _ = kreis_sex_single(year)
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
    groups, _ = kreis_groups(year)
    prev, _ = kreis_groups(year - 1)
    arr, _, _ = kreis_sex_single(year)
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
