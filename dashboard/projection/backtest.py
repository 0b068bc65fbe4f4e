"""Backtest: how well would the model have projected the past, against naive benchmarks?

The backtest runs the **production specification** of :func:`dashboard.projection.project`
from earlier base years:

* **Kreis net migration** = ``KREIS_COMPOSITE_WEIGHT`` × the median of the five annual net
  migrations up to the base year + the rest × the net migration that keeps the Kreis
  population constant (the natural change of the first projected year with the opposite
  sign) — the Basis takes the median of the five published years 2020–2024; before 2020 there
  is no published Kreis series, so the annual values are residuals: growth of the official
  Kreis totals (BBSR series, exact Regionalstatistik values 2015–2021) minus the model's
  natural change, the growth over the Zensus-2011 break (2012) left out;
* **municipal distribution** as in production: population share × Kreis net migration, the
  residual municipal excess damped by :data:`~dashboard.projection.assumptions.EXCESS_DAMPING`
  per year (0: not used), in-migrants by age on the local population × the municipal
  propensities, municipal fertility factors (both fitted on the censuses 2011 and 2022 —
  i.e. partly after the base years, stated in the notes);
* **mortality** on the Basis improvement path moved back to each projected year, **fertility**
  at the Basis level (2023–2024; no earlier Kreis figures).

Cases (all census-neutral)
--------------------------
``Kreis 2015→2016–2021``
    Kreis table 31.12.2015 (17 groups, graduated) → totals 2016–2021 and 17 groups 2018, 2021.
``Gemeinden 2009→2013/2017``, ``2013→2017/2021``, ``2017→2021/2023``
    Official municipal totals (Destatis GV) with an age structure: for 2009 and 2013 the
    Zensus-2011 grid structure (:func:`dashboard.projection.municipal.municipal_structure`,
    Kreis pattern of 31.12.2015 moved back along the cohorts), for 2017 the data layer's
    estimate of that date. 2009 is on the VZ-1987 basis and the targets on the Zensus-2011
    basis: every prediction is multiplied by the municipality's census correction
    (Zensus-2011 value 31.12.2011 / old Fortschreibung 2011). The 31.12.2023 GV totals are
    still on the Zensus-2011 basis.
``Gemeinden Altersstruktur 2011→2022``
    :mod:`dashboard.projection.agedynamics` (level ``Gemeinde-Altersgruppen``).
``IT.NRW ~2008→2020``
    The past official Kreis projection against the actual 2020 value on the VZ-1987 basis.

Methods
-------
``model``; naive benchmarks (:data:`NAIVE_METHODS`): ``constant`` (population of the base
year), ``linear trend`` (municipal trend of the calibration interval), ``constant share``
(base-year share × the Kreis's *linear trend*, a naive Kreis total); for age shares
``constant shares`` and ``Kreis shares``. Diagnostics: ``model (migration ex post)`` (Kreis
level and municipal excess calibrated on the evaluation interval itself, i.e. with
hindsight: the error of the demographic engine alone), ``model shares × actual Kreis`` and
``constant share × actual Kreis`` (the municipal distribution alone, Kreis total known).

Errors: ``error = predicted − actual`` (persons), ``ape = |error| / actual`` (fraction 0..1).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, KREIS_AGS, KREIS_NAME, MUNICIPALITIES
from dashboard.data import data_version, kreis_age_groups, one_data_version
from dashboard.data.embedded import kreis_bbsr_series, population_figures_from_pages, projections_from_pages
from dashboard.projection.agedynamics import age_dynamics
from dashboard.projection.assumptions import (
    EXCESS_DAMPING,
    KREIS_COMPOSITE_WEIGHT,
    Assumptions,
    estimate_assumptions,
)
from dashboard.projection.base import FEMALE_MASK, base_population, kreis_single_age
from dashboard.projection.engine import migration_function, mortality_for_years
from dashboard.projection.kernel import run
from dashboard.projection.lifetable import infant_survival, survival_ratios
from dashboard.projection.municipal import kreis_pattern_back, municipal_structure, municipal_totals_at
from dashboard.text import fmt_int

__all__ = [
    "BacktestResult",
    "backtest",
    "METHODS",
    "NAIVE_METHODS",
    "MUNICIPAL_CASES",
    "municipal_totals_at",
    "kreis_annual_totals",
    "treatment_comparison",
    "criteria",
]

METHODS = (
    "model",
    "model (migration ex post)",
    "model shares × actual Kreis",
    "constant",
    "linear trend",
    "constant share",
    "constant share × actual Kreis",
    "official projection",
    "model (Kreis profile)",
    "model (local rates)",
    "model (local rates + fertility)",
    "constant shares",
    "Kreis shares",
)
#: Naive benchmarks of totals (the criteria compare the model with the best of them).
NAIVE_METHODS = ("constant", "linear trend", "constant share")
#: Naive benchmarks of the municipal age shares.
NAIVE_AGE_METHODS = ("constant shares", "Kreis shares")
TABLE_COLUMNS = [
    "case",
    "level",
    "ags",
    "municipality",
    "age_group",
    "base_year",
    "target_year",
    "horizon",
    "method",
    "actual",
    "predicted",
    "error",
    "ape",
    "note",
]

#: municipal cases: (label, base year, calibration interval of the linear trend, target years)
MUNICIPAL_CASES = (
    ("Gemeinden 2009→2013/2017", 2009, (2005, 2009), (2013, 2017)),
    ("Gemeinden 2013→2017/2021", 2013, (2011, 2013), (2017, 2021)),
    ("Gemeinden 2017→2021/2023", 2017, (2013, 2017), (2021, 2023)),
)
#: Years of the Kreis net-migration median (as the Basis: five years up to the base year).
KREIS_WINDOW = 5
#: Window of the municipal excess (residual method) in the backtest: the official municipal
#: totals closest to ten years before the base year (production: 2013→2023).
EXCESS_START = {2009: 1997, 2013: 2002, 2017: 2005}
AGE_CASE = "Gemeinden Altersstruktur 2011→2022"


def _census_factor() -> np.ndarray:
    """Zensus-2011 value (31.12.2011) / old VZ-1987 Fortschreibung (2011) per municipality."""
    p = population_figures_from_pages()
    old = p[p.measure == "population_pre_census_implied"].set_index("ags").value.reindex(list(AGS_LIST))
    new = municipal_totals_at(2011)
    return new / old.to_numpy(dtype=float)


def _municipal_on_z11(year: int) -> np.ndarray:
    """Municipal totals at 31.12.``year`` on the Zensus-2011 basis (census-corrected before 2011)."""
    t = municipal_totals_at(year)
    return t * _census_factor() if year < 2011 else t


def kreis_annual_totals() -> pd.Series:
    """Kreis Düren totals at 31.12. (persons), 1990–2021, with the census basis break at 2011/2012.

    BBSR series (rounded to 100) up to 2014, exact Regionalstatistik values 2015–2021 (all
    Zensus-2011 basis from 2011-12-31 on in the BBSR file's 2012+; 2011 and earlier VZ 1987).
    Growth from 2011 to 2012 crosses the break and must not be used.
    """
    s = kreis_bbsr_series().copy()
    exact = kreis_age_groups().groupby("year").population.sum()
    for y in range(2015, 2022):
        s.loc[y] = float(exact.loc[y])
    return s.sort_index()


def _survival(a: Assumptions, first_year: int, n: int) -> dict:
    qx = mortality_for_years(a, range(first_year, first_year + n))
    return {
        "survival": survival_ratios(qx, female=FEMALE_MASK),
        "infant_survival": infant_survival(qx, female=FEMALE_MASK),
    }


def _rates(a: Assumptions, first_year: int, n: int, regions: int) -> dict:
    """Kernel rates for ``n`` years of events from ``first_year`` on (mortality on the improvement path)."""
    f = (
        np.ones(regions)
        if a.municipal_fertility is None or regions == 1
        else np.asarray(a.municipal_fertility)
    )
    return dict(
        fertility=(a.tfr * np.asarray(a.fertility_shape))[None, :] * f[:, None],
        sex_ratio_at_birth=a.sex_ratio_at_birth,
        time_varying={"survival", "infant_survival"},
        **_survival(a, first_year, n),
    )


def _natural_rate(P: np.ndarray, a: Assumptions, year: int) -> np.ndarray:
    """Natural change per person and year (births − deaths) / population for each region."""
    res = run(P, n_years=1, net_migration=np.zeros_like(P), **_rates(a, year, 1, P.shape[0]))
    return (res.births[0].sum(axis=-1) - res.deaths[0].sum(axis=(-2, -1))) / P.sum(axis=(-2, -1))


def kreis_net_migration(
    base_year: int, natural_rate: float, window: int = KREIS_WINDOW
) -> tuple[float, list]:
    """Median of the annual Kreis residual net migrations of the ``window`` years up to ``base_year``.

    Returns (median, [(year, value), …]); the year whose growth crosses the census break is skipped.
    The production rule (:func:`basis_net_migration`) mixes it with the constant level.
    """
    k = kreis_annual_totals()
    vals = []
    for y in range(base_year - window + 1, base_year + 1):
        if y == 2012 or y - 1 not in k.index:
            continue
        p0, p1 = float(k.loc[y - 1]), float(k.loc[y])
        vals.append((y, p1 - p0 - natural_rate * 0.5 * (p0 + p1)))
    return float(np.median([v for _, v in vals])), vals


def basis_net_migration(base_year: int, natural_rate: float, population: float) -> tuple[float, float, list]:
    """The Basis rule at an earlier base year: (Kreis net migration, recent median, yearly residuals).

    ``KREIS_COMPOSITE_WEIGHT × median + (1 − KREIS_COMPOSITE_WEIGHT) × (−natural_rate × population)``.
    """
    med, vals = kreis_net_migration(base_year, natural_rate)
    w = KREIS_COMPOSITE_WEIGHT
    return w * med + (1 - w) * (-natural_rate * population), med, vals


def _residual(
    p0: np.ndarray, p1: np.ndarray, years: int, natural_rate: np.ndarray
) -> tuple[float, np.ndarray]:
    """Residual method: Kreis net migration (persons/yr) and municipal excess (Σ = 0)."""
    resid = (p1 - p0 - natural_rate * 0.5 * (p0 + p1) * years) / years
    share = (p0 + p1) / (p0 + p1).sum()
    net = float(resid.sum())
    return net, resid - share * net


def _project(
    P: np.ndarray, n: int, net, excess: np.ndarray, a: Assumptions, first_year: int, *, damping=None, **kw
) -> np.ndarray:
    res = run(
        P,
        n_years=n,
        net_migration=migration_function(net, a, excess=excess, damping=damping, **kw),
        store_components=False,
        **_rates(a, first_year, n, P.shape[-3]),
    )
    return res.population


def base_structure(base_year: int, a: Assumptions) -> tuple[np.ndarray, str]:
    """Municipal population (R, 2, A) at 31.12.``base_year`` scaled to the official totals, and a note."""
    p_base = municipal_totals_at(base_year)
    if base_year >= 2015:
        est = np.asarray(base_population(base_year).population)
        note = f"Altersstruktur der Gemeinden 31.12.{base_year} geschätzt (load_population)"
        return est * (p_base / est.sum(axis=(-2, -1)))[:, None, None], note
    s = _survival(a, base_year + 1, 1)["survival"][0]
    kreis = kreis_pattern_back(kreis_single_age(2015), 2015 - base_year, s)
    note = (
        f"Altersstruktur 31.12.{base_year}: Zensus-2011-Gitter der Gemeinde × Kreismuster "
        "(Kreis 31.12.2015 entlang der Jahrgänge zurückgerechnet)"
    )
    return municipal_structure(kreis, p_base), note


def _rows(case, level, ags, base_year, target_year, method, actual, predicted, note="", age_group="total"):
    ags = np.atleast_1d(ags)
    actual = np.atleast_1d(np.asarray(actual, dtype=float))
    predicted = np.atleast_1d(np.asarray(predicted, dtype=float))
    names = [MUNICIPALITIES.get(x, KREIS_NAME) for x in ags]
    err = predicted - actual
    return pd.DataFrame(
        {
            "case": case,
            "level": level,
            "ags": ags,
            "municipality": names,
            "age_group": age_group,
            "base_year": base_year,
            "target_year": target_year,
            "horizon": target_year - base_year,
            "method": method,
            "actual": actual,
            "predicted": predicted,
            "error": err,
            "ape": np.abs(err) / actual,
            "note": note,
        }
    )


NOTE_RATES = (
    "Sterblichkeit: Basis 2023–2024 entlang des Verbesserungspfads zurückgerechnet; Geburten: Basisniveau "
    "2023–2024; Gemeindeprofile (Zuzugsneigung, Geburtenniveau) aus den Zensus 2011 und 2022"
)


def _kreis_case(a: Assumptions) -> list[pd.DataFrame]:
    case = "Kreis 2015→2016–2021"
    k = kreis_age_groups()
    tot = k.groupby("year").population.sum()
    P0 = kreis_single_age(2015)[None]
    nat = float(_natural_rate(P0, a, 2016)[0])  # one region: the municipal factors do not apply
    net, med, vals = basis_net_migration(2015, nat, float(tot[2015]))
    kreis_only = {"propensity": np.ones((1, P0.shape[-1]))}
    pop = _project(P0, 6, net, np.zeros(1), a, 2016, **kreis_only)
    net_post, _ = _residual(np.array([tot[2015]]), np.array([tot[2021]]), 6, np.array([nat]))
    pop_post = _project(P0, 6, net_post, np.zeros(1), a, 2016, **kreis_only)
    note_post = f"{NOTE_RATES}; Nettowanderung {fmt_int(net_post)}/Jahr aus 2015→2021 (im Nachhinein)"
    note = (
        f"{NOTE_RATES}; Nettowanderung {fmt_int(net)}/Jahr = {KREIS_COMPOSITE_WEIGHT:g} × Median {fmt_int(med)} der Jahre "
        + ", ".join(f"{y}: {fmt_int(v)}" for y, v in vals)
        + f" (Residuen der Kreissummen) + {1 - KREIS_COMPOSITE_WEIGHT:g} × Saldo für konstante Einwohnerzahl"
    )
    k0 = kreis_annual_totals()
    slope = (tot[2015] - float(k0.loc[2013])) / 2
    out = []
    for h in range(1, 7):
        y = 2015 + h
        out.append(_rows(case, "Kreis", KREIS_AGS, 2015, y, "model", tot[y], pop[h].sum(), note))
        out.append(
            _rows(
                case,
                "Kreis",
                KREIS_AGS,
                2015,
                y,
                "model (migration ex post)",
                tot[y],
                pop_post[h].sum(),
                note_post,
            )
        )
        out.append(_rows(case, "Kreis", KREIS_AGS, 2015, y, "constant", tot[y], tot[2015]))
        out.append(
            _rows(
                case,
                "Kreis",
                KREIS_AGS,
                2015,
                y,
                "linear trend",
                tot[y],
                tot[2015] + slope * h,
                "Trend 2013→2015",
            )
        )
    for y in (2018, 2021):
        actual = k[k.year == y].groupby("age_group", observed=False).population.sum().loc[list(AGE_GROUPS_17)]
        base = (
            k[k.year == 2015].groupby("age_group", observed=False).population.sum().loc[list(AGE_GROUPS_17)]
        )
        by_age = pop[y - 2015, 0].sum(axis=0)
        pred = [by_age[lo : hi + 1].sum() for lo, hi in AGE_GROUPS_17.values()]
        by_age_post = pop_post[y - 2015, 0].sum(axis=0)
        pred_post = [by_age_post[lo : hi + 1].sum() for lo, hi in AGE_GROUPS_17.values()]
        for g, label in enumerate(AGE_GROUPS_17):
            for m, p, nt in (
                ("model", pred[g], note),
                ("model (migration ex post)", pred_post[g], note_post),
                ("constant", base.iloc[g], ""),
            ):
                out.append(
                    _rows(
                        case,
                        "Kreis-Altersgruppen",
                        KREIS_AGS,
                        2015,
                        y,
                        m,
                        actual.iloc[g],
                        p,
                        nt,
                        age_group=label,
                    )
                )
    return out


@dataclass(frozen=True)
class _CaseSetup:
    case: str
    base_year: int
    calib: tuple[int, int]
    targets: tuple[int, ...]
    P0: np.ndarray
    structure: str
    nat: np.ndarray
    nat_kreis: float
    p_base: np.ndarray

    @property
    def n(self) -> int:
        return max(self.targets) - self.base_year


@functools.lru_cache(maxsize=4)
def _setups(token: tuple) -> tuple[_CaseSetup, ...]:
    a = estimate_assumptions()
    out = []
    for case, base_year, calib, targets in MUNICIPAL_CASES:
        P0, structure = base_structure(base_year, a)
        nat = _natural_rate(P0, a, base_year + 1)
        nat_k = float(_natural_rate(P0.sum(axis=0, keepdims=True), a, base_year + 1)[0])
        out.append(
            _CaseSetup(
                case, base_year, calib, targets, P0, structure, nat, nat_k, municipal_totals_at(base_year)
            )
        )
    return tuple(out)


def _excess(s: _CaseSetup, start: int) -> np.ndarray:
    """Municipal excess of the residual method over ``start`` → base year (Zensus-2011 basis where crossed)."""
    p0 = _municipal_on_z11(start) if start < 2011 <= s.base_year else municipal_totals_at(start)
    return _residual(p0, s.p_base, s.base_year - start, s.nat)[1]


def _adjust(base_year: int, y: int) -> np.ndarray:
    return _census_factor() if base_year < 2011 <= y else np.ones(len(AGS_LIST))


def _municipal_cases(a: Assumptions) -> list[pd.DataFrame]:
    out = []
    for s in _setups(data_version()):
        case, base_year, (c0, c1), targets = s.case, s.base_year, s.calib, s.targets
        net, med, vals = basis_net_migration(base_year, s.nat_kreis, float(s.p_base.sum()))
        excess = _excess(s, EXCESS_START[base_year])
        pop = _project(s.P0, s.n, net, excess, a, base_year + 1).sum(axis=(-2, -1))  # (n+1, R)
        last = max(targets)
        actual_last = municipal_totals_at(last) / _adjust(base_year, last)
        net_post, excess_post = _residual(s.p_base, actual_last, last - base_year, s.nat)
        pop_post = _project(s.P0, s.n, net_post, excess_post, a, base_year + 1, damping=1.0).sum(
            axis=(-2, -1)
        )
        p_c0 = _municipal_on_z11(c0) if c0 < 2011 <= base_year else municipal_totals_at(c0)
        slope = (s.p_base - p_c0) / (c1 - c0)
        cal = f"Trend {c0}→{c1}" + (" (31.12.2011: erste Zensus-2011-Werte)" if c0 == 2011 else "")
        kreis_note = (
            f"Kreissaldo {fmt_int(net)}/Jahr = {KREIS_COMPOSITE_WEIGHT:g} × Median {fmt_int(med)} der Residuen "
            + ", ".join(f"{y}: {fmt_int(v)}" for y, v in vals)
            + f" + {1 - KREIS_COMPOSITE_WEIGHT:g} × Saldo für konstante Einwohnerzahl; Überschuss der Gemeinden {EXCESS_START[base_year]}→{base_year} × {EXCESS_DAMPING:g} je Jahr"
        )
        for y in targets:
            h = y - base_year
            adj = _adjust(base_year, y)
            cnote = "; Zensus-2011-Korrektur je Gemeinde angewandt" if base_year < 2011 <= y else ""
            actual = municipal_totals_at(y)
            share = s.p_base / s.p_base.sum()
            preds = {
                "model": pop[h] * adj,
                "model (migration ex post)": pop_post[h] * adj,
                "model shares × actual Kreis": pop[h] * adj / (pop[h] * adj).sum() * actual.sum(),
                "constant": s.p_base * adj,
                "linear trend": (s.p_base + slope * h) * adj,
                "constant share": share * (s.p_base.sum() + slope.sum() * h) * adj,
                "constant share × actual Kreis": share * adj / (share * adj).sum() * actual.sum(),
            }
            notes = {
                "model": f"{NOTE_RATES}; {kreis_note}; {s.structure}{cnote}",
                "model (migration ex post)": f"{NOTE_RATES}; Wanderung kalibriert {base_year}→{last} "
                f"(im Nachhinein, Diagnose){cnote}",
                "model shares × actual Kreis": "Verteilung des Modells, Kreissumme bekannt (Diagnose)"
                + cnote,
                "constant": cnote.lstrip("; "),
                "linear trend": cal + cnote,
                "constant share": f"Anteil im Basisjahr × linearer Kreistrend {c0}→{c1}" + cnote,
                "constant share × actual Kreis": "Anteil im Basisjahr, Kreissumme bekannt (Diagnose)" + cnote,
            }
            for m, pred in preds.items():
                out.append(
                    _rows(case, "Gemeinde", np.array(AGS_LIST), base_year, y, m, actual, pred, notes[m])
                )
                out.append(
                    _rows(case, "Kreis", KREIS_AGS, base_year, y, m, actual.sum(), pred.sum(), notes[m])
                )
    return out


def _age_case() -> list[pd.DataFrame]:
    r = age_dynamics()
    t = r.table
    note = "Anteile in Prozent; Fortschreibung 09.05.2011 → 15.05.2022, Gemeindesummen des Zensus 2022 vorgegeben"
    out = _rows(
        AGE_CASE,
        "Gemeinde-Altersgruppen",
        t.ags.to_numpy(),
        2011,
        2022,
        t.method.to_numpy(),
        t.actual.to_numpy(),
        t.predicted.to_numpy(),
        note,
        age_group=t.age_class.astype(str).to_numpy(),
    )
    return [out]


def _official_case() -> list[pd.DataFrame]:
    proj = projections_from_pages()
    row = proj[(proj.ags == KREIS_AGS) & (proj.target_year == "2020") & (proj.measure == "population")].iloc[
        0
    ]
    pages = population_figures_from_pages()
    kreis = pages[pages.ags == KREIS_AGS]
    z11 = float(kreis[(kreis.measure == "population") & (kreis.ref_date == "2011-12-31")].value.iloc[0])
    old = float(kreis[kreis.measure == "population_pre_census"].value.iloc[0])

    actual_2020 = float(kreis_age_groups().query("year == 2020").population.sum())
    actual_old_basis = actual_2020 * old / z11
    note = (
        f"IT.NRW (Jahrgang ~2008), {fmt_int(row.value)} laut Presse; Ist 2020 ({fmt_int(actual_2020)}, Zensus-2011-Basis) "
        f"× {fmt_int(old)}/{fmt_int(z11)} auf VZ-1987-Basis umgerechnet"
    )
    return [
        _rows(
            "IT.NRW ~2008→2020",
            "Kreis",
            KREIS_AGS,
            2008,
            2020,
            "official projection",
            actual_old_basis,
            float(row.value),
            note,
        )
    ]


def _summary(table: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for (case, level, method), g in table.groupby(["case", "level", "method"], sort=False):
        worst = g.loc[g.ape.idxmax()]
        if level in ("Gemeinde",):
            worst_name = worst.municipality
        elif level == "Kreis-Altersgruppen":
            worst_name = worst.age_group
        elif level == "Gemeinde-Altersgruppen":
            worst_name = f"{worst.municipality} {worst.age_group}"
        else:
            worst_name = f"{KREIS_NAME} {int(worst.target_year)}"
        shares = level == "Gemeinde-Altersgruppen"
        rows.append(
            {
                "case": case,
                "level": level,
                "method": method,
                "n": len(g),
                "mape": g.ape.mean(),
                "mae_pp": g.error.abs().mean() if shares else np.nan,
                "median_ape": g.ape.median(),
                "mean_signed_error": g.error.mean(),
                "mean_signed_pct_error": (g.error / g.actual).mean(),
                "worst_municipality": worst_name,
                "worst_ape": worst.ape,
            }
        )
    return pd.DataFrame(rows)


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Backtest tables (shared by the cache: callers must not mutate them).

    table : ``case, level (Kreis/Gemeinde/Kreis-Altersgruppen/Gemeinde-Altersgruppen), ags,
        municipality, age_group ("total", a 17-group label or a census class), base_year,
        target_year, horizon, method, actual, predicted, error, ape, note``; for the
        ``Gemeinde-Altersgruppen`` rows ``actual``/``predicted`` are shares in percent and
        ``error`` is in percentage points.
    summary : one row per (case, level, method): ``n, mape, mae_pp`` (age shares only,
        percentage points), ``median_ape, mean_signed_error, mean_signed_pct_error,
        worst_municipality, worst_ape``. APEs are fractions 0..1. German labels of the
        method and level codes: :data:`dashboard.text.BACKTEST_METHODS`, ``BACKTEST_LEVELS``.
    """

    table: pd.DataFrame
    summary: pd.DataFrame


@one_data_version()
def backtest() -> BacktestResult:
    """Run every backtest case (cached per data version).

    Returns
    -------
    :class:`BacktestResult` with ``table`` and ``summary`` (see class docstring; APE as fractions).
    """
    return _backtest(data_version())


@functools.lru_cache(maxsize=2)
def _backtest(token: tuple) -> BacktestResult:
    a = estimate_assumptions()
    parts = _kreis_case(a) + _municipal_cases(a) + _age_case() + _official_case()
    table = pd.concat(parts, ignore_index=True)[TABLE_COLUMNS]
    return BacktestResult(table=table, summary=_summary(table))


def criteria(summary: pd.DataFrame | None = None) -> pd.DataFrame:
    """The issue's acceptance criteria computed from a backtest summary.

    Returns one row per municipal total case plus ``mean``: ``model`` MAPE, ``best naive``
    MAPE (lowest of :data:`NAIVE_METHODS` in that case; for ``mean`` the naive method with
    the lowest mean), the naive method's name, and ``gap`` = model − best naive (fractions).
    """
    s = backtest().summary if summary is None else summary
    g = s[(s.level == "Gemeinde") & s.method.isin(("model",) + NAIVE_METHODS)]
    wide = g.pivot(index="case", columns="method", values="mape")
    naive = wide[list(NAIVE_METHODS)]
    rows = [
        {
            "case": c,
            "model": float(wide.loc[c, "model"]),
            "best_naive": float(naive.loc[c].min()),
            "best_naive_method": str(naive.loc[c].idxmin()),
        }
        for c in wide.index
    ]
    means = naive.mean()
    rows.append(
        {
            "case": "mean",
            "model": float(wide["model"].mean()),
            "best_naive": float(means.min()),
            "best_naive_method": str(means.idxmin()),
        }
    )
    out = pd.DataFrame(rows)
    out["gap"] = out.model - out.best_naive
    return out


#: Treatments of the municipal migration level compared by :func:`treatment_comparison`.
DAMPINGS = (0.0, 0.5, 0.8, 1.0)
KREIS_WEIGHTS = (1.0, 0.75, 0.5, 0.25, 0.0)


@one_data_version()
def treatment_comparison() -> pd.DataFrame:
    """Municipal MAPE of documented treatments of the migration level, per case (cached).

    Treatments: the municipal excess (residual method) over a short window (the calibration
    interval of the linear trend) or a long one (:data:`EXCESS_START`, ~10 years), damped by
    a factor per year (:data:`DAMPINGS`; 1 = constant as in the former model, 0 = dropped);
    and composites of the Kreis level with the constant method (Smith, Tayman & Swanson):
    Kreis net migration = ``w`` × median of five years + ``(1 − w)`` × the level that keeps
    the Kreis population constant (:data:`KREIS_WEIGHTS`; ``w = 1`` is the production rule).

    Returns
    -------
    DataFrame ``window, damping, kreis_weight, case, mape`` (fraction) and, per treatment,
    the leave-one-case-out choice: ``loco_chosen`` (True where the treatment has the lowest
    mean MAPE over the *other* cases among treatments with the same Kreis weight).
    """
    return _treatment_comparison(data_version()).copy()


@functools.lru_cache(maxsize=2)
def _treatment_comparison(token: tuple) -> pd.DataFrame:
    a = estimate_assumptions()
    rows = []
    for s in _setups(token):
        med, _ = kreis_net_migration(s.base_year, s.nat_kreis)
        zero = -s.nat_kreis * s.p_base.sum()
        windows = {"kurz": _excess(s, s.calib[0]), "lang": _excess(s, EXCESS_START[s.base_year])}
        for w in KREIS_WEIGHTS:
            net = w * med + (1 - w) * zero
            for wname, ex in windows.items():
                for damp in DAMPINGS:
                    pop = _project(s.P0, s.n, net, ex, a, s.base_year + 1, damping=damp).sum(axis=(-2, -1))
                    apes = []
                    for y in s.targets:
                        pred = pop[y - s.base_year] * _adjust(s.base_year, y)
                        apes.append(np.abs(pred / municipal_totals_at(y) - 1))
                    rows.append(
                        {
                            "window": wname,
                            "damping": damp,
                            "kreis_weight": w,
                            "case": s.case,
                            "mape": float(np.mean(apes)),
                        }
                    )
    df = pd.DataFrame(rows)
    chosen = np.zeros(len(df), dtype=bool)
    keys = ["window", "damping"]
    for w, g in df.groupby("kreis_weight"):
        for case in g.case.unique():
            other = g[g.case != case].groupby(keys).mape.mean()
            best = other.idxmin()
            sel = (
                (df.kreis_weight == w) & (df.case == case) & (df.window == best[0]) & (df.damping == best[1])
            )
            chosen |= sel.to_numpy()
    df["loco_chosen"] = chosen
    return df
