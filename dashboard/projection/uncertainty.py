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
   * the Kreis's net migration target + ``dev_growth[d, t] × P_Kreis(base)`` persons,
     which the engine's migration function spreads like the deterministic projection
     (out-migration rates, in-migrant age–sex distribution, population shares plus the
     municipal excess).

   The cohort-component step then runs over all draws at once, arrays
   ``(draw, region, sex, age)``: either :func:`dashboard.projection.kernel.step`
   (``engine="kernel"``, float64, the reference) or :func:`fast_step` (default,
   float32, the same arithmetic without the component bookkeeping; a test checks that
   both agree).
   The migration deviations of a draw are multiplied by a scale ``c`` drawn from its
   posterior, calibrated on the Kreis's backtest errors (:class:`DriverScale` in
   :mod:`dashboard.projection.calibration`): the driver model sets how the spread grows
   and correlates over the horizon, the Kreis's realised errors set its size.
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
import os
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from dashboard.constants import AGS_LIST, KREIS_AGS, KREIS_NAME, MUNICIPALITIES, N_AGES, PLANNING_AGE_GROUPS
from dashboard.data import data_version, one_data_version
from dashboard.projection.assumptions import estimate_assumptions
from dashboard.projection.backtest import backtest
from dashboard.projection.base import start_year
from dashboard.projection.calibration import (
    DriverScale,
    MunicipalErrorModel,
    fit_driver_scale,
    fitted_municipal_error,
    model_rows,
    municipal_error_draws,
)
from dashboard.projection.drivers import DRIVERS, DriverDraws, draw_drivers, fitted_models
from dashboard.projection.engine import MIGRATION_TIMING, migration_function, scenario_rates
from dashboard.projection.kernel import step as kernel_step
from dashboard.projection.lifetable import factor_for_e0, life_expectancy
from dashboard.projection.municipal import in_migration_weights
from dashboard.projection.scenarios import PRESETS, Scenario

#: Quantile columns of :attr:`ProbabilisticResult.quantiles` -> probability.
QUANTILES: dict[str, float] = {"q025": 0.025, "q10": 0.10, "q50": 0.50, "q90": 0.90, "q975": 0.975}
#: Quantities summarised per region and year (planning groups carry their labels).
QUANTITIES: tuple[str, ...] = ("population", "n_65plus", "n_80plus", *PLANNING_AGE_GROUPS)
#: Default seed (the base date 31.12.2024).
DEFAULT_SEED: int = 20241231
#: Draws of the full run (default of :func:`project_probabilistic`, downloads, reports).
FULL_DRAWS: int = 1000
#: Draws used in interactive views (the app's charts, notebooks).
INTERACTIVE_DRAWS: int = 200
#: Draws of the simulations behind the calibration of the driver scale: fixed, so that the
#: calibration (and with it every interval) does not depend on how many draws a view asks for.
CALIBRATION_DRAWS: int = 1000

_GROUP_STARTS = np.array([lo for lo, _ in PLANNING_AGE_GROUPS.values()])


@dataclass(frozen=True, eq=False)
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
    net_kreis : the scenario's Kreis net migration (persons per year).
    migration : object with ``out_migration_rate (2, A)``, ``in_migration_distribution
        (2, A)`` and ``municipal_excess (R,)``, as taken by
        :func:`dashboard.projection.engine.migration_function`.
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
    net_kreis: float
    migration: Any
    qx: np.ndarray
    migration_timing: str = "mid"


@dataclass(frozen=True)
class _MigrationArrays:
    out_migration_rate: np.ndarray
    in_migration_distribution: np.ndarray
    municipal_excess: np.ndarray
    municipal_propensity: np.ndarray | None = None
    local_migration: bool = True
    excess_damping: float = 1.0
    local_terms: Any = None

    def astype(self, dt) -> _MigrationArrays:
        g = self.municipal_propensity
        lt = self.local_terms
        return _MigrationArrays(
            *(
                np.asarray(x, dtype=dt)
                for x in (self.out_migration_rate, self.in_migration_distribution, self.municipal_excess)
            ),
            None if g is None else np.asarray(g, dtype=dt),
            self.local_migration,
            self.excess_damping,
            None if lt is None else lt.astype(dt),
        )


def _migration_arrays(a, local_terms=None) -> _MigrationArrays:
    """The migration inputs of :func:`dashboard.projection.engine.migration_function` from assumptions.

    ``local_terms``: :class:`~dashboard.projection.local.LocalTerms` of a local scenario (None = none).
    """
    return _MigrationArrays(
        a.out_migration_rate,
        a.in_migration_distribution,
        a.municipal_excess,
        a.municipal_propensity,
        a.local_migration,
        a.excess_damping,
        local_terms,
    )


def kernel_inputs(scenario) -> KernelInputs:
    """Deterministic kernel inputs of a :class:`~dashboard.projection.Scenario` (as :func:`project` uses them)."""
    a = estimate_assumptions()
    r = scenario_rates(scenario, a)
    T = len(scenario.years)
    fert = np.asarray(r["fertility"])
    return KernelInputs(
        base_year=int(a.base.year),
        years=np.asarray(list(scenario.years)),
        population=np.asarray(a.base.population),
        survival=np.asarray(r["survival"]),
        infant_survival=np.asarray(r["infant_survival"]),
        fertility=np.broadcast_to(fert, (T,) + fert.shape),
        sex_ratio_at_birth=float(r["sex_ratio_at_birth"]),
        net_kreis=float(r["net_migration_kreis"]),
        migration=_migration_arrays(a, r["local_terms"]),
        qx=np.asarray(a.qx),
        migration_timing=MIGRATION_TIMING,
    )


def fast_step(
    P: np.ndarray,
    *,
    survival: np.ndarray,
    infant_survival: np.ndarray,
    fertility: np.ndarray,
    sex_ratio_at_birth: float,
    net_migration: np.ndarray,
    migration_timing: str = "mid",
) -> tuple[np.ndarray, float]:
    """One cohort-component year for many draws, population only (same arithmetic as the kernel).

    Shapes as :func:`dashboard.projection.kernel.step`: ``P (..., R, 2, A)``, rates with
    broadcastable leading axes. Keeps the dtype of ``P`` (float32 in the stochastic run).
    ``net_migration`` may be overwritten (pass a fresh array).

    Returns
    -------
    (population at the end of the year, persons of net emigration floored at zero).
    """
    dt = P.dtype
    s = np.asarray(survival, dtype=dt)
    s0 = np.asarray(infant_survival, dtype=dt)
    end = np.empty(np.broadcast_shapes(P.shape, s.shape), dtype=dt)
    np.multiply(P[..., :-1], s[..., :-1], out=end[..., 1:])
    end[..., -1] += P[..., -1] * s[..., -1]
    end[..., 0] = 0
    M = np.asarray(net_migration, dtype=dt)
    if migration_timing == "mid":
        w = np.empty(np.broadcast_shapes(s.shape, s0.shape + (1,)), dtype=dt)
        w[..., 1:] = s[..., :-1]
        w[..., 0] = s0
        w *= 0.5
        w += 0.5
        end += M * w  # M − M·(1 − s_end)/2
    elif migration_timing == "end":
        end += M
    else:
        raise ValueError(f"unknown migration_timing {migration_timing!r}")
    floored = 0.0
    body = end[..., 1:]
    if body.min() < 0:
        floored = float(-body[body < 0].sum(dtype=np.float64))
        np.maximum(body, 0, out=body)
    exposure = 0.5 * (P[..., 0, :] + end[..., 0, :])
    births = (np.asarray(fertility, dtype=dt) * exposure).sum(axis=-1)  # (..., R)
    male_share = sex_ratio_at_birth / (1.0 + sex_ratio_at_birth)
    end[..., 0, 0] += births * dt.type(1.0 - male_share) * s0[..., 0]
    end[..., 1, 0] += births * dt.type(male_share) * s0[..., 1]
    if end[..., 0].min() < 0:
        neg = end[..., 0] < 0
        floored += float(-end[..., 0][neg].sum(dtype=np.float64))
        end[..., 0] = np.maximum(end[..., 0], 0)
    return end, floored


def fast_net_migration(
    P: np.ndarray,
    net_kreis: np.ndarray,
    m: _MigrationArrays,
    region_totals: np.ndarray | None = None,
    t: int = 0,
) -> np.ndarray:
    """Net migration ``(..., R, 2, A)`` in the dtype of ``P``: the arithmetic of
    :func:`dashboard.projection.engine.migration_function` (a test checks that they agree).

    Out-migrants = rate × population aged one year (age 0: last year's infants);
    region target = population share × ``net_kreis`` + municipal excess × damping^(t+½);
    in-migrants = (target + out-migrants) × the region's in-migrant distribution
    (:func:`dashboard.projection.municipal.in_migration_weights`); a local scenario's terms
    (``m.local_terms``) replace targets and add persons as in the engine. ``region_totals`` (``P``
    summed over sex and age, if already at hand) saves one pass over ``P``.
    """
    aged = np.empty_like(P)
    aged[..., 1:] = P[..., :-1]
    aged[..., -1] += P[..., -1]
    aged[..., 0] = P[..., 0]
    out = aged * m.out_migration_rate
    reg = P.sum(axis=(-2, -1)) if region_totals is None else np.asarray(region_totals, dtype=P.dtype)
    share = reg / reg.sum(axis=-1, keepdims=True)
    nk = np.asarray(net_kreis, dtype=P.dtype)
    excess = m.municipal_excess
    if m.excess_damping != 1.0:
        excess = excess * P.dtype.type(m.excess_damping ** (t + 0.5))
    target = share * (nk[..., None] if nk.ndim else nk) + excess
    lt = m.local_terms
    if lt is not None:
        target = lt.target(t, target)
    w = in_migration_weights(
        aged, m.in_migration_distribution, m.municipal_propensity, local=m.local_migration
    )
    M = (target + out.sum(axis=(-2, -1)))[..., None, None] * w
    if lt is not None:
        M += lt.adjustment(t, aged)
    M -= out
    return M


def _aggregate(P: np.ndarray) -> np.ndarray:
    """``(..., R, 2, A)`` -> ``(..., R, Q)`` float64 in the order of :data:`QUANTITIES`."""
    both = P[..., 0, :] + P[..., 1, :]
    groups = np.add.reduceat(both, _GROUP_STARTS, axis=-1).astype(np.float64)
    total = groups.sum(axis=-1)
    n80 = groups[..., -1]
    n65 = groups[..., -2] + n80
    return np.concatenate([total[..., None], n65[..., None], n80[..., None], groups], axis=-1)


def _hazard_factors(qx: np.ndarray, e0_dev: np.ndarray, female: bool) -> np.ndarray:
    """Proportional-hazards factor giving life expectancy ``e0(qx) + e0_dev`` (1 at zero)."""
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


#: Draw blocks are run in this many threads (numpy releases the GIL in its array loops);
#: results do not depend on it, because no computation mixes draws.
THREADS: int = min(2, os.cpu_count() or 1)
_MIN_BLOCK = 128


def _run_block(
    inputs: KernelInputs, f_factor: np.ndarray, k: np.ndarray, net: np.ndarray, engine: str
) -> tuple[np.ndarray, float]:
    """Project one block of draws; returns summary values ``(draw, T+1, R+1, Q)`` and floors."""
    D, T = f_factor.shape
    dt = np.float32 if engine == "fast" else np.float64
    terms = getattr(inputs.migration, "local_terms", None)
    mig_arrays = _migration_arrays(inputs.migration, terms).astype(dt)
    R = inputs.population.shape[0]
    out = np.empty((D, T + 1, R + 1, len(QUANTITIES)))
    P = np.broadcast_to(inputs.population.astype(dt), (D,) + inputs.population.shape)
    agg = _aggregate(P[:1])
    out[:, 0, :R] = agg
    out[:, 0, R] = agg.sum(axis=-2)
    regions = np.broadcast_to(agg[..., 0], (D, R))  # totals at the start of the year
    floored = 0.0
    for t in range(T):
        kt = k[:, t, None, :, None].astype(dt)  # (D, 1, 2, 1)
        surv = np.asarray(inputs.survival[t], dtype=dt)[None] ** kt
        s0 = np.asarray(inputs.infant_survival[t], dtype=dt)[None] ** kt[..., 0]
        fert = np.asarray(inputs.fertility[t], dtype=dt)[None] * f_factor[:, t, None, None].astype(dt)
        if engine == "fast":
            mig = fast_net_migration(P, net[:, t], mig_arrays, region_totals=regions, t=t)
            P, fl = fast_step(
                P,
                survival=surv,
                infant_survival=s0,
                fertility=fert,
                sex_ratio_at_birth=inputs.sex_ratio_at_birth,
                net_migration=mig,
                migration_timing=inputs.migration_timing,
            )
        else:
            mig = migration_function(net[:, t], inputs.migration)(t, P)
            r = kernel_step(
                P,
                survival=surv,
                infant_survival=s0,
                fertility=fert,
                sex_ratio_at_birth=inputs.sex_ratio_at_birth,
                net_migration=mig,
                migration_timing=inputs.migration_timing,
            )
            P, fl = r.population, float(r.shortfall.sum())
        floored += fl
        agg = _aggregate(P)
        regions = agg[..., 0]
        out[:, t + 1, :R] = agg
        out[:, t + 1, R] = agg.sum(axis=-2)
    return out, floored


def simulate(
    inputs: KernelInputs,
    drivers: DriverDraws,
    *,
    municipal_error: MunicipalErrorModel | None = None,
    seed: int | np.random.SeedSequence | None = None,
    engine: str = "fast",
    threads: int | None = None,
) -> Simulation:
    """Run the cohort-component model over all driver draws at once.

    Parameters
    ----------
    inputs : deterministic inputs of the scenario.
    drivers : centred driver deviations for ``inputs.years``.
    municipal_error : extra municipal error model (None = none).
    seed : seed of the municipal error draws.
    engine : ``"fast"`` (:func:`fast_step`, float32) or ``"kernel"``
        (:func:`dashboard.projection.kernel.step`, float64).
    threads : split the draws into this many blocks run in threads (default
        :data:`THREADS`; blocks of fewer than 128 draws are not split).

    Returns
    -------
    Simulation with summary quantities for every draw, year and region.
    """
    if not np.array_equal(drivers.years, inputs.years):
        raise ValueError("driver draws and inputs cover different years")
    if engine not in ("fast", "kernel"):
        raise ValueError(f"unknown engine {engine!r}")
    if tuple(PLANNING_AGE_GROUPS.values())[-2:] != ((65, 79), (80, N_AGES - 1)):
        raise AssertionError("the last two planning groups must be 65-79 and 80+")
    D = drivers.n_draws
    f_factor = drivers.fertility_factor()  # (D, T)
    k = np.stack(
        [
            _hazard_factors(inputs.qx[0], drivers.of("e0_female"), True),
            _hazard_factors(inputs.qx[1], drivers.of("e0_male"), False),
        ],
        axis=-1,
    )  # (D, T, 2)
    net = inputs.net_kreis + drivers.of("migration") * float(inputs.population.sum())  # (D, T) persons
    n_blocks = max(1, min(THREADS if threads is None else threads, D // _MIN_BLOCK))
    bounds = np.linspace(0, D, n_blocks + 1).astype(int)
    blocks = [slice(a, b) for a, b in zip(bounds[:-1], bounds[1:])]
    if n_blocks == 1:
        parts = [_run_block(inputs, f_factor, k, net, engine)]
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=n_blocks) as pool:
            parts = list(pool.map(lambda b: _run_block(inputs, f_factor[b], k[b], net[b], engine), blocks))
    out = np.concatenate([p[0] for p in parts], axis=0)
    years = np.concatenate([[inputs.base_year], inputs.years])
    sim = Simulation(years=years, values=out, floored=sum(p[1] for p in parts))
    if municipal_error is not None:
        sim = apply_municipal_error(sim, municipal_error, inputs.population.sum(axis=(1, 2)), seed=seed)
    return sim


def apply_municipal_error(
    sim: Simulation,
    model: MunicipalErrorModel,
    base_population: np.ndarray,
    *,
    seed: int | np.random.SeedSequence | None,
) -> Simulation:
    """Multiply each municipality of each draw by ``exp(e)`` and rescale to the draw's Kreis total.

    Parameters
    ----------
    sim : a driver-only simulation (the Kreis row is left unchanged).
    model : the extra municipal error model.
    base_population : ``(R,)`` base populations (persons), the size term of the model.
    seed : seed of the error draws.

    Returns
    -------
    A new :class:`Simulation`; every quantity of a municipality is scaled by the same
    factor, so its age structure within a draw is kept.
    """
    if model.scale == 0:
        return sim
    D, T1, R1, _ = sim.values.shape
    R = R1 - 1
    rng = np.random.default_rng(seed)
    e = municipal_error_draws(model, base_population, sim.years[1:] - sim.years[0], draws=D, rng=rng)
    m = np.exp(e).transpose(0, 2, 1)  # (D, T, R)
    pop = sim.values[:, 1:, :R, 0]
    c = pop.sum(axis=-1, keepdims=True) / (pop * m).sum(axis=-1, keepdims=True)
    out = sim.values.copy()
    out[:, 1:, :R, :] *= (m * c)[..., None]
    return Simulation(years=sim.years, values=out, floored=sim.floored)


def summarise(sim: Simulation) -> pd.DataFrame:
    """Quantiles over the draws as a tidy frame.

    Returns
    -------
    DataFrame ``ags, municipality, year, quantity, q025, q10, q50, q90, q975`` (persons),
    one row per region (15 municipalities and the Kreis ``"05358"``) × year × quantity.
    """
    q = np.quantile(sim.values, list(QUANTILES.values()), axis=0)  # (5, T+1, R+1, Q)
    ags = list(AGS_LIST) + [KREIS_AGS]
    names = [MUNICIPALITIES[a] for a in AGS_LIST] + [KREIS_NAME]
    T1, R1, Q = q.shape[1:]
    idx = pd.MultiIndex.from_product([range(T1), range(R1), range(Q)], names=["t", "r", "k"])
    frame = pd.DataFrame(
        {
            "ags": np.array(ags)[idx.get_level_values("r")],
            "municipality": np.array(names)[idx.get_level_values("r")],
            "year": sim.years[idx.get_level_values("t")].astype(int),
            "quantity": np.array(QUANTITIES)[idx.get_level_values("k")],
        }
    )
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
    driver_scale : the calibrated scale of the migration driver (None = the model's own).
    floored : persons of net emigration floored at zero, summed over draws and years.
    """

    scenario: Any
    draws: int
    seed: int | None
    quantiles: pd.DataFrame = field(repr=False)
    municipal_error: MunicipalErrorModel | None
    floored: float
    driver_scale: DriverScale | None = None

    def bands(self, quantity: str = "population") -> pd.DataFrame:
        """Long frame ``ags, year, lower, upper, level`` (level 0.8 / 0.95) for band drawing."""
        q = self.quantiles[self.quantiles.quantity == quantity]
        parts = [
            pd.DataFrame({"ags": q.ags, "year": q.year, "lower": q[lo], "upper": q[hi], "level": lev})
            for lev, lo, hi in ((0.8, "q10", "q90"), (0.95, "q025", "q975"))
        ]
        return pd.concat(parts, ignore_index=True)

    def download_table(self) -> pd.DataFrame:
        """Tidy interval table for downloads.

        Returns
        -------
        DataFrame ``scenario, draws, seed, ags, municipality, year, quantity, median,
        lower_80, upper_80, lower_95, upper_95`` (persons; intervals are central, i.e.
        10–90 % and 2.5–97.5 % quantiles over the draws).
        """
        q = self.quantiles
        return pd.DataFrame(
            {
                "scenario": getattr(self.scenario, "name", str(self.scenario)),
                "draws": self.draws,
                "seed": self.seed,
                "ags": q.ags,
                "municipality": q.municipality,
                "year": q.year,
                "quantity": q.quantity,
                "median": q.q50,
                "lower_80": q.q10,
                "upper_80": q.q90,
                "lower_95": q.q025,
                "upper_95": q.q975,
            }
        ).reset_index(drop=True)

    def interval(self, ags: str, year: int, quantity: str = "population") -> dict[str, float]:
        """The five quantiles of one region, year and quantity (persons)."""
        q = self.quantiles
        row = q[(q.ags == ags) & (q.year == year) & (q.quantity == quantity)]
        if len(row) != 1:
            raise KeyError(f"no interval for {ags} {year} {quantity}")
        return {c: float(row[c].iloc[0]) for c in QUANTILES}


def _default_municipal_error() -> MunicipalErrorModel:
    return fitted_municipal_error()


def apply_driver_scale(
    drivers: DriverDraws, scale: DriverScale | None, *, seed: int | np.random.SeedSequence | None
) -> DriverDraws:
    """Multiply each draw's migration deviations by its own scale factor (see :class:`DriverScale`).

    Parameters
    ----------
    drivers : centred driver deviations.
    scale : the calibrated scale (None or :meth:`DriverScale.one`: unchanged).
    seed : seed of the scale factors (one per draw).

    Returns
    -------
    DriverDraws; fertility and life-expectancy deviations are left as they are.
    """
    if scale is None or scale.nu <= 0:
        return drivers
    c = scale.factors(drivers.n_draws, np.random.default_rng(seed))
    dev = drivers.deviations.copy()
    dev[:, DRIVERS.index("migration"), :] *= c[:, None]
    return DriverDraws(years=drivers.years, deviations=dev, seed=drivers.seed)


@one_data_version()
def kreis_scale_statistics(
    errors: pd.DataFrame | None = None, *, draws: int = CALIBRATION_DRAWS, seed: int = DEFAULT_SEED
) -> pd.DataFrame:
    """Whitened Kreis backtest errors per base year, the input of :func:`fit_driver_scale`.

    For every Kreis base year ``b`` of the backtest: the migration model is fitted on the
    Kreis growth up to ``b`` (as in the backtest intervals), ``draws`` driver draws are run
    through the Basis inputs for the case's horizons, and ``C_b`` is the covariance of the
    log Kreis total at those horizons over the draws; ``q = e' C_b^-1 e`` with ``e`` the
    case's log errors (log actual/predicted).

    Parameters
    ----------
    errors : backtest model rows (default: :func:`model_rows` of the project's backtest);
        only Kreis rows (``ags == "05358"``) are used.
    draws, seed : of the simulations behind ``C_b`` (seeded per base year).

    Returns
    -------
    DataFrame ``base_year, k, q`` (``k`` = number of horizons of the base year).
    """
    if errors is None:
        return _kreis_scale_statistics(int(draws), int(seed), data_version()).copy()
    return _scale_statistics(errors, draws, seed)


@functools.lru_cache(maxsize=4)
def _kreis_scale_statistics(draws: int, seed: int, token: tuple) -> pd.DataFrame:
    return _scale_statistics(model_rows(backtest().table), draws, seed)


def _scale_statistics(errors: pd.DataFrame, draws: int, seed: int) -> pd.DataFrame:
    k_rows = errors[errors.ags.astype(str) == KREIS_AGS]
    if k_rows.empty:
        raise ValueError("the backtest table has no Kreis rows to calibrate the driver scale")
    inputs = kernel_inputs(Scenario("basis", horizon=start_year() + int(k_rows.horizon.max())))
    out = []
    for base_year, g in k_rows.groupby("base_year"):
        models = fitted_models(migration_until=int(base_year))
        # entropy [seed, base year, 1]: independent of the interval draws ([seed, base year])
        ss = np.random.SeedSequence([int(seed), int(base_year), 1])
        d = draw_drivers(inputs.years, draws=draws, seed=ss, base_year=inputs.base_year, models=models)
        lk = np.log(simulate(inputs, d).values[:, :, -1, 0])  # (draw, T+1) log Kreis total
        h = g.horizon.to_numpy(int)
        cov = np.atleast_2d(np.cov(lk[:, h], rowvar=False))
        e = np.log(g.actual.to_numpy(float) / g.predicted.to_numpy(float))
        out.append({"base_year": int(base_year), "k": len(h), "q": float(e @ np.linalg.solve(cov, e))})
    return pd.DataFrame(out, columns=["base_year", "k", "q"])


@one_data_version()
def fitted_driver_scale() -> DriverScale:
    """:class:`DriverScale` calibrated on every Kreis base year of the backtest (cached per data version)."""
    return _fitted_driver_scale(data_version())


@functools.lru_cache(maxsize=4)
def _fitted_driver_scale(token: tuple) -> DriverScale:
    return fit_driver_scale(kreis_scale_statistics())


@one_data_version()
def project_probabilistic(
    scenario=None,
    *,
    draws: int = FULL_DRAWS,
    seed: int | None = DEFAULT_SEED,
    municipal_error: bool | MunicipalErrorModel = True,
    spread: float = 1.0,
    engine: str = "fast",
    driver_scale: bool | DriverScale = True,
) -> ProbabilisticResult:
    """Probabilistic projection around a scenario (memoised on all arguments and the data version).

    Parameters
    ----------
    scenario : :class:`~dashboard.projection.Scenario` setting the centre (default: Basis).
    draws : number of joint driver draws.
    seed : seed; the same seed gives the same draws (and quantiles).
    municipal_error : True = the model fitted to the backtest, False = drivers only, or a
        :class:`MunicipalErrorModel`.
    spread : multiplies every driver deviation (1 = as estimated, 0 = no variance: every
        draw equals the deterministic projection).
    engine : ``"fast"`` (float32) or ``"kernel"`` (float64 reference kernel).
    driver_scale : True = the migration driver's scale calibrated on the Kreis backtest
        (:func:`fitted_driver_scale`), False = the driver model's own spread, or a
        :class:`DriverScale`.

    Returns
    -------
    ProbabilisticResult.
    """
    if scenario is None:
        scenario = PRESETS["basis"]
    if isinstance(municipal_error, bool):
        municipal_error = _default_municipal_error() if municipal_error else None
    if isinstance(driver_scale, bool):
        driver_scale = fitted_driver_scale() if driver_scale else None
    return _project_probabilistic(
        scenario,
        int(draws),
        seed,
        municipal_error,
        float(spread),
        engine,
        data_version(),
        driver_scale=driver_scale,
    )


@functools.lru_cache(maxsize=16)
def _project_probabilistic(
    scenario, draws, seed, municipal_error, spread, engine, token: tuple, *, driver_scale: DriverScale | None
) -> ProbabilisticResult:
    """Cached worker of :func:`project_probabilistic` (``token`` = data version).

    ``driver_scale`` has no default: the production spread is :func:`fitted_driver_scale`;
    ``None`` (the driver model's own, uncalibrated spread) exists for comparisons and must be
    asked for explicitly."""
    inputs = kernel_inputs(scenario)
    ss = np.random.SeedSequence(seed)
    s_drivers, s_muni, s_scale = ss.spawn(3)  # the first two as before the scale existed
    d = draw_drivers(inputs.years, draws=draws, seed=s_drivers, base_year=inputs.base_year)
    d = apply_driver_scale(d, driver_scale, seed=s_scale)
    if spread != 1.0:
        d = DriverDraws(years=d.years, deviations=d.deviations * spread, seed=d.seed)
    sim = simulate(inputs, d, municipal_error=municipal_error, seed=s_muni, engine=engine)
    return ProbabilisticResult(
        scenario=scenario,
        draws=draws,
        seed=seed,
        quantiles=summarise(sim),
        municipal_error=municipal_error,
        floored=sim.floored,
        driver_scale=driver_scale,
    )
