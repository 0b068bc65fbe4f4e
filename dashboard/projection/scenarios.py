"""Scenarios: the parameter declaration, frozen and hashable parameter sets, the named presets.

Every scenario parameter a user can set is declared **once**, in :data:`PARAMETERS`: its key
in the model (a field of :class:`Scenario`, also its code in the assumptions table), its key in
links (``?tfr=1.6``), its command-line flag (``--tfr``), its German texts
(:data:`dashboard.text.SCENARIO_PARAMETERS`), its unit, the range the model accepts, the range
and step of the slider, and its Basis value (a function of the estimated
:class:`~dashboard.projection.assumptions.Assumptions`). Everything else derives from it: the
checks in :class:`Scenario`, :class:`ScenarioSpec` (what a link says) and its query string, the
page-query checks and the sliders of the app, the CLI flags, the downloads and the assumptions
table. A list-valued parameter (``many=True``, e.g. the planned dwellings of a municipality)
is declared the same way with an item codec (``parse_item``/``format_item``): its link value is
the items joined with ``;``, its CLI flag is repeatable.

Numbers typed by people or written in links are read by one parser,
:func:`dashboard.text.parse_number` ("1,6" = "1.6" = 1.6, "2.300" = 2300); links are written with
:func:`dashboard.text.fmt_query_number`, which that parser reads back exactly.
"""

from __future__ import annotations

import math
import numbers
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields, make_dataclass, replace
from typing import Any

from dashboard.constants import BASE_YEAR
from dashboard.projection import local as _local
from dashboard.projection.assumptions import estimate_assumptions
from dashboard.projection.base import start_year
from dashboard.projection.local import LocalScenario
from dashboard.text import (
    NUMBER_INPUT,
    SCENARIO,
    SCENARIO_LABELS,
    SCENARIO_PARAMETERS,
    UNITS,
    fmt_num,
    fmt_query_number,
    parse_number,
)

__all__ = [
    "Scenario",
    "PRESETS",
    "MIN_HORIZON",
    "MAX_HORIZON",
    "Parameter",
    "PARAMETERS",
    "PARAMETER",
    "BY_URL_KEY",
    "URL_KEYS",
    "SCENARIO_URL_KEY",
    "CUSTOM",
    "ScenarioSpec",
    "spec_from_query",
    "parameter_defaults",
    "scenario_from_flags",
    "cli_dest",
]

MIN_HORIZON = BASE_YEAR + 1
MAX_HORIZON = 2045

#: Link key of the scenario's name (a preset key or :data:`CUSTOM`).
SCENARIO_URL_KEY = "szenario"
#: Name of a scenario made of the user's own values.
CUSTOM = "eigenes"

_LABELS = {**SCENARIO_LABELS, CUSTOM: SCENARIO["own"]}


# --------------------------------------------------------------------------- the declaration


@dataclass(frozen=True)
class Parameter:
    """One scenario parameter, declared once (see the module docstring).

    Parameters
    ----------
    key : field of :class:`Scenario` (``target="scenario"``) or of the local scenario
        (``target="local"``); also the parameter's code in the assumptions table.
    url_key : key in links (``/szenarien?tfr=1.6``).
    cli_flag : flag of ``python -m dashboard project`` (repeatable when ``many``).
    unit : unit code of the assumptions table (German text in ``text.UNITS``).
    model_range : inclusive range :class:`Scenario` accepts (also the CLI and files).
    ui_range : inclusive range of the slider, of links and of the input boxes (inside
        ``model_range``).
    step : slider step (typed values need not lie on it).
    digits : decimals of the Basis value shown beside the control; a control left at the Basis
        value rounded to ``digits`` means the exact Basis assumption.
    marks : slider marks.
    default : the Basis value, from the estimated assumptions (``default(a)``).
    target : ``"scenario"`` (a field of :class:`Scenario`) or ``"local"`` (of
        ``Scenario.local``).
    many : list-valued (tuple of items; link value ``item;item``; repeatable CLI flag).
    parse_item, format_item : codec of one item of a list-valued parameter (German
        ``ValueError`` on a malformed item; exact round trip).
    syntax : the item syntax of a list-valued parameter (CLI help, messages).
    """

    key: str
    url_key: str
    cli_flag: str
    unit: str
    default: Callable[[Any], Any]
    model_range: tuple[float, float] | None = None
    ui_range: tuple[float, float] | None = None
    step: float | None = None
    digits: int = 0
    marks: tuple[float, ...] = ()
    target: str = "scenario"
    many: bool = False
    parse_item: Callable[[str], Any] | None = None
    format_item: Callable[[Any], str] | None = None
    syntax: str = ""

    # ---- German texts ------------------------------------------------------------------

    @property
    def label(self) -> str:
        """German name of the value (messages, tables)."""
        return SCENARIO_PARAMETERS[self.key]["label"]

    @property
    def unit_text(self) -> str:
        """German unit (of the unit code, :data:`dashboard.text.UNITS`)."""
        return UNITS[self.unit]

    def control_label(self, basis: object) -> str:
        """Label of the slider and its input box, with the Basis value."""
        return SCENARIO_PARAMETERS[self.key]["control"].format(basis=self.show(basis))

    def show(self, value: object) -> str:
        """A value in German (a scalar at most ``digits`` decimals; list items joined by ``; ``)."""
        if self.many:
            return "; ".join(self.format_item(v) for v in (value or ()))  # type: ignore[misc]
        return fmt_num(value, max_digits=self.digits)  # type: ignore[arg-type]

    # ---- reading ---------------------------------------------------------------------

    def range_problem(self, x: float, rng: tuple[float, float]) -> str | None:
        """German problem if ``x`` is not a finite number inside ``rng`` (inclusive)."""
        lo, hi = rng
        if _finite(x) and lo <= float(x) <= hi:
            return None
        return NUMBER_INPUT["out_of_range"].format(
            label=self.label,
            value=fmt_num(x) if _finite(x) else str(x)[:40],
            lo=fmt_num(lo),
            hi=fmt_num(hi),
            unit=self.unit_text,
        )

    def parse(self, text: object, *, rng: tuple[float, float] | None = None) -> Any:
        """A value from text typed by a person, a link or a CLI flag; German ``ValueError``.

        A scalar is read by :func:`dashboard.text.parse_number` and must lie in ``rng``
        (default: :attr:`ui_range`); a list-valued parameter is split at ``;`` and every item
        read by :attr:`parse_item` (all problems at once).
        """
        if self.many:
            items, problems = [], []
            parts = text if isinstance(text, (list, tuple)) else str(text).split(ITEM_SEPARATOR)
            for part in parts:
                if not str(part).strip():
                    continue
                try:
                    items.append(self.parse_item(str(part)))  # type: ignore[misc]
                except ValueError as err:
                    problems.append(str(err))
            if problems:
                raise ValueError(" ".join(problems))
            return tuple(items)
        x = parse_number(text)
        why = self.range_problem(x, rng or self.ui_range or self.model_range)  # type: ignore[arg-type]
        if why:
            raw = str(text).strip()
            if _THOUSANDS_ONLY.match(raw):  # "1.500" read as 1500: say so
                why += NUMBER_INPUT["thousands_hint"].format(
                    typed=raw, value=f"{x:.0f}", example=raw.replace(".", ",")
                )
            raise ValueError(why)
        return x

    def to_text(self, value: Any) -> str:
        """The value in a link or file (exact; :meth:`parse` reads it back)."""
        if self.many:
            return ITEM_SEPARATOR.join(self.format_item(v) for v in value)  # type: ignore[misc]
        return fmt_query_number(value)

    def is_set(self, value: Any) -> bool:
        return bool(value) if self.many else value is not None


_THOUSANDS_ONLY = re.compile(r"^[+\-−–]?\s*\d{1,3}\.\d{3}$")

#: Items of a list-valued parameter in a link are joined with this.
ITEM_SEPARATOR = _local.ITEM_SEPARATOR


def _basis_tfr(a) -> float:
    return float(a.tfr)


def _basis_e0_gain(a) -> float:
    return 0.0  # the Basis mortality improvement is in the model; this is the extra gain


def _basis_net_migration(a) -> float:
    return float(a.net_migration)


def _no_items(a) -> tuple:
    return ()  # the Basis has no local inputs


def _local_parameter(kind: str, cli_flag: str) -> Parameter:
    """A kind of local input (:data:`dashboard.projection.local.KINDS`: item codec, link key) as
    a list-valued parameter of ``Scenario.local`` with the CLI flag ``cli_flag``."""
    k = _local.KINDS[kind]
    return Parameter(
        key=k.name,
        url_key=k.query_key,
        cli_flag=cli_flag,
        unit="",
        default=_no_items,
        target="local",
        many=True,
        parse_item=k.parse,
        format_item=k.format,
        syntax=k.syntax,
    )


#: The scenario parameters (order = order of the controls, of :class:`ScenarioSpec`'s fields
#: and of the CLI flags). Ranges: the model accepts TFR 0.5–3.0 (lowest/highest TFR of German
#: Länder since 1990 is ~0.77/~2.0; the margin allows stress tests), e0 gain −5…+10 years,
#: net migration −20,000…+50,000 a year (Kreis 2015: about +4,800, the highest since 1990);
#: the sliders offer the plausible part of that.
PARAMETERS: tuple[Parameter, ...] = (
    Parameter(
        key="tfr",
        url_key="tfr",
        cli_flag="--tfr",
        unit="children_per_woman",
        default=_basis_tfr,
        model_range=(0.5, 3.0),
        ui_range=(0.8, 2.4),
        step=0.01,
        digits=2,
        marks=(1.0, 1.4, 1.8, 2.2),
    ),
    Parameter(
        key="e0_gain",
        url_key="e0",
        cli_flag="--e0-gewinn",
        unit="years",
        default=_basis_e0_gain,
        model_range=(-5.0, 10.0),
        ui_range=(-2.0, 6.0),
        step=0.5,
        digits=1,
        marks=(-2, 0, 2, 4, 6),
    ),
    Parameter(
        key="net_migration",
        url_key="wanderung",
        cli_flag="--wanderung",
        unit="persons_per_year",
        default=_basis_net_migration,
        model_range=(-20_000.0, 50_000.0),
        ui_range=(-3_000.0, 8_000.0),
        step=100,
        digits=0,
        marks=(-2000, 0, 2000, 4000, 6000, 8000),
    ),
    # Local (per-municipality) inputs: lists of items, each naming its municipality
    # (:mod:`dashboard.projection.local`); they combine with every preset.
    _local_parameter("new_housing", "--neubau"),
    _local_parameter("own_migration", "--wanderung-gemeinde"),
    _local_parameter("one_off", "--einmalig"),
)
PARAMETER: dict[str, Parameter] = {p.key: p for p in PARAMETERS}
BY_URL_KEY: dict[str, Parameter] = {p.url_key: p for p in PARAMETERS}
#: Every link key of a scenario: the name first, then the parameters.
URL_KEYS: tuple[str, ...] = (SCENARIO_URL_KEY, *BY_URL_KEY)


def parameter_defaults(a=None) -> dict[str, Any]:
    """The Basis value of every parameter (``{key: value}``) from the estimated assumptions."""
    if a is None:
        a = estimate_assumptions()
    return {p.key: p.default(a) for p in PARAMETERS}


# --------------------------------------------------------------------------- the model's scenario


@dataclass(frozen=True)
class Scenario:
    """Assumptions that the user can vary (frozen and hashable: used as a cache key).

    Parameters
    ----------
    name : identifier (preset key or free text).
    tfr : total fertility rate (children per woman) from the first projected year on;
        ``None`` = the Kreis level estimated from the data (Basis).
    e0_gain : years of life expectancy at birth gained by ``horizon`` (both sexes), reached
        by a linear ramp from the base year (proportional change of all death rates), on top
        of the Basis improvement.
    net_migration : Kreis net migration over the Kreis border, persons per year (constant);
        ``None`` = the estimated base level times ``migration_factor``.
    migration_factor : multiplies the base net migration (ignored if ``net_migration`` is set).
    horizon : last projected year (31 December), BASE_YEAR+1 … 2045.
    local : per-municipality inputs (new housing, own net migration, one-off changes;
        :mod:`dashboard.projection.local`); empty = the Basis treatment of every municipality.

    The ranges of ``tfr``, ``e0_gain`` and ``net_migration`` are declared in :data:`PARAMETERS`
    (``model_range``), the local inputs' lists too (their items check themselves).
    """

    name: str = "basis"
    tfr: float | None = None
    e0_gain: float = 0.0
    net_migration: float | None = None
    migration_factor: float = 1.0
    horizon: int = MAX_HORIZON
    local: LocalScenario = LocalScenario()

    def __post_init__(self) -> None:
        problems = []
        for p in PARAMETERS:
            if p.target != "scenario" or p.many:
                continue
            value = getattr(self, p.key)
            if value is None and _FIELD_DEFAULTS[p.key] is None:
                continue
            why = p.range_problem(value, p.model_range)  # type: ignore[arg-type]
            if why:
                problems.append(why)
        if not (_finite(self.migration_factor) and -5.0 <= self.migration_factor <= 10.0):
            problems.append(SCENARIO["bad_factor"].format(value=self.migration_factor))
        if isinstance(self.horizon, numbers.Integral) and not isinstance(self.horizon, bool):
            object.__setattr__(self, "horizon", int(self.horizon))  # e.g. numpy integers
        if (
            isinstance(self.horizon, bool)
            or not isinstance(self.horizon, int)
            or not (MIN_HORIZON <= self.horizon <= MAX_HORIZON)
        ):
            problems.append(
                SCENARIO["bad_horizon"].format(lo=MIN_HORIZON, hi=MAX_HORIZON, value=repr(self.horizon))
            )
        if not isinstance(self.local, LocalScenario):
            problems.append(SCENARIO["bad_local"].format(type=type(self.local).__name__))
        if problems:
            raise ValueError(" ".join(problems))

    @property
    def label(self) -> str:
        """German display name (``… mit lokalen Annahmen`` when local inputs are set)."""
        base = _LABELS.get(self.name, self.name)
        return SCENARIO["with_local"].format(label=base) if self.local else base

    @property
    def years(self) -> range:
        """Projected years (31 December), base year + 1 … horizon (base year: the data's,
        :func:`dashboard.projection.base.start_year`, 2024 unless a newer official base is published)."""
        return range(start_year() + 1, self.horizon + 1)


_FIELD_DEFAULTS = {f.name: f.default for f in fields(Scenario)}


def _finite(x) -> bool:
    if isinstance(x, bool):
        return False
    try:
        return math.isfinite(float(x))
    except (TypeError, ValueError, OverflowError):
        return False


#: Named presets. Low/high fertility: 1.3 / 1.7 children per woman, about ±0.2 around the
#: estimated Kreis level 2023–2024 (≈1.48), i.e. about the span of the NRW TFR 2013–2024 (1.39–1.62); low/high
#: migration: half / one and a half times the Basis net migration; longer life: +2 years of
#: life expectancy by 2045 on top of the Basis improvement (Destatis L2, +0.10/+0.13 years per year),
#: i.e. about the strong-increase assumption; IT.NRW: the official Kreis path as a migration level.
PRESETS: dict[str, Scenario] = {
    "basis": Scenario("basis"),
    "zuwanderung_niedrig": Scenario("zuwanderung_niedrig", migration_factor=0.5),
    "zuwanderung_hoch": Scenario("zuwanderung_hoch", migration_factor=1.5),
    "geburten_niedrig": Scenario("geburten_niedrig", tfr=1.3),
    "geburten_hoch": Scenario("geburten_hoch", tfr=1.7),
    "laengeres_leben": Scenario("laengeres_leben", e0_gain=2.0),
    # Net migration with which the Basis model follows the official IT.NRW projection for the
    # Kreis (Vorausberechnung 2021–2050: +1.4 %, i.e. +0.048 % a year): 279,285 (31.12.2024)
    # → 282,111 in 2045. Solved with solve_net_migration_for_target(282_111, 2045) on the
    # Basis assumptions; tests/test_scenarios.py recomputes the path and checks it.
    "itnrw": Scenario("itnrw", net_migration=1_380.0),
}


# --------------------------------------------------------------------------- what a link says


class _SpecMethods:
    """Methods of :class:`ScenarioSpec` (its fields come from :data:`PARAMETERS`)."""

    key: str

    def values(self) -> dict[str, Any]:
        """The parameters this spec sets (``{key: value}``, table order)."""
        return {p.key: getattr(self, p.key) for p in PARAMETERS if p.is_set(getattr(self, p.key))}

    @property
    def is_custom(self) -> bool:
        return self.key == CUSTOM

    def query(self) -> dict[str, str]:
        """Link values of this spec (``{"szenario": "eigenes", "tfr": "1.6"}``), exact."""
        q = {SCENARIO_URL_KEY: self.key}
        for key, v in self.values().items():
            q[PARAMETER[key].url_key] = PARAMETER[key].to_text(v)
        return q

    def selection(self) -> dict[str, str | None]:
        """:meth:`query` with every scenario link key present (``None`` = not set), so that a
        merged cross-page selection forgets the values of an earlier scenario."""
        return dict.fromkeys(URL_KEYS) | self.query()

    def scenario(self, *, horizon: int = MAX_HORIZON) -> Scenario:
        """The model's frozen :class:`Scenario` (German ``ValueError`` if a value is outside the
        model's range)."""
        own = {k: v for k, v in self.values().items() if PARAMETER[k].target == "scenario"}
        local = {k: v for k, v in self.values().items() if PARAMETER[k].target == "local"}
        if self.key == CUSTOM:
            s = Scenario(name=CUSTOM, horizon=horizon, **own)
        else:
            s = PRESETS[self.key]
            if horizon != s.horizon:
                s = replace(s, horizon=horizon)
        if local:
            s = replace(s, local=LocalScenario(**local))
        return s

    @property
    def label(self) -> str:
        return _LABELS.get(self.key, self.key)

    @property
    def local(self) -> LocalScenario:
        """The spec's local (per-municipality) inputs as one :class:`LocalScenario`."""
        return LocalScenario(
            **{p.key: tuple(getattr(self, p.key)) for p in PARAMETERS if p.target == "local"}
        )

    def with_local(self, local: LocalScenario) -> Any:
        """The same Kreis-wide assumptions with ``local`` as the local inputs."""
        return replace(
            self, **{p.key: tuple(getattr(local, p.key)) for p in PARAMETERS if p.target == "local"}
        )

    def without_local(self) -> Any:
        """The same Kreis-wide assumptions without local inputs (what local effects compare to)."""
        return self.with_local(LocalScenario())


def _only_own_values(spec) -> None:
    bad = [p.url_key for p in PARAMETERS if p.target == "scenario" and p.is_set(getattr(spec, p.key))]
    if spec.key not in PRESETS and spec.key != CUSTOM:
        raise ValueError(SCENARIO["unknown_preset"].format(value=spec.key, options=", ".join(preset_keys())))
    if bad and spec.key != CUSTOM:
        raise ValueError(SCENARIO["values_without_own"].format(keys=", ".join(bad), key=spec.key))


ScenarioSpec = make_dataclass(
    "ScenarioSpec",
    [("key", str, field(default="basis"))]
    + [(p.key, Any, field(default=() if p.many else None)) for p in PARAMETERS],
    bases=(_SpecMethods,),
    frozen=True,
    namespace={"__post_init__": lambda self: _only_own_values(self)},
)
ScenarioSpec.__module__ = __name__
ScenarioSpec.__doc__ = """What a link, a page or a file says about a scenario (frozen, hashable).

``key`` is a preset key or :data:`CUSTOM`; then one attribute per :data:`PARAMETERS` entry in
table order (``None`` / ``()`` = not set = the Basis assumption). Own values (``target ==
"scenario"``) only with ``key == CUSTOM``. ``spec.query()`` gives its link values,
:func:`spec_from_query` reads them, ``spec.scenario()`` is the model's :class:`Scenario`.
"""


def preset_keys() -> list[str]:
    return list(PRESETS)


def spec_from_query(query: Mapping[str, object]) -> tuple[Any, list[str]]:
    """A :class:`ScenarioSpec` from link values, and the German problems found (strict).

    ``query`` maps link keys to values (text; a list = a key given more than once). Every
    invalid value is named in the problems and not used (its parameter keeps the Basis
    assumption); nothing is clipped or guessed. Without ``szenario``, own values make an own
    scenario (``eigenes``), none the Basis. Own values with a preset are a problem.
    """
    problems: list[str] = []
    values: dict[str, Any] = {}

    def text(k: str) -> Any:
        v = query.get(k)
        if v is None:
            return None
        if isinstance(v, (list, tuple)):
            problems.append(SCENARIO["repeated"].format(key=k, n=len(v)))
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool) and k != SCENARIO_URL_KEY:
            return v  # a number from a control (slider): checked like text
        if not isinstance(v, str):
            problems.append(SCENARIO["not_text"].format(key=k))
            return None
        return v

    key = text(SCENARIO_URL_KEY)
    if key is not None and key != CUSTOM and key not in PRESETS:
        problems.append(
            SCENARIO["unknown_preset"].format(value=key[:40], options=", ".join([*PRESETS, CUSTOM]))
        )
        key = None
    for p in PARAMETERS:
        raw = text(p.url_key)
        if raw is None or raw == "":
            continue
        try:
            values[p.key] = p.parse(raw)
        except ValueError as err:
            problems.append(SCENARIO["bad_value"].format(key=p.url_key, value=str(raw)[:40], why=err))
    local = {k: v for k, v in values.items() if PARAMETER[k].target == "local"}
    if local:  # the items together (e.g. how many of a kind, one own migration per year)
        try:
            LocalScenario(**local)
        except ValueError as err:
            problems.append(str(err))
            values = {k: v for k, v in values.items() if k not in local}
    own = [k for k in values if PARAMETER[k].target == "scenario"]
    if key is None:
        key = CUSTOM if own else "basis"
    elif key != CUSTOM and own:
        problems.append(
            SCENARIO["values_without_own"].format(keys=", ".join(PARAMETER[k].url_key for k in own), key=key)
        )
        values = {k: v for k, v in values.items() if k not in own}
    return ScenarioSpec(key, **values), problems


# --------------------------------------------------------------------------- command line


def cli_dest(p: Parameter) -> str:
    """argparse destination of a parameter's CLI flag (``--e0-gewinn`` -> ``e0_gewinn``)."""
    return p.cli_flag.lstrip("-").replace("-", "_")


def scenario_from_flags(base: Scenario, raw: Mapping[str, object]) -> Scenario:
    """The command line's :class:`Scenario`: ``base`` (a preset or a scenario file) with the
    values of the parameters' flags on top (``raw``: parameter key -> the flag's text, or the
    list of texts of a repeatable flag; ``None`` = flag not given). Items of a list-valued flag
    are added to the base's items.

    Numbers are German or plain (:func:`dashboard.text.parse_number`) and must lie in the
    parameter's ``model_range``. Raises ``ValueError`` naming every flag it cannot use (German).
    """
    problems = []
    scalars, local = {}, {}
    for p in PARAMETERS:
        text = raw.get(p.key)
        if text is None or (p.many and not text):
            continue
        if p.many:  # a repeatable flag: every item on its own, each problem named
            value, bad = [], []
            for item in text if isinstance(text, (list, tuple)) else [text]:
                try:
                    value += p.parse([item])
                except ValueError as err:
                    bad.append(NUMBER_INPUT["cli_item"].format(flag=p.cli_flag, why=err))
            if bad:
                problems += bad
                continue
        else:
            try:
                value = p.parse(text, rng=p.model_range)
            except ValueError as err:
                problems.append(NUMBER_INPUT["cli"].format(flag=p.cli_flag, value=str(text)[:80], why=err))
                continue
        if p.target == "local":
            local[p.key] = tuple(getattr(base.local, p.key)) + tuple(value)
        else:
            scalars[p.key] = value
    if problems:
        raise ValueError("\n".join(problems))
    s = replace(base, **scalars)
    if local:
        s = replace(s, local=replace(s.local, **local))
    return s
