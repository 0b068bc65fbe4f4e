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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

__all__ = ["StepResult", "RunResult", "step", "run", "age_one_year"]

MIGRATION_TIMINGS = ("mid", "end")


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


def age_one_year(population: np.ndarray) -> np.ndarray:
    """Shift every cohort up one age: ``out[a] = P[a−1]``, open group accumulates, ``out[0] = 0``."""
    out = np.zeros_like(population)
    out[..., 1:] = population[..., :-1]
    out[..., -1] += population[..., -1]
    return out


def step(population: np.ndarray, *, survival: np.ndarray, infant_survival: np.ndarray,
         fertility: np.ndarray, sex_ratio_at_birth: float | np.ndarray,
         net_migration: np.ndarray, migration_timing: str = "mid") -> StepResult:
    """Advance the population by one calendar year (all regions, sexes, ages at once).

    See the module docstring for shapes, the order of events and the accounting identity.
    Returns a :class:`StepResult`; inputs are not modified.
    """
    if migration_timing not in MIGRATION_TIMINGS:
        raise ValueError(f"migration_timing must be one of {MIGRATION_TIMINGS}, got {migration_timing!r}")
    P = np.asarray(population, dtype=float)
    s = np.asarray(survival, dtype=float)
    s0 = np.asarray(infant_survival, dtype=float)
    f = np.asarray(fertility, dtype=float)
    srb = np.asarray(sex_ratio_at_birth, dtype=float)
    M = np.asarray(net_migration, dtype=float)

    aged = age_one_year(P)
    surv = P * s                                         # broadcast over leading axes
    survivors = age_one_year(surv)
    # survival ratio that applies to the cohort ending the year at age a (migrant deaths)
    s_end = np.empty(np.broadcast_shapes(s.shape, s0.shape + (1,)))
    s_end[..., 1:] = s[..., :-1]
    s_end[..., 0] = s0
    if migration_timing == "mid":
        mig_deaths = M * (1.0 - s_end) * 0.5
    else:
        mig_deaths = np.zeros_like(M)
    deaths = (aged - survivors) + mig_deaths
    end = survivors + M - mig_deaths                    # ages ≥ 1 final, age 0 still without births

    # floor ages >= 1 before births (women's end-of-year exposure must be non-negative)
    shortfall = np.zeros(end.shape)
    neg = end[..., 1:] < 0
    if neg.any():
        shortfall[..., 1:] = np.where(neg, -end[..., 1:], 0.0)
        end = end.copy()
        end[..., 1:] = np.where(neg, 0.0, end[..., 1:])

    # births: exposure of women = mean of start and end of year at the same age
    exposure = 0.5 * (P[..., 0, :] + end[..., 0, :])
    total_births = (f * exposure).sum(axis=-1)          # (..., R)
    male_share = srb / (1.0 + srb)
    ms = male_share[..., None] if male_share.ndim else male_share
    births = np.stack([total_births * (1.0 - ms), total_births * ms], axis=-1)   # (..., R, 2)
    born_surv = births * s0
    deaths = deaths.copy()
    deaths[..., 0] = deaths[..., 0] + births - born_surv
    end = end.copy()
    end[..., 0] = end[..., 0] + born_surv
    neg0 = end[..., 0] < 0
    if neg0.any():
        shortfall[..., 0] = np.where(neg0, -end[..., 0], 0.0)
        end[..., 0] = np.where(neg0, 0.0, end[..., 0])
    applied = M + shortfall
    return StepResult(population=end, births=births, deaths=deaths, net_migration=applied,
                      shortfall=shortfall)


@dataclass(frozen=True)
class RunResult:
    """Stacked results of :func:`run` (year axis first).

    population : (T+1, ..., R, 2, A) start population then one slice per projected year.
    births : (T, ..., R, 2); deaths, net_migration, shortfall : (T, ..., R, 2, A)
    (``None`` when ``store_components=False``; ``shortfall`` then holds only its total per
    year, shape (T,)).
    """

    population: np.ndarray
    births: np.ndarray | None
    deaths: np.ndarray | None
    net_migration: np.ndarray | None
    shortfall: np.ndarray | None


def _at(rate: np.ndarray | float, t: int, time_varying: bool):
    return rate[t] if time_varying else rate


def run(population: np.ndarray, *, n_years: int, survival: np.ndarray, infant_survival: np.ndarray,
        fertility: np.ndarray, sex_ratio_at_birth: float | np.ndarray,
        net_migration: np.ndarray | Callable[[int, np.ndarray], np.ndarray],
        time_varying: frozenset[str] | set[str] = frozenset(), migration_timing: str = "mid",
        store_components: bool = True) -> RunResult:
    """Project ``n_years`` steps with :func:`step`.

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
    store_components : keep births/deaths/migration arrays (set False for large draw runs).

    Examples
    --------
    Many draws at once: pass ``population`` of shape (R, 2, A) and ``fertility`` of shape
    (n_years, D, 1, A) with ``time_varying={"fertility"}``; population broadcasts to
    (D, R, 2, A) after the first step.
    """
    tv = frozenset(time_varying)
    unknown = tv - {"survival", "infant_survival", "fertility", "sex_ratio_at_birth", "net_migration"}
    if unknown:
        raise ValueError(f"unknown time_varying rates: {sorted(unknown)}")
    P = np.asarray(population, dtype=float)
    pops = [P]
    comps: dict[str, list] = {"births": [], "deaths": [], "net_migration": [], "shortfall": []}
    for t in range(n_years):
        M = net_migration(t, P) if callable(net_migration) else _at(net_migration, t, "net_migration" in tv)
        r = step(P, survival=_at(survival, t, "survival" in tv),
                 infant_survival=_at(infant_survival, t, "infant_survival" in tv),
                 fertility=_at(fertility, t, "fertility" in tv),
                 sex_ratio_at_birth=_at(sex_ratio_at_birth, t, "sex_ratio_at_birth" in tv),
                 net_migration=M, migration_timing=migration_timing)
        P = r.population
        pops.append(P)
        if store_components:
            comps["births"].append(r.births)
            comps["deaths"].append(r.deaths)
            comps["net_migration"].append(r.net_migration)
            comps["shortfall"].append(r.shortfall)
        else:
            comps["shortfall"].append(r.shortfall.sum())
    shape = np.broadcast_shapes(*(p.shape for p in pops))
    population_out = np.stack([np.broadcast_to(p, shape) for p in pops])
    if store_components:
        return RunResult(population_out, np.stack(comps["births"]), np.stack(comps["deaths"]),
                         np.stack(comps["net_migration"]), np.stack(comps["shortfall"]))
    return RunResult(population_out, None, None, None, np.asarray(comps["shortfall"]))
