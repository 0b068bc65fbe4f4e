"""Tidy tables of the official figures shipped in ``data/raw/`` (the embedded dataset).

Each loader reads one raw file (immutable, hash-checked by :mod:`dashboard.data.integrity`
where present), validates it and returns a tidy frame that keeps its provenance columns:
``publisher``, ``table``, ``reference_date`` (or ``year``), ``basis`` (census basis) and
``licence``. Results are cached per process and returned as copies, so callers may
modify them freely.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd

from dashboard.constants import (
    AGE_GROUPS_17,
    BASIS_VZ1987,
    BASIS_Z2011,
    BASIS_Z2022,
    KREIS_AGS,
    MUNICIPALITIES,
    contiguous_age_groups,
)
from dashboard.data.errors import DataFormatError, problem
from dashboard.data.integrity import verify_raw_file

#: Folder of the project's own data (``<repo>/data``).
DATA_DIR: Path = Path(__file__).resolve().parents[2] / "data"
RAW_DIR: Path = DATA_DIR / "raw"

PUBLISHER_DESTATIS = "Statistische Ämter des Bundes und der Länder"
LICENCE_DLDE = "dl-de/by-2-0"

#: German labels of the 17 Regionalstatistik age groups -> project labels.
AGE17_LABELS_DE: dict[str, str] = {
    "unter 3 Jahre": "0-2",
    "3 bis unter 6 Jahre": "3-5",
    "6 bis unter 10 Jahre": "6-9",
    "10 bis unter 15 Jahre": "10-14",
    "15 bis unter 18 Jahre": "15-17",
    "18 bis unter 20 Jahre": "18-19",
    "20 bis unter 25 Jahre": "20-24",
    "25 bis unter 30 Jahre": "25-29",
    "30 bis unter 35 Jahre": "30-34",
    "35 bis unter 40 Jahre": "35-39",
    "40 bis unter 45 Jahre": "40-44",
    "45 bis unter 50 Jahre": "45-49",
    "50 bis unter 55 Jahre": "50-54",
    "55 bis unter 60 Jahre": "55-59",
    "60 bis unter 65 Jahre": "60-64",
    "65 bis unter 75 Jahre": "65-74",
    "75 Jahre und mehr": "75+",
}


def raw_path(relative: str) -> Path:
    """Path of a shipped raw file, e.g. ``"regionalstatistik/…csv"``."""
    return RAW_DIR / relative


def _read_csv(relative: str, **kwargs) -> pd.DataFrame:
    path = raw_path(relative)
    if not path.exists():
        raise DataFormatError(problem(relative, None, None, "eine mitgelieferte Datei", "fehlt"))
    verify_raw_file(RAW_DIR, relative)
    return pd.read_csv(path, **kwargs)


def _basis_of(text: str) -> str:
    """Map a free-text basis description to one of the three census bases."""
    t = str(text)
    if "2022" in t:
        return BASIS_Z2022
    if "2011" in t:
        return BASIS_Z2011
    if "1987" in t or "1970" in t:
        return BASIS_VZ1987
    raise ValueError(f"unknown census basis {text!r}")


def _check_nonnegative_int(df: pd.DataFrame, col: str, file: str, offset: int = 2) -> None:
    bad = df[col].isna() | (pd.to_numeric(df[col], errors="coerce") < 0)
    if bad.any():
        raise DataFormatError(
            [problem(file, int(i) + offset, col, "eine ganze Zahl ≥ 0", df.at[i, col]) for i in df.index[bad]]
        )


@functools.cache
def _kreis_age_groups() -> pd.DataFrame:
    f1 = "regionalstatistik/nrw_kreise_population_sex_age17_2015-2020.csv"
    a = _read_csv(f1, dtype={"region_key": str})
    a = a[a.region_key == KREIS_AGS].copy()
    unknown = set(a.age_group) - set(AGE17_LABELS_DE)
    if unknown:
        raise DataFormatError(problem(f1, None, "age_group", "eine der 17 Altersgruppen", sorted(unknown)[0]))
    a["age_group"] = a.age_group.map(AGE17_LABELS_DE)
    a = pd.DataFrame(
        {
            "ags": KREIS_AGS,
            "year": pd.to_datetime(a.ref_date).dt.year,
            "sex": a.sex,
            "age_group": a.age_group,
            "population": a.value.astype("int64"),
            "basis": BASIS_Z2011,
            "table": "12411-0018",
            "publisher": PUBLISHER_DESTATIS,
            "licence": LICENCE_DLDE,
            "source": f1,
        }
    )
    f2 = "regionalstatistik/kreis_dueren_population_sex_age17_2021-2024.csv"
    b = _read_csv(f2, dtype={"ags": str})
    b = b[(b.age_group != "total") & (b.sex != "total")]
    b = pd.DataFrame(
        {
            "ags": KREIS_AGS,
            "year": pd.to_datetime(b.reference_date).dt.year,
            "sex": b.sex,
            "age_group": b.age_group,
            "population": b.value.astype("int64"),
            "basis": b.basis.map(_basis_of),
            "table": "12411-02-03-4",
            "publisher": PUBLISHER_DESTATIS,
            "licence": LICENCE_DLDE,
            "source": f2,
        }
    )
    out = pd.concat([a, b], ignore_index=True)
    out["age_group"] = pd.Categorical(out.age_group, categories=list(AGE_GROUPS_17), ordered=True)
    out = out.sort_values(["year", "sex", "age_group"]).reset_index(drop=True)
    dup = out.duplicated(["year", "sex", "age_group"])
    if dup.any():
        raise DataFormatError(
            problem(
                f2,
                None,
                "year/sex/age_group",
                "eindeutige Schlüssel",
                out[dup].iloc[0][["year", "sex", "age_group"]].tolist(),
            )
        )
    return out


def kreis_age_groups() -> pd.DataFrame:
    """Kreis Düren population by sex × 17 age groups at 31 Dec 2015–2024 (official).

    Returns
    -------
    DataFrame with ``ags, year, sex, age_group, population, basis, table, publisher,
    licence, source``; ``age_group`` is an ordered categorical of
    :data:`dashboard.constants.AGE_GROUPS_17`. 2015–2021 are on the Zensus 2011 basis,
    2022–2024 on the Zensus 2022 basis.
    """
    return _kreis_age_groups().copy()


EVENT_NAMES = {
    "live_births": "births",
    "deaths": "deaths",
    "in_migration_zuzuege": "in_migration",
    "out_migration_fortzuege": "out_migration",
}
EVENT_TABLES = {
    "births": "12612-01-01-4",
    "deaths": "12613-01-01-4",
    "in_migration": "12711-01-03-4",
    "out_migration": "12711-01-03-4",
}


@functools.cache
def _vital_events() -> pd.DataFrame:
    f = "regionalstatistik/kreis_dueren_births_deaths_migration_2020_2024.csv"
    v = _read_csv(f, dtype={"ags": str})
    unknown = set(v.event) - set(EVENT_NAMES)
    if unknown:
        raise DataFormatError(
            problem(f, None, "event", f"eines von {sorted(EVENT_NAMES)}", sorted(unknown)[0])
        )
    _check_nonnegative_int(v, "value", f)
    ev = v.event.map(EVENT_NAMES)
    return pd.DataFrame(
        {
            "ags": KREIS_AGS,
            "year": v.year.astype(int),
            "event": ev,
            "sex": v.sex,
            "age_group": v.age_group,
            "value": v.value.astype("int64"),
            "table": ev.map(EVENT_TABLES),
            "publisher": PUBLISHER_DESTATIS,
            "licence": LICENCE_DLDE,
            "source": f,
        }
    ).reset_index(drop=True)


def vital_events() -> pd.DataFrame:
    """Kreis Düren live births, deaths, in- and out-migration 2020–2024 (official).

    Returns
    -------
    DataFrame ``ags, year, event, sex, age_group, value, table, publisher, licence, source``.
    ``event`` is one of ``births, deaths, in_migration, out_migration``; ``sex`` includes
    ``total``; ``age_group`` is ``total`` or, for migration, one of
    ``0-17, 18-24, 25-29, 30-49, 50-64, 65+``.
    """
    return _vital_events().copy()


@functools.cache
def _municipal_totals() -> pd.DataFrame:
    f = "consolidated/kreis_dueren_gemeinden_population_totals_series.csv"
    m = _read_csv(f, dtype={"ags": str})
    bad = ~m.ags.isin(list(MUNICIPALITIES))
    if bad.any():
        raise DataFormatError(
            [
                problem(f, int(i) + 2, "ags", "eine AGS des Kreises Düren", m.at[i, "ags"])
                for i in m.index[bad]
            ]
        )
    date = pd.to_datetime(m.ref_date)
    official = m.source.str.startswith(("Destatis", "BBSR", "IT.NRW", "Zensus"))
    out = pd.DataFrame(
        {
            "ags": m.ags,
            "municipality": m.ags.map(MUNICIPALITIES),
            "reference_date": date,
            "year": date.dt.year,
            "population": m.pop_total.astype("int64"),
            "male": m.pop_male.astype("Int64"),
            "female": m.pop_female.astype("Int64"),
            "basis": m.basis.map(_basis_of),
            "basis_detail": m.basis,
            "precision": m.precision,
            "official_table": official,
            "source": m.source,
        }
    )
    return out.sort_values(["ags", "reference_date"]).reset_index(drop=True)


def municipal_totals(*, year_end_only: bool = False, official_only: bool = False) -> pd.DataFrame:
    """Every municipal population total on record, 1983–2023, with census basis and source.

    Parameters
    ----------
    year_end_only : keep only reference dates of 31 December.
    official_only : keep only figures taken from an official table (Destatis GV, BBSR,
        IT.NRW, Zensus), not numbers quoted in newspapers.

    Returns
    -------
    DataFrame ``ags, municipality, reference_date, year, population, male, female, basis,
    basis_detail, precision, official_table, source``. The same date may appear on two
    bases (e.g. 31.12.2022 on Zensus 2011 basis from the GV Auszug).
    """
    out = _municipal_totals()
    if year_end_only:
        out = out[(out.reference_date.dt.month == 12) & (out.reference_date.dt.day == 31)]
    if official_only:
        out = out[out.official_table]
    return out.reset_index(drop=True).copy()


@functools.cache
def _zensus2022() -> pd.DataFrame:
    f = "zensus2022/kreis_dueren_gemeinden_population_zensus2022_2022-05-15.csv"
    z = _read_csv(f, dtype={"ags8": str, "ars12": str})
    _check_nonnegative_int(z, "population", f)
    missing = set(MUNICIPALITIES) - set(z.ags8)
    if missing:
        raise DataFormatError(problem(f, None, "ags8", "alle 15 Gemeinden", f"es fehlt {sorted(missing)}"))
    return (
        pd.DataFrame(
            {
                "ags": z.ags8,
                "municipality": z.ags8.map(MUNICIPALITIES),
                "reference_date": pd.Timestamp("2022-05-15"),
                "population": z.population.astype("int64"),
                "quality_flag": z.quality_flag.fillna(""),
                "basis": BASIS_Z2022,
                "table": "1000A-0000",
                "publisher": PUBLISHER_DESTATIS,
                "licence": LICENCE_DLDE,
                "source": f,
            }
        )
        .sort_values("ags")
        .reset_index(drop=True)
    )


def zensus2022_municipal() -> pd.DataFrame:
    """Zensus 2022 population per municipality at 15.05.2022 (official, sum 275,392)."""
    return _zensus2022().copy()


def age_column(label: str) -> str:
    """Column name of an age group in the shipped census files: ``"0-17"`` -> ``"age_0_17"``,
    ``"65+"`` -> ``"age_65plus"``."""
    return f"age_{label.replace('-', '_').replace('+', 'plus')}"


#: The five age groups of the Zensus 2011 grid, label -> (min, max incl.).
GRID_AGE_GROUPS: dict[str, tuple[int, int]] = contiguous_age_groups(0, 18, 30, 50, 65)
#: The same groups by their column in the grid file.
GRID_GROUPS: dict[str, tuple[int, int]] = {age_column(k): v for k, v in GRID_AGE_GROUPS.items()}


@functools.cache
def _grid_age_shares() -> pd.DataFrame:
    f = "zensus2011_grid/kreis_dueren_zensus2011_1km_grid_cells_alter_kurz.csv"
    g = _read_csv(f, dtype={"assigned_ags": str})
    for c in GRID_GROUPS:
        _check_nonnegative_int(g, c, f)
    s = g.groupby("assigned_ags")[list(GRID_GROUPS)].sum()
    missing = set(MUNICIPALITIES) - set(s.index)
    if missing:
        raise DataFormatError(
            problem(
                f, None, "assigned_ags", "Zellen für alle 15 Gemeinden", f"keine Zelle für {sorted(missing)}"
            )
        )
    long = s.stack().rename("persons_grid").reset_index()
    long.columns = ["ags", "grid_group", "persons_grid"]
    long["age_min"] = long.grid_group.map(lambda c: GRID_GROUPS[c][0])
    long["age_max"] = long.grid_group.map(lambda c: GRID_GROUPS[c][1])
    long["share"] = long.persons_grid / long.groupby("ags").persons_grid.transform("sum")
    long["municipality"] = long.ags.map(MUNICIPALITIES)
    long["reference_date"] = pd.Timestamp("2011-05-09")
    long["basis"] = BASIS_Z2011
    long["method"] = (
        "sum of Zensus-2011 1-km grid cells whose centre lies in the municipality "
        "(border cells wholly to one municipality; approximate)"
    )
    long["publisher"] = "Statistisches Bundesamt (Zensus 2011 Gitterzellen)"
    long["licence"] = "© Statistisches Bundesamt 2018, Vervielfältigung mit Quellenangabe gestattet"
    long["source"] = f
    return long


def grid_age_shares() -> pd.DataFrame:
    """Zensus 2011 age shares per municipality from the 1-km grid (derived, approximate).

    Returns
    -------
    DataFrame ``ags, grid_group, persons_grid, age_min, age_max, share, municipality,
    reference_date, basis, method, publisher, licence, source`` with five age groups
    (0–17, 18–29, 30–49, 50–64, 65+) per municipality; shares sum to 1 per municipality.
    """
    return _grid_age_shares().copy()


@functools.cache
def _life_table() -> pd.DataFrame:
    f = "destatis_lifetable/germany_period_lifetable_2023_2025_qx_lx.csv"
    t = _read_csv(f)
    bad = (t.qx < 0) | (t.qx > 1) | t.qx.isna()
    if bad.any():
        raise DataFormatError(
            [
                problem(f, int(i) + 2, "qx", "eine Wahrscheinlichkeit in [0, 1]", t.at[i, "qx"])
                for i in t.index[bad]
            ]
        )
    return (
        pd.DataFrame(
            {
                "sex": t.sex,
                "age": t.age.astype(int),
                "qx": t.qx.astype(float),
                "lx": t.lx.astype(float),
                "period": t.period,
                "table": "12621-0001",
                "publisher": "Statistisches Bundesamt (Destatis)",
                "licence": LICENCE_DLDE,
                "source": f,
            }
        )
        .sort_values(["sex", "age"])
        .reset_index(drop=True)
    )


def life_table() -> pd.DataFrame:
    """Germany period life table 2023/2025 (Destatis 12621-0001): ``sex, age, qx, lx``, ages 0–100."""
    return _life_table().copy()


@functools.cache
def _nrw_fertility_mortality() -> pd.DataFrame:
    f = "figures/fertility_mortality_nrw_from_pages.csv"
    t = _read_csv(f, dtype=str)
    t["value"] = t.value.astype(float)
    t["publisher"] = "IT.NRW (quoted on public web pages)"
    t["source"] = f
    return t


def nrw_life_expectancy() -> pd.DataFrame:
    """NRW period life expectancy at birth by sex (IT.NRW, quoted), one row per period.

    Returns ``period, year_mid, sex, e0, source_url`` sorted by period; ``year_mid`` is the
    middle year of the three-year period (e.g. 2021/2023 -> 2022).
    """
    t = _nrw_fertility_mortality()
    t = t[(t.area == "NRW") & (t.measure == "e0")]
    start = t.period.str.slice(0, 4).astype(int)
    out = pd.DataFrame(
        {
            "period": t.period,
            "year_mid": start + 1,
            "sex": t.sex,
            "e0": t.value,
            "source_url": t.source_url,
            "publisher": t.publisher,
        }
    )
    return out.drop_duplicates(["period", "sex"]).sort_values(["sex", "year_mid"]).reset_index(drop=True)


def nrw_tfr() -> pd.DataFrame:
    """NRW total fertility rate, all women (IT.NRW, quoted), one value per year.

    The source also lists TFR by nationality; those rows carry a ``note`` and are excluded
    here. Returns ``year, tfr, source_url, note, publisher``.
    """
    t = _nrw_fertility_mortality()
    t = t[(t.area == "NRW") & (t.measure == "TFR") & t.note.fillna("").str.startswith("all women")].copy()
    t["year"] = t.period.astype(int)
    t = t[["year", "value", "source_url", "note", "publisher"]].rename(columns={"value": "tfr"})
    return t.drop_duplicates("year").sort_values("year").reset_index(drop=True)


@functools.cache
def _geojson(name: str) -> str:
    verify_raw_file(RAW_DIR, f"geo/{name}")
    return raw_path(f"geo/{name}").read_text(encoding="utf-8")


def municipal_boundaries(*, nrw: bool = False) -> dict:
    """Municipal polygons (VG250 © GeoBasis-DE / BKG, dl-de/by-2-0), WGS84 GeoJSON dict.

    ``nrw=True`` returns all 396 NRW municipalities, else the 15 of Kreis Düren.
    """
    name = (
        "nrw_gemeinden_vg250_simplified_wgs84.geojson"
        if nrw
        else "kreis_dueren_gemeinden_vg250_simplified_wgs84.geojson"
    )
    return json.loads(_geojson(name))


# --------------------------------------------------------------------------- series used by the model

#: BBSR Kreis totals 1990–2020 (with other sources) — the Kreis growth series of the drivers.
KREIS_BBSR_SERIES_FILE = "consolidated/kreis_dueren_total_population_series.csv"
#: Figures quoted from publications (press releases, reports): population totals and projections.
PAGES_TOTALS_FILE = "figures/population_totals_from_pages.csv"
PAGES_PROJECTIONS_FILE = "figures/projections_from_pages.csv"


@functools.cache
def _kreis_bbsr_series() -> pd.Series:
    """BBSR Kreis Düren totals at 31 Dec 1990–2020 (persons, rounded to 100)."""
    f = KREIS_BBSR_SERIES_FILE
    k = _read_csv(f, dtype={"ags": str})
    rows = k[k.source.str.startswith("BBSR ref-kreise")]
    problems = []
    for i, r in rows.iterrows():
        if r.ags != KREIS_AGS:
            problems.append(problem(f, int(i) + 2, "ags", KREIS_AGS, r.ags))
        if not str(r.ref_date).endswith("-12-31"):
            problems.append(problem(f, int(i) + 2, "ref_date", "ein 31. Dezember", r.ref_date))
        if not (pd.notna(r.pop_total) and r.pop_total > 0):
            problems.append(problem(f, int(i) + 2, "pop_total", "eine positive Zahl", r.pop_total))
    years = rows.ref_date.str.slice(0, 4).astype(int)
    if years.duplicated().any() or len(rows) == 0:
        problems.append(problem(f, None, "ref_date", "ein BBSR-Wert je Jahr", f"{len(rows)} Zeilen"))
    if problems:
        raise DataFormatError(problems)
    s = pd.Series(rows.pop_total.to_numpy(float), index=years.to_numpy(), name="population")
    expected = range(int(s.index.min()), int(s.index.max()) + 1)
    if list(s.index) != list(expected):
        raise DataFormatError(problem(f, None, "ref_date", "lückenlose Jahre", sorted(s.index)))
    return s


def kreis_bbsr_series() -> pd.Series:
    """BBSR Kreis Düren totals at 31 Dec 1990–2020 (persons, rounded to 100), index = year.

    Validated: Kreis key, 31 December, positive values, one value per year, no gaps (all
    problems at once, naming file and row).
    """
    return _kreis_bbsr_series().copy()


@functools.cache
def _pages_totals() -> pd.DataFrame:
    return _read_csv(PAGES_TOTALS_FILE, dtype={"ags": str})


def population_figures_from_pages() -> pd.DataFrame:
    """Population figures quoted from publications (``figures/population_totals_from_pages.csv``).

    Columns as in the file: ``ags, name, measure, ref_date, value, …`` (e.g. ``population``,
    ``population_pre_census``, ``population_pre_census_implied``); a copy.
    """
    return _pages_totals().copy()


@functools.cache
def _pages_projections() -> pd.DataFrame:
    return _read_csv(PAGES_PROJECTIONS_FILE, dtype={"ags": str, "target_year": str})


def projections_from_pages() -> pd.DataFrame:
    """Official projections quoted from publications (``figures/projections_from_pages.csv``);
    ``target_year`` is text (it may be a range); a copy."""
    return _pages_projections().copy()
