"""User data folder: import, provenance manifest, listing, removal, limits, CLI."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from dashboard import cli
from dashboard.data import genesis, userdata
from dashboard.data.errors import DataFormatError
from dashboard.data.genesis import load_genesis
from dashboard.data.userdata import (
    import_file,
    imported_municipal_age_tables,
    imported_tables,
    read_import,
    remove_import,
    sanitise_filename,
    user_data_dir,
)

DATA = Path(__file__).parent / "data"
SYNTH = DATA / "synthetic_12411-02-03-5_kreis_dueren_gemeinden_2024.csv"
WIDE = DATA / "12411-02-03-4_kreis_dueren_2024_tabelle_latin1.csv"
FLAT_DEATHS = DATA / "12613-01-01-4_kreis_dueren_2020-2024_de_flat.csv"
XLSX = DATA / "12411-02-03-4_kreis_dueren_2024.xlsx"


@pytest.fixture(autouse=True)
def user_dir(tmp_path, monkeypatch):
    folder = tmp_path / "user_data"
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(folder))
    return folder


def _unmarked_municipal_copy(tmp_path: Path) -> Path:
    """The synthetic municipal fixture without its SYNTHETISCH title row (test-only copy)."""
    lines = SYNTH.read_bytes().decode("cp1252").split("\n")
    kept = [ln for ln in lines if "SYNTHETISCH" not in ln]
    p = tmp_path / "12411-02-03-5_gemeinden.csv"
    p.write_bytes("\n".join(kept).encode("cp1252"))
    return p


def test_no_imports_means_empty_lists(user_dir):
    assert imported_tables() == []
    assert imported_municipal_age_tables() == []


def test_import_stores_tidy_csv_and_manifest_with_provenance(user_dir):
    r = import_file(WIDE)
    assert r.id == f"12411-02-03-4_{hashlib.sha256(WIDE.read_bytes()).hexdigest()[:12]}"
    assert r.csv_path.parent == user_dir.resolve() and r.manifest_path.exists()
    m = json.loads(r.manifest_path.read_text(encoding="utf-8"))
    assert m["sha256"] == hashlib.sha256(WIDE.read_bytes()).hexdigest()
    assert (m["table_code"], m["kind"], m["format"], m["usable"], m["synthetic"]) == (
        "12411-02-03-4",
        "population",
        "csv",
        True,
        False,
    )
    assert m["licence"] == "dl-de/by-2-0" and m["years"] == [2024] and m["regions_by_level"] == {"kreis": 1}
    back = read_import(r.id)
    total = back[(back.sex == "total") & (back.age_group == "total")].population
    assert total.tolist() == [279_285] and back.ags.tolist()[0] == "05358"
    assert len(back) == len(load_genesis(WIDE).data) == 54
    assert "Tabelle 12411-02-03-4" in r.summary_de() and "54 Werte" in r.summary_de()
    assert [t["id"] for t in imported_tables()] == [r.id]
    # a Kreis table is not a municipal age table
    assert imported_municipal_age_tables() == []


def test_same_file_twice_replaces_and_remove_deletes(user_dir):
    a = import_file(FLAT_DEATHS)
    b = import_file(FLAT_DEATHS)
    assert a.id == b.id and not a.replaced and b.replaced
    assert len(imported_tables()) == 1
    assert remove_import(a.id) is True
    assert imported_tables() == [] and not any(user_dir.iterdir())
    assert remove_import(a.id) is False


def test_municipal_age_tables_for_the_population_loader(tmp_path, user_dir):
    synth = import_file(SYNTH)
    assert synth.manifest["synthetic"] and "synthetische Testdatei" in synth.summary_de()
    assert imported_municipal_age_tables() == []  # the marked fixture never reaches the model
    copy = _unmarked_municipal_copy(tmp_path)
    import_file(copy)
    frames = imported_municipal_age_tables()
    assert len(frames) == 1
    f = frames[0]
    assert len(f) == 15 * 2 * 17 and f.ags.str.len().eq(8).all() and f.ags.str.startswith("05358").all()
    assert set(f.sex) == {"female", "male"} and not f.estimated.any()
    assert f.population.dtype == "int64"
    src = load_genesis(copy).data
    src = src[(src.level == "gemeinde") & (src.sex != "total") & (src.age_group != "total")]
    assert f.population.sum() == src.population.sum()
    assert set(f.columns) >= {
        "ags",
        "year",
        "sex",
        "age_min",
        "age_max",
        "population",
        "table",
        "publisher",
        "licence",
        "source_file",
        "import_id",
        "sha256",
    }


def test_invalid_file_writes_nothing(tmp_path, user_dir):
    bad = tmp_path / "12411-02-03-4_bad.csv"
    text = WIDE.read_bytes().decode("cp1252").replace(";7655;", ";-7655;", 1)
    bad.write_bytes(text.encode("cp1252"))
    with pytest.raises(DataFormatError) as exc:
        import_file(bad)
    assert exc.value.problems[0].row == 11
    assert imported_tables() == [] and not list(user_dir.glob("*.csv"))


def test_size_limits(tmp_path, user_dir, monkeypatch):
    monkeypatch.setattr(userdata, "MAX_FILE_BYTES", 1000)
    with pytest.raises(DataFormatError, match="höchstens"):
        import_file(WIDE)
    monkeypatch.setattr(genesis, "MAX_XLSX_ROWS", 5)
    with pytest.raises(DataFormatError) as exc:
        load_genesis(XLSX)
    assert exc.value.problems[0].row == 6 and "Zeilen" in exc.value.problems[0].expected


def test_user_folder_inside_shipped_data_is_refused(monkeypatch):
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(userdata.SHIPPED_DATA_DIR / "imports"))
    with pytest.raises(DataFormatError, match="außerhalb"):
        user_data_dir()


@pytest.mark.parametrize("bad_id", ["../x", "..", "/etc/passwd", "a/b", "", "x" * 200, ".hidden"])
def test_path_tricks_in_ids_are_rejected(bad_id, user_dir):
    with pytest.raises(DataFormatError):
        remove_import(bad_id)
    with pytest.raises(DataFormatError):
        read_import(bad_id)


def test_sanitise_filename():
    assert sanitise_filename("../../etc/passwd") == "passwd"
    assert sanitise_filename("C:\\Users\\x\\Bevölkerung 2024 (NRW).csv") == "Bevölkerung_2024_NRW_.csv"
    assert sanitise_filename("...") == "datei"
    assert len(sanitise_filename("a" * 300 + ".csv")) == 100


def test_cli_import_prints_german_summary(capsys, user_dir):
    assert cli.main(["data", "import", str(FLAT_DEATHS)]) == 0
    out = capsys.readouterr().out
    assert "Tabelle 12613-01-01-4 (Bewegungen)" in out and "Für die Prognose verwendbar: ja" in out
    assert len(imported_tables()) == 1


def test_cli_import_lists_problems_and_fails(capsys, tmp_path, user_dir):
    bad = tmp_path / "12411-02-03-4_bad.csv"
    text = WIDE.read_bytes().decode("cp1252").replace(";7655;", ";76a55;", 1).replace(";8591;", ";-1;", 1)
    bad.write_bytes(text.encode("cp1252"))
    assert cli.main(["data", "import", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "Import abgelehnt: 2 Problem(e)" in err and "Zeile 11, Spalte 'C" in err and "Spalte 'D" in err
    assert imported_tables() == []


def test_imported_table_feeds_the_population_estimate_contract(tmp_path, user_dir):
    """The frames satisfy dashboard.data.estimate's contract for official municipal tables."""
    from dashboard.data.estimate import official_municipal_cells

    copy = _unmarked_municipal_copy(tmp_path)
    import_file(copy)
    cells, estimated, provenance = official_municipal_cells(2024)
    assert len(cells) == 15 and all(estimated.values())  # 17 groups split into single ages
    src = load_genesis(copy).data
    duren = src[(src.ags == "05358008") & (src.sex == "female") & (src.age_group != "total")]
    assert cells["05358008"][0].sum() == pytest.approx(int(duren.population.sum()))
    assert "12411-02-03-5" in provenance
    assert official_municipal_cells(2023)[0] == {}


def test_newest_import_comes_first(tmp_path, user_dir, monkeypatch):
    copy = _unmarked_municipal_copy(tmp_path)
    first = import_file(copy)
    # a corrected re-download (one person moved between two age groups of Aldenhoven's women)
    lines = copy.read_bytes().decode("cp1252").split("\n")
    k = next(i for i, ln in enumerate(lines) if ln.startswith("05358004;"))
    c = lines[k].split(";")
    # columns: total 2..19, male 20..37, female 38..55; move one woman from group 1 to group 2
    for base in (2, 38):
        c[base] = str(int(c[base]) - 1)
        c[base + 1] = str(int(c[base + 1]) + 1)
    lines[k] = ";".join(c)
    newer = tmp_path / "12411-02-03-5_neu.csv"
    newer.write_bytes("\n".join(lines).encode("cp1252"))
    monkeypatch.setattr(userdata, "datetime", _Later)
    second = import_file(newer)
    frames = imported_municipal_age_tables()
    assert [f.import_id.iloc[0] for f in frames] == [second.id, first.id]


class _Later:
    """datetime stand-in: imports happen one hour later (ordering by import time)."""

    @staticmethod
    def now(tz=None):
        from datetime import datetime, timedelta

        return datetime.now(tz) + timedelta(hours=1)
