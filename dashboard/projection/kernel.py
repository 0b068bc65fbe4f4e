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
:func:`run` is built for many short runs on small arrays (15 × 2 × 101 = 3,030 cells), where
the cost of a numpy call (about 1 µs) and not the arithmetic dominates. It therefore

* prepares every rate once per run with a leading year axis (length ``n_years``, or 1 for a
  rate that does not vary by year), already shaped for the cell space ``(..., R, 2, A)``:
  survival, the migrants' survival factor ``keep``, half the fertility as a column vector,
  the infant-survivors-per-birth factor by sex; the loop takes yearly slices from lists;
* writes each year straight into preallocated buffers (population path, total births,
  migration), with ``out=`` arguments and basic slicing only: about ten array operations
  per year, no allocation and no validation inside the loop;
* moves every cohort up one age with one contiguous add over the flattened cells: the
  survivors are computed by age at the start, the open group's own survivors are merged
  into the age below it and the last age is set to 0, so the flat shift by one element
  carries age a−1 to a and only drops a zero onto the next row's age 0;
* computes births with one matrix product (female exposure at start + end × fertility / 2);
* takes the floors only when some cell would turn negative (:func:`_floor_year`);
* computes deaths, births by sex and applied migration for all years at once after the
  loop, from the stored populations, rates and migration — independently of the loop's
  arithmetic, so the balance identity is a real check of the loop;
* allocates the population path, migration, deaths and shortfall as slices of one block
  (one allocation per run). With separate ~0.5 MB arrays glibc returned the memory to the
  operating system after every run, and the next run paid ~500 page faults (about 1 ms,
  more than the arithmetic).

The tests check the balance identity and agreement with the loop implementation in
:mod:`dashboard.projection._reference`. :func:`step` is ``run`` for one year. For many
draws use ``run(..., store_components=False)`` and aggregate the returned population path
``(T+1, draw, region, sex, age)``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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
    ``population``, ``deaths``, ``net_migration`` and ``shortfall`` are views into one
    block (see the module docstring); they never overlap.
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


def _by_year(x, name: str, time_varying: bool, n_years: int) -> np.ndarray:
    """Rate with a leading year axis: length ``n_years`` if time-varying, else length 1.

    A length-1 year axis broadcasts against all years in the vectorised component
    computation; the loop takes its yearly slices from :func:`_years`.
    """
    x = np.asarray(x, dtype=float)
    if not time_varying:
        return x[None]
    if x.ndim == 0 or x.shape[0] < n_years:
        raise ValueError(
            f"time-varying rate {name!r} needs a leading year axis of length >= {n_years}, "
            f"got shape {x.shape}"
        )
    return x[:n_years]


def _years(x: np.ndarray, n_years: int) -> list[np.ndarray]:
    """The yearly slices of a prepared rate as a list (list indexing is cheaper than array indexing)."""
    return list(x) if len(x) == n_years else [x[0]] * n_years


def _to_cells(x: np.ndarray, nd: int) -> np.ndarray:
    """Insert singleton axes after the year axis so that ``x[t]`` has ``nd`` dimensions.

    Every prepared rate then broadcasts against ``(T, ..., R, 2, A)`` with its year axis
    aligned to the first axis (plain right-aligned broadcasting would misplace it).
    """
    return x.reshape(x.shape[:1] + (1,) * (nd + 1 - x.ndim) + x.shape[1:])


def _floor_year(P, E, M, keep_t, fh_t, coeff_t, tb_t, women, infants, short_t, mid: bool) -> None:
    """Recompute the year ``P -> E`` with floors (only called when some cell of ``E`` is < 0).

    ``E`` arrives holding the unfloored result; ages ≥ 1 are final except for the floor
    (births do not enter them). Age 0 is rebuilt from its migrants, ages ≥ 1 are floored at
    0 (the missing emigrants go to ``short_t``), births are recomputed from the floored
    exposure, then age 0 is floored in turn — the order of :mod:`dashboard.projection._reference`.
    All arrays are written in place.
    """
    E[..., :1] = (M * keep_t if mid else np.broadcast_to(M, E.shape))[..., :1]
    body = E[..., 1:]
    neg = body < 0.0
    short_t[..., 1:] = np.where(neg, -body, 0.0)
    body[neg] = 0.0
    np.add(P[..., :1, :], E[..., :1, :], out=women)
    np.matmul(women, fh_t, out=tb_t)
    np.multiply(tb_t, coeff_t, out=infants)
    E[..., :1] += infants
    age0 = E[..., :1]
    neg0 = age0 < 0.0
    short_t[..., :1] = np.where(neg0, -age0, 0.0)
    age0[neg0] = 0.0


def step(
    population: np.ndarray,
    *,
    survival: np.ndarray,
    infant_survival: np.ndarray,
    fertility: np.ndarray,
    sex_ratio_at_birth: float | np.ndarray,
    net_migration: np.ndarray,
    migration_timing: str = "mid",
) -> StepResult:
    """Advance the population by one calendar year (all regions, sexes, ages at once).

    See the module docstring for shapes, the order of events and the accounting identity.
    Returns a :class:`StepResult`; inputs are not modified.
    """
    r = run(
        population,
        n_years=1,
        survival=survival,
        infant_survival=infant_survival,
        fertility=fertility,
        sex_ratio_at_birth=sex_ratio_at_birth,
        net_migration=net_migration,
        migration_timing=migration_timing,
    )
    return StepResult(
        population=r.population[1],
        births=r.births[0],
        deaths=r.deaths[0],
        net_migration=r.net_migration[0],
        shortfall=r.shortfall[0],
    )


def run(
    population: np.ndarray,
    *,
    n_years: int,
    survival: np.ndarray,
    infant_survival: np.ndarray,
    fertility: np.ndarray,
    sex_ratio_at_birth: float | np.ndarray,
    net_migration: np.ndarray | Callable[[int, np.ndarray], np.ndarray],
    time_varying: frozenset[str] | set[str] = frozenset(),
    migration_timing: str = "mid",
    store_components: bool = True,
) -> RunResult:
    """Project ``n_years`` one-year steps (see the module docstring for the model).

    The loop over years advances only the population (about ten array operations per
    year into preallocated buffers); births by sex, deaths and applied migration are then
    computed for all years at once from the stored populations, rates and migration, so
    that the balance identity ``P(t+1) = aged(P(t)) + B·[a=0] − D + M`` is an independent
    check of the loop.

    Parameters
    ----------
    population : (..., R, 2, A) base population (persons at 31.12 of the base year).
    survival, infant_survival, fertility, sex_ratio_at_birth : rates as in :func:`step`;
        a rate named in ``time_varying`` carries a leading year axis of length ``n_years``
        (then the optional draw axis, …).
    net_migration : array (as in :func:`step`, year axis first if named in ``time_varying``)
        or a callable ``f(t, population_start) -> (..., R, 2, A)`` evaluated once every year
        (t = 0 for the first projected year), e.g. for population-dependent out-migration.
        The kernel copies what it returns, so the callable may reuse its output buffer.
    migration_timing : ``"mid"`` or ``"end"`` (see module docstring).
    store_components : compute births/deaths/migration arrays (set False for large draw runs).

    Returns
    -------
    RunResult
        Arrays in persons; shapes in :class:`RunResult`, where ``...`` is the broadcast of
        the leading axes of the population, the rates and the migration.

    Examples
    --------
    Many draws at once: pass ``population`` of shape (R, 2, A) and ``fertility`` of shape
    (n_years, D, 1, A) with ``time_varying={"fertility"}``; the population path has shape
    (n_years + 1, D, R, 2, A).
    """
    # ---- validation and per-run preparation (nothing of this runs inside the loop) ----
    if migration_timing not in MIGRATION_TIMINGS:
        raise ValueError(f"migration_timing must be one of {MIGRATION_TIMINGS}, got {migration_timing!r}")
    tv = frozenset(time_varying)
    unknown = tv - set(RATE_NAMES)
    if unknown:
        raise ValueError(f"unknown time_varying rates: {sorted(unknown)}")
    T = int(n_years)
    mid = migration_timing == "mid"
    P0 = np.ascontiguousarray(population, dtype=float)
    n_age = P0.shape[-1]
    # every rate with a year axis (length T or 1) and the trailing axes of the cells (..., R, 2, A)
    S = _by_year(survival, "survival", "survival" in tv, T)  # (T, ..., 2, A)
    S0 = _by_year(infant_survival, "infant_survival", "infant_survival" in tv, T)[..., None]  # (T, ..., 2, 1)
    F = _by_year(fertility, "fertility", "fertility" in tv, T)[..., None, :]  # (T, ..., 1, A)
    srb = _by_year(sex_ratio_at_birth, "sex_ratio_at_birth", "sex_ratio_at_birth" in tv, T)
    srb = srb.reshape(srb.shape + (1, 1, 1))  # (T, ..., 1, 1, 1)
    mig_fn = net_migration if callable(net_migration) else None
    if mig_fn is None:
        Ms = _by_year(net_migration, "net_migration", "net_migration" in tv, T)
        M_shape = Ms.shape[1:]
    elif T > 0:
        M_first = mig_fn(0, P0)  # year 0 is evaluated here, once: its shape is needed
        M_shape = np.shape(M_first)
    else:
        M_shape = ()
    nd = max(P0.ndim, S.ndim - 1, S0.ndim - 1, F.ndim - 1, srb.ndim - 1, len(M_shape))
    S, S0, F, srb = (_to_cells(x, nd) for x in (S, S0, F, srb))
    shape = np.broadcast_shapes(P0.shape, S.shape[1:], S0.shape[1:], F.shape[1:], srb.shape[1:], M_shape)
    # derived constants for all years at once
    male_share = srb / (1.0 + srb)
    split = np.concatenate(
        [1.0 - male_share, male_share], axis=-2
    )  # (T, ..., 1, 2, 1) share of births by sex
    coeff = split * S0  # infants alive at the year end per birth
    fh = np.swapaxes(0.5 * F, -1, -2)  # (T, ..., [R], A, 1) fertility / 2, a column
    if mid:  # migrants meet half the death probability of their cohort (by age at the year end)
        s_end = np.empty(np.broadcast_shapes(S.shape[:-1], S0.shape[:-1]) + (n_age,))
        s_end[..., 1:] = S[..., :-1]
        s_end[..., :1] = S0
        half_q = 0.5 * (1.0 - s_end)
        keep_y = _years(1.0 - half_q, T)
    S_y, fh_y, coeff_y = _years(S, T), _years(fh, T), _years(coeff, T)
    if mig_fn is None:
        M_y = _years(_to_cells(Ms, nd), T)

    # ---- the loop: population only, into preallocated buffers ----
    if store_components:  # one block for the population path, migration, deaths and shortfall
        block = np.empty((4 * T + 1,) + shape)
        pop, M_all = block[: T + 1], block[T + 1 : 2 * T + 1]
        deaths, shortfall_buf = block[2 * T + 1 : 3 * T + 1], block[3 * T + 1 :]
    else:
        pop = np.empty((T + 1,) + shape)
    pop[0] = P0
    pop_flat = pop.reshape(T + 1, -1)
    births_total = np.empty((T,) + shape[:-2] + (1, 1))  # (T, ..., R, 1, 1)
    store_mig = store_components and mig_fn is not None
    survivors = np.empty(shape)
    survivors_flat = survivors.reshape(-1)
    women = np.empty(shape[:-2] + (1, n_age))
    infants = np.empty(shape[:-1] + (1,))
    shortfall = None  # set at the first floor
    short_totals = np.zeros(T)
    for t in range(T):
        P, E = pop[t], pop[t + 1]
        if mig_fn is None:
            M = M_y[t]
        else:
            M = M_first if t == 0 else mig_fn(t, P)
            if store_mig:
                M_all[t] = M
        if mid:
            np.multiply(M, keep_y[t], out=E)  # migrants alive at the year end, all ages
        else:
            E[...] = M
        # survivors: computed by age at the start, the open group's own survivors merged into
        # the age below it and the last age zeroed, so that moving every cohort up one age is
        # one contiguous add over the flattened cells (the zero lands on the next row's age 0)
        np.multiply(P, S_y[t], out=survivors)
        np.add(survivors[..., -2], survivors[..., -1], out=survivors[..., -2])
        survivors[..., -1] = 0.0
        E_flat = pop_flat[t + 1]
        np.add(E_flat[1:], survivors_flat[:-1], out=E_flat[1:])
        # births: one matrix product of the female exposure (start + end, × fertility / 2)
        np.add(P[..., :1, :], E[..., :1, :], out=women)
        np.matmul(women, fh_y[t], out=births_total[t])
        np.multiply(births_total[t], coeff_y[t], out=infants)
        np.add(E[..., :1], infants, out=E[..., :1])
        if E.min() < 0.0:
            if shortfall is None:
                if store_components:
                    shortfall = shortfall_buf
                    shortfall[...] = 0.0
                else:
                    shortfall = np.zeros(shape)
            short_t = shortfall[t] if store_components else shortfall
            _floor_year(
                P,
                E,
                M,
                keep_y[t] if mid else None,
                fh_y[t],
                coeff_y[t],
                births_total[t],
                women,
                infants,
                short_t,
                mid,
            )
            short_totals[t] = short_t.sum()
    if not store_components:
        return RunResult(pop, None, None, None, short_totals)

    # ---- components for all years at once (independent of the loop's arithmetic) ----
    if not store_mig:
        M_all[...] = _to_cells(Ms, nd)
    births_sex = births_total * split  # (T, ..., R, 2, 1)
    q = 1.0 - S
    start = pop[:-1]
    np.multiply(start[..., :-1], q[..., :-1], out=deaths[..., 1:])  # by age at the year end
    deaths[..., -1] += start[..., -1] * q[..., -1]
    np.multiply(births_sex, 1.0 - S0, out=deaths[..., :1])  # infants born and died
    if mid:
        deaths += M_all * half_q  # migrants' deaths (< 0 for net emigration)
    if shortfall is None:
        shortfall = shortfall_buf
        shortfall[...] = 0.0
    else:
        M_all += shortfall  # floored emigrants did not leave
    return RunResult(pop, births_sex[..., 0], deaths, M_all, shortfall)
