"""The district's measures catalogue ("Werkzeugkoffer"): model, build, workbook, import.

One module per concern; every public name is importable from this package:

* :mod:`~dashboard.data.measures.catalogue` — vocabulary (fields of action, statuses, columns,
  sheets, shipped paths) and :class:`Catalogue`;
* :mod:`~dashboard.data.measures.build` — build from the raw CSV (normalisation rules),
  :func:`build_shipped`;
* :mod:`~dashboard.data.measures.workbook_writer` — :func:`write_workbook`;
* :mod:`~dashboard.data.measures.workbook_reader` — :func:`load_workbook` (validation, upload
  limits);
* :mod:`~dashboard.data.measures.csv_export` — :func:`export_csv`, :func:`read_csv_export`;
* :mod:`~dashboard.data.measures.import_store` — imported workbooks as drafts and published
  versions in the store, :func:`active_catalogue`.

The command line (``python -m dashboard massnahmen build|import|export|reset``) is in
:mod:`dashboard.cli`.

Data flow
---------
``data/measures/measures.csv`` (raw research file, immutable, SHA-256 in
``data/measures/SHA256SUMS``) --:func:`build_catalogue`--> :class:`Catalogue`
--:func:`write_workbook`--> ``data/measures/catalogue.xlsx`` (shipped, maintained by the
district's staff in Excel) and --:func:`export_csv`--> ``data/measures/catalogue_csv/``.
Re-run with ``python -m dashboard massnahmen build`` (or :func:`build_shipped`).

An edited workbook is imported with ``python -m dashboard massnahmen import PATH`` or the
upload on the page ``/werkzeugkoffer`` (signed in): :func:`import_workbook` validates it with
:func:`load_workbook` (every problem at once, as :class:`DataFormatError` naming file,
sheet, row, column, expected and found) and, once valid, stores it as a DRAFT in the store
(:mod:`dashboard.store`, channel ``catalogue``). A user with the role ``pflege`` publishes it;
every earlier catalogue stays stored for rollback. The shipped catalogue is never overwritten.

Precedence (:func:`active_catalogue`): the published catalogue; without one the shipped
workbook. A published workbook that has become invalid is not used: the newest earlier valid
one (or the shipped catalogue) is returned with a warning naming the problems
(``Catalogue.warnings``), so the page can show it.

Catalogue model (the workbook has one sheet per table)
------------------------------------------------------
``Massnahmen`` (one row per measure; :data:`MEASURE_COLUMNS`)
    ``id`` (unique text), ``title``, ``field_of_action`` (one of :data:`FIELDS_OF_ACTION`),
    ``target_group`` (free text), ``age_min`` (int years, 0…100), ``age_max`` (int years,
    empty = open-ended, i.e. up to the open age group 100+), ``age_band_basis``
    (:data:`AGE_BAND_BASES`: ``"source"`` band stated by the source, ``"convention"`` at least
    one bound set by a documented convention, ``"all ages"`` the measure serves everyone,
    band 0–open), ``age_band_note`` (why), ``status`` (:data:`STATUSES`), ``start_year`` (int
    or empty), ``lead``, ``description``, ``municipality_text`` (the raw free text the
    municipality list was normalised from; informational).
``Gemeinden`` (measure_id, ags, name)
    One row per served area. ``ags`` is an 8-character municipal key (``"05358008"``) or the
    district key ``"05358"`` meaning all 15 municipalities. ``name`` is optional and, if
    given, must match the official name.
``Quellen`` (measure_id, url)
    One row per source; every measure needs at least one ``http(s)://`` URL.
``Listen`` (validation lists for Excel), ``Hinweise`` (German help) are written but not read.

Normalisation rules of the raw CSV (:func:`build_catalogue`)
-----------------------------------------------------------
Municipalities (column ``municipality``, free text), :func:`normalise_municipalities`:

1. split at ``;`` and ``,`` outside parentheses;
2. text in parentheses is a note (kept verbatim in ``municipality_text``), except a note
   part ``ohne <Name>``, which excludes that municipality;
3. every remaining part must be a key of :data:`MUNICIPALITY_ALIASES` (the 15 official
   names, ``Stadt Düren``, ``Kreis Düren`` and ``für Kreis Düren`` = all 15); anything else is
   reported as a problem, never guessed;
4. ``Kreis Düren`` absorbs listed municipalities (stored as ``"05358"``); with an exclusion
   the remaining municipalities are listed one by one.

Age band (columns ``age_min``/``age_max``), :func:`decide_age_band`: see
:data:`SOURCE_STATED_AGE_BANDS`, :data:`AGE_BAND_OVERRIDES` and :data:`TARGET_GROUP_RULES`.

Status: ``laufend``/``abgeschlossen`` kept; an empty status means "unclear" in the source
(notes.md §7) and becomes ``"unbekannt"``.

Sources: ``source_url`` split at ``" | "``; a row without any valid URL does not enter the
catalogue (it is listed in :attr:`BuildReport.excluded`).
"""

from dashboard.data.measures.build import (
    AGE_BAND_OVERRIDES,
    MUNICIPALITY_ALIASES,
    SOURCE_STATED_AGE_BANDS,
    TARGET_GROUP_RULES,
    BuildReport,
    build_catalogue,
    build_shipped,
    decide_age_band,
    normalise_municipalities,
)
from dashboard.data.measures.catalogue import (
    ACTIVE_STATUSES,
    AGE_BAND_BASES,
    CORE_COLUMNS,
    FIELDS_OF_ACTION,
    MEASURE_COLUMNS,
    MEASURES_DIR,
    MUNICIPALITY_COLUMNS,
    RAW_CSV,
    REQUIRED_SHEETS,
    SHEET_HELP,
    SHEET_LISTS,
    SHEET_MEASURES,
    SHEET_MUNICIPALITIES,
    SHEET_SOURCES,
    SHIPPED_CSV_DIR,
    SHIPPED_WORKBOOK,
    SOURCE_COLUMNS,
    STATUSES,
    Catalogue,
)
from dashboard.data.measures.csv_export import export_csv, read_csv_export
from dashboard.data.measures.import_store import (
    active_catalogue,
    catalogue_preview_lines,
    check_workbook,
    import_workbook,
    reset_import,
    shipped_catalogue,
)
from dashboard.data.measures.workbook_reader import load_workbook
from dashboard.data.measures.workbook_writer import workbook_bytes, write_workbook

__all__ = [
    "ACTIVE_STATUSES",
    "AGE_BAND_BASES",
    "AGE_BAND_OVERRIDES",
    "CORE_COLUMNS",
    "FIELDS_OF_ACTION",
    "MEASURE_COLUMNS",
    "MEASURES_DIR",
    "MUNICIPALITY_ALIASES",
    "MUNICIPALITY_COLUMNS",
    "RAW_CSV",
    "REQUIRED_SHEETS",
    "SHEET_HELP",
    "SHEET_LISTS",
    "SHEET_MEASURES",
    "SHEET_MUNICIPALITIES",
    "SHEET_SOURCES",
    "SHIPPED_CSV_DIR",
    "SHIPPED_WORKBOOK",
    "SOURCE_COLUMNS",
    "SOURCE_STATED_AGE_BANDS",
    "STATUSES",
    "TARGET_GROUP_RULES",
    "BuildReport",
    "Catalogue",
    "active_catalogue",
    "build_catalogue",
    "build_shipped",
    "catalogue_preview_lines",
    "check_workbook",
    "decide_age_band",
    "export_csv",
    "import_workbook",
    "load_workbook",
    "normalise_municipalities",
    "read_csv_export",
    "reset_import",
    "shipped_catalogue",
    "workbook_bytes",
    "write_workbook",
]
