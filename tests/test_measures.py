"""Measures catalogue (Werkzeugkoffer): build from the real research CSV, workbook, loader, import."""

from __future__ import annotations

import hashlib

import openpyxl
import pandas as pd
import pytest

from dashboard.cli import main as cli_main
from dashboard.constants import AGS_LIST, KREIS_AGS, MUNICIPALITIES
from dashboard.data import measures as M
from dashboard.data.errors import DataFormatError
from dashboard.data.integrity import verify_raw_file
from tests._accounts import make_user


@pytest.fixture(scope="module")
def built():
    return M.build_catalogue()


@pytest.fixture()
def workbook(tmp_path, built):
    """A fresh copy of the catalogue workbook (from the real catalogue) to break on purpose."""
    return M.write_workbook(built[0], tmp_path / "katalog.xlsx")


def _edit(path, sheet, cell, value):
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    wb.save(path)


def _col(name):
    return chr(ord("A") + M.MEASURE_COLUMNS.index(name))


def _problems(path):
    with pytest.raises(DataFormatError) as exc:
        M.load_workbook(path)
    return exc.value.problems


# ---------------------------------------------------------------- raw file and build


def test_raw_csv_is_unchanged():
    verify_raw_file(M.MEASURES_DIR, "measures.csv")


def test_catalogue_invariants(built):
    cat, report = built
    raw = pd.read_csv(M.RAW_CSV, dtype=str, keep_default_na=False)
    with_source = raw[raw.source_url.str.contains("http")]
    # only measures with a source enter; every raw row without one is reported as excluded
    assert len(cat.measures) == len(with_source) <= 67
    assert len(cat.measures) + len(report.excluded) == len(raw)
    assert cat.measures.id.is_unique
    assert set(cat.measures.field_of_action) <= set(M.FIELDS_OF_ACTION)
    assert set(cat.measures.status) <= set(M.STATUSES)
    assert set(cat.measures.age_band_basis) <= set(M.AGE_BAND_BASES)
    per_measure_urls = cat.sources.groupby("measure_id").size()
    assert set(per_measure_urls.index) == set(cat.measures.id) and (per_measure_urls >= 1).all()
    assert cat.sources.url.str.match(r"^https?://\S+\.\S+").all()
    served = cat.served()
    assert set(served.measure_id) == set(cat.measures.id)
    assert set(served.ags) <= set(AGS_LIST)
    assert set(cat.municipalities.ags) <= {KREIS_AGS, *AGS_LIST}
    # age bands: 0 <= min <= max <= 100; "all ages" is exactly 0-open
    m = cat.measures
    assert (m.age_min >= 0).all()
    bounded = m[m.age_max.notna()]
    assert (bounded.age_min <= bounded.age_max).all() and (bounded.age_max <= 100).all()
    allages = m[m.age_band_basis == "all ages"]
    assert (allages.age_min == 0).all() and allages.age_max.isna().all()
    assert (m.age_band_note != "").all()


def test_catalogue_keeps_every_raw_source_url(built):
    cat, _ = built
    raw = pd.read_csv(M.RAW_CSV, dtype=str, keep_default_na=False)
    for r in raw.itertuples():
        urls = [u.strip() for u in r.source_url.split(" | ")]
        assert cat.sources[cat.sources.measure_id == r.id].url.tolist() == urls


def test_fields_of_action_are_the_five_official_names_from_notes():
    notes = (M.MEASURES_DIR / "notes.md").read_text(encoding="utf-8")
    section1 = notes.split("## 1.")[1].split("## 2.")[0]
    for name in M.FIELDS_OF_ACTION:
        assert f"**{name}**" in section1


@pytest.mark.parametrize(
    "text, expected, unmatched",
    [
        ("Kreis Düren", [KREIS_AGS], []),
        ("Düren; Jülich", ["05358008", "05358024"], []),
        ("Düren (Düren-Nord)", ["05358008"], []),
        # the note's semicolon does not split; listed places inside the note are notes
        (
            "Kreis Düren (14 Standorte, u. a. Hürtgenwald-Vossenack, Nörvenich; Vettweiß im Wiederaufbau)",
            [KREIS_AGS],
            [],
        ),
        ("Düren (Bismarck-Quartier), für Kreis Düren", [KREIS_AGS], []),
        (
            "Kreis Düren (Zuständigkeit Kreisjugendamt; ohne Stadt Düren)",
            [a for a in AGS_LIST if a != "05358008"],
            [],
        ),
        ("Dürn; Titz", ["05358056"], ["Dürn"]),
        ("Kreis Düren (ohne Bonn)", [KREIS_AGS], ["ohne Bonn"]),
        ("Region Aachen", [], ["Region Aachen"]),
    ],
)
def test_municipality_normalisation_rules(text, expected, unmatched):
    assert M.normalise_municipalities(text) == (expected, unmatched)


def test_real_rows_normalise_as_documented(built):
    cat, _ = built
    g = cat.municipalities.groupby("measure_id").ags.agg(list)
    assert g["M53"] == [a for a in AGS_LIST if a != "05358008"]  # Kita: ohne Stadt Düren
    assert g["M43"] == [KREIS_AGS]  # Welcome-Center für Kreis
    assert g["M08"] == [
        "05358004",
        "05358008",
        "05358020",
        "05358024",
        "05358028",
        "05358036",
        "05358040",
        "05358056",
        "05358060",
    ]
    assert g["M36"] == ["05358044"]  # Dorfladen Wollersheim, Nideggen


def test_age_band_decisions_worked_examples(built):
    m = built[0].measures.set_index("id")

    def band(i):
        r = m.loc[i]
        return (int(r.age_min), None if pd.isna(r.age_max) else int(r.age_max), r.age_band_basis)

    assert band("M26") == (70, None, "source")  # Fahrdienst 70plus
    assert band("M66") == (13, 27, "source")  # Jugendforum 13-27
    assert band("M07") == (65, None, "convention")  # Pflegestützpunkte, "Senioren" -> 65+
    assert band("M53") == (0, 6, "convention")  # Kita 0-6
    assert band("M47") == (14, 24, "convention")  # unter 25 (source) + Jugendliche 14 (convention)
    assert band("M27") == (0, None, "all ages")  # Busnetz für alle
    assert band("M41") == (20, 64, "convention")  # Erwerbstätige


def test_bad_raw_csv_reports_every_problem(tmp_path):
    raw = pd.read_csv(M.RAW_CSV, dtype=str, keep_default_na=False)
    raw.loc[0, "municipality"] = "Kreis Dueren"
    raw.loc[1, "field_of_action"] = "Gesundheit"
    raw.loc[2, "age_min"], raw.loc[2, "age_max"] = "70", "20"
    raw.loc[3, "source_url"] = ""  # no source -> excluded, not an error
    p = tmp_path / "raw.csv"
    raw.to_csv(p, index=False)
    with pytest.raises(DataFormatError) as exc:
        M.build_catalogue(p)
    where = {(q.row, q.column) for q in exc.value.problems}
    assert where == {(2, "municipality"), (3, "field_of_action"), (4, "age_min")}
    raw = pd.read_csv(M.RAW_CSV, dtype=str, keep_default_na=False)
    raw.loc[3, "source_url"] = ""
    raw.to_csv(p, index=False)
    cat, report = M.build_catalogue(p)
    assert report.excluded == (("M04", "keine Quelle angegeben"),)
    assert "M04" not in set(cat.measures.id) and len(cat.measures) == 66


# ---------------------------------------------------------------- workbook round trip


def test_workbook_round_trip_equals_catalogue(built, workbook):
    cat = built[0]
    back = M.load_workbook(workbook)
    assert back.equals(cat)
    assert back.served().equals(cat.served())


def test_shipped_files_equal_a_fresh_build(built, tmp_path):
    cat = built[0]
    assert M.load_workbook(M.SHIPPED_WORKBOOK).equals(cat)
    assert M.read_csv_export(M.SHIPPED_CSV_DIR).equals(cat)
    M.export_csv(cat, tmp_path)
    for name in ("massnahmen.csv", "gemeinden.csv", "quellen.csv", "massnahmen_flach.csv"):
        assert (tmp_path / name).read_bytes() == (M.SHIPPED_CSV_DIR / name).read_bytes()


def test_build_is_rerunnable_and_reproduces_the_shipped_files(tmp_path):
    cat, report = M.build_shipped(workbook=tmp_path / "k.xlsx", csv_dir=tmp_path / "csv")
    assert report.excluded == () and len(report.decisions) == len(cat.measures)
    assert M.load_workbook(tmp_path / "k.xlsx").equals(M.load_workbook(M.SHIPPED_WORKBOOK))
    for p in M.SHIPPED_CSV_DIR.iterdir():
        assert (tmp_path / "csv" / p.name).read_bytes() == p.read_bytes()


def test_workbook_has_validation_lists(workbook):
    wb = openpyxl.load_workbook(workbook)
    assert {"Massnahmen", "Gemeinden", "Quellen", "Listen", "Hinweise"} <= set(wb.sheetnames)
    lists = wb["Listen"]
    assert [lists.cell(r, 1).value for r in range(2, 7)] == list(M.FIELDS_OF_ACTION)
    assert [lists.cell(r, 2).value for r in range(2, 6)] == list(M.STATUSES)
    assert [lists.cell(r, 4).value for r in range(2, 18)] == [KREIS_AGS, *AGS_LIST]
    formulas = {
        (dv.formula1, str(dv.sqref))
        for dv in wb["Massnahmen"].data_validations.dataValidation
        if dv.type == "list"
    }
    assert ("=Listen!$A$2:$A$6", f"{_col('field_of_action')}2:{_col('field_of_action')}2000") in formulas
    assert ("=Listen!$B$2:$B$5", f"{_col('status')}2:{_col('status')}2000") in formulas
    g = [dv.formula1 for dv in wb["Gemeinden"].data_validations.dataValidation]
    assert "=Listen!$D$2:$D$17" in g
    # AGS stay text with their leading zero
    assert wb["Gemeinden"]["B2"].value.startswith("0535")


# ---------------------------------------------------------------- bad workbooks


def test_unknown_field_of_action(workbook):
    _edit(workbook, "Massnahmen", f"{_col('field_of_action')}5", "Gesundheit")
    (p,) = _problems(workbook)
    assert (p.file, p.sheet, p.row, p.column) == ("katalog.xlsx", "Massnahmen", 5, "field_of_action")
    assert "Gesundheit" in p.found and "Leben & Wohnen gestalten" in p.expected


@pytest.mark.parametrize("value, shown", [("05358099", "05358099"), ("Düren", "Düren"), (5358008, "Zahl")])
def test_bad_ags(workbook, value, shown):
    _edit(workbook, "Gemeinden", "B3", value)
    probs = _problems(workbook)
    p = probs[0]
    assert (p.sheet, p.row, p.column) == ("Gemeinden", 3, "ags")
    assert shown in p.found and "05358" in p.expected
    # a measure that lost its only municipality is reported on its Massnahmen row as well
    assert all(q.sheet in ("Gemeinden", "Massnahmen") for q in probs)


def test_age_min_greater_than_age_max(workbook):
    _edit(workbook, "Massnahmen", f"{_col('age_min')}8", 70)
    _edit(workbook, "Massnahmen", f"{_col('age_max')}8", 20)
    (p,) = _problems(workbook)
    assert (p.sheet, p.row, p.column) == ("Massnahmen", 8, "age_min")
    assert "age_max (20)" in p.expected and p.found == "70"


def test_missing_title(workbook):
    _edit(workbook, "Massnahmen", f"{_col('title')}10", None)
    (p,) = _problems(workbook)
    assert (p.sheet, p.row, p.column) == ("Massnahmen", 10, "title")
    assert "Pflichtfeld" in p.expected


def test_wrong_sheet_name(workbook):
    wb = openpyxl.load_workbook(workbook)
    wb["Massnahmen"].title = "Maßnahmen"
    wb.save(workbook)
    probs = _problems(workbook)
    p = probs[0]
    assert p.sheet == "Massnahmen" and p.row is None
    assert "'Maßnahmen'" in p.found and "Massnahmen" in p.expected
    # the measure ids referenced from the other sheets are then unknown, and reported too
    assert {q.sheet for q in probs} == {"Massnahmen", "Gemeinden", "Quellen"}


def test_missing_column_and_unknown_column(workbook):
    _edit(workbook, "Quellen", "B1", "link")
    probs = _problems(workbook)
    assert {(q.sheet, q.row, q.column) for q in probs} == {("Quellen", 1, "url"), ("Quellen", 1, "link")}


def test_all_problems_are_reported_at_once(workbook):
    _edit(workbook, "Massnahmen", f"{_col('field_of_action')}5", "Gesundheit")
    _edit(workbook, "Massnahmen", f"{_col('title')}10", None)
    _edit(workbook, "Massnahmen", f"{_col('status')}11", "aktiv")
    _edit(workbook, "Massnahmen", f"{_col('age_max')}12", "viele")
    _edit(workbook, "Massnahmen", f"{_col('id')}13", "M01")
    _edit(workbook, "Quellen", "B4", "www.example")
    _edit(workbook, "Gemeinden", "A2", "M99")
    probs = _problems(workbook)
    where = {(q.sheet, q.row, q.column) for q in probs}
    assert {
        ("Massnahmen", 5, "field_of_action"),
        ("Massnahmen", 10, "title"),
        ("Massnahmen", 11, "status"),
        ("Massnahmen", 12, "age_max"),
        ("Massnahmen", 13, "id"),
        ("Quellen", 4, "url"),
        ("Gemeinden", 2, "measure_id"),
    } <= where
    text = str(DataFormatError(probs))
    assert "Blatt 'Massnahmen', Zeile 5, Spalte 'field_of_action'" in text


def test_measure_without_source_is_refused(workbook):
    wb = openpyxl.load_workbook(workbook)
    ws = wb["Quellen"]
    rows = [r for r in range(2, ws.max_row + 1) if ws.cell(r, 1).value == "M03"]
    for r in rows:
        ws.cell(r, 1).value = None
        ws.cell(r, 2).value = None
    wb.save(workbook)
    (p,) = _problems(workbook)
    assert (p.sheet, p.row, p.column) == ("Massnahmen", 4, "id")  # M03 is on row 4
    assert "Quelle" in p.expected


def test_all_ages_band_must_be_open(workbook):
    _edit(workbook, "Massnahmen", f"{_col('age_max')}3", 50)  # M02 is "all ages"
    (p,) = _problems(workbook)
    assert (p.sheet, p.row, p.column) == ("Massnahmen", 3, "age_band_basis")


def test_not_a_workbook(tmp_path):
    p = tmp_path / "katalog.xlsx"
    p.write_text("id;title\n", encoding="utf-8")
    (q,) = _problems(p)
    assert q.file == "katalog.xlsx" and "Excel" in q.expected


def test_edited_workbook_with_new_measure_loads(workbook):
    wb = openpyxl.load_workbook(workbook)
    wb["Massnahmen"].append(
        [
            "M68",
            "Neue Maßnahme",
            M.FIELDS_OF_ACTION[4],
            "Senioren 80+",
            80,
            None,
            "source",
            "laut Quelle",
            "geplant",
            2026,
            "Gemeinde Titz",
            "",
            "",
        ]
    )
    wb["Gemeinden"].append(["M68", "05358056", "Titz"])
    wb["Quellen"].append(["M68", "https://www.titz.de/"])
    wb.save(workbook)
    cat = M.load_workbook(workbook)
    assert cat.measures.id.iloc[-1] == "M68"
    assert cat.served().query("measure_id == 'M68'").ags.tolist() == ["05358056"]


# ---------------------------------------------------------------- import and precedence


def _sha(p):
    return hashlib.sha256(p.read_bytes()).hexdigest()


def test_import_is_a_draft_until_published_and_never_touches_shipped(fresh_store, workbook):
    from dashboard.store import NotAllowed

    shipped_before = _sha(M.SHIPPED_WORKBOOK)
    assert M.active_catalogue().origin == "shipped"
    wb = openpyxl.load_workbook(workbook)
    wb["Massnahmen"][f"{_col('status')}2"] = "abgeschlossen"
    wb.save(workbook)
    with pytest.raises(NotAllowed):
        M.import_workbook(workbook, actor=None)
    planer = make_user("planung").actor()
    version, cat = M.import_workbook(workbook, actor=planer)
    assert cat.origin == "imported" and version.status == "draft"
    assert any("1 geändert" in line for line in version.report["summary"])
    assert M.active_catalogue().origin == "shipped"  # a draft changes nothing public
    pflege = make_user("pflege").actor()
    fresh_store.publish(version.id, actor=pflege, expected=0)
    active = M.active_catalogue()
    assert active.origin == "imported" and active.measures.status.iloc[0] == "abgeschlossen"
    assert f"Import {version.id}" in active.path
    assert _sha(M.SHIPPED_WORKBOOK) == shipped_before
    assert M.reset_import(actor=pflege) and M.active_catalogue().origin == "shipped"
    fresh_store.rollback("catalogue", actor=pflege, expected=2)  # undo the reset
    assert M.active_catalogue().measures.status.iloc[0] == "abgeschlossen"


def test_invalid_import_is_refused_and_stores_nothing(fresh_store, workbook):
    _edit(workbook, "Massnahmen", f"{_col('field_of_action')}5", "Gesundheit")
    with pytest.raises(DataFormatError):
        M.import_workbook(workbook.read_bytes(), actor=make_user().actor(), display_name="upload.xlsx")
    assert fresh_store.versions("catalogue") == []
    assert M.active_catalogue().origin == "shipped"


def test_published_workbook_that_became_invalid_falls_back_with_warning(fresh_store, workbook):
    import sqlalchemy as sa

    from dashboard.store.schema import versions

    pflege = make_user("pflege").actor()
    good, _ = M.import_workbook(workbook, actor=pflege)
    fresh_store.publish(good.id, actor=pflege, expected=0)
    second, _ = M.import_workbook(workbook, actor=pflege)
    fresh_store.publish(second.id, actor=pflege, expected=1)
    with fresh_store.engine.begin() as conn:  # damaged behind the app's back
        conn.execute(sa.update(versions).where(versions.c.id == second.id).values(payload=b"kein xlsx"))
    M.import_store.invalidate()
    cat = M.active_catalogue()
    assert cat.origin == "imported" and f"Import {good.id}" in cat.path  # the previous good one
    assert cat.warnings and "ungültig" in cat.warnings[0]


def test_cli_import_and_export(fresh_store, tmp_path, workbook, capsys):
    assert cli_main(["massnahmen", "import", str(workbook)]) == 0
    assert "67 Maßnahmen" in capsys.readouterr().out
    (v,) = fresh_store.versions("catalogue")
    assert cli_main(["massnahmen", "publish", str(v.id)]) == 0
    assert "Stand 1" in capsys.readouterr().out
    assert cli_main(["massnahmen", "export", "--out", str(tmp_path / "exp")]) == 0
    assert "importierter Katalog" in capsys.readouterr().out
    assert M.load_workbook(tmp_path / "exp" / "massnahmen.xlsx").equals(M.load_workbook(workbook))
    _edit(workbook, "Gemeinden", "B3", "05358099")
    assert cli_main(["massnahmen", "import", str(workbook)]) == 1
    out = capsys.readouterr().err
    assert "Blatt 'Gemeinden', Zeile 3, Spalte 'ags'" in out


def test_counts_per_field_and_municipality(built):
    """Counts reported in the catalogue docs (derived from the data, checked for consistency)."""
    cat = built[0]
    per_field = cat.measures.field_of_action.value_counts()
    assert per_field.sum() == len(cat.measures) and set(per_field.index) == set(M.FIELDS_OF_ACTION)
    per_muni = cat.served().groupby("ags").size()
    assert set(per_muni.index) == set(MUNICIPALITIES)  # every municipality is served by something
    district_wide = (cat.municipalities.ags == KREIS_AGS).sum()
    assert (per_muni >= district_wide).all()


def test_data_check_covers_the_catalogue(tmp_path, built, workbook, monkeypatch):
    from dashboard.data import check

    ok = {r.name_en: r for r in check.check_results()}["measures catalogue"]
    assert ok.ok and ok.detail.startswith(
        f"{len(built[0].measures)} Maßnahmen, {len(built[0].sources)} Quellen"
    )
    _edit(workbook, "Massnahmen", f"{_col('status')}2", "abgeschlossen")  # drifted from measures.csv
    monkeypatch.setattr(M, "SHIPPED_WORKBOOK", workbook)
    bad = {r.name_en: r for r in check.check_results()}["measures catalogue"]
    assert not bad.ok and "massnahmen build" in bad.detail
