"""Loaders for official GENESIS exports (Regionaldatenbank, Landesdatenbank NRW, GENESIS-Online).

One public entry point, :func:`load_genesis`, reads a file a planner downloaded and returns a
:class:`GenesisTable` with a tidy frame. Three export formats are understood:

``ffcsv``
    The flat CSV ("Flatfile", semicolon, UTF-8, one value per row). Both generations are read:
    the current one with English column names (``statistics_code; time; 1_variable_code;
    1_variable_attribute_code; …; value; value_unit; value_variable_code; value_q``) and the
    older Regionalstatistik one (``Statistik_Code; Zeit; 1_Merkmal_Code; 1_Auspraegung_Code;
    …; BEVSTD__Bevoelkerungsstand__Anzahl[; …__q]``). A ``.zip`` holding one flat CSV (as
    GENESIS delivers it) is opened after a size check.
``csv``
    The classic table CSV ("Werte abrufen"/"Tabelle als CSV"): semicolons, cp1252 or UTF-8, a
    title block, one or more header rows (sex / variable / age labels), data rows keyed by AGS
    (optionally with a date or year column and an age-label column), then footnotes after a
    ``__________`` row, the ``©`` notice and ``Stand:``.
``xlsx``
    The same table layout in an Excel workbook (first sheet), read with openpyxl in read-only
    mode after a zip-bomb check; with defusedxml installed openpyxl refuses XML entity tricks.

Per-table facts (kind, measures, variable codes, German age-group labels -> ages) live in
``genesis_layouts.json`` next to this module, not in code.

Placeholder policy (GENESIS "Zeichenerklärung"): ``-`` (nothing) is a true zero and becomes
0, counted in :attr:`GenesisTable.notes`; ``.``, ``x``, ``...`` and ``/`` become missing
(``<NA>``), are counted, and make the table unusable for the model
(:attr:`GenesisTable.usable` is False). Nothing else is ever turned into a number.

Every structural or content problem is collected and raised together as one
:class:`~dashboard.data.errors.DataFormatError` (file, row, column, expected, found).
"""

from __future__ import annotations

import csv
import datetime
import functools
import io
import json
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from dashboard.constants import BASIS_VZ1987, BASIS_Z2011, BASIS_Z2022, CENSUS_DATES, OPEN_AGE
from dashboard.data.archive import expansion_problems, zip_members
from dashboard.data.errors import DataFormatError, Described, Problem, problem
from dashboard.settings import UPLOAD_MAX_BYTES

LAYOUTS_PATH: Path = Path(__file__).with_name("genesis_layouts.json")

#: Largest file accepted by the loader (bytes): the one upload limit of the project.
MAX_FILE_BYTES: int = UPLOAD_MAX_BYTES
#: XLSX limits: rows and cells read from the first sheet.
MAX_XLSX_ROWS: int = 200_000
MAX_XLSX_CELLS: int = 5_000_000

Format = Literal["ffcsv", "csv", "xlsx"]

POPULATION_COLUMNS: tuple[str, ...] = (
    "ags",
    "region_name",
    "level",
    "year",
    "reference_date",
    "sex",
    "age_min",
    "age_max",
    "age_group",
    "age_group_label",
    "population",
    "quality",
    "basis",
    "table",
    "publisher",
    "licence",
    "source_file",
    "source_row",
)
EVENT_COLUMNS: tuple[str, ...] = (
    "ags",
    "region_name",
    "level",
    "year",
    "event",
    "sex",
    "age_min",
    "age_max",
    "age_group",
    "age_group_label",
    "value",
    "quality",
    "table",
    "publisher",
    "licence",
    "source_file",
    "source_row",
)

_TABLE_CODE_RE = re.compile(r"\b(\d{5}-\d{2}-\d{2}-\d(?:-B)?|\d{5}-[0-9a-z]{4})\b")
_DATE_RE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_YEAR_RE = re.compile(r"^(1[89]\d\d|20\d\d)$")
_AGS_TOKEN_RE = re.compile(r"^(DG|\d{1,12})$")
# Bounded digit runs (ages have at most 3 digits) keep the search linear in the cell length:
# with ``\d+`` a long run of digits in a damaged cell made every search quadratic (seconds
# per cell; found by the fuzz tests).
_AGE_LIKE_RE = re.compile(
    r"(\bunter \d{1,3}\b|(?<!\d)\d{1,3} bis unter \d{1,3}\b|"
    r"(?<!\d)\d{1,3} jahre und (mehr|älter))",
    re.I,
)
_FOOTER_RE = re.compile(r"^(_{3,}|©|\(c\)|Stand:)", re.I)
_INT_RE = re.compile(r"^[+-]?[0-9]+$")  # ASCII digits only (no "١٢")
#: Largest count accepted in a cell (12 digits): anything longer is a damaged cell, and it
#: keeps values inside int64 (no OverflowError) and below Python's int-parsing limit.
MAX_VALUE_DIGITS: int = 12
#: UTF-8 text that was read as Windows-1252 and saved again ("DÃ¼ren"): two-character
#: sequences that never occur in German text but always in such double-encoded files.
_MOJIBAKE_RE = re.compile(
    "Ã[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u2013-\u2122]|Â[\u00a0-\u00bf]|â€"
)
#: Quality flags as published next to a value (``value_q``/``…__q``): "e" (final), "p"
#: (provisional), "r" (revised), "s" (estimated) …; a longer or numeric text is a damaged cell.
_QUALITY_RE = re.compile(r"^(?:[A-Za-z]{1,2}|[-.x/]|\.\.\.)$")
_NUMERIC_LIKE_RE = re.compile(r"^[+-]?[\d.,\s]+$")


@functools.cache
def layouts() -> dict[str, Any]:
    """The layout registry (``genesis_layouts.json``), parsed once per process."""
    return json.loads(LAYOUTS_PATH.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class GenesisTable:
    """A validated GENESIS export in tidy form.

    Attributes
    ----------
    kind : {"population", "events"}
        ``population``: stock at a reference date; ``events``: births, deaths, migration.
    table_code : str
        GENESIS table code, e.g. ``"12411-02-03-4"``.
    format : {"ffcsv", "csv", "xlsx"}
        Export format detected (or forced).
    data : pandas.DataFrame
        Population: ``ags`` (str, "DG" or 2–12 digits), ``region_name``, ``level``
        ("deutschland"/"land"/"regierungsbezirk"/"kreis"/"gemeinde"/…), ``year`` (int),
        ``reference_date`` (str ISO date), ``sex`` ("female"/"male"/"total"),
        ``age_min``/``age_max`` (int years, inclusive; the open top group ends at
        ``OPEN_AGE``; the "Insgesamt" row is 0…``OPEN_AGE``), ``age_group`` (project key as in
        :mod:`dashboard.data.embedded`: "0-2", "75+", "total"), ``age_group_label`` (German
        label as published), ``population`` (Int64 persons, <NA> for secret/unknown cells),
        ``quality`` (placeholder or quality flag as published, "" if none), ``basis``
        (census basis inferred from the reference date), provenance ``table``, ``publisher``,
        ``licence``, ``source_file`` and ``source_row`` (1-based line or sheet row).
        Events: the same keys with ``year`` (calendar year of the events), ``event``
        ("births"/"deaths"/"in_migration"/"out_migration"/"net_migration", as in
        :func:`dashboard.data.vital_events`) and
        ``value`` (Int64 persons) instead of ``reference_date``/``population``.
    notes : tuple of str
        German remarks for the user: placeholders seen and how they were treated, etc.
    usable : bool
        False when a required value is missing (a placeholder ``.``, ``x``, ``...`` or
        ``/``), so the table must not feed the model as is.
    source_file : str
        File name of the export.
    publisher, licence : str
        From the export's copyright footer when present, else the registry default.
    stand : str or None
        The export's "Stand:" line (publication timestamp) when present.
    ignored_counts : dict
        Values of declared non-count measures (e.g. area and density in IT.NRW 12411-15i)
        that were read and not kept, by measure label (also stated in ``notes``).
    """

    kind: str
    table_code: str
    format: str
    data: pd.DataFrame
    notes: tuple[str, ...]
    usable: bool
    source_file: str
    publisher: str
    licence: str
    stand: str | None = None
    title: str = ""
    placeholder_counts: dict[str, int] = field(default_factory=dict)
    ignored_counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _norm(text: object) -> str:
    """Lower-cased, whitespace-collapsed label for matching."""
    return re.sub(r"\s+", " ", str(text if text is not None else "")).strip().lower()


def _cell_text(value: object) -> str:
    """Render a cell (str from CSV, int/float/str from XLSX) as the text a user would see."""
    if value is None:
        return ""
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.strftime("%d.%m.%Y")  # Excel date cells (e.g. a Stichtag column)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value).replace(".", ",")
    return str(value).strip()


@dataclass
class _AgeScheme:
    code: str
    by_label: dict[str, tuple[int, int, str]]
    by_code: dict[str, tuple[int, int, str]]
    labels: list[str]


@functools.cache
def _age_scheme(name: str) -> _AgeScheme:
    spec = layouts()["age_schemes"][name]
    by_label: dict[str, tuple[int, int, str]] = {}
    by_code: dict[str, tuple[int, int, str]] = {}
    for g in spec["groups"]:
        top = OPEN_AGE if g["age_max"] is None else int(g["age_max"])
        entry = (int(g["age_min"]), top, g["label"])
        by_label[_norm(g["label"])] = entry
        by_code[g["code"].upper()] = entry
    return _AgeScheme(name, by_label, by_code, [g["label"] for g in spec["groups"]])


def _table_spec(code: str) -> dict[str, Any] | None:
    return layouts()["tables"].get(code)


def _sex_from_label(text: str) -> str | None:
    return layouts()["sex"]["labels"].get(_norm(text))


def _is_total_label(text: str) -> bool:
    return _norm(text) in layouts()["total_labels"]


@functools.lru_cache(maxsize=65536)
def _level_of(ags: str) -> str | None:
    if ags in layouts()["region"]["germany_codes"]:
        return "deutschland"
    if ags.isdigit():
        return layouts()["region"]["ags_lengths"].get(str(len(ags)))
    return None


@functools.lru_cache(maxsize=4096)
def _parse_date(text: str) -> tuple[int, str] | None:
    """``"31.12.2024"``/``"2024-12-31"`` -> (2024, "2024-12-31"); ``"2024"`` -> (2024, "")."""
    t = text.strip()
    m = _DATE_RE.match(t)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3))
        return y, f"{y:04d}-{mo:02d}-{d:02d}"
    m = _ISO_DATE_RE.match(t)
    if m:
        return int(m.group(1)), t
    m = _YEAR_RE.match(t)
    if m:
        return int(t), ""
    return None


@functools.lru_cache(maxsize=1024)
def _basis_for(reference_date: str, year: int) -> str:
    """Census basis of a Fortschreibung value by its reference date (documented rule).

    From 31.12.2022 the Regionalstatistik figures are on the Zensus-2022 basis, from
    31.12.2011 on the Zensus-2011 basis, before that on the VZ-1987 basis (old Länder).
    """
    key = reference_date or f"{year:04d}-12-31"
    if key >= CENSUS_DATES[BASIS_Z2022]:
        return BASIS_Z2022
    if key >= CENSUS_DATES[BASIS_Z2011]:
        return BASIS_Z2011
    return BASIS_VZ1987


@dataclass
class _Cell:
    """One published value with its keys as read (before normalisation)."""

    row: int
    column: str
    ags: str
    region_name: str
    time: str
    sex: str | None  # "female"/"male"/"total" or None (not given)
    age: tuple[int, int, str] | None
    measure: str  # raw measure text/code
    raw: object  # the cell as read
    quality: str = ""
    sheet: str | None = None


class _Problems:
    def __init__(self, file: str, sheet: str | None = None):
        self.file = file
        self.sheet = sheet
        self.items: list[Problem] = []

    def add(self, row: int | None, column: str | None, expected: str, found: object) -> None:
        self.items.append(problem(self.file, row, column, expected, found, self.sheet))

    def raise_if_any(self) -> None:
        if self.items:
            raise DataFormatError(self.items)


# ---------------------------------------------------------------------------------------------
# Reading bytes: encoding, zip safety
# ---------------------------------------------------------------------------------------------


def _decode(data: bytes, probs: _Problems) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM) or cp1252; report undecodable bytes by line."""
    if b"\x00" in data[:4096]:
        probs.add(
            1,
            None,
            "Text in UTF-8 oder Windows-1252 (Latin-1)",
            Described("Null-Bytes (UTF-16 oder Binärdatei?)"),
        )
        return "", ""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = ""
    if text:
        for i, line in enumerate(text.splitlines(), start=1):
            m = _MOJIBAKE_RE.search(line)
            if m:
                probs.add(
                    i,
                    None,
                    "Text in UTF-8 oder Windows-1252 (einfach kodiert)",
                    Described(
                        f"doppelt kodierten Text {line[max(0, m.start() - 8) : m.end() + 8]!r} "
                        "(UTF-8 als Windows-1252 gelesen und erneut gespeichert?)"
                    ),
                )
                return "", ""
        return text, "utf-8"
    mac = _mac_roman_hint(data)
    if mac is not None:
        line, seen, meant = mac
        probs.add(
            line,
            None,
            "Text in UTF-8 oder Windows-1252 (Latin-1)",
            Described(
                f"Mac-Roman-Kodierung (z. B. {seen!r}, in Mac Roman gelesen {meant!r}); bitte die Datei "
                "als UTF-8 oder Windows-1252 speichern"
            ),
        )
        return "", ""
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        for i, line in enumerate(data.split(b"\n"), start=1):
            try:
                line.decode("cp1252")
            except UnicodeDecodeError as exc:
                bad = line[exc.start : exc.start + 1]
                probs.add(
                    i,
                    None,
                    "Text in UTF-8 oder Windows-1252 (Latin-1)",
                    Described(f"nicht dekodierbares Byte 0x{bad.hex()} an Position {exc.start + 1}"),
                )
                if len(probs.items) >= 20:
                    break
        return "", ""


#: German letters as Mac Roman bytes (Ä Ö Ü ä ö ü ß): in Windows-1252 they read € … † Š š Ÿ §.
_MAC_UMLAUT_BYTES = re.compile(rb"[A-Za-z][\x80\x85\x86\x8a\x9a\x9f\xa7][a-z]")
_LATIN1_UMLAUT_BYTES = re.compile(rb"[\xc4\xd6\xdc\xe4\xf6\xfc\xdf]")


def _mac_roman_hint(data: bytes) -> tuple[int, str, str] | None:
    """(line, word as Windows-1252, word as Mac Roman) when the bytes are Mac Roman text.

    A file saved as "Mac Roman" (old Mac Excel) has its umlauts at bytes that Windows-1252
    reads as other characters ("Bevšlkerung"), so every region and age label mismatches. The
    signs: umlaut bytes of Mac Roman between letters, and none of Windows-1252's umlaut bytes.
    """
    m = _MAC_UMLAUT_BYTES.search(data)
    if m is None or _LATIN1_UMLAUT_BYTES.search(data):
        return None
    start = (
        max(data.rfind(b";", 0, m.start()), data.rfind(b"\n", 0, m.start()), data.rfind(b" ", 0, m.start()))
        + 1
    )
    end = min(x for x in (data.find(b";", m.end()), data.find(b"\n", m.end()), len(data)) if x >= 0)
    word = data[start:end][:40]
    line = data.count(b"\n", 0, m.start()) + 1
    return line, word.decode("cp1252", errors="replace"), word.decode("mac_roman")


def check_zip_safety(path: Path, probs: _Problems | None = None) -> list[Problem]:
    """Reject zip containers (xlsx, zipped ffcsv) that would expand dangerously (limits:
    :mod:`dashboard.data.archive`).

    Returns the problems found (empty list when the archive is acceptable).
    """
    own = probs or _Problems(path.name)
    start = len(own.items)
    try:
        infos = zip_members(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        own.add(
            None, None, "ein gültiges ZIP-Archiv (XLSX/ZIP)", Described("beschädigte oder keine ZIP-Datei")
        )
        return own.items[start:]
    own.items.extend(expansion_problems(infos, own.file))
    return own.items[start:]


# ---------------------------------------------------------------------------------------------
# Format detection
# ---------------------------------------------------------------------------------------------


def detect_format(path: Path, head: bytes) -> Format | None:
    """Guess the export format from magic bytes and the first line."""
    if head[:2] == b"PK":
        if path.suffix.lower() in {".xlsx", ".xlsm"}:
            return "xlsx"
        try:
            with zipfile.ZipFile(path) as zf:
                names = zf.namelist()
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
            return None
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
        return "ffcsv"
    first = head.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf").decode("latin-1").strip()
    low = first.lower()
    if low.startswith("statistics_code") or low.startswith("statistik_code"):
        return "ffcsv"
    return "csv"


def _table_from_text(*texts: str) -> str | None:
    for t in texts:
        m = _TABLE_CODE_RE.search(t or "")
        if m:
            return m.group(1)
    return None


# ---------------------------------------------------------------------------------------------
# ffcsv
# ---------------------------------------------------------------------------------------------


def _ffcsv_text(path: Path, probs: _Problems) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"PK":
        if check_zip_safety(path, probs):
            return ""
        try:
            with zipfile.ZipFile(path) as zf:
                members = [n for n in zf.namelist() if n.lower().endswith(".csv")]
                if len(members) != 1:
                    probs.add(
                        None,
                        None,
                        "genau eine CSV-Datei im ZIP-Archiv",
                        Described(f"{len(members)} CSV-Dateien"),
                    )
                    return ""
                raw = zf.read(members[0])
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:
            probs.add(None, None, "ein lesbares ZIP-Archiv", Described(f"beschädigt ({type(exc).__name__})"))
            return ""
    text, _ = _decode(raw, probs)
    return text


def _read_ffcsv(path: Path, probs: _Problems, table: str | None) -> tuple[list[_Cell], dict[str, Any]]:
    text = _ffcsv_text(path, probs)
    if not text:
        if not probs.items:
            probs.add(None, None, "eine nicht leere Datei", Described("leere Datei"))
        return [], {}
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    rows: list[tuple[int, list[str]]] = []
    prev = 0
    try:
        for rec in reader:
            start = prev + 1
            prev = reader.line_num
            if not any(c.strip() for c in rec):
                continue
            rows.append((start, rec))
    except csv.Error as exc:
        probs.add(prev + 1, None, "gültiges CSV (Semikolon, Anführungszeichen paarweise)", str(exc))
        return [], {}
    if text.count('"') % 2:
        probs.add(
            prev,
            None,
            "geschlossene Anführungszeichen",
            Described("ein offenes Anführungszeichen bis zum Dateiende – Datei abgeschnitten?"),
        )
        return [], {}
    if not rows:
        probs.add(None, None, "eine nicht leere Datei", Described("leere Datei"))
        return [], {}
    header = [h.strip() for h in rows[0][1]]
    spec_all = layouts()["ffcsv"]
    variant = "new" if "statistics_code" in header else ("old" if "Statistik_Code" in header else None)
    if variant is None:
        probs.add(
            1,
            None,
            "Kopfzeile des GENESIS-Flatfile (statistics_code;… oder Statistik_Code;…)",
            ";".join(header[:5]),
        )
        return [], {}
    spec = spec_all[variant]
    missing = [c for c in spec["required"] if c not in header]
    if missing:
        for c in missing:
            probs.add(1, c, f"Spalte {c!r} im Flatfile", Described("fehlt"))
        return [], {}
    col = {h: i for i, h in enumerate(header)}
    n_vars = 0
    while spec["variable_code"].format(n=n_vars + 1) in col:
        n_vars += 1
    for n in range(1, n_vars + 1):
        for key in ("attribute_code", "attribute_label"):
            name = spec[key].format(n=n)
            if name not in col:
                probs.add(1, name, f"Spalte {name!r} zu Merkmal {n}", Described("fehlt"))
    if variant == "new":
        value_cols = [(col[spec["value"]], None)]
        for opt in ("value_code", "value_label"):
            if spec[opt] not in col:
                probs.add(1, spec[opt], f"Spalte {spec[opt]!r}", Described("fehlt"))
    else:
        value_cols = [
            (i, h) for i, h in enumerate(header) if "__" in h and not h.endswith(spec["quality_suffix"])
        ]
        if not value_cols:
            probs.add(1, None, "mindestens eine Wertspalte CODE__Label__Einheit", Described("keine"))
    if probs.items:
        return [], {}

    meta: dict[str, Any] = {
        "statistic": "",
        "labels": set(),  # statistics_label values: the ffcsv's only title text (see load_genesis)
        "variables": set(),
        "filename_table": _table_from_text(path.name),
    }
    scheme_cache: dict[str, _AgeScheme] = {}
    cells: list[_Cell] = []
    width = len(header)
    last_line = rows[-1][0]
    for line, rec in rows[1:]:
        if len(rec) != width:
            what = (
                "abgeschnittene letzte Zeile"
                if line == last_line and len(rec) < width
                else "falsche Spaltenzahl"
            )
            probs.add(
                line, None, f"{width} Felder wie in der Kopfzeile", Described(f"{len(rec)} Felder ({what})")
            )
            continue
        get = lambda name: rec[col[name]].strip() if name in col else ""  # noqa: E731, B023 (used in this iteration only)
        meta["statistic"] = meta["statistic"] or get(spec["statistic"])
        if len(meta["labels"]) < 5 and (label := get(spec.get("statistic_label", ""))):
            meta["labels"].add(label)
        ags, region_name, sex, age = "", "", None, None
        region_seen = bad_age = False
        for n in range(1, n_vars + 1):
            vcode = get(spec["variable_code"].format(n=n)).upper()
            acode = get(spec["attribute_code"].format(n=n))
            alabel = get(spec["attribute_label"].format(n=n))
            meta["variables"].add(vcode)
            if vcode in layouts()["region"]["variable_codes"]:
                ags, region_name, region_seen = acode, alabel, True
            elif vcode in layouts()["sex"]["variable_codes"]:
                sex = layouts()["sex"]["codes"].get(acode.upper()) or _sex_from_label(alabel)
                if sex is None:
                    probs.add(
                        line, spec["attribute_code"].format(n=n), "GESM, GESW oder Insgesamt", acode or alabel
                    )
            elif vcode in layouts()["age_schemes"]:
                sch = scheme_cache.setdefault(vcode, _age_scheme(vcode))
                age = _age_lookup(sch, acode, alabel)
                if age is None:
                    probs.add(
                        line,
                        spec["attribute_label"].format(n=n),
                        f"eine Altersgruppe von {vcode} ({', '.join(sch.labels[:3])}, …) oder Insgesamt",
                        alabel or acode,
                    )
                    bad_age = True
            else:
                age_guess = _age_by_label_any(alabel, acode, table)
                if age_guess is not None:
                    age = age_guess
                else:
                    probs.add(
                        line,
                        spec["variable_code"].format(n=n),
                        "ein bekanntes Merkmal (Region, GES, Altersgruppen)",
                        vcode,
                    )
        if not region_seen:
            probs.add(line, None, "ein regionales Merkmal (KREISE, GEMEIN, …)", Described("keins"))
            continue
        if bad_age:
            continue
        time = get(spec["time"])
        for idx, vname in value_cols:
            if variant == "new":
                measure = f"{get(spec['value_code'])}__{get(spec['value_label'])}"
                quality = get(spec["quality"]) if spec["quality"] in col else ""
                colname = spec["value"]
            else:
                measure = vname or ""
                qname = vname.rsplit("__", 1)[0] + spec["quality_suffix"] if vname else ""
                quality = rec[col[qname]].strip() if qname in col else ""
                colname = vname or ""
            cells.append(
                _Cell(line, colname, ags, region_name.strip(), time, sex, age, measure, rec[idx], quality)
            )
    return cells, meta


def _age_lookup(sch: _AgeScheme, code: str, label: str) -> tuple[int, int, str] | None:
    if code.upper() in sch.by_code:
        return sch.by_code[code.upper()]
    if _norm(label) in sch.by_label:
        return sch.by_label[_norm(label)]
    if code.upper() in layouts()["total_codes"] or _is_total_label(label):
        return (0, OPEN_AGE, "Insgesamt")
    return None


def _age_by_label_any(label: str, code: str, table: str | None) -> tuple[int, int, str] | None:
    """Match an age attribute whose variable code is not in the registry, by label/code."""
    for name in layouts()["age_schemes"]:
        sch = _age_scheme(name)
        if code.upper() in sch.by_code or _norm(label) in sch.by_label:
            return _age_lookup(sch, code, label)
    return None


# ---------------------------------------------------------------------------------------------
# Classic table layout (CSV and XLSX share the grid interpreter)
# ---------------------------------------------------------------------------------------------


def _csv_grid(path: Path, probs: _Problems) -> tuple[list[tuple[int, list[object]]], str]:
    raw = path.read_bytes()
    if not raw.strip():
        probs.add(None, None, "eine nicht leere Datei", Described("leere Datei"))
        return [], ""
    text, enc = _decode(raw, probs)
    if not text:
        return [], enc
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    grid: list[tuple[int, list[object]]] = []
    prev = 0
    try:
        for rec in reader:
            grid.append((prev + 1, list(rec)))
            prev = reader.line_num
    except csv.Error as exc:
        probs.add(prev + 1, None, "gültiges CSV (Semikolon, Anführungszeichen paarweise)", str(exc))
    if text.count('"') % 2:
        # An opening quote that never closes: the csv module silently reads to the end of the
        # file, so a cut-off footer ("© Statistische Äm") would become the publisher.
        probs.add(
            prev + 1 if grid else None,
            None,
            "geschlossene Anführungszeichen",
            Described("ein offenes Anführungszeichen bis zum Dateiende – Datei abgeschnitten?"),
        )
    return grid, enc


def _xlsx_grid(path: Path, probs: _Problems) -> tuple[list[tuple[int, list[object]]], str | None]:
    if check_zip_safety(path, probs):
        return [], None
    import openpyxl  # local import: only needed for xlsx

    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken workbooks
        probs.add(None, None, "eine lesbare XLSX-Arbeitsmappe", Described(f"{type(exc).__name__}: {exc}"))
        return [], None
    try:
        ws = wb.worksheets[0]
        probs.sheet = ws.title
        grid: list[tuple[int, list[object]]] = []
        cells = 0
        rows_iter = ws.iter_rows(values_only=True)
        for r, row in enumerate(_safe_rows(rows_iter, probs), start=1):
            if r > MAX_XLSX_ROWS:
                probs.add(r, None, f"höchstens {MAX_XLSX_ROWS} Zeilen", Described("mehr Zeilen"))
                break
            values = list(row)
            while values and values[-1] in (None, ""):
                values.pop()
            cells += len(values)
            if cells > MAX_XLSX_CELLS:
                probs.add(r, None, f"höchstens {MAX_XLSX_CELLS} Zellen", Described("mehr Zellen"))
                break
            grid.append((r, values))
        return grid, ws.title
    finally:
        wb.close()


def _safe_rows(rows, probs: _Problems):
    """Iterate worksheet rows; a parser error (e.g. a forbidden XML entity) becomes a problem."""
    it = iter(rows)
    while True:
        try:
            row = next(it)
        except StopIteration:
            return
        except Exception as exc:  # defusedxml / openpyxl raise various types
            probs.add(None, None, "eine lesbare XLSX-Arbeitsmappe", Described(f"{type(exc).__name__}: {exc}"))
            return
        yield row


@dataclass
class _ColumnRole:
    sex: str | None = None
    age: tuple[int, int, str] | None = None
    measure: str | None = None
    time: str | None = None
    labels: tuple[str, ...] = ()


def _read_classic(
    path: Path, probs: _Problems, fmt: str, table: str | None
) -> tuple[list[_Cell], dict[str, Any]]:
    if fmt == "xlsx":
        grid, sheet = _xlsx_grid(path, probs)
    else:
        grid, _enc = _csv_grid(path, probs)
        sheet = None
    if probs.items:
        return [], {}
    grid = [(r, [_cell_text(c) for c in cells]) for r, cells in grid]
    nonempty = [(r, c) for r, c in grid if any(x for x in c)]
    if not nonempty:
        probs.add(None, None, "eine nicht leere Datei", Described("leere Datei"))
        return [], {}

    # Footer: first row whose first non-empty cell starts with "___", "©" or "Stand:".
    footer_at = None
    for i, (_r, c) in enumerate(grid):
        first = next((x for x in c if x), "")
        if first and _FOOTER_RE.match(first):
            footer_at = i
            break
    body = grid if footer_at is None else grid[:footer_at]
    footer = [] if footer_at is None else grid[footer_at:]
    footer_text = "\n".join(" ".join(x for x in c if x) for _, c in footer)

    def is_data(cells: list[str]) -> bool:
        return any(_looks_like_ags(x) for x in cells[:3] if x)

    first_data = next((i for i, (_, c) in enumerate(body) if is_data(c)), None)
    if first_data is None:
        probs.add(
            None,
            None,
            "Datenzeilen, die mit einem Amtlichen Gemeindeschlüssel beginnen",
            Described("keine Datenzeile (unbekanntes Layout)"),
        )
        return [], {}
    head = body[:first_data]
    title_rows = [(r, c) for r, c in head if sum(1 for x in c if x) == 1 and c and c[0]]
    header_rows = [(r, c) for r, c in head if (r, c) not in title_rows and any(x for x in c)]
    for r, c in header_rows:
        # A "header" row full of counts is a data row whose key was damaged (e.g. the AGS of the
        # first data row): never let its values vanish silently. Years (column headings) do
        # not count as values.
        vals = [x for x in c if x]
        counts_like = sum(1 for x in vals if _INT_RE.match(x) and not _YEAR_RE.match(x))
        if counts_like >= max(2, len(vals) // 2):
            probs.add(
                r,
                None,
                "eine Kopfzeile mit Beschriftungen oder eine Datenzeile mit Amtlichem "
                "Gemeindeschlüssel in den ersten drei Spalten",
                Described(f"{counts_like} Zahlen ohne erkennbaren Schlüssel (AGS beschädigt?)"),
            )
    if probs.items:
        return [], {}
    title_text = "\n".join(c[0] for _, c in title_rows)
    code = table or _table_from_text(title_text, path.name)
    spec = _table_spec(code) if code else None
    if spec is None:
        probs.add(
            title_rows[0][0] if title_rows else None,
            None,
            f"ein unterstützter Tabellencode ({', '.join(layouts()['tables'])})",
            code or "kein Tabellencode im Titel oder Dateinamen",
        )
        return [], {}
    scheme = _age_scheme(spec["age_scheme"]) if spec["age_scheme"] else None
    title_time = None
    for _, c in title_rows:
        m = re.search(r"(Stichtag|Jahr|Zeit)\s*:?\s*(\d{1,2}\.\d{1,2}\.\d{4}|\d{4})", c[0])
        if m:
            title_time = m.group(2)

    width = (
        max(len(c) for _, c in body[first_data:] + header_rows)
        if header_rows
        else max(len(c) for _, c in body[first_data:])
    )
    data_rows = [(r, c + [""] * (width - len(c))) for r, c in body[first_data:] if any(x for x in c)]
    header_rows = [(r, c + [""] * (width - len(c))) for r, c in header_rows]

    # Key columns from the data: AGS column, name column, date/year column, age column.
    def column_values(j: int) -> list[str]:
        return [c[j] for _, c in data_rows if c[j]]

    ags_col = next(j for j in range(min(3, width)) if any(_looks_like_ags(x) for x in column_values(j)))
    time_col = next(
        (j for j in range(0, ags_col) if column_values(j) and all(_parse_date(x) for x in column_values(j))),
        None,
    )
    name_col = ags_col + 1 if ags_col + 1 < width else None
    age_col = None
    if scheme is not None:
        for j in range((name_col or ags_col) + 1, min(width, (name_col or ags_col) + 3)):
            vals = column_values(j)
            if vals and sum(
                1 for x in vals if _norm(x) in scheme.by_label or _is_total_label(x) or _AGE_LIKE_RE.search(x)
            ) >= max(1, len(vals) // 2):
                age_col = j
                break
    key_cols = {ags_col, name_col, time_col, age_col} - {None}
    value_start = max(key_cols) + 1

    # Header interpretation per value column.
    roles: dict[int, _ColumnRole] = {}
    measures = spec["measures"]
    row_kinds = [_header_row_kind(c, scheme, measures) for _, c in header_rows]
    for j in range(value_start, width):
        labels = tuple(c[j] for _, c in header_rows if c[j])
        role = _ColumnRole(labels=labels)
        for (hr, c), kind in zip(header_rows, row_kinds):
            text = c[j]
            if not text or _is_variable_label(text):
                continue
            sx = _sex_from_label(text)
            if kind == "age" and scheme is not None:
                age = scheme.by_label.get(_norm(text))
                if age is None and _is_total_label(text):
                    age = (0, OPEN_AGE, "Insgesamt")
                if age is None:
                    probs.add(
                        hr,
                        _colname(j),
                        f"eine Altersgruppe ({', '.join(scheme.labels[:3])}, …, Insgesamt)",
                        text,
                    )
                role.age = age
            elif kind == "sex" and sx is not None:
                role.sex = sx
            elif _match_measure(text, measures) is not None:
                role.measure = _match_measure(text, measures)
            elif _parse_date(text):
                role.time = text
            elif kind == "age" or (_AGE_LIKE_RE.search(text) and scheme is not None):
                probs.add(hr, _colname(j), "eine bekannte Altersgruppe", text)
        roles[j] = role
    if not header_rows:
        probs.add(
            data_rows[0][0],
            None,
            "Kopfzeilen mit Geschlecht/Altersgruppen über den Werten",
            Described("keine Kopfzeile"),
        )
    if probs.items:
        return [], {}
    default_measure = measures[0]["event"] if len(measures) == 1 else None
    title_measure = None
    for _, c in title_rows:
        title_measure = title_measure or _match_measure(c[0], measures)

    cells: list[_Cell] = []
    carry = {"ags": "", "name": "", "time": ""}
    for r, c in data_rows:
        ags = c[ags_col] or carry["ags"]
        name = (c[name_col] if name_col is not None else "") or (carry["name"] if not c[ags_col] else "")
        tval = (c[time_col] if time_col is not None else "") or carry["time"]
        carry.update(ags=ags, name=name, time=tval)
        row_age = None
        if age_col is not None and scheme is not None:
            txt = c[age_col]
            row_age = scheme.by_label.get(_norm(txt))
            if row_age is None and _is_total_label(txt):
                row_age = (0, OPEN_AGE, "Insgesamt")
            if row_age is None:
                probs.add(
                    r,
                    _colname(age_col),
                    f"eine Altersgruppe ({', '.join(scheme.labels[:3])}, …, Insgesamt)",
                    txt,
                )
                continue
        for j in range(value_start, width):
            role = roles[j]
            raw = c[j]
            if not raw and not role.labels:
                continue
            measure = role.measure or title_measure or default_measure
            if measure is None:
                probs.add(
                    r,
                    _colname(j),
                    "eine Kopfzeile mit der Merkmalsart (z. B. Zuzüge/Fortzüge)",
                    " / ".join(role.labels) or "keine",
                )
                continue
            time = role.time or tval or title_time or ""
            cells.append(
                _Cell(
                    r,
                    _colname(j, role.labels),
                    ags,
                    name.strip(),
                    time,
                    role.sex,
                    role.age or row_age,
                    measure,
                    raw,
                    "",
                    sheet,
                )
            )
    meta = {
        "table": code,
        "title": title_text,
        "footer": footer_text,
        "has_footer": footer_at is not None,
        "last_row": data_rows[-1] if data_rows else None,
        "width": width,
        "value_start": value_start,
    }
    return cells, meta


def _looks_like_ags(text: str) -> bool:
    """AGS-like key cell: "DG", 2/3/5/8/9/12 digits, or 4/7 digits (a key that lost its leading
    zero, reported later) that is not a year."""
    if text == "DG":
        return True
    if not text.isdigit():
        return False
    return len(text) in (2, 3, 5, 8, 9, 12) or (len(text) in (4, 7) and not _YEAR_RE.match(text))


@functools.lru_cache(maxsize=4096)
def _colname(j: int, labels: tuple[str, ...] = ()) -> str:
    """Spreadsheet-style column name (A, B, …) plus the header labels, for error messages."""
    name = ""
    k = j + 1
    while k:
        k, rem = divmod(k - 1, 26)
        name = chr(65 + rem) + name
    return f"{name} ({' / '.join(labels)})" if labels else name


def _header_row_kind(cells: list[str], scheme: _AgeScheme | None, measures: list[dict]) -> str:
    texts = [x for x in cells if x and not _is_variable_label(x)]
    if not texts:
        return "other"
    n_age = sum(
        1 for x in texts if scheme is not None and (_norm(x) in scheme.by_label or _AGE_LIKE_RE.search(x))
    )
    n_sex = sum(1 for x in texts if _sex_from_label(x) in ("male", "female"))
    if n_age:
        return "age"
    if n_sex:
        return "sex"
    if any(_match_measure(x, measures) for x in texts):
        return "measure"
    if texts and all(_sex_from_label(x) == "total" for x in texts):
        return "sex"
    return "other"


def _is_variable_label(text: str) -> bool:
    """Header cells naming a classifying variable (e.g. "Altersgruppen (unter 3 bis 75 u. m.)")."""
    return _norm(text).startswith(("altersgruppen", "geschlecht", "amtlicher gemeindeschlüssel"))


def _match_measure(text: str, measures: list[dict]) -> str | None:
    t = _norm(text)
    for m in measures:
        if re.search(m["pattern"], t):
            return m["event"]
    for m in measures:
        if t.upper().startswith(m["code"]):
            return m["event"]
    return None


# ---------------------------------------------------------------------------------------------
# Normalisation and validation shared by all formats
# ---------------------------------------------------------------------------------------------


def _parse_value(raw: object, probs: _Problems, cell: _Cell, counts: Counter) -> tuple[int | None, str]:
    """Return (value, quality symbol). Placeholders per the registry; everything else must be an
    integer >= 0."""
    text = _cell_text(raw)
    placeholders = layouts()["placeholders"]
    if text in placeholders:
        counts[text] += 1
        v = placeholders[text]["value"]
        return (None if v is None else int(v)), text
    if isinstance(raw, float) and not raw.is_integer():
        probs.add(cell.row, cell.column, "eine ganze Zahl (Personen)", raw)
        return None, "invalid"
    if not _INT_RE.match(text):
        if text == "":
            probs.add(
                cell.row,
                cell.column,
                "eine Zahl oder ein GENESIS-Zeichen (-, ., x, ..., /)",
                Described("leere Zelle"),
            )
        elif _NUMERIC_LIKE_RE.match(text):
            probs.add(cell.row, cell.column, "eine ganze Zahl ohne Tausenderpunkt/Dezimalkomma", text)
        else:
            probs.add(cell.row, cell.column, "eine Zahl oder ein GENESIS-Zeichen (-, ., x, ..., /)", text)
        return None, "invalid"
    if len(text.lstrip("+-")) > MAX_VALUE_DIGITS:
        probs.add(
            cell.row,
            cell.column,
            f"eine Anzahl mit höchstens {MAX_VALUE_DIGITS} Stellen",
            Described(f"{len(text.lstrip('+-'))} Stellen"),
        )
        return None, "invalid"
    value = int(text)
    if value < 0 and not cell.measure.endswith("net_migration"):
        probs.add(cell.row, cell.column, "eine Anzahl ≥ 0", value)
        return None, "invalid"
    return value, ""


def _event_of(measure: str, spec: dict) -> str | None:
    if measure in {m["event"] for m in spec["measures"]}:
        return measure
    code, _, label = measure.partition("__")
    by_label = _match_measure(label.replace("_", " "), spec["measures"]) if label else None
    if by_label:
        return by_label
    return _match_measure(code, spec["measures"])


def _infer_table(meta: dict[str, Any], cells: list[_Cell]) -> str | None:
    """ffcsv carries the statistic number but not the table code: infer it."""
    if meta.get("filename_table") and _table_spec(meta["filename_table"]):
        return meta["filename_table"]
    stat = meta.get("statistic", "")
    variables = meta.get("variables", set())
    ages = {c.age[:2] for c in cells if c.age and c.age[:2] != (0, OPEN_AGE)}
    candidates = []
    for code, spec in layouts()["tables"].items():
        if spec["statistic"] != stat or code.endswith("-B") or code == "12411-0018":
            continue
        if spec["region_variable"] not in variables:
            continue
        if not _ages_fit(spec["age_scheme"], variables, ages):
            continue
        candidates.append(code)
    return candidates[0] if len(candidates) == 1 else None


def _ages_fit(scheme: str | None, variables: set[str], ages: set[tuple[int, int]]) -> bool:
    """Could cells with these age groups (and age variable codes) belong to a table of ``scheme``?"""
    if scheme is None:
        return not ages
    if scheme in variables:
        return True
    if any(v in layouts()["age_schemes"] for v in variables) or not ages:
        return False  # another registered age variable, or no ages at all
    sch = _age_scheme(scheme)
    return ages <= {g[:2] for g in sch.by_label.values()}


def load_genesis(path: str | Path, *, format: Format | None = None, table: str | None = None) -> GenesisTable:
    """Read and validate one GENESIS export.

    Parameters
    ----------
    path : str or Path
        The downloaded file (``.csv``, ``.xlsx`` or a ``.zip`` with one flat CSV).
    format : {"ffcsv", "csv", "xlsx"}, optional
        Force the format instead of detecting it.
    table : str, optional
        Force the table code (e.g. ``"12411-02-03-5"``) instead of reading it from the title
        rows, the file name or (ffcsv) inferring it from statistic and variable codes.

    Returns
    -------
    GenesisTable
        Tidy data with provenance, notes on placeholders and a ``usable`` flag.

    Raises
    ------
    DataFormatError
        Listing every problem found (encoding, layout, cells, keys, totals).
    """
    path = Path(path)
    probs = _Problems(path.name)
    if not path.is_file():
        probs.add(None, None, "eine vorhandene Datei", Described("nicht gefunden"))
        probs.raise_if_any()
    size = path.stat().st_size
    if size == 0:
        probs.add(None, None, "eine nicht leere Datei", Described("leere Datei (0 Byte)"))
        probs.raise_if_any()
    if size > MAX_FILE_BYTES:
        probs.add(None, None, f"höchstens {MAX_FILE_BYTES // 2**20} MB", Described(f"{size / 2**20:.1f} MB"))
        probs.raise_if_any()
    with path.open("rb") as fh:
        head = fh.read(4096)
    fmt = format or detect_format(path, head)
    if format is None and path.suffix.lower() in {".xlsx", ".xlsm"} and head[:2] != b"PK":
        probs.add(
            None,
            None,
            "eine Excel-Arbeitsmappe (XLSX)",
            Described(
                "keine Excel-Datei (der Inhalt ist keine XLSX-Arbeitsmappe, nur die Endung lautet .xlsx)"
            ),
        )
        probs.raise_if_any()
    if fmt is None:
        probs.add(
            None,
            None,
            "ein GENESIS-Export (Flatfile-CSV, Tabellen-CSV oder XLSX)",
            Described("unbekanntes Format"),
        )
        probs.raise_if_any()
    if table is not None and _table_spec(table) is None:
        probs.add(None, None, f"ein unterstützter Tabellencode ({', '.join(layouts()['tables'])})", table)
        probs.raise_if_any()

    if fmt == "ffcsv":
        cells, meta = _read_ffcsv(path, probs, table)
        probs.raise_if_any()
        code = table or _infer_table(meta, cells)
        if code is None:
            probs.add(
                None,
                None,
                "einen erkennbaren Tabellencode (Dateiname wie '12411-02-03-4_de_flat.csv' "
                "oder Angabe table=…)",
                Described(f"Statistik {meta.get('statistic')!r}"),
            )
            probs.raise_if_any()
        # the flat file's only title text is the statistic's label (a synthetic test recording
        # says so there, which the import check reads)
        footer, has_footer, title = "", True, "; ".join(sorted(meta.get("labels", ())))
    else:
        cells, meta = _read_classic(path, probs, fmt, table)
        probs.raise_if_any()
        code = meta["table"]
        footer, has_footer, title = meta["footer"], meta["has_footer"], meta["title"]
        if not has_footer:
            last = meta["last_row"]
            probs.add(
                last[0] if last else None,
                None,
                "Fußzeilen am Tabellenende ('__________', '© Statistische Ämter …', 'Stand: …')",
                Described("keine – Datei abgeschnitten?"),
            )
        elif meta["last_row"] is not None:
            r, c = meta["last_row"]
            filled = sum(1 for x in c[meta["value_start"] :] if x)
            if 0 < filled < meta["width"] - meta["value_start"]:
                probs.add(
                    r,
                    None,
                    f"{meta['width'] - meta['value_start']} Werte in der letzten Datenzeile",
                    Described(f"{filled} Werte – Datei abgeschnitten?"),
                )
    spec = _table_spec(code)
    assert spec is not None
    if not cells:
        probs.add(None, None, "mindestens ein Wert", Described("keine Datenzeilen"))
    return _finish(path, probs, cells, code, spec, str(fmt), footer, title)


def _finish(
    path: Path, probs: _Problems, cells: list[_Cell], code: str, spec: dict, fmt: str, footer: str, title: str
) -> GenesisTable:
    counts: Counter = Counter()
    publisher = spec["publisher"]
    licence = spec["licence"]
    m = re.search(r"©\s*([^,\n]+(?:,\s*[^,\n0-9]+)?)", footer)
    if m:
        publisher = m.group(1).strip().rstrip(",")
    if re.search(r"Namensnennung\s*-?\s*Version 2\.0", footer.replace("\n", " ")):
        licence = "dl-de/by-2-0"
    stand = None
    ms = re.search(r"Stand:\s*([^\n\"]+)", footer)
    if ms:
        stand = ms.group(1).strip()
    kind = spec["kind"]
    population = kind == "population"
    event_cache: dict[str, str | None] = {}
    ignored: Counter = Counter()
    cols = list(POPULATION_COLUMNS if population else EVENT_COLUMNS) + ["_column"]
    out: dict[str, list[Any]] = {c: [] for c in cols}
    default_age = (0, OPEN_AGE, "Insgesamt")
    age_keys: dict[tuple[int, int, str], str] = {}
    for cell in cells:
        ags = cell.ags.strip()
        level = _level_of(ags)
        if level is None:
            hint = " (führende Null verloren?)" if ags.isdigit() and len(ags) in (1, 4, 7) else ""
            probs.add(
                cell.row,
                "AGS",
                "Amtlicher Gemeindeschlüssel: 'DG' oder 2, 3, 5, 8, 9 bzw. 12 Ziffern",
                ags + hint,
            )
            continue
        parsed = _parse_date(cell.time) if cell.time else None
        if parsed is None:
            probs.add(cell.row, "Zeit", "Stichtag (TT.MM.JJJJ) oder Jahr (JJJJ)", cell.time or "fehlt")
            continue
        year, ref = parsed
        if population and not ref:
            ref = f"{year:04d}-12-31"
        if cell.measure not in event_cache:
            event_cache[cell.measure] = _event_of(cell.measure, spec)
        event = event_cache[cell.measure]
        if event == "ignored":  # a declared non-count measure of the table (e.g. area, density)
            ignored[cell.measure.partition("__")[2] or cell.measure] += 1
            continue
        if event is None:
            probs.add(
                cell.row,
                cell.column,
                f"ein Merkmal der Tabelle {code} ({', '.join(m['pattern'] for m in spec['measures'])})",
                cell.measure,
            )
            continue
        value, quality = _parse_value(cell.raw, probs, _CellWithMeasure(cell, event), counts)
        if quality == "invalid":
            continue
        if cell.quality and not _QUALITY_RE.match(cell.quality):
            probs.add(
                cell.row,
                "Qualitätskennzeichen",
                "ein GENESIS-Qualitätskennzeichen (ein oder zwei Buchstaben wie e, p, r, s) "
                "oder ein GENESIS-Zeichen",
                cell.quality,
            )
            continue
        age = (cell.age or default_age) if spec["age_scheme"] else default_age
        if age not in age_keys:
            age_keys[age] = _age_key(age)
        out["ags"].append(ags)
        out["region_name"].append(cell.region_name)
        out["level"].append(level)
        out["year"].append(year)
        out["sex"].append(cell.sex or "total")
        out["age_min"].append(age[0])
        out["age_max"].append(age[1])
        out["age_group"].append(age_keys[age])
        out["age_group_label"].append(age[2])
        out["quality"].append(quality or cell.quality)
        out["source_row"].append(cell.row)
        out["_column"].append(cell.column)
        if population:
            out["reference_date"].append(ref)
            out["population"].append(value)
            out["basis"].append(_basis_for(ref, year))
        else:
            out["event"].append(event)
            out["value"].append(value)
    n = len(out["ags"])
    for c, v in (("table", code), ("publisher", publisher), ("licence", licence), ("source_file", path.name)):
        out[c] = [v] * n
    df = pd.DataFrame({c: out[c] for c in cols})
    vcol = "population" if kind == "population" else "value"
    df[vcol] = pd.array(df[vcol].tolist(), dtype="Int64")
    for c in ("year", "age_min", "age_max", "source_row"):
        df[c] = df[c].astype("int64")
    _check_keys_and_totals(df, probs, kind)
    probs.raise_if_any()

    notes: list[str] = []
    placeholders = layouts()["placeholders"]
    for sym, n in sorted(counts.items()):
        meaning = placeholders[sym]["meaning"]
        if placeholders[sym]["value"] is None:
            notes.append(f"{n} Zelle(n) '{sym}' ({meaning}) als fehlend übernommen und gemeldet.")
        else:
            notes.append(f"{n} Zelle(n) '{sym}' ({meaning}) als 0 übernommen.")
    for label, n in sorted(ignored.items()):
        notes.append(f"{n} Wert(e) '{label}' gelesen und nicht übernommen (keine Personenzahl).")
    missing = int(df[vcol].isna().sum())
    usable = missing == 0
    if not usable:
        notes.append(f"{missing} Wert(e) fehlen: die Tabelle ist für die Prognose so nicht verwendbar.")
    if kind == "population":
        odd = sorted(set(df.loc[~df["reference_date"].str.endswith("-12-31"), "reference_date"]))
        if odd:
            notes.append(f"Stichtag nicht 31.12.: {', '.join(odd)} (Jahr = Jahr des Stichtags).")
    return GenesisTable(
        kind=kind,
        table_code=code,
        format=fmt,
        data=df.drop(columns="_column"),
        notes=tuple(notes),
        usable=usable,
        source_file=path.name,
        publisher=publisher,
        licence=licence,
        stand=stand,
        title=title,
        placeholder_counts=dict(counts),
        ignored_counts=dict(ignored),
    )


def _age_key(age: tuple[int, int, str]) -> str:
    """Project age-group key: "0-2", "75+" (open top group) or "total" (as in embedded.py)."""
    lo, hi, _ = age
    if lo == 0 and hi == OPEN_AGE:
        return "total"
    return f"{lo}+" if hi == OPEN_AGE else f"{lo}-{hi}"


class _CellWithMeasure:
    """A view of a cell whose measure is already mapped to an event (for sign checks)."""

    def __init__(self, cell: _Cell, event: str):
        self.row, self.column, self.measure = cell.row, cell.column, event


def _check_keys_and_totals(df: pd.DataFrame, probs: _Problems, kind: str) -> None:
    if df.empty:
        return
    vcol = "population" if kind == "population" else "value"
    tcol = "reference_date" if kind == "population" else "year"
    keys = ["ags", tcol, "sex", "age_min", "age_max"] + ([] if kind == "population" else ["event"])
    dup = df.duplicated(keys, keep="first")
    if dup.any():
        first_rows = df.drop_duplicates(keys, keep="first").set_index(keys)["source_row"]
        for i in df.index[dup]:
            k = tuple(df.loc[i, keys])
            probs.add(
                int(df.at[i, "source_row"]),
                df.at[i, "_column"],
                f"jede Kombination Region/Zeit/Geschlecht/Alter nur einmal (schon in Zeile {int(first_rows.loc[k])})",
                Described(f"doppelt: {k[0]} {k[1]} {k[2]} {df.at[i, 'age_group_label']}"),
            )
        return
    # male + female = total (vectorised: one merge per sex)
    group = [c for c in keys if c != "sex"]
    cols = group + [vcol, "source_row", "_column"]
    tot = df.loc[df["sex"] == "total", cols]
    mal = df.loc[df["sex"] == "male", group + [vcol]].rename(columns={vcol: "_m"})
    fem = df.loc[df["sex"] == "female", group + [vcol]].rename(columns={vcol: "_f"})
    j = tot.merge(mal, on=group).merge(fem, on=group)
    j = j.dropna(subset=[vcol, "_m", "_f"])
    bad = j[(j["_m"] + j["_f"]) != j[vcol]]
    for r in bad.to_dict("records"):
        m, f, t = int(r["_m"]), int(r["_f"]), int(r[vcol])
        probs.add(
            int(r["source_row"]), r["_column"], f"Insgesamt = männlich + weiblich ({m} + {f} = {m + f})", t
        )
    # age groups sum to the "Insgesamt" row where both are present and the groups partition
    # 0..OPEN_AGE without gaps or overlaps
    group2 = ["ags", tcol, "sex"] + ([] if kind == "population" else ["event"])
    is_total = (df["age_min"] == 0) & (df["age_max"] == OPEN_AGE)
    parts = df.loc[~is_total, group2 + ["age_min", "age_max", vcol]].sort_values(group2 + ["age_min"])
    if parts.empty:
        return
    prev_max = parts.groupby(group2, sort=False)["age_max"].shift()
    parts = parts.assign(_gap=prev_max.notna() & (parts["age_min"] != prev_max + 1), _na=parts[vcol].isna())
    agg = parts.groupby(group2, sort=False).agg(
        _lo=("age_min", "min"),
        _hi=("age_max", "max"),
        _gap=("_gap", "any"),
        _na=("_na", "any"),
        _sum=(vcol, "sum"),
    )
    agg = agg[(agg["_lo"] == 0) & (agg["_hi"] == OPEN_AGE) & ~agg["_gap"] & ~agg["_na"]].reset_index()
    totals = df.loc[is_total, group2 + [vcol, "source_row", "_column"]].dropna(subset=[vcol])
    j = totals.merge(agg, on=group2)
    bad = j[j["_sum"] != j[vcol]]
    for r in bad.to_dict("records"):
        probs.add(
            int(r["source_row"]),
            r["_column"],
            f"Insgesamt = Summe der Altersgruppen ({int(r['_sum'])})",
            int(r[vcol]),
        )


__all__ = [
    "GenesisTable",
    "load_genesis",
    "detect_format",
    "check_zip_safety",
    "layouts",
    "MAX_FILE_BYTES",
    "POPULATION_COLUMNS",
    "EVENT_COLUMNS",
]
