"""GENESIS export loaders: real-figure samples in every format, and malformed variants.

The samples in tests/data/ carry the official Kreis Düren figures (see tests/data/README.md);
the malformed variants are derived from them here, so each test names the exact row/column
that must be reported.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dashboard.constants import OPEN_AGE
from dashboard.data import kreis_age_groups, vital_events
from dashboard.data.errors import DataFormatError
from dashboard.data.genesis import load_genesis

DATA = Path(__file__).parent / "data"
FLAT_POP = DATA / "12411-02-03-4_kreis_dueren_2021-2024_de_flat.csv"
FLAT_BIRTHS = DATA / "12612-01-01-4_kreis_dueren_2020-2024_de_flat.csv"
FLAT_DEATHS = DATA / "12613-01-01-4_kreis_dueren_2020-2024_de_flat.csv"
WIDE_LATIN1 = DATA / "12411-02-03-4_kreis_dueren_2024_tabelle_latin1.csv"
LONG_UTF8 = DATA / "12411-02-03-4_kreis_dueren_2021-2024_werte_utf8.csv"
MIGRATION = DATA / "12711-01-03-4_kreis_dueren_2020-2024_tabelle_utf8.csv"
XLSX = DATA / "12411-02-03-4_kreis_dueren_2024.xlsx"
SYNTH = DATA / "synthetic_12411-02-03-5_kreis_dueren_gemeinden_2024.csv"
POP_SAMPLES = [FLAT_POP, WIDE_LATIN1, LONG_UTF8, XLSX]


def _pop(df: pd.DataFrame, date: str, sex: str, label: str) -> int:
    hit = df[(df.reference_date == date) & (df.sex == sex) & (df.age_group_label == label)]
    assert len(hit) == 1
    return int(hit.population.iloc[0])


# --- real-figure samples ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, fmt", [(FLAT_POP, "ffcsv"), (WIDE_LATIN1, "csv"), (LONG_UTF8, "csv"), (XLSX, "xlsx")]
)
def test_population_samples_give_the_official_kreis_figures(path, fmt):
    t = load_genesis(path)
    assert (t.kind, t.table_code, t.format, t.usable) == ("population", "12411-02-03-4", fmt, True)
    d = t.data
    assert set(d.ags) == {"05358"} and set(d.level) == {"kreis"}
    assert set(d.region_name) == {"Düren, Kreis"}
    # 31.12.2024 (Zensus 2022 basis): 279,285 = 139,089 men + 140,196 women.
    assert _pop(d, "2024-12-31", "total", "Insgesamt") == 279_285
    assert _pop(d, "2024-12-31", "male", "Insgesamt") == 139_089
    assert _pop(d, "2024-12-31", "female", "Insgesamt") == 140_196
    assert _pop(d, "2024-12-31", "female", "75 Jahre und mehr") == 16_793
    assert set(d[d.year == 2024].basis) == {"Zensus 2022"}
    assert d.population.dtype == "Int64" and not d.population.isna().any()
    # identities: m + f = total per age group; 17 groups sum to the total per sex
    w = d.pivot_table(index=["reference_date", "age_group"], columns="sex", values="population")
    assert (w.male + w.female == w.total).all()
    groups = d[d.age_group != "total"].groupby(["reference_date", "sex"]).population.sum()
    totals = d[d.age_group == "total"].set_index(["reference_date", "sex"]).population
    assert (groups == totals.loc[groups.index]).all()
    assert (d.groupby(["reference_date", "sex"]).size() == 18).all()
    top = d[d.age_group_label == "75 Jahre und mehr"]
    assert set(zip(top.age_min, top.age_max, top.age_group)) == {(75, OPEN_AGE, "75+")}
    assert t.licence == "dl-de/by-2-0"


def test_population_samples_agree_with_the_embedded_official_table():
    ref = kreis_age_groups()
    ref = ref[ref.year >= 2021]
    expected = {
        (int(y), s, str(a)): int(v) for y, s, a, v in zip(ref.year, ref.sex, ref.age_group, ref.population)
    }
    d = load_genesis(LONG_UTF8).data
    d = d[(d.sex != "total") & (d.age_group != "total")]
    got = {(int(y), s, a): int(v) for y, s, a, v in zip(d.year, d.sex, d.age_group, d.population)}
    assert len(got) == 4 * 2 * 17
    assert got == expected


def test_all_population_formats_give_identical_tidy_values():
    frames = []
    for p in POP_SAMPLES:
        d = load_genesis(p).data
        frames.append(d[d.year == 2024].set_index(["sex", "age_group"]).population.sort_index())
    for other in frames[1:]:
        pd.testing.assert_series_equal(frames[0], other)


def test_event_samples_births_deaths_migration():
    births = load_genesis(FLAT_BIRTHS)
    deaths = load_genesis(FLAT_DEATHS)
    mig = load_genesis(MIGRATION)
    assert (births.kind, births.table_code, births.format) == ("events", "12612-01-01-4", "ffcsv")
    b = births.data.set_index(["year", "sex"]).value
    assert (b.loc[2024, "total"], b.loc[2024, "male"], b.loc[2024, "female"]) == (2377, 1225, 1152)
    d = deaths.data
    assert set(d.quality) == {"e"}  # quality flag column "__q" kept
    assert d[(d.year == 2022) & (d.sex == "total")].value.iloc[0] == 3657
    assert mig.table_code == "12711-01-03-4"
    m = mig.data
    tot = m[(m.sex == "total") & (m.age_group == "total")].pivot(
        index="year", columns="event", values="value"
    )
    net = (tot.in_migration - tot.out_migration).tolist()
    assert net == [1365, 2323, 5178, 2914, 1898]  # quick reference of the official data README
    assert set(m.age_group) == {"0-17", "18-24", "25-29", "30-49", "50-64", "65+", "total"}
    # agrees with the embedded official table, cell by cell
    ref = vital_events()
    expected = {
        (int(y), e, s, str(a)): int(v)
        for y, e, s, a, v in zip(ref.year, ref.event, ref.sex, ref.age_group, ref.value)
    }
    n = 0
    for t in (births, deaths, mig):
        for y, e, s, a, v in zip(t.data.year, t.data.event, t.data.sex, t.data.age_group, t.data.value):
            assert expected[(int(y), e, s, a)] == int(v)
            n += 1
    assert n == len(expected) == 15 + 15 + 210


def test_genesis_online_12411_0018_layout():
    t = load_genesis(DATA / "12411-0018_kreis_dueren_2015-2020_genesis-online.csv")
    assert (t.table_code, t.kind, t.usable) == ("12411-0018", "population", True)
    assert t.publisher == "Statistisches Bundesamt (Destatis)"
    d = t.data
    assert set(d.sex) == {"female", "male"} and "total" not in set(d.age_group)  # no totals published
    totals = d.groupby("year").population.sum()
    # quick reference of the official data README (31.12.2015–2020, Zensus-2011 basis)
    assert totals.tolist() == [262_828, 262_072, 262_889, 263_722, 264_638, 265_140]
    assert set(d.basis) == {"Zensus 2011"}
    ref = kreis_age_groups()
    ref = ref[ref.year <= 2020]
    expected = {
        (int(y), s, str(a)): int(v) for y, s, a, v in zip(ref.year, ref.sex, ref.age_group, ref.population)
    }
    got = {(int(y), s, a): int(v) for y, s, a, v in zip(d.year, d.sex, d.age_group, d.population)}
    assert got == expected


def test_synthetic_municipal_sample_is_marked_and_consistent():
    t = load_genesis(SYNTH)
    assert t.table_code == "12411-02-03-5"
    assert "SYNTHETISCHE" in t.title
    d = t.data
    assert set(d.level) == {"kreis", "gemeinde"}
    assert d[d.level == "gemeinde"].ags.nunique() == 15
    # Kreis row = sum of its municipalities, cell by cell
    key = ["sex", "age_group"]
    k = d[d.level == "kreis"].set_index(key).population
    g = d[d.level == "gemeinde"].groupby(key).population.sum()
    assert (k.sort_index() == g.sort_index()).all()


def test_explicit_format_and_table_overrides(tmp_path):
    anon = tmp_path / "download.csv"
    anon.write_bytes(FLAT_POP.read_bytes())
    t = load_genesis(anon)  # no code in the name: inferred from statistic 12411 + KREISE + ALTX20
    assert t.table_code == "12411-02-03-4"
    t2 = load_genesis(anon, format="ffcsv", table="12411-0018")
    assert t2.table_code == "12411-0018"
    with pytest.raises(DataFormatError, match="unterstützter Tabellencode"):
        load_genesis(anon, table="99999-99")


def test_zipped_ffcsv_is_read(tmp_path):
    z = tmp_path / "12612-01-01-4_de_flat.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.write(FLAT_BIRTHS, "12612-01-01-4_1749623963823_de_flat.csv")
    t = load_genesis(z)
    assert t.table_code == "12612-01-01-4" and len(t.data) == 15


# --- malformed variants -----------------------------------------------------------------------


def _lines(path: Path, enc: str = "utf-8") -> list[str]:
    return path.read_bytes().decode(enc).split("\n")


def _write(tmp_path: Path, name: str, lines: list[str], enc: str = "utf-8") -> Path:
    p = tmp_path / name
    p.write_bytes("\n".join(lines).encode(enc))
    return p


def _problems(path: Path, **kw):
    with pytest.raises(DataFormatError) as exc:
        load_genesis(path, **kw)
    return exc.value.problems


def test_wrong_encoding_names_the_line(tmp_path):
    raw = WIDE_LATIN1.read_bytes().split(b"\n")
    raw[10] = raw[10].replace(b"05358;", b"05358\x81;", 1)  # 0x81: neither UTF-8 nor cp1252
    p = tmp_path / "12411-02-03-4_bad.csv"
    p.write_bytes(b"\n".join(raw))
    probs = _problems(p)
    assert [(x.row, "0x81" in x.found) for x in probs] == [(11, True)]
    assert "UTF-8" in probs[0].expected


def test_utf16_file_is_rejected(tmp_path):
    p = tmp_path / "12411-02-03-4_utf16.csv"
    p.write_bytes(LONG_UTF8.read_text(encoding="utf-8").encode("utf-16"))
    probs = _problems(p)
    assert "Null-Bytes" in probs[0].found


def test_placeholders_are_counted_and_make_the_table_unusable(tmp_path):
    lines = _lines(LONG_UTF8)
    i = next(k for k, ln in enumerate(lines) if ln.startswith("31.12.2024;05358;Düren, Kreis;unter 3 Jahre"))
    lines[i] = "31.12.2024;05358;Düren, Kreis;unter 3 Jahre;.;x;/"
    t = load_genesis(_write(tmp_path, "12411-02-03-4_geheim.csv", lines))
    assert not t.usable
    assert t.placeholder_counts == {".": 1, "x": 1, "/": 1}
    assert any("1 Zelle(n) '.'" in n and "fehlend" in n for n in t.notes)
    row = t.data[(t.data.year == 2024) & (t.data.age_group == "0-2")]
    assert row.population.isna().all() and set(row.quality) == {".", "x", "/"}
    assert any("nicht verwendbar" in n for n in t.notes)


def test_dash_means_zero_and_is_reported(tmp_path):
    lines = _lines(FLAT_BIRTHS)
    # 2024: total 2377 = 1225 men + 1152 women; replace women by '-' and the total by the men
    out = []
    for ln in lines:
        if ";2024;" in ln and ";GESW;" in ln:
            ln = ln.rsplit(";", 1)[0] + ";-"
        elif ";2024;" in ln and ";;Insgesamt;" in ln:
            ln = ln.rsplit(";", 1)[0] + ";1225"
        out.append(ln)
    t = load_genesis(_write(tmp_path, "12612-01-01-4_de_flat.csv", out))
    assert t.usable and t.placeholder_counts == {"-": 1}
    assert any("'-'" in n and "als 0" in n for n in t.notes)
    v = t.data.set_index(["year", "sex"]).value
    assert v.loc[2024, "female"] == 0


def test_footer_missing_means_truncated(tmp_path):
    lines = _lines(WIDE_LATIN1, "cp1252")
    cut = lines[: next(k for k, ln in enumerate(lines) if ln.startswith("_____"))]
    probs = _problems(_write(tmp_path, "12411-02-03-4_cut.csv", cut, "cp1252"))
    assert len(probs) == 1 and probs[0].row == 11 and "abgeschnitten" in probs[0].found


def test_truncated_mid_row_is_reported(tmp_path):
    text = LONG_UTF8.read_text(encoding="utf-8")
    p = tmp_path / "12411-02-03-4_half.csv"
    p.write_text(text[: text.index("31.12.2023;05358;Düren, Kreis;unter 3 Jahre") + 50], encoding="utf-8")
    probs = _problems(p)
    assert any("abgeschnitten" in x.found for x in probs)


def test_truncated_ffcsv_last_line(tmp_path):
    data = FLAT_POP.read_bytes()
    p = tmp_path / "12411-02-03-4_de_flat.csv"
    p.write_bytes(data[: len(data) - 40])
    probs = _problems(p)
    assert probs[-1].row == 217 and "abgeschnitten" in probs[-1].found


def test_missing_ffcsv_column(tmp_path):
    lines = _lines(FLAT_POP)
    cut = [";".join(ln.split(";")[:17] + ln.split(";")[18:]) if ln else ln for ln in lines]  # drop "value"
    probs = _problems(_write(tmp_path, "12411-02-03-4_de_flat.csv", cut))
    assert [(x.row, x.column, x.found) for x in probs] == [(1, "value", "fehlt")]


def test_unknown_layout(tmp_path):
    p = _write(tmp_path, "12411-02-03-4_other.csv", ["Region;Wert", "Düren;1", "Jülich;2"])
    probs = _problems(p)
    assert "Datenzeilen" in probs[0].expected


def test_duplicate_key_names_both_rows(tmp_path):
    lines = _lines(FLAT_POP)
    lines.insert(5, lines[3])
    probs = _problems(_write(tmp_path, "12411-02-03-4_de_flat.csv", lines))
    assert [(x.row, x.column) for x in probs] == [(6, "value")]
    assert "schon in Zeile 4" in probs[0].expected


def test_negative_and_non_numeric_cells_all_reported(tmp_path):
    lines = _lines(LONG_UTF8)
    i = next(k for k, ln in enumerate(lines) if ln.startswith("31.12.2022;05358;Düren, Kreis;3 bis unter 6"))
    lines[i] = "31.12.2022;05358;Düren, Kreis;3 bis unter 6 Jahre;8251;-4322;3929"
    lines[i + 1] = "31.12.2022;05358;Düren, Kreis;6 bis unter 10 Jahre;10402;5352;50a0"
    lines[i + 2] = "31.12.2022;05358;Düren, Kreis;10 bis unter 15 Jahre;12.536;6554;5982"
    probs = _problems(_write(tmp_path, "12411-02-03-4_bad.csv", lines))
    got = {(x.row, x.column[0], x.found) for x in probs}
    assert got == {(i + 1, "F", "-4322"), (i + 2, "G", "'50a0'"), (i + 3, "E", "'12.536'")}
    assert any("≥ 0" in x.expected for x in probs)


def test_unknown_age_label_in_header(tmp_path):
    lines = _lines(WIDE_LATIN1, "cp1252")
    lines[9] = lines[9].replace("unter 3 Jahre;", "unter 4 Jahre;", 1)
    probs = _problems(_write(tmp_path, "12411-02-03-4_age.csv", lines, "cp1252"))
    assert [(x.row, x.column.split()[0], x.found) for x in probs] == [(10, "C", "'unter 4 Jahre'")]


def test_unknown_age_label_in_rows(tmp_path):
    lines = _lines(LONG_UTF8)
    i = next(k for k, ln in enumerate(lines) if "18 bis unter 20 Jahre" in ln)
    lines[i] = lines[i].replace("18 bis unter 20 Jahre", "18 bis 20 Jahre")
    probs = _problems(_write(tmp_path, "12411-02-03-4_age.csv", lines))
    assert [(x.row, x.column, x.found) for x in probs] == [(i + 1, "D", "'18 bis 20 Jahre'")]


def test_malformed_ags_hints_at_lost_leading_zero(tmp_path):
    wb = openpyxl.load_workbook(XLSX)
    ws = wb.active
    ws["A11"] = 5358  # Excel turned "05358" into a number
    p = tmp_path / "12411-02-03-4_ags.xlsx"
    wb.save(p)
    probs = _problems(p)
    assert {(x.row, x.column, x.sheet) for x in probs} == {(11, "AGS", "12411-02-03-4")}
    assert "führende Null" in probs[0].found


def test_xlsx_date_cells_and_numbers_as_text(tmp_path):
    import datetime

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in [line.split(";") for line in _lines(LONG_UTF8)]:
        if len(row) == 7 and row[1] == "05358":
            d, m, y = (int(x) for x in row[0].split("."))
            row = [datetime.datetime(y, m, d), row[1], row[2], row[3]] + [int(x) for x in row[4:]]
        ws.append([x if x != "" else None for x in row])
    p = tmp_path / "12411-02-03-4_dates.xlsx"
    wb.save(p)
    t = load_genesis(p)
    assert t.format == "xlsx" and sorted(t.data.year.unique()) == [2021, 2022, 2023, 2024]
    assert _pop(t.data, "2021-12-31", "total", "Insgesamt") == 266_771


def test_inconsistent_sex_total_names_the_total_cell(tmp_path):
    lines = _lines(LONG_UTF8)
    i = next(k for k, ln in enumerate(lines) if ln.startswith("31.12.2024;05358;Düren, Kreis;Insgesamt"))
    lines[i] = "31.12.2024;05358;Düren, Kreis;Insgesamt;279285;139089;140197"
    probs = _problems(_write(tmp_path, "12411-02-03-4_sum.csv", lines))
    # women's total no longer equals the sum of women's age groups, and m + f != total
    assert {(x.row, x.column) for x in probs} == {(i + 1, "E (Insgesamt)"), (i + 1, "G (weiblich)")}
    assert any("männlich + weiblich" in x.expected and x.found == "279285" for x in probs)
    assert any("Summe der Altersgruppen (140196)" in x.expected for x in probs)


def test_inconsistent_age_sum_in_wide_layout(tmp_path):
    lines = _lines(WIDE_LATIN1, "cp1252")
    cells = lines[10].split(";")
    cells[2] = str(int(cells[2]) + 1)  # total "unter 3 Jahre" +1: breaks both identities
    lines[10] = ";".join(cells)
    probs = _problems(_write(tmp_path, "12411-02-03-4_sum.csv", lines, "cp1252"))
    assert {(x.row, x.column.split()[0]) for x in probs} == {(11, "C"), (11, "T")}


def test_empty_and_blank_files(tmp_path):
    for content in (b"", b"\n\n  \n"):
        p = tmp_path / "12411-02-03-4_empty.csv"
        p.write_bytes(content)
        probs = _problems(p)
        assert "leer" in probs[0].found


def test_zip_bomb_is_rejected_before_parsing(tmp_path):
    p = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (30 * 2**20))
    probs = _problems(p)
    assert any("ZIP-Bombe" in x.found for x in probs)


def test_broken_xlsx_is_a_data_format_error(tmp_path):
    p = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("xl/workbook.xml", "<not-a-workbook/>")
    probs = _problems(p)
    assert "XLSX" in probs[0].expected


def test_xml_entities_in_xlsx_are_refused(tmp_path):
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML  # defusedxml installed: openpyxl refuses DTD/entity tricks
    p = tmp_path / "12411-02-03-4_entities.xlsx"
    with zipfile.ZipFile(XLSX) as zin, zipfile.ZipFile(p, "w") as zout:
        for name in zin.namelist():
            data = zin.read(name)
            if name == "xl/worksheets/sheet1.xml":
                text = data.decode()
                text = (
                    '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    + text.replace("<t>GENESIS-Tabelle", "<t>&b;GENESIS-Tabelle", 1)
                )
                data = text.encode()
            zout.writestr(name, data)
    probs = _problems(p)
    assert "XLSX" in probs[0].expected


# --- properties -------------------------------------------------------------------------------

TEXT_SAMPLES = [
    FLAT_POP,
    FLAT_DEATHS,
    WIDE_LATIN1,
    LONG_UTF8,
    MIGRATION,
    DATA / "12411-0018_kreis_dueren_2015-2020_genesis-online.csv",
]


def _load_or_error(path: Path) -> None:
    try:
        t = load_genesis(path)
    except DataFormatError as exc:
        assert exc.problems
        return
    assert not t.data.empty
    assert set(t.data.sex) <= {"female", "male", "total"}


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.sampled_from(TEXT_SAMPLES), frac=st.floats(0.0, 1.0))
def test_random_truncation_gives_table_or_format_error(tmp_path, which, frac):
    data = which.read_bytes()
    p = tmp_path / which.name
    p.write_bytes(data[: int(len(data) * frac)])
    _load_or_error(p)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.sampled_from(TEXT_SAMPLES),
    pos=st.floats(0.0, 0.999),
    junk=st.sampled_from([";", "\n", '"', "x", "-", ".", "0", "-1", "ä", "\x00", "__________"]),
)
def test_random_cell_corruption_gives_table_or_format_error(tmp_path, which, pos, junk):
    enc = "cp1252" if ("latin1" in which.name or "genesis-online" in which.name) else "utf-8"
    text = which.read_bytes().decode(enc)
    k = int(len(text) * pos)
    p = tmp_path / which.name
    p.write_bytes((text[:k] + junk + text[k + 1 :]).encode("utf-8", errors="replace"))
    _load_or_error(p)


def test_blank_repeated_keys_and_dates_in_header_rows(tmp_path):
    """Variants of the table grammar: keys printed only on a region's first row; the Stichtag
    as an extra header row above the sex row (two dates side by side)."""
    lines = _lines(LONG_UTF8)
    blanked, seen = [], set()
    for ln in lines:
        c = ln.split(";")
        if len(c) == 7 and c[1] == "05358":
            key = c[0]
            if key in seen:
                c[0] = c[1] = c[2] = ""
            seen.add(key)
        blanked.append(";".join(c))
    a = load_genesis(_write(tmp_path, "12411-02-03-4_blank.csv", blanked)).data
    b = load_genesis(LONG_UTF8).data
    assert a[["reference_date", "sex", "age_group", "population"]].equals(
        b[["reference_date", "sex", "age_group", "population"]]
    )

    d = b.set_index(["reference_date", "sex", "age_group_label"]).population
    dates = ["2023-12-31", "2024-12-31"]
    labels = list(b.age_group_label.unique())
    rows = [
        "GENESIS-Tabelle: 12411-02-03-4",
        "Bevölkerung nach Geschlecht und Altersgruppen (17)",
        ";;;" + ";".join(f"31.12.{y[:4]}" for y in dates for _ in range(3)),
        ";;;" + ";".join(["Insgesamt", "männlich", "weiblich"] * 2),
    ]
    for lab in labels:
        vals = [str(d.loc[(y, s, lab)]) for y in dates for s in ("total", "male", "female")]
        rows.append(f"05358;Düren, Kreis;{lab};" + ";".join(vals))
    rows += ["__________", "Stand: Beispiel"]
    c = load_genesis(_write(tmp_path, "12411-02-03-4_two_dates.csv", rows)).data
    assert sorted(c.reference_date.unique()) == dates
    got = c.set_index(["reference_date", "sex", "age_group_label"]).population.sort_index()
    assert got.equals(d.loc[dates].sort_index())


def test_ffcsv_unknown_age_attribute_and_variable(tmp_path):
    lines = _lines(FLAT_POP)
    lines[2] = lines[2].replace(";ALT003B06;3 bis unter 6 Jahre;", ";ALT003B07;3 bis unter 7 Jahre;")
    lines[3] = lines[3].replace(";GES;Geschlecht;", ";NAT;Nationalität;")
    probs = _problems(_write(tmp_path, "12411-02-03-4_de_flat.csv", lines))
    assert [(x.row, x.column, x.found) for x in probs] == [
        (3, "3_variable_attribute_label", "'3 bis unter 7 Jahre'"),
        (4, "2_variable_code", "'NAT'"),
    ]


def test_refused_files_are_named_in_plain_german(tmp_path):
    """Issue 17.7: a described finding is shown as it is (no Python quotes), a fake .xlsx is
    "keine Excel-Datei", and the count reads "1 Problem" / "n Probleme"."""
    from dashboard.data.errors import DataFormatError, problem
    from dashboard.data.genesis import load_genesis

    (tmp_path / "leer.csv").write_bytes(b"")
    (tmp_path / "tabelle.xlsx").write_bytes(b"AGS;Wert\n05358012;1\n")
    with pytest.raises(DataFormatError) as empty:
        load_genesis(tmp_path / "leer.csv")
    assert str(empty.value).startswith("1 Problem in den Eingabedaten")
    assert "gefunden leere Datei (0 Byte)" in str(empty.value) and "'" not in str(empty.value)
    with pytest.raises(DataFormatError) as fake:
        load_genesis(tmp_path / "tabelle.xlsx")
    assert "erwartet eine Excel-Arbeitsmappe (XLSX), gefunden keine Excel-Datei" in str(fake.value)
    assert "unbekanntes Layout" not in str(fake.value)
    two = DataFormatError([problem("f.csv", 2, "x", "eine Zahl", "1x")] * 2)
    assert str(two).startswith("2 Probleme") and "gefunden '1x'" in str(two)  # values stay quoted
