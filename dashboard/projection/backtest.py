"""Backtest: how well would the model have projected the past, against naive benchmarks?

Cases (all census-neutral)
--------------------------
``Kreis 2015→2016–2021``
    Start from the official Kreis table 31.12.2015 (17 age groups, graduated to single
    years) and compare the Kreis totals 2016–2021 and the 17 age groups of 2018 and 2021
    (all on the Zensus-2011 basis).
``Gemeinden 2009→2013/2017``, ``2013→2017/2021``, ``2017→2021/2023``
    Start from the official municipal totals (Destatis GV) with an age structure — for 2017
    the data layer's estimate of that date (:func:`dashboard.data.load_population`), before
    2015 (no Kreis age table) the Kreis pattern of 31.12.2015 — and compare with the later
    official totals. 2009 is on the VZ-1987 basis and the targets on the Zensus-2011
    basis: every method's prediction is multiplied by the municipality's census correction
    ``Zensus-2011 value 31.12.2011 / old Fortschreibung 2011`` (published figures, see
    ``data/raw/figures/population_totals_from_pages.csv``), so the comparison is census-neutral.
    The 31.12.2023 totals of the GV are still on the Zensus-2011 basis.
``IT.NRW ~2008→2020``
    The past official Kreis projection ("rund 257.000" in 2020, VZ-1987 basis) against the
    actual 2020 value converted to the VZ-1987 basis with the Kreis census correction.

Ex-ante information only, except mortality and fertility
--------------------------------------------------------
Migration is calibrated on the period *before* the base year (residual method, as in
:mod:`dashboard.projection.assumptions`): Kreis net migration and each municipality's excess
come from the growth of official totals over the calibration interval minus the model's
natural change. Mortality and fertility are the Basis rates (estimated from 2020–2024,
i.e. after the base year; there are no earlier Kreis vital statistics here) — stated in
the table's ``note``.

Diagnostic variant ``model (migration ex post)``: the same model with the migration level
and municipal excess calibrated on the *evaluation* interval itself (base → last target),
i.e. with hindsight. It separates the error of the demographic engine (ageing, births,
deaths, age structure) from the error of the migration assumption.

Benchmarks: constant population; linear trend of the calibration interval; constant
share of the Kreis (base share × the model's Kreis total, isolating the distribution).

Errors: ``error = predicted − actual`` (persons), ``ape = |error| / actual`` (fraction 0..1).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, KREIS_AGS, KREIS_NAME, MUNICIPALITIES
from dashboard.data import data_version
from dashboard.data.embedded import population_figures_from_pages, projections_from_pages
from dashboard.projection.assumptions import Assumptions, estimate_assumptions
from dashboard.projection.base import base_population, kreis_single_age
from dashboard.projection.engine import migration_function, scenario_rates
from dashboard.projection.kernel import run
from dashboard.projection.scenarios import PRESETS
from dashboard.text import fmt_int

__all__ = ["BacktestResult", "backtest", "METHODS", "METHOD_LABELS_DE", "LEVEL_LABELS_DE"]

METHODS = (
    "model",
    "model (migration ex post)",
    "constant",
    "linear trend",
    "constant share",
    "official projection",
)
#: German display labels of the methods and levels (for the app and notebooks).
METHOD_LABELS_DE = {
    "model": "Modell",
    "model (migration ex post)": "Modell mit nachträglich bekannter Wanderung",
    "constant": "Konstante Bevölkerung",
    "linear trend": "Linearer Trend",
    "constant share": "Konstanter Anteil am Kreis",
    "official projection": "Amtliche Vorausberechnung",
}
LEVEL_LABELS_DE = {
    "Kreis": "Kreis",
    "Gemeinde": "Gemeinden",
    "Kreis-Altersgruppen": "Kreis, 17 Altersgruppen",
}
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

#: municipal cases: (label, base year, calibration interval, target years)
MUNICIPAL_CASES = (
    ("Gemeinden 2009→2013/2017", 2009, (2005, 2009), (2013, 2017)),
    ("Gemeinden 2013→2017/2021", 2013, (2011, 2013), (2017, 2021)),
    ("Gemeinden 2017→2021/2023", 2017, (2013, 2017), (2021, 2023)),
)


@dataclass(frozen=True, eq=False)
class BacktestResult:
    """Backtest tables (shared by the cache: callers must not mutate them).

    table : ``case, level (Kreis/Gemeinde), ags, municipality, age_group ("total" or a 17-group
        label), base_year, target_year, horizon, method, actual, predicted, error, ape, note``.
    summary : one row per (case, level, method) on totals: ``n, mape, median_ape,
        mean_signed_error`` (persons), ``mean_signed_pct_error`` (fraction),
        ``worst_municipality, worst_ape``; plus rows for the 17 age groups (level
        "Kreis-Altersgruppen"), and German display labels ``method_de``, ``level_de``.
        APEs are fractions 0..1.
    """

    table: pd.DataFrame
    summary: pd.DataFrame


def _totals(year: int, official_only: bool = True) -> np.ndarray:
    from dashboard.data import municipal_totals

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


def _census_factor() -> np.ndarray:
    """Zensus-2011 value (31.12.2011) / old VZ-1987 Fortschreibung (2011) per municipality."""
    p = population_figures_from_pages()
    old = p[p.measure == "population_pre_census_implied"].set_index("ags").value.reindex(list(AGS_LIST))
    new = _totals(2011, official_only=False)
    return new / old.to_numpy(dtype=float)


def _rates(a: Assumptions, n: int):
    r = scenario_rates(PRESETS["basis"], a)
    return dict(
        survival=r["survival"][:n],
        infant_survival=r["infant_survival"][:n],
        fertility=r["fertility"],
        sex_ratio_at_birth=r["sex_ratio_at_birth"],
        time_varying={"survival", "infant_survival"},
    )


def _natural_rate(P: np.ndarray, a: Assumptions) -> np.ndarray:
    """Natural change per person and year (births − deaths) / population for each region."""
    res = run(P, n_years=1, net_migration=np.zeros_like(P), **_rates(a, 1))
    return (res.births[0].sum(axis=-1) - res.deaths[0].sum(axis=(-2, -1))) / P.sum(axis=(-2, -1))


def _calibrate(
    p0: np.ndarray, p1: np.ndarray, years: int, natural_rate: np.ndarray
) -> tuple[float, np.ndarray]:
    """Residual method: Kreis net migration (persons/yr) and municipal excess (Σ = 0)."""
    resid = (p1 - p0 - natural_rate * 0.5 * (p0 + p1) * years) / years
    share = (p0 + p1) / (p0 + p1).sum()
    net = float(resid.sum())
    return net, resid - share * net


def _project(P: np.ndarray, n: int, net: float, excess: np.ndarray, a: Assumptions) -> np.ndarray:
    res = run(
        P,
        n_years=n,
        net_migration=migration_function(net, a, excess=excess),
        store_components=False,
        **_rates(a, n),
    )
    return res.population


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


NOTE_RATES = "Sterblichkeit und Geburten: Basisraten 2023–2024 (später als das Basisjahr)"


def _kreis_case(a: Assumptions) -> list[pd.DataFrame]:
    from dashboard.data import kreis_age_groups

    case = "Kreis 2015→2016–2021"
    k = kreis_age_groups()
    tot = k.groupby("year").population.sum()
    P0 = kreis_single_age(2015)[None]
    nat = _natural_rate(P0, a)
    p2013 = _totals(2013).sum()
    net, _ = _calibrate(np.array([p2013]), np.array([tot[2015]]), 2, nat)
    pop = _project(P0, 6, net, np.zeros(1), a)
    net_post, _ = _calibrate(np.array([tot[2015]]), np.array([tot[2021]]), 6, nat)
    pop_post = _project(P0, 6, net_post, np.zeros(1), a)
    note_post = f"{NOTE_RATES}; Nettowanderung {fmt_int(net_post)}/Jahr aus 2015→2021 (im Nachhinein)"
    out = []
    slope = (tot[2015] - p2013) / 2
    note = f"{NOTE_RATES}; Nettowanderung {fmt_int(net)}/Jahr aus 2013→2015 (Residualmethode)"
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
            out.append(
                _rows(
                    case,
                    "Kreis-Altersgruppen",
                    KREIS_AGS,
                    2015,
                    y,
                    "model",
                    actual.iloc[g],
                    pred[g],
                    note,
                    age_group=label,
                )
            )
            out.append(
                _rows(
                    case,
                    "Kreis-Altersgruppen",
                    KREIS_AGS,
                    2015,
                    y,
                    "model (migration ex post)",
                    actual.iloc[g],
                    pred_post[g],
                    note_post,
                    age_group=label,
                )
            )
            out.append(
                _rows(
                    case,
                    "Kreis-Altersgruppen",
                    KREIS_AGS,
                    2015,
                    y,
                    "constant",
                    actual.iloc[g],
                    base.iloc[g],
                    age_group=label,
                )
            )
    return out


def _municipal_cases(a: Assumptions) -> list[pd.DataFrame]:
    out = []
    census = _census_factor()
    for case, base_year, (c0, c1), targets in MUNICIPAL_CASES:
        p_base = _totals(base_year)
        if base_year >= 2015:  # estimated municipal age structure of that date (data layer)
            est = np.asarray(base_population(base_year).population)
            P0 = est * (p_base / est.sum(axis=(-2, -1)))[:, None, None]
            structure = f"Altersstruktur der Gemeinden 31.12.{base_year} geschätzt (load_population)"
        else:  # no Kreis age table before 2015: Kreis pattern of 2015
            pattern = kreis_single_age(2015)
            P0 = p_base[:, None, None] * (pattern / pattern.sum())[None]
            structure = "Altersstruktur: Muster des Kreises 31.12.2015"
        nat = _natural_rate(P0, a)
        p_c0 = _totals(c0, official_only=(c0 != 2011))
        p_c1 = _totals(c1)
        net, excess = _calibrate(p_c0, p_c1, c1 - c0, nat)
        n = max(targets) - base_year
        pop = _project(P0, n, net, excess, a).sum(axis=(-2, -1))  # (n+1, R)
        last = max(targets)
        net_post, excess_post = _calibrate(
            p_base, _totals(last) / (census if base_year < 2011 <= last else 1.0), last - base_year, nat
        )
        pop_post = _project(P0, n, net_post, excess_post, a).sum(axis=(-2, -1))
        slope = (p_c1 - p_c0) / (c1 - c0)
        cal_note = (
            f"Kalibrierung {c0}→{c1}"
            + (" (31.12.2011: veröffentlichte Zensus-2011-Werte)" if c0 == 2011 else "")
            + f"; {structure}"
        )
        for y in targets:
            h = y - base_year
            adj = census if (base_year < 2011 <= y) else np.ones(len(AGS_LIST))
            cnote = "; Zensus-2011-Korrektur je Gemeinde angewandt" if base_year < 2011 <= y else ""
            actual = _totals(y)
            preds = {
                "model": pop[h] * adj,
                "model (migration ex post)": pop_post[h] * adj,
                "constant": p_base * adj,
                "linear trend": (p_base + slope * h) * adj,
                "constant share": p_base / p_base.sum() * pop[h].sum() * adj,
            }
            notes = {
                "model": f"{NOTE_RATES}; {cal_note}{cnote}",
                "constant": cnote.lstrip("; "),
                "model (migration ex post)": f"{NOTE_RATES}; Wanderung kalibriert {base_year}→{last} "
                f"(im Nachhinein, Diagnose){cnote}",
                "linear trend": cal_note + cnote,
                "constant share": "Anteil im Basisjahr × Kreissumme des Modells" + cnote,
            }
            for m, pred in preds.items():
                out.append(
                    _rows(case, "Gemeinde", np.array(AGS_LIST), base_year, y, m, actual, pred, notes[m])
                )
                out.append(
                    _rows(case, "Kreis", KREIS_AGS, base_year, y, m, actual.sum(), pred.sum(), notes[m])
                )
    return out


def _official_case() -> list[pd.DataFrame]:
    proj = projections_from_pages()
    row = proj[(proj.ags == KREIS_AGS) & (proj.target_year == "2020") & (proj.measure == "population")].iloc[
        0
    ]
    pages = population_figures_from_pages()
    kreis = pages[pages.ags == KREIS_AGS]
    z11 = float(kreis[(kreis.measure == "population") & (kreis.ref_date == "2011-12-31")].value.iloc[0])
    old = float(kreis[kreis.measure == "population_pre_census"].value.iloc[0])
    from dashboard.data import kreis_age_groups

    actual_2020 = float(kreis_age_groups().query("year == 2020").population.sum())
    actual_old_basis = actual_2020 * old / z11
    note = (
        f"IT.NRW (Jahrgang ~2008), {fmt_int(row.value)} laut Presse; Ist 2020 ({fmt_int(actual_2020)}, "
        f"Zensus-2011-Basis) × {fmt_int(old)}/{fmt_int(z11)} auf VZ-1987-Basis umgerechnet"
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
        worst_name = (
            worst.municipality
            if level == "Gemeinde"
            else (
                worst.age_group
                if level == "Kreis-Altersgruppen"
                else f"{KREIS_NAME} {int(worst.target_year)}"
            )
        )
        rows.append(
            {
                "case": case,
                "level": level,
                "method": method,
                "n": len(g),
                "mape": g.ape.mean(),
                "median_ape": g.ape.median(),
                "mean_signed_error": g.error.mean(),
                "mean_signed_pct_error": (g.error / g.actual).mean(),
                "worst_municipality": worst_name,
                "worst_ape": worst.ape,
            }
        )
    out = pd.DataFrame(rows)
    out["method_de"] = out.method.map(METHOD_LABELS_DE)
    out["level_de"] = out.level.map(LEVEL_LABELS_DE)
    return out


def backtest() -> BacktestResult:
    """Run every backtest case (cached per data version; < 1 s after the assumptions are estimated).

    Returns
    -------
    :class:`BacktestResult` with ``table`` and ``summary`` (see class docstring; APE as fractions).
    """
    return _backtest(data_version())


@functools.lru_cache(maxsize=2)
def _backtest(token: tuple) -> BacktestResult:
    a = estimate_assumptions()
    parts = _kreis_case(a) + _municipal_cases(a) + _official_case()
    table = pd.concat(parts, ignore_index=True)[TABLE_COLUMNS]
    return BacktestResult(table=table, summary=_summary(table))
