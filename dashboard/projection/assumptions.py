"""Assumptions of the projection, estimated from the official figures (statsmodels GLMs).

Everything here is a pure function of the embedded data and is cached per process.
:func:`estimate_assumptions` returns an :class:`Assumptions` object with the rate arrays
the kernel needs and a tidy, German ``table`` (component, parameter, value, unit, source,
period, method, fit) that the app shows to the user.

Methods (short; the table carries the same text)
------------------------------------------------
Mortality
    Germany period life table 2023/25 (Destatis 12621-0001) scaled by one Kreis mortality
    level per sex (proportional hazards on ``m_x = −ln(1 − q_x)``). The level is the
    coefficient of a Poisson GLM of the observed Kreis deaths 2020–2024 by sex and year
    (12613-01-01-4) with offset ``log Σ_x E_x m_x`` (expected deaths at German rates,
    exposure E = mean of the Kreis population at the start and end of each year, anchored on
    the official single ages of 31.12.2024 — :func:`kreis_tables`), i.e. a model-based
    standardised mortality ratio (SMR). Fitted per year 2020–2024 (shown) and pooled over
    2023–2024 for the Basis (post-pandemic, the life table's own period). Improvement: e0
    rises linearly to the Destatis L2 assumption for 2070 (:data:`E0_2070_L2`); the female −
    male gap of e0 is checked against Germany and NRW (delta-method interval with the
    overdispersion of the yearly model).
Fertility
    Age schedule: gamma-shaped over ages 15–49 with mean age at childbearing 31.5 years and
    SD 5.5 years (an assumption — there are no age-specific rates for the Kreis; only the
    level is estimated). Level (TFR): Poisson GLM of the Kreis live births (12612-01-01-4)
    with offset ``log Σ_x W_x φ_x`` (women's exposure × schedule), per year 2020–2024 and
    pooled 2022–2024 for the Basis (latest level on the Zensus-2022 basis). NRW TFR series
    (IT.NRW) is shown as reference. Sex ratio at birth = male/female births 2020–2024.
Migration
    Gross flows over the Kreis border 2020–2024 (12711-01-03-4) by sex × 6 age groups,
    split to single years (group rates on the population, 5-year moving average, rescaled
    to the group totals — :func:`~dashboard.projection.graduation.graduate_by_exposure`):
    in-migrants as an age–sex *distribution* and out-migration as age–sex *rates* per
    person. Each year, out-migrants = rate × population; in-migrants = (net target + all
    out-migrants) × distribution, so the Kreis net migration equals the scenario level
    while its age profile follows the data. Basis level = median of the five annual net
    totals (robust to the 2022 peak from Ukraine).
Municipal distribution (residual method)
    Municipal net migration = population share × Kreis net migration + a constant
    municipal excess ``d_r`` (persons/year, Σ d_r = 0). ``d_r`` is the municipality's
    observed average residual net migration (growth of the official totals 31.12.2013 →
    31.12.2023, both Zensus-2011 basis, minus natural change estimated with the Kreis rates
    on the municipality's base age structure) minus its population share of the Kreis total
    residual. Monotone: more Kreis net migration means more people in every municipality.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

from dashboard.constants import AGE_GROUPS_17, AGS_LIST, BASE_YEAR, FERTILE_AGES, N_AGES, SEXES
from dashboard.data import (
    data_version,
    estimation_report,
    kreis_age_groups,
    municipal_totals,
    nrw_life_expectancy,
    nrw_tfr,
    one_data_version,
    vital_events,
)
from dashboard.data.official import ITNRW_OPEN_AGE, official_kreis_single_ages
from dashboard.projection.base import FEMALE_MASK, _germany_qx, base_population, kreis_single_age
from dashboard.projection.graduation import graduate_by_exposure
from dashboard.projection.kernel import step
from dashboard.projection.lifetable import (
    infant_survival,
    life_expectancy,
    qx_to_mx,
    scale_mortality,
    survival_ratios,
)
from dashboard.text import fmt_dec, fmt_int

__all__ = [
    "ASSUMPTION_COLUMNS",
    "Assumptions",
    "estimate_assumptions",
    "fertility_schedule",
    "method_text_de",
    "MEAN_AGE_AT_BIRTH",
    "SD_AGE_AT_BIRTH",
    "MIGRATION_LOWER_BOUNDS",
    "MIGRATION_GROUPS",
]

#: Assumed mean age of mothers at birth (all birth orders), years. Destatis reports a mean age
#: of 30.3 at *first* birth for 2023 (press release of 17.07.2024); later births are older.
MEAN_AGE_AT_BIRTH: float = 31.5
#: Assumed standard deviation of the age of mothers at birth, years.
SD_AGE_AT_BIRTH: float = 5.5
#: Columns of :attr:`Assumptions.table`. ``component``, ``parameter``, ``qualifier`` and ``unit``
#: are codes (English; labelled for display by :func:`dashboard.figures.labels.assumptions_de`):
#: ``qualifier`` is the sex (``female``/``male``), the year or the AGS a row is about, else ``""``.
#: ``source``, ``period``, ``method``, ``fit`` are German documentation text.
ASSUMPTION_COLUMNS = (
    "component",
    "parameter",
    "qualifier",
    "value",
    "unit",
    "source",
    "period",
    "method",
    "fit",
)
MIGRATION_GROUPS = ("0-17", "18-24", "25-29", "30-49", "50-64", "65+")
MIGRATION_LOWER_BOUNDS = (0, 18, 25, 30, 50, 65)
ESTIMATION_YEARS = (2020, 2021, 2022, 2023, 2024)
#: Years whose pooled level is the Basis ("status quo"): post-pandemic, Zensus-2022 basis,
#: the period of the life table 2023/25.
BASIS_YEARS = (2023, 2024)
RESIDUAL_PERIOD = (2013, 2023)
#: Municipal excess net migration (residual method) is multiplied by this factor per year in
#: the projection; 0 = not carried forward. Chosen by the municipal backtest
#: (:mod:`dashboard.projection.backtest`: no damping factor beat dropping the excess).
EXCESS_DAMPING: float = 0.0
#: Weight of the recent Kreis net migration (median 2020–2024) in the Basis; the rest goes to
#: the net migration that keeps the Kreis population constant (a composite with the constant
#: method, Smith, Tayman & Swanson 2013). Equal weights, not tuned: in the municipal
#: backtest the equal-weight composite is the only one within 0.5 pp of the best naive method
#: in every case (:func:`dashboard.projection.backtest.treatment_comparison`).
KREIS_COMPOSITE_WEIGHT: float = 0.5
#: Life expectancy at birth in 2070 (female, male) of the Destatis 15th coordinated population
#: projection (December 2022), moderate assumption L2: girls 88.2, boys 84.6 years.
E0_2070_L2: tuple[float, float] = (88.2, 84.6)
#: Calendar year of the Kreis mortality table (deaths 2023–2024, life table 2023/25).
MORTALITY_YEAR: int = 2024

SRC_LIFETABLE = "Destatis 12621-0001, Sterbetafel Deutschland 2023/25 (dl-de/by-2-0)"
SRC_DEATHS = "Regionalstatistik 12613-01-01-4, Gestorbene Kreis Düren"
SRC_BIRTHS = "Regionalstatistik 12612-01-01-4, Lebendgeborene Kreis Düren"
SRC_MIG = "Regionalstatistik 12711-01-03-4, Zu- und Fortzüge über die Kreisgrenze"
SRC_POP = "Regionalstatistik 12411-0018 / 12411-02-03-4, Bevölkerung Kreis Düren nach 17 Altersgruppen"
SRC_L2 = (
    "Destatis, 15. koordinierte Bevölkerungsvorausberechnung (2022), Annahme L2 (moderat): "
    "Lebenserwartung 2070 Mädchen 88,2, Jungen 84,6 Jahre"
)
SRC_Z11 = "Zensus 2011, 1-km-Gitter (5 Altersgruppen)"
SRC_Z22 = "Zensus 2022, Regionaltabelle Demografie (11 Altersklassen je Gemeinde)"
SRC_GV = "Destatis Gemeindeverzeichnis (GV-ISys), Bevölkerung 31.12.2013 und 31.12.2023 (Zensus-2011-Basis)"


def fertility_schedule(mean_age: float = MEAN_AGE_AT_BIRTH, sd: float = SD_AGE_AT_BIRTH) -> np.ndarray:
    """Age schedule φ (N_AGES,) of fertility summing to 1 over ages 15–49 (gamma shape from age 15).

    The density of a gamma distribution (origin 15, mean ``mean_age``, SD ``sd``) integrated
    over each year of age [x, x+1).
    """
    from scipy.stats import gamma

    mu = mean_age - FERTILE_AGES.start
    k = (mu / sd) ** 2
    theta = sd**2 / mu
    edges = np.arange(FERTILE_AGES.start, FERTILE_AGES.stop + 1, dtype=float) - FERTILE_AGES.start
    mass = np.diff(gamma.cdf(edges, k, scale=theta))
    phi = np.zeros(N_AGES)
    phi[FERTILE_AGES.start : FERTILE_AGES.stop] = mass / mass.sum()
    return phi


@dataclass(frozen=True, eq=False)
class Assumptions:
    """Estimated inputs of the projection (arrays read-only) and their documentation.

    Attributes
    ----------
    qx : (2, A) Kreis death probabilities (Germany 2023/25 × Kreis level), sex order female, male.
    mortality_level : (2,) Kreis mortality level (SMR) per sex.
    e0 : (2,) life expectancy at birth implied by ``qx`` (years).
    fertility_shape : (A,) age schedule of fertility, sums to 1.
    tfr : Basis total fertility rate (children per woman).
    tfr_by_year : {year: TFR} Kreis estimates 2020–2024.
    sex_ratio_at_birth : male per female births.
    in_migration_distribution : (2, A) age–sex distribution of in-migrants, sums to 1.
    out_migration_rate : (2, A) out-migrants per person and year.
    net_migration : Basis Kreis net migration (persons/year): ``KREIS_COMPOSITE_WEIGHT`` ×
        ``net_migration_recent`` + the rest × ``net_migration_constant``.
    net_migration_recent : median of the published Kreis net migration 2020–2024.
    net_migration_constant : net migration that offsets the natural change of the first
        projection year (keeps the Kreis population constant).
    e0_gain_per_year : (female, male) years of life expectancy gained per year in the Basis.
    mortality_year : calendar year of ``qx``.
    municipal_propensity : (R, A) in-migration propensity by age of each municipality.
    municipal_fertility : (R,) fertility level of each municipality relative to the Kreis.
    local_migration : in-migrants by age on the local population (True) or Kreis profile.
    excess_damping : factor per year on ``municipal_excess``.
    net_migration_by_year : {year: net migration} observed 2020–2024.
    municipal_excess : (R,) persons/year added to each municipality's population share of
        the Kreis net migration (sums to 0).
    base : :class:`dashboard.projection.base.BasePopulation`.
    table : DataFrame :data:`ASSUMPTION_COLUMNS` (``component, parameter, qualifier, value, unit,
        source, period, method, fit``): codes in the first three columns and ``unit``, German
        documentation in the last four; callers must not mutate it.
    """

    qx: np.ndarray
    mortality_level: np.ndarray
    e0: np.ndarray
    fertility_shape: np.ndarray
    tfr: float
    tfr_by_year: dict
    sex_ratio_at_birth: float
    in_migration_distribution: np.ndarray
    out_migration_rate: np.ndarray
    net_migration: float
    net_migration_by_year: dict
    municipal_excess: np.ndarray
    base: object
    table: pd.DataFrame
    net_migration_recent: float = float("nan")
    net_migration_constant: float = float("nan")
    e0_gain_per_year: tuple = (0.0, 0.0)
    mortality_year: int = 2024
    municipal_propensity: np.ndarray | None = None
    municipal_fertility: np.ndarray | None = None
    local_migration: bool = True
    excess_damping: float = 1.0

    def survival(self, qx: np.ndarray | None = None) -> np.ndarray:
        """Survival ratios (2, A) for ``qx`` (default: the Kreis table)."""
        return survival_ratios(self.qx if qx is None else qx, female=FEMALE_MASK)

    def infant_survival(self, qx: np.ndarray | None = None) -> np.ndarray:
        """Infant survival to year end (2,) for ``qx`` (default: the Kreis table)."""
        return infant_survival(self.qx if qx is None else qx, female=FEMALE_MASK)


def _exposures(years) -> dict[int, np.ndarray]:
    """Mean of the Kreis population at the start and end of each year, (2, A) (:func:`kreis_tables`)."""
    t = kreis_tables()
    return {y: 0.5 * (t[y - 1] + t[y]) for y in years}


@one_data_version()
def kreis_tables() -> dict[int, np.ndarray]:
    """Kreis population (2, A) by sex and single age at 31.12. of 2019–2024, anchored on the official single ages.

    31.12.2024: the official single ages 0–89 and 90+ (IT.NRW 12411-09i, both sexes) split by
    sex with the shares of the graduated table and raked to the official sex × 17 groups
    (the 90+ group spread over 90–100 like the graduated table). Earlier year ends: the next
    year's table moved back one year along the cohorts (divided by the survival ratios of the
    Germany life table 2023/25) up to age 89, 90+ in the 2024 proportion to 75–89, then
    scaled within every sex × 17-group cell to that year's official table. So the old-age tail follows the official cohort sizes instead of a
    stationary life table (which put 31 % too many people into 90+ and inflated the expected
    deaths). Cached per data version; estimates (the sex split and the single ages before 2024).
    """
    return _kreis_tables(data_version())


@functools.lru_cache(maxsize=2)
def _kreis_tables(token) -> dict[int, np.ndarray]:
    k = kreis_age_groups()
    groups = list(AGE_GROUPS_17.values())

    def margins(year: int) -> np.ndarray:
        g = k[k.year == year].groupby(["sex", "age_group"], observed=False).population.sum()
        return np.array([[float(g.loc[(sex, lab)]) for lab in AGE_GROUPS_17] for sex in SEXES])

    def rake_groups(P: np.ndarray, m: np.ndarray) -> np.ndarray:
        out = P.copy()
        for gi, (lo, hi) in enumerate(groups):
            cur = out[:, lo : hi + 1].sum(axis=1)
            out[:, lo : hi + 1] *= (m[:, gi] / np.where(cur > 0, cur, 1.0))[:, None]
        return out

    grad = np.asarray(kreis_single_age(2024), dtype=float)
    o = official_kreis_single_ages().sort_values("age").population.to_numpy(dtype=float)
    total = np.empty(N_AGES)
    total[:ITNRW_OPEN_AGE] = o[:ITNRW_OPEN_AGE]
    tail = grad[:, ITNRW_OPEN_AGE:].sum(axis=0)
    total[ITNRW_OPEN_AGE:] = o[ITNRW_OPEN_AGE] * tail / tail.sum()
    share = grad / grad.sum(axis=0, keepdims=True)
    P = total[None, :] * share
    m24 = margins(2024)
    for _ in range(50):  # two margins: single ages (both sexes) and sex × 17 groups
        P = rake_groups(P, m24)
        P *= (total / P.sum(axis=0))[None, :]
    P = rake_groups(P, m24)
    out = {2024: P}
    s = survival_ratios(_germany_qx(), female=FEMALE_MASK)
    for y in range(2023, 2018, -1):
        nxt = out[y + 1]
        back = np.empty_like(nxt)
        back[:, :ITNRW_OPEN_AGE] = nxt[:, 1 : ITNRW_OPEN_AGE + 1] / s[:, :ITNRW_OPEN_AGE]
        # 90+: no single ages are published; keep the 2024 ratio of 90+ to 75–89 per sex
        # (reverse survival through a guessed 90+ shape would multiply its errors)
        ratio = nxt[:, ITNRW_OPEN_AGE:].sum(axis=1) / nxt[:, 75:ITNRW_OPEN_AGE].sum(axis=1)
        shape = nxt[:, ITNRW_OPEN_AGE:] / nxt[:, ITNRW_OPEN_AGE:].sum(axis=1, keepdims=True)
        back[:, ITNRW_OPEN_AGE:] = (ratio * back[:, 75:ITNRW_OPEN_AGE].sum(axis=1))[:, None] * shape
        out[y] = rake_groups(back, margins(y))
    for arr in out.values():
        arr.setflags(write=False)
    return out


def _rows_by(
    rows: list, qualifiers, codes: tuple[str, str, str], values, *, source, period, method, fit
) -> None:
    """Append one row per qualifier (sex or AGS) of ``codes`` = (component, parameter, unit):
    value ``float(values[i])`` and ``fit[i]``; ``source`` and ``period`` are the same for all of
    them, ``method`` too when it is one text (else one per qualifier)."""
    component, parameter, unit = codes
    methods = [method] * len(qualifiers) if isinstance(method, str) else method
    for q, v, m, f in zip(qualifiers, values, methods, fit, strict=True):
        rows.append((component, parameter, q, float(v), unit, source, period, m, f))


def _events() -> pd.DataFrame:
    return vital_events()


def _mortality(rows: list) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    import statsmodels.api as sm

    ev = _events()
    d = ev[(ev.event == "deaths") & ev.sex.isin(SEXES)]
    q_de = _germany_qx()
    m_de = qx_to_mx(q_de)
    exp = _exposures(ESTIMATION_YEARS)
    recs = []
    for _, r in d.iterrows():
        si = SEXES.index(r.sex)
        recs.append(
            {
                "sex": r.sex,
                "year": int(r.year),
                "deaths": float(r.value),
                "expected": float((exp[int(r.year)][si] * m_de[si]).sum()),
            }
        )
    df = pd.DataFrame(recs)

    def fit(sub: pd.DataFrame):
        X = pd.get_dummies(sub.sex).loc[:, list(SEXES)].astype(float)
        return sm.GLM(sub.deaths, X, family=sm.families.Poisson(), offset=np.log(sub.expected)).fit()

    res_all = fit(df)
    res = fit(df[df.year.isin(BASIS_YEARS)])
    level = np.exp(res.params.loc[list(SEXES)].to_numpy())
    ci = np.exp(res.conf_int().loc[list(SEXES)].to_numpy())
    disp = res_all.pearson_chi2 / res_all.df_resid
    smr_year = df.assign(smr=df.deaths / df.expected)
    qx = scale_mortality(q_de, level)
    e0_de = life_expectancy(q_de, female=FEMALE_MASK)
    e0 = life_expectancy(qx, female=FEMALE_MASK)
    method = (
        "Poisson-GLM der Gestorbenen je Geschlecht und Jahr mit Offset log(erwartete Sterbefälle "
        "nach Sterbetafel Deutschland × Kreisbevölkerung nach Einzelalter, verankert auf den amtlichen "
        "Einzelaltern 31.12.2024), gepoolt 2023–2024 (nach der Pandemie, "
        "Zeitraum der Sterbetafel); Faktor auf alle Sterberaten (proportional)"
    )
    for i, sex in enumerate(SEXES):
        rows.append(
            (
                "mortality",
                "mortality_level",
                sex,
                float(level[i]),
                "factor",
                f"{SRC_DEATHS}; {SRC_LIFETABLE}; {SRC_POP}",
                "2023–2024",
                method,
                f"95-%-KI {fmt_dec(ci[i, 0], 3)}–{fmt_dec(ci[i, 1], 3)}; SMR je Jahr 2020–2024: "
                + ", ".join(fmt_dec(v, 3) for v in smr_year[smr_year.sex == sex].sort_values("year").smr)
                + f"; Pearson-χ²/FG des Modells 2020–2024 = {fmt_dec(disp, 2)} (>1: Schwankung zwischen Jahren)",
            )
        )
        rows.append(
            (
                "mortality",
                "e0",
                sex,
                float(e0[i]),
                "years",
                f"{SRC_LIFETABLE}; abgeleitet",
                "2023–2024",
                "Sterbetafel Deutschland 2023/25 mit Kreisniveau 2023–2024",
                f"Deutschland 2023/25: {fmt_dec(e0_de[i], 2)} Jahre",
            )
        )
    # standard error of the female − male e0 gap: delta method on the log levels, with the
    # standard errors inflated by the overdispersion of the 2020–2024 model (χ²/df)
    se_log = res.bse.loc[list(SEXES)].to_numpy() * np.sqrt(max(disp, 1.0))
    de = []
    for i in range(2):
        f = np.exp(np.array([-0.01, 0.01]))
        e = life_expectancy(scale_mortality(q_de[i][None, :], level[i] * f), female=bool(FEMALE_MASK[i]))
        de.append((e[1] - e[0]) / 0.02)
    gap_se = float(np.sqrt((de[0] * se_log[0]) ** 2 + (de[1] * se_log[1]) ** 2))
    return qx, level, e0, gap_se


def _fertility(rows: list) -> tuple[np.ndarray, float, dict, float]:
    import statsmodels.api as sm

    ev = _events()
    b = ev[(ev.event == "births") & (ev.sex == "total")].set_index("year").value.astype(float)
    phi = fertility_schedule()
    exp = _exposures(ESTIMATION_YEARS)
    off = pd.Series({y: float((exp[y][0] * phi).sum()) for y in ESTIMATION_YEARS})
    years = list(ESTIMATION_YEARS)
    X = pd.get_dummies(pd.Series(years, index=years).astype(str)).astype(float)
    with warnings.catch_warnings():  # saturated year model: exact fit is intended
        warnings.simplefilter("ignore")
        res_y = sm.GLM(b.loc[years], X, family=sm.families.Poisson(), offset=np.log(off.loc[years])).fit()
    tfr_by_year = {int(y): float(np.exp(res_y.params[str(y)])) for y in years}
    by = list(BASIS_YEARS)
    res_b = sm.GLM(
        b.loc[by], np.ones((len(by), 1)), family=sm.families.Poisson(), offset=np.log(off.loc[by])
    ).fit()
    tfr = float(np.exp(res_b.params.iloc[0]))
    ci = np.exp(res_b.conf_int().to_numpy()[0])
    nrw = nrw_tfr().set_index("year").tfr
    nrw_txt = "; ".join(f"{y}: {fmt_dec(v, 2)}" for y, v in nrw.items() if y >= 2018)
    rows.append(
        (
            "fertility",
            "tfr",
            "",
            tfr,
            "children_per_woman",
            f"{SRC_BIRTHS}; {SRC_POP}",
            "2023–2024",
            "Poisson-GLM der Lebendgeborenen mit Offset log(Σ Frauen-Exposition × Altersprofil), gepoolt",
            f"95-%-KI {fmt_dec(ci[0], 3)}–{fmt_dec(ci[1], 3)}; Devianz {fmt_dec(res_b.deviance, 2)} bei "
            f"{int(res_b.df_resid)} FG; NRW (IT.NRW): {nrw_txt}",
        )
    )
    for y in years:
        pred = tfr_by_year[y] * off[y]
        rows.append(
            (
                "fertility",
                "tfr_year",
                str(y),
                tfr_by_year[y],
                "children_per_woman",
                SRC_BIRTHS,
                str(y),
                "Poisson-GLM mit Jahreseffekten (exakte Anpassung der Jahreszahl)",
                f"beobachtet {fmt_int(b[y])} Geburten, angepasst {fmt_int(pred)}"
                + (f"; NRW {fmt_dec(nrw[y], 2)}" if y in nrw.index else ""),
            )
        )
    sens = []
    for mean in (MEAN_AGE_AT_BIRTH - 1.0, MEAN_AGE_AT_BIRTH + 1.0):
        phi_m = fertility_schedule(mean)
        expected = sum(float((exp[y][0] * phi_m).sum()) for y in by)
        sens.append(f"{fmt_dec(mean, 1)} Jahre → TFR {fmt_dec(float(b.loc[by].sum()) / expected, 3)}")
    rows.append(
        (
            "fertility",
            "mean_age_at_birth",
            "",
            MEAN_AGE_AT_BIRTH,
            "years",
            "Annahme; Destatis: 30,3 Jahre bei der ersten Geburt 2023 (Pressemitteilung 17.07.2024)",
            "–",
            f"Gamma-förmiges Altersprofil 15–49, Standardabweichung {fmt_dec(SD_AGE_AT_BIRTH, 1)} Jahre",
            "nicht aus Kreisdaten schätzbar (keine altersspezifischen Geburten); bestimmt die Altersverteilung "
            "und über die Exposition die geschätzte TFR. Empfindlichkeit: " + "; ".join(sens),
        )
    )
    bs = ev[(ev.event == "births") & ev.sex.isin(SEXES)].groupby("sex").value.sum()
    srb = float(bs["male"] / bs["female"])
    n = float(bs.sum())
    p = bs["male"] / n
    se = np.sqrt(p * (1 - p) / n)
    lo, hi = (p - 1.96 * se) / (1 - p + 1.96 * se), (p + 1.96 * se) / (1 - p - 1.96 * se)
    rows.append(
        (
            "fertility",
            "sex_ratio_at_birth",
            "",
            srb,
            "boys_per_girl",
            SRC_BIRTHS,
            "2020–2024",
            "Verhältnis der Lebendgeborenen Jungen/Mädchen",
            f"{fmt_int(n)} Geburten; 95-%-KI {fmt_dec(lo, 3)}–{fmt_dec(hi, 3)}",
        )
    )
    return phi, tfr, tfr_by_year, srb


def _migration(rows: list) -> tuple[np.ndarray, np.ndarray, float, dict]:
    ev = _events()
    mig = ev[
        ev.event.isin(["in_migration", "out_migration"])
        & ev.sex.isin(SEXES)
        & ev.age_group.isin(MIGRATION_GROUPS)
    ]
    tot = ev[
        ev.event.isin(["in_migration", "out_migration"]) & (ev.sex == "total") & (ev.age_group == "total")
    ].pivot(index="year", columns="event", values="value")
    net_by_year = {int(y): float(r.in_migration - r.out_migration) for y, r in tot.iterrows()}
    exp = _exposures(ESTIMATION_YEARS)
    exposure = sum(exp.values())  # person-years 2020–2024, (2, A)
    arrs = {}
    for event in ("in_migration", "out_migration"):
        g = (
            mig[mig.event == event]
            .groupby(["sex", "age_group"])
            .value.sum()
            .unstack("age_group")
            .loc[list(SEXES), list(MIGRATION_GROUPS)]
            .to_numpy(dtype=float)
        )
        arrs[event] = graduate_by_exposure(g, exposure, MIGRATION_LOWER_BOUNDS)
    dist = arrs["in_migration"] / arrs["in_migration"].sum()
    out_rate = arrs["out_migration"] / exposure
    net = float(np.median(list(net_by_year.values())))
    yrs = "; ".join(f"{y}: {fmt_int(v)}" for y, v in net_by_year.items())
    rows.append(
        (
            "migration",
            "net_migration_recent",
            "",
            net,
            "persons_per_year",
            SRC_MIG,
            "2020–2024",
            "Median der fünf Jahressalden (robust gegen den Zuzug aus der Ukraine 2022); geht zur Hälfte in "
            "die Basis ein",
            f"Jahressalden {yrs}; Mittelwert {fmt_int(np.mean(list(net_by_year.values())))}",
        )
    )
    total_out = float(arrs["out_migration"].sum()) / 5
    rows.append(
        (
            "migration",
            "out_migration_rate",
            "",
            1000 * arrs["out_migration"].sum() / exposure.sum(),
            "per_1000_per_year",
            f"{SRC_MIG}; {SRC_POP}",
            "2020–2024",
            "Fortzüge nach Geschlecht × 6 Altersgruppen je Person, auf Einzelalter verteilt (gleitender "
            "5-Jahres-Durchschnitt der Gruppenraten, Gruppensummen exakt); Fortzüge = Rate × Bevölkerung",
            f"durchschnittlich {fmt_int(total_out)} Fortzüge je Jahr",
        )
    )
    peak = int(np.argmax(dist.sum(axis=0)))
    rows.append(
        (
            "migration",
            "in_migration_modal_age",
            "",
            float(peak),
            "years",
            SRC_MIG,
            "2020–2024",
            "Verteilung der Zuzüge nach Geschlecht × Einzelalter; Zuzüge = (Nettoziel + Fortzüge) × Verteilung",
            f"Anteil Frauen an den Zuzügen {fmt_dec(100 * dist[0].sum(), 1)} %",
        )
    )
    return dist, out_rate, net, net_by_year


def _municipal_excess(rows: list, qx, phi, tfr, srb, dist, out_rate, net) -> np.ndarray:
    """Residual method: municipal excess net migration d_r (persons/year), Σ d_r = 0."""
    base = base_population()
    P = np.asarray(base.population)
    s = survival_ratios(qx, female=FEMALE_MASK)
    r = step(
        P,
        survival=s[None],
        infant_survival=infant_survival(qx, female=FEMALE_MASK)[None],
        fertility=(tfr * phi)[None],
        sex_ratio_at_birth=srb,
        net_migration=np.zeros_like(P),
    )
    natural_rate = (r.births.sum(axis=-1) - r.deaths.sum(axis=(-2, -1))) / P.sum(axis=(-2, -1))
    t = municipal_totals(year_end_only=True, official_only=True)
    y0, y1 = RESIDUAL_PERIOD
    p0 = t[t.year == y0].set_index("ags").population.reindex(list(AGS_LIST)).to_numpy(dtype=float)
    p1 = t[t.year == y1].set_index("ags").population.reindex(list(AGS_LIST)).to_numpy(dtype=float)
    years = y1 - y0
    natural = natural_rate * 0.5 * (p0 + p1) * years
    resid = (p1 - p0 - natural) / years  # persons/year
    share = 0.5 * (p0 + p1) / (0.5 * (p0 + p1)).sum()
    excess = resid - share * resid.sum()
    rows.append(
        (
            "migration",
            "residual_migration_total",
            "",
            float(resid.sum()),
            "persons_per_year",
            SRC_GV,
            f"{y0}–{y1}",
            "Bevölkerungszuwachs laut amtlichen Gemeindesummen minus geschätzte "
            "natürliche Bewegung (Kreisraten auf die Basisaltersstruktur der Gemeinde)",
            f"zum Vergleich amtlicher Kreissaldo 2020–2023 im Mittel "
            f"{fmt_int(np.mean(list(_migration_years()[:4])))} (andere Jahre, andere Zensusbasis)",
        )
    )
    _rows_by(
        rows,
        AGS_LIST,
        ("migration", "municipal_excess", "persons_per_year"),
        excess,
        source=SRC_GV,
        period=f"{y0}–{y1}",
        method="Residualmethode: Gemeindesaldo = Bevölkerungsanteil × Kreissaldo + Überschuss (Σ = 0); "
        + (
            "in der Vorausberechnung NICHT verwendet (Rückrechnung: ohne Überschuss genauer)"
            if EXCESS_DAMPING == 0.0
            else f"in der Vorausberechnung je Jahr mit dem Faktor {fmt_dec(EXCESS_DAMPING, 2)} gedämpft"
        ),
        fit=[
            f"Residualsaldo {fmt_int(r)} je Jahr, Bevölkerungsanteil {fmt_dec(100 * sh, 1)} %"
            for r, sh in zip(resid, share, strict=True)
        ],
    )
    return excess


def _basis_net_migration(rows: list, a0: Assumptions, recent: float) -> tuple[float, float]:
    """Basis Kreis net migration: composite of the recent level and the level that keeps the Kreis constant.

    ``KREIS_COMPOSITE_WEIGHT × recent + (1 − KREIS_COMPOSITE_WEIGHT) × (−natural change)``,
    the natural change of the first projection year (model rates on the base population).
    Returns (Basis level, level that keeps the population constant), persons per year.
    """
    from dashboard.projection.engine import mortality_for_year  # engine imports this module

    P = np.asarray(a0.base.population).sum(axis=0)[None]
    qx = mortality_for_year(a0, a0.base.year + 1)
    r = step(
        P,
        survival=survival_ratios(qx, female=FEMALE_MASK)[None],
        infant_survival=infant_survival(qx, female=FEMALE_MASK)[None],
        fertility=(a0.tfr * np.asarray(a0.fertility_shape))[None],
        sex_ratio_at_birth=a0.sex_ratio_at_birth,
        net_migration=np.zeros_like(P),
    )
    constant = -float(r.births.sum() - r.deaths.sum())
    w = KREIS_COMPOSITE_WEIGHT
    basis = w * recent + (1 - w) * constant
    rows.append(
        (
            "migration",
            "net_migration",
            "",
            basis,
            "persons_per_year",
            SRC_MIG,
            f"{a0.base.year + 1}–2045",
            f"Mittel aus dem Saldo 2020–2024 (Median {fmt_int(recent)}) und dem Saldo, der die Einwohnerzahl des "
            f"Kreises konstant hielte ({fmt_int(constant)} = Sterbeüberschuss {a0.base.year + 1}), Gewichte "
            f"{fmt_dec(w, 2)} / {fmt_dec(1 - w, 2)} (Kombination mit der Konstanz-Methode nach Smith, Tayman & "
            "Swanson; in der Rückrechnung 2009–2023 genauer als die Fortschreibung des Saldos allein)",
            "Rückrechnung der Gemeindesummen (mittlerer MAPE): siehe Tabelle Rückrechnung",
        )
    )
    return basis, constant


def _mortality_improvement(rows: list) -> np.ndarray:
    """Annual gain of life expectancy at birth (female, male) in the Basis (years per year)."""
    e0_de = life_expectancy(_germany_qx(), female=FEMALE_MASK)
    gain = (np.asarray(E0_2070_L2) - e0_de) / (2070 - MORTALITY_YEAR)
    nrw = _nrw_e0_trend()
    _rows_by(
        rows,
        SEXES,
        ("mortality", "e0_gain_per_year", "years_per_year"),
        gain,
        source=SRC_L2,
        period=f"{MORTALITY_YEAR}–2070",
        method=[
            f"linear von der Sterbetafel Deutschland 2023/25 ({fmt_dec(now, 1)} Jahre) zur Annahme L2 "
            f"für 2070 ({fmt_dec(l2, 1)} Jahre); der Kreis erhält denselben Zuwachs, alle "
            "Sterberaten werden proportional gesenkt"
            for now, l2 in zip(e0_de, E0_2070_L2, strict=True)
        ],
        fit=[
            f"zum Vergleich NRW 2004/06 → 2017/19: {fmt_dec(v, 3)} Jahre je Jahr (IT.NRW, vor der Pandemie)"
            for v in nrw
        ],
    )
    return gain


def _nrw_e0_trend() -> np.ndarray:
    """NRW gain of e0 per year 2004/06 → 2017/19 (female, male) from the IT.NRW figures."""
    e = nrw_life_expectancy()
    out = []
    for sex in SEXES:
        s = e[e.sex == sex].set_index("year_mid").e0
        out.append(float((s.loc[2018] - s.loc[2005]) / 13))
    return np.array(out)


def _reference_gaps() -> tuple[float, float]:
    """Female − male e0: Germany 2023/25 (life table 12621-0001) and NRW 2021/23 (IT.NRW, quoted)."""
    de = life_expectancy(_germany_qx(), female=FEMALE_MASK)
    e = nrw_life_expectancy()
    last = e[e.year_mid == e.year_mid.max()].set_index("sex").e0
    return float(de[0] - de[1]), float(last["female"] - last["male"])


def _gap_verdict(lo: float, hi: float) -> str:
    """German verdict of the plausibility check: are the German and NRW gaps inside [lo, hi]?"""
    inside = [lo <= g <= hi for g in _reference_gaps()]
    if all(inside):
        return "plausibel: Deutschland und NRW liegen im Intervall"
    if any(inside):
        return "nur einer der Vergleichswerte liegt im Intervall"
    return (
        "auffällig: Deutschland und NRW liegen außerhalb des Intervalls. Mögliche Gründe: nur zwei Jahre "
        "Sterbefälle, Schwankung zwischen den Jahren, geschätzte Geschlechteraufteilung der Hochbetagten. "
        "Die Niveaus werden nicht angeglichen (keine belastbare Regel); sie sind die Schätzung aus den Daten"
    )


def _e0_gap_row(rows: list, e0: np.ndarray, se: float) -> None:
    gap = float(e0[0] - e0[1])
    lo, hi = gap - 1.96 * se, gap + 1.96 * se
    gap_de, gap_nrw = _reference_gaps()
    rows.append(
        (
            "mortality",
            "e0_gap",
            "",
            gap,
            "years",
            f"{SRC_LIFETABLE}; abgeleitet",
            "2023–2024",
            "Plausibilitätsprüfung der geschätzten Sterblichkeitsniveaus",
            f"95-%-KI {fmt_dec(lo, 2)}–{fmt_dec(hi, 2)} Jahre (Überdispersion berücksichtigt); "
            f"Deutschland 2023/25: {fmt_dec(gap_de, 2)} Jahre; NRW 2021/23: {fmt_dec(gap_nrw, 2)} Jahre; "
            + _gap_verdict(lo, hi),
        )
    )


def _municipal_profiles(rows: list, a0: Assumptions) -> tuple[np.ndarray, np.ndarray]:
    """Municipal migration propensities (R, A) and fertility factors (R,) fitted on the two censuses."""
    from dashboard.projection.agedynamics import production_profiles  # it imports this module

    prof = production_profiles(a0)
    _rows_by(
        rows,
        AGS_LIST,
        ("migration", "in_migration_propensity", "factor_20_29"),
        [g[20:30].mean() for g in prof.propensity],
        source=f"{SRC_Z11}; {SRC_Z22}",
        period="09.05.2011–15.05.2022",
        method="Zuzüge des Kreises nach Alter verteilt nach dem Bevölkerungsanteil der Gemeinde in diesem Alter × "
        "Zuzugsneigung der Gemeinde (stückweise linear über das Alter, Knoten "
        + ", ".join(str(k) for k in prof.nodes)
        + f" Jahre), angepasst an den Zensus 2022, zum Kreis hin gestaucht (Strafterm {prof.penalty:g})",
        fit=[
            "Faktoren 0–9 / 20–29 / 40–59 / 70–89 Jahre: "
            + " / ".join(
                fmt_dec(float(g[lo:hi].mean()), 2) for lo, hi in ((0, 10), (20, 30), (40, 60), (70, 90))
            )
            for g in prof.propensity
        ],
    )
    _rows_by(
        rows,
        AGS_LIST,
        ("fertility", "fertility_level", "factor"),
        prof.fertility,
        source=SRC_Z22,
        period="15.05.2022",
        method="Kinder 0–5 Jahre je Frau 15–49 (Zensus 2022; Frauen aus der Fortschreibung 2011→2022) im "
        "Verhältnis zum Kreis, zum Kreis hin gestaucht (empirischer Bayes: Streuung zwischen den Gemeinden "
        "gegen Zufallsschwankung der Kinderzahl)",
        fit=[
            f"Verhältnis beobachtet {fmt_dec(r, 3)}, Gewicht {fmt_dec(w, 2)}"
            for r, w in zip(prof.fertility_ratio, prof.fertility_weight, strict=True)
        ],
    )
    return prof.propensity, prof.fertility


def _migration_years() -> list[float]:
    ev = _events()
    tot = (
        ev[ev.event.isin(["in_migration", "out_migration"]) & (ev.sex == "total") & (ev.age_group == "total")]
        .pivot(index="year", columns="event", values="value")
        .sort_index()
    )
    return list((tot.in_migration - tot.out_migration).astype(float))


def _base_method(estimated: bool) -> str:
    text = "Gemeinden × Geschlecht × Einzelalter 0–100+" + (
        " (Altersstruktur der Gemeinden geschätzt)" if estimated else ""
    )
    return f"{text}. {estimation_report().method_de.strip()}"


def _ro(a: np.ndarray) -> np.ndarray:
    a = np.array(a, dtype=float)
    a.setflags(write=False)
    return a


@one_data_version()
def estimate_assumptions() -> Assumptions:
    """Estimate every assumption from the embedded official data (~0.3 s + statsmodels import).

    Cached per data version (:func:`dashboard.data.data_version`).

    Returns
    -------
    :class:`Assumptions` (arrays read-only; ``table`` must not be mutated by callers).
    """
    return _estimate_assumptions(data_version())


def _base_fit(base) -> str:
    """Does the base sum to the official Kreis table? (A base year without a separate Kreis table,
    e.g. a published complete municipal table for a later year, is the Kreis table itself.)"""
    try:
        kreis = kreis_single_age(base.year).sum()
    except KeyError:
        return "Summe der amtlichen Gemeindetabellen (= amtliche Kreisbevölkerung)"
    if abs(np.asarray(base.population).sum() - kreis) < 0.5:
        return "Summe = amtliche Kreisbevölkerung"
    return "weicht von der amtlichen Kreissumme ab"


@functools.lru_cache(maxsize=4)
def _estimate_assumptions(token: tuple) -> Assumptions:
    rows: list = []
    base = base_population()
    qx, level, e0, gap_se = _mortality(rows)
    phi, tfr, tfr_by_year, srb = _fertility(rows)
    dist, out_rate, net, net_by_year = _migration(rows)
    excess = _municipal_excess(rows, qx, phi, tfr, srb, dist, out_rate, net)
    gain = _mortality_improvement(rows)
    _e0_gap_row(rows, e0, gap_se)
    common = dict(
        qx=_ro(qx),
        mortality_level=_ro(level),
        e0=_ro(e0),
        fertility_shape=_ro(phi),
        tfr=tfr,
        tfr_by_year=tfr_by_year,
        sex_ratio_at_birth=srb,
        in_migration_distribution=_ro(dist),
        out_migration_rate=_ro(out_rate),
        net_migration=net,
        net_migration_by_year=net_by_year,
        municipal_excess=_ro(excess if EXCESS_DAMPING else np.zeros_like(excess)),
        base=base,
        e0_gain_per_year=tuple(float(x) for x in gain),
        mortality_year=MORTALITY_YEAR,
        excess_damping=EXCESS_DAMPING,
    )
    a0 = Assumptions(table=pd.DataFrame(), **common)
    basis_net, constant_net = _basis_net_migration(rows, a0, net)
    common.update(net_migration=basis_net, net_migration_recent=net, net_migration_constant=constant_net)
    a0 = Assumptions(table=pd.DataFrame(), **common)
    propensity, fertility = _municipal_profiles(rows, a0)
    est = bool(np.asarray(base.estimated).any())
    rows.insert(
        0,
        (
            "base_population",
            "population",
            str(base.year),
            float(np.asarray(base.population).sum()),
            "persons",
            base.source,
            f"31.12.{base.year}",
            _base_method(est),
            _base_fit(base),
        ),
    )
    table = pd.DataFrame(rows, columns=list(ASSUMPTION_COLUMNS))
    return Assumptions(
        table=table, municipal_propensity=_ro(propensity), municipal_fertility=_ro(fertility), **common
    )


assert BASE_YEAR == 2024


def method_text_de(a: Assumptions | None = None) -> str:
    """German description of the projection method with the estimated values (Methodik page).

    Plain text, several paragraphs separated by blank lines; numbers in German format.
    """
    a = a or estimate_assumptions()
    e0f, e0m = (fmt_dec(x, 1) for x in a.e0)
    return "\n\n".join(
        [
            "Die Vorausberechnung ist ein Kohorten-Komponenten-Modell: Ausgehend vom Bevölkerungsstand "
            "31.12.2024 jeder Gemeinde nach Geschlecht und Einzelalter (0 bis 100 und älter) wird die "
            "Bevölkerung Jahr für Jahr fortgeschrieben. Die Überlebenden eines Jahrgangs werden ein Jahr älter, "
            "Geburten ergeben sich aus altersspezifischen Geburtenziffern der Frauen von 15 bis 49 Jahren "
            "(Mittel aus Jahresanfangs- und Jahresendbestand), Zu- und Fortzüge werden zur Jahresmitte "
            "angenommen. Für jedes Jahr gilt in jeder Zelle: Bestand am Jahresende = Bestand am Jahresanfang "
            "+ Geburten − Sterbefälle + Wanderungssaldo.",
            f"Sterblichkeit: Sterbetafel Deutschland 2023/25, mit einem Sterblichkeitsniveau für den Kreis "
            f"(Poisson-Regression der Sterbefälle 2023–2024). Daraus folgt eine Lebenserwartung bei Geburt von "
            f"{e0f} Jahren für Frauen und {e0m} Jahren für Männer. In der Basis steigt sie weiter, um "
            f"{fmt_dec(a.e0_gain_per_year[0], 2)} (Frauen) und {fmt_dec(a.e0_gain_per_year[1], 2)} (Männer) Jahre "
            "je Jahr – so wie in der mittleren Annahme (L2) der 15. koordinierten Bevölkerungsvorausberechnung "
            "des Statistischen Bundesamts.",
            f"Geburten: Die zusammengefasste Geburtenziffer des Kreises wird aus den Geburten 2023–2024 geschätzt "
            f"({fmt_dec(a.tfr, 2)} Kinder je Frau); das Altersprofil der Mütter ist eine Annahme "
            f"(Durchschnittsalter {fmt_dec(MEAN_AGE_AT_BIRTH, 1)} Jahre), weil für den Kreis keine "
            f"altersspezifischen Geburtenzahlen vorliegen. Jede Gemeinde hat ein eigenes Geburtenniveau aus "
            f"ihrem Verhältnis von Kleinkindern zu Frauen im Zensus 2022, zum Kreiswert hin abgeschwächt.",
            f"Wanderung: Fortzüge als Raten nach Alter und Geschlecht, Zuzüge als Altersverteilung, beides aus "
            f"den Wanderungen über die Kreisgrenze 2020–2024. Im Basisszenario beträgt der Wanderungssaldo des "
            f"Kreises {fmt_int(a.net_migration)} Personen je Jahr: die Hälfte des Saldos 2020–2024 (Median "
            f"{fmt_int(a.net_migration_recent)}) und die Hälfte des Saldos, der die Einwohnerzahl konstant hielte "
            f"({fmt_int(a.net_migration_constant)}). Diese Mischung hat in der Rückrechnung die Einwohnerzahlen der "
            "Gemeinden genauer getroffen als die Fortschreibung des jüngsten Saldos. Die Gemeinden erhalten ihren "
            "Bevölkerungsanteil am Saldo; die Zuzüge jedes Alters verteilen sich nach dem Anteil der Gemeinde an den "
            "Einwohnern dieses Alters und nach einer Zuzugsneigung der Gemeinde, die aus der Entwicklung zwischen "
            "den Zensus 2011 und 2022 geschätzt ist. So behält eine ältere Gemeinde ihre Altersstruktur, statt "
            "sich durch Zuzüge im Kreisprofil dem Kreis anzugleichen.",
            "Die Altersstruktur der Gemeinden im Basisjahr ist geschätzt; alle Ergebnisse für Gemeinden nach "
            "Alter sind daher als Schätzung gekennzeichnet. Die Rückrechnung (Backtest) zeigt, wie genau das "
            "Modell frühere Entwicklungen getroffen hätte; die größte Unsicherheit liegt in der Wanderung.",
        ]
    )
