"""Build the recorded web-service answers in ``tests/data/genesis_api/`` (see README.md there).

Run from the repository root::

    python tests/data/genesis_api/make_recordings.py

Every answer has the FORMAT of the GENESIS-Webservice 2020 REST interface as the real services
deliver it (checked against real answers recorded by the pystatis project, see README.md):
``data/tablefile`` → ``application/zip`` holding one ``<code>_<ms>_de_flat.csv`` (flat CSV,
UTF-8, English column names, ISO dates); ``metadata/table`` → JSON with ``Ident``, ``Status``,
``Parameter`` (credentials masked), ``Object`` (``Code``, ``Content``, ``Time``, ``Updated``)
and ``Copyright``.

NUMBERS: real official figures copied unchanged from ``data/raw/`` wherever such figures exist
(Kreis Düren by sex and age groups, Kreis single ages, municipal totals, births, deaths,
migration). The municipal table by sex × 17 age groups (12411-02-03-5) is SYNTHETIC: no such
official table for 31.12.2024 is available here. It is the project's own estimate for
31.12.2024 aggregated to the 17 groups and rounded to whole persons so that it keeps the REAL
margins exactly (Kreis by sex × 17 groups, 12411-02-03-4; municipal totals, IT.NRW 12411-15i).
The 31.12.2025 variant (``basisjahr_2025/``) is the same synthetic table relabelled to
31.12.2025 - nothing in it is a 2025 figure. ``aufzeichnungen.json`` marks both ``synthetic``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path[:0] = [str(ROOT), str(HERE.parent)]  # the project and the sample builder (make_samples.py)

from make_samples import AGE17 as AGE17_LABELS  # noqa: E402
from make_samples import AGE17_CODES  # noqa: E402

from dashboard.constants import AGE_GROUPS_17  # noqa: E402

RAW = ROOT / "data" / "raw"
STAMP = "1765000000000"  # fixed "job" number in the file names (deterministic output)
ZIP_TIME = (2026, 12, 5, 0, 0, 0)
BUILT = "05.12.2026 00:00:00h"  # placeholder "Updated" of answers whose real Stand is unknown

REGIO_COPYRIGHT = (
    "© Statistische Ämter des Bundes und der Länder, Deutschland, 2026.\nDieses Werk ist lizenziert "
    "unter der Datenlizenz Deutschland\n- Namensnennung - Version 2.0."
)
ITNRW_COPYRIGHT = (
    "© IT.NRW, Düsseldorf, 2026. Dieses Werk ist lizenziert unter der Datenlizenz Deutschland - "
    "Namensnennung - Version 2.0."
)
#: The 17 age groups of table 12411-02-03-5: (code, label, key); the codes and labels of the
#: sample builder beside this folder, the keys of the project (``constants.AGE_GROUPS_17``).
AGE17 = list(zip(AGE17_CODES, AGE17_LABELS, AGE_GROUPS_17, strict=True))
MIG6 = [
    ("ALT000B18", "unter 18 Jahre", "0-17"),
    ("ALT018B25", "18 bis unter 25 Jahre", "18-24"),
    ("ALT025B30", "25 bis unter 30 Jahre", "25-29"),
    ("ALT030B50", "30 bis unter 50 Jahre", "30-49"),
    ("ALT050B65", "50 bis unter 65 Jahre", "50-64"),
    ("ALT065UM", "65 Jahre und mehr", "65+"),
]
SEX = [("", "Insgesamt", "total"), ("GESM", "männlich", "male"), ("GESW", "weiblich", "female")]
GEMEINDEN = {
    "05358004": "Aldenhoven",
    "05358008": "Düren, Stadt",
    "05358012": "Heimbach, Stadt",
    "05358016": "Hürtgenwald",
    "05358020": "Inden",
    "05358024": "Jülich, Stadt",
    "05358028": "Kreuzau",
    "05358032": "Langerwehe",
    "05358036": "Linnich, Stadt",
    "05358040": "Merzenich",
    "05358044": "Nideggen, Stadt",
    "05358048": "Niederzier",
    "05358052": "Nörvenich",
    "05358056": "Titz",
    "05358060": "Vettweiß",
}
HEADER_VARS = 3
#: The statistic's label in the SYNTHETIC municipal tables: the file itself says that it is
#: synthetic, so an extracted copy uploaded as a file is refused by the import check
#: ("SYNTHETISCH" in the title) and ``data update`` flags its drafts (never published).
SYNTHETIC_STAT_LABEL = (
    "Fortschreibung des Bevölkerungsstandes (SYNTHETISCHE Testdaten, keine amtlichen Zahlen)"
)


KREIS = ("KREISE", "Kreise und kreisfreie Städte", "05358", "Düren, Kreis")
BEVSTAND = "Fortschreibung des Bevölkerungsstandes"


def row(
    stat: str,
    stat_label: str,
    time: str,
    variables: list[tuple],
    value,
    vcode: str,
    vlabel: str,
    unit="Anzahl",
):
    """One value of a flat-CSV answer: statistic, reference time (``YYYY-MM-DD``: a Stichtag,
    else a year), its variables (code, label, attribute code, attribute label), the value with
    its unit and the measure (code, label)."""
    time_code, time_label = ("STAG", "Stichtag") if "-" in time else ("JAHR", "Jahr")
    return {
        "stat": stat,
        "stat_label": stat_label,
        "time_code": time_code,
        "time_label": time_label,
        "time": time,
        "vars": variables,
        "value": value,
        "unit": unit,
        "vcode": vcode,
        "vlabel": vlabel,
    }


def ffcsv(rows: list[dict], n_vars: int) -> bytes:
    """A flat CSV of the current generation (as in real answers recorded in 2026)."""
    header = ["statistics_code", "statistics_label", "time_code", "time_label", "time"]
    for n in range(1, n_vars + 1):
        header += [f"{n}_variable_code", f"{n}_variable_label", f"{n}_variable_attribute_code"]
        header += [f"{n}_variable_attribute_label"]
    header += ["value", "value_unit", "value_variable_code", "value_variable_label", "value_q"]
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=";", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    w.writerow(header)
    for r in rows:
        line = [r["stat"], r["stat_label"], r["time_code"], r["time_label"], r["time"]]
        for code, label, acode, alabel in r["vars"]:
            line += [code, label, acode, alabel]
        line += [r["value"], r["unit"], r["vcode"], r["vlabel"], r.get("q", "e")]
        w.writerow(line)
    return buf.getvalue().encode("utf-8")


def zipped(code: str, csv_bytes: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo(f"{code}_{STAMP}_de_flat.csv", date_time=ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, csv_bytes)
    return out.getvalue()


def metadata(code: str, title: str, time_from: str, time_to: str, updated: str, copyright_text: str) -> bytes:
    body = {
        "Ident": {"Service": "metadata", "Method": "table"},
        "Status": {"Code": 0, "Content": "erfolgreich", "Type": "Information"},
        "Parameter": {
            "username": "********************",
            "password": "********************",
            "name": code,
            "area": "Alle",
            "language": "de",
        },
        "Object": {
            "Code": code,
            "Content": title,
            "Time": {"From": time_from, "To": time_to},
            "Valid": "false",
            "Structure": None,
            "Updated": updated,
        },
        "Copyright": copyright_text,
    }
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def answer(
    service: str, endpoint: str, name: str, responses: list[dict], *, synthetic: bool, how: str
) -> dict:
    return {
        "service": service,
        "endpoint": endpoint,
        "name": name,
        "responses": responses,
        "synthetic": synthetic,
        "how": how,
    }


def ok_zip(path: str, code: str) -> dict:
    return {
        "status": 200,
        "content_type": "application/zip",
        "file": path,
        "headers": {"Content-Disposition": f"attachment; filename={code}_{STAMP}_de_flat.zip"},
    }


def ok_json(path: str) -> dict:
    return {"status": 200, "content_type": "application/json;charset=UTF-8", "file": path}


# ------------------------------------------------------------------------------------ figures


def kreis_age17() -> pd.DataFrame:
    p = pd.read_csv(
        RAW / "regionalstatistik/kreis_dueren_population_sex_age17_2021-2024.csv", dtype={"ags": str}
    )
    return p[p.reference_date == "2024-12-31"]


def municipal_totals() -> pd.Series:
    t = pd.read_csv(
        RAW / "itnrw/kreis_dueren_gemeinden_population_2024-12-31_12411-15i.csv", dtype={"ags": str}
    )
    return t


def synthetic_municipal_age17() -> pd.DataFrame:
    """SYNTHETIC municipal sex × 17 groups for 31.12.2024 keeping the real margins exactly."""
    with tempfile.TemporaryDirectory() as empty:
        os.environ["DASHBOARD_USER_DATA"] = empty  # no imported tables: the plain estimate
        from dashboard.data import load_population

        est = load_population(2024)
    bounds = []
    for _, _, key in AGE17:
        lo, _, hi = key.partition("-")
        bounds.append((int(lo.rstrip("+")), int(hi) if hi else 100))
    est["g"] = [next(i for i, (lo, hi) in enumerate(bounds) if lo <= a <= hi) for a in est.age]
    agg = est.groupby(["ags", "sex", "g"]).population.sum()
    ags_list = list(GEMEINDEN)
    cols = [(s, g) for s in ("male", "female") for g in range(len(AGE17))]
    x = np.array([[agg[(a, s, g)] for (s, g) in cols] for a in ags_list], dtype=float)
    k = kreis_age17()
    col_tot = np.array(
        [int(k[(k.sex == s) & (k.age_group == AGE17[g][2])].value.iloc[0]) for (s, g) in cols], dtype=float
    )
    t = municipal_totals().set_index("ags").population
    row_tot = np.array([int(t[a]) for a in ags_list], dtype=float)
    assert row_tot.sum() == col_tot.sum() == 279285
    for _ in range(200):  # IPF to both real margins
        x *= (row_tot / x.sum(axis=1))[:, None]
        x *= col_tot / x.sum(axis=0)
    base = np.floor(x).astype(int)
    frac = x - base
    r_def = row_tot.astype(int) - base.sum(axis=1)
    c_def = col_tot.astype(int) - base.sum(axis=0)
    for i, j in sorted(np.ndindex(*x.shape), key=lambda ij: -frac[ij]):  # controlled rounding
        if r_def[i] > 0 and c_def[j] > 0:
            base[i, j] += 1
            r_def[i] -= 1
            c_def[j] -= 1
    assert not r_def.any() and not c_def.any(), "rounding did not meet the margins"
    rows = []
    for i, a in enumerate(ags_list):
        for j, (s, g) in enumerate(cols):
            rows.append({"ags": a, "sex": s, "g": g, "value": int(base[i, j])})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------------ tables


def rows_12411_02_03_5(m: pd.DataFrame, time: str, *, split_65: bool = False) -> list[dict]:
    out = []
    for a, name in GEMEINDEN.items():
        for scode, slabel, skey in SEX:
            sub = m[m.ags == a] if skey == "total" else m[(m.ags == a) & (m.sex == skey)]
            groups = [(c, lbl, int(sub[sub.g == g].value.sum())) for g, (c, lbl, _) in enumerate(AGE17)]
            if split_65:  # a CHANGED classification (layout-change recording): 65–69 / 70–74
                i = next(i for i, (c, _, _) in enumerate(groups) if c == "ALT065B75")
                v = groups[i][2]
                groups[i : i + 1] = [
                    ("ALT065B70", "65 bis unter 70 Jahre", v // 2),
                    ("ALT070B75", "70 bis unter 75 Jahre", v - v // 2),
                ]
            groups.append(("", "Insgesamt", sum(v for _, _, v in groups)))
            for c, lbl, v in groups:
                variables = [("GEMEIN", "Gemeinden", a, name), ("GES", "Geschlecht", scode, slabel)]
                variables.append(("ALTX20", "Altersgruppen (unter 3 bis 75 u. m.)", c, lbl))
                out.append(
                    row("12411", SYNTHETIC_STAT_LABEL, time, variables, v, "BEVSTD", "Bevölkerungsstand")
                )
    return out


def rows_12411_09i() -> list[dict]:
    p = pd.read_csv(
        RAW / "itnrw/kreis_dueren_population_single_ages_2024-12-31_12411-09i.csv", dtype={"ags": str}
    )
    p = p[p.table.str.contains(r"Altersjahren \(90\)", regex=True)]
    out = []
    for _, r in p.iterrows():
        label = str(r.age_group)
        if label == "Insgesamt":
            code = ""
        elif label == "unter 1 Jahr":
            code = "ALTVOLL000"
        elif label == "90 Jahre und mehr":
            code = "ALTVOLL090UM"
        else:
            code = f"ALTVOLL{int(label.split()[0]):03d}"
        variables = [KREIS, ("ALTERSJAHRE90", "Altersjahre (unter 1 bis 90 Jahre und mehr)", code, label)]
        measure = ("BEVSTD", "Bevölkerungsstand (Basis Zensus 2022 und früher)")
        out.append(row("12411", BEVSTAND, "2024-12-31", variables, int(r.persons), *measure))
    assert len(out) == 92, len(out)
    return out


def _de(x: float, digits: int) -> str:
    return f"{x:.{digits}f}".replace(".", ",")


def rows_12411_15i() -> list[dict]:
    t = municipal_totals()
    out = []
    for _, r in t[t.ags.str.len() == 8].iterrows():
        for vcode, vlabel, unit, value in (
            ("BEVSTD", "Bevölkerungsstand (Basis Zensus 2022 und früher)", "Anzahl", int(r.population)),
            ("FLC006", "Bodenfläche (Katasterfläche) in qkm", "qkm", _de(float(r.area_km2), 2)),
            ("BEVDIC", "Bevölkerungsdichte", "EW pro qkm", _de(float(r.density), 1)),
        ):
            municipality = [("GEMEIN", "Gemeinden", r.ags, GEMEINDEN[r.ags])]
            out.append(row("12411", BEVSTAND, "2024-12-31", municipality, value, vcode, vlabel, unit))
    assert len(out) == 45
    return out


def _events() -> pd.DataFrame:
    return pd.read_csv(
        RAW / "regionalstatistik/kreis_dueren_births_deaths_migration_2020_2024.csv",
        dtype={"ags": str, "value": "int64", "year": "int64"},
    )


def rows_vital(table: str, event: str, stat: str, stat_label: str, vcode: str, vlabel: str) -> list[dict]:
    e = _events()
    e = e[(e.table == table) & (e.event == event)]
    out = []
    for _, r in e.sort_values(["year", "sex"]).iterrows():
        scode, slabel, _ = next(x for x in SEX if x[2] == r.sex)
        variables = [KREIS, ("GES", "Geschlecht", scode, slabel)]
        out.append(row(stat, stat_label, str(r.year), variables, int(r.value), vcode, vlabel))
    assert len(out) == 15
    return out


def rows_migration() -> list[dict]:
    e = _events()
    e = e[e.table == "12711-01-03-4"]
    measures = {
        "in_migration_zuzuege": ("BEV085", "Zuzüge über die Kreisgrenzen"),
        "out_migration_fortzuege": ("BEV086", "Fortzüge über die Kreisgrenzen"),
    }
    ages = {key: (c, lbl) for c, lbl, key in MIG6} | {"total": ("", "Insgesamt")}
    out = []
    for _, r in e.sort_values(["year", "event", "sex", "age_group"]).iterrows():
        scode, slabel, _ = next(x for x in SEX if x[2] == r.sex)
        acode, alabel = ages[r.age_group]
        vcode, vlabel = measures[r.event]
        variables = [KREIS, ("GES", "Geschlecht", scode, slabel)]
        variables.append(("MIGRATION6", "Altersgruppen (unter 18 bis 65 u. m.)", acode, alabel))
        out.append(row("12711", "Wanderungsstatistik", str(r.year), variables, int(r.value), vcode, vlabel))
    assert len(out) == 210
    return out


# ------------------------------------------------------------------------------------ folders


def write(folder: Path, rel: str, data: bytes) -> str:
    p = folder / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_bytes(data)
    return rel


def manifest(folder: Path, description: str, answers: list[dict], basis: str | None = None) -> None:
    spec = {"description": description}
    if basis:
        spec["basis"] = basis
    spec["answers"] = answers
    (folder / "aufzeichnungen.json").write_text(
        json.dumps(spec, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def main() -> None:
    m = synthetic_municipal_age17()
    answers: list[dict] = []

    def table(service, code, csv_bytes, n_vars, title, tf, tt, updated, copyright_text, synthetic, how):
        z = write(HERE, f"{service}/{code}_{STAMP}_de_flat.zip", zipped(code, csv_bytes))
        j = write(
            HERE, f"{service}/{code}_metadata.json", metadata(code, title, tf, tt, updated, copyright_text)
        )
        answers.append(
            answer(service, "data/tablefile", code, [ok_zip(z, code)], synthetic=synthetic, how=how)
        )
        answers.append(answer(service, "metadata/table", code, [ok_json(j)], synthetic=True, how=META_HOW))

    table(
        "regio",
        "12411-02-03-5",
        ffcsv(rows_12411_02_03_5(m, "2024-12-31"), 3),
        3,
        "Bevölkerung nach Geschlecht und Altersgruppen (17) - Stichtag 31.12. -\nregionale Tiefe: Gemeinden",
        "31.12.2008",
        "31.12.2024",
        BUILT,
        REGIO_COPYRIGHT,
        True,
        SYNTH_HOW,
    )
    table(
        "nrw",
        "12411-09i",
        ffcsv(rows_12411_09i(), 2),
        2,
        "Bevölkerungsstand nach Altersjahren (90) - Gemeinden - Stichtag",
        "31.12.2024",
        "31.12.2024",
        BUILT,
        ITNRW_COPYRIGHT,
        False,
        "REAL figures: Kreis Düren by single years of age 0…89 and 90+ at 31.12.2024 (both sexes), "
        "copied from data/raw/itnrw/kreis_dueren_population_single_ages_2024-12-31_12411-09i.csv "
        "(IT.NRW Landesdatenbank 12411-09i); ffcsv layout rebuilt, variable/attribute codes are placeholders",
    )
    table(
        "nrw",
        "12411-15i",
        ffcsv(rows_12411_15i(), 1),
        1,
        "Katasterfläche (qkm), Bevölkerung und Bevölkerungsdichte - Stichtag - Gemeinden",
        "31.12.2024",
        "31.12.2024",
        "19.01.2026 13:58:12h",
        ITNRW_COPYRIGHT,
        False,
        "REAL figures: municipal population, cadastral area and density at 31.12.2024, copied from "
        "data/raw/itnrw/kreis_dueren_gemeinden_population_2024-12-31_12411-15i.csv (IT.NRW 12411-15i; "
        "'Updated' = the 'Stand' line of that real export); ffcsv layout rebuilt, value codes are placeholders",
    )
    vital_how = (
        "REAL figures: Kreis Düren 2020–2024, copied from "
        "data/raw/regionalstatistik/kreis_dueren_births_deaths_migration_2020_2024.csv; ffcsv layout rebuilt"
    )
    vital = [  # table, event, statistic (code, label), measure (code, label)
        ("12612-01-01-4", "live_births", "12612", "Statistik der Geburten", "BEV001", "Lebendgeborene"),
        ("12613-01-01-4", "deaths", "12613", "Statistik der Sterbefälle", "BEV002", "Gestorbene"),
    ]
    for code, *what in vital:
        title = f"{what[-1]} nach Geschlecht - Jahressumme - regionale Tiefe:\nKreise und krfr. Städte"
        rows = ffcsv(rows_vital(code, *what), 2)
        table("regio", code, rows, 2, title, "1995", "2024", BUILT, REGIO_COPYRIGHT, False, vital_how)
    table(
        "regio",
        "12711-01-03-4",
        ffcsv(rows_migration(), 3),
        3,
        "Zu- und Fortzüge (über Kreisgrenzen) nach Geschlecht und Altersgruppen -\nJahressumme - regionale Tiefe: Kreise und krfr. Städte",
        "1995",
        "2024",
        BUILT,
        REGIO_COPYRIGHT,
        False,
        vital_how + "; the age variable code MIGRATION6 is a placeholder",
    )
    manifest(
        HERE,
        "Alle Tabellen der Abrufliste zum Stichtag 31.12.2024 (Bewegungen 2020–2024). Echte Zahlen außer "
        "12411-02-03-5 (SYNTHETISCH, siehe README.md).",
        answers,
    )
    failures(m)
    real_cassette_note()


SYNTH_HOW = (
    "SYNTHETIC: no official municipal sex × age table for 31.12.2024 is available here. The project's "
    "estimate for 31.12.2024 aggregated to the 17 groups, raked and rounded to whole persons so that the "
    "REAL margins hold exactly: Kreis by sex × 17 groups (12411-02-03-4) and municipal totals (IT.NRW 12411-15i)"
)
META_HOW = (
    "metadata answer built in the format of real answers recorded by pystatis (tests/cassettes); title, "
    "time range and copyright as published, 'Updated' a placeholder unless stated otherwise"
)


def failures(m: pd.DataFrame) -> None:
    """Folders overriding single answers of the main set (``basis: ..``)."""
    first = ("regio", "data/tablefile", "12411-02-03-5")

    def overlay(name: str, description: str, answers: list[dict]) -> None:
        folder = HERE / name
        folder.mkdir(exist_ok=True)
        manifest(folder, description, answers, basis="..")

    def one(responses: list[dict], how: str, synthetic: bool = True) -> list[dict]:
        return [answer(*first, responses, synthetic=synthetic, how=how)]

    ok = ok_zip(f"../regio/12411-02-03-5_{STAMP}_de_flat.zip", "12411-02-03-5")
    err401 = json.dumps(
        {
            "Status": {
                "Code": -1,
                "Content": "Anmeldung fehlgeschlagen: Nutzername oder Passwort ungültig",
                "Type": "Fehler",
            }
        },
        ensure_ascii=False,
    )
    overlay(
        "fehler_401",
        "HTTP 401 auf die erste Tabelle (Zugangsdaten falsch).",
        one(
            [{"status": 401, "content_type": "application/json;charset=UTF-8", "body": err401}],
            "HTTP status 401 as the issue names it; the JSON error text is NOT a recorded real answer",
        ),
    )
    html = "<html><head><title>{t}</title></head><body><h1>{t}</h1></body></html>"
    overlay(
        "fehler_429",
        "HTTP 429 auf jede Anfrage nach der ersten Tabelle (Ratenbegrenzung hält an).",
        one(
            [{"status": 429, "content_type": "text/html", "body": html.format(t="429 Too Many Requests")}],
            "status only",
        ),
    )
    overlay(
        "fehler_429_dann_ok",
        "Erst HTTP 429, dann die normale Antwort: der zweite Versuch gelingt.",
        one(
            [
                {"status": 429, "content_type": "text/html", "body": html.format(t="429 Too Many Requests")},
                ok,
            ],
            "429 once, then the answer of the main set",
        ),
    )
    overlay(
        "fehler_503",
        "HTTP 503 auf jede Anfrage nach der ersten Tabelle (Dienst gestört).",
        one(
            [{"status": 503, "content_type": "text/html", "body": html.format(t="503 Service Unavailable")}],
            "status only",
        ),
    )
    full = (HERE / f"regio/12411-02-03-5_{STAMP}_de_flat.zip").read_bytes()
    rel = write(HERE / "fehler_kaputt", "12411-02-03-5_abgeschnitten.zip", full[: len(full) // 3])
    overlay(
        "fehler_kaputt",
        "Beschädigte Antwort: das ZIP-Archiv der ersten Tabelle ist nach einem Drittel abgeschnitten.",
        one(
            [{"status": 200, "content_type": "application/zip", "file": rel}],
            "the main answer cut to a third",
        ),
    )
    overlay(
        "fehler_kaputt_metadaten",
        "Beschädigte Antwort: die Metadaten der ersten Tabelle sind eine HTML-Seite statt JSON.",
        [
            answer(
                "regio",
                "metadata/table",
                "12411-02-03-5",
                [
                    {
                        "status": 200,
                        "content_type": "application/json;charset=UTF-8",
                        "body": html.format(t="Wartung"),
                    }
                ],
                synthetic=True,
                how="an HTML maintenance page where JSON is expected",
            )
        ],
    )
    changed = zipped("12411-02-03-5", ffcsv(rows_12411_02_03_5(m, "2024-12-31", split_65=True), 3))
    rel = write(HERE / "fehler_layout", f"12411-02-03-5_{STAMP}_de_flat.zip", changed)
    overlay(
        "fehler_layout",
        "Geänderter Tabellenaufbau: 18 statt 17 Altersgruppen (65–69 und 70–74 statt 65–74).",
        one(
            [{"status": 200, "content_type": "application/zip", "file": rel}],
            "SYNTHETIC main table with the group 65–74 split in two halves (a changed classification)",
        ),
    )
    y25 = zipped("12411-02-03-5", ffcsv(rows_12411_02_03_5(m, "2025-12-31"), 3))
    rel = write(HERE / "basisjahr_2025", f"12411-02-03-5_{STAMP}_de_flat.zip", y25)
    meta = metadata(
        "12411-02-03-5",
        "Bevölkerung nach Geschlecht und Altersgruppen (17) - Stichtag 31.12. -\nregionale Tiefe: Gemeinden",
        "31.12.2008",
        "31.12.2025",
        BUILT,
        REGIO_COPYRIGHT,
    )
    relm = write(HERE / "basisjahr_2025", "12411-02-03-5_metadata.json", meta)
    overlay(
        "basisjahr_2025",
        "SYNTHETISCH: eine vollständige Gemeindetabelle zum 31.12.2025 (= die synthetische Tabelle 2024 mit "
        "dem Stichtag 31.12.2025). Nur für den Test des Basisjahr-Wechsels; keine Zahl darin ist ein Wert von 2025.",
        [
            answer(
                *first,
                [ok_zip(rel, "12411-02-03-5")],
                synthetic=True,
                how="SYNTHETIC: the synthetic 31.12.2024 "
                "table relabelled to 31.12.2025 (base-year test only; NOT a 2025 figure)",
            ),
            answer("regio", "metadata/table", "12411-02-03-5", [ok_json(relm)], synthetic=True, how=META_HOW),
        ],
    )


def real_cassette_note() -> None:
    """``echt_12411-01-01-4/`` is copied from pystatis' test cassettes, not built here."""


if __name__ == "__main__":
    main()
