"""Projection driver: scenario -> rates -> kernel run -> tidy :class:`ProjectionResult`."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.constants import (
    AGS_LIST,
    KREIS_AGS,
    KREIS_NAME,
    MUNICIPALITIES,
    N_AGES,
    PLANNING_AGE_GROUPS,
    SEXES,
)
from dashboard.data import data_version, one_data_version
from dashboard.projection.assumptions import Assumptions, estimate_assumptions
from dashboard.projection.base import FEMALE_MASK, start_year
from dashboard.projection.indicators import indicator_arrays, planning_group_counts
from dashboard.projection.kernel import RunResult, run
from dashboard.projection.lifetable import factor_for_e0, infant_survival, scale_mortality, survival_ratios
from dashboard.projection.local import assumption_rows, local_terms
from dashboard.projection.municipal import in_migration_weights
from dashboard.projection.scenarios import PARAMETER, PARAMETERS, PRESETS, Scenario
from dashboard.text import SCENARIO, fmt_dec, fmt_int, fmt_num

__all__ = [
    "ProjectionResult",
    "project",
    "solve_net_migration_for_target",
    "scenario_rates",
    "migration_function",
    "MIGRATION_TIMING",
]

#: Timing convention of net migration used by :func:`project` (see :mod:`dashboard.projection.kernel`).
MIGRATION_TIMING = "mid"

AGS_WITH_KREIS = AGS_LIST + (KREIS_AGS,)
NAMES_WITH_KREIS = tuple(MUNICIPALITIES[a] for a in AGS_LIST) + (KREIS_NAME,)


def mortality_for_years(a: Assumptions, years, extra_gain: np.ndarray | float = 0.0) -> np.ndarray:
    """Death probabilities (T, 2, A) for calendar years: Kreis table moved along the improvement path.

    Life expectancy at birth of sex ``i`` in year ``y`` is ``a.e0[i] + a.e0_gain_per_year[i] ×
    (y − a.mortality_year) + extra_gain``; the Kreis table is scaled proportionally
    (:func:`~dashboard.projection.lifetable.factor_for_e0`) to reach it. Years before
    ``a.mortality_year`` get the table moved back along the same path (used by the backtest).

    Parameters
    ----------
    years : calendar years of the events (array-like, length T).
    extra_gain : (T,) or scalar, years of e0 added on top of the path (scenarios).
    """
    yrs = np.asarray(list(years), dtype=float)
    out = np.empty((len(yrs), 2, N_AGES))
    extra = np.broadcast_to(np.asarray(extra_gain, dtype=float), yrs.shape)
    for i in range(2):
        target = a.e0[i] + a.e0_gain_per_year[i] * (yrs - a.mortality_year) + extra
        factors = factor_for_e0(a.qx[i], target, female=bool(FEMALE_MASK[i]))
        out[:, i, :] = scale_mortality(a.qx[i][None, :], factors)
    return out


def mortality_for_year(a: Assumptions, year: int) -> np.ndarray:
    """Death probabilities (2, A) of one calendar year on the Basis improvement path."""
    return mortality_for_years(a, [year])[0]


def _mortality_path(a: Assumptions, scenario: Scenario) -> np.ndarray:
    """Death probabilities (T, 2, A) per projected year: Basis improvement + ``e0_gain`` ramped to the horizon."""
    T = len(scenario.years)
    ramp = np.arange(1, T + 1) / (scenario.horizon - a.base.year)
    return mortality_for_years(a, scenario.years, scenario.e0_gain * ramp)


def _fertility_factors(a: Assumptions) -> np.ndarray:
    f = a.municipal_fertility
    return np.ones(1) if f is None else np.asarray(f, dtype=float)


def scenario_rates(scenario: Scenario, a: Assumptions | None = None) -> dict:
    """Kernel inputs for a scenario (year axis first where time-varying).

    Returns dict with ``survival`` (T, 1, 2, A), ``infant_survival`` (T, 1, 2),
    ``fertility`` (R, A) (Kreis TFR × age schedule × municipal factor; (1, A) without factors), ``sex_ratio_at_birth`` (float), ``net_migration_kreis`` (float,
    persons/year), ``tfr`` (float), ``qx`` (T, 2, A), ``local_terms``
    (:class:`~dashboard.projection.local.LocalTerms` of ``scenario.local``, None without local inputs).
    """
    a = a or estimate_assumptions()
    qx = _mortality_path(a, scenario)
    tfr = a.tfr if scenario.tfr is None else float(scenario.tfr)
    net = (
        a.net_migration * scenario.migration_factor
        if scenario.net_migration is None
        else float(scenario.net_migration)
    )
    surv = survival_ratios(qx, female=FEMALE_MASK)[:, None]
    s0 = infant_survival(qx, female=FEMALE_MASK)[:, None]
    terms = None
    if scenario.local:
        terms = local_terms(scenario.local, a, scenario.years, surv, s0)
    return {
        "survival": surv,
        "infant_survival": s0,
        "fertility": (tfr * a.fertility_shape)[None, :] * _fertility_factors(a)[:, None],
        "sex_ratio_at_birth": a.sex_ratio_at_birth,
        "net_migration_kreis": net,
        "tfr": tfr,
        "qx": qx,
        "local_terms": terms,
    }


def migration_function(
    net_kreis: float | np.ndarray,
    a: Assumptions,
    flows: list | None = None,
    excess: np.ndarray | None = None,
    *,
    damping: float | None = None,
    propensity: np.ndarray | None = None,
    local: bool | None = None,
    local_terms=None,
):
    """Callable ``f(t, P)`` giving net migration (..., R, 2, A) for the kernel's :func:`run`.

    Out-migrants = ``out_migration_rate`` × population aged one year (age 0: last year's
    infants as proxy); each region's net target = population share × ``net_kreis`` +
    municipal excess × ``damping ** (t + ½)``; in-migrants = (target + out-migrants) ×
    the region's in-migrant distribution (:func:`dashboard.projection.municipal.in_migration_weights`:
    the Kreis distribution on the local population by age × the municipal propensity).
    ``net_kreis`` may carry a leading draw axis (shape (D,) -> broadcast as (D, 1)), or a
    year axis when it is a callable ``net_kreis(t)``. If ``flows`` is a list, (in, out)
    arrays are appended each year.

    Parameters
    ----------
    excess : (R,) persons/year (default ``a.municipal_excess``).
    damping : factor per year on the excess (1 = constant, 0 = none; default ``a.excess_damping``).
    propensity : (R, A) municipal propensity (default ``a.municipal_propensity``).
    local : in-migrants on the local population by age (default ``a.local_migration``).
    local_terms : :class:`dashboard.projection.local.LocalTerms` of a local scenario (default
        ``a.local_terms`` if ``a`` has it, else none): own net migrations replace the targets of
        their municipalities; Neubau and one-off persons are added to the net migration
        (their transfers withdrawn from the other municipalities). None = the Basis arithmetic.
    """
    d = np.asarray(a.municipal_excess if excess is None else excess, dtype=float)
    g = a.municipal_propensity if propensity is None else propensity
    loc = a.local_migration if local is None else local
    damp = float(a.excess_damping if damping is None else damping)
    terms = getattr(a, "local_terms", None) if local_terms is None else local_terms
    rate = np.ascontiguousarray(a.out_migration_rate)
    dist = np.ascontiguousarray(a.in_migration_distribution)
    if callable(net_kreis):
        level = net_kreis
    else:
        fixed = np.asarray(net_kreis, dtype=float)

        def level(t: int) -> np.ndarray:
            return fixed

    def f(t: int, P: np.ndarray) -> np.ndarray:
        aged = np.empty_like(P)  # population aged one year (age 0: infants)
        aged[..., 1:] = P[..., :-1]
        aged[..., -1] += P[..., -1]
        aged[..., 0] = P[..., 0]
        out = aged * rate  # out-migrants by age at year end
        reg = P.sum(axis=(-2, -1))
        nk = np.asarray(level(t), dtype=float)
        nk = nk[..., None] if nk.ndim else nk
        dt = d * damp ** (t + 0.5) if damp != 1.0 else d
        target = reg * (nk / reg.sum(axis=-1, keepdims=True)) + dt
        if terms is not None:
            target = terms.target(t, target)
        in_total = target + out.sum(axis=(-2, -1))
        net = in_total[..., None, None] * in_migration_weights(aged, dist, g, local=loc)
        if terms is not None:
            net += terms.adjustment(t, aged)
        if flows is not None:
            flows.append((net.copy(), out))
        net -= out
        return net

    return f


def _run(
    scenario: Scenario, a: Assumptions, *, store: bool = True, flows: list | None = None
) -> tuple[RunResult, dict]:
    r = scenario_rates(scenario, a)
    res = run(
        np.asarray(a.base.population),
        n_years=len(scenario.years),
        survival=r["survival"],
        infant_survival=r["infant_survival"],
        fertility=r["fertility"],
        sex_ratio_at_birth=r["sex_ratio_at_birth"],
        net_migration=migration_function(r["net_migration_kreis"], a, flows, local_terms=r["local_terms"]),
        time_varying={"survival", "infant_survival"},
        migration_timing=MIGRATION_TIMING,
        store_components=store,
    )
    return res, r


@dataclass(frozen=True, eq=False)
class ProjectionResult:
    """Result of :func:`project`.

    Each frame attribute returns a shallow copy of the cached frame (pandas copy-on-write):
    callers may add columns or change values without affecting the cache or other callers.
    The ``arrays`` are read-only numpy arrays.

    Attributes
    ----------
    scenario : the :class:`Scenario`.
    population : ``ags, municipality, year, sex, age, population, projected, estimated``;
        years base year … horizon (:func:`~dashboard.projection.base.start_year`), municipalities only (persons at 31.12., float).
    components : ``ags, municipality, year, sex, births, deaths, net_migration, in_migration,
        out_migration`` (events during year t, ending 31.12.t; includes Kreis rows "05358").
        in/out are before floors; net_migration is after floors.
    indicators : one row per (ags, year) incl. Kreis: ``ags, municipality, year, population,
        median_age, mean_age, youth_dependency, old_age_dependency, n_65plus, share_65plus,
        n_80plus, share_80plus, projected, estimated, total_estimated`` (dependency ratios per
        100 aged 20–64: youth = under 20, old = 65+; shares 0..1). ``estimated``: the age × sex
        structure is estimated; ``total_estimated``: the base year's total is estimated (False
        for the official municipal totals of 31.12.2024 and for the Kreis).
    age_groups : ``ags, municipality, year, age_group, population, share`` (PLANNING_AGE_GROUPS,
        ordered categorical), incl. Kreis.
    assumptions : :data:`~dashboard.projection.assumptions.ASSUMPTION_COLUMNS` (codes in
        ``component, parameter, qualifier, unit``; German documentation in ``source, period,
        method, fit``) with the scenario rows (``component == "scenario"``) first.
    warnings : ``ags, year, sex, age, kind, amount``; kinds (German explanations: ``dashboard.text.WARNING_KINDS``):
        ``emigration_exceeds_cohort`` (persons not removed because the cell was floored at 0)
        and ``negative_in_migration`` (region-level, ``sex = "total"``, ``age`` <NA>).
    arrays : raw arrays: ``population`` (T+1, R, 2, A), ``births`` (T, R, 2), ``deaths``,
        ``net_migration`` (T, R, 2, A).
    """

    scenario: Scenario
    frames: dict = field(repr=False)
    arrays: dict = field(repr=False)

    def _frame(self, name: str) -> pd.DataFrame:
        return self.frames[name].copy(deep=False)

    @property
    def population(self) -> pd.DataFrame:
        return self._frame("population")

    @property
    def components(self) -> pd.DataFrame:
        return self._frame("components")

    @property
    def indicators(self) -> pd.DataFrame:
        return self._frame("indicators")

    @property
    def age_groups(self) -> pd.DataFrame:
        return self._frame("age_groups")

    @property
    def assumptions(self) -> pd.DataFrame:
        return self._frame("assumptions")

    @property
    def warnings(self) -> pd.DataFrame:
        return self._frame("warnings")

    def kreis_total(self, year: int) -> float:
        """Projected Kreis population at 31.12.``year`` (persons)."""
        i = self.frames["indicators"]
        return float(i.loc[(i.ags == KREIS_AGS) & (i.year == year), "population"].iloc[0])


@functools.lru_cache(maxsize=8)
def _population_keys(n_years1: int, first: int) -> pd.DataFrame:
    """Key columns ``ags, municipality, year, sex, age`` for first … first+n_years1−1 (cached)."""
    R, S, A = len(AGS_LIST), len(SEXES), N_AGES
    years = np.arange(first, first + n_years1)
    reg = np.tile(np.repeat(np.arange(R), S * A), n_years1)
    sex = np.tile(np.repeat(np.arange(S), A), n_years1 * R)
    ags = pd.array(np.asarray(AGS_LIST, dtype=object)[reg], dtype="str")
    names = pd.array(np.asarray([MUNICIPALITIES[x] for x in AGS_LIST], dtype=object)[reg], dtype="str")
    return pd.DataFrame(
        {
            "ags": ags,
            "municipality": names,
            "year": np.repeat(years, R * S * A).astype("int64"),
            "sex": pd.array(np.asarray(SEXES, dtype=object)[sex], dtype="str"),
            "age": np.tile(np.arange(A), n_years1 * R * S).astype("int64"),
        }
    )


def _tidy_population(pop: np.ndarray, years: np.ndarray, estimated_cell: np.ndarray) -> pd.DataFrame:
    T1, R, S, A = pop.shape
    keys = _population_keys(T1, int(years[0]))
    est_proj = np.broadcast_to(estimated_cell.reshape(R, -1).any(axis=1)[:, None, None], (R, S, A))
    est = np.concatenate([estimated_cell.reshape(-1), np.tile(est_proj.reshape(-1), T1 - 1)])
    return keys.assign(
        population=pop.reshape(-1), projected=keys["year"].to_numpy() > years[0], estimated=est
    )


def _region_flags(estimated_cell: np.ndarray) -> np.ndarray:
    r = estimated_cell.reshape(estimated_cell.shape[0], -1).any(axis=1)
    return np.append(r, r.any())


def _indicators(
    pop: np.ndarray, years: np.ndarray, est_region: np.ndarray, total_est_region: np.ndarray | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    by_age = pop.sum(axis=2)  # (T1, R, A)
    with_kreis = np.concatenate([by_age, by_age.sum(axis=1, keepdims=True)], axis=1)  # (T1, R+1, A)
    T1, R1, _ = with_kreis.shape
    ind = indicator_arrays(with_kreis)
    year = np.repeat(years, R1)
    reg = np.tile(np.arange(R1), T1)
    ags = np.asarray(AGS_WITH_KREIS, dtype=object)
    names = np.asarray(NAMES_WITH_KREIS, dtype=object)
    frame = {"ags": ags[reg], "municipality": names[reg], "year": year.astype("int64")}
    frame.update({k: v.reshape(-1) for k, v in ind.items()})
    frame["projected"] = year > years[0]
    frame["estimated"] = np.tile(est_region, T1)
    # the base year's totals may be official although the structure is estimated (31.12.2024:
    # IT.NRW 12411-15i); projected years are model values (``projected``)
    tot = est_region if total_est_region is None else total_est_region
    frame["total_estimated"] = np.where(year > years[0], np.tile(est_region, T1), np.tile(tot, T1))
    indicators = pd.DataFrame(frame)
    groups = planning_group_counts(with_kreis)  # (T1, R1, G)
    G = groups.shape[-1]
    tot = with_kreis.sum(axis=-1, keepdims=True)
    labels = list(PLANNING_AGE_GROUPS)
    age_groups = pd.DataFrame(
        {
            "ags": np.repeat(ags[reg], G),
            "municipality": np.repeat(names[reg], G),
            "year": np.repeat(year, G).astype("int64"),
            "age_group": pd.Categorical.from_codes(
                np.tile(np.arange(G), T1 * R1), categories=labels, ordered=True
            ),
            "population": groups.reshape(-1),
            "share": (groups / np.where(tot > 0, tot, np.nan)).reshape(-1),
        }
    )
    return indicators, age_groups


def _components(res: RunResult, flows: list, years: np.ndarray) -> pd.DataFrame:
    T = res.births.shape[0]
    inflow = np.stack([f[0] for f in flows]).sum(axis=-1)  # (T, R, 2)
    outflow = np.stack([f[1] for f in flows]).sum(axis=-1)
    arrs = {
        "births": res.births,
        "deaths": res.deaths.sum(axis=-1),
        "net_migration": res.net_migration.sum(axis=-1),
        "in_migration": inflow,
        "out_migration": outflow,
    }
    arrs = {
        k: np.concatenate([v, v.sum(axis=1, keepdims=True)], axis=1) for k, v in arrs.items()
    }  # (T, R+1, 2)
    R1 = arrs["births"].shape[1]
    reg = np.tile(np.repeat(np.arange(R1), 2), T)
    frame = {
        "ags": np.asarray(AGS_WITH_KREIS, dtype=object)[reg],
        "municipality": np.asarray(NAMES_WITH_KREIS, dtype=object)[reg],
        "year": np.repeat(years[1:], R1 * 2).astype("int64"),
        "sex": np.tile(np.asarray(SEXES, dtype=object), T * R1),
    }
    frame.update({k: v.reshape(-1) for k, v in arrs.items()})
    return pd.DataFrame(frame)


def _warnings(shortfall: np.ndarray, years: np.ndarray, flows: list) -> pd.DataFrame:
    """Warnings table ``ags, year, sex, age, kind, amount`` (age is <NA> for region-level rows)."""
    idx = np.argwhere(shortfall > 1e-9)
    cells = pd.DataFrame(
        {
            "ags": np.asarray(AGS_LIST, dtype=object)[idx[:, 1]],
            "year": years[1:][idx[:, 0]].astype("int64"),
            "sex": np.asarray(SEXES, dtype=object)[idx[:, 2]],
            "age": pd.array(idx[:, 3], dtype="Int64"),
            "kind": "emigration_exceeds_cohort",
            "amount": shortfall[tuple(idx.T)].astype(float),
        }
    )
    inflow_total = (
        np.stack([f[0].sum(axis=(-2, -1)) for f in flows]) if flows else np.zeros((0, len(AGS_LIST)))
    )
    neg = np.argwhere(inflow_total < 0)
    region = pd.DataFrame(
        {
            "ags": np.asarray(AGS_LIST, dtype=object)[neg[:, 1]],
            "year": years[1:][neg[:, 0]].astype("int64"),
            "sex": "total",
            "age": pd.array([pd.NA] * len(neg), dtype="Int64"),
            "kind": "negative_in_migration",
            "amount": -inflow_total[tuple(neg.T)].astype(float),
        }
    )
    parts = [p for p in (cells, region) if len(p)]
    out = pd.concat(parts, ignore_index=True) if parts else cells
    out["ags"] = out["ags"].astype("str")
    out["sex"] = out["sex"].astype("str")
    return out.sort_values(["year", "ags", "kind"], kind="stable").reset_index(drop=True)


def _scenario_table(scenario: Scenario, rates: dict, a: Assumptions) -> pd.DataFrame:
    """The scenario rows of the assumptions table: one per declared Kreis-wide parameter
    (:data:`~dashboard.projection.scenarios.PARAMETERS`, code and unit from there), then the
    local inputs."""
    h = scenario.horizon
    e0_at = [a.e0[i] + a.e0_gain_per_year[i] * (h - a.mortality_year) + scenario.e0_gain for i in range(2)]
    # value, source, period, method, fit of each parameter's row
    detail = {
        "tfr": (
            rates["tfr"],
            "Schätzung Kreis" if scenario.tfr is None else "Szenarioannahme",
            f"{a.base.year + 1}–{h}",
            "konstant ab dem ersten Projektionsjahr",
            "",
        ),
        "net_migration": (
            rates["net_migration_kreis"],
            "Schätzung Kreis" if scenario.net_migration is None else "Szenarioannahme",
            f"{a.base.year + 1}–{h}",
            (
                f"Basis × {fmt_dec(scenario.migration_factor, 2)}"
                if scenario.net_migration is None
                else "vorgegeben"
            ),
            "Zeitpunkt der Wanderung: Jahresmitte (halbes Jahr Sterblichkeit und Geburten-Exposition)",
        ),
        "e0_gain": (
            scenario.e0_gain,
            "Szenarioannahme",
            f"{a.base.year}–{h}",
            "linear ansteigend, proportionale Senkung aller Sterberaten; zusätzlich zum Anstieg der Basis "
            f"({fmt_dec(a.e0_gain_per_year[0], 3)} Jahre je Jahr bei Frauen, "
            f"{fmt_dec(a.e0_gain_per_year[1], 3)} bei Männern)",
            f"e0 {h}: Frauen {fmt_dec(e0_at[0], 1)}, Männer {fmt_dec(e0_at[1], 1)} Jahre",
        ),
    }
    rows = [("scenario", "scenario", scenario.name, np.nan, "", "", "", scenario.label, "")]
    for p in PARAMETERS:
        if p.target == "scenario" and not p.many:
            value, source, period, method, fit = detail[p.key]
            rows.append(("scenario", p.key, "", value, p.unit, source, period, method, fit))
    if scenario.local:
        rows += assumption_rows(scenario.local, h)
    return pd.DataFrame(rows, columns=list(a.table.columns))


def _build(scenario: Scenario) -> ProjectionResult:
    a = estimate_assumptions()
    flows: list = []
    res, rates = _run(scenario, a, flows=flows)
    years = np.arange(a.base.year, scenario.horizon + 1)
    est_cell = np.asarray(a.base.estimated)
    pop = res.population
    tot_est = np.asarray(a.base.total_estimated, dtype=bool)
    # the Kreis base total is the official Kreis table in every case
    indicators, age_groups = _indicators(pop, years, _region_flags(est_cell), np.append(tot_est, False))
    table = pd.concat([_scenario_table(scenario, rates, a), a.table], ignore_index=True)
    arrays = {
        "population": pop,
        "births": res.births,
        "deaths": res.deaths,
        "net_migration": res.net_migration,
        "shortfall": res.shortfall,
    }
    for arr in arrays.values():
        arr.setflags(write=False)
    frames = {
        "population": _tidy_population(pop, years, est_cell),
        "components": _components(res, flows, years),
        "indicators": indicators,
        "age_groups": age_groups,
        "assumptions": table,
        "warnings": _warnings(res.shortfall, years, flows),
    }
    return ProjectionResult(scenario=scenario, frames=frames, arrays=arrays)


@functools.lru_cache(maxsize=64)
def _project_cached(scenario: Scenario, token: tuple) -> ProjectionResult:
    return _build(scenario)


@one_data_version()
def project(scenario: Scenario = PRESETS["basis"]) -> ProjectionResult:
    """Project all 15 municipalities by sex and single age from the base year to ``scenario.horizon``.

    The base year is 31.12.2024, or a later 31 December once complete official municipal tables
    by sex × age for it are published (:func:`~dashboard.projection.base.start_year`).

    Memoised on the frozen scenario and the data version (``functools.lru_cache``, 64
    entries): repeated calls return the same object, whose frames must not be mutated.

    Parameters
    ----------
    scenario : :class:`Scenario` (default: the Basis preset).

    Returns
    -------
    :class:`ProjectionResult`.
    """
    if not isinstance(scenario, Scenario):
        raise TypeError("project() erwartet ein Scenario")
    first = start_year()
    if scenario.horizon <= first:
        raise ValueError(SCENARIO["horizon_after_base"].format(base=first, value=scenario.horizon))
    return _project_cached(scenario, data_version())


def kreis_population_in(scenario: Scenario, year: int) -> float:
    """Kreis population at 31.12.``year`` (persons) without building frames (fast path)."""
    a = estimate_assumptions()
    res, _ = _run(scenario, a, store=False)
    return float(res.population[year - a.base.year].sum())


def solve_net_migration_for_target(
    target: float = 300_000, year: int = 2030, scenario: Scenario = PRESETS["basis"]
) -> float:
    """Constant annual Kreis net migration (persons/year) that yields ``target`` people at 31.12.``year``.

    All other assumptions come from ``scenario``. Solved with Brent's method
    (``scipy.optimize.brentq``) to within 0.01 persons of the target population.
    Use the value as ``Scenario(net_migration=value)``.

    Raises
    ------
    ValueError (German message) if ``year`` is outside 2025–2045 or the target cannot be
    reached with net migration inside ``PARAMETER["net_migration"].model_range``.
    """
    from dataclasses import replace

    from scipy.optimize import brentq

    first = start_year()
    if not (first < year <= 2045):
        raise ValueError(SCENARIO["target_year"].format(lo=first + 1, hi=2045, value=year))
    base = replace(scenario, horizon=year)

    def gap(n: float) -> float:
        return kreis_population_in(replace(base, net_migration=float(n)), year) - target

    lo, hi = PARAMETER["net_migration"].model_range
    g_lo, g_hi = gap(lo), gap(hi)
    if g_lo > 0 or g_hi < 0:
        raise ValueError(
            SCENARIO["target_unreachable"].format(
                target=fmt_int(target), year=year, lo=fmt_num(lo), hi=fmt_num(hi)
            )
        )
    return float(brentq(gap, lo, hi, xtol=1e-6, rtol=1e-12))
