"""The app's only door to data and model: URL values -> Scenario -> memoised results.

Pages and callbacks call these functions and never touch files. Everything returned is
cached per process by the layers below (data loaders, ``project``), so no global is ever
assigned at runtime.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd

from dashboard.constants import (
    BASIS_Z2011,
    BASIS_Z2022,
    CENSUS_DATES,
    KREIS_AGS,
    MUNICIPALITIES,
)
from dashboard.data import data_version, load_population, one_data_version, vital_events
from dashboard.data.history import municipal_history
from dashboard.data.imports import published_provenance
from dashboard.projection import PRESETS, accuracy, coverage, project, solve_net_migration_for_target
from dashboard.projection.backtest import backtest
from dashboard.projection.base import start_year
from dashboard.projection.local import QUERY_KEYS as LOCAL_QUERY_KEYS
from dashboard.projection.local import LocalScenario
from dashboard.projection.scenario_file import from_json, to_json
from dashboard.projection.scenarios import (
    BY_URL_KEY,
    CUSTOM,
    PARAMETER,
    PARAMETERS,
    SCENARIO_URL_KEY,
    URL_KEYS,
    ScenarioSpec,
    parameter_defaults,
    spec_from_query,
)
from dashboard.projection.uncertainty import INTERACTIVE_DRAWS, project_probabilistic
from dashboard.store import NotFound, get_store
from dashboard.text import (
    BACKTEST_LEVELS,
    BACKTEST_METHODS,
    PLANNING_GROUP_LABELS,
    SCENARIO,
    fmt_int,
    fmt_num,
    fmt_signed_int,
    parse_number,
)

#: URL parameter names (German, as users see them in shared links). The scenario's keys are
#: declared with its parameters (:data:`dashboard.projection.scenarios.PARAMETERS`).
Q_AGS, Q_SCENARIO, Q_YEAR, Q_INDICATOR = "ags", SCENARIO_URL_KEY, "jahr", "kennzahl"
Q_COMPARE = "vergleich"

#: Census reference dates as (ISO date, label), shown as breaks on history charts.
CENSUS_BREAKS = [(date, basis) for basis, date in CENSUS_DATES.items()]

__all__ = [
    "BY_URL_KEY",
    "CUSTOM",
    "PARAMETER",
    "PARAMETERS",
    "URL_KEYS",
    "ScenarioSpec",
    "spec_from_query",
]


def parse_ags(value: str | None, *, allow_kreis: bool = True, default: str = KREIS_AGS) -> str:
    """A valid AGS from a URL value; unknown values fall back to ``default``."""
    if value in MUNICIPALITIES or (allow_kreis and value == KREIS_AGS):
        return str(value)
    return default


def parse_float(value: object, lo: float, hi: float) -> float | None:
    """A finite float inside [lo, hi] from a URL or input value (German or plain), else None
    (never clipped)."""
    try:
        x = parse_number(value)
    except ValueError:
        return None
    return x if math.isfinite(x) and lo <= x <= hi else None


def base_year() -> int:
    """The projection's base year (31 Dec): 2024, or a later year once a complete official
    municipal sex × age table for it is published (:func:`dashboard.projection.base.start_year`)."""
    return start_year()


def key_years() -> tuple[int, ...]:
    """Base year, 2030, 2045 (the years the pages show side by side)."""
    b = base_year()
    return (b,) + tuple(y for y in (2030, 2045) if y > b)


def parse_year(value: object, default: int | None = 2030) -> int:
    """A year of the projection from the URL (base year … 2045), else ``default`` (None: the base year)."""
    first = base_year()
    default = first if default is None else max(default, first)
    try:
        y = int(str(value))
    except (TypeError, ValueError):
        return default
    return y if first <= y <= 2045 else default


def parse_scenario(szenario: str | None = None, *values: object, **url_values: object) -> ScenarioSpec:
    """Scenario spec from URL values, lenient: an invalid value is not used (Basis assumption).

    ``values`` are the parameters' URL values in table order (``tfr, e0, wanderung``);
    ``url_values`` by URL key. Pages that must say what they did not use call
    :func:`spec_from_query`, which also returns the German problems. ``local``: a
    :class:`LocalScenario` or a mapping holding the local link keys (:func:`parse_local`) that
    replaces the local inputs of the values.
    """
    loc = url_values.pop("local", None)
    q = {SCENARIO_URL_KEY: szenario, **dict(zip(BY_URL_KEY, values)), **url_values}
    spec = spec_from_query({k: v for k, v in q.items() if v is not None})[0]
    if loc is not None:
        spec = spec.with_local(loc if isinstance(loc, LocalScenario) else parse_local(loc))
    return spec


def parse_local(query: Mapping | None) -> LocalScenario:
    """Local inputs from URL or store values (``neubau``, ``wanderung_gemeinde``, ``einmalig``).

    Invalid values give no local inputs: the page guard names them in the page
    (:mod:`dashboard.app._query`), a callback store never holds them.
    """
    if not isinstance(query, Mapping):
        return LocalScenario()
    q = {k: query.get(k) for k in LOCAL_QUERY_KEYS.values() if isinstance(query.get(k), str)}
    try:
        return LocalScenario.from_query(q)
    except ValueError:
        return LocalScenario()


def selection(spec: ScenarioSpec) -> dict[str, str | None]:
    """The spec's values for the cross-page selection store (:meth:`ScenarioSpec.selection`:
    every scenario key, ``None`` = not set, so earlier values are forgotten)."""
    return spec.selection()


def scenario_query(query: dict) -> dict:
    """The scenario's link values out of a page's query (``szenario`` and the parameters)."""
    return {k: v for k, v in query.items() if k in URL_KEYS and v is not None}


def scenario_href(path: str, ags: str | None, spec: ScenarioSpec, **extra: object) -> str:
    """Link to ``path`` for the municipality and the scenario (every link that carries a
    scenario is built here, so it reproduces the numbers of the page it is on)."""
    q = {"ags": ags, **spec.query(), **extra}
    return f"{path}?{urlencode({k: v for k, v in q.items() if v is not None})}"


def spec_from_choice(key: object, stored: object) -> ScenarioSpec:
    """The scenario chosen in a page's scenario dropdown: a preset, or the own scenario whose
    link values the page keeps in a store (``stored``, from :meth:`ScenarioSpec.query`).
    Local (per-municipality) values stay with every choice."""
    q = stored if isinstance(stored, dict) else {}
    keep = {p.url_key for p in PARAMETERS if key == CUSTOM or p.target == "local"}
    key = key if isinstance(key, str) else None
    return parse_scenario(key, **{k: v for k, v in q.items() if k in keep and v is not None})


def own_spec(values: dict) -> ScenarioSpec:
    """The user's own scenario from control values (``{url_key: value}``; sliders, boxes,
    and the link values of list-valued (local) parameters).

    A value equal to the Basis value as shown (rounded to the parameter's ``digits``) means
    the exact Basis assumption; ``None`` too. Invalid values are not used (see
    :func:`dashboard.app._validate.rejected_inputs` for the message).
    """
    d = basis_defaults()
    own = {}
    for p in PARAMETERS:
        v = values.get(p.url_key)
        if v is None:
            continue
        if p.many:
            own[p.url_key] = v
            continue
        x = parse_float(v, *p.ui_range)
        if x is not None and x != d[p.key]:
            own[p.url_key] = x
    return parse_scenario(CUSTOM, **own)


def spec_label(spec: ScenarioSpec) -> str:
    """German name of a spec: the preset's label (or "Eigenes Szenario"), "mit lokalen Annahmen"."""
    base = preset_label(spec.key)
    return SCENARIO["with_local"].format(label=base) if spec.local else base


def spec_from_scenario(scenario) -> ScenarioSpec:
    """The spec of a model ``Scenario`` (e.g. from a saved or uploaded file).

    A scenario whose Kreis-wide fields equal a preset's is that preset; anything else is an
    own scenario (one value per Kreis-wide parameter of :data:`PARAMETERS`). The app projects to
    2045: a scenario with another horizon or a migration factor other than 1 cannot be shown as
    an own scenario and raises ``ValueError`` (German); so does a value outside a control's range.
    """
    kreis = replace(scenario, local=LocalScenario())
    for key, preset in PRESETS.items():
        if replace(kreis, name=preset.name) == preset:
            return ScenarioSpec(key).with_local(scenario.local)
    if scenario.horizon != PRESETS["basis"].horizon or scenario.migration_factor != 1.0:
        raise ValueError(
            "Dieses Szenario lässt sich im Dashboard nicht einstellen (Zieljahr "
            f"{scenario.horizon}, Wanderungsfaktor {scenario.migration_factor:g}); bitte nutzen Sie "
            "dafür die Kommandozeile (python -m dashboard project --szenario-datei …)."
        )
    problems, own = [], {}
    for p in PARAMETERS:
        if p.target != "scenario":
            continue
        value = getattr(scenario, p.key)
        if p.key == "e0_gain" and value == 0.0:
            value = None  # the Scenario's default: no extra gain
        if value is None:
            continue
        why = p.range_problem(value, p.ui_range)
        if why:
            problems.append(why)
        own[p.key] = value
    if problems:
        raise ValueError(" ".join(problems))
    return ScenarioSpec(CUSTOM, **own).with_local(scenario.local)


def preset_keys() -> list[str]:
    return list(PRESETS)


def preset_label(key: str) -> str:
    return ScenarioSpec(key).label if key in (*preset_keys(), CUSTOM) else key


def describe_scenario(spec: ScenarioSpec) -> str:
    """The scenario in German words, as headings of briefs and PDFs show it.

    A preset gives its label (``Basis (Status quo)``); an own scenario its values, e.g.
    ``Eigenes Szenario (eigene Annahmen: 2,12 Kinder je Frau, Wanderungssaldo −2.100)``.
    Unset values are the Basis assumptions.
    """
    if spec.key != CUSTOM:
        return spec_label(spec)  # local entries are listed with the assumptions
    parts = []
    if spec.tfr is not None:
        parts.append(f"{fmt_num(spec.tfr, 2)} Kinder je Frau")
    if spec.e0_gain is not None:
        sign = "+" if spec.e0_gain > 0 else ""
        unit = "Jahr" if abs(spec.e0_gain) == 1 else "Jahre"
        parts.append(f"Lebenserwartung bis 2045 {sign}{fmt_num(spec.e0_gain, 1)} {unit}")
    if spec.net_migration is not None:
        parts.append(f"Wanderungssaldo {fmt_signed_int(spec.net_migration)}")
    values = ", ".join(parts) if parts else "wie Basis"
    text = f"{preset_label(CUSTOM)} (eigene Annahmen: {values})"
    return SCENARIO["with_local"].format(label=text) if spec.local else text


def to_scenario(spec: ScenarioSpec):
    """The model's frozen ``Scenario`` for a spec."""
    return spec.scenario()


def per_data_version(maxsize: int = 128):
    """Memoise a pure view function (hashable arguments) per data version.

    Page-level figures of the Basis scenario depend only on their arguments and on the
    input data; keying on :func:`data_version` makes an imported table take effect without
    a restart, as for the projection's own caches. Cached figures must not be mutated.
    """

    def deco(fn):
        cached = functools.lru_cache(maxsize=maxsize)(lambda version, *args: fn(*args))

        @functools.wraps(fn)
        def wrapper(*args):
            with one_data_version():  # the key and the computation see the same release
                return cached(data_version(), *args)

        wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return wrapper

    return deco


def result(spec: ScenarioSpec):
    """Memoised projection result of a spec (``project`` memoises on the Scenario)."""
    return project(to_scenario(spec))


def region_population(spec: ScenarioSpec, ags: str) -> pd.DataFrame:
    """Population ``ags, year, sex, age, population, projected, estimated`` of one municipality
    or, for ``05358``, of the Kreis (the model's table holds municipalities only: summed)."""
    pop = result(spec).population
    if ags != KREIS_AGS:
        return pop[pop.ags == ags]
    keys = ["year", "sex", "age"]
    flags = pop.groupby(keys, as_index=False)[["projected", "estimated"]].any()
    return pop.groupby(keys, as_index=False).population.sum().merge(flags, on=keys).assign(ags=KREIS_AGS)


#: Draws of the probabilistic projection shown in the app (the model's interactive count; the
#: full run of the download uses 1,000).
UNCERTAINTY_DRAWS = INTERACTIVE_DRAWS


def probabilistic(spec: ScenarioSpec, draws: int = UNCERTAINTY_DRAWS):
    """Memoised probabilistic projection of a spec (quantiles over ``draws`` seeded draws)."""
    return project_probabilistic(to_scenario(spec), draws=draws)


#: Quantile columns of the probabilistic result.
_Q_COLS = ("q025", "q10", "q50", "q90", "q975")


@per_data_version(maxsize=64)
def scenario_fan(spec: ScenarioSpec) -> tuple[pd.DataFrame, int, bool]:
    """Quantiles for the fan chart of a spec, fast enough for a slider move.

    Presets (and the Basis) use their own seeded simulation (:func:`probabilistic`, exact).
    An own scenario (``spec.key == CUSTOM``) reuses the cached Basis simulation: every
    quantile of the Basis is multiplied by the ratio of the scenario's deterministic path to
    the Basis's deterministic path, per region and year (relative spread of the Basis around
    the own scenario's path). This is an approximation: it keeps the Basis's relative
    uncertainty and does not re-run the draws around the own assumptions. The UI says so.
    Local inputs (Neubau, own migration, one-off changes) are treated the same way: the
    simulation of the scenario without them (the preset's own, or the Basis for an own
    scenario), rescaled by the ratio of the deterministic paths with and without them. The
    local inputs themselves count as certain; their own uncertainty is not in the band.

    Returns
    -------
    quantiles : ``ags, municipality, year, quantity, q025, q10, q50, q90, q975`` (persons);
        for an own scenario only the quantities ``population``, ``n_65plus``, ``n_80plus``.
    draws : number of draws behind the quantiles.
    exact : False for the rescaled Basis band of an own scenario.
    """
    if spec.key != CUSTOM and not spec.local:
        r = probabilistic(spec)
        return r.quantiles, r.draws, True
    reference = ScenarioSpec(spec.key if spec.key != CUSTOM else "basis")
    quantiles, rows, cols, draws = _fan_layout(reference)
    det_b, det_s = result(reference).indicators, result(spec).indicators
    same_rows = all(np.array_equal(det_b[k].to_numpy(), det_s[k].to_numpy()) for k in ("ags", "year"))
    if not same_rows:  # never seen: the engine writes every scenario's indicators in one order
        raise RuntimeError("indicator rows of the scenario and its reference differ")
    b = det_b[list(_FAN_QUANTITIES)].to_numpy(dtype=float)
    s = det_s[list(_FAN_QUANTITIES)].to_numpy(dtype=float)
    ratio = np.divide(s, b, out=np.full_like(s, np.nan), where=b > 0)[rows, cols]
    q = quantiles.copy()
    q[list(_Q_COLS)] = quantiles[list(_Q_COLS)].to_numpy() * ratio[:, None]
    return q, draws, False


#: Quantities of the rescaled fan of an own or local scenario.
_FAN_QUANTITIES = ("population", "n_65plus", "n_80plus")


@per_data_version(maxsize=16)
def _fan_layout(reference: ScenarioSpec) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, int]:
    """The reference simulation's quantile rows of :data:`_FAN_QUANTITIES` that have a
    deterministic value, and for each the row of the indicator table and the quantity's column
    (computed once per reference and data version; a slider move then only divides and
    multiplies arrays). Same rows, order and values as an inner join on (ags, year, quantity)."""
    base = probabilistic(reference)
    ind = result(reference).indicators
    at = {(a, y): i for i, (a, y) in enumerate(zip(ind.ags.to_numpy(), ind.year.to_numpy()))}
    col = {c: j for j, c in enumerate(_FAN_QUANTITIES)}
    q = base.quantiles
    keys = list(zip(q.ags.to_numpy(), q.year.to_numpy(), q.quantity.to_numpy()))
    keep = np.array([(a, y) in at and k in col for a, y, k in keys], dtype=bool)
    rows = np.array([at[(a, y)] for (a, y, k), m in zip(keys, keep) if m], dtype=np.intp)
    cols = np.array([col[k] for (_, _, k), m in zip(keys, keep) if m], dtype=np.intp)
    return q[keep].reset_index(drop=True), rows, cols, base.draws


def interval_table(spec: ScenarioSpec) -> pd.DataFrame:
    """The intervals behind the fan charts and the brief, as a download table (issue 17.5: one
    simulation for the brief, the charts and ``intervalle.csv``).

    Returns
    -------
    DataFrame ``scenario, draws, band, ags, municipality, year, quantity, median, lower_80,
    upper_80, lower_95, upper_95`` (persons). ``band`` says whether the quantiles are the
    scenario's own seeded simulation or, for an own scenario, the Basis simulation's relative
    spread around its path (:func:`scenario_fan`).
    """
    from dashboard.text import DOWNLOAD

    q, draws, exact = scenario_fan(spec)
    return pd.DataFrame(
        {
            "scenario": spec.key,
            "draws": draws,
            "band": DOWNLOAD["band_exact"] if exact else DOWNLOAD["band_scaled"],
            "ags": q.ags.to_numpy(),
            "municipality": q.municipality.to_numpy(),
            "year": q.year.to_numpy(),
            "quantity": q.quantity.to_numpy(),
            "median": q.q50.to_numpy(),
            "lower_80": q.q10.to_numpy(),
            "upper_80": q.q90.to_numpy(),
            "lower_95": q.q025.to_numpy(),
            "upper_95": q.q975.to_numpy(),
        }
    )


#: Planning age groups shown for local inputs (issue 13): Krippe, Kita, Grundschule, Sek. I,
#: Sek. II/Ausbildung, 65–79, 80+.
LOCAL_GROUPS = ("0-2", "3-5", "6-9", "10-15", "16-18", "65-79", "80+")


def local_effect(spec: ScenarioSpec, ags: str, year: int) -> pd.DataFrame:
    """Planning age groups of ``ags`` at 31.12.``year`` with and without the spec's local inputs.

    Returns
    -------
    DataFrame ``age_group, label, without, with_local, difference`` (persons) for
    :data:`LOCAL_GROUPS` and the total (``age_group == "total"``, label "Insgesamt").
    """

    def groups(res) -> pd.Series:
        g = res.age_groups
        g = g[(g.ags == ags) & (g.year == year)]
        return pd.Series(g.population.to_numpy(), index=g.age_group.astype(str).to_numpy())

    w, wo = groups(result(spec)), groups(result(spec.without_local()))
    rows = [
        {
            "age_group": k,
            "label": PLANNING_GROUP_LABELS[k],
            "without": float(wo[k]),
            "with_local": float(w[k]),
        }
        for k in LOCAL_GROUPS
    ]
    rows.append(
        {"age_group": "total", "label": "Insgesamt", "without": float(wo.sum()), "with_local": float(w.sum())}
    )
    out = pd.DataFrame(rows)
    out["difference"] = out.with_local - out.without
    return out


def saved_scenarios(ags: str | None = None) -> list:
    """Saved scenarios (newest first; those with local inputs for ``ags``, all for the Kreis/None)."""
    return get_store().scenarios(ags=None if ags in (None, KREIS_AGS) else ags)


def load_saved(key: object) -> tuple[object, ScenarioSpec]:
    """(SavedScenario, spec) of a permalink key; ``ValueError`` (German) if unknown or unusable."""
    try:
        saved = get_store().scenario(key if isinstance(key, str) else "")
    except NotFound as e:
        raise ValueError(str(e)) from None
    doc = from_json(saved.document, name=f"Gespeichertes Szenario {saved.key!r}")
    return saved, spec_from_scenario(doc.scenario)


def save_spec(spec: ScenarioSpec, *, title: object, description: object, actor) -> object:
    """Save a spec as a named scenario in the store (German ``StoreError`` on refusal)."""
    title = title if isinstance(title, str) else ""
    description = description if isinstance(description, str) else ""
    doc = to_json(to_scenario(spec), title=title.strip(), description=description.strip())
    return get_store().save_scenario(
        title=title,
        description=description,
        document=doc,
        municipalities=spec.local.municipalities,
        actor=actor,
    )


def warm_up_uncertainty() -> None:
    """Fit the driver and error models and run the Basis draws in a background thread.

    The first fan chart then does not wait for the statsmodels fits (a few seconds once
    per process). Fits are guarded by a lock in the model layer, so a request arriving
    meanwhile waits for the same fit instead of repeating it.
    """
    import threading

    def work() -> None:
        try:
            probabilistic(ScenarioSpec())
        except Exception:  # noqa: BLE001 - warm-up is best effort; requests report errors themselves
            pass

    threading.Thread(target=work, name="warm-up-uncertainty", daemon=True).start()


def backtest_coverage() -> pd.DataFrame:
    """Coverage of the 80 %/95 % intervals in the backtest (computed once per process)."""
    return coverage.backtest_coverage()


def accuracy_tables() -> dict[str, pd.DataFrame]:
    """All accuracy tables of :func:`dashboard.projection.accuracy.report_tables` (memoised, copies)."""
    return {k: v.copy() for k, v in _accuracy_tables().items()}


@per_data_version(maxsize=4)
def _accuracy_tables() -> dict[str, pd.DataFrame]:
    return accuracy.report_tables()


def official_comparison() -> pd.DataFrame:
    """The Basis beside the official IT.NRW projection (memoised copy)."""
    return _official_comparison().copy()


@per_data_version(maxsize=4)
def _official_comparison() -> pd.DataFrame:
    return accuracy.official_comparison()


# --------------------------------------------------------------------------- history


def history_series() -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    """Municipal and Kreis population since 1983 (official figures) and the census breaks.

    Returns
    -------
    (DataFrame ``ags, reference_date, population, basis, estimated``, breaks): the primary
    level per area and date from :func:`dashboard.data.history.municipal_history` (official
    figures, plus the project's estimated Zensus-2022-based levels 2022–2024), Kreis rows
    under ``"05358"``; breaks are the census reference dates.
    """
    return _history_series()


@per_data_version(maxsize=4)
def _history_series() -> tuple[pd.DataFrame, list[tuple[str, str]]]:
    h = municipal_history(include_estimates=True)
    h = h[h.primary][["ags", "reference_date", "population", "basis", "estimated"]]
    return h.sort_values(["ags", "reference_date"]).reset_index(drop=True), list(CENSUS_BREAKS)


def backtest_summary() -> pd.DataFrame:
    """The model's backtest summary with German method and level labels (memoised; the
    backtest takes a few seconds once per process)."""
    s = _backtest().summary.copy()
    s["method"] = s.method.map(lambda m: BACKTEST_METHODS.get(m, m))
    s["level"] = s.level.map(lambda m: BACKTEST_LEVELS.get(m, m))
    return s


def backtest_table() -> pd.DataFrame:
    return _backtest().table.copy()


@per_data_version(maxsize=4)
def _backtest():
    # the submodule, not ``dashboard.projection.backtest`` the attribute: importing the
    # submodule anywhere rebinds the package attribute from the function to the module

    return backtest()


def published_tables() -> list[dict]:
    """Provenance of the published official tables the model uses now (served release)."""
    return [p for p in published_provenance() if p.get("used_by_model")]


def data_stand() -> dict[str, str]:
    """Facts shown as "Datenstand" on every page."""
    import dashboard

    return {
        "year": str(base_year()),
        "version": dashboard.__version__,
        "basis": BASIS_Z2022,
        "previous_basis": BASIS_Z2011,
    }


def base_population() -> pd.DataFrame:
    """Base population by municipality × sex × age (estimated structure)."""
    return load_population(year=base_year())


def observed_kreis_components() -> pd.DataFrame:
    """Official Kreis births, deaths and net migration 2020–2024: ``year, births, deaths,
    in_migration, out_migration, net_migration`` (Regionalstatistik 12612/12613/12711)."""
    return _observed_kreis_components().copy()


@per_data_version(maxsize=4)
def _observed_kreis_components() -> pd.DataFrame:
    v = vital_events()
    t = v[(v.sex == "total") & (v.age_group == "total")].pivot(index="year", columns="event", values="value")
    t["net_migration"] = t.in_migration - t.out_migration
    return t.reset_index()[["year", "births", "deaths", "in_migration", "out_migration", "net_migration"]]


def basis_defaults() -> dict[str, float]:
    """Start values of the controls: each parameter's Basis value (``{key: value}``) from the
    estimated assumptions (:attr:`Parameter.default`), rounded to the parameter's ``digits``
    as the controls show it."""
    return dict(_basis_defaults())


@per_data_version(maxsize=4)
def _basis_defaults() -> tuple[tuple[str, float], ...]:
    d = parameter_defaults()
    return tuple((p.key, round(float(d[p.key]), p.digits)) for p in PARAMETERS if not p.many)


def solve_target(target: object, year: object, spec: ScenarioSpec) -> tuple[str, float | None]:
    """German message and the net migration (persons/year) that reaches ``target`` in ``year``
    with the other assumptions of ``spec``; the value is rounded as the control shows it
    (whole persons), and the message states that value."""
    p = PARAMETER["net_migration"]
    y = parse_year(year, default=2035)
    ask = "Bitte geben Sie eine Einwohnerzahl zwischen 100.000 und 500.000 ein (z. B. 285.000)."
    try:
        t = parse_number(target)
    except ValueError as err:
        return f"{err} {ask}", None
    if not 100_000 <= t <= 500_000:
        return f"{fmt_num(t)} liegt außerhalb des Bereichs. {ask}", None
    base = ScenarioSpec(CUSTOM, **{k: v for k, v in spec.values().items() if k != p.key}).scenario()
    try:
        m = round(float(solve_net_migration_for_target(t, y, base)), p.digits)
    except ValueError as exc:
        return f"Das Ziel ist mit den Annahmen nicht erreichbar: {exc}", None
    lo, hi = p.ui_range
    msg = (
        f"Für {fmt_int(t)} Einwohnerinnen und Einwohner am 31.12.{y} wäre ein Wanderungssaldo von "
        f"{fmt_signed_int(m)} Personen je Jahr nötig."
    )
    if not lo <= m <= hi:
        return msg + f" Das liegt außerhalb des Reglers ({fmt_int(lo)} bis {fmt_int(hi)}).", None
    return msg + f" Der Wanderungssaldo wurde auf {fmt_signed_int(m)} gesetzt.", m


def warm_up() -> None:
    """Compute the expensive memoised results once (Basis projection, slider defaults,
    interval projection, backtest and its interval coverage), e.g. before a server takes
    requests or before tests time page loads. Takes seconds to a minute, once per process."""
    result(ScenarioSpec())
    basis_defaults()
    history_series()
    probabilistic(ScenarioSpec())
    backtest_summary()
    backtest_coverage()
