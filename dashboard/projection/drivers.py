"""Stochastic models of the projection's drivers (fertility, life expectancy, migration).

The probabilistic layer needs to know how far the drivers of the projection may wander
from the assumption of a scenario, and how that spread grows with the horizon. The
official series behind those drivers are short, so the models are deliberately small:

============  ===================================================  ============  =========
driver        series (annual, gaps kept as missing values)         transform     unit
============  ===================================================  ============  =========
``tfr``       NRW total fertility rate 2013–2024 (2021, 2022       log           children
              missing), IT.NRW quoted                                            per woman
``e0_female`` NRW period life expectancy at birth, 3-year periods  identity      years
``e0_male``   2004/06 … 2021/23 placed at their middle year
              (2005, 2006, 2015–2018, 2021, 2022; the rest missing)
``migration`` annual growth rate ``log(P_t / P_{t-1})`` of the     identity      1/year
              Kreis Düren total, BBSR 1990–2020 (rounded to 100);
              growth over the Zensus-2011 break (2011→2012) is
              missing. Annual Kreis growth is dominated by net
              migration, so its variability is a 30-year proxy
              for the variability of net migration, of which only
              five years (2020–2024) are published for the Kreis.
============  ===================================================  ============  =========

Every series is fitted by small candidate ARIMA models from
:class:`statsmodels.tsa.statespace.sarimax.SARIMAX` (a state-space model whose Kalman
filter accepts the missing years as ``NaN`` instead of filling them). For the levels
(log TFR, e0): a random walk ARIMA(0,1,0), a random walk with drift, ARIMA(0,1,1) (the
reduced form of the local level model) and a stationary AR(1) with a constant. For the
migration proxy, a growth *rate*, only stationary models: white noise around a constant
and AR(1) with a constant (a unit root in a growth rate would let growth drift
without bound; the UN's probabilistic projections model net migration rates as AR(1),
Azose & Raftery 2015). Candidates are compared by AIC and BIC on a *common sample*: a
differenced model's first observation only initialises its (diffuse) state, so the
stationary model's log-likelihood contribution of that first observation is left out
too. The model with the lowest BIC is used (BIC penalises parameters more, which suits
8–29 observations).

Only the *spread* of the chosen models is used: the projection keeps the scenario's own
assumption as the centre, and a draw adds a centred deviation. The migration deviations
are rescaled afterwards by a factor calibrated on the Kreis's backtest errors
(:class:`dashboard.projection.calibration.DriverScale`); this module supplies their shape. For an ARIMA model a
deviation is a sum of innovations weighted by the model's impulse responses,
``d_h = sum_{j<=h} psi_{h-j} eps_j``. For the random-walk-type levels (TFR, e0) only
innovations after the base year count, so the deviation's variance equals the model's
forecast variance (a test checks this against ``get_forecast().var_pred_mean``). For the
stationary migration proxy the scenario's net migration is the process's mean, and the
innovations of the past 100 years are drawn too, so the deviation has the stationary
variance from the first projected year on (a projection centred on a mean level does
not know where the process currently is).

Joint draws: the innovations of the two life expectancies are correlated with the
correlation of their one-step residuals in the years where both exist; fertility and
migration are drawn independently of each other and of mortality (their common
residual years are too few to estimate a correlation; the sample correlations are
reported by :func:`residual_correlations`).

statsmodels is imported inside the functions (``statsmodels.api`` costs about two
seconds); fitted models are cached per process.
"""

from __future__ import annotations

import functools
import threading
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.data import nrw_life_expectancy, nrw_tfr, vital_events
from dashboard.data.embedded import KREIS_BBSR_SERIES_FILE, kreis_age_groups, kreis_bbsr_series

#: Driver names in the order of the driver axis of :class:`DriverDraws`.
DRIVERS: tuple[str, ...] = ("tfr", "e0_female", "e0_male", "migration")

#: Candidate models for levels that may drift (log TFR, e0): name -> (SARIMAX order, trend).
LEVEL_CANDIDATES: dict[str, tuple[tuple[int, int, int], str | None]] = {
    "ARIMA(0,1,0)": ((0, 1, 0), None),
    "ARIMA(0,1,0)+drift": ((0, 1, 0), "c"),
    "ARIMA(0,1,1)": ((0, 1, 1), None),
    "AR(1)+const": ((1, 0, 0), "c"),
}
#: Candidate models for the migration proxy (a growth *rate*): stationary only. A unit root
#: in a growth rate would let population growth drift without bound; net migration rates
#: are modelled as mean-reverting AR(1) processes in the probabilistic projections of the
#: UN (Azose & Raftery 2015, bayesPop).
#: (ARMA(1,1) with a constant was compared during development — BIC −199.4 against −200.6
#: for AR(1) on 1991–2020 — and is not refitted at run time: its fit is slow.)
RATE_CANDIDATES: dict[str, tuple[tuple[int, int, int], str | None]] = {
    "ARIMA(0,0,0)+const": ((0, 0, 0), "c"),
    "AR(1)+const": ((1, 0, 0), "c"),
}
#: Candidate set per driver.
CANDIDATES: dict[str, dict[str, tuple[tuple[int, int, int], str | None]]] = {
    "tfr": LEVEL_CANDIDATES,
    "e0_female": LEVEL_CANDIDATES,
    "e0_male": LEVEL_CANDIDATES,
    "migration": RATE_CANDIDATES,
}

#: First year of growth in the migration proxy. The early 1990s (1991–1995: Kreis growth of
#: 0.6–3.6 % a year from the inflows after reunification and of Aussiedler) are left out: they
#: are not a relevant regime for today's migration and doubled the proxy's variability; with
#: them the backtest intervals covered 93 % / 98 % instead of 80 % / 95 % (issue 11).
MIGRATION_SERIES_START: int = 1996
#: Growth over this year spans the Zensus-2011 break of the BBSR series (2011 is still on
#: the VZ-1987 basis, 2012 on the Zensus-2011 basis) and is therefore missing.
CENSUS_BREAK_YEARS: frozenset[int] = frozenset({2012})


@dataclass(frozen=True)
class DriverSeries:
    """One annual driver series as fitted (``values`` transformed, missing years NaN; ``unit`` is a
    unit code, German in :data:`dashboard.text.UNITS`)."""

    name: str
    values: pd.Series
    transform: str
    unit: str
    source: str


@dataclass(frozen=True)
class DriverModel:
    """The chosen model of one driver.

    Attributes
    ----------
    name : driver name (one of :data:`DRIVERS`).
    model : candidate name (key of :data:`CANDIDATES`).
    transform : ``"log"`` or ``"identity"`` (scale on which deviations are additive).
    params : fitted parameters, name -> value.
    sigma2 : innovation variance (transformed scale, per year).
    psi : impulse responses ``psi_0 … psi_{H-1}`` (``psi_0 = 1``), length
        ``MAX_STEPS + PAST_STEPS``.
    stationary : True for a model without differencing (its deviations start from the
        stationary distribution, see :func:`draw_drivers`).
    last_year : last year with data.
    comparison : AIC/BIC of all candidates (``driver, model, k, nobs, llf, aic, bic,
        converged, selected``).
    forecast_var : statsmodels' forecast variance at horizons 1 … MAX_STEPS (reference).
    residuals : standardised one-step residuals in the observed years.
    """

    name: str
    model: str
    transform: str
    params: dict[str, float]
    sigma2: float
    psi: np.ndarray = field(repr=False)
    last_year: int
    comparison: pd.DataFrame = field(repr=False)
    forecast_var: np.ndarray = field(repr=False)
    residuals: pd.Series | None = field(default=None, repr=False)
    stationary: bool = False

    def deviation_sd(self, steps: int) -> np.ndarray:
        """Standard deviation of the forecast deviation (conditional on the data) at horizons 1 … ``steps``."""
        return np.sqrt(self.sigma2 * np.cumsum(self.psi[:steps] ** 2))

    def draw_sd(self, steps: int) -> np.ndarray:
        """Standard deviation of the deviations drawn by :func:`draw_drivers` at horizons 1 … ``steps``.

        Equals :meth:`deviation_sd` for differenced models; for stationary models it adds
        ``PAST_STEPS`` years of past innovations (≈ the stationary standard deviation).
        """
        if not self.stationary:
            return self.deviation_sd(steps)
        c = np.cumsum(self.psi**2)
        return np.sqrt(self.sigma2 * c[PAST_STEPS : PAST_STEPS + steps])


#: Longest horizon of a draw (years after the base year).
MAX_STEPS: int = 40
#: Past innovations drawn for stationary models (burn-in to the stationary distribution).
PAST_STEPS: int = 100


@functools.cache
def _driver_series() -> dict[str, DriverSeries]:
    out: dict[str, DriverSeries] = {}
    t = nrw_tfr().set_index("year").tfr
    years = range(int(t.index.min()), int(t.index.max()) + 1)
    out["tfr"] = DriverSeries(
        "tfr",
        np.log(t.reindex(years)),
        "log",
        "children_per_woman",
        "IT.NRW (zitiert), figures/fertility_mortality_nrw_from_pages.csv",
    )
    e = nrw_life_expectancy()
    for sex in ("female", "male"):
        s = e[e.sex == sex].set_index("year_mid").e0
        years = range(int(s.index.min()), int(s.index.max()) + 1)
        out[f"e0_{sex}"] = DriverSeries(
            f"e0_{sex}",
            s.reindex(years).astype(float),
            "identity",
            "years",
            "IT.NRW (zitiert), figures/fertility_mortality_nrw_from_pages.csv",
        )
    p = kreis_bbsr_series()
    g = np.log(p).diff().iloc[1:]
    g = g[g.index >= MIGRATION_SERIES_START]
    g[g.index.isin(list(CENSUS_BREAK_YEARS))] = np.nan
    out["migration"] = DriverSeries(
        "migration", g, "identity", "growth_rate_per_year", "BBSR, " + KREIS_BBSR_SERIES_FILE
    )
    return out


def driver_series() -> dict[str, DriverSeries]:
    """The four annual driver series as fitted (see the module docstring).

    Returns
    -------
    dict name -> :class:`DriverSeries`; ``values`` is indexed by calendar year, on the
    transformed scale (log TFR; e0 in years; Kreis growth rate per year), NaN where no
    official figure exists.
    """
    return dict(_driver_series())


def _fit_one(y: np.ndarray, order, trend):
    from statsmodels.tsa.statespace.sarimax import SARIMAX

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tiny samples: convergence/start-value warnings
        mod = SARIMAX(y, order=order, trend=trend)
        return mod.fit(disp=False)


def fit_driver(
    series: DriverSeries,
    *,
    criterion: str = "bic",
    candidates: dict[str, tuple[tuple[int, int, int], str | None]] | None = None,
) -> DriverModel:
    """Fit the candidate models to one series, compare them, return the chosen one.

    Parameters
    ----------
    series : the driver series (missing years as NaN).
    criterion : ``"bic"`` (default) or ``"aic"``.
    candidates : name -> (order, trend); default ``CANDIDATES[series.name]``.

    Returns
    -------
    DriverModel whose ``comparison`` lists every candidate's number of parameters ``k``,
    the number of observations in the common sample ``nobs``, the log-likelihood on that
    sample ``llf`` and ``aic = 2k - 2 llf``, ``bic = k log(nobs) - 2 llf``.
    """
    if criterion not in ("aic", "bic"):
        raise ValueError(f"criterion must be 'aic' or 'bic', not {criterion!r}")
    y = series.values.to_numpy(float)
    cands = CANDIDATES[series.name] if candidates is None else candidates
    fits = {name: _fit_one(y, order, trend) for name, (order, trend) in cands.items()}
    burn = max(r.loglikelihood_burn for r in fits.values())
    observed = ~np.isnan(y)
    n = int(observed[burn:].sum())
    rows = []
    for name, r in fits.items():
        llf = float(np.asarray(r.llf_obs)[burn:][observed[burn:]].sum())
        k = len(r.params)
        conv = bool((r.mle_retvals or {}).get("converged", True))
        rows.append(
            {
                "driver": series.name,
                "model": name,
                "k": k,
                "nobs": n,
                "llf": llf,
                "aic": 2 * k - 2 * llf,
                "bic": k * np.log(n) - 2 * llf,
                "converged": conv,
            }
        )
    table = pd.DataFrame(rows)
    best = table.loc[table[criterion].idxmin(), "model"]
    table["selected"] = table.model == best
    r = fits[best]
    params = {k: float(v) for k, v in zip(r.model.param_names, r.params)}
    psi = np.asarray(r.impulse_responses(steps=MAX_STEPS + PAST_STEPS - 1)).ravel()
    fvar = np.asarray(r.get_forecast(MAX_STEPS).var_pred_mean).ravel()
    res = pd.Series(np.asarray(r.standardized_forecasts_error).ravel(), index=series.values.index)
    res.iloc[: r.loglikelihood_burn] = np.nan
    return DriverModel(
        name=series.name,
        model=best,
        transform=series.transform,
        params=params,
        sigma2=params["sigma2"],
        psi=psi,
        last_year=int(series.values.index[-1]),
        comparison=table,
        forecast_var=fvar,
        residuals=res[series.values.notna()],
        stationary=cands[best][0][1] == 0,
    )


_FIT_LOCK = threading.Lock()


def _fitted_model(name: str, until: int | None) -> DriverModel:
    # one fit per process even when several threads (app warm-up, callbacks) ask at once
    with _FIT_LOCK:
        return _fitted_model_unlocked(name, until)


@functools.cache
def _fitted_model_unlocked(name: str, until: int | None) -> DriverModel:
    s = _driver_series()[name]
    if until is not None:
        s = DriverSeries(s.name, s.values.loc[:until], s.transform, s.unit, s.source)
    return fit_driver(s)


def _fitted_models(migration_until: int | None = None) -> dict[str, DriverModel]:
    return {name: _fitted_model(name, migration_until if name == "migration" else None) for name in DRIVERS}


def fitted_models(*, migration_until: int | None = None) -> dict[str, DriverModel]:
    """The chosen model per driver, fitted once per process (cached).

    Parameters
    ----------
    migration_until : fit the migration proxy only on growth up to this year (ex-ante
        models for the backtest). The fertility and life-expectancy series start too late
        (2013, 2005) to be cut at a backtest base year and are always fitted in full.
    """
    return dict(_fitted_models(migration_until))


def model_comparison() -> pd.DataFrame:
    """AIC/BIC of every candidate model for every driver (one row per driver × model)."""
    return pd.concat([m.comparison for m in _fitted_models().values()], ignore_index=True)


@functools.cache
def _residual_correlations() -> pd.DataFrame:
    res = pd.DataFrame({n: _fitted_model(n, None).residuals for n in DRIVERS})
    rows = []
    for i, a in enumerate(DRIVERS):
        for b in DRIVERS[i + 1 :]:
            both = res[[a, b]].dropna()
            r = float(both[a].corr(both[b])) if len(both) >= 3 else float("nan")
            rows.append(
                {
                    "driver_a": a,
                    "driver_b": b,
                    "n_common_years": len(both),
                    "correlation": r,
                    "used": a == "e0_female" and b == "e0_male",
                }
            )
    return pd.DataFrame(rows)


def residual_correlations() -> pd.DataFrame:
    """Sample correlations of standardised one-step residuals, pairwise on common years.

    Returns ``driver_a, driver_b, n_common_years, correlation, used``; only the
    correlation between the two life expectancies is used in the joint draws.
    """
    return _residual_correlations().copy()


def innovation_correlation() -> np.ndarray:
    """Correlation matrix of the driver innovations used for joint draws (order :data:`DRIVERS`)."""
    c = np.eye(len(DRIVERS))
    used = _residual_correlations()
    for _, r in used[used.used].iterrows():
        i, j = DRIVERS.index(r.driver_a), DRIVERS.index(r.driver_b)
        rho = float(np.clip(r.correlation, -0.99, 0.99)) if np.isfinite(r.correlation) else 0.0
        c[i, j] = c[j, i] = rho
    return c


@dataclass(frozen=True)
class DriverDraws:
    """Centred deviations of the drivers from their central path.

    Attributes
    ----------
    years : projection years (31 Dec), length ``T``.
    deviations : array ``(draw, driver, T)`` on each driver's transformed scale
        (log TFR, e0 years, growth rate per year); zero means "the scenario's assumption".
    seed : the seed they were drawn with.
    """

    years: np.ndarray
    deviations: np.ndarray
    seed: object

    @property
    def n_draws(self) -> int:
        return int(self.deviations.shape[0])

    def of(self, driver: str) -> np.ndarray:
        """Deviations of one driver, ``(draw, T)``."""
        return self.deviations[:, DRIVERS.index(driver), :]

    def fertility_factor(self) -> np.ndarray:
        """Multiplier on age-specific fertility rates, ``(draw, T)`` (``exp`` of the log-TFR deviation)."""
        return np.exp(self.of("tfr"))


def draw_drivers(
    years,
    *,
    draws: int,
    seed: int | np.random.SeedSequence | None,
    base_year: int,
    models: dict[str, DriverModel] | None = None,
    correlation: np.ndarray | None = None,
) -> DriverDraws:
    """Draw joint centred deviation paths of all drivers for the given projection years.

    For a differenced model (TFR, life expectancy: random walks) the scenario's assumption
    is the current level, and the deviation in year ``t`` is the model's forecast
    deviation at horizon ``h = t - base_year`` (zero at the base year, growing with ``h``).
    Where such a series ends before the base year (life expectancy in 2022), the years in
    between are treated as known. For a stationary model (the migration proxy) the
    scenario's value is the *mean* of the process, so the realised path deviates from it
    with the stationary variance from the first year on: the path is drawn with
    ``PAST_STEPS`` years of past innovations.

    Parameters
    ----------
    years : increasing projection years after ``base_year``.
    draws : number of draws (≥ 1).
    seed : seed (int or SeedSequence) of :func:`numpy.random.default_rng`; the same seed
        gives the same draws.
    base_year : year of the base population (31 Dec).
    models : driver models (default: :func:`fitted_models`); tests pass zero-variance ones.
    correlation : innovation correlation (default: :func:`innovation_correlation`).

    Returns
    -------
    DriverDraws with ``deviations`` of shape ``(draws, len(DRIVERS), len(years))``.
    """
    years = np.asarray(list(years), dtype=int)
    if draws < 1:
        raise ValueError("draws must be at least 1")
    if len(years) and (years[0] <= base_year or np.any(np.diff(years) <= 0)):
        raise ValueError("years must increase and lie after base_year")
    models = _fitted_models() if models is None else models
    corr = innovation_correlation() if correlation is None else correlation
    chol = np.linalg.cholesky(corr)
    n_steps = int(years[-1] - base_year) if len(years) else 0
    rng = np.random.default_rng(seed)
    # innovations for PAST_STEPS years before and n_steps years after the base year,
    # jointly correlated across drivers
    z = rng.standard_normal((draws, PAST_STEPS + n_steps, len(DRIVERS))) @ chol.T
    out = np.zeros((draws, len(DRIVERS), len(years)))
    h = np.arange(1, n_steps + 1)
    j = np.arange(1 - PAST_STEPS, n_steps + 1)  # innovation years (1 = first after base)
    lagmat = h[:, None] - j[None, :]  # h - j
    for k, name in enumerate(DRIVERS):
        m = models[name]
        if n_steps > MAX_STEPS:
            raise ValueError(f"horizon {n_steps} exceeds MAX_STEPS={MAX_STEPS}")
        # d_h = sum_j psi_{h-j} eps_j over j <= h: a Toeplitz matrix of impulse responses
        # applied to the innovations; differenced models only take innovations after the
        # base year (j >= 1), stationary ones also the past (burn-in).
        first = 1 - PAST_STEPS if m.stationary else 1
        ok = (lagmat >= 0) & (j[None, :] >= first)
        w = np.where(ok, m.psi[np.clip(lagmat, 0, len(m.psi) - 1)], 0.0)
        dev = (z[:, :, k] * np.sqrt(m.sigma2)) @ w.T  # (draw, n_steps)
        out[:, k, :] = dev[:, years - base_year - 1]
    return DriverDraws(years=years, deviations=out, seed=seed)


def migration_cross_check() -> pd.DataFrame:
    """Cross-check of the migration proxy against the five published years of net migration.

    Returns
    -------
    DataFrame with one row per measure: ``measure, persons, note``: the observed Kreis
    net migration 2020–2024 (12711-01-03-4) — mean and standard deviation — and the
    chosen model's mean and stationary standard deviation of annual growth, converted to
    persons at the 2024 population (279,285 on the Zensus-2022 basis, 12411-02-03-4).
    """
    v = vital_events()
    tot = v[(v.sex == "total") & (v.age_group == "total")].pivot(
        index="year", columns="event", values="value"
    )
    net = (tot.in_migration - tot.out_migration).astype(float)
    pop = float(kreis_age_groups().query("year == 2024").population.sum())
    m = _fitted_models()["migration"]
    p = m.params
    phi = p.get("ar.L1", 0.0)
    theta = p.get("ma.L1", 0.0)
    mean = p.get("intercept", 0.0) / (1 - phi)
    # stationary variance of an ARMA(1,1): sigma2 (1 + 2 phi theta + theta^2) / (1 - phi^2)
    var = m.sigma2 * (1 + 2 * phi * theta + theta**2) / (1 - phi**2)
    years = f"{int(net.index.min())}–{int(net.index.max())}"
    return pd.DataFrame(
        [
            {
                "measure": f"observed net migration {years}, mean",
                "persons": float(net.mean()),
                "note": "Regionalstatistik 12711-01-03-4",
            },
            {
                "measure": f"observed net migration {years}, standard deviation",
                "persons": float(net.std(ddof=1)),
                "note": f"{len(net)} years",
            },
            {
                "measure": f"model ({m.model}) mean annual growth × population 2024",
                "persons": mean * pop,
                "note": "growth includes natural change (about −1,000 persons a year in 2020–2024)",
            },
            {
                "measure": f"model ({m.model}) stationary standard deviation × population 2024",
                "persons": float(np.sqrt(var)) * pop,
                "note": "BBSR 1990–2020 growth rates",
            },
        ]
    )
