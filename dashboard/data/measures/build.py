"""Build the catalogue from the raw research CSV (normalisation rules) and re-write the shipped files.

``data/measures/measures.csv`` --:func:`build_catalogue`--> :class:`Catalogue`;
:func:`build_shipped` writes ``catalogue.xlsx`` and ``catalogue_csv/`` from it. The rules
(municipality names, age bands, status, sources) are described in :mod:`dashboard.data.measures`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from dashboard.constants import AGS_LIST, KREIS_AGS, KREIS_NAME, MUNICIPALITIES
from dashboard.data.errors import DataFormatError, Problem, problem
from dashboard.data.integrity import verify_raw_file
from dashboard.data.measures.catalogue import (
    _URL_SPLIT,
    CORE_COLUMNS,
    FIELDS_OF_ACTION,
    MEASURES_DIR,
    RAW_CSV,
    SHIPPED_CSV_DIR,
    SHIPPED_WORKBOOK,
    Catalogue,
    _frames,
    _name_of,
    _valid_url,
)
from dashboard.data.measures.csv_export import export_csv
from dashboard.data.measures.workbook_writer import write_workbook

#: Free-text municipality names -> AGS (district key = all 15). Declared, never guessed.
MUNICIPALITY_ALIASES: dict[str, str] = {
    KREIS_NAME: KREIS_AGS,
    # M43 "Düren (Bismarck-Quartier), für Kreis Düren": seat in Düren, serves the district.
    f"für {KREIS_NAME}": KREIS_AGS,
    "Stadt Düren": "05358008",
    **{name: ags for ags, name in MUNICIPALITIES.items()},
}

#: Measures whose age band is stated by their source (notes.md §7), id -> what the source says.
#: An empty ``age_max`` with a stated lower bound is the source's open-ended "NN+"/"ab NN".
SOURCE_STATED_AGE_BANDS: dict[str, str] = {
    "M01": "Begünstigte Senioren ab 60 (Hürtgenwald); Helfende 14–20 in der Zielgruppe",
    "M24": "Seniorenrat: Senioren ab 60",
    "M26": "Fahrdienst für Menschen ab 70",
    "M47": "junge Leistungsbeziehende unter 25 (Obergrenze)",
    "M61": "Freizeitgemeinschaft 55+",
    "M62": "Befragung von Menschen ab 55",
    "M66": "Jugendforum für 13- bis 27-Jährige",
}

#: Per-measure decisions where no general rule fits, id -> (age_min, age_max, basis, note).
AGE_BAND_OVERRIDES: dict[str, tuple[int, int | None, str, str]] = {
    "M23": (
        16,
        None,
        "convention",
        "Quelle nennt zwei Gruppen (16–24 und 65+); ein Band kann nur beide zusammen "
        "abbilden: 16+ (umfasst auch 25–64)",
    ),
}

#: Conventions from the target group text, tried in order on the start of ``target_group``:
#: (regex, age_min, age_max or None = open, basis, note). Used for bounds the source leaves empty.
TARGET_GROUP_RULES: tuple[tuple[str, int, int | None, str, str], ...] = (
    (r"^alle\b", 0, None, "all ages", "Zielgruppe „alle“"),
    (r".*alle Altersgruppen", 0, None, "all ages", "Zielgruppe „alle Altersgruppen“"),
    (r"^(Zugewanderte|Haushalte)\b", 0, None, "all ages", "Zugewanderte bzw. Haushalte aller Altersgruppen"),
    (
        r"^(Senioren|Ältere|Pflegebedürftige|Menschen mit Demenz)\b",
        65,
        None,
        "convention",
        "Konvention „Senioren“ → 65+ (notes.md §7)",
    ),
    (
        r"^(Kinder|Familien)\b",
        0,
        17,
        "convention",
        "Konvention Kinder/Familien mit minderjährigen Kindern → 0–17 (notes.md §7)",
    ),
    (r"^Jugendliche\b", 14, 17, "convention", "Konvention „Jugendliche“ → 14–17 (§ 1 Abs. 1 Nr. 2 JuSchG)"),
    (
        r"^(Erwerbstätige|Erwerbsfähige)\b",
        20,
        64,
        "convention",
        "Konvention Erwerbsalter 20–64 (übliche Abgrenzung der amtlichen Statistik; "
        "endet an der Grenze der Planungsaltersgruppe 45–64)",
    ),
)


@dataclass(frozen=True)
class BuildReport:
    """What :func:`build_catalogue` did: ``excluded`` (id, reason) rows without a source and
    ``decisions`` (one row per measure: raw municipality text, AGS, age band and its rule)."""

    excluded: tuple[tuple[str, str], ...]
    decisions: pd.DataFrame


def _split_outside_parentheses(text: str, seps: str) -> list[str]:
    parts, depth, cur = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        if depth == 0 and ch in seps:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return [p.strip() for p in parts if p.strip()]


def normalise_municipalities(text: str) -> tuple[list[str], list[str]]:
    """Normalise a free-text municipality cell to AGS codes (rules in the module docstring).

    Parameters
    ----------
    text : str
        E.g. ``"Kreis Düren (Zuständigkeit Kreisjugendamt; ohne Stadt Düren)"``.

    Returns
    -------
    ags : list of str
        ``["05358"]`` for the whole district, else the 8-char keys in AGS order.
    unmatched : list of str
        Parts that match no declared name (the caller reports them as problems).
    """
    included: set[str] = set()
    excluded: set[str] = set()
    unmatched: list[str] = []
    for part in _split_outside_parentheses(text, ";,"):
        notes = re.findall(r"\(([^()]*)\)", part)
        head = re.sub(r"\([^()]*\)", "", part).strip()
        if head in MUNICIPALITY_ALIASES:
            included.add(MUNICIPALITY_ALIASES[head])
        else:
            unmatched.append(head or part)
        for note in notes:
            for bit in (b.strip() for b in note.split(";")):
                if bit.startswith("ohne "):
                    name = bit.removeprefix("ohne ").strip()
                    if name in MUNICIPALITY_ALIASES and MUNICIPALITY_ALIASES[name] != KREIS_AGS:
                        excluded.add(MUNICIPALITY_ALIASES[name])
                    else:
                        unmatched.append(bit)
    if KREIS_AGS in included:
        if not excluded:
            return [KREIS_AGS], unmatched
        included = set(AGS_LIST)
    return [a for a in AGS_LIST if a in included and a not in excluded], unmatched


def decide_age_band(
    mid: str, target_group: str, age_min: int | None, age_max: int | None
) -> tuple[int, int | None, str, str] | None:
    """Age band of one raw row: ``(age_min, age_max or None = open, basis, note)``.

    Order: :data:`AGE_BAND_OVERRIDES`; then a band given in the CSV (basis ``"source"`` if the
    id is in :data:`SOURCE_STATED_AGE_BANDS`, else ``"convention"`` — the CSV author applied
    the notes.md §7 conventions); a missing bound of a half-given band comes from the first
    matching :data:`TARGET_GROUP_RULES` entry (a lower bound alone with an open-ended rule stays
    open: "NN+"); without any bound the first matching rule decides. Returns ``None`` when no
    rule matches (reported, never guessed).
    """
    if mid in AGE_BAND_OVERRIDES:
        return AGE_BAND_OVERRIDES[mid]
    rule = next((r for r in TARGET_GROUP_RULES if re.match(r[0], target_group)), None)
    if age_min is None and age_max is None:
        if rule is None:
            return None
        return rule[1], rule[2], rule[3], rule[4]
    stated = mid in SOURCE_STATED_AGE_BANDS
    note = (
        f"laut Quelle: {SOURCE_STATED_AGE_BANDS[mid]}"
        if stated
        else (
            "im Rohdatensatz nach den Konventionen von notes.md §7 gesetzt (Senioren → 65+, "
            "Kita → 0–6, minderjährige Kinder → 0–17)"
        )
    )
    basis = "source" if stated else "convention"
    lo, hi = age_min, age_max
    if lo is None:
        if rule is None:
            return None
        lo = rule[1]
        basis = "convention"
        note += f"; Untergrenze {lo}: {rule[4]}"
    if hi is None and rule is not None and rule[2] is not None:
        hi = rule[2]
        basis = "convention"
        note += f"; Obergrenze {hi}: {rule[4]}"
    if lo == 0 and hi is None:
        basis = "all ages"
    return lo, hi, basis, note


def _int_or_none(value: str) -> int | None:
    return None if value.strip() == "" else int(float(value))


def build_catalogue(raw_csv: str | Path = RAW_CSV) -> tuple[Catalogue, BuildReport]:
    """Build the normalised catalogue from the raw research CSV.

    Parameters
    ----------
    raw_csv : path
        CSV with columns ``id, title, field_of_action, target_group, age_min, age_max,
        municipality, status, start_year, lead, description, source_url`` (``source_url``:
        URLs separated by ``" | "``).

    Returns
    -------
    (Catalogue, BuildReport)

    Raises
    ------
    DataFormatError
        Listing every problem: unknown field of action or status, non-integer ages or
        years, age_min > age_max, unmatched municipality text, no age rule, duplicate ids.
    """
    path = Path(raw_csv)
    fname = path.name
    expected_cols = [
        *CORE_COLUMNS,
        "municipality",
        "status",
        "start_year",
        "lead",
        "description",
        "source_url",
    ]
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in expected_cols if c not in raw.columns]
    if missing:
        raise DataFormatError([problem(fname, 1, c, "diese Spalte", "fehlt") for c in missing])
    probs: list[Problem] = []
    measures, munis, srcs, excluded, decisions = [], [], [], [], []
    seen: set[str] = set()
    for i, r in enumerate(raw.itertuples(index=False), start=2):
        mid = r.id.strip()
        if not mid or mid in seen:
            probs.append(problem(fname, i, "id", "eine eindeutige, nicht leere ID", mid))
        seen.add(mid)
        urls = [u.strip() for u in r.source_url.split(_URL_SPLIT) if u.strip()]
        bad_urls = [u for u in urls if not _valid_url(u)]
        for u in bad_urls:
            probs.append(problem(fname, i, "source_url", "eine http(s)-URL", u))
        if not urls:
            excluded.append((mid, "keine Quelle angegeben"))
            continue
        if r.field_of_action not in FIELDS_OF_ACTION:
            probs.append(
                problem(fname, i, "field_of_action", "eines der fünf Handlungsfelder", r.field_of_action)
            )
        if r.status not in ("laufend", "abgeschlossen", ""):
            probs.append(problem(fname, i, "status", "laufend, abgeschlossen oder leer", r.status))
        ints = {}
        for col in ("age_min", "age_max", "start_year"):
            v = getattr(r, col)
            try:
                ints[col] = _int_or_none(v)
            except ValueError:
                probs.append(problem(fname, i, col, "eine ganze Zahl oder leer", v))
                ints[col] = None
        if ints["age_min"] is not None and ints["age_max"] is not None and ints["age_min"] > ints["age_max"]:
            probs.append(
                problem(fname, i, "age_min", f"höchstens age_max ({ints['age_max']})", ints["age_min"])
            )
        ags, unmatched = normalise_municipalities(r.municipality)
        for u in unmatched:
            probs.append(
                problem(
                    fname,
                    i,
                    "municipality",
                    "einen Namen aus MUNICIPALITY_ALIASES (Gemeinde oder Kreis Düren)",
                    u,
                )
            )
        if not ags and not unmatched:
            probs.append(problem(fname, i, "municipality", "mindestens eine Gemeinde", r.municipality))
        band = decide_age_band(mid, r.target_group, ints["age_min"], ints["age_max"])
        if band is None:
            probs.append(
                problem(
                    fname,
                    i,
                    "target_group",
                    "eine Altersangabe oder eine Zielgruppe aus TARGET_GROUP_RULES",
                    r.target_group,
                )
            )
            band = (0, None, "all ages", "")
        lo, hi, basis, note = band
        measures.append(
            {
                "id": mid,
                "title": r.title.strip(),
                "field_of_action": r.field_of_action,
                "target_group": r.target_group.strip(),
                "age_min": lo,
                "age_max": hi,
                "age_band_basis": basis,
                "age_band_note": note,
                "status": r.status or "unbekannt",
                "start_year": ints["start_year"],
                "lead": r.lead.strip(),
                "description": r.description.strip(),
                "municipality_text": r.municipality.strip(),
            }
        )
        munis.extend((mid, a, _name_of(a)) for a in ags)
        srcs.extend((mid, u) for u in urls)
        decisions.append(
            {
                "id": mid,
                "municipality_text": r.municipality,
                "ags": ";".join(ags),
                "age_min_raw": r.age_min,
                "age_max_raw": r.age_max,
                "age_min": lo,
                "age_max": hi,
                "age_band_basis": basis,
                "age_band_note": note,
            }
        )
    if probs:
        raise DataFormatError(probs)
    m, g, s = _frames(measures, munis, srcs)
    cat = Catalogue(m, g, s, origin="built", path=str(path))
    return cat, BuildReport(tuple(excluded), pd.DataFrame(decisions))


def build_shipped(
    raw_csv: str | Path = RAW_CSV,
    workbook: str | Path = SHIPPED_WORKBOOK,
    csv_dir: str | Path = SHIPPED_CSV_DIR,
) -> tuple[Catalogue, BuildReport]:
    """Re-run the build: raw CSV -> shipped workbook and CSV export (idempotent)."""
    raw_csv = Path(raw_csv)
    if raw_csv == RAW_CSV:
        verify_raw_file(MEASURES_DIR, RAW_CSV.name)
    cat, report = build_catalogue(raw_csv)
    write_workbook(cat, workbook)
    export_csv(cat, csv_dir)
    report.decisions.to_csv(
        Path(csv_dir) / "normalisierung.csv", index=False, encoding="utf-8", lineterminator="\n"
    )
    return cat, report
