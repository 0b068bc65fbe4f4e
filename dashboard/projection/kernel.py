"""Vectorised one-year cohort-component kernel over ``(..., region, sex, age)``.

Axis order follows :mod:`dashboard.constants`: ``(region, sex, age)`` with sex 0 = female,
1 = male, ages 0 … OPEN_AGE (last = open group). Any number of leading axes (e.g. a draw
axis ``(draw, region, sex, age)``) broadcast through every operation, so a stochastic
layer runs many draws in one call: give ``population`` a leading draw axis and/or any rate
a matching leading axis (rates without it are shared by all draws).

Accounting (one step from 31.12.t to 31.12.t+1)
-----------------------------------------------
Every component is indexed by **age at the end of the year** (cohort view), so the balance

    P(t+1)[a] = aged(P(t))[a] + births·[a = 0] − deaths[a] + net_migration[a]

holds cell by cell, where ``aged(P)[a] = P[a−1]`` (and ``aged(P)[OPEN] = P[OPEN−1] + P[OPEN]``,
``aged(P)[0] = 0``). Summed over ages it is ``P(t+1) = P(t) + B − D + M``.

Order of events:

1. survivors: ``aged(P · survival)``; the cohort's deaths are ``aged(P) − survivors``;
2. net migration with an explicit timing convention (``migration_timing``):
   ``"end"`` – migrants arrive on 31 December (no deaths, no births in the year);
   ``"mid"`` – migrants arrive on average mid-year: they experience half the cohort's
   death probability (``deaths += M · (1 − s) / 2``, negative for net emigration) and
   count in the end-of-year female exposure;
3. floor: where net emigration exceeds the cohort, the cell is set to 0, the shortfall is
   returned (and added back to the applied net migration, so the balance still holds);
   nothing is clipped silently;
4. births: ``Σ_a fertility[a] · (W_start[a] + W_end[a]) / 2`` over women aged a at the start
   and at the end of the year (exposure = mean of start and end population), split by the
   sex ratio at birth (males per female);
5. infants: births survive to the year end with ``infant_survival``; age-0 migrants follow (2).

Shapes (``...`` = optional leading axes, ``[R]`` = region axis or 1 for broadcasting)
------------------------------------------------------------------------------------
population        (..., R, 2, A)    persons at the start of the year
survival          (..., [R], 2, A)  probability that a person aged a at the start survives the
                                    year (see :func:`dashboard.projection.lifetable.survival_ratios`)
infant_survival   (..., [R], 2)     probability that a child born during the year survives to its end
fertility         (..., [R], A)     age-specific fertility rate of women aged a (births per woman-year)
sex_ratio_at_birth scalar or (...)  male births per female birth
net_migration     (..., R, 2, A)    net migrants by age at the end of the year (persons)

Implementation
--------------
:func:`run` advances only the population inside its loop over years (about ten array
operations per year, floors only when a cell would turn negative) and then computes births,
deaths and applied migration for all years at once from the stored populations, rates and
migration; the tests check the balance identity between the two, and agreement with the
loop implementation in :mod:`dashboard.projection._reference`. :func:`step` is ``run`` for
one year. For many draws use ``run(..., store_components=False)`` and aggregate the
returned population path ``(T+1, draw, region, sex, age)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["StepResult", "RunResult", "step", "run", "age_one_year"]

MIGRATION_TIMINGS = ("mid", "end")
RATE_NAMES = ("survival", "infant_survival", "fertility", "sex_ratio_at_birth", "net_migration")


@dataclass(frozen=True)
class StepResult:
    """Components of one projection year (arrays, persons).

    Attributes
    ----------
    population : (..., R, 2, A) population at the end of the year.
    births : (..., R, 2) live births during the year by sex of the child.
    deaths : (..., R, 2, A) deaths during the year by age at the end of the year (cohort);
        index 0 holds deaths of children born during the year.
    net_migration : (..., R, 2, A) net migration applied (after floors).
    shortfall : (..., R, 2, A) persons by which net emigration exceeded the cohort (≥ 0);
        these were not removed (the cell was floored at 0).
    """

    population: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    net_migration: np.ndarray
    shortfall: np.ndarray


@dataclass(frozen=True)
class RunResult:
    """Stacked results of :func:`run` (year axis first).

    population : (T+1, ..., R, 2, A) start population then one slice per projected year.
    births : (T, ..., R, 2); deaths, net_migration, shortfall : (T, ..., R, 2, A).
    With ``store_components=False`` births/deaths/net_migration are ``None`` and
    ``shortfall`` holds only its total per year, shape (T,).
    """

    population: np.ndarray
    births: np.ndarray | None
    deaths: np.ndarray | None
    net_migration: np.ndarray | None
    shortfall: np.ndarray | None


def age_one_year(population: np.ndarray) -> np.ndarray:
    """Shift every cohort up one age: ``out[a] = P[a−1]``, open group accumulates, ``out[0] = 0``."""
    out = np.empty_like(population)
    out[..., 0] = 0.0
    out[..., 1:] = population[..., :-1]
    out[..., -1] += population[..., -1]
    return out


def _constants(survival, infant_survival, sex_ratio_at_birth, migration_timing):
    """Per-year constants derived from the rates (work with or without a leading year axis).

    Returns ``half_q`` (migrants' death probability × 1/2, by age at year end; zeros for
    "end" timing), ``keep = 1 − half_q``, ``split`` (…, 2) female/male share of births.
    """
    s = np.asarray(survival, dtype=float)
    s0 = np.asarray(infant_survival, dtype=float)
    if migration_timing == "mid":
        s_end = np.empty(np.broadcast_shapes(s.shape, s0.shape + (1,)))
        s_end[..., 1:] = s[..., :-1]
        s_end[..., 0] = s0
        half_q = 0.5 * (1.0 - s_end)
    else:
        half_q = np.zeros((1,) * s.ndim)
    srb = np.asarray(sex_ratio_at_birth, dtype=float)
    ms = srb / (1.0 + srb)
    split = np.stack([1.0 - ms, ms], axis=-1)
    return half_q, 1.0 - half_q, split


def _advance(P, s, keep, f_half, infant_coeff, M, timing_mid, shape, scratch=None):
    """Population at year end (no components): returns (end, total_births, shortfall or None).

    Fast path without floors (about ten array operations); only if some cell would become
    negative is the step recomputed with the floors (:func:`_advance_floored`).
    ``shape`` is the broadcast shape of P, s and M (passed in to save per-step overhead);
    ``scratch`` an optional work array of that shape.
    """
    end = np.empty(shape)
    np.multiply(P[..., :-1], s[..., :-1], out=end[..., 1:])
    end[..., -1] += P[..., -1] * s[..., -1]
    end[..., 0] = 0.0
    if timing_mid:
        if scratch is None:
            end += M * keep
        else:
            np.multiply(M, keep, out=scratch)
            end += scratch
    else:
        end += M
    women = P[..., 0, :] + end[..., 0, :]
    total_births = women @ f_half if f_half.ndim == 1 else (women * f_half).sum(axis=-1)   # (..., R)
    end[..., 0] += total_births[..., None] * infant_coeff
    if end.min() < 0.0:
        return _advance_floored(P, s, keep, f_half, infant_coeff, M, timing_mid)
    return end, total_births, None


def _advance_floored(P, s, keep, f_half, infant_coeff, M, timing_mid):
    """Same as :func:`_advance` with floors: ages ≥ 1 before births, then age 0."""
    surv = P * s
    shape = np.broadcast_shapes(surv.shape, np.shape(M))
    end = np.empty(shape)
    end[..., 0] = 0.0
    end[..., 1:] = surv[..., :-1]
    end[..., -1] += surv[..., -1]
    end += M * keep if timing_mid else M
    shortfall = np.zeros(shape)
    neg = end < 0.0
    neg[..., 0] = False
    shortfall[neg] = -end[neg]
    end[neg] = 0.0
    total_births = ((P[..., 0, :] + end[..., 0, :]) * f_half).sum(axis=-1)     # (..., R)
    end[..., 0] += total_births[..., None] * infant_coeff
    neg0 = end[..., 0] < 0.0
    shortfall[..., 0] = np.where(neg0, -end[..., 0], 0.0)
    end[..., 0] = np.where(neg0, 0.0, end[..., 0])
    return end, total_births, shortfall


def _split_axis(split):
    """Shape ``split`` (…, 2) so that it broadcasts against births (…, R, 2)."""
    return split[..., None, :] if split.ndim > 1 else split


def step(population: np.ndarray, *, survival: np.ndarray, infant_survival: np.ndarray,
         fertility: np.ndarray, sex_ratio_at_birth: float | np.ndarray,
         net_migration: np.ndarray, migration_timing: str = "mid") -> StepResult:
    """Advance the population by one calendar year (all regions, sexes, ages at once).

    See the module docstring for shapes, the order of events and the accounting identity.
    Returns a :class:`StepResult`; inputs are not modified.
    """
    r = run(population, n_years=1, survival=survival, infant_survival=infant_survival, fertility=fertility,
            sex_ratio_at_birth=sex_ratio_at_birth, net_migration=net_migration, migration_timing=migration_timing)
    return StepResult(population=r.population[1], births=r.births[0], deaths=r.deaths[0],
                      net_migration=r.net_migration[0], shortfall=r.shortfall[0])


def _expand(x, time_varying: bool, per_year_ndim: int):
    """Give a rate with a leading year axis singleton axes so it broadcasts against (T, …)."""
    x = np.asarray(x)
    if not time_varying:
        return x
    rest = x.ndim - 1
    return x.reshape((x.shape[0],) + (1,) * max(per_year_ndim - rest, 0) + x.shape[1:])


def _at(rate, t: int, time_varying: bool):
    return rate[t] if time_varying else rate


def run(population: np.ndarray, *, n_years: int, survival: np.ndarray, infant_survival: np.ndarray,
        fertility: np.ndarray, sex_ratio_at_birth: float | np.ndarray,
        net_migration: np.ndarray | Callable[[int, np.ndarray], np.ndarray],
        time_varying: frozenset[str] | set[str] = frozenset(), migration_timing: str = "mid",
        store_components: bool = True) -> RunResult:
    """Project ``n_years`` one-year steps (see the module docstring for the model).

    The loop over years advances only the population (a few array operations per year);
    births, deaths and applied migration are then computed for all years at once from the
    stored populations, rates and migration, so that the balance identity
    ``P(t+1) = aged(P(t)) + B·[a=0] − D + M`` is an independent check of the loop.

    Parameters
    ----------
    population : (..., R, 2, A) base population (persons at 31.12 of the base year).
    survival, infant_survival, fertility, sex_ratio_at_birth : rates as in :func:`step`;
        a rate named in ``time_varying`` carries a leading year axis of length ``n_years``
        (then the optional draw axis, …).
    net_migration : array (as in :func:`step`, year axis first if named in ``time_varying``)
        or a callable ``f(t, population_start) -> (..., R, 2, A)`` evaluated every year
        (t = 0 for the first projected year), e.g. for population-dependent out-migration.
    migration_timing : ``"mid"`` or ``"end"`` (see module docstring).
    store_components : compute births/deaths/migration arrays (set False for large draw runs).

    Examples
    --------
    Many draws at once: pass ``population`` of shape (R, 2, A) and ``fertility`` of shape
    (n_years, D, 1, A) with ``time_varying={"fertility"}``; population broadcasts to
    (D, R, 2, A) after the first step.
    """
    if migration_timing not in MIGRATION_TIMINGS:
        raise ValueError(f"migration_timing must be one of {MIGRATION_TIMINGS}, got {migration_timing!r}")
    tv = frozenset(time_varying)
    unknown = tv - set(RATE_NAMES)
    if unknown:
        raise ValueError(f"unknown time_varying rates: {sorted(unknown)}")
    mid = migration_timing == "mid"
    P0 = np.ascontiguousarray(population, dtype=float)
    surv = np.ascontiguousarray(survival, dtype=float)
    s0 = np.ascontiguousarray(infant_survival, dtype=float)
    f_half = 0.5 * np.asarray(fertility, dtype=float)
    if "fertility" not in tv and f_half.ndim > 1 and all(n == 1 for n in f_half.shape[:-1]):
        f_half = f_half.reshape(-1)                   # shared by all regions/draws: use a matrix product
    srb = np.asarray(sex_ratio_at_birth, dtype=float)
    # constants for all years at once (year axis kept where the rate is time-varying)
    s_tv, s0_tv, srb_tv = "survival" in tv, "infant_survival" in tv, "sex_ratio_at_birth" in tv
    if s_tv != s0_tv:       # half_q mixes both: give both a year axis
        if not s_tv:
            surv = np.broadcast_to(surv, (n_years,) + surv.shape)
        if not s0_tv:
            s0 = np.broadcast_to(s0, (n_years,) + s0.shape)
        s_tv = s0_tv = True
    half_q, keep, split = _constants(surv, s0, srb, migration_timing)
    infant_coeff = None
    if not (s0_tv or srb_tv):
        infant_coeff = _split_axis(split) * s0
    P = P0
    shape_prev = None
    pop_list = [P0]
    mig_list = []
    births_list = []
    short_list = []
    for t in range(n_years):
        M = net_migration(t, P) if callable(net_migration) else _at(net_migration, t, "net_migration" in tv)
        split_t = split[t] if srb_tv else split
        coeff = infant_coeff if infant_coeff is not None else _split_axis(split_t) * (s0[t] if s0_tv else s0)
        s_t = surv[t] if s_tv else surv
        if shape_prev is None or np.shape(M) != shape_prev or P.shape != shape_prev:
            shape_prev = np.broadcast_shapes(P.shape, np.shape(s_t), np.shape(M))
            scratch = np.empty(shape_prev)
        end, tb, sf = _advance(P, s_t, keep[t] if (s_tv and mid) else keep,
                               _at(f_half, t, "fertility" in tv), coeff, M, mid, shape_prev, scratch)
        pop_list.append(end)
        mig_list.append(M)
        births_list.append(tb)
        short_list.append(sf)
        P = end
    shape = np.broadcast_shapes(*(p.shape for p in pop_list))
    population_out = np.empty((n_years + 1,) + shape)
    for t, p in enumerate(pop_list):
        population_out[t] = p
    if not store_components:
        totals = np.array([0.0 if sf is None else float(sf.sum()) for sf in short_list])
        return RunResult(population_out, None, None, None, totals)
    # components for all years at once (few large operations, in place where possible)
    T = n_years
    M_all = np.empty((T,) + shape)
    for t, m in enumerate(mig_list):
        M_all[t] = m
    nd = len(shape)
    tb_all = np.empty((T,) + shape[:-2])
    for t, b in enumerate(births_list):
        tb_all[t] = b
    if srb_tv:
        split_e = _expand(split[..., None, :], True, nd - 1)
    else:
        split_e = split[..., None, :] if split.ndim > 1 else split
    births = tb_all[..., None] * split_e                               # (T, ..., R, 2)
    Pstart = population_out[:-1]
    # deaths by age at the end of the year, written into one buffer (few large allocations)
    q_e = 1.0 - _expand(surv, s_tv, nd)
    deaths = np.empty((T,) + shape)
    np.multiply(Pstart[..., :-1], q_e[..., :-1], out=deaths[..., 1:])
    deaths[..., -1] += Pstart[..., -1] * q_e[..., -1]
    deaths[..., 0] = births * (1.0 - _expand(s0, s0_tv, nd - 1))
    if mid:
        hq_e = _expand(half_q, s_tv, nd)
        for t in range(T):                       # small temporaries, no large allocation
            deaths[t] += M_all[t] * (hq_e[t] if s_tv else hq_e)
    if all(sf is None for sf in short_list):
        shortfall = np.zeros((T,) + shape)
        applied = M_all
    else:
        shortfall = np.zeros((T,) + shape)
        for t, sf in enumerate(short_list):
            if sf is not None:
                shortfall[t] = sf
        applied = M_all + shortfall
    return RunResult(population_out, births, deaths, applied, shortfall)
