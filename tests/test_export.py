"""Export and CLI: workbook sheets, CSV round trip, ``python -m dashboard project``; floors reported."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from dashboard.cli import main
from dashboard.constants import KREIS_AGS
from dashboard.export import write_csv, write_excel
from dashboard.projection import Scenario, project

ROOT = Path(__file__).resolve().parents[1]


def test_excel_has_results_indicators_assumptions_and_sources(tmp_path):
    r = project(Scenario("kurz", horizon=2026))
    path = write_excel(r, tmp_path / "p.xlsx")
    wb = load_workbook(path, read_only=True)
    assert {
        "Ergebnisse",
        "Indikatoren",
        "Altersgruppen",
        "Komponenten",
        "Annahmen",
        "Warnungen",
        "Quellen",
    } <= set(wb.sheetnames)
    ergebnisse = pd.read_excel(path, sheet_name="Ergebnisse")
    assert len(ergebnisse) == len(r.population)
    assert ergebnisse["Bevölkerung"].sum() == pytest.approx(r.population.population.sum())
    assert set(ergebnisse["Geschlecht"]) == {"weiblich", "männlich"}
    annahmen = pd.read_excel(path, sheet_name="Annahmen")
    assert "Zusammengefasste Geburtenziffer (TFR) Basis" in set(annahmen["Parameter"])


def test_csv_round_trip(tmp_path):
    r = project(Scenario("kurz", horizon=2026))
    paths = write_csv(r, tmp_path / "csv")
    names = {p.name for p in paths}
    assert {"population.csv", "indicators.csv", "assumptions.csv", "sources.csv"} <= names
    back = pd.read_csv(tmp_path / "csv" / "population.csv", dtype={"ags": str})
    pd.testing.assert_series_equal(
        back.population, r.population.population.reset_index(drop=True), check_exact=False, rtol=1e-12
    )
    assert back.ags.str.len().eq(8).all()


def test_cli_project_writes_csv_and_reports_the_kreis_total(tmp_path, capsys):
    code = main(
        [
            "project",
            "--scenario",
            "zuwanderung_hoch",
            "--bis",
            "2027",
            "--out",
            str(tmp_path / "out"),
            "--format",
            "csv",
        ]
    )
    assert code == 0
    err = capsys.readouterr().err
    total = project(Scenario("zuwanderung_hoch", migration_factor=1.5, horizon=2027)).kreis_total(2027)
    assert f"{total:,.0f}".replace(",", ".") in err
    ind = pd.read_csv(tmp_path / "out" / "indicators.csv", dtype={"ags": str})
    assert ind[(ind.ags == KREIS_AGS) & (ind.year == 2027)].population.iloc[0] == pytest.approx(total)


def test_cli_rejects_bad_input_in_german(tmp_path, capsys):
    assert main(["project", "--scenario", "gibtsnicht", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "Unbekanntes Szenario" in capsys.readouterr().err
    assert main(["project", "--bis", "2099", "--out", str(tmp_path / "x.xlsx")]) == 2
    assert "Zieljahr" in capsys.readouterr().err


def test_python_m_dashboard_project_runs(tmp_path):
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "dashboard",
            "project",
            "--scenario",
            "basis",
            "--bis",
            "2025",
            "--out",
            str(tmp_path / "prognose.xlsx"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "prognose.xlsx").exists()


def test_massive_emigration_is_floored_and_reported():
    r = project(Scenario("abwanderung", net_migration=-20_000, horizon=2045))
    w = r.warnings
    cells = w[w.kind == "emigration_exceeds_cohort"]
    assert len(cells) > 0 and (w.amount > 0).all()
    assert (r.population.population >= 0).all()
    arr = r.arrays
    assert cells.amount.sum() == pytest.approx(arr["shortfall"].sum())
    # region-level warning where the municipal target is below its out-migration
    reg = w[w.kind == "negative_in_migration"]
    comp = r.components[r.components.ags != KREIS_AGS].groupby(["ags", "year"]).in_migration.sum()
    assert set(map(tuple, reg[["ags", "year"]].to_numpy())) == set(comp[comp < 0].index)
    # the Kreis balance still holds with the applied (floored) migration
    c = (
        r.components[r.components.ags == KREIS_AGS]
        .groupby("year")[["births", "deaths", "net_migration"]]
        .sum()
    )
    tot = r.indicators[r.indicators.ags == KREIS_AGS].set_index("year").population
    for y in c.index:
        assert tot[y] == pytest.approx(tot[y - 1] + c.births[y] - c.deaths[y] + c.net_migration[y], rel=1e-12)
    assert np.all(c.net_migration >= -20_000 - 1e-6)


def test_cli_out_csv_file_is_one_tidy_population_table(tmp_path):
    assert main(["project", "--bis", "2026", "--out", str(tmp_path / "prognose.csv")]) == 0
    out = tmp_path / "prognose.csv"
    assert out.is_file()  # a file, not a directory named prognose.csv
    one = pd.read_csv(out, dtype={"ags": str})
    assert main(["project", "--bis", "2026", "--out", str(tmp_path / "alle") + "/"]) == 0
    folder = pd.read_csv(tmp_path / "alle" / "population.csv", dtype={"ags": str})
    pd.testing.assert_frame_equal(one, folder)  # same table, same conventions as the folder export
    assert list(one.columns[:6]) == ["ags", "municipality", "year", "sex", "age", "population"]
    assert sorted(p.name for p in (tmp_path / "alle").iterdir()) == [
        "age_groups.csv",
        "assumptions.csv",
        "components.csv",
        "indicators.csv",
        "population.csv",
        "sources.csv",
        "warnings.csv",
    ]


def test_cli_out_existing_dir_and_contradictions(tmp_path, capsys):
    (tmp_path / "ziel.csv").mkdir()  # an existing folder stays a folder, whatever its name
    assert main(["project", "--bis", "2025", "--out", str(tmp_path / "ziel.csv")]) == 0
    assert (tmp_path / "ziel.csv" / "indicators.csv").is_file()
    assert main(["project", "--out", str(tmp_path / "x.csv"), "--format", "xlsx"]) == 2
    assert "passt nicht" in capsys.readouterr().err
    assert main(["project", "--out", str(tmp_path / "x.txt")]) == 2
    assert "unbekannte Endung" in capsys.readouterr().err


def test_cli_help_explains_out(capsys):
    with pytest.raises(SystemExit):
        main(["project", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "prognose.csv = eine CSV-Datei mit der Bevölkerungstabelle" in text
    assert "abschließender /" in text
