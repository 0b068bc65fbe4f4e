"""German spreadsheet files of the app's tables (issue 17.6).

The model's tables have English column names and codes (``ags; municipality; sex; population``,
``female``, ``True``, shares as fractions, persons with 14 decimals). Downloads from the website
are for German spreadsheet users, so :func:`german` turns a table into

* German headers (:data:`dashboard.text.DOWNLOAD_COLUMNS`; English code columns whose German
  label is another column are left out),
* German values: ``weiblich``/``männlich``/``insgesamt``, ``ja``/``nein``, age groups as
  ``3–5 Jahre`` (an en dash: Excel does not read it as a date), interval quantities, backtest
  methods and levels, scenario names in words, dates as dates,
* persons as whole numbers (``exact=False``; the unrounded model values with ``exact=True``),
  shares in percent (one decimal when rounded), ages and ratios with one decimal.

:func:`csv_bytes` writes ``;``-separated UTF-8 with byte-order mark and decimal comma;
:func:`xlsx_bytes` writes the sheets ``Daten`` (rounded), ``exakt`` (unrounded) and ``Quelle``
(title, scenario, area, provenance notes), with German number formats, frozen header and
formula-safe text cells (:mod:`dashboard.data.export_safety`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import pandas as pd

from dashboard.data.export_safety import protect_workbook, safe_frame
from dashboard.text import DOWNLOAD, DOWNLOAD_COLUMNS, DOWNLOAD_VALUES, INDICATORS, fmt_date

#: Columns counting persons: whole numbers in the rounded view.
PERSONS = frozenset(
    {
        "population",
        "n_65plus",
        "n_80plus",
        "births",
        "deaths",
        "net_migration",
        "in_migration",
        "out_migration",
        "median",
        "lower_80",
        "upper_80",
        "lower_95",
        "upper_95",
        "actual",
        "predicted",
        "error",
        "amount",
    }
)
#: Columns holding a fraction 0..1: percent in both views.
SHARES = frozenset({"share", "share_65plus", "share_80plus", "ape", "nominal", "coverage"})
#: Columns with one decimal in the rounded view (ages in years, ratios).
ONE_DECIMAL = frozenset({"median_age", "mean_age", "youth_dependency", "old_age_dependency"})
#: Columns whose values are words to translate.
LABELLED = frozenset({"sex", "age_group", "quantity", "method", "level", "scenario", "qualifier", "kind"})


def age_group_label(code: object) -> str:
    """``"3-5"`` -> ``"3–5 Jahre"``, ``"75+"`` -> ``"75 Jahre und älter"``, ``"total"`` ->
    ``"insgesamt"``; anything else unchanged."""
    text = str(code)
    if text in DOWNLOAD_VALUES:
        return DOWNLOAD_VALUES[text]
    if m := re.fullmatch(r"(\d+)-(\d+)", text):
        return f"{m[1]}–{m[2]} Jahre"
    if m := re.fullmatch(r"(\d+)\+", text):
        return f"{m[1]} Jahre und älter"
    return text


def quantity_label(code: object) -> str:
    """A quantity of the interval table in words (Einwohner, 65 Jahre und älter, 3–5 Jahre)."""
    text = str(code)
    if text in INDICATORS:
        return INDICATORS[text][0]
    return age_group_label(text)


def _label_map(column: str):
    if column == "sex":
        return lambda v: DOWNLOAD_VALUES.get(str(v), str(v))
    if column == "age_group":
        return age_group_label
    if column == "quantity":
        return quantity_label
    if column == "kind":
        from dashboard.text import WARNING_KINDS

        return lambda v: WARNING_KINDS.get(str(v), str(v))
    if column in ("method", "level"):
        from dashboard.text import BACKTEST_LEVELS, BACKTEST_METHODS

        labels = BACKTEST_METHODS if column == "method" else BACKTEST_LEVELS
        return lambda v: labels.get(str(v), str(v))
    if column in ("scenario", "qualifier"):  # preset keys (and sexes, for qualifiers) in words
        from dashboard.app import _model

        keys = {*_model.preset_keys(), _model.CUSTOM}

        def word(v: object) -> object:
            text = str(v)
            if text in keys:
                return _model.preset_label(text)
            return DOWNLOAD_VALUES.get(text, v) if column == "qualifier" else v

        return word
    return lambda v: v


def german(df: pd.DataFrame, *, exact: bool = False) -> pd.DataFrame:
    """The table with German headers and values (see the module docstring).

    Raises
    ------
    KeyError
        For a column without a German header in :data:`dashboard.text.DOWNLOAD_COLUMNS` (a new
        model column must be named there before it can be downloaded).
    """
    unknown = [c for c in df.columns if c not in DOWNLOAD_COLUMNS]
    if unknown:
        raise KeyError(f"no German header for column(s) {unknown}")
    out = {}
    order = [f"{c}_de" if f"{c}_de" in df.columns else c for c in df.columns if not c.endswith("_de")]
    order += [c for c in df.columns if c.endswith("_de") and c not in order]
    for col in order:
        header = DOWNLOAD_COLUMNS[col]
        if header is None:
            continue
        s = df[col]
        if col in LABELLED:
            s = s.astype(object).map(_label_map(col))
        if pd.api.types.is_bool_dtype(s.dtype):
            s = s.map({True: DOWNLOAD_VALUES["true"], False: DOWNLOAD_VALUES["false"]})
        elif col in SHARES:
            s = s.astype(float) * 100
            s = s if exact else s.round(1)
        elif col in PERSONS:
            s = s.astype(float)
            s = s if exact else s.round().astype("Int64")
        elif col in ONE_DECIMAL and not exact:
            s = s.astype(float).round(1)
        elif col == "value" and "unit" in df.columns and not exact:  # assumptions: by unit
            persons = df["unit"].astype(str).str.startswith("persons").to_numpy()
            v = s.astype(float)
            s = v.round(3).where(~persons, v.round(0))
        elif isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(str)
        out[header] = s.reset_index(drop=True)
    return pd.DataFrame(out)


def with_exact_columns(df: pd.DataFrame) -> pd.DataFrame:
    """:func:`german` (rounded) with the unrounded value of every persons column beside it
    (header ``"<header> exakt"``)."""
    rounded, exact = german(df), german(df, exact=True)
    persons = {DOWNLOAD_COLUMNS[c] for c in df.columns if c in PERSONS and DOWNLOAD_COLUMNS.get(c)}
    out = {}
    for header in rounded.columns:
        out[header] = rounded[header]
        if header in persons:
            out[f"{header} exakt"] = exact[header]
    return pd.DataFrame(out)


def csv_bytes(df: pd.DataFrame, *, exact: bool = False) -> bytes:
    """German CSV (``;``, decimal comma, UTF-8 with BOM, dates ``31.12.2024``), formula-safe."""
    g = german(df, exact=exact)
    for col in g.columns:
        if pd.api.types.is_datetime64_any_dtype(g[col].dtype):
            g[col] = g[col].map(lambda d: fmt_date(d.date()) if pd.notna(d) else "")
    return safe_frame(g).to_csv(sep=";", decimal=",", index=False).encode("utf-8-sig")


def _number_format(column: str) -> str | None:
    if column in PERSONS:
        return "#,##0"
    if column in SHARES or column in ONE_DECIMAL:
        return "0.0"
    return None


def _write_sheet(xl, frame: pd.DataFrame, name: str, source: pd.DataFrame, *, exact: bool) -> None:
    frame.to_excel(xl, sheet_name=name, index=False)
    ws = xl.sheets[name]
    ws.freeze_panes = "A2"
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    german_of = {DOWNLOAD_COLUMNS[c]: c for c in source.columns if DOWNLOAD_COLUMNS.get(c)}
    for i, header in enumerate(frame.columns, start=1):
        letter = get_column_letter(i)
        ws[f"{letter}1"].font = Font(bold=True)
        col = german_of.get(header.removesuffix(" exakt"), "")
        fmt = _number_format(col)
        if (exact or header.endswith(" exakt")) and col in PERSONS:
            fmt = "#,##0.000"
        if pd.api.types.is_datetime64_any_dtype(frame[header].dtype):
            fmt = "DD.MM.YYYY"
        if fmt:
            for cell in ws[letter][1:]:
                cell.number_format = fmt
        width = max([len(str(header))] + [len(str(v)) for v in frame[header].head(200)])
        ws.column_dimensions[letter].width = min(max(width + 2, 8), 60)


def xlsx_bytes(df: pd.DataFrame, *, title: str, notes: Sequence[str] = ()) -> bytes:
    """Excel workbook: ``Daten`` (rounded), ``exakt`` (unrounded), ``Quelle`` (title + notes)."""
    buf = io.BytesIO()
    rounded, exact = german(df, exact=False), german(df, exact=True)
    for frame in (rounded, exact):  # Excel stores no time zones
        for col in frame.columns:
            if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
                frame[col] = frame[col].dt.tz_localize(None)
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        _write_sheet(xl, rounded, DOWNLOAD["sheet_data"], df, exact=False)
        _write_sheet(xl, exact, DOWNLOAD["sheet_exact"], df, exact=True)
        lines = [title, *notes, DOWNLOAD["rounded_note"]]
        pd.DataFrame({DOWNLOAD["sheet_note"]: lines}).to_excel(
            xl, sheet_name=DOWNLOAD["sheet_source"], index=False
        )
        xl.sheets[DOWNLOAD["sheet_source"]].column_dimensions["A"].width = 120
        protect_workbook(xl.book)
    return buf.getvalue()


#: Sheets of the full workbook: (sheet name, result attribute). In this large workbook the
#: unrounded persons are a column "<header> exakt" beside each rounded one (a second copy of the
#: 66,000-row population sheet would double the time to build it).
WORKBOOK_SHEETS = (
    ("Bevölkerung", "population"),
    ("Kennzahlen", "indicators"),
    ("Altersgruppen", "age_groups"),
    ("Komponenten", "components"),
    ("Annahmen", "assumptions"),
    ("Warnungen", "warnings"),
)


def workbook_xlsx(result, *, scenario: str) -> bytes:
    """The model's full result as one German workbook (``vorausberechnung.xlsx`` of the site).

    Sheets: ``Szenario`` (what was computed), one rounded sheet per table, ``… exakt`` sheets for
    the tables with persons, ``Quellen``. The CLI's workbook (:func:`dashboard.export.write_excel`)
    stays the analysts' file with exact values only.
    """
    from dashboard.export import SOURCES
    from dashboard.projection.local import describe
    from dashboard.text import assumptions_de

    s = result.scenario
    local = describe(s.local)
    info = pd.DataFrame(
        {
            "Angabe": ["Szenario", "Basisjahr", "Zieljahr", "Hinweis", "Hinweis"]
            + ["Lokale Annahme"] * len(local),
            "Wert": [
                scenario,
                "31.12.2024",
                f"31.12.{s.horizon}",
                "Vorausberechnung (Modellrechnung), keine Prognose im Sinne einer Gewissheit; "
                "Altersstruktur der Gemeinden geschätzt, siehe Spalte „geschätzt“.",
                DOWNLOAD["rounded_note"].replace("Blatt „exakt“", "Spalten „… exakt“"),
                *local,
            ],
        }
    )
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as xl:
        info.to_excel(xl, sheet_name="Szenario", index=False)
        xl.sheets["Szenario"].column_dimensions["B"].width = 110
        for name, attr in WORKBOOK_SHEETS:
            df = getattr(result, attr)
            if attr == "assumptions":
                df = assumptions_de(df)
            _write_sheet(xl, with_exact_columns(df), name, df, exact=False)
        SOURCES.to_excel(xl, sheet_name="Quellen", index=False)
        protect_workbook(xl.book)
    return buf.getvalue()
