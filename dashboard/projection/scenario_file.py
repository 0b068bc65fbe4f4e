"""A whole scenario as a JSON document: download, upload, ``--szenario-datei`` and the store.

Format (UTF-8 JSON, at most :data:`MAX_BYTES`)::

    {
      "format": "kreis-dueren-2030/szenario",
      "version": 1,
      "title": "Neubaugebiet Nideggen",            # optional, ≤ 120 characters
      "description": "200 Wohnungen 2026–2030",    # optional, ≤ 2,000 characters
      "scenario": {"name": "basis", "tfr": null, "e0_gain": 0.0, "net_migration": null,
                   "migration_factor": 1.0, "horizon": 2045},
      "local": {"new_housing": [{"ags": "05358044", "first_year": 2026, "last_year": 2030,
                                 "dwellings": 200, "persons_per_dwelling": null,
                                 "share_from_kreis_pct": null}],
                "own_migration": [], "one_off": []}
    }

``scenario`` holds the Kreis-wide fields of :class:`~dashboard.projection.scenarios.Scenario`
(``null`` = the Basis value; missing fields = their defaults), ``local`` the
:class:`~dashboard.projection.local.LocalScenario`. :func:`to_document` and
:func:`from_document` are exact inverses (``from_document(to_document(s)) == s``). Every
problem of an uploaded file is reported at once, in German, with the JSON path of the field
(``scenario.tfr``, ``local.new_housing[0].dwellings``) or line and column of a syntax error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

from dashboard.projection.local import LocalScenario
from dashboard.projection.scenarios import Scenario
from dashboard.text import fmt_int

__all__ = [
    "FORMAT",
    "VERSION",
    "MAX_BYTES",
    "ScenarioDocument",
    "to_document",
    "to_json",
    "from_document",
    "from_json",
]

FORMAT = "kreis-dueren-2030/szenario"
VERSION = 1
MAX_BYTES = 64 * 1024
TITLE_MAX = 120
DESCRIPTION_MAX = 2000

_KREIS_FIELDS = tuple(f.name for f in fields(Scenario) if f.name != "local")
_TOP = ("format", "version", "title", "description", "scenario", "local")


@dataclass(frozen=True)
class ScenarioDocument:
    """A parsed scenario file: the scenario and its title and description."""

    scenario: Scenario
    title: str = ""
    description: str = ""


def to_document(scenario: Scenario, *, title: str = "", description: str = "") -> dict:
    """The JSON-ready dict of a scenario (see the module docstring)."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "title": title,
        "description": description,
        "scenario": {k: getattr(scenario, k) for k in _KREIS_FIELDS},
        "local": scenario.local.to_dict(),
    }


def to_json(scenario: Scenario, *, title: str = "", description: str = "") -> str:
    """The scenario file as text (UTF-8 JSON, indented, keys in a fixed order)."""
    return json.dumps(
        to_document(scenario, title=title, description=description), ensure_ascii=False, indent=2
    )


def from_json(text: str | bytes, *, name: str = "Szenariodatei") -> ScenarioDocument:
    """Parse and validate a scenario file (German ``ValueError`` naming every problem)."""
    if isinstance(text, bytes):
        if len(text) > MAX_BYTES:
            raise ValueError(
                f"{name}: höchstens {fmt_int(MAX_BYTES)} Bytes erlaubt, erhalten: {fmt_int(len(text))}."
            )
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ValueError(f"{name}: keine UTF-8-Textdatei (Byte {e.start}).") from None
    if not isinstance(text, str):
        raise ValueError(f"{name}: Text erwartet, erhalten: {type(text).__name__}.")
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise ValueError(f"{name}: höchstens {fmt_int(MAX_BYTES)} Bytes erlaubt.")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise ValueError(
            f"{name}: kein gültiges JSON (Zeile {e.lineno}, Spalte {e.colno}: {e.msg})."
        ) from None
    return from_document(data, name=name)


def from_document(data, *, name: str = "Szenariodatei") -> ScenarioDocument:
    """Validate a parsed document; every problem at once (German ``ValueError``)."""
    if not isinstance(data, dict):
        raise ValueError(f"{name}: ein JSON-Objekt erwartet, erhalten: {type(data).__name__}.")
    problems = [
        f"{name}: unbekannter Schlüssel {k!r} (erlaubt: {', '.join(_TOP)})." for k in data if k not in _TOP
    ]
    if data.get("format") != FORMAT:
        problems.append(f"{name}: format muss {FORMAT!r} sein, erhalten: {data.get('format')!r}.")
    if data.get("version") != VERSION or isinstance(data.get("version"), bool):
        problems.append(f"{name}: version muss {VERSION} sein, erhalten: {data.get('version')!r}.")
    title, description = data.get("title", ""), data.get("description", "")
    for key, val, mx in (("title", title, TITLE_MAX), ("description", description, DESCRIPTION_MAX)):
        if not isinstance(val, str):
            problems.append(f"{name}: {key} muss Text sein, erhalten: {type(val).__name__}.")
        elif len(val) > mx:
            problems.append(f"{name}: {key} darf höchstens {mx} Zeichen lang sein (erhalten: {len(val)}).")
    kreis = data.get("scenario", {})
    if not isinstance(kreis, dict):
        problems.append(f"{name}: scenario muss ein Objekt sein, erhalten: {type(kreis).__name__}.")
        kreis = {}
    problems += [
        f"{name}: scenario.{k}: unbekanntes Feld (erlaubt: {', '.join(_KREIS_FIELDS)})."
        for k in kreis
        if k not in _KREIS_FIELDS
    ]
    for k in ("tfr", "e0_gain", "net_migration", "migration_factor", "horizon"):
        v = kreis.get(k)
        if isinstance(v, bool) or not (v is None or isinstance(v, (int, float))):
            problems.append(f"{name}: scenario.{k} muss eine Zahl oder null sein, erhalten: {v!r}.")
    if "name" in kreis and not isinstance(kreis["name"], str):
        problems.append(f"{name}: scenario.name muss Text sein, erhalten: {kreis['name']!r}.")
    local = LocalScenario()
    try:
        local = LocalScenario.from_dict(data.get("local", {}), where="local")
    except ValueError as e:
        problems.append(f"{name}: {e}")
    if problems:
        raise ValueError(" ".join(problems))
    args = {k: v for k, v in kreis.items() if v is not None or k in ("tfr", "net_migration")}
    for k in ("e0_gain", "migration_factor"):
        if k in args and isinstance(args[k], int):
            args[k] = float(args[k])
    if isinstance(args.get("horizon"), float) and float(args["horizon"]).is_integer():
        problems.append(f"{name}: scenario.horizon muss eine ganze Zahl sein, erhalten: {args['horizon']!r}.")
    try:
        scenario = Scenario(**args, local=local)
    except ValueError as e:
        problems.append(f"{name}: scenario: {e}")
    if problems:
        raise ValueError(" ".join(problems))
    return ScenarioDocument(scenario, title.strip(), description.strip())
