"""Official Zensus 2022 age classes, IT.NRW municipal totals and Kreis single ages of 2024.

The expected figures are quoted from the published tables (IT.NRW 12411-15i, 12411-09i,
Zensus 2022 Regionaltabelle) as also cited in issue 11 and ``data/README.md``.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from dashboard.cli import main
from dashboard.constants import AGE_GROUPS_17, AGS_LIST, KREIS_AGS, OPEN_AGE
from dashboard.data import (
    check,
    embedded,
    itnrw_kreis_age_groups,
    kreis_age_groups,
    official,
    official_kreis_single_ages,
    official_municipal_totals,
    zensus2022_age_classes,
    zensus2022_municipal,
    zensus2022_sex_totals,
)
from dashboard.data.integrity import recorded_hashes, verify_raw_file

NEW_FILES = [
    official.ZENSUS22_AGE11_FILE,
    official.MUNICIPAL_TOTALS_2024_FILE,
    official.KREIS_SINGLE_AGES_2024_FILE,
]
PROVENANCE = ["basis", "table", "publisher", "licence", "source", "origin"]


def test_new_raw_files_are_hashed_and_verified() -> None:
    sums = recorded_hashes(embedded.RAW_DIR)
    for f in NEW_FILES:
        assert f in sums
        verify_raw_file(embedded.RAW_DIR, f)  # raises if the content differs


def test_zensus2022_age_classes_contract_and_perturbation() -> None:
    z = zensus2022_age_classes()
    assert len(z) == 15 * 11 and list(z.ags.unique()) == list(AGS_LIST)
    assert list(z.age_class.cat.categories) == list(official.ZENSUS22_AGE_CLASSES)
    assert (z.population >= 0).all() and not z.estimated.any()
    assert z[PROVENANCE].notna().all().all() and (z.basis == "Zensus 2022").all()
    assert (z.reference_date == pd.Timestamp("2022-05-15")).all()
    per = z.groupby("ags").agg(s=("population", "sum"), t=("municipal_total", "first"))
    assert (per.s - per.t).abs().max() <= official.ZENSUS_MAX_PERTURBATION
    # the municipal totals are the 1000A-0000 census results
    zm = zensus2022_municipal().set_index("ags").population
    assert per.t.to_dict() == zm.to_dict() and per.t.sum() == 275_392
    # classes are contiguous 0 … OPEN_AGE
    b = z[z.ags == AGS_LIST[0]].sort_values("age_min")
    assert b.age_min.iloc[0] == 0 and b.age_max.iloc[-1] == OPEN_AGE
    assert (b.age_min.to_numpy()[1:] == b.age_max.to_numpy()[:-1] + 1).all()
    # a published cell, Heimbach 75+ (Regionaltabelle Demografie)
    assert z[(z.ags == "05358012") & (z.age_class == "75+")].population.item() == 546
    k = zensus2022_age_classes(include_kreis=True)
    assert len(k) == 16 * 11 and (k.ags == KREIS_AGS).sum() == 11


def test_zensus2022_sex_totals() -> None:
    s = zensus2022_sex_totals()
    assert len(s) == 15 and not s.estimated.any()
    assert ((s.female + s.male - s.total).abs() <= official.ZENSUS_MAX_PERTURBATION).all()


def test_official_municipal_totals_2024_sum_to_the_kreis_table() -> None:
    t = official_municipal_totals()
    assert list(t.ags) == list(AGS_LIST) and not t.estimated.any()
    assert t[PROVENANCE].notna().all().all() and (t.table == "12411-15i").all()
    quoted = {"05358008": 94_568, "05358012": 4_487, "05358052": 12_131}  # issue 11
    assert {a: int(t.set_index("ags").population[a]) for a in quoted} == quoted
    k = kreis_age_groups()
    assert t.population.sum() == k[k.year == 2024].population.sum() == 279_285
    assert official_municipal_totals(include_kreis=True).set_index("ags").population[KREIS_AGS] == 279_285


def test_official_kreis_single_ages_sum_to_the_17_groups_of_both_sexes() -> None:
    a = official_kreis_single_ages()
    assert list(a.age) == list(range(91)) and a.open_ended.tolist() == [False] * 90 + [True]
    assert a.age_max.iloc[-1] == OPEN_AGE and not a.estimated.any()
    assert a[PROVENANCE].notna().all().all() and (a.table == "12411-09i").all()
    assert a.population.sum() == 279_285
    assert a.set_index("age").population[[79, 90]].tolist() == [1_469, 2_624]
    k = kreis_age_groups()
    k24 = k[k.year == 2024].groupby("age_group", observed=True).population.sum()
    single = a.population.to_numpy()
    for g, (lo, hi) in AGE_GROUPS_17.items():
        assert single[lo : min(hi, 90) + 1].sum() == k24[g], g


def test_itnrw_groups_agree_with_single_ages_and_the_2023_table_by_sex() -> None:
    g = itnrw_kreis_age_groups()
    single = official_kreis_single_ages().population.to_numpy()
    g18 = g[(g.year == 2024) & (g.age_min >= 0)]
    assert len(g18) == 18
    for r in g18.itertuples():
        assert single[r.age_min : min(r.age_max, 90) + 1].sum() == r.population
    k = kreis_age_groups()
    k23 = k[k.year == 2023].set_index(["sex", "age_group"]).population
    by_sex = g[(g.year == 2023) & (g.sex != "total") & (g.age_min >= 0)]
    assert len(by_sex) == 8
    for r in by_sex.itertuples():
        label = next(lab for lab, b in AGE_GROUPS_17.items() if b == (r.age_min, r.age_max))
        assert k23[(r.sex, label)] == r.population


@pytest.mark.parametrize(
    ("text", "bounds"),
    [
        ("unter 1 Jahr", (0, 0)),
        ("unter 3 Jahre", (0, 2)),
        ("3 bis unter 6 Jahre", (3, 5)),
        ("89 bis unter 90 Jahre", (89, 89)),
        ("90 Jahre und mehr", (90, OPEN_AGE)),
        ("6 bis unter 3 Jahre", None),
        ("ab 90", None),
    ],
)
def test_age_labels_are_parsed(text: str, bounds: tuple[int, int] | None) -> None:
    assert official._age_bounds(text) == bounds


def test_the_shipped_files_have_no_content_problems() -> None:
    assert official.validate_official_files() == []


@pytest.fixture
def raw_copy(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(embedded.RAW_DIR, raw)
    return raw


def _replace_line(path: Path, lineno: int, old: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    assert old in lines[lineno - 1]
    lines[lineno - 1] = lines[lineno - 1].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_damaged_single_age_file_fails_the_data_check_with_file_row_expected_found(
    raw_copy: Path, capsys: pytest.CaptureFixture
) -> None:
    f = raw_copy / official.KREIS_SINGLE_AGES_2024_FILE
    _replace_line(f, 82, ",insgesamt,1469,", ",insgesamt,1496,")  # age 79, digits swapped
    results = {r.name_en: r for r in check.check_results(raw_copy)}
    raw = results["raw files (hashes)"]
    assert not raw.ok and official.KREIS_SINGLE_AGES_2024_FILE in raw.detail and "verändert" in raw.detail
    content = results["Zensus 2022 age classes, municipal totals and single ages 2024 (content)"]
    assert not content.ok
    d = content.detail
    name = Path(official.KREIS_SINGLE_AGES_2024_FILE).as_posix()
    # the total row (line 2) no longer equals the sum of the single ages, and the 18-group
    # row 75+ no longer equals its single ages: file, row, expected and found are named
    assert f"{name}, Zeile 2, Spalte 'persons': erwartet Summe der Altersgruppen 279312, gefunden 279285" in d
    assert "Zeile 112, Spalte 'persons': erwartet Summe der Einzelalter 75…90+ = 28938, gefunden 28911" in d
    assert main(["data", "check", "--raw-dir", str(raw_copy)]) == 1
    assert "FEHLER" in capsys.readouterr().out


def test_damaged_cells_are_named_with_their_row(raw_copy: Path) -> None:
    z = raw_copy / official.ZENSUS22_AGE11_FILE
    _replace_line(z, 5, ",4482,2225,2256,", ",4482,2225,22x6,")  # Heimbach female
    t = raw_copy / official.MUNICIPAL_TOTALS_2024_FILE
    _replace_line(t, 5, ",4487,", ",4478,")  # Heimbach 2024
    problems = [str(p) for p in official.validate_official_files(raw_copy)]
    assert (
        f"{official.ZENSUS22_AGE11_FILE}, Zeile 5, Spalte 'female': erwartet eine ganze Zahl ≥ 0, gefunden '22x6'"
        in problems
    )
    assert any(
        p.startswith(f"{official.MUNICIPAL_TOTALS_2024_FILE}, Zeile 2, Spalte 'population'")
        and "erwartet Summe der 15 Gemeinden 279276" in p
        for p in problems
    )


def test_perturbation_beyond_seven_persons_is_refused(raw_copy: Path) -> None:
    z = raw_copy / official.ZENSUS22_AGE11_FILE
    # Heimbach 75+ 546 -> 556 (and the stated sums with it): classes now exceed the total by 11
    _replace_line(z, 5, ",470,546,4483,1,", ",470,556,4493,11,")
    problems = [p for p in official.validate_official_files(raw_copy) if p.column == "total"]
    assert problems and problems[0].row == 5 and "± 7" in problems[0].expected


def test_missing_municipality_is_reported(raw_copy: Path) -> None:
    t = raw_copy / official.MUNICIPAL_TOTALS_2024_FILE
    lines = t.read_text(encoding="utf-8").splitlines(keepends=True)
    t.write_text("".join(line for line in lines if ",05358060," not in line), encoding="utf-8")
    problems = [str(p) for p in official.validate_official_files(raw_copy)]
    assert any("es fehlen ['05358060']" in p for p in problems)


def test_sums_are_exact_integers() -> None:
    # no float drift: every official count is an integer column
    for df in (zensus2022_age_classes(), official_municipal_totals(), official_kreis_single_ages()):
        assert df.population.dtype == np.int64
