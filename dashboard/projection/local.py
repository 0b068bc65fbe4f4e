"""Local scenarios: a municipality's own plans on top of the Kreis-wide assumptions.

Three kinds of input, each for one municipality (frozen, hashable dataclasses, so a
:class:`LocalScenario` can be part of the :class:`~dashboard.projection.scenarios.Scenario`
cache key):

*Neubau* — :class:`NewHousing`
    ``dwellings`` completed evenly over the years ``first_year … last_year``. Each completed
    dwelling brings ``persons_per_dwelling`` in-movers in its year of completion (default:
    the municipality's mean household size in the Zensus 2022, Regionaltabelle Haushalte,
    :func:`default_persons_per_dwelling`). The movers have the age × sex profile of the
    Kreis in-migrants over the Kreis border 2020–2024 (Regionalstatistik 12711-01-03-4, six
    age groups by sex, spread over single ages as in the Basis model,
    ``Assumptions.in_migration_distribution``): no published profile of movers into new
    dwellings exists for the Kreis; the in-migrant profile contains the young families
    (about 6 % of in-migrants are 0–5, 33 % are 30–49 years old) but also the students and
    refugees who rarely move into new houses — a planner who knows better changes the number
    of persons, not the profile. ``share_from_kreis_pct`` percent of the movers come from the
    other 14 municipalities: they are withdrawn from those in proportion to their population
    of the same sex and age, so the Kreis total is not counted twice. Default
    :data:`DEFAULT_SHARE_FROM_KREIS_PCT` = 0 %: there is no official figure for the Kreis
    (municipal in- and out-moves within the Kreis are not in the project's data), and 0 % is
    the upper bound of the effect on the Kreis total — the panel says so.

Own net migration — :class:`OwnMigration`
    The municipality's net migration (persons per year, all origins) for the years
    ``first_year … last_year`` (default: every projected year) *replaces* its population
    share of the Kreis net migration (its model target); the other municipalities keep their
    shares, so the Kreis net migration changes by the difference. In-migrants and
    out-migrants by age follow the Basis model (out-migration rates, in-migrants on the local
    population × the municipal propensity), only the balance is the planner's.

One-off changes — :class:`OneOffChange`
    ``persons`` (positive: arrivals, e.g. a care home opening; negative: departures, e.g. a
    shelter closing) in ``year``, aged ``age_min … age_max`` at the end of the year, with the
    sex × age profile of the Kreis base population (31.12.2024) in that range. A *permanent*
    change (the default for arrivals) keeps the places occupied: in every later year the
    residents who died are replaced (a shadow stock of the residents is aged with the
    scenario's survival ratios; residents who age beyond ``age_max`` stay in the population,
    their places are refilled). Departures are always one-time. ``share_from_kreis_pct`` as
    for Neubau (arrivals withdrawn from, departures added to the other municipalities).

Neubau and one-off changes come *on top of* the municipality's migration (its share of the
Kreis level or its own net migration). All persons move at mid-year, like every migrant of
the model (they meet half a year of mortality; women count in the year-end exposure).
Nothing is clipped: a withdrawal larger than a cell is floored by the kernel and reported
in the result's warnings.

This module holds the inputs, their text / URL / JSON forms (exact round trips; German error
messages naming the malformed value) and :func:`local_terms`, the arrays the migration
function adds (:func:`dashboard.projection.engine.migration_function`,
:func:`dashboard.projection.uncertainty.fast_net_migration`). No file access: the Zensus
household table comes through :mod:`dashboard.data`.
"""

from __future__ import annotations

import functools
import json
import math
import numbers
import re
from collections.abc import Callable
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar

import numpy as np

from dashboard.constants import AGS_LIST, BASE_YEAR, MUNICIPALITIES, N_AGES, OPEN_AGE
from dashboard.data import zensus2022_households
from dashboard.text import LOCAL_CHECK as M
from dashboard.text import fmt_dec, fmt_int, fmt_signed_int

__all__ = [
    "NewHousing",
    "OwnMigration",
    "OneOffChange",
    "LocalScenario",
    "LocalTerms",
    "local_terms",
    "default_persons_per_dwelling",
    "parse_new_housing",
    "parse_own_migration",
    "parse_one_off",
    "format_new_housing",
    "format_own_migration",
    "format_one_off",
    "DEFAULT_SHARE_FROM_KREIS_PCT",
    "LIMITS",
    "QUERY_KEYS",
    "KINDS",
    "Kind",
]

FIRST_YEAR = BASE_YEAR + 1
LAST_YEAR = 2045  # = scenarios.MAX_HORIZON (not imported: scenarios imports this module)

#: Default share (percent) of movers into new dwellings / facilities who come from the other
#: municipalities of the Kreis (0 = all from outside: the upper bound for the Kreis total).
DEFAULT_SHARE_FROM_KREIS_PCT: float = 0.0

#: Input ranges (inclusive). Dwellings per entry: up to 10,000 (Düren, the largest town, had
#: 43,656 households at the Zensus 2022); persons per dwelling 1–6 (Zensus 2022 municipal
#: means 2.02–2.32); own net migration and one-off persons within ±5,000 a year (the Kreis
#: net migration 2020–2024 was +1,365 … +5,178); at most 20 entries per kind.
LIMITS = {
    "dwellings": (1, 10_000),
    "persons_per_dwelling": (1.0, 6.0),
    "share_from_kreis_pct": (0.0, 100.0),
    "net": (-5_000.0, 5_000.0),
    "persons": (-5_000, 5_000),
    "entries": 20,
}

#: Items of a list in a link are joined with this.
ITEM_SEPARATOR = ";"

_NAMES_LOWER = {v.lower(): k for k, v in MUNICIPALITIES.items()}


# --------------------------------------------------------------------------------------
# validation helpers (German messages)
# --------------------------------------------------------------------------------------


def _is_int(x) -> bool:
    return isinstance(x, numbers.Integral) and not isinstance(x, bool)


def _is_num(x) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(float(x))


def _where(kind: str, ags) -> str:
    """``Neubau (Nideggen)``: the start of a message about an entry."""
    name = MUNICIPALITIES.get(ags, str(ags)) if isinstance(ags, str) else repr(ags)
    return f"{kind} ({name})"


def _item(kind: str, whole: str) -> str:
    """``Neubau '05358044:2026:5'``: the start of a message about an item's text."""
    return f"{kind} {whole!r}"


def _check_ags(kind: str, ags) -> list[str]:
    if not isinstance(ags, str) or ags not in MUNICIPALITIES:
        return [M["bad_ags"].format(kind=kind, value=repr(ags))]
    return []


def _check_year(where: str, label: str, y) -> list[str]:
    if not _is_int(y) or not (FIRST_YEAR <= y <= LAST_YEAR):
        return [
            M["out_of_range"].format(
                where=where,
                label=label,
                what=M["whole_number"],
                lo=FIRST_YEAR,
                hi=LAST_YEAR,
                unit="",
                value=repr(y),
            )
        ]
    return []


def _check_span(where: str, first, last, *, order: bool = True) -> list[str]:
    """Problems of a span of years ``first … last``; ``order``: also say when ``last < first``
    (only asked when nothing else is wrong with the entry, so one mistake gives one message)."""
    p = _check_year(where, M["first_year"], first) + _check_year(where, M["last_year"], last)
    if order and not p and last < first:
        p.append(M["years_reversed"].format(where=where, first=first, last=last))
    return p


def _check_range(where: str, label: str, x, lo, hi, *, integer: bool = False, unit: str = "") -> list[str]:
    ok = _is_int(x) if integer else _is_num(x)
    if not ok or not (lo <= x <= hi):
        what = M["whole_number"] if integer else M["number"]
        u = f" {unit}" if unit else ""
        return [
            M["out_of_range"].format(
                where=where, label=label, what=what, lo=_num(lo), hi=_num(hi), unit=u, value=repr(x)
            )
        ]
    return []


def _check_share(where: str, pct) -> list[str]:
    """Problems of an optional share from the Kreis (percent; ``None`` = the default)."""
    if pct is None:
        return []
    return _check_range(where, M["share"], pct, *LIMITS["share_from_kreis_pct"], unit="%")


def _num(x) -> str:
    """German number for messages (no exponent, shortest form)."""
    if isinstance(x, numbers.Integral) or float(x).is_integer():
        return fmt_int(x)
    return _dec(float(x))


def _dec(x: float) -> str:
    """Shortest exact decimal of a float with a decimal comma (round trip: ``_to_float``)."""
    s = repr(float(x))
    if "e" in s or "E" in s:
        s = np.format_float_positional(float(x), trim="-")
    if s.endswith(".0"):
        s = s[:-2]
    return s.replace(".", ",")


# --------------------------------------------------------------------------------------
# the three inputs
# --------------------------------------------------------------------------------------


class _Entry:
    """What the three inputs share: a German name (``KIND``, in every message about them) and
    :meth:`problems`, which checks the municipality and then the input's own fields."""

    KIND: ClassVar[str] = ""
    ags: str

    def problems(self) -> list[str]:
        """Every problem of the entry (German; each names the kind and the municipality)."""
        return self._problems(_where(self.KIND, self.ags), _check_ags(self.KIND, self.ags))

    def _problems(self, w: str, p: list[str]) -> list[str]:
        raise NotImplementedError


@dataclass(frozen=True)
class NewHousing(_Entry):
    """Planned new dwellings in one municipality (*Neubau*).

    Parameters
    ----------
    ags : 8-digit key of the municipality.
    first_year, last_year : years of completion (31 Dec), dwellings spread evenly over them.
    dwellings : number of dwellings in total (1 … 10,000).
    persons_per_dwelling : in-movers per completed dwelling; ``None`` = the municipality's
        Zensus 2022 mean household size (:func:`default_persons_per_dwelling`).
    share_from_kreis_pct : percent of the movers who come from the other municipalities of
        the Kreis; ``None`` = :data:`DEFAULT_SHARE_FROM_KREIS_PCT`.
    """

    KIND: ClassVar[str] = M["kind_new_housing"]

    ags: str
    first_year: int
    last_year: int
    dwellings: int
    persons_per_dwelling: float | None = None
    share_from_kreis_pct: float | None = None

    def _problems(self, w: str, p: list[str]) -> list[str]:
        p += _check_span(w, self.first_year, self.last_year, order=not p)
        p += _check_range(w, M["dwellings"], self.dwellings, *LIMITS["dwellings"], integer=True)
        if self.persons_per_dwelling is not None:
            p += _check_range(
                w, M["persons_per_dwelling"], self.persons_per_dwelling, *LIMITS["persons_per_dwelling"]
            )
        p += _check_share(w, self.share_from_kreis_pct)
        return p

    @property
    def years(self) -> range:
        return range(self.first_year, self.last_year + 1)


@dataclass(frozen=True)
class OwnMigration(_Entry):
    """A municipality's own net migration (persons per year), replacing its share of the Kreis level.

    ``first_year``/``last_year`` ``None`` = from the first projected year / to the horizon.
    """

    KIND: ClassVar[str] = M["kind_own_migration"]

    ags: str
    net: float
    first_year: int | None = None
    last_year: int | None = None

    def _problems(self, w: str, p: list[str]) -> list[str]:
        p += _check_range(w, M["net"], self.net, *LIMITS["net"], unit=M["persons_per_year"])
        if (self.first_year is None) != (self.last_year is None):
            p.append(M["both_years"].format(where=w))
        elif self.first_year is not None:
            p += _check_span(w, self.first_year, self.last_year, order=not p)
        return p

    def years(self, horizon: int) -> range:
        lo = FIRST_YEAR if self.first_year is None else self.first_year
        hi = horizon if self.last_year is None else min(self.last_year, horizon)
        return range(lo, hi + 1)


@dataclass(frozen=True)
class OneOffChange(_Entry):
    """A known one-off change: ``persons`` arrive (> 0) or leave (< 0) in ``year``.

    Parameters
    ----------
    ags, year : municipality and year (31 Dec) of the change.
    persons : arrivals (> 0) or departures (< 0), persons (not 0).
    age_min, age_max : ages of the persons at the end of the year (inclusive, 0 … 100).
    permanent : arrivals only — places stay occupied (deaths replaced every later year);
        ``None`` = True for arrivals, False for departures (departures are always one-time).
    share_from_kreis_pct : percent from (to) the other municipalities; ``None`` = default.
    """

    KIND: ClassVar[str] = M["kind_one_off"]

    ags: str
    year: int
    persons: int
    age_min: int = 0
    age_max: int = OPEN_AGE
    permanent: bool | None = None
    share_from_kreis_pct: float | None = None

    def _problems(self, w: str, p: list[str]) -> list[str]:
        p += _check_year(w, M["year"], self.year)
        p += _check_range(w, M["persons"], self.persons, *LIMITS["persons"], integer=True)
        if _is_int(self.persons) and self.persons == 0:
            p.append(M["persons_zero"].format(where=w))
        p += _check_range(w, M["age_min"], self.age_min, 0, OPEN_AGE, integer=True)
        p += _check_range(w, M["age_max"], self.age_max, 0, OPEN_AGE, integer=True)
        if _is_int(self.age_min) and _is_int(self.age_max) and self.age_max < self.age_min:
            p.append(M["ages_reversed"].format(where=w, lo=self.age_min, hi=self.age_max))
        if self.permanent is not None and not isinstance(self.permanent, bool):
            p.append(M["bad_permanent"].format(where=w, value=repr(self.permanent)))
        if self.permanent is True and _is_int(self.persons) and self.persons < 0:
            p.append(M["departure_permanent"].format(where=w))
        p += _check_share(w, self.share_from_kreis_pct)
        return p

    @property
    def is_permanent(self) -> bool:
        return (self.persons > 0) if self.permanent is None else bool(self.permanent)


@dataclass(frozen=True)
class LocalScenario:
    """All local inputs of a scenario (empty = the Basis treatment of every municipality).

    Raises ``ValueError`` with every problem (German) when an entry is invalid, when a
    municipality has two own net migrations for the same year, or when a list holds more
    than ``LIMITS["entries"]`` entries. Lists are stored as tuples (hashable).
    """

    new_housing: tuple[NewHousing, ...] = ()
    own_migration: tuple[OwnMigration, ...] = ()
    one_off: tuple[OneOffChange, ...] = ()

    def __post_init__(self) -> None:
        problems = []
        for name, kind in KINDS.items():
            cls = kind.item
            items = getattr(self, name)
            if isinstance(items, list):
                items = tuple(items)
                object.__setattr__(self, name, items)
            if not isinstance(items, tuple):
                problems.append(M["not_a_list"].format(name=name, type=type(items).__name__))
                continue
            if len(items) > LIMITS["entries"]:
                problems.append(M["too_many"].format(n=LIMITS["entries"], count=len(items), name=name))
            for it in items:
                if not isinstance(it, cls):
                    problems.append(M["wrong_type"].format(cls=cls.__name__, value=repr(it)))
                else:
                    problems += it.problems()
        if not problems:
            seen: dict[tuple[str, int], OwnMigration] = {}
            for m in self.own_migration:
                for y in m.years(LAST_YEAR):
                    if (m.ags, y) in seen:
                        problems.append(M["two_own"].format(where=_where(m.KIND, m.ags), year=y))
                        break
                    seen[(m.ags, y)] = m
        if problems:
            raise ValueError(" ".join(problems))

    def __bool__(self) -> bool:
        return bool(self.new_housing or self.own_migration or self.one_off)

    @property
    def municipalities(self) -> tuple[str, ...]:
        """AGS of every municipality with a local input (sorted)."""
        return tuple(sorted({it.ags for name in KINDS for it in getattr(self, name)}))

    def for_municipality(self, ags: str) -> LocalScenario:
        """The entries of one municipality."""
        return LocalScenario(**{n: tuple(it for it in getattr(self, n) if it.ags == ags) for n in KINDS})

    def replace_municipality(self, ags: str, other: LocalScenario) -> LocalScenario:
        """This scenario with the entries of ``ags`` replaced by those of ``other`` (of ``ags``)."""
        return LocalScenario(
            **{
                n: tuple(it for it in getattr(self, n) if it.ags != ags)
                + tuple(it for it in getattr(other, n) if it.ags == ags)
                for n in KINDS
            }
        )

    # ---- text / URL -------------------------------------------------------------------

    def to_query(self) -> dict[str, str]:
        """URL query values (only non-empty lists): ``{"neubau": "05358044:2026-2030:200;…", …}``."""
        out = {}
        for name, kind in KINDS.items():
            items = getattr(self, name)
            if items:
                out[kind.query_key] = ITEM_SEPARATOR.join(kind.format(it) for it in items)
        return out

    @classmethod
    def from_query(cls, query: dict) -> LocalScenario:
        """Inverse of :meth:`to_query` (missing or empty keys = no entries; German ``ValueError``)."""
        lists, problems = {}, []
        for name, kind in KINDS.items():
            key = kind.query_key
            raw = query.get(key)
            if raw is None or raw == "":
                continue
            if isinstance(raw, (list, tuple)):
                raw = ITEM_SEPARATOR.join(str(r) for r in raw)
            if not isinstance(raw, str):
                problems.append(M["query_not_text"].format(key=key, type=type(raw).__name__))
                continue
            parsed = []
            for part in raw.split(ITEM_SEPARATOR):
                if not part.strip():
                    continue
                try:
                    parsed.append(kind.parse(part))
                except ValueError as e:
                    problems.append(str(e))
            lists[name] = tuple(parsed)
        if problems:
            raise ValueError(" ".join(problems))
        return cls(**lists)

    # ---- JSON -------------------------------------------------------------------------

    def to_dict(self) -> dict:
        """JSON-ready dict: ``{"new_housing": [{field: value, …}], "own_migration": […], "one_off": […]}``."""
        return {
            name: [{f.name: getattr(it, f.name) for f in fields(it)} for it in getattr(self, name)]
            for name in KINDS
        }

    @classmethod
    def from_dict(cls, data, *, where: str = "local") -> LocalScenario:
        """Inverse of :meth:`to_dict`; every problem named with its path (``local.new_housing[0].dwellings``)."""
        if not isinstance(data, dict):
            raise ValueError(
                M["json_not_object"].format(where=where, kinds=", ".join(KINDS), value=_short(data))
            )
        problems = [
            M["json_unknown_key"].format(path=f"{where}.{k}", allowed=", ".join(KINDS))
            for k in data
            if k not in KINDS
        ]
        lists = {}
        for name, kind in KINDS.items():
            items = data.get(name, [])
            if not isinstance(items, list):
                problems.append(M["json_not_list"].format(path=f"{where}.{name}", value=_short(items)))
                continue
            names = {f.name for f in fields(kind.item)}
            required = {f.name for f in fields(kind.item) if f.default is MISSING}
            out = []
            for i, it in enumerate(items):
                path = f"{where}.{name}[{i}]"
                if not isinstance(it, dict):
                    problems.append(M["json_not_entry"].format(path=path, value=_short(it)))
                    continue
                unknown = sorted(set(it) - names)
                missing = sorted(required - set(it))
                if unknown:
                    problems.append(
                        M["json_unknown_fields"].format(path=path, unknown=unknown, allowed=sorted(names))
                    )
                if missing:
                    problems.append(M["json_missing"].format(path=path, missing=missing))
                if unknown or missing:
                    continue
                try:
                    obj = kind.item(**it)
                except TypeError as e:  # pragma: no cover - guarded by the field checks above
                    problems.append(f"{path}: {e}")
                    continue
                p = obj.problems()
                if p:
                    problems += [f"{path}: {x}" for x in p]
                else:
                    out.append(obj)
            lists[name] = tuple(out)
        if problems:
            raise ValueError(" ".join(problems))
        return cls(**lists)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LocalScenario:
        try:
            data = json.loads(text)
        except (TypeError, ValueError) as e:
            raise ValueError(M["json_invalid"].format(error=e)) from None
        return cls.from_dict(data)


def _short(x) -> str:
    s = repr(x)
    return s if len(s) <= 60 else s[:57] + "…"


# --------------------------------------------------------------------------------------
# text forms (CLI flags, URL items): exact round trips
# --------------------------------------------------------------------------------------

_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–]\s*(\d{4}))?\s*$")
_INT = re.compile(r"^\s*([+\-−]?)(\d{1,3}(?:\.\d{3})+|\d+)\s*$")
_DEC = re.compile(r"^\s*([+\-−]?)(\d+)(?:[,.](\d+))?\s*$")
_THOUSANDS = re.compile(r"^\s*([+\-−]?)(\d{1,3}(?:\.\d{3})+)(?:,(\d+))?\s*$")  # 1.200 · 2.300,5 (German)
_AGES = re.compile(r"^\s*(\d{1,3})\s*(?:[-–]\s*(\d{1,3})|(\+))?\s*$")


def _parse_ags(kind: str, text: str, whole: str) -> str:
    t = text.strip()
    if re.fullmatch(r"\d{8}", t) and t in MUNICIPALITIES:
        return t
    if t.lower() in _NAMES_LOWER:
        return _NAMES_LOWER[t.lower()]
    raise ValueError(M["not_municipality"].format(item=_item(kind, whole), value=repr(t)))


def _parse_years(kind: str, text: str, whole: str) -> tuple[int, int]:
    m = _YEARS.match(text)
    if not m:
        raise ValueError(M["not_years"].format(item=_item(kind, whole), value=repr(text)))
    lo = int(m.group(1))
    return lo, int(m.group(2)) if m.group(2) else lo


def _to_int(text: str) -> int | None:
    """Whole number, a dot grouping thousands (``1.200``), sign ``-``/``−``; None if it is none."""
    m = _INT.match(text)
    if not m:
        return None
    v = int(m.group(2).replace(".", ""))
    return -v if m.group(1) in ("-", "−") else v


def _to_float(text: str) -> float | None:
    """German or plain decimal: ``2,3`` / ``2.3``; a dot before exactly three digits groups
    thousands (``1.200`` = 1200, ``2.300,5``); None if it is no number."""
    m = _THOUSANDS.match(text)
    if m:
        v = float(m.group(2).replace(".", "") + "." + (m.group(3) or "0"))
    else:
        m = _DEC.match(text)
        if not m:
            return None
        v = float(f"{m.group(2)}.{m.group(3) or '0'}")
    return -v if m.group(1) in ("-", "−") else v


def _parse_num(kind: str, label: str, text: str, whole: str, *, integer: bool = False) -> float:
    """A field of an item's text: a whole number (``integer``) or a decimal; German ``ValueError``."""
    v = _to_int(text) if integer else _to_float(text)
    if v is None:
        raise ValueError(
            M["not_int" if integer else "not_dec"].format(
                item=_item(kind, whole), label=label, value=repr(text)
            )
        )
    return v


def _parse_pct(kind: str, text: str, whole: str) -> float:
    return _parse_num(kind, M["share_pct"], text.strip().removesuffix("%").strip(), whole)


def parse_int_de(text: str, label: str) -> int:
    """A whole number typed by a person (``200``, ``1.200``, ``−30``); German ``ValueError`` naming ``label``."""
    v = _to_int(str(text))
    if v is None:
        raise ValueError(M["typed_not_int"].format(label=label, value=repr(str(text)[:40])))
    return v


def parse_dec_de(text: str, label: str) -> float:
    """A decimal typed by a person (``2,3`` or ``2.3``, ``−20``, ``30 %``); German ``ValueError`` naming ``label``."""
    v = _to_float(str(text).strip().removesuffix("%").strip())
    if v is None:
        raise ValueError(M["typed_not_dec"].format(label=label, value=repr(str(text)[:40])))
    return v


def _fail_count(kind: str, whole: str, syntax: str) -> ValueError:
    return ValueError(M["bad_format"].format(item=_item(kind, whole), syntax=syntax))


NEW_HOUSING_SYNTAX = "GEMEINDE:JAHR-JAHR:WOHNUNGEN[:PERSONEN_JE_WOHNUNG[:ANTEIL_AUS_DEM_KREIS_%]]"
OWN_MIGRATION_SYNTAX = "GEMEINDE[:JAHR-JAHR]:PERSONEN_JE_JAHR"
ONE_OFF_SYNTAX = "GEMEINDE:JAHR:PERSONEN[:ALTER_VON-ALTER_BIS[:dauerhaft|einmalig[:ANTEIL_AUS_DEM_KREIS_%]]]"


def _split(kind: str, text: str, n_fields: range, syntax: str) -> tuple[str, list[str]]:
    """The municipality (AGS) and the ``:``-separated fields of an item's text; German
    ``ValueError`` when it is no text or has a number of fields outside ``n_fields``."""
    if not isinstance(text, str):
        raise ValueError(M["not_text"].format(kind=kind, value=_short(text)))
    parts = text.split(":")
    if len(parts) not in n_fields:
        raise _fail_count(kind, text, syntax)
    return _parse_ags(kind, parts[0], text), parts


def _validated(obj, kind: str, whole: str):
    p = obj.problems()
    if p:
        raise ValueError(f"{_item(kind, whole)}: " + " ".join(x.split(": ", 1)[-1] for x in p))
    return obj


def parse_new_housing(text: str) -> NewHousing:
    """``"05358044:2026-2030:200[:2,3[:30]]"`` -> :class:`NewHousing` (German ``ValueError``).

    Fields: municipality (AGS or name), years (``2026-2030`` or one year), dwellings
    (whole number, ``1.200`` allowed), optional persons per dwelling (``2,3`` or ``2.3``;
    empty = default), optional share from the Kreis in percent (empty = default).
    """
    kind = NewHousing.KIND
    ags, parts = _split(kind, text, range(3, 6), NEW_HOUSING_SYNTAX)
    lo, hi = _parse_years(kind, parts[1], text)
    n = _parse_num(kind, M["dwellings"], parts[2], text, integer=True)
    ppd = (
        _parse_num(kind, M["persons_per_dwelling"], parts[3], text)
        if len(parts) > 3 and parts[3].strip()
        else None
    )
    share = _parse_pct(kind, parts[4], text) if len(parts) > 4 and parts[4].strip() else None
    return _validated(NewHousing(ags, lo, hi, n, ppd, share), kind, text)


def parse_own_migration(text: str) -> OwnMigration:
    """``"05358012:50"`` or ``"05358012:2026-2035:-20"`` -> :class:`OwnMigration` (German ``ValueError``)."""
    kind = OwnMigration.KIND
    ags, parts = _split(kind, text, range(2, 4), OWN_MIGRATION_SYNTAX)
    lo = hi = None
    if len(parts) == 3:
        lo, hi = _parse_years(kind, parts[1], text)
    net = _parse_num(kind, M["net"], parts[-1], text)
    return _validated(OwnMigration(ags, net, lo, hi), kind, text)


def parse_one_off(text: str) -> OneOffChange:
    """``"05358044:2027:80:80-100[:dauerhaft|einmalig[:30]]"`` -> :class:`OneOffChange` (German ``ValueError``).

    Ages: ``80-100``, ``80+`` (= 80–100) or one age; omitted = 0–100. Mode omitted =
    permanent for arrivals, one-time for departures.
    """
    kind = OneOffChange.KIND
    ags, parts = _split(kind, text, range(3, 7), ONE_OFF_SYNTAX)
    y = _parse_num(kind, M["year"], parts[1], text, integer=True)
    n = _parse_num(kind, M["persons"], parts[2], text, integer=True)
    a_lo, a_hi = 0, OPEN_AGE
    if len(parts) > 3 and parts[3].strip():
        m = _AGES.match(parts[3])
        if not m:
            raise ValueError(M["not_ages"].format(item=_item(kind, text), value=repr(parts[3])))
        a_lo = int(m.group(1))
        a_hi = OPEN_AGE if m.group(3) else int(m.group(2)) if m.group(2) else a_lo
    permanent = None
    if len(parts) > 4 and parts[4].strip():
        mode = parts[4].strip().lower()
        if mode not in ("dauerhaft", "einmalig"):
            raise ValueError(M["not_mode"].format(item=_item(kind, text), value=repr(parts[4])))
        permanent = mode == "dauerhaft"
    share = _parse_pct(kind, parts[5], text) if len(parts) > 5 and parts[5].strip() else None
    return _validated(OneOffChange(ags, y, n, a_lo, a_hi, permanent, share), kind, text)


def _fmt_years(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}-{hi}"


def _trim(parts: list[str]) -> str:
    while parts and parts[-1] == "":
        parts.pop()
    return ":".join(parts)


def format_new_housing(n: NewHousing) -> str:
    """Canonical text of a :class:`NewHousing` (``parse_new_housing(format_new_housing(n)) == n``)."""
    return _trim(
        [
            n.ags,
            _fmt_years(n.first_year, n.last_year),
            str(int(n.dwellings)),
            "" if n.persons_per_dwelling is None else _dec(n.persons_per_dwelling),
            "" if n.share_from_kreis_pct is None else _dec(n.share_from_kreis_pct),
        ]
    )


def format_own_migration(m: OwnMigration) -> str:
    """Canonical text of an :class:`OwnMigration` (exact round trip)."""
    mid = [] if m.first_year is None else [_fmt_years(m.first_year, m.last_year)]
    return ":".join([m.ags, *mid, _dec(m.net)])


def format_one_off(c: OneOffChange) -> str:
    """Canonical text of a :class:`OneOffChange` (exact round trip)."""
    ages = "" if (c.age_min, c.age_max) == (0, OPEN_AGE) else f"{c.age_min}-{c.age_max}"
    mode = "" if c.permanent is None else ("dauerhaft" if c.permanent else "einmalig")
    share = "" if c.share_from_kreis_pct is None else _dec(c.share_from_kreis_pct)
    if mode or share:
        ages = ages or f"0-{OPEN_AGE}"
    return _trim([c.ags, str(c.year), str(int(c.persons)), ages, mode, share])


@dataclass(frozen=True)
class Kind:
    """One kind of local input, declared once (:data:`KINDS`).

    name : field of :class:`LocalScenario` (a list of ``item``); also the scenario parameter's key.
    item : the entry class.
    query_key : key of the list in links (items joined with :data:`ITEM_SEPARATOR`).
    parse, format : the entry's text form (CLI flags, link items; exact round trip).
    syntax : that text form for people (CLI help, messages).
    """

    name: str
    item: type
    query_key: str
    parse: Callable[[str], Any]
    format: Callable[[Any], str]
    syntax: str


#: The three kinds of local input, in the order of :class:`LocalScenario`'s fields.
KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("new_housing", NewHousing, "neubau", parse_new_housing, format_new_housing, NEW_HOUSING_SYNTAX),
        Kind(
            "own_migration",
            OwnMigration,
            "wanderung_gemeinde",
            parse_own_migration,
            format_own_migration,
            OWN_MIGRATION_SYNTAX,
        ),
        Kind("one_off", OneOffChange, "einmalig", parse_one_off, format_one_off, ONE_OFF_SYNTAX),
    )
}
#: Link keys of the three lists (``{field: key}``).
QUERY_KEYS: dict[str, str] = {k.name: k.query_key for k in KINDS.values()}


# --------------------------------------------------------------------------------------
# defaults from the data
# --------------------------------------------------------------------------------------


@functools.cache
def _household_sizes() -> dict[str, float]:
    h = zensus2022_households()
    return {r.ags: float(r.mean_size) for r in h.itertuples()}


def default_persons_per_dwelling(ags: str) -> float:
    """Mean household size of the municipality, Zensus 2022 (15.05.2022), 6+ counted as 6 (persons)."""
    return _household_sizes()[ags]


def persons_per_dwelling(n: NewHousing) -> float:
    return (
        default_persons_per_dwelling(n.ags)
        if n.persons_per_dwelling is None
        else float(n.persons_per_dwelling)
    )


def share_from_kreis(item) -> float:
    """Share (0..1) of an entry's movers from the other municipalities."""
    pct = item.share_from_kreis_pct
    return (DEFAULT_SHARE_FROM_KREIS_PCT if pct is None else float(pct)) / 100.0


# --------------------------------------------------------------------------------------
# the arrays the migration function adds
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class LocalTerms:
    """Local inputs as arrays over the projected years (index ``t`` = year base year + 1 + t).

    Inputs dated in a year that is not projected (because a newer official base, e.g.
    31.12.2025, already contains it) are not applied: the official figures include them.

    Attributes
    ----------
    own_mask : (T, R) bool — the municipality's target is its own net migration that year.
    own_net : (T, R) persons per year (0 where not set).
    add : (T, R, 2, A) persons added to the municipality (arrivals − departures) by sex and
        age at the end of the year (Neubau movers, one-off changes incl. replacements).
    transfer : (T, R, 2, A) the part of ``add`` that comes from (goes to) the other
        municipalities; withdrawn from them in proportion to their population of that cell.
    """

    own_mask: np.ndarray
    own_net: np.ndarray
    add: np.ndarray
    transfer: np.ndarray
    sources: tuple = field(default=())  # per t: region indices with a transfer

    def astype(self, dt) -> LocalTerms:
        return LocalTerms(
            self.own_mask,
            self.own_net.astype(dt),
            self.add.astype(dt),
            self.transfer.astype(dt),
            self.sources,
        )

    def target(self, t: int, target: np.ndarray) -> np.ndarray:
        """The region targets (..., R) with the own net migrations of year ``t`` put in."""
        m = self.own_mask[t]
        if not m.any():
            return target
        return np.where(m, self.own_net[t].astype(np.asarray(target).dtype), target)

    def adjustment(self, t: int, aged: np.ndarray) -> np.ndarray:
        """Persons (..., R, 2, A) added in year ``t``: ``add`` minus the withdrawals from the others.

        ``aged`` is the population aged one year (age at the end of the year), by which the
        transfers of a municipality are spread over the other municipalities, cell by cell
        (where the others have nobody of that sex and age: by their total population).
        """
        adj = np.broadcast_to(self.add[t].astype(aged.dtype), aged.shape).copy()
        for r in self.sources[t]:
            others = aged.copy()
            others[..., r, :, :] = 0
            tot = others.sum(axis=-3, keepdims=True)
            reg = others.sum(axis=(-2, -1), keepdims=True)
            fallback = np.broadcast_to(reg / reg.sum(axis=-3, keepdims=True), others.shape)
            share = np.divide(others, tot, out=fallback.copy(), where=tot > 0)
            adj -= self.transfer[t, r].astype(aged.dtype) * share
        return adj


def _range_profile(pop: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """(2, A) sex × age profile of ``pop`` (2, A) within ages lo..hi, summing to 1."""
    p = np.zeros_like(pop, dtype=float)
    p[:, lo : hi + 1] = pop[:, lo : hi + 1]
    s = p.sum()
    if s <= 0:  # no one of that age in the Kreis: spread evenly (cannot happen with real data)
        p[:, lo : hi + 1] = 1.0
        s = p.sum()
    return p / s


def local_terms(
    local: LocalScenario, a, years, survival: np.ndarray, infant_survival: np.ndarray
) -> LocalTerms:
    """Arrays of a local scenario for the projected ``years``.

    Parameters
    ----------
    local : the inputs.
    a : :class:`~dashboard.projection.assumptions.Assumptions` (in-migrant profile, base population).
    years : projected years (length T).
    survival : (T, [R], 2, A) survival ratios by age at the start of the year (scenario path).
    infant_survival : (T, [R], 2).
    """
    years = list(years)
    T, R = len(years), len(AGS_LIST)
    idx = {y: i for i, y in enumerate(years)}
    own_mask = np.zeros((T, R), dtype=bool)
    own_net = np.zeros((T, R))
    add = np.zeros((T, R, 2, N_AGES))
    transfer = np.zeros((T, R, 2, N_AGES))
    horizon = years[-1] if years else FIRST_YEAR - 1
    for m in local.own_migration:
        r = AGS_LIST.index(m.ags)
        for y in m.years(horizon):
            if y not in idx:  # a year already inside a newer official base (see LocalTerms)
                continue
            own_mask[idx[y], r] = True
            own_net[idx[y], r] = float(m.net)
    dist = np.asarray(a.in_migration_distribution, dtype=float)
    for n in local.new_housing:
        r = AGS_LIST.index(n.ags)
        per_year = n.dwellings / len(n.years) * persons_per_dwelling(n)
        s = share_from_kreis(n)
        for y in n.years:
            if y in idx:
                add[idx[y], r] += per_year * dist
                transfer[idx[y], r] += s * per_year * dist
    if local.one_off:
        kreis = np.asarray(a.base.population, dtype=float).sum(axis=0)  # (2, A)
        s_path = np.asarray(survival, dtype=float).reshape(T, -1, 2, N_AGES)[:, 0]
        s0_path = np.asarray(infant_survival, dtype=float).reshape(T, -1, 2)[:, 0]
        for c in local.one_off:
            if c.year not in idx:
                continue
            r = AGS_LIST.index(c.ags)
            prof = _range_profile(kreis, c.age_min, c.age_max)
            arrivals = _one_off_arrivals(c, prof, idx[c.year], s_path, s0_path)
            add[:, r] += arrivals
            transfer[:, r] += share_from_kreis(c) * arrivals
    sources = tuple(
        tuple(int(r) for r in np.flatnonzero(np.abs(transfer[t]).sum(axis=(-2, -1)) > 0)) for t in range(T)
    )
    for arr in (own_mask, own_net, add, transfer):
        arr.setflags(write=False)
    return LocalTerms(own_mask, own_net, add, transfer, sources)


def _one_off_arrivals(c: OneOffChange, prof: np.ndarray, t0: int, s_path, s0_path) -> np.ndarray:
    """(T, 2, A) arrivals of a one-off change; permanent ones refill the places every year.

    A shadow stock of the residents (by age at the end of the year) is aged with the
    survival ratios; arrivals meet half a year of mortality (mid-year, as in the kernel).
    In a later year the arrivals bring the survivors within ``age_min … age_max`` back to
    ``persons`` at the year end.
    """
    T = s_path.shape[0]
    out = np.zeros((T, 2, N_AGES))
    out[t0] = c.persons * prof
    if not c.is_permanent:
        return out
    stock = np.zeros((2, N_AGES))
    for t in range(t0, T):
        s = s_path[t]
        s_end = np.empty_like(s)
        s_end[:, 1:] = s[:, :-1]
        s_end[:, 0] = s0_path[t]
        keep = 0.5 + 0.5 * s_end
        aged = np.zeros_like(stock)  # survivors of last year's stock, one year older
        aged[:, 1:] = (stock * s)[:, :-1]
        aged[:, -1] += (stock * s)[:, -1]
        if t > t0:
            inside = aged[:, c.age_min : c.age_max + 1].sum()
            need = max(c.persons - inside, 0.0)
            out[t] = need * prof / float((prof * keep).sum())
        stock = aged + out[t] * keep
    return out


# --------------------------------------------------------------------------------------
# German description (assumptions table, scenario label)
# --------------------------------------------------------------------------------------


def describe(local: LocalScenario) -> list[str]:
    """One short German phrase per entry, e.g. ``"Nideggen: 200 Wohnungen 2026–2030"``."""
    out = []
    for n in local.new_housing:
        yrs = str(n.first_year) if n.first_year == n.last_year else f"{n.first_year}–{n.last_year}"
        out.append(f"{MUNICIPALITIES[n.ags]}: {fmt_int(n.dwellings)} Wohnungen {yrs}")
    for m in local.own_migration:
        yrs = "" if m.first_year is None else f" {m.first_year}–{m.last_year}"
        out.append(f"{MUNICIPALITIES[m.ags]}: Wanderungssaldo {_signed(m.net)} je Jahr{yrs}")
    for c in local.one_off:
        what = "Zuzug" if c.persons > 0 else "Fortzug"
        ages = f"{c.age_min}–{c.age_max}" if c.age_max < OPEN_AGE else f"{c.age_min}+"
        out.append(
            f"{MUNICIPALITIES[c.ags]}: {what} {fmt_int(abs(c.persons))} Personen ({ages} Jahre) {c.year}"
        )
    return out


def _signed(x: float) -> str:
    if float(x).is_integer():
        return fmt_signed_int(x)
    return ("+" if x > 0 else "") + _dec(x).replace("-", "−")


SOURCE_HOUSEHOLDS = (
    "Zensus 2022, Regionaltabelle Haushalte (Statistische Ämter des Bundes und der Länder, dl-de/by-2-0)"
)
SOURCE_PROFILE = (
    "Altersprofil der Zuzüge über die Kreisgrenze 2020–2024 (Regionalstatistik 12711-01-03-4, "
    "6 Altersgruppen nach Geschlecht, auf Einzelalter verteilt wie im Basismodell)"
)
SOURCE_KREIS_BASE = "Bevölkerung des Kreises am 31.12.2024 im Altersbereich nach Geschlecht und Alter (Basis)"


def _share_text(item) -> str:
    pct = item.share_from_kreis_pct
    if pct is None:
        return (
            f"{_dec(DEFAULT_SHARE_FROM_KREIS_PCT)} % aus anderen Gemeinden des Kreises (Voreinstellung: keine amtliche "
            "Zahl für den Kreis; alle von außerhalb = obere Grenze der Wirkung auf den Kreis)"
        )
    return f"{_dec(pct)} % aus anderen Gemeinden des Kreises (Szenarioannahme; dort anteilig nach Alter abgezogen)"


def assumption_rows(local: LocalScenario, horizon: int) -> list[tuple]:
    """Rows of the local inputs for the assumptions table (:data:`~dashboard.projection.assumptions.ASSUMPTION_COLUMNS`).

    Codes: component ``"local"``, parameter ``new_housing`` / ``own_migration`` / ``one_off_in`` /
    ``one_off_out``, qualifier = the AGS; German documentation in source, period, method.
    """
    rows = []
    for n in local.new_housing:
        name = MUNICIPALITIES[n.ags]
        ppd = persons_per_dwelling(n)
        src_ppd = (
            f"mittlere Haushaltsgröße {name} {fmt_dec(ppd, 2)} Personen ({SOURCE_HOUSEHOLDS}, 15.05.2022; "
            "Haushalte mit 6 und mehr Personen als 6 gezählt)"
            if n.persons_per_dwelling is None
            else f"{fmt_dec(ppd, 2)} Personen je Wohnung (Szenarioannahme)"
        )
        yrs = _fmt_years(n.first_year, n.last_year).replace("-", "–")
        rows.append(
            (
                "local",
                "new_housing",
                n.ags,
                float(n.dwellings * ppd),
                "additional_in_migrants",
                f"{src_ppd}; {SOURCE_PROFILE}",
                yrs + ("" if n.last_year <= horizon else f" (nach {horizon} nicht berechnet)"),
                f"{fmt_int(n.dwellings)} Wohnungen, gleichmäßig auf die Jahre verteilt × Personen je Wohnung, "
                "Zuzug zur Jahresmitte; " + _share_text(n),
                "",
            )
        )
    for m in local.own_migration:
        name = MUNICIPALITIES[m.ags]
        yrs = m.years(horizon)
        rows.append(
            (
                "local",
                "own_migration",
                m.ags,
                float(m.net),
                "persons_per_year",
                "Szenarioannahme",
                f"{yrs.start}–{yrs.stop - 1}" if len(yrs) else "außerhalb des Zeitraums",
                "ersetzt den Bevölkerungsanteil der Gemeinde am Wanderungssaldo des Kreises; die anderen Gemeinden "
                "behalten ihren Anteil (der Kreissaldo ändert sich um die Differenz); Zu- und Fortzüge nach Alter wie "
                "im Basismodell",
                "",
            )
        )
    for c in local.one_off:
        name = MUNICIPALITIES[c.ags]
        ages = f"{c.age_min}–{c.age_max}" if c.age_max < OPEN_AGE else f"{c.age_min} und älter"
        how = (
            "Plätze bleiben belegt: in jedem späteren Jahr werden Verstorbene ersetzt"
            if c.is_permanent
            else "einmalig; danach altern die Personen wie alle anderen"
        )
        rows.append(
            (
                "local",
                "one_off_in" if c.persons > 0 else "one_off_out",
                c.ags,
                float(c.persons),
                "persons",
                f"Szenarioannahme; Verteilung nach Geschlecht und Alter: {SOURCE_KREIS_BASE}",
                str(c.year) + ("" if c.year <= horizon else f" (nach {horizon} nicht berechnet)"),
                f"Alter {ages} Jahre; {how}; Zeitpunkt Jahresmitte; " + _share_text(c),
                "",
            )
        )
    return rows
