"""``data update``: pystatis against recorded answers replayed over HTTP on 127.0.0.1.

Every test runs pystatis unchanged (its HTTP calls, unzipping, status checks, CSV parsing) against
``dashboard.data.update.replay.ReplayServer``; the recordings are described in
``tests/data/genesis_api/README.md`` (real figures except the labelled synthetic municipal table).
"""

from __future__ import annotations

import inspect
import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from dashboard.constants import KREIS_AGS, MUNICIPALITIES
from dashboard.data import kreis_age_groups, official_kreis_single_ages, official_municipal_totals
from dashboard.data.genesis import layouts
from dashboard.data.update import UpdateError, client, credentials, registry, run_update
from dashboard.data.update.registry import TableSpec
from dashboard.data.update.replay import ReplayServer, load_recordings
from dashboard.data.update.run import _validate
from tests._cli import cli_env, run_cli

REC = Path(__file__).parent / "data" / "genesis_api"
SECRET_USER = "geheimer-nutzer-7f3a9"
SECRET_PW = "geheimes-passwort-c41e2"


@pytest.fixture
def user_data(tmp_path, monkeypatch):
    folder = tmp_path / "user_data"
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(folder))
    for svc in registry.services():
        for var in credentials.env_names(svc):
            monkeypatch.delenv(var, raising=False)
    return folder


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")) if folder.exists() else []


def _unchanged(folder: Path, before: list[str]) -> bool:
    """Nothing of the update in the user data folder: the same files as ``before`` and, if the
    store's default database exists there, no version in it. (The database itself may appear:
    anyone asking for the data version creates it — e.g. the app's background warm-up thread,
    which runs in a test process that imported the app, while this test points
    DASHBOARD_USER_DATA at its folder.)"""
    db = folder / "dashboard.sqlite3"
    if db.exists():
        from dashboard.store import Store

        s = Store(f"sqlite:///{db}")
        try:
            assert s.versions("tables") == [] and s.versions("catalogue") == []
        finally:
            s.dispose()
    return [f for f in _files(folder) if not f.startswith("dashboard.sqlite3")] == before


@pytest.fixture(scope="module")
def offline_result(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    folder = tmp_path_factory.mktemp("ud_main")
    mp.setenv("DASHBOARD_USER_DATA", str(folder))
    steps: list[str] = []
    try:
        result = run_update(offline=REC, progress=steps.append, sleep=lambda s: None)
    finally:
        mp.undo()
    return result, steps, folder


# ----------------------------------------------------------------------------- the happy path


def test_offline_replay_fetches_every_listed_table_with_provenance(offline_result):
    result, steps, folder = offline_result
    codes = [f.provenance["table_code"] for f in result.fetched]
    assert codes == [s.table for s in registry.tables()]
    assert steps == [f"{c} abrufen" for c in codes] + ["Entwurf anlegen"]
    for f in result.fetched:
        p = f.provenance
        assert p["service"] in {"regio", "nrw"} and p["service_url"].startswith("https://")
        assert p["replayed_from"] == str(REC.resolve())
        assert p["licence"] == "dl-de/by-2-0"
        assert p["stand"] and not p["stand"].endswith("h")
        assert p["retrieved_at"].endswith("+00:00")
        assert p["sha256"] == __import__("hashlib").sha256(f.ffcsv).hexdigest()
        assert p["attempts"] == 1 and p["usable"]
        # pystatis' own parser and the project's validation read the same number of values
        assert p["pystatis_rows"] == p["rows"] + sum(f.table.ignored_counts.values())
        assert p["synthetic"] == (p["table_code"] == "12411-02-03-5")
        assert "username" not in json.dumps(p["request"]) and "password" not in json.dumps(p["request"])
    stands = {f.provenance["table_code"]: f.provenance["stand"] for f in result.fetched}
    assert stands["12411-15i"] == "19.01.2026 13:58:12"  # the real export's "Stand"
    publisher = {f.provenance["table_code"]: f.provenance["publisher"] for f in result.fetched}
    assert publisher["12612-01-01-4"] == "Statistische Ämter des Bundes und der Länder"
    assert "IT.NRW" in publisher["12411-09i"]


def test_offline_draft_holds_every_table_and_nothing_else_changes(offline_result):
    """Every fetched table is one draft in the store (issue 12), with the service's provenance
    and the flat file as delivered; nothing is published, nothing else is written."""
    import sqlalchemy as sa

    from dashboard.store import Store

    result, _, folder = offline_result
    store = Store(f"sqlite:///{folder / 'dashboard.sqlite3'}")
    try:
        assert len(result.drafts) == len(result.fetched)
        for f, vid in zip(result.fetched, result.drafts):
            v = store.version(int(vid), with_content=True)
            code = f.provenance["table_code"]
            assert v.status == "draft" and v.content == f.ffcsv
            assert v.provenance["table_code"] == code and v.provenance["sha256"] == f.provenance["sha256"]
            tidy = pd.read_csv(__import__("io").BytesIO(v.payload), dtype={"ags": str})
            assert len(tidy) == f.provenance["rows"]
        assert store.data_version() == {"tables": 0, "catalogue": 0}  # nothing public changed
        with store.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT count(*) FROM releases")).scalar() == 0
    finally:
        store.dispose()
    # only the database (and the app's secret key, if created) was written
    assert {p.split(os.sep)[0] for p in _files(folder)} <= {
        "dashboard.sqlite3",
        "dashboard.sqlite3-wal",
        "dashboard.sqlite3-shm",
        "secret_key",
    }
    assert "Entwürfe" in result.summary_de() and "SYNTHETISCHE" in result.summary_de()


def test_recorded_real_figures_arrive_unchanged(offline_result):
    result, _, _ = offline_result
    by = {f.provenance["table_code"]: f.table.data for f in result.fetched}
    single = by["12411-09i"]
    parts = single[single.age_group != "total"].sort_values("age_min")
    official = official_kreis_single_ages().sort_values("age")
    assert parts.population.astype(int).tolist() == official.population.astype(int).tolist()
    assert int(single[single.age_group == "total"].population.iloc[0]) == 279_285
    totals = by["12411-15i"].set_index("ags").population.astype(int)
    off = official_municipal_totals().set_index("ags").population.astype(int)
    assert totals.sort_index().to_dict() == off.sort_index().to_dict()
    assert sorted(by["12411-15i"].ags) == sorted(MUNICIPALITIES)


def test_synthetic_municipal_recording_keeps_the_real_margins(offline_result):
    """The labelled synthetic table sums exactly to the official Kreis table and municipal totals."""
    result, _, _ = offline_result
    d = next(f.table.data for f in result.fetched if f.provenance["table_code"] == "12411-02-03-5")
    d = d.assign(population=d.population.astype(int))
    parts = d[(d.sex != "total") & (d.age_group != "total")]
    kreis = kreis_age_groups()
    kreis = kreis[(kreis.year == 2024) & (kreis.sex.isin(["female", "male"])) & (kreis.age_group != "total")]
    got = parts.groupby(["sex", "age_group"]).population.sum()
    want = kreis.set_index(["sex", "age_group"]).population.astype(int)
    assert got.sort_index().to_dict() == want.sort_index().to_dict()
    muni = parts.groupby("ags").population.sum().to_dict()
    off = official_municipal_totals().set_index("ags").population.astype(int).to_dict()
    assert muni == off


# ----------------------------------------------------------------------------- failure modes

FAILURES = [
    # folder, kind, HTTP status, waits between attempts
    ("fehler_401", "credentials_wrong", 401, []),
    ("fehler_429", "rate_limited", 429, [2.0, 4.0, 8.0]),
    ("fehler_503", "server_error", 503, [2.0, 4.0, 8.0]),
    ("fehler_kaputt", "malformed", None, []),
    ("fehler_kaputt_metadaten", "malformed", None, []),
    ("fehler_layout", "layout_changed", None, []),
]


@pytest.mark.parametrize(("folder", "kind", "status", "waits"), FAILURES)
def test_failure_gives_clear_german_message_and_changes_nothing(user_data, folder, kind, status, waits):
    user_data.mkdir(parents=True)
    (user_data / "vorher.txt").write_text("unverändert", encoding="utf-8")
    before = _files(user_data)
    slept: list[float] = []
    notes: list[str] = []
    with pytest.raises(UpdateError) as info:
        run_update(offline=REC / folder, sleep=slept.append, notify=notes.append)
    err = info.value
    assert err.kind == kind and err.status == status and err.table == "12411-02-03-5"
    assert err.message.endswith("Es wurde nichts geändert.")
    assert "12411-02-03-5" in err.message and "Regionalstatistik" in err.message
    assert slept == waits and len(notes) == len(waits)
    assert _unchanged(user_data, before)  # no draft, nothing half-written


def test_failure_messages_name_the_cause(user_data):
    msgs = {}
    for folder, *_ in FAILURES:
        with pytest.raises(UpdateError) as info:
            run_update(offline=REC / folder, sleep=lambda s: None)
        msgs[folder] = info.value.message
    assert "Anmeldung abgelehnt (HTTP 401)" in msgs["fehler_401"]
    assert "PYSTATIS_REGIO_API_USERNAME" in msgs["fehler_401"]
    assert "zu viele Anfragen (HTTP 429)" in msgs["fehler_429"] and "4 Versuchen" in msgs["fehler_429"]
    assert "Serverfehler (HTTP 503)" in msgs["fehler_503"]
    assert "keine lesbare GENESIS-Tabelle" in msgs["fehler_kaputt"] and "zip" in msgs["fehler_kaputt"].lower()
    assert "JSON" in msgs["fehler_kaputt_metadaten"]
    assert "geänderten Aufbau" in msgs["fehler_layout"]
    assert "'65 bis unter 70 Jahre' (45-mal" in msgs["fehler_layout"]


def test_429_then_success_is_retried_with_backoff(user_data):
    slept, notes = [], []
    result = run_update(
        offline=REC / "fehler_429_dann_ok", sleep=slept.append, notify=notes.append, stage=False
    )
    assert slept == [2.0]
    assert "HTTP 429" in notes[0] and "Versuch 2 von 4" in notes[0]
    attempts = {f.provenance["table_code"]: f.provenance["attempts"] for f in result.fetched}
    assert attempts["12411-02-03-5"] == 2 and set(attempts.values()) == {1, 2}
    assert _unchanged(user_data, [])


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_offline_without_connection_says_so_and_changes_nothing(user_data, monkeypatch):
    for svc in registry.services():
        user_var, pw_var = credentials.env_names(svc)
        monkeypatch.setenv(user_var, SECRET_USER)
        monkeypatch.setenv(pw_var, SECRET_PW)
    port = _closed_port()
    urls = {k: f"http://127.0.0.1:{port}/{k}/rest/2020/" for k in registry.services()}
    slept = []
    with pytest.raises(UpdateError) as info:
        run_update(base_urls=urls, sleep=slept.append)
    assert info.value.kind == "offline"
    assert "Keine Verbindung" in info.value.message and "--offline" in info.value.message
    assert slept == [2.0, 4.0, 8.0]
    assert SECRET_USER not in info.value.message and SECRET_PW not in info.value.message
    assert _unchanged(user_data, [])


def test_missing_credentials_are_named_before_any_request(user_data):
    rec = load_recordings(REC)
    with ReplayServer(rec) as srv:
        urls = {k: srv.base_url(k) for k in registry.services()}
        with pytest.raises(UpdateError) as info:
            run_update(base_urls=urls)
        assert srv.log == []
    msg = info.value.message
    assert info.value.kind == "credentials_missing"
    for var in ("PYSTATIS_REGIO_API_USERNAME", "PYSTATIS_NRW_API_PASSWORD"):
        assert var in msg
    assert "regionalstatistik.de" in msg and "Es wurde nichts geändert." in msg
    assert _unchanged(user_data, [])


def test_credentials_from_environment_are_sent_but_never_stored_or_shown(user_data, monkeypatch, tmp_path):
    for svc in registry.services():
        user_var, pw_var = credentials.env_names(svc)
        monkeypatch.setenv(user_var, SECRET_USER)
        monkeypatch.setenv(pw_var, SECRET_PW)
    from pystatis import config as pconfig

    rec = load_recordings(REC)
    with ReplayServer(rec) as srv:
        urls = {k: srv.base_url(k) for k in registry.services()}
        result = run_update(base_urls=urls)
        assert srv.log and {e["credentials"] for e in srv.log} == {"present"}
    assert result.source == "online"
    assert all(f.provenance["replayed_from"] is None for f in result.fetched)
    # online no recording label applies: only a table whose own title says SYNTHETISCH (the
    # synthetic municipal recording served here) is flagged
    flagged = {f.provenance["table_code"] for f in result.fetched if f.provenance["synthetic"]}
    assert flagged == {"12411-02-03-5"}
    text = result.summary_de() + json.dumps([f.provenance for f in result.fetched])
    assert SECRET_USER not in text and SECRET_PW not in text
    for p in user_data.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert SECRET_USER.encode() not in data and SECRET_PW.encode() not in data, p
    # pystatis' in-memory configuration is restored and holds no secret afterwards
    for section in pconfig.config.sections():
        for option in ("username", "password"):
            assert pconfig.config.get(section, option, fallback="") not in (SECRET_USER, SECRET_PW)
    assert "nrw" not in pconfig.REGEX_DB and not pconfig.config.has_section("nrw")
    # pystatis' own config file never receives them
    cfg = Path.home() / ".pystatis" / "config.ini"
    if cfg.exists():
        assert SECRET_USER not in cfg.read_text(encoding="utf-8", errors="replace")
    assert repr(credentials.lookup("regio")).count(SECRET_USER) == 0


def test_real_recorded_answer_is_read_by_pystatis_and_the_validation():
    """A REAL answer of the Regionalstatistik (recorded by pystatis) through the same path."""
    rec = load_recordings(REC / "echt_12411-01-01-4")
    assert not rec.synthetic_tables()
    svc = registry.services()["regio"]
    spec = TableSpec("kreise_geschlecht", "regio", "12411-01-01-4", "Kreise nach Geschlecht")
    with ReplayServer(rec) as srv:
        with client.pystatis_session(
            {"regio": svc},
            {"regio": credentials.Credentials("x", "", "recording")},
            {"regio": srv.base_url("regio")},
        ) as ps:
            raw = client.fetch_table(ps, svc, spec)
    gt = _validate(raw, spec, svc)
    duren = gt.data[gt.data.ags == KREIS_AGS].set_index("sex").population.astype(int).to_dict()
    assert duren == {"total": 279_285, "female": 140_196, "male": 139_089}
    assert raw.metadata["Object"]["Updated"] == "31.03.2025 11:18:07h"
    assert raw.pystatis_rows == len(gt.data) == 1467


# ----------------------------------------------------------------------------- registry and CLI


def test_every_listed_table_has_a_layout_and_valid_pystatis_parameters():
    import pystatis

    allowed = set(inspect.signature(pystatis.Table.get_data).parameters) - {"self"}
    for spec in registry.tables():
        assert spec.table in layouts()["tables"], spec.table
        assert set(spec.params) <= allowed, spec.params
        assert spec.service in registry.services()
    assert client.PYSTATIS_VERSION == pystatis.__version__


def test_unknown_table_selection_is_refused():
    with pytest.raises(ValueError, match="Unbekannte Tabelle"):
        run_update(offline=REC, tables=["99999-99"], stage=False)


def _uninstall(monkeypatch, name: str) -> None:
    """Make ``name`` look not installed for this test: out of sys.modules, its folder off sys.path."""
    import importlib.util

    spec = importlib.util.find_spec(name)
    for mod in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        monkeypatch.delitem(sys.modules, mod)
    if spec is not None and spec.origin:
        home = Path(spec.origin).resolve().parents[1 if spec.submodule_search_locations else 0]
        monkeypatch.setattr(sys, "path", [p for p in sys.path if Path(p or ".").resolve() != home])
    assert importlib.util.find_spec(name) is None


def test_missing_pystatis_gives_the_install_command(monkeypatch):
    _uninstall(monkeypatch, "pystatis")
    with pytest.raises(UpdateError) as info:
        client.import_pystatis()
    assert info.value.kind == "pystatis_missing" and "--no-deps" in info.value.message


def test_keyring_is_optional_and_comes_after_the_environment(monkeypatch):
    import importlib.machinery
    import types

    user_var, pw_var = credentials.env_names("regio")
    monkeypatch.delenv(user_var, raising=False)
    monkeypatch.delenv(pw_var, raising=False)
    _uninstall(monkeypatch, "keyring")
    assert credentials.lookup("regio") is None  # no keyring package: no credentials, no error

    fake = types.ModuleType("keyring")  # a keyring holding one account for the Regionalstatistik
    fake.__spec__ = importlib.machinery.ModuleSpec("keyring", None)
    stored = {"regio-username": "konto-aus-keyring", "regio-password": "geheim"}
    fake.get_password = lambda service, key: (
        stored.get(key) if service == credentials.KEYRING_SERVICE else None
    )
    monkeypatch.setitem(sys.modules, "keyring", fake)
    got = credentials.lookup("regio")
    assert (got.username, got.password, got.origin) == ("konto-aus-keyring", "geheim", "keyring")
    assert credentials.lookup("nrw") is None  # nothing stored for that service
    monkeypatch.setenv(user_var, "konto-aus-umgebung")
    assert credentials.lookup("regio").origin == "environment"


def test_a_failing_keyring_backend_is_reported_not_hidden(monkeypatch, caplog):
    import importlib.machinery
    import types

    user_var, pw_var = credentials.env_names("nrw")
    monkeypatch.delenv(user_var, raising=False)
    monkeypatch.delenv(pw_var, raising=False)

    def locked(service, key):
        raise RuntimeError(f"locked while reading {key}")

    fake = types.ModuleType("keyring")
    fake.__spec__ = importlib.machinery.ModuleSpec("keyring", None)
    fake.get_password = locked
    monkeypatch.setitem(sys.modules, "keyring", fake)
    with caplog.at_level("WARNING", logger="dashboard.data.update"):
        assert credentials.lookup("nrw") is None
    (rec,) = [r for r in caplog.records if r.name == "dashboard.data.update"]
    assert "Schlüsselbund" in rec.getMessage() and "nrw" in rec.getMessage()
    assert "RuntimeError" in rec.getMessage() and "nrw-username" not in rec.getMessage()


def _cli(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    env = cli_env(
        drop_prefixes=("PYSTATIS_",), DASHBOARD_USER_DATA=str(tmp_path / "ud"), HOME=str(tmp_path / "home")
    )
    return run_cli("data", "update", *args, env=env, timeout=120)


def test_cli_offline_replay_creates_a_draft(tmp_path):
    r = _cli(["--offline", "tests/data/genesis_api/"], tmp_path)
    assert r.returncode == 0, r.stderr
    assert "6 Tabellen abgerufen und geprüft" in r.stdout and "Entwürfe 1, 2, 3, 4, 5, 6" in r.stdout
    assert "7/7" in r.stderr  # the progress bar reached its end
    assert (tmp_path / "ud" / "dashboard.sqlite3").exists()
    # pystatis wrote only its default (empty) configuration into the home folder, no credentials
    cfg = (tmp_path / "home" / ".pystatis" / "config.ini").read_text(encoding="utf-8")
    assert "aufzeichnung" not in cfg


def test_cli_failure_exits_2_with_the_german_message(tmp_path):
    r = _cli(["--offline", "tests/data/genesis_api/fehler_401"], tmp_path)
    assert r.returncode == 2
    assert "Aktualisierung abgebrochen" in r.stderr and "HTTP 401" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "ud").exists()
