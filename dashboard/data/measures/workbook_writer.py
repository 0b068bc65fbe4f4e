"""Write the catalogue as an Excel workbook with validation lists (the file the district edits)."""

from __future__ import annotations

import datetime as _dt
import tempfile
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from dashboard.constants import AGS_LIST, KREIS_AGS, OPEN_AGE
from dashboard.data.export_safety import protect_workbook
from dashboard.data.measures.catalogue import (
    AGE_BAND_BASES,
    FIELDS_OF_ACTION,
    MEASURE_COLUMNS,
    MUNICIPALITY_COLUMNS,
    SHEET_HELP,
    SHEET_LISTS,
    SHEET_MEASURES,
    SHEET_MUNICIPALITIES,
    SHEET_SOURCES,
    SOURCE_COLUMNS,
    STATUSES,
    Catalogue,
    _name_of,
)

_HELP_ROWS = (
    (
        "Blatt Massnahmen",
        "eine Zeile je Maßnahme; Pflichtfelder: id, title, field_of_action, "
        "target_group, age_min, age_band_basis, status",
    ),
    ("id", "eindeutige Kennung, z. B. M68"),
    ("field_of_action", "genau eines der fünf Handlungsfelder (Auswahlliste)"),
    ("age_min / age_max", "Altersband in Jahren (0–100); age_max leer = nach oben offen"),
    (
        "age_band_basis",
        "source = Altersband laut Quelle; convention = nach dokumentierter "
        "Konvention gesetzt; all ages = für alle Altersgruppen (age_min 0, age_max leer)",
    ),
    ("status", "laufend, geplant, abgeschlossen oder unbekannt (nur „laufend“ gilt als aktiv)"),
    (
        "Blatt Gemeinden",
        "eine Zeile je versorgter Gemeinde: measure_id und AGS (Auswahlliste); "
        "05358 = Kreis Düren = alle 15 Gemeinden",
    ),
    (
        "Blatt Quellen",
        "eine Zeile je Quelle: measure_id und URL (http/https); jede Maßnahme braucht mindestens eine Quelle",
    ),
    (
        "Import",
        "python -m dashboard massnahmen import DATEI.xlsx oder Upload auf der Seite "
        "„Werkzeugkoffer“; die Datei wird vollständig geprüft, Fehler werden mit Blatt, Zeile "
        "und Spalte gemeldet",
    ),
)


def write_workbook(catalogue: Catalogue, path: str | Path) -> Path:
    """Write the catalogue as an Excel workbook with validation lists.

    Sheets: ``Massnahmen``, ``Gemeinden``, ``Quellen`` (the tables), ``Listen`` (the
    allowed values, referenced by Excel data validation on ``field_of_action``, ``status``,
    ``age_band_basis`` and ``ags``; whole-number validation on ages and start year) and
    ``Hinweise`` (German help). AGS cells are text (leading zero kept).

    Returns
    -------
    Path
        The written file.
    """
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    n_rows = 2000  # validation range (rows staff may add)

    def table(name: str, columns: tuple[str, ...], rows) -> object:
        ws = wb.create_sheet(name)
        ws.append(list(columns))
        for c in ws[1]:
            c.font = bold
        for row in rows:
            ws.append([None if (v is None or v is pd.NA or v == "") else v for v in row])
        ws.freeze_panes = "A2"
        return ws

    m = catalogue.measures
    rows = []
    for rec in m.itertuples(index=False):
        rows.append(
            [
                None if pd.isna(v) else (int(v) if c in ("age_min", "age_max", "start_year") else v)
                for c, v in zip(MEASURE_COLUMNS, rec)
            ]
        )
    wsm = table(SHEET_MEASURES, MEASURE_COLUMNS, rows)
    wsg = table(SHEET_MUNICIPALITIES, MUNICIPALITY_COLUMNS, catalogue.municipalities.itertuples(index=False))
    for row in wsg.iter_rows(min_row=2, min_col=2, max_col=2):
        for c in row:
            c.number_format = "@"
    wss = table(SHEET_SOURCES, SOURCE_COLUMNS, catalogue.sources.itertuples(index=False))
    for ws, widths in (
        (wsm, {"A": 7, "B": 50, "C": 42, "D": 40, "H": 40, "K": 40, "L": 60, "M": 40}),
        (wsg, {"A": 11, "B": 11, "C": 16}),
        (wss, {"A": 11, "B": 90}),
    ):
        for col, w in widths.items():
            ws.column_dimensions[col].width = w

    lists = wb.create_sheet(SHEET_LISTS)
    ags_codes = [KREIS_AGS, *AGS_LIST]
    lists.append(["field_of_action", "status", "age_band_basis", "ags", "name"])
    for c in lists[1]:
        c.font = bold
    for k in range(max(len(FIELDS_OF_ACTION), len(STATUSES), len(ags_codes))):
        lists.append(
            [
                FIELDS_OF_ACTION[k] if k < len(FIELDS_OF_ACTION) else None,
                STATUSES[k] if k < len(STATUSES) else None,
                AGE_BAND_BASES[k] if k < len(AGE_BAND_BASES) else None,
                ags_codes[k] if k < len(ags_codes) else None,
                _name_of(ags_codes[k]) if k < len(ags_codes) else None,
            ]
        )
    for row in lists.iter_rows(min_row=2, min_col=4, max_col=4):
        for c in row:
            c.number_format = "@"
    lists.column_dimensions["A"].width = 46
    lists.column_dimensions["E"].width = 16

    def validation(ws, col_letter: str, error_title: str, error: str, **rule) -> None:
        """A data validation of ``rule`` on the column's data rows, with a German error box."""
        dv = DataValidation(
            **rule, allow_blank=True, showErrorMessage=True, errorTitle=error_title, error=error
        )
        dv.add(f"{col_letter}2:{col_letter}{n_rows}")
        ws.add_data_validation(dv)

    def list_validation(ws, col_letter: str, list_col: str, n: int, title: str) -> None:
        validation(
            ws,
            col_letter,
            "Ungültiger Wert",
            f"Bitte einen Wert aus der Liste wählen ({title}).",
            type="list",
            formula1=f"={SHEET_LISTS}!${list_col}$2:${list_col}${n + 1}",
        )

    def whole_validation(ws, col_letter: str, lo: int, hi: int) -> None:
        validation(
            ws,
            col_letter,
            "Ungültige Zahl",
            f"Bitte eine ganze Zahl von {lo} bis {hi} eingeben.",
            type="whole",
            operator="between",
            formula1=str(lo),
            formula2=str(hi),
        )

    col = {c: chr(ord("A") + k) for k, c in enumerate(MEASURE_COLUMNS)}
    list_validation(wsm, col["field_of_action"], "A", len(FIELDS_OF_ACTION), "Handlungsfeld")
    list_validation(wsm, col["status"], "B", len(STATUSES), "Status")
    list_validation(wsm, col["age_band_basis"], "C", len(AGE_BAND_BASES), "Grundlage Altersband")
    list_validation(wsg, "B", "D", len(ags_codes), "AGS")
    whole_validation(wsm, col["age_min"], 0, OPEN_AGE)
    whole_validation(wsm, col["age_max"], 0, OPEN_AGE)
    whole_validation(wsm, col["start_year"], 1900, 2100)

    helpws = wb.create_sheet(SHEET_HELP)
    helpws.append(["Thema", "Hinweis"])
    for c in helpws[1]:
        c.font = bold
    for row in _HELP_ROWS:
        helpws.append(list(row))
    helpws.column_dimensions["A"].width = 20
    helpws.column_dimensions["B"].width = 120

    protect_workbook(wb)  # text never becomes a live formula (OWASP CSV injection)
    # Fixed document dates keep rebuilt files comparable.
    stamp = _dt.datetime(2026, 1, 1)
    wb.properties.created = stamp
    wb.properties.modified = stamp
    wb.properties.creator = "dashboard.data.measures"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def workbook_bytes(catalogue: Catalogue) -> bytes:
    """The catalogue workbook (:func:`write_workbook`) as bytes, e.g. for a download."""
    with tempfile.TemporaryDirectory() as tmp:
        return write_workbook(catalogue, Path(tmp) / "massnahmen.xlsx").read_bytes()
