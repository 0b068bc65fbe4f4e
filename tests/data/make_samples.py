"""Build the GENESIS export samples in ``tests/data/`` from the project's official figures.

Run from the repository root::

    python tests/data/make_samples.py

Every sample except the one named ``synthetic_*`` carries REAL figures, copied unchanged from
``data/raw/regionalstatistik/``:

* population: ``kreis_dueren_population_sex_age17_2021-2024.csv`` (Regionaldatenbank table
  12411-02-03-4, Kreis Düren, 31.12.2021–2024, sex × 17 age groups);
* population 2015–2020: ``nrw_kreise_population_sex_age17_2015-2020.csv`` (GENESIS-Online
  table 12411-0018, rows of Kreis Düren);
* births/deaths/migration: ``kreis_dueren_births_deaths_migration_2020_2024.csv`` (tables
  12612-01-01-4, 12613-01-01-4, 12711-01-03-4, Kreis Düren, 2020–2024).

Only the *layout* is rebuilt here, after the publishers' exports (see tests/data/README.md for
what each layout was modelled on and what could not be checked against a real download).
The municipal sample ``synthetic_12411-02-03-5_…`` has INVENTED numbers (no official
municipal age table is available offline); it says so in its title rows and file name.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd

HERE = Path(__file__).resolve().parent
RAW = HERE.parents[1] / "data" / "raw" / "regionalstatistik"
POP_FILE = "kreis_dueren_population_sex_age17_2021-2024.csv"
EVENTS_FILE = "kreis_dueren_births_deaths_migration_2020_2024.csv"
NRW_0018_FILE = "nrw_kreise_population_sex_age17_2015-2020.csv"

AGE17 = [
    "unter 3 Jahre",
    "3 bis unter 6 Jahre",
    "6 bis unter 10 Jahre",
    "10 bis unter 15 Jahre",
    "15 bis unter 18 Jahre",
    "18 bis unter 20 Jahre",
    "20 bis unter 25 Jahre",
    "25 bis unter 30 Jahre",
    "30 bis unter 35 Jahre",
    "35 bis unter 40 Jahre",
    "40 bis unter 45 Jahre",
    "45 bis unter 50 Jahre",
    "50 bis unter 55 Jahre",
    "55 bis unter 60 Jahre",
    "60 bis unter 65 Jahre",
    "65 bis unter 75 Jahre",
    "75 Jahre und mehr",
]
AGE17_CODES = [
    "ALT000B03",
    "ALT003B06",
    "ALT006B10",
    "ALT010B15",
    "ALT015B18",
    "ALT018B20",
    "ALT020B25",
    "ALT025B30",
    "ALT030B35",
    "ALT035B40",
    "ALT040B45",
    "ALT045B50",
    "ALT050B55",
    "ALT055B60",
    "ALT060B65",
    "ALT065B75",
    "ALT075UM",
]
MIG6 = {
    "0-17": "unter 18 Jahre",
    "18-24": "18 bis unter 25 Jahre",
    "25-29": "25 bis unter 30 Jahre",
    "30-49": "30 bis unter 50 Jahre",
    "50-64": "50 bis unter 65 Jahre",
    "65+": "65 Jahre und mehr",
}
SEX_DE = {"total": "Insgesamt", "male": "männlich", "female": "weiblich"}
SEX_CODE = {"total": "", "male": "GESM", "female": "GESW"}
REGION_LABEL = "Düren, Kreis"

FOOTER = [
    ["__________"],
    ['zu "gesamter Tabelle":\nab dem Berichtsjahr 2022: Ergebnisse auf Grundlage des\nZensus 2022'],
    [
        "© Statistische Ämter des Bundes und der Länder, Deutschland, 2025.\nDieses Werk ist lizenziert "
        "unter der Datenlizenz Deutschland\n- Namensnennung - Version 2.0."
    ],
]


def _pop() -> pd.DataFrame:
    d = pd.read_csv(RAW / POP_FILE, dtype={"ags": str, "value": "int64"})
    return d[["reference_date", "sex", "age_group_label_de", "value"]]


def _events() -> pd.DataFrame:
    return pd.read_csv(RAW / EVENTS_FILE, dtype={"ags": str, "value": "int64", "year": "int64"})


def _pop_value(p: pd.DataFrame, date: str, sex: str, label: str) -> int:
    hit = p[(p.reference_date == date) & (p.sex == sex) & (p.age_group_label_de == label)]
    assert len(hit) == 1, (date, sex, label)
    return int(hit.value.iloc[0])


def _write_csv(path: Path, rows: list[list[object]], encoding: str) -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, delimiter=";", lineterminator="\n").writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))


def _de_date(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{d}.{m}.{y}"


# --- classic "wide" table layout (one Stichtag; sex × age across) -----------------------------


def wide_rows(
    table: str,
    region_title: str,
    date_iso: str,
    regions: list[tuple[str, str, dict]],
    source_note: str,
    stand: str,
) -> list[list[object]]:
    """Rows of the classic table export, modelled on a real 12411-02-03-5-B CSV (2018)."""
    n = 1 + 1 + 3 * 18
    pad = lambda r: r + [""] * (n - len(r))  # noqa: E731
    rows = [
        [f"GENESIS-Tabelle: {table}"],
        pad(["Bevölkerung nach Geschlecht und Altersgruppen (17) -"]),
        pad([f"Stichtag 31.12. - {region_title}"]),
        pad(["Fortschreibung des Bevölkerungsstandes"]),
        pad(["Bevölkerungsstand (Anzahl)"]),
        pad([f"Stichtag: {_de_date(date_iso)}"]),
        pad([source_note]),
        ["", ""] + [SEX_DE[s] for s in ("total", "male", "female") for _ in range(18)],
        ["", ""] + ["Altersgruppen (unter 3 bis 75 u. m.)"] * 54,
        ["", ""] + (AGE17 + ["Insgesamt"]) * 3,
    ]
    for ags, name, values in regions:
        rows.append(
            [ags, name] + [values[(s, a)] for s in ("total", "male", "female") for a in AGE17 + ["Insgesamt"]]
        )
    return rows + FOOTER + [[f"Stand: {stand}"]]


def make_wide_latin1(p: pd.DataFrame) -> None:
    date = "2024-12-31"
    vals = {(s, a): _pop_value(p, date, s, a) for s in SEX_DE for a in AGE17 + ["Insgesamt"]}
    note = (
        f"Beispieldatei (Layout der Tabellen-CSV); Werte unverändert aus {POP_FILE} "
        "(Regionaldatenbank 12411-02-03-4, Kreis Düren)"
    )
    rows = wide_rows(
        "12411-02-03-4",
        "regionale Tiefe: Kreise und krfr. Städte",
        date,
        [("05358", f"      {REGION_LABEL}", vals)],
        note,
        "Beispiel, siehe README",
    )
    _write_csv(HERE / "12411-02-03-4_kreis_dueren_2024_tabelle_latin1.csv", rows, "cp1252")
    # Same layout as an XLSX workbook (numbers as numbers, as Excel exports carry them).
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "12411-02-03-4"
    for r in rows:
        ws.append([None if v == "" else v for v in r])
    wb.save(HERE / "12411-02-03-4_kreis_dueren_2024.xlsx")


def make_long_utf8(p: pd.DataFrame) -> None:
    """Long layout: one row per Stichtag × region × age group, sex across (UTF-8)."""
    rows: list[list[object]] = [
        ["GENESIS-Tabelle: 12411-02-03-4"],
        [
            "Bevölkerung nach Geschlecht und Altersgruppen (17) - Stichtag 31.12. - regionale Tiefe: Kreise und krfr. Städte"
        ],
        ["Fortschreibung des Bevölkerungsstandes"],
        ["Bevölkerungsstand (Anzahl)"],
        [f"Beispieldatei (Layout 'Werte abrufen'); Werte unverändert aus {POP_FILE}"],
        ["", "", "", "", "Insgesamt", "männlich", "weiblich"],
    ]
    for date in sorted(p.reference_date.unique()):
        for a in AGE17 + ["Insgesamt"]:
            rows.append(
                [_de_date(date), "05358", REGION_LABEL, a]
                + [_pop_value(p, date, s, a) for s in ("total", "male", "female")]
            )
    rows += FOOTER + [["Stand: Beispiel, siehe README"]]
    _write_csv(HERE / "12411-02-03-4_kreis_dueren_2021-2024_werte_utf8.csv", rows, "utf-8")


def make_migration_utf8(e: pd.DataFrame) -> None:
    m = e[e.table == "12711-01-03-4"]
    rows: list[list[object]] = [
        ["GENESIS-Tabelle: 12711-01-03-4"],
        [
            "Zu- und Fortzüge (über Kreisgrenzen) nach Geschlecht und Altersgruppen - Jahressumme - regionale Tiefe: Kreise und krfr. Städte"
        ],
        ["Wanderungsstatistik"],
        [f"Beispieldatei (Layout der Tabellen-CSV); Werte unverändert aus {EVENTS_FILE}"],
        ["", "", "", ""] + ["Zuzüge über die Kreisgrenzen"] * 3 + ["Fortzüge über die Kreisgrenzen"] * 3,
        ["", "", "", ""] + ["Insgesamt", "männlich", "weiblich"] * 2,
    ]
    events = {"in_migration_zuzuege": 0, "out_migration_fortzuege": 1}
    for year in sorted(m.year.unique()):
        for key, label in list(MIG6.items()) + [("total", "Insgesamt")]:
            vals = []
            for ev in events:
                for s in ("total", "male", "female"):
                    hit = m[(m.year == year) & (m.event == ev) & (m.sex == s) & (m.age_group == key)]
                    assert len(hit) == 1, (year, ev, s, key)
                    vals.append(int(hit.value.iloc[0]))
            rows.append([str(year), "05358", REGION_LABEL, label] + vals)
    rows += FOOTER + [["Stand: Beispiel, siehe README"]]
    _write_csv(HERE / "12711-01-03-4_kreis_dueren_2020-2024_tabelle_utf8.csv", rows, "utf-8")


def make_genesis_online_0018() -> None:
    """GENESIS-Online 12411-0018 table CSV: 2 header rows (sex, age), no totals, Stichtag
    in the first column; layout as in a real download (prototypefund/klinik-db-qbgbaExtraData)."""
    d = pd.read_csv(RAW / NRW_0018_FILE, dtype={"region_key": str, "value": "int64"})
    d = d[d.region_key == "05358"]
    rows: list[list[object]] = [
        ["GENESIS-Tabelle: 12411-0018"],
        ["Bevölkerung: Kreise, Stichtag, Geschlecht, Altersgruppen"] + [""] * 36,
        ["Fortschreibung des Bevölkerungsstandes"] + [""] * 36,
        ["Bevölkerungsstand (Anzahl)"] + [""] * 36,
        [f"Beispieldatei; Werte unverändert aus {NRW_0018_FILE} (Kreis Düren)"] + [""] * 36,
        ["", "", ""] + ["männlich"] * 17 + ["weiblich"] * 17,
        ["", "", ""] + AGE17 * 2,
    ]
    for date in sorted(d.ref_date.unique()):
        vals = []
        for s in ("male", "female"):
            for a in AGE17:
                hit = d[(d.ref_date == date) & (d.sex == s) & (d.age_group == a)]
                assert len(hit) == 1
                vals.append(int(hit.value.iloc[0]))
        rows.append([_de_date(date), "05358", "Düren, Landkreis"] + vals)
    rows += [
        ["__________"],
        ["© Statistisches Bundesamt (Destatis), 2021"],
        ["Stand: Beispiel, siehe README"],
    ]
    _write_csv(HERE / "12411-0018_kreis_dueren_2015-2020_genesis-online.csv", rows, "cp1252")


# --- flat CSV ---------------------------------------------------------------------------------


def make_ffcsv_population(p: pd.DataFrame) -> None:
    """Current ffcsv generation (English column names, one value per row)."""
    header = [
        "statistics_code",
        "statistics_label",
        "time_code",
        "time_label",
        "time",
        "1_variable_code",
        "1_variable_label",
        "1_variable_attribute_code",
        "1_variable_attribute_label",
        "2_variable_code",
        "2_variable_label",
        "2_variable_attribute_code",
        "2_variable_attribute_label",
        "3_variable_code",
        "3_variable_label",
        "3_variable_attribute_code",
        "3_variable_attribute_label",
        "value",
        "value_unit",
        "value_variable_code",
        "value_variable_label",
        "value_q",
    ]
    rows: list[list[object]] = [header]
    for date in sorted(p.reference_date.unique()):
        for s in ("total", "male", "female"):
            for code, a in list(zip(AGE17_CODES, AGE17)) + [("", "Insgesamt")]:
                rows.append(
                    [
                        "12411",
                        "Fortschreibung des Bevölkerungsstandes",
                        "STAG",
                        "Stichtag",
                        _de_date(date),
                        "KREISE",
                        "Kreise und kreisfreie Städte",
                        "05358",
                        REGION_LABEL,
                        "GES",
                        "Geschlecht",
                        SEX_CODE[s],
                        SEX_DE[s],
                        "ALTX20",
                        "Altersgruppen (unter 3 bis 75 u. m.)",
                        code,
                        a,
                        _pop_value(p, date, s, a),
                        "Anzahl",
                        "BEVSTD",
                        "Bevölkerungsstand",
                        "e",
                    ]
                )
    _write_csv(HERE / "12411-02-03-4_kreis_dueren_2021-2024_de_flat.csv", rows, "utf-8")


def make_ffcsv_old(
    e: pd.DataFrame, table: str, event: str, code: str, label: str, ascii_label: str, out: str, quality: bool
) -> None:
    """Older Regionalstatistik ffcsv generation (German column names, wide value columns)."""
    d = e[(e.table == table) & (e.event == event)]
    header = [
        "Statistik_Code",
        "Statistik_Label",
        "Zeit_Code",
        "Zeit_Label",
        "Zeit",
        "1_Merkmal_Code",
        "1_Merkmal_Label",
        "1_Auspraegung_Code",
        "1_Auspraegung_Label",
        "2_Merkmal_Code",
        "2_Merkmal_Label",
        "2_Auspraegung_Code",
        "2_Auspraegung_Label",
        f"{code}__{ascii_label}__Anzahl",
    ] + ([f"{code}__{ascii_label}__q"] if quality else [])
    rows: list[list[object]] = [header]
    stat = table[:5]
    for year in sorted(d.year.unique()):
        for s in ("total", "male", "female"):
            hit = d[(d.year == year) & (d.sex == s)]
            assert len(hit) == 1
            row = [
                stat,
                label,
                "JAHR",
                "Jahr",
                str(year),
                "KREISE",
                "Kreise und kreisfreie Städte",
                "05358",
                f"      {REGION_LABEL}",
                "GES",
                "Geschlecht",
                SEX_CODE[s],
                SEX_DE[s],
                int(hit.value.iloc[0]),
            ]
            rows.append(row + (["e"] if quality else []))
    _write_csv(HERE / out, rows, "utf-8")


# --- SYNTHETIC municipal sample ---------------------------------------------------------------

MUNIS = [
    ("05358004", "Aldenhoven"),
    ("05358008", "Düren, Stadt"),
    ("05358012", "Heimbach, Stadt"),
    ("05358016", "Hürtgenwald"),
    ("05358020", "Inden"),
    ("05358024", "Jülich, Stadt"),
    ("05358028", "Kreuzau"),
    ("05358032", "Langerwehe"),
    ("05358036", "Linnich, Stadt"),
    ("05358040", "Merzenich"),
    ("05358044", "Nideggen, Stadt"),
    ("05358048", "Niederzier"),
    ("05358052", "Nörvenich"),
    ("05358056", "Titz"),
    ("05358060", "Vettweiß"),
]


def make_synthetic_municipal() -> None:
    """SYNTHETIC: random counts (seed 20241231) in the 12411-02-03-5 layout; NOT official."""
    rng = np.random.default_rng(20241231)
    regions = []
    kreis: dict[tuple[str, str], int] = {}
    for ags, name in MUNIS:
        vals: dict[tuple[str, str], int] = {}
        for s in ("male", "female"):
            groups = rng.integers(50, 2000, size=len(AGE17))
            for a, v in zip(AGE17, groups):
                vals[(s, a)] = int(v)
            vals[(s, "Insgesamt")] = int(groups.sum())
        for a in AGE17 + ["Insgesamt"]:
            vals[("total", a)] = vals[("male", a)] + vals[("female", a)]
        for k, v in vals.items():
            kreis[k] = kreis.get(k, 0) + v
        regions.append((ags, f"        {name}", vals))
    regions.insert(0, ("05358", f"      {REGION_LABEL}", kreis))
    note = "SYNTHETISCHE TESTDATEN - erfundene Zahlen im Layout von 12411-02-03-5, keine amtlichen Werte"
    rows = wide_rows(
        "12411-02-03-5", "regionale Ebenen", "2024-12-31", regions, note, "SYNTHETISCH, siehe README"
    )
    _write_csv(HERE / "synthetic_12411-02-03-5_kreis_dueren_gemeinden_2024.csv", rows, "cp1252")


def main() -> None:
    p, e = _pop(), _events()
    make_wide_latin1(p)
    make_long_utf8(p)
    make_migration_utf8(e)
    make_ffcsv_population(p)
    make_ffcsv_old(
        e,
        "12612-01-01-4",
        "live_births",
        "BEV001",
        "Statistik der Geburten",
        "Lebendgeborene",
        "12612-01-01-4_kreis_dueren_2020-2024_de_flat.csv",
        quality=False,
    )
    make_ffcsv_old(
        e,
        "12613-01-01-4",
        "deaths",
        "BEV002",
        "Statistik der Sterbefälle",
        "Gestorbene",
        "12613-01-01-4_kreis_dueren_2020-2024_de_flat.csv",
        quality=True,
    )
    make_synthetic_municipal()
    make_genesis_online_0018()


if __name__ == "__main__":
    main()
