"""Saved scenarios (issue 13.3): the store's scenarios table, the scenario file and the CLI.

Store tests run against SQLite here and PostgreSQL in the second run of scripts/test.sh.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
import sqlalchemy as sa

from dashboard.cli import main
from dashboard.projection import engine
from dashboard.projection.local import LocalScenario, NewHousing, OneOffChange, OwnMigration
from dashboard.projection.scenario_file import FORMAT, MAX_BYTES, from_json, to_json
from dashboard.projection.scenarios import PRESETS, Scenario
from dashboard.store import Actor, Invalid, NotAllowed, NotFound, Store

NIDEGGEN, HEIMBACH = "05358044", "05358012"
CLI = Actor("Kommandozeile (test)", "pflege")
PASSWORD = "ein-langes-Passwort"

LOCAL = LocalScenario(
    new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200),),
    own_migration=(OwnMigration(HEIMBACH, 50.0),),
    one_off=(OneOffChange(NIDEGGEN, 2027, 80, 80, 100, True, 25.0),),
)


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.dispose()


# ---------------------------------------------------------------------------------------
# scenario file (JSON)
# ---------------------------------------------------------------------------------------


def test_scenario_file_round_trip_is_exact() -> None:
    s = Scenario("eigenes", tfr=1.61, e0_gain=1.5, net_migration=1200.0, horizon=2040, local=LOCAL)
    text = to_json(s, title="Neubaugebiet", description="200 Wohnungen\nin Nideggen")
    doc = from_json(text)
    assert (
        doc.scenario == s and doc.title == "Neubaugebiet" and doc.description == "200 Wohnungen\nin Nideggen"
    )
    assert to_json(doc.scenario, title=doc.title, description=doc.description) == text
    assert from_json(text.encode("utf-8")).scenario == s
    for preset in PRESETS.values():
        assert from_json(to_json(preset)).scenario == preset


def test_scenario_file_errors_name_every_problem_with_its_path() -> None:
    data = json.loads(to_json(Scenario(local=LOCAL)))
    data["format"] = "etwas anderes"
    data["scenario"]["tfr"] = "hoch"
    data["scenario"]["farbe"] = 1
    data["local"]["new_housing"][0]["dwellings"] = -3
    with pytest.raises(ValueError) as e:
        from_json(json.dumps(data))
    msg = str(e.value)
    assert f"format muss '{FORMAT}' sein" in msg
    assert "scenario.tfr muss eine Zahl oder null sein, erhalten: 'hoch'" in msg
    assert "scenario.farbe: unbekanntes Feld" in msg
    assert "local.new_housing[0]" in msg and "Zahl der Wohnungen" in msg and "-3" in msg
    data = json.loads(to_json(Scenario()))
    data["scenario"]["horizon"] = 2060
    with pytest.raises(ValueError, match="Zieljahr muss eine ganze Zahl zwischen 2025 und 2045"):
        from_json(json.dumps(data))
    with pytest.raises(ValueError, match=r"kein gültiges JSON \(Zeile 2, Spalte"):
        from_json('{\n  "format": }')
    with pytest.raises(ValueError, match="höchstens 65.536 Bytes"):
        from_json(b" " * (MAX_BYTES + 1))
    with pytest.raises(ValueError, match="keine UTF-8-Textdatei"):
        from_json(b"\xff\xfe{}")


# ---------------------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------------------


def test_cli_local_flags_and_scenario_file_give_the_same_workbook(tmp_path: Path, capsys) -> None:
    out1 = tmp_path / "flags.xlsx"
    rc = main(
        [
            "project",
            "--neubau",
            "05358044:2026-2030:200",
            "--wanderung-gemeinde",
            "05358012:50",
            "--bis",
            "2030",
            "--out",
            str(out1),
        ]
    )
    assert rc == 0
    s = Scenario(
        horizon=2030,
        local=LocalScenario(
            new_housing=(NewHousing(NIDEGGEN, 2026, 2030, 200),),
            own_migration=(OwnMigration(HEIMBACH, 50.0),),
        ),
    )
    f = tmp_path / "s.json"
    f.write_text(to_json(s, title="Test"), encoding="utf-8")
    out2 = tmp_path / "file.csv"
    assert main(["project", "--szenario-datei", str(f), "--out", str(out2)]) == 0
    kreis = engine.project(s).kreis_total(2030)
    wb = openpyxl.load_workbook(out1, read_only=True)
    ind = list(wb["Indikatoren"].iter_rows(values_only=True))
    head = ind[0]
    rows = [dict(zip(head, r)) for r in ind[1:]]
    k = [r for r in rows if r[head[0]] == "05358" and r[head[2]] == 2030]
    assert len(k) == 1 and k[0][head[3]] == pytest.approx(kreis)
    info = [r[1] for r in wb["Szenario"].iter_rows(values_only=True)]
    assert "Nideggen: 200 Wohnungen 2026–2030" in info and "Basis mit lokalen Annahmen" in info
    err = capsys.readouterr().err
    assert "Basis mit lokalen Annahmen" in err


def test_cli_names_every_malformed_value_in_german(tmp_path: Path, capsys) -> None:
    rc = main(
        [
            "project",
            "--neubau",
            "05358044:2026-2030:2x0",
            "--neubau",
            "05358099:2026:5",
            "--wanderung-gemeinde",
            "05358012",
            "--einmalig",
            "05358044:2027:80:80-70",
            "--out",
            str(tmp_path / "x.xlsx"),
        ]
    )
    assert rc == 2 and not (tmp_path / "x.xlsx").exists()
    err = capsys.readouterr().err
    assert (
        "--neubau: Neubau '05358044:2026-2030:2x0': die Zahl der Wohnungen '2x0' ist keine ganze Zahl" in err
    )
    assert "'05358099' ist keine Gemeinde des Kreises Düren" in err
    assert "--wanderung-gemeinde: Eigene Wanderung '05358012': falsches Format" in err
    assert "--einmalig: Einmalige Veränderung '05358044:2027:80:80-70'" in err
    bad = tmp_path / "bad.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["project", "--szenario-datei", str(bad), "--out", str(tmp_path / "y.xlsx")]) == 2
    assert f"Szenariodatei '{bad}': format muss" in capsys.readouterr().err
    assert main(["project", "--scenario", "basis", "--szenario-datei", str(bad), "--out", "z.xlsx"]) == 2
    assert "nicht beides" in capsys.readouterr().err


# ---------------------------------------------------------------------------------------
# store
# ---------------------------------------------------------------------------------------


@pytest.mark.store
def test_save_list_and_open_a_scenario(store) -> None:
    planner = store.create_user("planerin", PASSWORD, "planung", actor=CLI)
    other = store.create_user("planer2", PASSWORD, "planung", actor=CLI)
    doc = to_json(Scenario(local=LOCAL), title="Neubau Nideggen")
    saved = store.save_scenario(
        title=" Neubau Nideggen ",
        description="200 Wohnungen 2026–2030",
        document=doc,
        municipalities=LOCAL.municipalities,
        actor=planner.actor(),
    )
    assert len(saved.key) == 8 and saved.title == "Neubau Nideggen" and saved.created_by == "planerin"
    assert saved.municipalities == (HEIMBACH, NIDEGGEN) and saved.document == doc
    again = store.scenario(saved.key)
    assert again.document == doc and from_json(again.document).scenario == Scenario(local=LOCAL)
    second = store.save_scenario(
        title="Nur Heimbach",
        description="",
        document=to_json(Scenario()),
        municipalities=[HEIMBACH],
        actor=other.actor(),
    )
    assert second.key != saved.key
    assert [s.key for s in store.scenarios(ags=NIDEGGEN)] == [saved.key]
    assert [s.key for s in store.scenarios(ags=HEIMBACH)] == [second.key, saved.key]  # newest first
    assert all(s.document is None for s in store.scenarios())
    # only the author or pflege withdraws; the row stays and the permalink still resolves
    with pytest.raises(NotAllowed, match="nur sein Autor"):
        store.withdraw_scenario(saved.key, actor=other.actor())
    w = store.withdraw_scenario(saved.key, actor=planner.actor())
    assert w.withdrawn and w.withdrawn_by == "planerin"
    assert [s.key for s in store.scenarios(ags=NIDEGGEN)] == []
    assert store.scenario(saved.key).document == doc
    actions = [a.action for a in store.audit()]
    assert actions.count("save_scenario") == 2 and "withdraw_scenario" in actions


@pytest.mark.store
def test_bad_scenario_input_is_refused_in_german(store) -> None:
    u = store.create_user("planerin", PASSWORD, "planung", actor=CLI).actor()
    ok = dict(title="T", description="", document="{}", municipalities=[], actor=u)
    with pytest.raises(Invalid, match="1 bis 120 Zeichen"):
        store.save_scenario(**{**ok, "title": "   "})
    with pytest.raises(Invalid, match="1 bis 120 Zeichen"):
        store.save_scenario(**{**ok, "title": "x" * 121})
    with pytest.raises(Invalid, match="höchstens 2000 Zeichen"):
        store.save_scenario(**{**ok, "description": "x" * 2001})
    with pytest.raises(Invalid, match="Steuerzeichen"):
        store.save_scenario(**{**ok, "title": "a\x00b"})
    with pytest.raises(Invalid, match="zu groß"):
        store.save_scenario(**{**ok, "document": "x" * (64 * 1024 + 1)})
    with pytest.raises(Invalid, match="Gemeindeschlüssel '5358044'"):
        store.save_scenario(**{**ok, "municipalities": ["5358044"]})
    with pytest.raises(NotAllowed, match="melden Sie sich an"):
        store.save_scenario(**{**ok, "actor": Actor("anonym", "")})
    for key in ("", "abc", "x" * 9, "../../etc", "a b c d e", None, 12345678):
        with pytest.raises(NotFound):
            store.scenario(key)  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="gibt es nicht"):
        store.scenario("AAAAAAAA")
    assert store.scenarios() == []


@pytest.mark.store
def test_scenarios_migration_matches_the_schema_and_keeps_rows(store, store_url) -> None:
    u = store.create_user("planerin", PASSWORD, "planung", actor=CLI).actor()
    k = store.save_scenario(title="T", description="", document="{}", municipalities=[NIDEGGEN], actor=u).key
    again = Store(store_url)
    try:
        assert again.scenario(k).municipalities == (NIDEGGEN,)
        with again.engine.connect() as conn:
            names = set(sa.inspect(conn).get_table_names())
        assert {"scenarios", "scenario_municipalities"} <= names
    finally:
        again.dispose()
