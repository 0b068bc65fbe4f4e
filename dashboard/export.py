"""Files for people: a :class:`~dashboard.projection.engine.ProjectionResult` as Excel or CSV.

An output layer beside the app (it may import the model and the text module; the model never
imports it), so the model itself opens no file.

The workbook holds one sheet each for results (population), indicators, planning age
groups, components, assumptions, warnings and sources; column headers are German.
CSV files keep the English column names of the data contract (UTF-8, comma separated,
decimal point) so they can be read back by scripts.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from openpyxl.utils import get_column_letter

from dashboard.constants import KREIS_AGS, KREIS_NAME, MUNICIPALITIES
from dashboard.data.export_safety import protect_worksheet, safe_frame
from dashboard.projection.local import describe
from dashboard.text import assumptions_de

__all__ = ["write_excel", "write_csv", "SOURCES"]

#: Data sources used by the projection (shown on the "Quellen" sheet).
SOURCES = pd.DataFrame(
    [
        (
            "Bevölkerung Kreis Düren nach Geschlecht und 17 Altersgruppen, 31.12.2015–2024",
            "12411-0018, 12411-02-03-4",
            "Statistische Ämter des Bundes und der Länder (Regionalstatistik)",
            "dl-de/by-2-0",
        ),
        (
            "Lebendgeborene und Gestorbene Kreis Düren 2020–2024",
            "12612-01-01-4, 12613-01-01-4",
            "Statistische Ämter des Bundes und der Länder (Regionalstatistik)",
            "dl-de/by-2-0",
        ),
        (
            "Zu- und Fortzüge über die Kreisgrenze nach Geschlecht und Alter 2020–2024",
            "12711-01-03-4",
            "Statistische Ämter des Bundes und der Länder (Regionalstatistik)",
            "dl-de/by-2-0",
        ),
        (
            "Sterbetafel Deutschland 2023/25",
            "12621-0001",
            "Statistisches Bundesamt (Destatis)",
            "dl-de/by-2-0",
        ),
        (
            "Bevölkerung der Gemeinden (Gemeindeverzeichnis), 31.12.2013–2023",
            "GV-ISys Auszug",
            "Statistisches Bundesamt (Destatis)",
            "Vervielfältigung mit Quellenangabe gestattet",
        ),
        ("Zusammengefasste Geburtenziffer NRW (Referenz)", "Pressemitteilungen", "IT.NRW (zitiert)", "—"),
        (
            "Basisbevölkerung der Gemeinden nach Einzelalter (geschätzt)",
            "dashboard.data.load_population",
            "eigene Schätzung aus amtlichen Tabellen",
            "—",
        ),
    ],
    columns=["Inhalt", "Tabelle", "Herausgeber", "Lizenz"],
)

_DE = {
    "ags": "AGS",
    "municipality": "Gemeinde",
    "year": "Jahr (31.12.)",
    "sex": "Geschlecht",
    "age": "Alter",
    "population": "Bevölkerung",
    "projected": "vorausberechnet",
    "estimated": "geschätzt",
    "births": "Geburten",
    "deaths": "Sterbefälle",
    "net_migration": "Wanderungssaldo",
    "in_migration": "Zuzüge",
    "out_migration": "Fortzüge",
    "median_age": "Medianalter",
    "mean_age": "Durchschnittsalter",
    "youth_dependency": "Jugendquotient (unter 20 je 100 20–64)",
    "old_age_dependency": "Altenquotient (65+ je 100 20–64)",
    "n_65plus": "65 Jahre und älter",
    "share_65plus": "Anteil 65+",
    "n_80plus": "80 Jahre und älter",
    "share_80plus": "Anteil 80+",
    "age_group": "Altersgruppe",
    "share": "Anteil",
    "component": "Komponente",
    "parameter": "Parameter",
    "value": "Wert",
    "unit": "Einheit",
    "source": "Quelle",
    "period": "Zeitraum",
    "method": "Methode",
    "fit": "Anpassung",
    "kind": "Art",
    "amount": "Personen",
}
_SEX_DE = {"female": "weiblich", "male": "männlich"}


def _german(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    if "sex" in out.columns:
        out["sex"] = out["sex"].map(_SEX_DE).fillna(out["sex"])
    if "age_group" in out.columns:
        out["age_group"] = out["age_group"].astype(str)
    return out.rename(columns=_DE)


def _assumptions(table: pd.DataFrame) -> pd.DataFrame:
    """The assumptions with German labels instead of the codes (qualifier folded into the label)."""
    de = assumptions_de(table, names={**MUNICIPALITIES, KREIS_AGS: KREIS_NAME})
    de = de.drop(columns=["component", "parameter", "qualifier", "unit"]).rename(
        columns={"component_de": "component", "parameter_de": "parameter", "unit_de": "unit"}
    )
    return _german(de[["component", "parameter", "value", "unit", "source", "period", "method", "fit"]])


def _sheets(result) -> dict[str, pd.DataFrame]:
    s = result.scenario
    local = describe(s.local)
    info = pd.DataFrame(
        {
            "Angabe": ["Szenario", "Basisjahr", "Zieljahr", "Hinweis"] + ["Lokale Annahme"] * len(local),
            "Wert": [
                s.label,
                "31.12.2024",
                f"31.12.{s.horizon}",
                "Vorausberechnung (Modellrechnung), keine Prognose im Sinne einer Gewissheit; "
                "Altersstruktur der Gemeinden geschätzt, siehe Spalte 'geschätzt'.",
                *local,
            ],
        }
    )
    return {
        "Szenario": info,
        "Ergebnisse": _german(result.population),
        "Indikatoren": _german(result.indicators),
        "Altersgruppen": _german(result.age_groups),
        "Komponenten": _german(result.components),
        "Annahmen": _assumptions(result.assumptions),
        "Warnungen": _german(result.warnings),
        "Quellen": SOURCES,
    }


def write_excel(result, path: Path, progress: Callable[[str], None] | None = None) -> Path:
    """Write the result as an .xlsx workbook (one sheet per table); returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        for name, df in _sheets(result).items():
            if progress:
                progress(name)
            df.to_excel(xl, sheet_name=name, index=False)
            ws = xl.sheets[name]
            text_cols = [
                i
                for i, c in enumerate(df.columns, start=1)
                if df[c].dtype == object or pd.api.types.is_string_dtype(df[c].dtype)
            ]
            protect_worksheet(ws, text_cols)  # text never becomes a live formula (OWASP CSV injection)
            ws.freeze_panes = "A2"
            for i, col in enumerate(df.columns, start=1):  # header width only (fast)
                ws.column_dimensions[get_column_letter(i)].width = min(max(len(str(col)), 8) + 2, 60)
    return path


def write_population_csv(result, path: Path) -> Path:
    """Write the tidy population table alone as one CSV file (the ``population.csv`` of
    :func:`write_csv`: same columns and conventions)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    safe_frame(result.population).to_csv(path, index=False)
    return path


def write_csv(result, folder: Path, progress: Callable[[str], None] | None = None) -> list[Path]:
    """Write population, indicators, age_groups, components, assumptions, warnings as CSV files."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name in ("population", "indicators", "age_groups", "components", "assumptions", "warnings"):
        if progress:
            progress(name)
        p = folder / f"{name}.csv"
        safe_frame(getattr(result, name)).to_csv(p, index=False)
        paths.append(p)
    p = folder / "sources.csv"
    safe_frame(SOURCES).to_csv(p, index=False)
    paths.append(p)
    return paths
