"""What makes a municipality's projection differ from the Kreis: structure, migration, fertility.

Three pieces, all pure functions of arrays handed in (no file access; the official tables
come through :mod:`dashboard.data` loaders):

Earlier municipal age structures (:func:`municipal_structure`)
    For dates before the first Kreis single-age table (31.12.2015) the municipal structure
    is built like the data layer's estimate (:mod:`dashboard.data.estimate`): a Kreis
    single-age pattern × the Zensus-2011 1-km-grid factors of the municipality, spread
    smoothly over age (:func:`dashboard.data.estimate.smooth_grid_factors`), scaled to the
    municipal total. The Kreis pattern of an earlier date is the graduated Kreis table of
    31.12.2015 moved back along the cohorts (a person aged *a* at the earlier date is *a + k*
    years old at the end of 2015; the 2015 counts are divided by the cohort's survival over
    the *k* years) and raked within the five grid groups to the grid's Kreis totals, so the
    municipal grid-group shares of the structure equal the census grid shares exactly.

Migration by age (:func:`in_migration_weights`)
    Kreis in-migrants have the Kreis age–sex distribution ``dist`` (from the flows over the
    Kreis border). A municipality receives its in-migrants of sex *s* and age *a* in
    proportion to ``dist[s, a] × A_r[s, a] / A_K[s, a] × g_r[a]``: the Kreis distribution
    times the municipality's share of the Kreis population of that age (``A`` = population
    aged one year, the migrants' age at the end of the year) times a municipal propensity
    ``g_r``. With ``g = 1`` this is the Kreis's in-migration *rate* by age applied to the
    local population (as the Kreis out-migration rates are), so a municipality keeps its own
    age structure instead of receiving Kreis-shaped in-migrants; the Kreis total by age stays
    (to first order) the Kreis distribution. ``g_r`` (:func:`fit_propensities`) is fitted
    on the two censuses: each municipality projected from its 2011 census structure to the
    Zensus 2022 (15.05.2022) must reproduce the census-2022 shares of the 11 age classes; the
    log propensity is piecewise linear in age through :data:`PROPENSITY_NODES`, penalised
    toward zero (= the Kreis) with a weight that makes small municipalities shrink more.

Fertility (:func:`fertility_factors`)
    Child–woman ratio (children 0–5 per woman 15–49) of the municipality relative to the
    Kreis, shrunk toward 1 by empirical Bayes (between-municipality variance against the
    Poisson sampling variance of the child count), so that the 0–5-year-olds of a
    municipality do not jump to a Kreis-fertility level in the first projection years.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.constants import AGS_LIST, N_AGES, OPEN_AGE
from dashboard.data import grid_age_shares, municipal_totals
from dashboard.data.estimate import smooth_grid_factors

__all__ = [
    "municipal_totals_at",
    "PROPENSITY_NODES",
    "CensusProfiles",
    "grid_factors",
    "kreis_pattern_back",
    "municipal_structure",
    "in_migration_weights",
    "propensity_curve",
    "fertility_factors",
    "fit_propensities",
]

#: Ages (at the end of the year) of the nodes of the piecewise-linear log propensity.
PROPENSITY_NODES: tuple[int, ...] = (0, 15, 25, 40, 60, 80)

#: The five Zensus-2011 grid groups (inclusive bounds).
GRID_GROUPS: tuple[tuple[int, int], ...] = ((0, 17), (18, 29), (30, 49), (50, 64), (65, OPEN_AGE))
_GRID_CODES = ("age_0_17", "age_18_29", "age_30_49", "age_50_64", "age_65plus")


def grid_persons() -> np.ndarray:
    """Zensus-2011 grid persons (R, 5) per municipality and grid group (from the data layer)."""
    g = grid_age_shares()
    persons = np.zeros((len(AGS_LIST), len(_GRID_CODES)))
    for r in g.itertuples():
        persons[AGS_LIST.index(r.ags), _GRID_CODES.index(r.grid_group)] = float(r.persons_grid)
    if (persons <= 0).any():
        raise ValueError("Zensus-2011 grid: every municipality needs persons in every grid group")
    return persons


def grid_factors(persons: np.ndarray | None = None) -> np.ndarray:
    """f[m, G] = municipal grid-group share / Kreis grid-group share, shape (R, 5)."""
    p = grid_persons() if persons is None else np.asarray(persons, dtype=float)
    return (p / p.sum(axis=1, keepdims=True)) / (p.sum(axis=0) / p.sum())


def kreis_pattern_back(
    pattern: np.ndarray, years_back: float, survival: np.ndarray, old_age: int = 65
) -> np.ndarray:
    """Kreis population (2, A) ``years_back`` years before the date of ``pattern`` (cohort shift).

    Below ``old_age``: a person aged ``a`` at the earlier date is ``a + k`` at the later one
    (``k = n + f``, ``0 ≤ f < 1``), so ``P_back[a] ≈ ((1 − f) P[a + n] + f P[a + n + 1]) / S(a)``,
    where ``S`` is the cohort's probability to survive ``n`` years (product of the one-year
    survival ratios) — the reverse-survival method, which keeps the sizes of the birth cohorts.
    From ``old_age`` on the later date's own shape is used (scaled to join at ``old_age``):
    reverse survival divides by small survival probabilities there and would multiply any
    error of the later table's old-age tail (the 75+ tail of the graduated Kreis tables is a
    stationary-population estimate). Used for *shapes* only (it ignores migration); the
    callers rake the result to official group totals.

    Parameters
    ----------
    pattern : (2, A) persons by sex and single age at the later date.
    years_back : k ≥ 0 (years).
    survival : (2, A) one-year survival ratios by age at the start of the year.
    old_age : first age taken from the later date's shape.
    """
    P = np.asarray(pattern, dtype=float)
    s = np.asarray(survival, dtype=float)
    n = int(np.floor(years_back))
    f = float(years_back - n)
    A = P.shape[-1]
    ext = np.concatenate([P, np.zeros(P.shape[:-1] + (n + 2,))], axis=-1)
    idx = np.arange(old_age)
    shifted = (1 - f) * ext[..., idx + n] + f * ext[..., idx + n + 1]
    log_s = np.log(np.clip(s, 1e-12, 1.0))
    cum = np.zeros_like(shifted)
    for j in range(n):
        cum += log_s[..., np.minimum(idx + j, A - 1)]
    young = shifted / np.exp(cum)
    old = P[..., old_age:] * (young[..., -1:] / np.maximum(P[..., old_age - 1 : old_age], 1e-12))
    return np.concatenate([young, old], axis=-1)


def _rake_to_grid(pattern: np.ndarray, kreis_grid: np.ndarray) -> np.ndarray:
    """Scale the pattern within each grid group to the grid's Kreis group totals (shape kept)."""
    out = np.array(pattern, dtype=float)
    both = out.sum(axis=0)
    target = kreis_grid / kreis_grid.sum() * both.sum()
    for g, (lo, hi) in enumerate(GRID_GROUPS):
        out[:, lo : hi + 1] *= target[g] / both[lo : hi + 1].sum()
    return out


def municipal_structure(
    kreis: np.ndarray, totals: np.ndarray, persons: np.ndarray | None = None
) -> np.ndarray:
    """Municipal population (R, 2, A): Kreis pattern × smoothed Zensus-2011 grid factors, scaled to ``totals``.

    Parameters
    ----------
    kreis : (2, A) Kreis pattern at the date (persons; only its shape matters). It is raked
        within the grid groups to the grid's Kreis totals first, so the municipal grid-group
        shares equal the census grid shares exactly.
    totals : (R,) municipal totals at the date (persons).
    persons : (R, 5) grid persons (default: :func:`grid_persons`).
    """
    p = grid_persons() if persons is None else np.asarray(persons, dtype=float)
    k = _rake_to_grid(kreis, p.sum(axis=0))
    f = smooth_grid_factors(grid_factors(p), k.sum(axis=0))  # (R, A)
    shape = k[None, :, :] * f[:, None, :]
    shape /= shape.sum(axis=(1, 2), keepdims=True)
    return np.asarray(totals, dtype=float)[:, None, None] * shape


def propensity_curve(beta: np.ndarray, nodes: tuple[int, ...] = PROPENSITY_NODES) -> np.ndarray:
    """Propensity ``g = exp(Σ_k β_k h_k(a))`` over ages 0 … OPEN_AGE (hat functions, flat beyond the ends).

    ``beta`` (..., K) -> (..., A).
    """
    ages = np.arange(N_AGES, dtype=float)
    basis = np.stack([np.interp(ages, nodes, np.eye(len(nodes))[k]) for k in range(len(nodes))])  # (K, A)
    return np.exp(np.asarray(beta, dtype=float) @ basis)


def in_migration_weights(
    aged: np.ndarray, dist: np.ndarray, propensity: np.ndarray | None = None, *, local: bool = True
) -> np.ndarray:
    """Age–sex distribution of each region's in-migrants, ``(..., R, 2, A)``, summing to 1 per region.

    Parameters
    ----------
    aged : (..., R, 2, A) population aged one year (age of the migrants at the end of the year).
    dist : (2, A) Kreis in-migrant distribution (sums to 1).
    propensity : (..., R, A) municipal propensity ``g`` by age, the same for both sexes (None = 1).
    local : True = ``dist × A_r / A_K × g`` (Kreis in-migration rates on the local population);
        False = ``dist × g`` (every municipality receives the Kreis profile; the former model).
    """
    w = np.broadcast_to(dist, aged.shape).copy()
    if local:
        kreis = aged.sum(axis=-3, keepdims=True)
        ratio = np.divide(aged, kreis, out=np.full_like(aged, 1.0 / aged.shape[-3]), where=kreis > 0)
        w *= ratio
    if propensity is not None:
        g = np.asarray(propensity, dtype=aged.dtype)
        w *= g[..., None, :]
    tot = w.sum(axis=(-2, -1), keepdims=True)
    return np.divide(w, tot, out=np.broadcast_to(dist, w.shape).copy(), where=tot > 0)


def fertility_factors(children: np.ndarray, women: np.ndarray) -> tuple[np.ndarray, dict]:
    """Municipal fertility factors from child–woman ratios, shrunk toward the Kreis (empirical Bayes).

    Parameters
    ----------
    children : (R,) children (e.g. aged 0–5) per municipality (persons).
    women : (R,) women aged 15–49 (persons).

    Returns
    -------
    (factors (R,), report). ``ratio_r = (C_r / W_r) / (ΣC / ΣW)``; its sampling variance
    ``v_r ≈ ratio_r² / C_r`` (Poisson count of children); the between-municipality variance
    ``τ² = max(0, Var(ratio) − mean(v))``; factor ``= 1 + w_r (ratio_r − 1)`` with
    ``w_r = τ² / (τ² + v_r)``. The report holds ``ratio``, ``weight``, ``tau2``.
    Factors are then normalised so that Σ factor_r W_r = Σ W_r (the Kreis level is kept).
    """
    c = np.asarray(children, dtype=float)
    w_ = np.asarray(women, dtype=float)
    if (c <= 0).any() or (w_ <= 0).any():
        raise ValueError("child–woman ratio needs positive children and women in every municipality")
    ratio = (c / w_) / (c.sum() / w_.sum())
    v = ratio**2 / c
    tau2 = max(0.0, float(np.var(ratio, ddof=1) - v.mean()))
    weight = tau2 / (tau2 + v)
    f = 1.0 + weight * (ratio - 1.0)
    f *= w_.sum() / (f * w_).sum()
    return f, {"ratio": ratio, "weight": weight, "tau2": tau2}


@dataclass(frozen=True)
class CensusProfiles:
    """Fitted municipal migration propensities and what they were fitted on.

    Attributes
    ----------
    beta : (R, K) log-propensity node values (``PROPENSITY_NODES``).
    propensity : (R, A) ``g_r(a)``.
    penalty : ridge penalty used (per unit of the data term of a 10,000-person municipality).
    fit_mae_pp : in-sample mean absolute error of the census-2022 class shares (percentage points).
    """

    beta: np.ndarray
    propensity: np.ndarray
    penalty: float
    fit_mae_pp: float


def fit_propensities(
    project_counts,
    observed: np.ndarray,
    sizes: np.ndarray,
    *,
    penalty: float,
    mask: np.ndarray | None = None,
    iterations: int = 3,
    step: float = 0.05,
) -> np.ndarray:
    """Penalised Gauss–Newton fit of the log propensities ``β`` (R, K) to observed class counts.

    The data are the municipal *deviations* from the Kreis: observed class share of the
    municipality minus the Kreis share, against the projected municipal share minus the
    projected Kreis share. A misfit of the Kreis itself (e.g. rates of the wrong years) is
    therefore not absorbed by the municipal propensities, and after every step ``β`` is
    centred per node (size-weighted mean over the municipalities = 0), so that the
    propensities only redistribute in-migrants between municipalities.

    Parameters
    ----------
    project_counts : callable ``beta (D, R, K) -> counts (D, R, C)`` projecting every region
        with each of the D parameter sets (a leading axis), persons per class at the target date.
    observed : (R, C) observed persons per class.
    sizes : (R,) population of each region (persons): the data term of region r is weighted
        by ``sizes_r / 10,000`` (precise shares of large municipalities count more, so small
        ones shrink more toward the Kreis).
    penalty : ridge penalty on ``β`` (toward 0 = the Kreis profile).
    mask : (R, C) bool, classes used in the fit (False = left out); default all.
    iterations : Gauss–Newton steps (the problem is close to linear).
    step : finite-difference step for the Jacobian.

    Returns
    -------
    β (R, K).
    """
    obs = np.asarray(observed, dtype=float)
    R, C = obs.shape
    K = len(PROPENSITY_NODES)
    m = np.ones((R, C), dtype=bool) if mask is None else np.asarray(mask, dtype=bool)
    wsize = np.asarray(sizes, dtype=float)
    wdata = wsize / 10_000.0
    obs_dev = obs / obs.sum(axis=1, keepdims=True) - obs.sum(axis=0) / obs.sum()

    beta = np.zeros((R, K))
    eye = np.eye(K)
    for _ in range(iterations):
        trial = np.concatenate([beta[None], beta[None] + step * eye[:, None, :]], axis=0)  # (K+1, R, K)
        counts = project_counts(trial)  # (K+1, R, C)
        sh = counts / counts.sum(axis=-1, keepdims=True)
        kreis = counts[0].sum(axis=0) / counts[0].sum()
        # every region's node k is perturbed at once: the own share responds to the own
        # propensity (the others only move the Kreis, which the linearisation keeps fixed)
        J = (sh[1:] - sh[0][None]) / step  # (K, R, C)
        resid = obs_dev - (sh[0] - kreis)  # (R, C)
        for r in range(R):
            Jr = J[:, r, m[r]].T  # (Cr, K)
            er = resid[r, m[r]]
            H = wdata[r] * Jr.T @ Jr + penalty * eye
            g = wdata[r] * Jr.T @ er - penalty * beta[r]
            beta[r] = beta[r] + np.linalg.solve(H, g)
        beta -= (wsize[:, None] * beta).sum(axis=0) / wsize.sum()
    return beta


def municipal_totals_at(year: int) -> np.ndarray:
    """Official municipal totals (R,) at 31.12.``year`` (2011: the first Zensus-2011-based figures)."""
    return _totals(year, official_only=year != 2011)


def _totals(year: int, official_only: bool = True) -> np.ndarray:
    t = municipal_totals(year_end_only=True, official_only=official_only)
    t = t[t.year == year]
    if year < 2011:
        t = t[t.basis == "VZ 1987"]
    elif year <= 2023:
        t = t[t.basis == "Zensus 2011"]
    s = t.drop_duplicates("ags").set_index("ags").population.reindex(list(AGS_LIST))
    if s.isna().any():
        raise ValueError(f"municipal totals 31.12.{year} incomplete: {s[s.isna()].index.tolist()}")
    return s.to_numpy(dtype=float)
