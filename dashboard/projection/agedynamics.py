"""Backtest case "municipal age dynamics 2011→2022": do municipal age structures evolve as observed?

Each municipality is projected from its Zensus-2011 structure (09.05.2011) eleven years to
the Zensus 2022 (15.05.2022, the 6 days in between are ignored) and the projected shares of
the census-2022 age classes are compared with the census.

Start (09.05.2011)
    :func:`dashboard.projection.municipal.municipal_structure` with the Kreis pattern moved
    back 4.65 years from the Kreis table of 31.12.2015 (both on the Zensus-2011 basis) and
    the municipal totals of 31.12.2011 (first census-based figures; the census-day totals
    per municipality are not in the data). Only shares matter here.
Totals
    Each municipality's (constant) annual net migration is calibrated so that its projected
    total equals its census-2022 total: the case tests the *age* distribution, not totals
    (those are the municipal total cases of :mod:`dashboard.projection.backtest`).
Rates
    Kreis mortality of the Basis moved back along the Basis improvement path to each year,
    Kreis fertility level of the Basis (the NRW TFR 2013–2020 averaged 1.55 against 1.40 in
    2023/24, so births are if anything too few), Kreis migration flows by age (2020–2024).
Compared classes
    The 11 classes of the census 2022 (0–2, 3–5, 6–9, 10–15, 16–18, 19–24, 25–39, 40–59,
    60–66, 67–74, 75+), computed exactly from the projected single ages.
Benchmarks
    ``constant shares``: the 2011 shares of the same classes (from the start structure,
    i.e. the grid groups 0–17, 18–29, 30–49, 50–64, 65+ split by the Kreis pattern within
    the groups); ``Kreis shares``: every municipality like the Kreis in 2022 (the census
    Kreis shares — a benchmark that knows the Kreis outcome).
Kept share of municipal deviations
    Least-squares slope through the origin of the 2022 deviation of a municipality's share
    from the Kreis share on its 2011 deviation, over the 15 municipalities, for the shares
    under 19 (0–18) and 67+. 1 = deviations kept, 0 = converged to the Kreis. The census
    value uses the observed 2022 shares, the model value the projected ones, both against
    the same 2011 start structure.
Out of sample
    Where a method uses parameters fitted on the census 2022 (municipal fertility from
    child–woman ratios, migration propensities by age), each class's prediction comes from a
    fit that left that class out (leave one age class out, in turn, 11 fits).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd

from dashboard.constants import AGS_LIST, MUNICIPALITIES, N_AGES
from dashboard.data import data_version, one_data_version
from dashboard.data.official import ZENSUS22_AGE_CLASSES, zensus2022_age_classes
from dashboard.projection.assumptions import estimate_assumptions
from dashboard.projection.base import FEMALE_MASK, kreis_single_age
from dashboard.projection.engine import migration_function, mortality_for_year
from dashboard.projection.kernel import run
from dashboard.projection.lifetable import infant_survival, survival_ratios
from dashboard.projection.municipal import (
    PROPENSITY_NODES,
    fertility_factors,
    fit_propensities,
    kreis_pattern_back,
    municipal_structure,
    municipal_totals_at,
    propensity_curve,
)

__all__ = [
    "AgeDynamicsResult",
    "age_dynamics",
    "summary_table",
    "CLASSES",
    "YEARS",
    "METHODS",
    "PENALTIES",
]

#: Census-2022 age classes (inclusive bounds), in the order of the census table.
CLASSES: dict[str, tuple[int, int]] = ZENSUS22_AGE_CLASSES
#: Years from the Zensus 2011 (09.05.2011) to the Zensus 2022 (15.05.2022).
YEARS = 11
#: Years between 09.05.2011 and 31.12.2015 (the Kreis pattern's date).
YEARS_BACK_TO_2011 = 2015 + 1 - (2011 + 128 / 365)
#: Methods of the case (the first four are model variants).
METHODS = (
    "model (Kreis profile)",
    "model (local rates)",
    "model (local rates + fertility)",
    "model",
    "constant shares",
    "Kreis shares",
)
#: Ridge penalties tried for the propensities (chosen by the leave-one-class-out error).
PENALTIES = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3)
_UNDER19 = ("0-2", "3-5", "6-9", "10-15", "16-18")
_OVER66 = ("67-74", "75+")


def _class_matrix() -> np.ndarray:
    """(A, C) indicator: single age -> census class."""
    m = np.zeros((N_AGES, len(CLASSES)))
    for c, (lo, hi) in enumerate(CLASSES.values()):
        m[lo : hi + 1, c] = 1.0
    return m


def class_counts(pop: np.ndarray) -> np.ndarray:
    """(..., R, 2, A) persons -> (..., R, C) persons in the census classes."""
    return pop.sum(axis=-2) @ _class_matrix()


def class_shares(pop: np.ndarray) -> np.ndarray:
    """(..., R, 2, A) persons -> (..., R, C) shares of the census classes."""
    by = class_counts(pop)
    return by / by.sum(axis=-1, keepdims=True)


@dataclass(frozen=True)
class CaseInputs:
    """Arrays of the case (see the module docstring)."""

    start: np.ndarray  # (R, 2, A) 09.05.2011
    observed: np.ndarray  # (R, C) census persons 15.05.2022
    totals_2022: np.ndarray  # (R,)
    survival: np.ndarray  # (T, 2, A)
    infant_survival: np.ndarray  # (T, 2)
    fertility: np.ndarray  # (A,) Kreis schedule × TFR
    sex_ratio_at_birth: float


def case_inputs(a) -> CaseInputs:
    """Build the case's arrays from the data layer and the Basis assumptions ``a``."""
    qx = np.stack([mortality_for_year(a, 2011 + t) for t in range(YEARS)])  # (T, 2, A)
    surv = survival_ratios(qx, female=FEMALE_MASK)
    s0 = infant_survival(qx, female=FEMALE_MASK)
    kreis = kreis_pattern_back(kreis_single_age(2015), YEARS_BACK_TO_2011, surv[YEARS // 2])
    start = municipal_structure(kreis, municipal_totals_at(2011))
    z = zensus2022_age_classes()
    wide = z.pivot(index="ags", columns="age_class", values="population").reindex(list(AGS_LIST))
    observed = wide[list(CLASSES)].to_numpy(dtype=float)
    totals = z.drop_duplicates("ags").set_index("ags").municipal_total.reindex(list(AGS_LIST)).to_numpy(float)
    return CaseInputs(
        start=start,
        observed=observed,
        totals_2022=totals,
        survival=surv,
        infant_survival=s0,
        fertility=a.tfr * np.asarray(a.fertility_shape),
        sex_ratio_at_birth=a.sex_ratio_at_birth,
    )


def project_case(
    inp: CaseInputs,
    a,
    *,
    local: bool,
    fertility_factor: np.ndarray | None = None,
    beta: np.ndarray | None = None,
    calibration_steps: int = 4,
) -> np.ndarray:
    """Project the start structure 11 years; returns the population (D, R, 2, A) at 2022.

    ``beta`` (D, R, K) are log-propensity node values (None = zeros, D = 1). Each region's
    constant annual net migration is calibrated to its census-2022 total.
    """
    b = np.zeros((1, len(AGS_LIST), len(PROPENSITY_NODES))) if beta is None else np.asarray(beta)
    g = propensity_curve(b)  # (D, R, A); ones when beta is None
    f = np.ones(len(AGS_LIST)) if fertility_factor is None else np.asarray(fertility_factor)
    fert = f[:, None] * inp.fertility[None, :]  # (R, A)
    D = b.shape[0]
    P0 = np.broadcast_to(inp.start, (D,) + inp.start.shape)
    target = np.broadcast_to(
        (inp.totals_2022 - inp.start.sum(axis=(-2, -1))) / YEARS, (D, len(AGS_LIST))
    ).copy()
    for _ in range(calibration_steps):
        tgt = target.copy()

        # the share term of migration_function distributes net_kreis by population share;
        # the excess makes each region's target exactly tgt_r
        def mig(t, P, _x=tgt):
            reg = P.sum(axis=(-2, -1))
            excess = _x - reg * (_x.sum(axis=-1, keepdims=True) / reg.sum(axis=-1, keepdims=True))
            return migration_function(
                _x.sum(axis=-1), a, excess=excess, damping=1.0, propensity=g, local=local
            )(t, P)

        res = run(
            P0,
            n_years=YEARS,
            survival=inp.survival,
            infant_survival=inp.infant_survival,
            fertility=fert,
            sex_ratio_at_birth=inp.sex_ratio_at_birth,
            net_migration=mig,
            time_varying={"survival", "infant_survival"},
            store_components=False,
        )
        end = res.population[-1]
        target = target + (inp.totals_2022 - end.sum(axis=(-2, -1))) / YEARS
    return end


def kept_share(pred: np.ndarray, start: np.ndarray, classes: tuple[str, ...], sizes: np.ndarray) -> float:
    """Slope through the origin of the 2022 deviation from the Kreis on the 2011 deviation.

    ``pred`` and ``start`` are (R, C) shares; the Kreis share is the size-weighted mean of
    the municipal shares (``sizes`` = populations at the same date as the shares).
    """
    idx = [list(CLASSES).index(c) for c in classes]
    s_pred = pred[:, idx].sum(axis=1)
    s_start = start[:, idx].sum(axis=1)
    w = np.asarray(sizes[0], float), np.asarray(sizes[1], float)
    d22 = s_pred - (s_pred * w[1]).sum() / w[1].sum()
    d11 = s_start - (s_start * w[0]).sum() / w[0].sum()
    return float((d11 * d22).sum() / (d11**2).sum())


@dataclass(frozen=True, eq=False)
class AgeDynamicsResult:
    """Result of :func:`age_dynamics` (cached; callers must not mutate the frames).

    table : ``ags, municipality, age_class, method, actual, predicted, error_pp`` (shares
        in percent; error = predicted − actual, percentage points).
    summary : one row per method: ``method, n, mae_pp, kept_under19, kept_67plus,
        out_of_sample`` (kept shares as fractions; the census row ``census 2022`` carries
        the observed kept shares).
    penalty : the propensity penalty chosen by the leave-one-class-out error.
    penalty_scores : {penalty: leave-one-class-out MAE (pp)}.
    fertility : (R,) fertility factors fitted on all classes.
    """

    table: pd.DataFrame
    summary: pd.DataFrame
    penalty: float
    penalty_scores: dict
    fertility: np.ndarray


def _fertility_for(inp: CaseInputs, women: np.ndarray, left_out: str | None) -> np.ndarray:
    cols = [c for c in ("0-2", "3-5") if c != left_out]
    idx = [list(CLASSES).index(c) for c in cols]
    children = inp.observed[:, idx].sum(axis=1)
    f, _ = fertility_factors(children, women)
    return f


def _women(pop: np.ndarray) -> np.ndarray:
    return pop[..., 0, 15:50].sum(axis=-1)


def _loo_fit(inp, a, f_by_class, penalty) -> tuple[np.ndarray, np.ndarray]:
    """Leave-one-class-out predicted shares (R, C) and the β fitted per left-out class."""
    R, C = inp.observed.shape
    out = np.empty((R, C))
    betas = []
    for c, name in enumerate(CLASSES):
        f = f_by_class[name]
        mask = np.ones((R, C), dtype=bool)
        mask[:, c] = False

        def counts(beta, _f=f):
            return class_counts(project_case(inp, a, local=True, fertility_factor=_f, beta=beta))

        beta = fit_propensities(counts, inp.observed, inp.totals_2022, penalty=penalty, mask=mask)
        pred = counts(beta[None])[0]
        out[:, c] = (pred / pred.sum(axis=1, keepdims=True))[:, c]
        betas.append(beta)
    return out, np.stack(betas)


@one_data_version()
def age_dynamics() -> AgeDynamicsResult:
    """Run the case (cached per data version; a few seconds)."""
    return _age_dynamics(data_version())


@functools.lru_cache(maxsize=2)
def _age_dynamics(token: tuple) -> AgeDynamicsResult:
    a = estimate_assumptions()
    return run_case(a, case_inputs(a))


def run_case(a, inp: CaseInputs, penalties: tuple[float, ...] | None = None) -> AgeDynamicsResult:
    """All methods of the case for given assumptions and inputs (see the module docstring).

    ``penalties``: propensity penalties to try (leave-one-class-out error decides); default
    only :data:`PROPENSITY_PENALTY` (:func:`penalty_selection` runs the whole grid).
    """
    R, C = inp.observed.shape
    obs_sh = inp.observed / inp.observed.sum(axis=1, keepdims=True)
    start_sh = class_shares(inp.start)
    kreis_sh = inp.observed.sum(axis=0) / inp.observed.sum()
    preds: dict[str, np.ndarray] = {}
    preds["model (Kreis profile)"] = class_shares(project_case(inp, a, local=False))[0]
    plain = project_case(inp, a, local=True)
    preds["model (local rates)"] = class_shares(plain)[0]
    women = _women(plain[0])
    f_by_class = {name: _fertility_for(inp, women, name) for name in CLASSES}
    f_all = _fertility_for(inp, women, None)
    fert = np.empty((R, C))
    for c, name in enumerate(CLASSES):
        fert[:, c] = class_shares(project_case(inp, a, local=True, fertility_factor=f_by_class[name]))[
            0, :, c
        ]
    preds["model (local rates + fertility)"] = fert
    scores = {}
    best = None
    for pen in (PROPENSITY_PENALTY,) if penalties is None else penalties:
        loo, _ = _loo_fit(inp, a, f_by_class, pen)
        scores[pen] = float(np.abs(loo - obs_sh).mean() * 100)
        if best is None or scores[pen] < scores[best[0]]:
            best = (pen, loo)
    preds["model"] = best[1]
    preds["constant shares"] = start_sh
    preds["Kreis shares"] = np.broadcast_to(kreis_sh, (R, C))
    sizes = (inp.start.sum(axis=(-2, -1)), inp.totals_2022)
    rows, summ = [], []
    for m in METHODS:
        p = preds[m]
        for r, ags in enumerate(AGS_LIST):
            for c, name in enumerate(CLASSES):
                rows.append(
                    {
                        "ags": ags,
                        "municipality": MUNICIPALITIES[ags],
                        "age_class": name,
                        "method": m,
                        "actual": 100 * obs_sh[r, c],
                        "predicted": 100 * p[r, c],
                    }
                )
        summ.append(
            {
                "method": m,
                "n": R * C,
                "mae_pp": float(np.abs(p - obs_sh).mean() * 100),
                "kept_under19": kept_share(p, start_sh, _UNDER19, sizes),
                "kept_67plus": kept_share(p, start_sh, _OVER66, sizes),
                "out_of_sample": m in ("model (local rates + fertility)", "model"),
            }
        )
    summ.append(
        {
            "method": "census 2022",
            "n": R * C,
            "mae_pp": 0.0,
            "kept_under19": kept_share(obs_sh, start_sh, _UNDER19, sizes),
            "kept_67plus": kept_share(obs_sh, start_sh, _OVER66, sizes),
            "out_of_sample": False,
        }
    )
    table = pd.DataFrame(rows)
    table["error_pp"] = table.predicted - table.actual
    table["age_class"] = pd.Categorical(table.age_class, categories=list(CLASSES), ordered=True)
    return AgeDynamicsResult(
        table=table, summary=pd.DataFrame(summ), penalty=best[0], penalty_scores=scores, fertility=f_all
    )


def penalty_selection() -> dict[float, float]:
    """Leave-one-class-out MAE (pp) of the model for every penalty of :data:`PENALTIES` (slow, ~5 s)."""
    a = estimate_assumptions()
    return run_case(a, case_inputs(a), PENALTIES).penalty_scores


def summary_table() -> pd.DataFrame:
    """The case's summary (``method, n, mae_pp, kept_under19, kept_67plus, out_of_sample``)."""
    return age_dynamics().summary.copy()


#: Ridge penalty of the production propensities: the value of :data:`PENALTIES` with the
#: lowest leave-one-class-out error in this case (a test checks that it still is).
PROPENSITY_PENALTY: float = 1e-4


@dataclass(frozen=True)
class Profiles:
    """Municipal profiles used by the projection (fitted on the whole case, all classes).

    penalty : ridge penalty; beta : (R, K) log propensities at the nodes; fertility : (R,)
    factors; fertility_ratio, fertility_weight : (R,) observed child–woman ratio relative to the
    Kreis and its shrinkage weight. Derived: :attr:`nodes`, :attr:`propensity`.
    """

    penalty: float
    beta: np.ndarray
    fertility: np.ndarray
    fertility_ratio: np.ndarray
    fertility_weight: np.ndarray

    #: Ages of the propensity nodes (the columns of ``beta``).
    nodes: ClassVar[tuple[int, ...]] = PROPENSITY_NODES

    @functools.cached_property
    def propensity(self) -> np.ndarray:
        """(R, A) migration propensity by single age (piecewise linear in log through the nodes)."""
        return propensity_curve(self.beta, self.nodes)


def production_profiles(a, penalty: float = PROPENSITY_PENALTY) -> Profiles:
    """Fit the municipal fertility factors and migration propensities on the whole 2011→2022 case.

    ``a`` supplies the Kreis rates (its own municipal profiles are not used).
    """
    inp = case_inputs(a)
    plain = project_case(inp, a, local=True)
    women = _women(plain[0])
    children = inp.observed[:, [0, 1]].sum(axis=1)
    f, rep = fertility_factors(children, women)

    def counts(beta):
        return class_counts(project_case(inp, a, local=True, fertility_factor=f, beta=beta))

    beta = fit_propensities(counts, inp.observed, inp.totals_2022, penalty=penalty)
    return Profiles(
        penalty=penalty,
        beta=beta,
        fertility=f,
        fertility_ratio=rep["ratio"],
        fertility_weight=rep["weight"],
    )
