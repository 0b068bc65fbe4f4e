"""Read and validate an edited catalogue workbook: every problem at once, naming file, sheet, row, column.

Also refuses oversized files and zip bombs before openpyxl decompresses anything.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook as _open

from dashboard.constants import AGS_LIST, KREIS_AGS, OPEN_AGE
from dashboard.data.archive import expansion_problems, refuse_oversized, zip_members
from dashboard.data.errors import DataFormatError, Problem, problem
from dashboard.data.measures.catalogue import (
    _REQUIRED_TEXT,
    AGE_BAND_BASES,
    FIELDS_OF_ACTION,
    MEASURE_COLUMNS,
    REQUIRED_SHEETS,
    SHEET_MEASURES,
    SHEET_MUNICIPALITIES,
    SHEET_SOURCES,
    STATUSES,
    Catalogue,
    _frames,
    _name_of,
    _valid_url,
)
from dashboard.settings import UPLOAD_MAX_BYTES


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _cell_int(v) -> tuple[int | None, bool]:
    """(value, ok): empty -> (None, True); int-like -> (int, True); else (None, False)."""
    if v is None or (isinstance(v, str) and v.strip() == ""):
        return None, True
    if isinstance(v, bool):
        return None, False
    if isinstance(v, int):
        return v, True
    if isinstance(v, float) and v.is_integer():
        return int(v), True
    if isinstance(v, str) and re.fullmatch(r"\s*\d+\s*", v):
        return int(v), True
    return None, False


def _read_sheet(
    ws, fname: str, sheet: str, columns: tuple[str, ...], probs: list[Problem]
) -> list[tuple[int, dict]] | None:
    """Rows of a sheet as (excel_row, {column: value}); header checked (all problems)."""
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        probs.append(
            problem(fname, 1, None, f"Kopfzeile mit {', '.join(columns)}", "leeres Blatt", sheet=sheet)
        )
        return None
    names = [_cell_text(h) for h in header]
    while names and names[-1] == "":
        names.pop()
    ok = True
    for c in columns:
        if c not in names:
            probs.append(problem(fname, 1, c, "diese Spalte in der Kopfzeile", "fehlt", sheet=sheet))
            ok = False
    for k, n in enumerate(names):
        if n not in columns:
            probs.append(
                problem(
                    fname,
                    1,
                    n or f"Spalte {k + 1}",
                    f"nur die Spalten {', '.join(columns)}",
                    n or "leere Überschrift",
                    sheet=sheet,
                )
            )
            ok = False
    if not ok:
        return None
    idx = {c: names.index(c) for c in columns}
    out = []
    for r, values in enumerate(rows, start=2):
        if r > MAX_SHEET_ROWS:
            probs.append(
                problem(fname, r, None, f"höchstens {MAX_SHEET_ROWS} Zeilen", "mehr Zeilen", sheet=sheet)
            )
            return None
        values = list(values) + [None] * (len(names) - len(values))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue
        out.append((r, {c: values[idx[c]] for c in columns}))
    return out


#: Upload limits for a catalogue workbook (the shipped one has ~100 rows and ~40 kB).
MAX_WORKBOOK_BYTES: int = UPLOAD_MAX_BYTES  # the one upload limit (dashboard.settings)
MAX_SHEET_ROWS: int = 20_000


def _unreadable(fname: str, exc: Exception) -> DataFormatError:
    """The error for a file that is no readable workbook (the exception named, not its text)."""
    return DataFormatError(
        problem(
            fname,
            None,
            None,
            "eine Excel-Arbeitsmappe (.xlsx)",
            f"keine lesbare Arbeitsmappe ({type(exc).__name__})",
        )
    )


def _check_container(path, fname: str) -> None:
    """Refuse oversized files and zip bombs before openpyxl decompresses anything.

    (openpyxl parses XML with defusedxml when it is installed, which refuses entity tricks.)
    """
    try:
        if isinstance(path, (str, Path)):
            size = Path(path).stat().st_size
        else:
            pos = path.tell()
            size = path.seek(0, 2)
            path.seek(pos)
        refuse_oversized(fname, size, MAX_WORKBOOK_BYTES)
        infos = zip_members(path)
    except DataFormatError:
        raise
    except Exception as exc:
        raise _unreadable(fname, exc) from None
    problems = expansion_problems(infos, fname)
    if problems:
        raise DataFormatError(problems)


def load_workbook(
    path: str | Path, *, origin: str = "imported", display_name: str | None = None
) -> Catalogue:
    """Read and validate a catalogue workbook (see :func:`_load_workbook` for the contract).

    openpyxl's read-only mode decompresses sheets lazily, so a damaged archive member
    (bad CRC, truncated deflate stream, broken XML) fails while rows are read: such failures
    become a :class:`DataFormatError` naming the file, never another exception type.
    """
    fname = display_name or (Path(path).name if isinstance(path, (str, Path)) else "Arbeitsmappe")
    try:
        return _load_workbook(path, origin=origin, display_name=display_name)
    except DataFormatError:
        raise
    except (
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        OSError,
        KeyError,
        ValueError,
        TypeError,
        ParseError,
    ) as exc:
        raise DataFormatError(
            problem(
                fname,
                None,
                None,
                "eine lesbare Excel-Arbeitsmappe (.xlsx)",
                f"beschädigte Arbeitsmappe ({type(exc).__name__})",
            )
        ) from None


def _load_workbook(
    path: str | Path, *, origin: str = "imported", display_name: str | None = None
) -> Catalogue:
    """Read and validate a catalogue workbook.

    Parameters
    ----------
    path : path or file-like
        ``.xlsx`` with the sheets ``Massnahmen``, ``Gemeinden``, ``Quellen`` (see module
        docstring for the columns). ``Listen`` and ``Hinweise`` are ignored.
    origin : str
        Recorded in :attr:`Catalogue.origin`.
    display_name : str, optional
        File name used in problems (default: the file's name).

    Returns
    -------
    Catalogue

    Raises
    ------
    DataFormatError
        Every problem at once, each naming file, sheet, row (Excel row number), column,
        expected and found: missing sheets or columns, missing title/id/…, duplicate ids,
        unknown field of action/status/age band basis, ages outside 0–100 or
        age_min > age_max, an "all ages" band that is not 0–open, bad start year, unknown AGS
        or name, unknown measure ids in Gemeinden/Quellen, invalid URLs, measures without a
        municipality or a source.
    """

    fname = display_name or (Path(path).name if isinstance(path, (str, Path)) else "Arbeitsmappe")
    probs: list[Problem] = []
    data = _read_sheets(path, fname, probs)
    measures, id_rows = _validate_measures(data[SHEET_MEASURES], fname, probs)
    munis, has_muni = _validate_municipalities(data[SHEET_MUNICIPALITIES], id_rows, fname, probs)
    srcs, has_src = _validate_sources(data[SHEET_SOURCES], id_rows, fname, probs)
    if data[SHEET_MUNICIPALITIES] is not None:
        _require_children(
            id_rows, has_muni, "mindestens eine gültige Zeile im Blatt 'Gemeinden'", fname, probs
        )
    if data[SHEET_SOURCES] is not None:
        _require_children(id_rows, has_src, "mindestens eine gültige Quelle im Blatt 'Quellen'", fname, probs)
    if probs:
        raise DataFormatError(probs)
    # Keep the measures' row order for the child tables (stable output).
    order = {mid: k for k, mid in enumerate(id_rows)}
    munis.sort(key=lambda t: order[t[0]])
    srcs.sort(key=lambda t: order[t[0]])
    m, g, s = _frames(measures, munis, srcs)
    return Catalogue(m, g, s, origin=origin, path=str(path) if isinstance(path, (str, Path)) else None)


def _read_sheets(path, fname: str, probs: list[Problem]) -> dict[str, list | None]:
    """Rows of every required sheet (``None`` for a missing or malformed sheet, problem recorded)."""
    _check_container(path, fname)
    try:
        wb = _open(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types (incl. XML errors) for broken files
        raise _unreadable(fname, exc) from None
    try:
        present = list(wb.sheetnames)
        data: dict[str, list | None] = {}
        for sheet, cols in REQUIRED_SHEETS.items():
            if sheet not in present:
                probs.append(
                    problem(
                        fname,
                        None,
                        None,
                        f"ein Blatt {sheet!r}",
                        "vorhandene Blätter: " + ", ".join(repr(s) for s in present),
                        sheet=sheet,
                    )
                )
                data[sheet] = None
            else:
                data[sheet] = _read_sheet(wb[sheet], fname, sheet, cols, probs)
    finally:
        wb.close()
    return data


def _validate_measures(
    rows: list | None, fname: str, probs: list[Problem]
) -> tuple[list[dict], dict[str, int]]:
    """Records of the sheet ``Massnahmen`` and the Excel row of each id (problems recorded)."""
    measures: list[dict] = []
    id_rows: dict[str, int] = {}
    S = SHEET_MEASURES
    for r, v in rows or []:
        rec: dict = {}
        for c in MEASURE_COLUMNS:
            if c in ("age_min", "age_max", "start_year"):
                continue
            rec[c] = _cell_text(v[c])
        for c in _REQUIRED_TEXT:
            if rec[c] == "":
                probs.append(problem(fname, r, c, "einen Wert (Pflichtfeld)", "leere Zelle", sheet=S))
        mid = rec["id"]
        if mid:
            if mid in id_rows:
                probs.append(
                    problem(
                        fname, r, "id", f"eine eindeutige ID (schon in Zeile {id_rows[mid]})", mid, sheet=S
                    )
                )
            else:
                id_rows[mid] = r
        if rec["field_of_action"] and rec["field_of_action"] not in FIELDS_OF_ACTION:
            probs.append(
                problem(
                    fname,
                    r,
                    "field_of_action",
                    "eines der fünf Handlungsfelder (" + "; ".join(FIELDS_OF_ACTION) + ")",
                    rec["field_of_action"],
                    sheet=S,
                )
            )
        if rec["status"] and rec["status"] not in STATUSES:
            probs.append(
                problem(fname, r, "status", "einen Status aus " + ", ".join(STATUSES), rec["status"], sheet=S)
            )
        if rec["age_band_basis"] and rec["age_band_basis"] not in AGE_BAND_BASES:
            probs.append(
                problem(
                    fname,
                    r,
                    "age_band_basis",
                    "einen Wert aus " + ", ".join(AGE_BAND_BASES),
                    rec["age_band_basis"],
                    sheet=S,
                )
            )
        for c, lo, hi in (("age_min", 0, OPEN_AGE), ("age_max", 0, OPEN_AGE), ("start_year", 1900, 2100)):
            val, ok = _cell_int(v[c])
            if not ok or (val is not None and not lo <= val <= hi):
                probs.append(
                    problem(
                        fname,
                        r,
                        c,
                        f"eine ganze Zahl von {lo} bis {hi}" + (" oder leer" if c != "age_min" else ""),
                        v[c],
                        sheet=S,
                    )
                )
                val = None
            rec[c] = val
        if rec["age_min"] is None and _cell_int(v["age_min"])[1]:
            probs.append(
                problem(
                    fname,
                    r,
                    "age_min",
                    "eine ganze Zahl von 0 bis 100 (Pflichtfeld; 0 = ab Geburt)",
                    "leere Zelle",
                    sheet=S,
                )
            )
        if rec["age_min"] is not None and rec["age_max"] is not None and rec["age_min"] > rec["age_max"]:
            probs.append(
                problem(fname, r, "age_min", f"höchstens age_max ({rec['age_max']})", rec["age_min"], sheet=S)
            )
        if rec["age_band_basis"] == "all ages" and not (rec["age_min"] == 0 and rec["age_max"] is None):
            probs.append(
                problem(
                    fname,
                    r,
                    "age_band_basis",
                    "„all ages“ nur mit age_min 0 und leerem age_max",
                    f"all ages mit {rec['age_min']}–{rec['age_max'] if rec['age_max'] is not None else 'offen'}",
                    sheet=S,
                )
            )
        measures.append(rec)
    return measures, id_rows


def _known_measure(
    mid: str | None, id_rows: dict[str, int], fname: str, r: int, sheet: str, probs: list[Problem]
) -> bool:
    """Whether a child sheet's ``measure_id`` names a measure of the sheet ``Massnahmen``; a
    problem when it does not."""
    if mid in id_rows:
        return True
    probs.append(
        problem(
            fname, r, "measure_id", "eine ID aus dem Blatt 'Massnahmen'", mid or "leere Zelle", sheet=sheet
        )
    )
    return False


def _validate_municipalities(
    rows: list | None, id_rows: dict[str, int], fname: str, probs: list[Problem]
) -> tuple[list[tuple], set[str]]:
    """(measure_id, ags, name) rows of the sheet ``Gemeinden`` and the ids that have one."""
    munis: list[tuple] = []
    has_muni: set[str] = set()
    seen_pairs: dict[tuple[str, str], int] = {}
    G = SHEET_MUNICIPALITIES
    valid_ags = {KREIS_AGS, *AGS_LIST}
    for r, v in rows or []:
        mid = _cell_text(v["measure_id"])
        raw_ags = v["ags"]
        ags = raw_ags.strip() if isinstance(raw_ags, str) else raw_ags
        name = _cell_text(v["name"])
        bad = not _known_measure(mid, id_rows, fname, r, G, probs)
        if not isinstance(ags, str) or ags not in valid_ags:
            shown = (
                ags
                if isinstance(ags, str)
                else ("leere Zelle" if ags is None else f"{ags} (Zahl; AGS bitte als Text, führende Null)")
            )
            probs.append(
                problem(
                    fname,
                    r,
                    "ags",
                    "einen AGS der Liste (05358 = Kreis Düren, 05358004 … 05358060 als Text)",
                    shown,
                    sheet=G,
                )
            )
            bad = True
        elif name and name != _name_of(ags):
            probs.append(
                problem(fname, r, "name", f"{_name_of(ags)!r} (Name zu AGS {ags}) oder leer", name, sheet=G)
            )
            bad = True
        if not bad:
            key = (mid, ags)
            if key in seen_pairs:
                probs.append(
                    problem(
                        fname,
                        r,
                        "ags",
                        f"jede Gemeinde nur einmal je Maßnahme (schon in Zeile {seen_pairs[key]})",
                        ags,
                        sheet=G,
                    )
                )
                continue
            seen_pairs[key] = r
            munis.append((mid, ags, _name_of(ags)))
            has_muni.add(mid)
    return munis, has_muni


def _validate_sources(
    rows: list | None, id_rows: dict[str, int], fname: str, probs: list[Problem]
) -> tuple[list[tuple], set[str]]:
    """(measure_id, url) rows of the sheet ``Quellen`` and the ids that have one."""
    srcs: list[tuple] = []
    has_src: set[str] = set()
    Q = SHEET_SOURCES
    for r, v in rows or []:
        mid = _cell_text(v["measure_id"])
        url = _cell_text(v["url"])
        ok = _known_measure(mid, id_rows, fname, r, Q, probs)
        if not _valid_url(url):
            probs.append(
                problem(fname, r, "url", "eine vollständige http(s)-URL", url or "leere Zelle", sheet=Q)
            )
            ok = False
        if ok:
            srcs.append((mid, url))
            has_src.add(mid)
    return srcs, has_src


def _require_children(
    id_rows: dict[str, int], present: set[str], expected: str, fname: str, probs: list[Problem]
) -> None:
    """A problem for every measure without a valid row in a child sheet."""
    for mid, r in id_rows.items():
        if mid not in present:
            probs.append(problem(fname, r, "id", expected, "keine", sheet=SHEET_MEASURES))
