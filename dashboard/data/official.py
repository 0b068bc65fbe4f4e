"""Official tables of the Zensus 2022 and of IT.NRW for 2024 (shipped in ``data/raw/``).

Three files, copied unchanged from the shared data compilation (provenance in every row):

* ``zensus2022/kreis_dueren_gemeinden_age11_zensus2022_regionaltabelle_2022-05-15.csv`` —
  Zensus 2022 "Regionaltabelle Demografie": population per municipality at 15.05.2022 in 11
  age classes (both sexes together), totals by sex. The census publishes perturbed cells
  (cell-key method): the classes of one municipality sum to its total only within
  :data:`ZENSUS_MAX_PERTURBATION` persons.
* ``itnrw/kreis_dueren_gemeinden_population_2024-12-31_12411-15i.csv`` — IT.NRW
  Landesdatenbank 12411-15i: municipal totals at 31.12.2024 (Fortschreibung, Zensus 2022 basis).
* ``itnrw/kreis_dueren_population_single_ages_2024-12-31_12411-09i.csv`` — IT.NRW 12411-09i:
  Kreis Düren by single years of age 0 … 89 and 90+ (both sexes) at 31.12.2024, the same
  Kreis in 18 age groups (2024), and selected groups by sex at 31.12.2023 (12411-02-03-4).

Each ``parse_*`` function reads one file from any folder and returns the tidy frame together
with the list of *all* problems (file, row, column, expected, found); the public loaders
check the SHA-256 of the shipped file first, raise :class:`DataFormatError` on any problem
and cache the result per process (copies are returned). :func:`validate_official_files`
runs every parser and the cross-file identities without the hash check, so that
``python -m dashboard data check`` can say *where* a damaged file is wrong.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from dashboard.constants import (
    AGE_GROUPS_17,
    BASIS_Z2022,
    CENSUS_DATES,
    KREIS_AGS,
    MUNICIPALITIES,
    OPEN_AGE,
    contiguous_age_groups,
)
from dashboard.data import embedded
from dashboard.data.errors import DataFormatError, Problem, problem
from dashboard.data.integrity import verify_raw_file

ZENSUS22_AGE11_FILE = "zensus2022/kreis_dueren_gemeinden_age11_zensus2022_regionaltabelle_2022-05-15.csv"
MUNICIPAL_TOTALS_2024_FILE = "itnrw/kreis_dueren_gemeinden_population_2024-12-31_12411-15i.csv"
KREIS_SINGLE_AGES_2024_FILE = "itnrw/kreis_dueren_population_single_ages_2024-12-31_12411-09i.csv"
ZENSUS22_HOUSEHOLDS_FILE = (
    "zensus2022/kreis_dueren_gemeinden_households_zensus2022_regionaltabelle_2022-05-15.csv"
)
#: the 1000A census totals and the Kreis sex × 17 groups table (cross-file checks)
ZENSUS22_TOTALS_FILE = "zensus2022/kreis_dueren_gemeinden_population_zensus2022_2022-05-15.csv"
KREIS_AGE17_FILE = "regionalstatistik/kreis_dueren_population_sex_age17_2021-2024.csv"

PUBLISHER_STATISTIK = "Statistische Ämter des Bundes und der Länder"
PUBLISHER_ITNRW = "IT.NRW (Information und Technik Nordrhein-Westfalen)"
LICENCE_DLDE = "dl-de/by-2-0"
ZENSUS_DATE = pd.Timestamp(CENSUS_DATES[BASIS_Z2022])
DATE_2024 = pd.Timestamp("2024-12-31")

#: Largest difference (persons) allowed between the sum of a municipality's census age
#: classes and its census total: the cell-key perturbation of the Zensus 2022 (the shared
#: compilation measured at most 7 for the 16 rows; a larger value means a damaged file).
ZENSUS_MAX_PERTURBATION = 7

#: The 11 age classes of the Zensus 2022 Regionaltabelle: label -> (min, max incl.).
ZENSUS22_AGE_CLASSES: dict[str, tuple[int, int]] = contiguous_age_groups(
    0, 3, 6, 10, 16, 19, 25, 40, 60, 67, 75
)
_ZENSUS_COLUMNS = {embedded.age_column(k): k for k in ZENSUS22_AGE_CLASSES}

#: Highest single age of the IT.NRW table; the value stands for "90 Jahre und mehr".
ITNRW_OPEN_AGE = 90

_SEX_DE = {"insgesamt": "total", "weiblich": "female", "maennlich": "male", "männlich": "male"}


def _raw_dir() -> Path:
    return embedded.RAW_DIR


@functools.cache
def _checked(filename: str, parse: Callable[[Path], tuple[pd.DataFrame, list[Problem]]]) -> pd.DataFrame:
    """A shipped official file: checked against its recorded SHA-256, then parsed by ``parse``
    (read once per process). Raises :class:`DataFormatError` listing every problem found."""
    verify_raw_file(_raw_dir(), filename)
    table, probs = parse(_raw_dir() / filename)
    if probs:
        raise DataFormatError(probs)
    return table


def _shipped(
    filename: str,
    parse: Callable[[Path], tuple[pd.DataFrame, list[Problem]]],
    *,
    include_kreis: bool = True,
) -> pd.DataFrame:
    """:func:`_checked` of ``filename``, without the Kreis row unless ``include_kreis``."""
    t = _checked(filename, parse)
    return t if include_kreis else t[t.ags != KREIS_AGS]


def _origin_table(text: str) -> str:
    """Table code (e.g. ``12411-15i``) named in a free-text ``table`` cell."""
    m = re.search(r"\d{5}-\d{2}-\d{2}-\d|\d{5}-\d{2}i|\d{5}-\d{2}-?\w*", str(text))
    return m.group(0) if m else str(text)


def _read(path: Path, name: str, dtype: dict) -> tuple[pd.DataFrame | None, list[Problem]]:
    if not path.exists():
        return None, [problem(name, None, None, "eine mitgelieferte Datei", "fehlt")]
    try:
        return pd.read_csv(path, dtype=dtype, keep_default_na=False), []
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        return None, [problem(name, None, None, "eine lesbare CSV-Datei (UTF-8)", str(e))]


def _missing_columns(df: pd.DataFrame, name: str, cols: list[str]) -> list[Problem]:
    return [
        problem(name, 1, c, "eine Spalte dieses Namens in der Kopfzeile", "fehlt")
        for c in cols
        if c not in df
    ]


def _ints(df: pd.DataFrame, col: str, name: str) -> tuple[pd.Series, list[Problem]]:
    """Column as int64 where every cell is a whole number >= 0, plus a problem per bad cell."""
    s = df[col].astype(str).str.strip()
    ok = s.str.fullmatch(r"\d+")
    probs = [problem(name, int(i) + 2, col, "eine ganze Zahl ≥ 0", df.at[i, col]) for i in df.index[~ok]]
    return pd.to_numeric(s.where(ok, "0")).astype("int64"), probs


def _dates(df: pd.DataFrame, name: str, allowed: set[pd.Timestamp]) -> list[Problem]:
    d = pd.to_datetime(df.reference_date, errors="coerce", format="%Y-%m-%d")
    bad = d.isna() | ~d.isin(list(allowed))
    shown = " oder ".join(t.strftime("%Y-%m-%d") for t in sorted(allowed))
    return [
        problem(name, int(i) + 2, "reference_date", shown, df.at[i, "reference_date"]) for i in df.index[bad]
    ]


def _ags_rows(df: pd.DataFrame, name: str, col: str = "ags") -> list[Problem]:
    """Exactly one Kreis row and one row per municipality."""
    probs = []
    known = set(MUNICIPALITIES) | {KREIS_AGS}
    for i in df.index[~df[col].isin(list(known))]:
        probs.append(
            problem(
                name,
                int(i) + 2,
                col,
                "die AGS des Kreises Düren oder einer seiner 15 Gemeinden",
                df.at[i, col],
            )
        )
    for i in df.index[df[col].duplicated(keep="first")]:
        probs.append(problem(name, int(i) + 2, col, "eine Zeile je AGS", f"{df.at[i, col]!r} doppelt"))
    missing = sorted(known - set(df[col]))
    if missing:
        probs.append(
            problem(name, None, col, "Zeilen für den Kreis und alle 15 Gemeinden", f"es fehlen {missing}")
        )
    return probs


# --------------------------------------------------------------------------------------
# Zensus 2022: municipal age classes
# --------------------------------------------------------------------------------------


def parse_zensus2022_age_classes(
    path: Path, name: str = ZENSUS22_AGE11_FILE
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse the Zensus 2022 Regionaltabelle extract; return (wide frame, problems).

    The wide frame has one row per area (Kreis ``05358`` and the 15 municipalities) with
    ``ags, reference_date, total, male, female`` and one integer column per age class
    (labels of :data:`ZENSUS22_AGE_CLASSES`), plus ``basis, licence, origin``.
    """
    df, probs = _read(path, name, {"ags": str, "_RS": str})
    if df is None:
        return pd.DataFrame(), probs
    need = [
        "reference_date",
        "ags",
        "total",
        "male",
        "female",
        *_ZENSUS_COLUMNS,
        "age_groups_sum",
        "age_sum_minus_total",
        "licence",
        "source",
    ]
    probs += _missing_columns(df, name, need)
    if probs:
        return pd.DataFrame(), probs
    probs += _dates(df, name, {ZENSUS_DATE})
    probs += _ags_rows(df, name)
    vals = {}
    for c in ["total", "male", "female", *_ZENSUS_COLUMNS, "age_groups_sum"]:
        vals[c], p = _ints(df, c, name)
        probs += p
    diff_ok = df.age_sum_minus_total.astype(str).str.strip().str.fullmatch(r"-?\d+")
    probs += [
        problem(name, int(i) + 2, "age_sum_minus_total", "eine ganze Zahl", df.at[i, "age_sum_minus_total"])
        for i in df.index[~diff_ok]
    ]
    if probs:
        return pd.DataFrame(), probs
    classes = np.stack([vals[c].to_numpy() for c in _ZENSUS_COLUMNS], axis=1)
    csum = classes.sum(axis=1)
    total = vals["total"].to_numpy()
    stated_sum = vals["age_groups_sum"].to_numpy()
    stated_diff = pd.to_numeric(df.age_sum_minus_total).to_numpy()
    for k, i in enumerate(df.index):
        row = int(i) + 2
        if csum[k] != stated_sum[k]:
            probs.append(
                problem(
                    name, row, "age_groups_sum", f"Summe der 11 Altersklassen {csum[k]}", int(stated_sum[k])
                )
            )
        if csum[k] - total[k] != stated_diff[k]:
            probs.append(
                problem(
                    name,
                    row,
                    "age_sum_minus_total",
                    f"Klassensumme − total = {csum[k] - total[k]}",
                    int(stated_diff[k]),
                )
            )
        if abs(csum[k] - total[k]) > ZENSUS_MAX_PERTURBATION:
            probs.append(
                problem(
                    name,
                    row,
                    "total",
                    f"Summe der Altersklassen ({csum[k]}) ± {ZENSUS_MAX_PERTURBATION} (Cell-Key-Überlagerung)",
                    int(total[k]),
                )
            )
    muni = df.ags != KREIS_AGS
    for c in ["total", *_ZENSUS_COLUMNS]:
        s_m = int(vals[c][muni].sum())
        s_k = int(vals[c][~muni].sum())
        tol = 0 if c == "total" else ZENSUS_MAX_PERTURBATION * int(muni.sum())
        if abs(s_m - s_k) > tol:
            i = df.index[~muni][0]
            probs.append(
                problem(
                    name, int(i) + 2, c, f"Summe der 15 Gemeinden {s_m}" + (f" ± {tol}" if tol else ""), s_k
                )
            )
    out = pd.DataFrame({"ags": df.ags, "reference_date": ZENSUS_DATE})
    for c in ["total", "male", "female"]:
        out[c] = vals[c]
    for c, label in _ZENSUS_COLUMNS.items():
        out[label] = vals[c]
    out["basis"] = df.basis
    out["licence"] = df.licence
    out["origin"] = df.source
    return out, probs


def zensus2022_age_classes(*, include_kreis: bool = False) -> pd.DataFrame:
    """Zensus 2022 population per municipality in 11 age classes at 15.05.2022 (official).

    Parameters
    ----------
    include_kreis : also return the Kreis row (``ags == "05358"``); off by default so that a
        sum over rows is a sum over the 15 municipalities.

    Returns
    -------
    DataFrame, one row per municipality × class (15 × 11 = 165 rows), columns
    ``ags, municipality, reference_date, age_class, age_min, age_max, population,
    municipal_total, class_sum_minus_total, basis, table, publisher, licence, source, origin,
    estimated``. ``age_class`` is an ordered categorical of :data:`ZENSUS22_AGE_CLASSES`
    (``0-2, 3-5, 6-9, 10-15, 16-18, 19-24, 25-39, 40-59, 60-66, 67-74, 75+``); ``age_min``,
    ``age_max`` are inclusive (75+ → 75, ``OPEN_AGE``). ``population`` is persons as
    published (both sexes); ``municipal_total`` the census total of the municipality (equals
    the 1000A-0000 result); ``class_sum_minus_total`` the cell-key perturbation (|·| ≤ 7).
    ``estimated`` is False (official figures).
    """
    w = _shipped(ZENSUS22_AGE11_FILE, parse_zensus2022_age_classes, include_kreis=include_kreis)
    classes = list(ZENSUS22_AGE_CLASSES)
    long = w.melt(
        id_vars=["ags", "reference_date", "total", "basis", "licence", "origin"],
        value_vars=classes,
        var_name="age_class",
        value_name="population",
    )
    long["class_sum_minus_total"] = long.ags.map(
        w.set_index("ags")[classes].sum(axis=1) - w.set_index("ags").total
    )
    names = {**MUNICIPALITIES, KREIS_AGS: "Kreis Düren"}
    out = pd.DataFrame(
        {
            "ags": long.ags,
            "municipality": long.ags.map(names),
            "reference_date": long.reference_date,
            "age_class": pd.Categorical(long.age_class, categories=classes, ordered=True),
            "age_min": long.age_class.map(lambda c: ZENSUS22_AGE_CLASSES[c][0]).astype("int64"),
            "age_max": long.age_class.map(lambda c: ZENSUS22_AGE_CLASSES[c][1]).astype("int64"),
            "population": long.population.astype("int64"),
            "municipal_total": long.total.astype("int64"),
            "class_sum_minus_total": long.class_sum_minus_total.astype("int64"),
            "basis": BASIS_Z2022,
            "table": "Zensus 2022 Regionaltabelle Demografie",
            "publisher": PUBLISHER_STATISTIK,
            "licence": LICENCE_DLDE,
            "source": ZENSUS22_AGE11_FILE,
            "origin": long.origin,
            "estimated": False,
        }
    )
    return out.sort_values(["ags", "age_class"]).reset_index(drop=True)


def zensus2022_sex_totals(*, include_kreis: bool = False) -> pd.DataFrame:
    """Zensus 2022 population per municipality by sex at 15.05.2022 (official).

    Returns
    -------
    DataFrame ``ags, municipality, reference_date, total, female, male, basis, table,
    publisher, licence, source, estimated`` (persons). Perturbed cells: ``female + male`` may
    differ from ``total`` by a few persons (Kreis: 138,698 + 136,690 = 275,388 vs 275,392).
    """
    w = _shipped(ZENSUS22_AGE11_FILE, parse_zensus2022_age_classes, include_kreis=include_kreis)
    names = {**MUNICIPALITIES, KREIS_AGS: "Kreis Düren"}
    return pd.DataFrame(
        {
            "ags": w.ags,
            "municipality": w.ags.map(names),
            "reference_date": w.reference_date,
            "total": w.total,
            "female": w.female,
            "male": w.male,
            "basis": BASIS_Z2022,
            "table": "Zensus 2022 Regionaltabelle Demografie",
            "publisher": PUBLISHER_STATISTIK,
            "licence": LICENCE_DLDE,
            "source": ZENSUS22_AGE11_FILE,
            "estimated": False,
        }
    ).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# IT.NRW 12411-15i: municipal totals 31.12.2024
# --------------------------------------------------------------------------------------


def parse_municipal_totals_2024(
    path: Path, name: str = MUNICIPAL_TOTALS_2024_FILE
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse the IT.NRW 12411-15i extract; return (frame incl. the Kreis row, problems)."""
    df, probs = _read(path, name, {"ags": str})
    if df is None:
        return pd.DataFrame(), probs
    probs += _missing_columns(
        df, name, ["reference_date", "ags", "population", "area_km2", "table", "source", "licence"]
    )
    if probs:
        return pd.DataFrame(), probs
    probs += _dates(df, name, {DATE_2024})
    probs += _ags_rows(df, name)
    pop, p = _ints(df, "population", name)
    probs += p
    area = pd.to_numeric(df.area_km2, errors="coerce")
    probs += [
        problem(name, int(i) + 2, "area_km2", "eine Fläche > 0 (km²)", df.at[i, "area_km2"])
        for i in df.index[~(area > 0)]
    ]
    if probs:
        return pd.DataFrame(), probs
    kreis = df.ags == KREIS_AGS
    s_m, s_k = int(pop[~kreis].sum()), int(pop[kreis].sum())
    if s_m != s_k:
        probs.append(
            problem(name, int(df.index[kreis][0]) + 2, "population", f"Summe der 15 Gemeinden {s_m}", s_k)
        )
    out = pd.DataFrame(
        {
            "ags": df.ags,
            "population": pop,
            "area_km2": area.astype(float),
            "density": pd.to_numeric(df.get("density"), errors="coerce"),
            "table_text": df.table,
            "licence_text": df.licence,
            "origin": df.source,
        }
    )
    return out, probs


def official_municipal_totals(*, include_kreis: bool = False) -> pd.DataFrame:
    """Official municipal population totals at 31.12.2024 (IT.NRW 12411-15i, Zensus 2022 basis).

    Parameters
    ----------
    include_kreis : also return the Kreis row (``ags == "05358"``, 279,285).

    Returns
    -------
    DataFrame ``ags, municipality, reference_date, year, population, area_km2, density,
    basis, table, publisher, licence, source, origin, estimated`` (persons; km²; persons per
    km²), in AGS order. The 15 municipalities sum to the Kreis total exactly (checked).
    ``estimated`` is False.
    """
    t = _shipped(MUNICIPAL_TOTALS_2024_FILE, parse_municipal_totals_2024, include_kreis=include_kreis)
    names = {**MUNICIPALITIES, KREIS_AGS: "Kreis Düren"}
    out = pd.DataFrame(
        {
            "ags": t.ags,
            "municipality": t.ags.map(names),
            "reference_date": DATE_2024,
            "year": 2024,
            "population": t.population.astype("int64"),
            "area_km2": t.area_km2,
            "density": t.density,
            "basis": BASIS_Z2022,
            "table": "12411-15i",
            "publisher": PUBLISHER_ITNRW,
            "licence": LICENCE_DLDE,
            "source": MUNICIPAL_TOTALS_2024_FILE,
            "origin": t.origin,
            "estimated": False,
        }
    )
    return out.sort_values("ags").reset_index(drop=True)


# --------------------------------------------------------------------------------------
# IT.NRW 12411-09i: Kreis single ages 31.12.2024 (+ groups)
# --------------------------------------------------------------------------------------


def _age_bounds(label: str) -> tuple[int, int] | None:
    """``'unter 1 Jahr'`` -> (0, 0); ``'3 bis unter 6 Jahre'`` -> (3, 5); ``'90 Jahre und mehr'`` -> (90, OPEN_AGE)."""
    t = str(label).strip()
    if m := re.fullmatch(r"unter (\d+) Jahre?", t):
        return 0, int(m.group(1)) - 1
    if m := re.fullmatch(r"(\d+) bis unter (\d+) Jahre?", t):
        lo, hi = int(m.group(1)), int(m.group(2)) - 1
        return (lo, hi) if lo <= hi else None
    if m := re.fullmatch(r"(\d+) Jahre? und mehr", t):
        return int(m.group(1)), OPEN_AGE
    return None


def _kind_of(table: str) -> str:
    t = str(table)
    if "Altersjahren" in t:
        return "single_ages"
    if "18 age groups" in t:
        return "groups_18"
    if "12411-02-03-4" in t:
        return "groups_by_sex"
    return ""


def parse_kreis_single_ages_2024(
    path: Path, name: str = KREIS_SINGLE_AGES_2024_FILE
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse the IT.NRW 12411-09i extract; return (long frame of every row, problems).

    The frame has ``row, kind, reference_date, age_group, age_min, age_max, sex, population,
    table_text, licence_text, origin`` with ``kind`` one of ``single_ages``, ``groups_18``,
    ``groups_by_sex`` and ``age_min = age_max = -1`` for the "Insgesamt" rows.
    """
    df, probs = _read(path, name, {"ags": str})
    if df is None:
        return pd.DataFrame(), probs
    probs += _missing_columns(
        df, name, ["reference_date", "ags", "table", "age_group", "sex", "persons", "source", "licence"]
    )
    if probs:
        return pd.DataFrame(), probs
    probs += _dates(df, name, {DATE_2024, pd.Timestamp("2023-12-31")})
    for i in df.index[df.ags != KREIS_AGS]:
        probs.append(problem(name, int(i) + 2, "ags", f"{KREIS_AGS} (Kreis Düren)", df.at[i, "ags"]))
    kind = df.table.map(_kind_of)
    for i in df.index[kind == ""]:
        probs.append(
            problem(
                name,
                int(i) + 2,
                "table",
                "12411-09i (Altersjahren / 18 age groups) oder 12411-02-03-4",
                df.at[i, "table"],
            )
        )
    sex = df.sex.str.strip().str.lower().map(_SEX_DE)
    for i in df.index[sex.isna()]:
        probs.append(problem(name, int(i) + 2, "sex", "insgesamt, weiblich oder maennlich", df.at[i, "sex"]))
    bounds = []
    for i, lab in zip(df.index, df.age_group):
        if str(lab).strip() == "Insgesamt":
            bounds.append((-1, -1))
            continue
        b = _age_bounds(lab)
        if b is None:
            probs.append(
                problem(
                    name,
                    int(i) + 2,
                    "age_group",
                    "'Insgesamt', 'unter N Jahre', 'N bis unter M Jahre' oder 'N Jahre und mehr'",
                    lab,
                )
            )
            b = (-1, -1)
        bounds.append(b)
    pop, p = _ints(df, "persons", name)
    probs += p
    if probs:
        return pd.DataFrame(), probs
    out = pd.DataFrame(
        {
            "row": df.index + 2,
            "kind": kind,
            "reference_date": pd.to_datetime(df.reference_date),
            "age_group": df.age_group.str.strip(),
            "age_min": [b[0] for b in bounds],
            "age_max": [b[1] for b in bounds],
            "sex": sex,
            "population": pop,
            "table_text": df.table,
            "licence_text": df.licence,
            "origin": df.source,
        }
    )
    probs += _single_age_identities(out, name)
    return out, probs


def _single_age_identities(t: pd.DataFrame, name: str) -> list[Problem]:
    """Single ages complete (0…89, 90+), each total row = sum of its parts, groups = single ages."""
    probs: list[Problem] = []
    s = t[(t.kind == "single_ages") & (t.age_min >= 0)]
    want = list(range(ITNRW_OPEN_AGE + 1))
    if sorted(s.age_min) != want or s.age_min.duplicated().any():
        probs.append(
            problem(
                name,
                None,
                "age_group",
                "je eine Zeile für die Alter 0 … 89 und '90 Jahre und mehr'",
                f"{len(s)} Zeilen",
            )
        )
        return probs
    bad = s[
        (s.age_min < ITNRW_OPEN_AGE) & (s.age_max != s.age_min)
        | (s.age_min == ITNRW_OPEN_AGE) & (s.age_max != OPEN_AGE)
    ]
    for r in bad.itertuples():
        probs.append(problem(name, r.row, "age_group", "ein einzelnes Altersjahr", r.age_group))
    single = s.set_index("age_min").population.sort_index().to_numpy()
    for kind in ("single_ages", "groups_18", "groups_by_sex"):
        k = t[t.kind == kind]
        for _key, g in k.groupby(["reference_date", "sex"]):
            tot = g[g.age_min < 0]
            parts = g[g.age_min >= 0]
            if (
                kind != "groups_by_sex"
                and len(tot) == 1
                and int(parts.population.sum()) != int(tot.population.iloc[0])
            ):
                probs.append(
                    problem(
                        name,
                        int(tot.row.iloc[0]),
                        "persons",
                        f"Summe der Altersgruppen {int(parts.population.sum())}",
                        int(tot.population.iloc[0]),
                    )
                )
    g18 = t[(t.kind == "groups_18") & (t.age_min >= 0)]
    for r in g18.itertuples():
        v = int(single[r.age_min : min(r.age_max, ITNRW_OPEN_AGE) + 1].sum())
        if v != r.population:
            probs.append(
                problem(
                    name,
                    r.row,
                    "persons",
                    f"Summe der Einzelalter {r.age_min}…{min(r.age_max, ITNRW_OPEN_AGE)}{'+' if r.age_max >= ITNRW_OPEN_AGE else ''} = {v}",
                    r.population,
                )
            )
    bs = t[(t.kind == "groups_by_sex")]
    for _key, g in bs.groupby(["reference_date", "age_group"]):
        if set(g.sex) == {"total", "female", "male"}:
            v = g.set_index("sex").population
            if int(v["female"] + v["male"]) != int(v["total"]):
                r = int(g[g.sex == "total"].row.iloc[0])
                probs.append(
                    problem(
                        name,
                        r,
                        "persons",
                        f"weiblich + männlich = {int(v['female'] + v['male'])}",
                        int(v["total"]),
                    )
                )
    return probs


def _provenance(t: pd.DataFrame) -> pd.DataFrame:
    official = t.kind.map(
        {"single_ages": "12411-09i", "groups_18": "12411-09i", "groups_by_sex": "12411-02-03-4"}
    )
    publisher = t.kind.map(
        {"single_ages": PUBLISHER_ITNRW, "groups_18": PUBLISHER_ITNRW, "groups_by_sex": PUBLISHER_STATISTIK}
    )
    return pd.DataFrame(
        {
            "basis": BASIS_Z2022,
            "table": official,
            "publisher": publisher,
            "licence": LICENCE_DLDE,
            "source": KREIS_SINGLE_AGES_2024_FILE,
            "origin": t.origin,
            "estimated": False,
        },
        index=t.index,
    )


def official_kreis_single_ages() -> pd.DataFrame:
    """Kreis Düren by single year of age 0 … 89 and 90+ at 31.12.2024 (IT.NRW 12411-09i, official).

    Both sexes together; the Kreis sex split by single age is not published (see
    :func:`dashboard.data.kreis_age_groups` for sex × 17 groups).

    Returns
    -------
    DataFrame, 91 rows in age order, ``ags, reference_date, year, age, age_max, open_ended,
    sex, population, basis, table, publisher, licence, source, origin, estimated``: ``age``
    0 … 90, where 90 is the open group "90 and older" (``open_ended`` True, ``age_max`` =
    ``OPEN_AGE``); ``sex`` is ``"total"``; persons. Sums to 279,285 and, over the 17 group
    bounds, to the Kreis table 12411-02-03-4 of 31.12.2024 (both sexes) exactly (checked by
    ``data check`` and the tests).
    """
    t = _shipped(KREIS_SINGLE_AGES_2024_FILE, parse_kreis_single_ages_2024)
    s = t[(t.kind == "single_ages") & (t.age_min >= 0)].sort_values("age_min")
    out = pd.DataFrame(
        {
            "ags": KREIS_AGS,
            "reference_date": s.reference_date,
            "year": s.reference_date.dt.year.astype("int64"),
            "age": s.age_min.astype("int64"),
            "age_max": s.age_max.astype("int64"),
            "open_ended": s.age_min == ITNRW_OPEN_AGE,
            "sex": "total",
            "population": s.population.astype("int64"),
        }
    )
    return pd.concat([out, _provenance(s)], axis=1).reset_index(drop=True)


def itnrw_kreis_age_groups() -> pd.DataFrame:
    """The age-group rows of the 12411-09i extract (official; used as cross-checks).

    Returns
    -------
    DataFrame ``ags, reference_date, year, age_group, age_min, age_max, sex, population,
    basis, table, publisher, licence, source, origin, estimated``: the 18 groups of
    31.12.2024 (both sexes, 12411-09i) and the groups 6–9, 10–14, 15–17, 18–19 and the total
    by sex at 31.12.2023 (12411-02-03-4). ``age_group`` is the published German label;
    ``age_min = age_max = -1`` marks "Insgesamt".
    """
    t = _shipped(KREIS_SINGLE_AGES_2024_FILE, parse_kreis_single_ages_2024)
    g = t[t.kind != "single_ages"]
    out = pd.DataFrame(
        {
            "ags": KREIS_AGS,
            "reference_date": g.reference_date,
            "year": g.reference_date.dt.year.astype("int64"),
            "age_group": g.age_group,
            "age_min": g.age_min.astype("int64"),
            "age_max": g.age_max.astype("int64"),
            "sex": g.sex,
            "population": g.population.astype("int64"),
        }
    )
    return pd.concat([out, _provenance(g)], axis=1).reset_index(drop=True)


# --------------------------------------------------------------------------------------
# All files at once, without the hash check (for ``data check``)
# --------------------------------------------------------------------------------------


def _cross_checks(raw: Path, zensus: pd.DataFrame, totals: pd.DataFrame, ages: pd.DataFrame) -> list[Problem]:
    """Identities between the new files and the tables already shipped."""
    probs: list[Problem] = []
    # Zensus age-class totals = Zensus 1000A-0000 municipal results
    f = raw / ZENSUS22_TOTALS_FILE
    if not zensus.empty and f.exists():
        z = pd.read_csv(f, dtype={"ags8": str}).set_index("ags8").population
        for k, r in enumerate(zensus.itertuples()):
            if r.ags in z.index and int(z[r.ags]) != int(r.total):
                probs.append(
                    problem(
                        ZENSUS22_AGE11_FILE,
                        k + 2,
                        "total",
                        f"{int(z[r.ags])} wie {ZENSUS22_TOTALS_FILE}",
                        int(r.total),
                    )
                )
    f = raw / KREIS_AGE17_FILE
    if f.exists():
        k17 = pd.read_csv(f, dtype={"ags": str})
        k17 = k17[(k17.age_group != "total") & (k17.sex != "total")]
        k17["year"] = pd.to_datetime(k17.reference_date).dt.year
        # municipal totals 2024 = Kreis table 2024
        if not totals.empty:
            want = int(k17[k17.year == 2024].value.sum())
            got = totals[totals.ags == KREIS_AGS]
            if len(got) and int(got.population.iloc[0]) != want:
                probs.append(
                    problem(
                        MUNICIPAL_TOTALS_2024_FILE,
                        int(got.index[0]) + 2,
                        "population",
                        f"{want} wie {KREIS_AGE17_FILE} (31.12.2024)",
                        int(got.population.iloc[0]),
                    )
                )
        if not ages.empty:
            s = ages[(ages.kind == "single_ages") & (ages.age_min >= 0)].sort_values("age_min")
            single = s.population.to_numpy()
            first_row = s.set_index("age_min").row
            k24 = k17[k17.year == 2024].groupby("age_group").value.sum()
            for g, (lo, hi) in AGE_GROUPS_17.items():
                if g in k24.index and len(single) == ITNRW_OPEN_AGE + 1:
                    v = int(single[lo : min(hi, ITNRW_OPEN_AGE) + 1].sum())
                    if v != int(k24[g]):
                        probs.append(
                            problem(
                                KREIS_SINGLE_AGES_2024_FILE,
                                int(first_row[lo]),
                                "persons",
                                f"Summe der Einzelalter {g} = {int(k24[g])} wie {KREIS_AGE17_FILE} (31.12.2024, beide Geschlechter)",
                                v,
                            )
                        )
            k23 = k17[k17.year == 2023].rename(columns={"age_group": "label"})
            by_sex = ages[(ages.kind == "groups_by_sex") & (ages.sex != "total")]
            for r in by_sex.itertuples():
                if r.age_min < 0:
                    want = int(k23[k23.sex == r.sex].value.sum())
                else:
                    lab = next((g for g, b in AGE_GROUPS_17.items() if b == (r.age_min, r.age_max)), None)
                    sel = k23[(k23.sex == r.sex) & (k23.label == lab)]
                    if sel.empty:
                        continue
                    want = int(sel.value.sum())
                if want != r.population:
                    probs.append(
                        problem(
                            KREIS_SINGLE_AGES_2024_FILE,
                            r.row,
                            "persons",
                            f"{want} wie {KREIS_AGE17_FILE} (31.12.2023, {r.sex})",
                            r.population,
                        )
                    )
    return probs


def validate_official_files(raw_dir: Path | None = None) -> list[Problem]:
    """Every content problem of the three new official files in ``raw_dir`` (default: shipped).

    Runs the parsers and the cross-file identities (census class totals = 1000A-0000 results;
    municipal totals 2024 and Kreis single ages = the Kreis table 12411-02-03-4; the 2023
    groups by sex = 12411-02-03-4 of 2023) *without* the hash check, so a damaged file is
    reported with file, row, column, expected and found values.
    """
    raw = _raw_dir() if raw_dir is None else Path(raw_dir)
    parsers: list[tuple[str, Callable]] = [
        (ZENSUS22_AGE11_FILE, parse_zensus2022_age_classes),
        (MUNICIPAL_TOTALS_2024_FILE, parse_municipal_totals_2024),
        (KREIS_SINGLE_AGES_2024_FILE, parse_kreis_single_ages_2024),
    ]
    frames, probs = [], []
    for rel, parse in parsers:
        df, p = parse(raw / rel, rel)
        frames.append(df)
        probs += p
    probs += _cross_checks(raw, *frames)
    probs += parse_zensus2022_households(raw / ZENSUS22_HOUSEHOLDS_FILE)[1]
    return probs


# --------------------------------------------------------------------------------------
# Zensus 2022: private households by size (default persons per new dwelling)
# --------------------------------------------------------------------------------------

#: Household-size columns of the Zensus 2022 Regionaltabelle Haushalte -> persons (6 = "6 and more").
_HH_SIZE_COLUMNS = {f"HH_SIZE_NAT__{k}": k for k in range(1, 7)}
#: Largest difference (households) allowed between the size classes of an area and its total
#: (cell-key perturbation; the 16 shipped rows differ by at most 8; a larger value means a damaged file).
HOUSEHOLD_MAX_PERTURBATION = 10


def parse_zensus2022_households(
    path: Path, name: str = ZENSUS22_HOUSEHOLDS_FILE
) -> tuple[pd.DataFrame, list[Problem]]:
    """Parse the Zensus 2022 household extract; return (wide frame incl. the Kreis row, problems).

    Columns of the frame: ``ags, households, size_1 … size_5, size_6plus, origin``.
    Checks: every count a whole number ≥ 0, one row per AGS, the size classes within
    :data:`HOUSEHOLD_MAX_PERTURBATION` of the total, the 15 municipalities' totals within
    15 × that of the Kreis row.
    """
    df, probs = _read(path, name, {"ags": str, "_RS": str})
    if df is None:
        return pd.DataFrame(), probs
    probs += _missing_columns(df, name, ["reference_date", "ags", "households", *_HH_SIZE_COLUMNS, "source"])
    if probs:
        return pd.DataFrame(), probs
    probs += _dates(df, name, {ZENSUS_DATE})
    probs += _ags_rows(df, name)
    vals = {}
    for c in ["households", *_HH_SIZE_COLUMNS]:
        vals[c], p = _ints(df, c, name)
        probs += p
    if probs:
        return pd.DataFrame(), probs
    sizes = np.stack([vals[c].to_numpy() for c in _HH_SIZE_COLUMNS], axis=1)
    total = vals["households"].to_numpy()
    for k, i in enumerate(df.index):
        if total[k] <= 0 or abs(int(sizes[k].sum()) - int(total[k])) > HOUSEHOLD_MAX_PERTURBATION:
            probs.append(
                problem(
                    name,
                    int(i) + 2,
                    "households",
                    f"> 0 und Summe der Größenklassen ({int(sizes[k].sum())}) ± {HOUSEHOLD_MAX_PERTURBATION}",
                    int(total[k]),
                )
            )
    kreis = (df.ags == KREIS_AGS).to_numpy()
    if kreis.sum() == 1:
        s_m, s_k = int(total[~kreis].sum()), int(total[kreis].sum())
        tol = HOUSEHOLD_MAX_PERTURBATION * int((~kreis).sum())
        if abs(s_m - s_k) > tol:
            probs.append(
                problem(
                    name,
                    int(df.index[kreis][0]) + 2,
                    "households",
                    f"Summe der 15 Gemeinden {s_m} ± {tol}",
                    s_k,
                )
            )
    out = pd.DataFrame({"ags": df.ags, "households": vals["households"]})
    for c, k in _HH_SIZE_COLUMNS.items():
        out["size_6plus" if k == 6 else f"size_{k}"] = vals[c]
    out["origin"] = df.source
    return out, probs


def zensus2022_households(*, include_kreis: bool = False) -> pd.DataFrame:
    """Private households per municipality by size at 15.05.2022 (Zensus 2022, official).

    Parameters
    ----------
    include_kreis : also return the Kreis row (``ags == "05358"``).

    Returns
    -------
    DataFrame in AGS order, ``ags, municipality, reference_date, households, size_1, size_2,
    size_3, size_4, size_5, size_6plus, class_sum_minus_total, mean_size, basis, table,
    publisher, licence, source, origin, estimated``. Counts are households as published
    (cell-key perturbed: the classes differ from ``households`` by ``class_sum_minus_total``).
    ``mean_size`` = Σ k × size_k / Σ size_k persons per household with "6 and more" counted
    as 6 — a lower bound of the mean household size (the census publishes no persons per
    household here); ``estimated`` is False for the counts (``mean_size`` is derived).
    """
    t = _shipped(ZENSUS22_HOUSEHOLDS_FILE, parse_zensus2022_households, include_kreis=include_kreis)
    cols = ["size_1", "size_2", "size_3", "size_4", "size_5", "size_6plus"]
    sizes = t[cols].to_numpy(dtype=float)
    names = {**MUNICIPALITIES, KREIS_AGS: "Kreis Düren"}
    out = pd.DataFrame(
        {
            "ags": t.ags,
            "municipality": t.ags.map(names),
            "reference_date": ZENSUS_DATE,
            "households": t.households.astype("int64"),
            **{c: t[c].astype("int64") for c in cols},
            "class_sum_minus_total": (t[cols].sum(axis=1) - t.households).astype("int64"),
            "mean_size": (sizes * np.arange(1, 7)).sum(axis=1) / sizes.sum(axis=1),
            "basis": BASIS_Z2022,
            "table": "Zensus 2022 Regionaltabelle Haushalte",
            "publisher": PUBLISHER_STATISTIK,
            "licence": LICENCE_DLDE,
            "source": ZENSUS22_HOUSEHOLDS_FILE,
            "origin": t.origin,
            "estimated": False,
        }
    )
    return out.sort_values("ags").reset_index(drop=True)
