"""Issue 16 "Done when": ``data update --offline tests/data/genesis_api/`` produces drafts; once a
``pflege`` user publishes the municipal one, the municipal age × sex base of the recorded year
is official (``estimated`` False). Also: the base year moves with a complete newer table, the
store's import check refuses a table and nothing is stored, ``planung`` cannot publish.

The municipal recordings are the labelled SYNTHETIC tables of ``tests/data/genesis_api/``
(README there): real Kreis and municipal margins, synthetic split. They stand in for the
official table the service would deliver. Because they are marked synthetic, the store refuses
to publish them and the data layer refuses to serve them unless the test-only setting
``DASHBOARD_TESTS_ALLOW_SYNTHETIC=1`` is on (fixture ``allow_synthetic``); the last tests here
check that refusal.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from dashboard.constants import AGE_GROUPS_17
from dashboard.data import imports, load_population
from dashboard.data.baseyear import base_inputs, base_year
from dashboard.data.estimate import GROUP17_OF_AGE
from dashboard.data.update import UpdateError, run_update
from dashboard.store import Actor, NotAllowed
from tests._cli import cli_env, run_cli

REC = Path(__file__).parent / "data" / "genesis_api"
PFLEGE = Actor("Test Pflege", "pflege")
PLANUNG = Actor("Test Planung", "planung")
MUNICIPAL = "12411-02-03-5"


@pytest.fixture
def allow_synthetic(monkeypatch):
    """The test-only setting that lets the labelled synthetic recordings be published."""
    from dashboard.settings import SYNTHETIC_ENV

    monkeypatch.setenv(SYNTHETIC_ENV, "1")
    imports.invalidate()
    yield
    imports.invalidate()


def _publish(store, version_id: str | int) -> None:
    store.publish(int(version_id), actor=PFLEGE, expected=store.active("tables").number)
    imports.invalidate()


def _draft_of(store, code: str) -> int:
    drafts = [v for v in store.versions("tables", status="draft") if v.provenance.get("table_code") == code]
    assert len(drafts) == 1, [v.provenance.get("table_code") for v in drafts]
    return drafts[0].id


def test_done_when_cli_offline_draft_once_published_makes_the_base_official(
    fresh_store, store_url, tmp_path, allow_synthetic
):
    env = cli_env(drop_prefixes=("PYSTATIS_",), DATABASE_URL=store_url, HOME=str(tmp_path / "home"))
    r = run_cli("data", "update", "--offline", "tests/data/genesis_api/", env=env)
    assert r.returncode == 0, r.stderr
    imports.invalidate()
    before = load_population(2024)
    assert before.estimated.all()  # today: the municipal structure is estimated

    vid = _draft_of(fresh_store, MUNICIPAL)
    v = fresh_store.version(vid)
    assert (
        v.provenance["service"] == "regio"
        and v.provenance["stand"]
        and v.provenance["licence"] == "dl-de/by-2-0"
    )
    assert v.provenance["retrieved_at"] and v.provenance["synthetic"] is True  # labelled test recording
    with pytest.raises(NotAllowed):
        fresh_store.publish(vid, actor=PLANUNG, expected=fresh_store.active("tables").number)
    _publish(fresh_store, vid)

    after = load_population(2024)
    assert not after.estimated.any()  # the municipal age × sex base of 31.12.2024 is official
    assert after.age_split_estimated.all()  # single years inside the 17 groups stay a graduation
    assert not after.total_estimated.any()
    # the base equals the published table cell by cell at its resolution (sex × 17 groups)
    pub = imports.imported_municipal_age_tables()[0]
    grp = {lo: i for i, (lo, _) in enumerate(AGE_GROUPS_17.values())}
    want = pub.assign(g=pub.age_min.map(grp)).groupby(["ags", "sex", "g"]).population.sum().astype(float)
    got = after.assign(g=GROUP17_OF_AGE[after.age.to_numpy()]).groupby(["ags", "sex", "g"]).population.sum()
    assert got.sort_index().to_numpy() == pytest.approx(want.sort_index().to_numpy(), abs=1e-6)
    t = base_inputs(2024)
    assert dict(zip(t.input, t.official))["Altersstruktur je Gemeinde (Geschlecht × Altersgruppen)"]
    assert base_year() == 2024


def test_a_published_complete_newer_table_moves_the_base_year(fresh_store, allow_synthetic):
    result = run_update(offline=REC / "basisjahr_2025", actor=PFLEGE, sleep=lambda s: None)
    vid = dict(zip((f.provenance["table_code"] for f in result.fetched), result.drafts))[MUNICIPAL]
    assert base_year() == 2024
    # what would change: 31.12.2025 has no base today, so the preview compares with the projection
    p = imports.preview(vid)
    assert p.new_base_years == (2025,) and p.totals.current.isna().all()
    from dashboard.projection import PRESETS, project

    proj = project(PRESETS["basis"]).population
    q = imports.with_projection(p, proj)
    kreis = q.totals.set_index("ags").loc["05358"]
    assert kreis.current == pytest.approx(proj[proj.year == 2025].population.sum())
    assert kreis.new == pytest.approx(279_285) and kreis.difference == pytest.approx(
        kreis.new - kreis.current
    )
    assert q.table.difference.sum() == pytest.approx(kreis.difference)
    assert "Neues Basisjahr 31.12.2025" in imports.preview_lines(q)[0]
    _publish(fresh_store, vid)
    assert base_year() == 2025
    pop = load_population(2025)
    assert set(pop.year) == {2025} and not pop.estimated.any() and not pop.total_estimated.any()
    assert pop.population.sum() == pytest.approx(279_285)  # the relabelled synthetic table (README)
    t = base_inputs()
    assert all(t.official[:4]) and not t.official.iloc[4]


def test_store_check_refusing_a_table_stores_nothing(fresh_store, tmp_path):
    """A municipal table whose sums contradict the official Kreis table is refused as a whole run."""
    src = REC / "regio" / "12411-02-03-5_1765000000000_de_flat.zip"
    with zipfile.ZipFile(src) as zf:
        name = zf.namelist()[0]
        text = zf.read(name).decode("utf-8")
    lines = text.splitlines(keepends=True)
    # +1 person for Heimbach women 75+ and its totals (consistent inside the table, not with the Kreis)
    out = []
    for line in lines:
        f = line.rstrip("\n").split(";")
        if len(f) > 17 and f[7] == "05358012" and f[11] in ("GESW", "") and f[15] in ("ALT075UM", ""):
            f[17] = str(int(f[17]) + 1)
        out.append(";".join(f) + "\n")
    folder = tmp_path / "pruefung"
    folder.mkdir()
    with zipfile.ZipFile(folder / "t.zip", "w") as zf:
        zf.writestr(name, "".join(out))
    manifest = {
        "basis": str(REC),
        "answers": [
            {
                "service": "regio",
                "endpoint": "data/tablefile",
                "name": MUNICIPAL,
                "responses": [{"status": 200, "content_type": "application/zip", "file": "t.zip"}],
                "synthetic": True,
                "how": "test: one cell changed",
            }
        ],
    }
    (folder / "aufzeichnungen.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(UpdateError) as info:
        run_update(offline=folder, actor=PFLEGE)
    assert info.value.kind == "rejected" and info.value.table == MUNICIPAL
    assert "besteht die Prüfung" in info.value.message and info.value.message.endswith(
        "Es wurde nichts geändert."
    )
    assert fresh_store.versions("tables") == []


# ----------------------------------------------------------------------------- projection and app


def _publish_2025(fresh_store) -> None:
    result = run_update(offline=REC / "basisjahr_2025", actor=PFLEGE, sleep=lambda s: None)
    vid = dict(zip((f.provenance["table_code"] for f in result.fetched), result.drafts))[MUNICIPAL]
    _publish(fresh_store, vid)


def test_the_projection_and_every_page_start_at_the_new_base_year(fresh_store, allow_synthetic):
    from dashboard.app import _model
    from dashboard.app.pages import gemeinde, kurzbericht, methodik, szenarien, uebersicht
    from dashboard.constants import KREIS_AGS
    from dashboard.projection import PRESETS, project

    assert project(PRESETS["basis"]).frames["indicators"].year.min() == 2024
    _publish_2025(fresh_store)
    r = project(PRESETS["basis"])
    ind = r.frames["indicators"]
    assert ind.year.min() == 2025
    k = ind[ind.ags == KREIS_AGS].set_index("year")
    assert k.at[2025, "population"] == pytest.approx(279_285) and not k.at[2025, "projected"]
    assert k.loc[2026:, "projected"].all()
    pop = r.frames["population"]
    assert not pop[pop.year == 2025].projected.any()
    assert _model.base_year() == 2025 and _model.key_years() == (2025, 2030, 2045)
    # every page and its main callbacks render on the new base (no 2024 rows in the projection)
    for render in (
        lambda: uebersicht.layout(),
        lambda: uebersicht.on_indicator("change", 2030),
        lambda: gemeinde.layout(ags="05358044"),
        lambda: gemeinde.on_region("05358044"),
        lambda: gemeinde.on_pyramid("05358044", 2025),
        lambda: kurzbericht.layout(ags="05358044"),
        lambda: szenarien.layout(),
        lambda: methodik.layout(),
    ):
        assert "2025" in str(render())
    with pytest.raises(ValueError, match="Basisjahr 2025"):
        project(__import__("dataclasses").replace(PRESETS["basis"], horizon=2025))


def test_methodik_names_official_and_estimated_inputs_of_the_base(fresh_store, allow_synthetic):
    from dashboard.app._update import base_section

    text = str(base_section())
    assert "31.12.2024" in text and "geschätzt" in text and "amtlich" in text
    _publish_2025(fresh_store)
    text = str(base_section())
    assert "31.12.2025" in text and "veröffentlichte amtliche Gemeindetabelle" in text


def test_daten_aktualisieren_for_pflege_shows_what_would_change(fresh_store, monkeypatch):
    from dashboard.app import _update
    from dashboard.app.auth import current_actor
    from dashboard.app.pages import methodik
    from tests._accounts import signed_in

    monkeypatch.setenv(_update.RECORDINGS_ENV, str(REC))
    section = _update.update_section(None)[0]
    assert section.hidden  # visitors do not see it
    with signed_in("planung"):
        assert _update.update_section(current_actor())[0].hidden
        out = str(methodik.on_update(1))
        assert "Nur Personen mit der Rolle" in out and fresh_store.versions("tables") == []
    with signed_in("pflege"):
        assert not _update.update_section(current_actor())[0].hidden
        out = str(methodik.on_update(1))
    assert "6 Tabellen abgerufen und geprüft" in out
    assert "Was sich mit dem Entwurf" in out and "vorschau-2024" in out  # the preview of the municipal draft
    assert "/verwaltung?entwurf=" in out
    drafts = fresh_store.versions("tables", status="draft")
    assert len(drafts) == 6 and fresh_store.active("tables").number == 0  # nothing published


def test_daten_aktualisieren_failure_is_shown_and_changes_nothing(fresh_store, monkeypatch):
    from dashboard.app import _update
    from dashboard.app.pages import methodik
    from tests._accounts import signed_in

    monkeypatch.setenv(_update.RECORDINGS_ENV, str(REC / "fehler_layout"))
    with signed_in("pflege"):
        out = str(methodik.on_update(1))
    assert "geänderten Aufbau" in out and "Es wurde nichts geändert." in out
    assert fresh_store.versions("tables") == []


# ------------------------------------------------------- synthetic recordings never become public


def _cli(args: list[str], store_url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    env = cli_env(
        drop_prefixes=("PYSTATIS_", "DASHBOARD_TESTS_"), DATABASE_URL=store_url, HOME=str(tmp_path / "home")
    )
    return run_cli(*args, env=env)


def test_a_synthetic_recording_is_flagged_loudly_and_cannot_be_published(fresh_store, store_url, tmp_path):
    from dashboard.settings import SYNTHETIC_ENV, synthetic_tables_allowed

    assert SYNTHETIC_ENV not in os.environ and not synthetic_tables_allowed()
    result = run_update(offline=REC, actor=PFLEGE, sleep=lambda s: None)
    vid = _draft_of(fresh_store, MUNICIPAL)
    real = _draft_of(fresh_store, "12411-15i")  # real figures (README): not flagged
    v = fresh_store.version(vid)
    assert v.synthetic and v.report["synthetic"] is True and not fresh_store.version(real).synthetic
    assert v.report["summary"][0].startswith("ACHTUNG: SYNTHETISCHE Testaufzeichnung")
    assert f"ACHTUNG: Entwurf {vid} enthält SYNTHETISCHE Testdaten" in result.summary_de()

    with pytest.raises(NotAllowed, match="SYNTHETISCH gekennzeichnet"):
        fresh_store.publish(vid, actor=PFLEGE, expected=0)
    assert fresh_store.active("tables").number == 0 and fresh_store.version(vid).status == "draft"
    r = _cli(["data", "publish", str(vid)], store_url, tmp_path)  # the command line: same refusal
    assert r.returncode == 2 and f"Version {vid} ist als SYNTHETISCH gekennzeichnet" in r.stderr
    r = _cli(["data", "versions"], store_url, tmp_path)
    assert "SYNTHETISCH (Testdaten, nicht veröffentlichbar)" in r.stdout
    assert fresh_store.active("tables").number == 0
    fresh_store.publish(real, actor=PFLEGE, expected=0)  # a real table of the same run can be
    imports.invalidate()
    assert load_population(2024).estimated.all()  # the synthetic split never became the base


def test_verwaltung_shows_a_synthetic_draft_without_publish_button(fresh_store, monkeypatch):
    from dashboard.app.pages import verwaltung
    from dashboard.settings import SYNTHETIC_ENV
    from tests._accounts import signed_in

    run_update(offline=REC, actor=PFLEGE, sleep=lambda s: None)
    vid = _draft_of(fresh_store, MUNICIPAL)
    real = _draft_of(fresh_store, "12411-15i")
    with signed_in("pflege"):
        page = str(verwaltung.body(str(vid)))
        assert "Er kann nicht veröffentlicht werden." in page and "vw-synthetic" in page
        assert f"'action': 'publish', 'id': {vid}" not in page  # no button, in the preview or the list
        assert f"'action': 'publish', 'id': {real}" in page
        assert "SYNTHETISCHE Testaufzeichnung, nicht veröffentlichbar" in page
        monkeypatch.setenv(SYNTHETIC_ENV, "1")  # tests only: the button is there, the warning too
        page = str(verwaltung.body(str(vid)))
        assert f"'action': 'publish', 'id': {vid}" in page and "Test-Einstellung" in page


def test_a_synthetic_version_is_neither_restored_nor_served_outside_tests(fresh_store, monkeypatch):
    from dashboard.settings import SYNTHETIC_ENV

    run_update(offline=REC, actor=PFLEGE, sleep=lambda s: None)
    vid = _draft_of(fresh_store, MUNICIPAL)
    monkeypatch.setenv(SYNTHETIC_ENV, "1")  # a test publishes it (release 1) and rolls back (2)
    _publish(fresh_store, vid)
    assert not load_population(2024).estimated.any()
    fresh_store.rollback("tables", actor=PFLEGE, expected=1)
    monkeypatch.delenv(SYNTHETIC_ENV)
    with pytest.raises(NotAllowed, match="SYNTHETISCH"):  # restoring it is publishing it again
        fresh_store.rollback("tables", actor=PFLEGE, expected=2, to=1)
    assert fresh_store.active("tables").number == 2

    # a database in which it is published anyway (e.g. one a test run left behind): not served
    monkeypatch.setenv(SYNTHETIC_ENV, "1")
    fresh_store.rollback("tables", actor=PFLEGE, expected=2, to=1)
    imports.invalidate()
    assert not load_population(2024).estimated.any()
    monkeypatch.delenv(SYNTHETIC_ENV)
    served = imports.served(refresh=True)
    # the previous good state is served: release 2 (the rollback to the shipped data)
    assert served.release == 2 and served.active_release == 3 and served.frames == ()
    assert (
        "angezeigt wird Stand 2" in served.problem and f"Version {vid} ist als SYNTHETISCH" in served.problem
    )
    assert imports.imported_municipal_age_tables() == []
    assert load_population(2024).estimated.all()


def test_every_synthetic_recording_says_so_itself_and_is_refused_as_an_upload(fresh_store):
    from dashboard.data.errors import DataFormatError
    from dashboard.data.genesis import load_genesis

    checked = 0
    for manifest in sorted(REC.glob("**/aufzeichnungen.json")):
        for a in json.loads(manifest.read_text(encoding="utf-8"))["answers"]:
            if a["endpoint"] != "data/tablefile":
                continue
            for r in a["responses"]:
                path = manifest.parent / r.get("file", "-")
                if r["status"] != 200 or not path.is_file() or "abgeschnitten" in path.name:
                    continue
                with zipfile.ZipFile(path) as zf:
                    rows = list(
                        csv.DictReader(io.StringIO(zf.read(zf.namelist()[0]).decode()), delimiter=";")
                    )
                labels = "; ".join(sorted({r["statistics_label"] for r in rows}))
                assert imports.says_synthetic(labels) == a["synthetic"], (path, labels)
                checked += 1
    assert checked >= 9  # main set (6 + the real Kreis table), layout change, base year 2025
    # the loader reads that label as the flat file's title
    title = load_genesis(REC / "regio" / "12411-02-03-5_1765000000000_de_flat.zip", format="ffcsv").title
    assert title == "Fortschreibung des Bevölkerungsstandes (SYNTHETISCHE Testdaten, keine amtlichen Zahlen)"

    raw = (REC / "regio" / "12411-02-03-5_1765000000000_de_flat.zip").read_bytes()
    with pytest.raises(DataFormatError) as info:  # an extracted recording uploaded as a file
        imports.create_draft(raw, "12411-02-03-5_de_flat.zip", actor=PFLEGE)
    assert "als SYNTHETISCH gekennzeichnete Testdaten" in str(info.value)
    assert fresh_store.versions("tables") == []
