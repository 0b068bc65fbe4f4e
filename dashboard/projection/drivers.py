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

Every series is fitted by four candidate ARIMA models from
:class:`statsmodels.tsa.statespace.sarimax.SARIMAX` (a state-space model whose Kalman
filter accepts the missing years as ``NaN`` instead of filling them): a random walk
ARIMA(0,1,0), a random walk with drift, ARIMA(0,1,1) (the reduced form of the local
level model) and a stationary AR(1) with a constant. They are compared by AIC and BIC on
a *common sample*: a differenced model's first observation only initialises its
(diffuse) state, so the stationary model's log-likelihood contribution of that first
observation is left out too. The model with the lowest BIC is used (BIC penalises
parameters more, which suits 8–29 observations).

Only the *spread* of the chosen models is used: the projection keeps the scenario's own
assumption as the centre, and a draw adds the model's centred forecast deviation
``y_{T+h} - E[y_{T+h} | data]``. For an ARIMA model that deviation is the sum of future
innovations weighted by the model's impulse responses,
``d_h = sum_{j=1..h} psi_{h-j} eps_j``; its variance equals the model's forecast
variance (a test checks this against ``get_forecast().var_pred_mean``).

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
import warnings
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.constants import KREIS_AGS
from dashboard.data.embedded import RAW_DIR, raw_path
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.integrity import verify_raw_file

#: Driver names in the order of the driver axis of :class:`DriverDraws`.
DRIVERS: tuple[str, ...] = ("tfr", "e0_female", "e0_male", "migration")

#: Candidate models: name -> (SARIMAX order, trend).
CANDIDATES: dict[str, tuple[tuple[int, int, int], str | None]] = {
    "ARIMA(0,1,0)": ((0, 1, 0), None),
    "ARIMA(0,1,0)+drift": ((0, 1, 0), "c"),
    "ARIMA(0,1,1)": ((0, 1, 1), None),
    "AR(1)+const": ((1, 0, 0), "c"),
}

KREIS_SERIES_FILE = "consolidated/kreis_dueren_total_population_series.csv"
#: Growth over this year spans the Zensus-2011 break of the BBSR series (2011 is still on
#: the VZ-1987 basis, 2012 on the Zensus-2011 basis) and is therefore missing.
CENSUS_BREAK_YEARS: frozenset[int] = frozenset({2012})


@dataclass(frozen=True)
class DriverSeries:
    """One annual driver series as fitted (``values`` transformed, missing years NaN)."""

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
    psi : impulse responses ``psi_0 … psi_{H-1}`` (``psi_0 = 1``), length :data:`MAX_STEPS`.
    last_year : last year with data.
    comparison : AIC/BIC of all candidates (``model, k, nobs, llf, aic, bic, selected``).
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

    def deviation_sd(self, steps: int) -> np.ndarray:
        """Standard deviation of the centred deviation at horizons 1 … ``steps``."""
        return np.sqrt(self.sigma2 * np.cumsum(self.psi[:steps] ** 2))


#: Longest horizon the impulse responses are computed for (years after the last data year).
MAX_STEPS: int = 40


def _kreis_bbsr_series() -> pd.Series:
    """BBSR Kreis Düren totals at 31 Dec 1990–2020 (persons, rounded to 100)."""
    f = KREIS_SERIES_FILE
    path = raw_path(f)
    if not path.exists():
        raise DataFormatError(problem(f, None, None, "eine mitgelieferte Datei", "fehlt"))
    verify_raw_file(RAW_DIR, f)
    k = pd.read_csv(path, dtype={"ags": str})
    rows = k[k.source.str.startswith("BBSR ref-kreise")]
    problems = []
    for i, r in rows.iterrows():
        if r.ags != KREIS_AGS:
            problems.append(problem(f, int(i) + 2, "ags", KREIS_AGS, r.ags))
        if not str(r.ref_date).endswith("-12-31"):
            problems.append(problem(f, int(i) + 2, "ref_date", "ein 31. Dezember", r.ref_date))
        if not (pd.notna(r.pop_total) and r.pop_total > 0):
            problems.append(problem(f, int(i) + 2, "pop_total", "eine positive Zahl", r.pop_total))
    years = rows.ref_date.str.slice(0, 4).astype(int)
    if years.duplicated().any() or len(rows) == 0:
        problems.append(problem(f, None, "ref_date", "ein BBSR-Wert je Jahr", f"{len(rows)} Zeilen"))
    if problems:
        raise DataFormatError(problems)
    s = pd.Series(rows.pop_total.to_numpy(float), index=years.to_numpy(), name="population")
    expected = range(int(s.index.min()), int(s.index.max()) + 1)
    if list(s.index) != list(expected):
        raise DataFormatError(problem(f, None, "ref_date", "lückenlose Jahre", sorted(s.index)))
    return s


@functools.cache
def _driver_series() -> dict[str, DriverSeries]:
    from dashboard.data import nrw_life_expectancy, nrw_tfr

    out: dict[str, DriverSeries] = {}
    t = nrw_tfr().set_index("year").tfr
    years = range(int(t.index.min()), int(t.index.max()) + 1)
    out["tfr"] = DriverSeries("tfr", np.log(t.reindex(years)), "log", "Kinder je Frau",
                              "IT.NRW (zitiert), figures/fertility_mortality_nrw_from_pages.csv")
    e = nrw_life_expectancy()
    for sex in ("female", "male"):
        s = e[e.sex == sex].set_index("year_mid").e0
        years = range(int(s.index.min()), int(s.index.max()) + 1)
        out[f"e0_{sex}"] = DriverSeries(f"e0_{sex}", s.reindex(years).astype(float), "identity", "Jahre",
                                        "IT.NRW (zitiert), figures/fertility_mortality_nrw_from_pages.csv")
    p = _kreis_bbsr_series()
    g = np.log(p).diff().iloc[1:]
    g[g.index.isin(list(CENSUS_BREAK_YEARS))] = np.nan
    out["migration"] = DriverSeries("migration", g, "identity", "Wachstumsrate je Jahr",
                                    "BBSR, " + KREIS_SERIES_FILE)
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


def fit_driver(series: DriverSeries, *, criterion: str = "bic") -> DriverModel:
    """Fit all :data:`CANDIDATES` to one series, compare them, return the chosen one.

    Parameters
    ----------
    series : the driver series (missing years as NaN).
    criterion : ``"bic"`` (default) or ``"aic"``.

    Returns
    -------
    DriverModel whose ``comparison`` lists every candidate's number of parameters ``k``,
    the number of observations in the common sample ``nobs``, the log-likelihood on that
    sample ``llf`` and ``aic = 2k - 2 llf``, ``bic = k log(nobs) - 2 llf``.
    """
    if criterion not in ("aic", "bic"):
        raise ValueError(f"criterion must be 'aic' or 'bic', not {criterion!r}")
    y = series.values.to_numpy(float)
    fits = {name: _fit_one(y, order, trend) for name, (order, trend) in CANDIDATES.items()}
    burn = max(r.loglikelihood_burn for r in fits.values())
    observed = ~np.isnan(y)
    n = int(observed[burn:].sum())
    rows = []
    for name, r in fits.items():
        llf = float(np.asarray(r.llf_obs)[burn:][observed[burn:]].sum())
        k = len(r.params)
        rows.append({"driver": series.name, "model": name, "k": k, "nobs": n, "llf": llf,
                     "aic": 2 * k - 2 * llf, "bic": k * np.log(n) - 2 * llf})
    table = pd.DataFrame(rows)
    best = table.loc[table[criterion].idxmin(), "model"]
    table["selected"] = table.model == best
    r = fits[best]
    params = {k: float(v) for k, v in zip(r.model.param_names, r.params)}
    psi = np.asarray(r.impulse_responses(steps=MAX_STEPS - 1)).ravel()
    fvar = np.asarray(r.get_forecast(MAX_STEPS).var_pred_mean).ravel()
    return DriverModel(name=series.name, model=best, transform=series.transform, params=params,
                       sigma2=params["sigma2"], psi=psi, last_year=int(series.values.index[-1]),
                       comparison=table, forecast_var=fvar)


@functools.cache
def _fitted_models() -> dict[str, DriverModel]:
    return {name: fit_driver(s) for name, s in _driver_series().items()}


def fitted_models() -> dict[str, DriverModel]:
    """The chosen model per driver, fitted once per process (cached)."""
    return dict(_fitted_models())


def model_comparison() -> pd.DataFrame:
    """AIC/BIC of every candidate model for every driver (one row per driver × model)."""
    return pd.concat([m.comparison for m in _fitted_models().values()], ignore_index=True)


def _one_step_residuals(name: str) -> pd.Series:
    s = _driver_series()[name]
    m = _fitted_models()[name]
    order, trend = CANDIDATES[m.model]
    r = _fit_one(s.values.to_numpy(float), order, trend)
    res = pd.Series(np.asarray(r.standardized_forecasts_error).ravel(), index=s.values.index)
    res.iloc[: r.loglikelihood_burn] = np.nan
    return res[s.values.notna()]


@functools.cache
def _residual_correlations() -> pd.DataFrame:
    res = pd.DataFrame({n: _one_step_residuals(n) for n in DRIVERS})
    rows = []
    for i, a in enumerate(DRIVERS):
        for b in DRIVERS[i + 1:]:
            both = res[[a, b]].dropna()
            r = float(both[a].corr(both[b])) if len(both) >= 3 else float("nan")
            rows.append({"driver_a": a, "driver_b": b, "n_common_years": len(both),
                         "correlation": r, "used": a == "e0_female" and b == "e0_male"})
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
    seed: int | None

    @property
    def n_draws(self) -> int:
        return int(self.deviations.shape[0])

    def of(self, driver: str) -> np.ndarray:
        """Deviations of one driver, ``(draw, T)``."""
        return self.deviations[:, DRIVERS.index(driver), :]

    def fertility_factor(self) -> np.ndarray:
        """Multiplier on age-specific fertility rates, ``(draw, T)`` (``exp`` of the log-TFR deviation)."""
        return np.exp(self.of("tfr"))


def draw_drivers(years, *, draws: int, seed: int | None, base_year: int,
                 models: dict[str, DriverModel] | None = None,
                 correlation: np.ndarray | None = None) -> DriverDraws:
    """Draw joint centred deviation paths of all drivers for the given projection years.

    The deviation of a driver in year ``t`` is its model's forecast deviation at horizon
    ``h = t - base_year``: the spread starts at the observed base population and
    accumulates from there. Where a series ends before the base year (e.g. life
    expectancy in 2022), the years in between are treated as known, because the base
    population and the scenario's assumptions already reflect them.

    Parameters
    ----------
    years : increasing projection years after ``base_year``.
    draws : number of draws (≥ 1).
    seed : seed of :func:`numpy.random.default_rng`; the same seed gives the same draws.
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
    # innovations for the years base_year+1 … years[-1], jointly correlated across drivers
    z = rng.standard_normal((draws, n_steps, len(DRIVERS))) @ chol.T
    out = np.zeros((draws, len(DRIVERS), len(years)))
    h = np.arange(1, n_steps + 1)
    lagmat = h[:, None] - h[None, :]                           # h - j for innovation j
    for k, name in enumerate(DRIVERS):
        m = models[name]
        if n_steps > len(m.psi):
            raise ValueError(f"horizon {n_steps} exceeds MAX_STEPS={len(m.psi)}")
        # d_h = sum_{j<=h} psi_{h-j} eps_j: a lower-triangular Toeplitz matrix of the
        # impulse responses applied to the innovations drawn for the years after base_year.
        w = np.where(lagmat >= 0, m.psi[np.clip(lagmat, 0, None)], 0.0)
        dev = (z[:, :, k] * np.sqrt(m.sigma2)) @ w.T           # (draw, n_steps)
        out[:, k, :] = dev[:, years - base_year - 1]
    return DriverDraws(years=years, deviations=out, seed=seed)
