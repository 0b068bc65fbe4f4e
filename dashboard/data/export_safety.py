"""Formula-safe exports (OWASP "CSV Injection"): text never becomes a live spreadsheet formula.

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is read as a
formula by Excel, LibreOffice and Google Sheets when the file is opened (``=HYPERLINK(…)``,
``=cmd|…``). Catalogue texts and provenance come from uploads, so every export neutralises them
the way the OWASP guidance describes:

* CSV: such a text cell gets a leading single quote (``'=HYPERLINK(…)``); the reader of our own
  CSV export (:func:`restore_text`) removes it again, so a round trip is exact;
* XLSX: every text cell is stored as a string cell (never a formula, even if it begins with
  ``=``) and such cells carry Excel's "quote prefix" style — the text itself is unchanged and
  an edit in Excel keeps it text.

Numbers stay numbers; only ``str`` values are touched.
"""

from __future__ import annotations

import pandas as pd

TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value: object) -> bool:
    """True for a text that a spreadsheet would read as a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS)


def neutralise(value: object) -> object:
    """CSV cell value: a risky text with a leading ``'``; anything else unchanged."""
    return "'" + value if is_risky(value) else value


def restore_text(value: object) -> object:
    """Undo :func:`neutralise` (for reading our own CSV export back)."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(TRIGGERS):
        return value[1:]
    return value


def safe_frame(df: pd.DataFrame) -> pd.DataFrame:
    """A copy whose text columns (and text column names) are neutralised for CSV."""
    out = df.copy()
    for col in out.columns:
        s = out[col]
        if (
            s.dtype == object
            or pd.api.types.is_string_dtype(s.dtype)
            or isinstance(s.dtype, pd.CategoricalDtype)
        ):
            if isinstance(s.dtype, pd.CategoricalDtype):
                s = s.astype(object)
            if s.map(is_risky).any():
                out[col] = s.map(neutralise)
    out.columns = [neutralise(c) for c in out.columns]
    return out


def protect_worksheet(ws, columns: list[int] | None = None) -> int:
    """Make every text cell of an openpyxl worksheet a plain string cell; quote-prefix the risky
    ones. ``columns`` (1-based) limits the sweep to the columns that can hold text (speed).
    Returns the number of cells that were risky."""
    if columns is not None:
        return sum(_sweep(ws.iter_rows(min_col=c, max_col=c)) for c in columns)
    return _sweep(ws.iter_rows())


def _sweep(rows) -> int:
    risky = 0
    for row in rows:
        for cell in row:
            v = cell.value
            if isinstance(v, str) and (cell.data_type == "f" or v.startswith(TRIGGERS)):
                cell.data_type = "s"  # openpyxl stores any str beginning with "=" as a formula
                cell.quotePrefix = True
                risky += 1
    return risky


def protect_workbook(wb) -> int:
    """:func:`protect_worksheet` for every sheet of a workbook."""
    return sum(protect_worksheet(ws) for ws in wb.worksheets)


__all__ = [
    "TRIGGERS",
    "is_risky",
    "neutralise",
    "protect_workbook",
    "protect_worksheet",
    "restore_text",
    "safe_frame",
]
