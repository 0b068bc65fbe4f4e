"""Probabilistic projection: many draws of the drivers through the cohort-component model.

Method (documented for the Methodik page)
-----------------------------------------
1. **Drivers.** Small time-series models of the NRW total fertility rate, NRW life
   expectancy by sex and the Kreis's annual growth rate (proxy for net migration) are
   fitted with statsmodels and chosen by BIC (:mod:`dashboard.projection.drivers`).
   A draw is a joint path of centred deviations from the scenario's assumptions
   (the scenario stays the centre; the models supply the spread and how it grows).
2. **Into the model.** For draw ``d`` and year ``t``:

   * fertility rates × ``exp(dev_logTFR[d, t])``;
   * mortality: the deviation of life expectancy is turned into a proportional-hazards
     factor ``k`` on the base life table (``k = factor_for_e0(e0 + dev) /
     factor_for_e0(e0)``), applied as ``survival ** k`` (exact for a constant hazard
     within each year of age);
   * net migration + ``dev_growth[d, t] × P_Kreis(base)`` persons, spread over sex and
     age like the Kreis's in-migration 2020–2024 (12711-01-03-4; within an age group
     like the base population) and over municipalities by population share.

   The cohort-component step then runs over all draws at once, arrays
   ``(draw, region, sex, age)``: either :func:`dashboard.projection.kernel.step`
   (``engine="kernel"``, float64, the reference) or :func:`fast_step` (default,
   float32, the same arithmetic without the component bookkeeping; a test checks that
   both agree).
3. **Municipal error.** The extra error of a municipality beyond the Kreis-wide drivers
   (:mod:`dashboard.projection.calibration`) multiplies its population in each draw by
   ``exp(e)``, after which the municipalities of a draw are rescaled to the draw's Kreis
   total.
4. **Summary.** Quantiles 2.5 %, 10 %, 50 %, 90 %, 97.5 % over the draws give the
   median and the 80 % and 95 % intervals. Draws are seeded; the same seed gives the same
   draws.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.constants import (AGS_LIST, KREIS_AGS, KREIS_NAME, MUNICIPALITIES, N_AGES,
                                 PLANNING_AGE_GROUPS)
from dashboard.projection.calibration import MunicipalErrorModel, municipal_error_draws
from dashboard.projection.drivers import DriverDraws, draw_drivers

#: Quantile columns of :attr:`ProbabilisticResult.quantiles` -> probability.
QUANTILES: dict[str, float] = {"q025": 0.025, "q10": 0.10, "q50": 0.50, "q90": 0.90, "q975": 0.975}
#: Quantities summarised per region and year (planning groups carry their labels).
QUANTITIES: tuple[str, ...] = ("population", "n_65plus", "n_80plus", *PLANNING_AGE_GROUPS)
#: Default seed (the base date 31.12.2024).
DEFAULT_SEED: int = 20241231
#: Draws used in interactive views (the full run uses 1,000).
INTERACTIVE_DRAWS: int = 200

_GROUP_STARTS = np.array([lo for lo, _ in PLANNING_AGE_GROUPS.values()])


@dataclass(frozen=True)
class KernelInputs:
    """Deterministic inputs of one scenario, as the kernel takes them.

    Attributes
    ----------
    base_year : year of the base population (31 Dec).
    years : projection years ``base_year + 1 …`` (length ``T``).
    population : ``(R, 2, A)`` base population (persons), regions in ``AGS_LIST`` order.
    survival : ``(T, R|1, 2, A)`` one-year survival ratios per projection year.
    infant_survival : ``(T, R|1, 2)``.
    fertility : ``(T, R|1, A)`` age-specific fertility rates (births per woman-year).
    sex_ratio_at_birth : male per female births.
    net_migration : ``(T, R, 2, A)`` net migrants by age at the end of the year (persons).
    migration_profile : ``(R, 2, A)`` non-negative, sums to 1: how a deviation of the
        Kreis's net migration is spread over regions, sexes and ages.
    qx : ``(2, A)`` base death probabilities (female, male) for the e0 → hazard mapping.
    migration_timing : ``"mid"`` or ``"end"`` (as in the kernel).
    """

    base_year: int
    years: np.ndarray
    population: np.ndarray
    survival: np.ndarray
    infant_survival: np.ndarray
    fertility: np.ndarray
    sex_ratio_at_birth: float
    net_migration: np.ndarray
    migration_profile: np.ndarray
    qx: np.ndarray
    migration_timing: str = "mid"


def fast_step(P: np.ndarray, *, survival: np.ndarray, infant_survival: np.ndarray,
              fertility: np.ndarray, sex_ratio_at_birth: float, net_migration: np.ndarray,
              migration_timing: str = "mid") -> tuple[np.ndarray, float]:
    """One cohort-component year for many draws, population only (same arithmetic as the kernel).

    Shapes as :func:`dashboard.projection.kernel.step`: ``P (..., R, 2, A)``, rates with
    broadcastable leading axes. Keeps the dtype of ``P`` (float32 in the stochastic run).

    Returns
    -------
    (population at the end of the year, persons of net emigration floored at zero).
    """
    dt = P.dtype
    s = np.asarray(survival, dtype=dt)
    s0 = np.asarray(infant_survival, dtype=dt)
    S = P * s
    end = np.empty(S.shape, dtype=dt)
    end[..., 1:] = S[..., :-1]
    end[..., -1] += S[..., -1]
    end[..., 0] = 0
    M = np.asarray(net_migration, dtype=dt)
    if migration_timing == "mid":
        s_end = np.empty(np.broadcast_shapes(s.shape, s0.shape + (1,)), dtype=dt)
        s_end[..., 1:] = s[..., :-1]
        s_end[..., 0] = s0
        end += M * (0.5 + 0.5 * s_end)          # M − M·(1 − s_end)/2
    elif migration_timing == "end":
        end += M
    else:
        raise ValueError(f"unknown migration_timing {migration_timing!r}")
    floored = 0.0
    body = end[..., 1:]
    if (body < 0).any():
        floored = float(-body[body < 0].sum(dtype=np.float64))
        np.maximum(body, 0, out=body)
    exposure = 0.5 * (P[..., 0, :] + end[..., 0, :])
    births = (np.asarray(fertility, dtype=dt) * exposure).sum(axis=-1)      # (..., R)
    male_share = sex_ratio_at_birth / (1.0 + sex_ratio_at_birth)
    end[..., 0, 0] += births * dt.type(1.0 - male_share) * s0[..., 0]
    end[..., 1, 0] += births * dt.type(male_share) * s0[..., 1]
    if (end[..., 0] < 0).any():
        neg = end[..., 0] < 0
        floored += float(-end[..., 0][neg].sum(dtype=np.float64))
        end[..., 0] = np.maximum(end[..., 0], 0)
    return end, floored


def _aggregate(P: np.ndarray) -> np.ndarray:
    """``(..., R, 2, A)`` -> ``(..., R, Q)`` in the order of :data:`QUANTITIES`."""
    both = P.sum(axis=-2, dtype=np.float64)
    groups = np.add.reduceat(both, _GROUP_STARTS, axis=-1)
    total = both.sum(axis=-1)
    n65 = both[..., 65:].sum(axis=-1)
    n80 = both[..., 80:].sum(axis=-1)
    return np.concatenate([total[..., None], n65[..., None], n80[..., None], groups], axis=-1)


def _hazard_factors(qx: np.ndarray, e0_dev: np.ndarray, female: bool) -> np.ndarray:
    """Proportional-hazards factor giving life expectancy ``e0(qx) + e0_dev`` (1 at zero)."""
    from dashboard.projection.lifetable import factor_for_e0, life_expectancy

    e0 = float(life_expectancy(qx, female=female))
    base = factor_for_e0(qx, np.array([e0]), female=female)[0]
    return factor_for_e0(qx, e0 + e0_dev, female=female) / base


@dataclass(frozen=True)
class Simulation:
    """Raw result of :func:`simulate` (all draws, summary quantities only).

    values : ``(draw, T+1, R+1, Q)`` float64: year axis starts with the base year,
        region axis ``AGS_LIST`` then the Kreis, quantities as :data:`QUANTITIES`.
    """

    years: np.ndarray
    values: np.ndarray
    floored: float


def simulate(inputs: KernelInputs, drivers: DriverDraws, *,
             municipal_error: MunicipalErrorModel | None = None,
             seed: int | np.random.SeedSequence | None = None, engine: str = "fast") -> Simulation:
    """Run the cohort-component model over all driver draws at once.

    Parameters
    ----------
    inputs : deterministic inputs of the scenario.
    drivers : centred driver deviations for ``inputs.years``.
    municipal_error : extra municipal error model (None = none).
    seed : seed of the municipal error draws.
    engine : ``"fast"`` (:func:`fast_step`, float32) or ``"kernel"``
        (:func:`dashboard.projection.kernel.step`, float64).

    Returns
    -------
    Simulation with summary quantities for every draw, year and region.
    """
    if not np.array_equal(drivers.years, inputs.years):
        raise ValueError("driver draws and inputs cover different years")
    D, T = drivers.n_draws, len(inputs.years)
    dt = np.float32 if engine == "fast" else np.float64
    f_factor = drivers.fertility_factor()                                   # (D, T)
    k = np.stack([_hazard_factors(inputs.qx[0], drivers.of("e0_female"), True),
                  _hazard_factors(inputs.qx[1], drivers.of("e0_male"), False)], axis=-1)  # (D, T, 2)
    kreis_base = float(inputs.population.sum())
    mig_dev = drivers.of("migration") * kreis_base                        # (D, T) persons
    profile = inputs.migration_profile.astype(dt)

    R = inputs.population.shape[0]
    out = np.empty((D, T + 1, R + 1, len(QUANTITIES)))
    P = np.broadcast_to(inputs.population.astype(dt), (D,) + inputs.population.shape)
    agg = _aggregate(P[:1])
    out[:, 0, :R] = agg
    out[:, 0, R] = agg.sum(axis=-2)
    floored = 0.0
    if engine == "kernel":
        from dashboard.projection.kernel import step as kernel_step
    for t in range(T):
        kt = k[:, t, None, :, None].astype(dt)                               # (D, 1, 2, 1)
        surv = np.asarray(inputs.survival[t], dtype=dt)[None] ** kt
        s0 = np.asarray(inputs.infant_survival[t], dtype=dt)[None] ** kt[..., 0]
        fert = np.asarray(inputs.fertility[t], dtype=dt)[None] * f_factor[:, t, None, None].astype(dt)
        mig = (np.asarray(inputs.net_migration[t], dtype=dt)[None]
               + mig_dev[:, t, None, None, None].astype(dt) * profile[None])
        if engine == "fast":
            P, fl = fast_step(P, survival=surv, infant_survival=s0, fertility=fert,
                              sex_ratio_at_birth=inputs.sex_ratio_at_birth, net_migration=mig,
                              migration_timing=inputs.migration_timing)
        elif engine == "kernel":
            r = kernel_step(P, survival=surv, infant_survival=s0, fertility=fert,
                            sex_ratio_at_birth=inputs.sex_ratio_at_birth, net_migration=mig,
                            migration_timing=inputs.migration_timing)
            P, fl = r.population, float(r.shortfall.sum())
        else:
            raise ValueError(f"unknown engine {engine!r}")
        floored += fl
        agg = _aggregate(P)
        out[:, t + 1, :R] = agg
        out[:, t + 1, R] = agg.sum(axis=-2)
    if municipal_error is not None and municipal_error.scale > 0:
        rng = np.random.default_rng(seed)
        base_pop = inputs.population.sum(axis=(1, 2))
        e = municipal_error_draws(municipal_error, base_pop, inputs.years - inputs.base_year,
                                  draws=D, rng=rng)                            # (D, R, T)
        m = np.exp(e).transpose(0, 2, 1)                                       # (D, T, R)
        pop = out[:, 1:, :R, 0]
        c = pop.sum(axis=-1, keepdims=True) / (pop * m).sum(axis=-1, keepdims=True)
        out[:, 1:, :R, :] *= (m * c)[..., None]
    years = np.concatenate([[inputs.base_year], inputs.years])
    return Simulation(years=years, values=out, floored=floored)


def summarise(sim: Simulation) -> pd.DataFrame:
    """Quantiles over the draws as a tidy frame.

    Returns
    -------
    DataFrame ``ags, municipality, year, quantity, q025, q10, q50, q90, q975`` (persons),
    one row per region (15 municipalities and the Kreis ``"05358"``) × year × quantity.
    """
    q = np.quantile(sim.values, list(QUANTILES.values()), axis=0)          # (5, T+1, R+1, Q)
    ags = list(AGS_LIST) + [KREIS_AGS]
    names = [MUNICIPALITIES[a] for a in AGS_LIST] + [KREIS_NAME]
    T1, R1, Q = q.shape[1:]
    idx = pd.MultiIndex.from_product([range(T1), range(R1), range(Q)], names=["t", "r", "k"])
    frame = pd.DataFrame({
        "ags": np.array(ags)[idx.get_level_values("r")],
        "municipality": np.array(names)[idx.get_level_values("r")],
        "year": sim.years[idx.get_level_values("t")].astype(int),
        "quantity": np.array(QUANTITIES)[idx.get_level_values("k")],
    })
    for i, col in enumerate(QUANTILES):
        frame[col] = q[i].reshape(-1)
    return frame.sort_values(["ags", "quantity", "year"]).reset_index(drop=True)


@dataclass(frozen=True)
class ProbabilisticResult:
    """Result of :func:`project_probabilistic`.

    Attributes
    ----------
    scenario : the scenario that sets the centre.
    draws : number of draws.
    seed : seed used.
    quantiles : ``ags, municipality, year, quantity, q025, q10, q50, q90, q975`` (persons);
        quantities as :data:`QUANTITIES`; the base year has zero width.
    municipal_error : the extra municipal error model applied (None = drivers only).
    floored : persons of net emigration floored at zero, summed over draws and years.
    """

    scenario: Any
    draws: int
    seed: int | None
    quantiles: pd.DataFrame = field(repr=False)
    municipal_error: MunicipalErrorModel | None
    floored: float

    def bands(self, quantity: str = "population") -> pd.DataFrame:
        """Long frame ``ags, year, lower, upper, level`` (level 0.8 / 0.95) for band drawing."""
        q = self.quantiles[self.quantiles.quantity == quantity]
        parts = [pd.DataFrame({"ags": q.ags, "year": q.year, "lower": q[lo], "upper": q[hi], "level": lev})
                 for lev, lo, hi in ((0.8, "q10", "q90"), (0.95, "q025", "q975"))]
        return pd.concat(parts, ignore_index=True)

    def interval(self, ags: str, year: int, quantity: str = "population") -> dict[str, float]:
        """The five quantiles of one region, year and quantity (persons)."""
        q = self.quantiles
        row = q[(q.ags == ags) & (q.year == year) & (q.quantity == quantity)]
        if len(row) != 1:
            raise KeyError(f"no interval for {ags} {year} {quantity}")
        return {c: float(row[c].iloc[0]) for c in QUANTILES}
