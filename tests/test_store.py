"""The store (dashboard.store) against a real database: SQLite here, PostgreSQL in the second
run of ``scripts/test.sh`` (``pg_virtualenv`` + ``STORE_TEST_POSTGRES=1``, see conftest's
``store_url``). No mocks: every test talks to the database through SQLAlchemy."""

from __future__ import annotations

import hashlib
import threading
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from dashboard.store import Actor, Conflict, Invalid, NotAllowed, NotFound, Store, db
from dashboard.store.schema import metadata, users

pytestmark = pytest.mark.store

CLI = Actor("Kommandozeile (test)", "pflege")
PASSWORD = "ein-langes-Passwort"


@pytest.fixture
def store(store_url):
    s = Store(store_url)
    yield s
    s.dispose()


def _draft(
    s: Store, actor: Actor, *, slot: str = "12411-02-03-5:2024", content: bytes = b"raw", channel="tables"
):
    return s.create_draft(
        channel,
        content=content,
        filename="tabelle.csv",
        payload=b"tidy:" + content,
        provenance={"publisher": "Test", "table": slot.split(":")[0]},
        report={"usable": True},
        slot=slot,
        actor=actor,
    )


def test_backend_is_the_one_asked_for(store, store_url):
    """The PostgreSQL run really runs on PostgreSQL (no silent SQLite fallback)."""
    import os

    want = "postgresql" if os.environ.get("STORE_TEST_POSTGRES") == "1" else "sqlite"
    assert store.engine.dialect.name == want


def test_migrations_create_exactly_the_declared_schema(store):
    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []
    assert db.current_revision(store.engine) == db.head_revision()
    assert store.data_version() == {"tables": 0, "catalogue": 0}


def _check_constraints(engine) -> dict[str, set[str]]:
    insp = sa.inspect(engine)
    return {t: {c["name"] for c in insp.get_check_constraints(t)} for t in insp.get_table_names()}


def test_check_constraints_are_named_as_declared(store):
    """compare_metadata does not compare CHECK constraints: their names are checked here."""
    declared = {
        t.name: {c.name for c in t.constraints if isinstance(c, sa.CheckConstraint)}
        for t in metadata.sorted_tables
    }
    found = _check_constraints(store.engine)
    assert {t: found[t] for t in declared} == declared
    assert declared["users"] == {"ck_users_ck_users_role"}  # as revision 0001 created it


def test_upgrade_from_revision_0001_keeps_data(store_url):
    """A database created at revision 0001 (before saved scenarios) is upgraded to the head:
    its rows stay, and it ends with exactly the declared schema."""
    engine = db.make_engine(store_url)
    with engine.connect().execution_options(write=True) as conn, conn.begin():
        db.migrate(conn, "0001")
    assert db.current_revision(engine) == "0001"
    assert "scenarios" not in sa.inspect(engine).get_table_names()
    with engine.begin() as conn:  # a row written at revision 0001 (Store() would upgrade first)
        conn.execute(
            users.insert().values(
                name="anna", password_hash="x", role="pflege", created_at=datetime.now(UTC), created_by="test"
            )
        )
    assert db.upgrade(engine) == ("0001", db.head_revision())
    with engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    s = Store(store_url)
    assert [u.name for u in s.users()] == ["anna"] and s.data_version() == {"tables": 0, "catalogue": 0}
    s.dispose()
    engine.dispose()


def test_downgrade_to_empty_removes_every_table(store):
    with store.engine.connect().execution_options(write=True) as conn, conn.begin():
        db.migrate(conn, "base", down=True)
    assert set(sa.inspect(store.engine).get_table_names()) <= {"alembic_version"}


def test_upgrade_is_idempotent_and_keeps_data(store, store_url):
    store.create_user("anna", PASSWORD, "pflege", actor=CLI)
    before, after = db.upgrade(store.engine)
    assert before == after == db.head_revision()
    again = Store(store_url)
    assert [u.name for u in again.users()] == ["anna"]
    again.dispose()


def test_default_database_is_a_sqlite_file_in_the_user_data_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("DASHBOARD_USER_DATA", str(tmp_path / "ud"))
    assert db.database_url() == f"sqlite:///{tmp_path / 'ud' / 'dashboard.sqlite3'}"
    assert (tmp_path / "ud").is_dir()  # created on first use, so `python -m dashboard` just works
    monkeypatch.setenv("DATABASE_URL", "postgres://u:geheim@db.example/kd")
    assert db.database_url() == "postgresql+psycopg://u:geheim@db.example/kd"
    assert "geheim" not in db.display_url(db.database_url())


# --------------------------------------------------------------------------- accounts


def test_accounts_roles_and_passwords(store):
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI)
    ben = store.create_user("ben", PASSWORD + "2", "planung", actor=anna.actor())
    assert (anna.role, ben.role) == ("pflege", "planung")
    assert store.authenticate("anna", PASSWORD) == anna
    assert store.authenticate("ANNA", PASSWORD) == anna  # names are case-insensitive
    assert store.authenticate("anna", PASSWORD + "x") is None
    assert store.authenticate("niemand", PASSWORD) is None
    with store.engine.connect() as conn:
        stored = conn.execute(sa.text("SELECT password_hash FROM users WHERE name = 'anna'")).scalar()
    assert stored.startswith("scrypt:") and PASSWORD not in stored
    with pytest.raises(Invalid, match="gibt es schon"):
        store.create_user("Anna", PASSWORD, "planung", actor=CLI)
    with pytest.raises(Invalid, match="mindestens 10 Zeichen"):
        store.create_user("carl", "kurz", "planung", actor=CLI)
    with pytest.raises(Invalid, match="Rolle"):
        store.create_user("carl", PASSWORD, "admin", actor=CLI)
    with pytest.raises(Invalid, match="Benutzername"):
        store.create_user("mit leerzeichen", PASSWORD, "planung", actor=CLI)
    with pytest.raises(NotAllowed):
        store.create_user("carl", PASSWORD, "planung", actor=ben.actor())
    with pytest.raises(NotAllowed):
        store.set_role("ben", "pflege", actor=ben.actor())
    store.set_active("ben", False, actor=anna.actor())
    assert store.authenticate("ben", PASSWORD + "2") is None  # a locked account cannot sign in
    store.set_role("ben", "pflege", actor=anna.actor())
    assert store.user_by_name("ben").role == "pflege"
    actions = [e.action for e in store.audit()]
    assert actions.count("create_user") == 2 and "deactivate" in actions and "set_role" in actions


# --------------------------------------------------------------------------- drafts and publish


def test_draft_keeps_bytes_hash_and_author(store):
    ben = store.create_user("ben", PASSWORD, "planung", actor=CLI).actor()
    blob = bytes(range(256)) * 100
    v = _draft(store, ben, content=blob)
    full = store.version(v.id, with_content=True)
    assert full.content == blob and full.payload == b"tidy:" + blob
    assert full.sha256 == hashlib.sha256(blob).hexdigest() and full.size_bytes == len(blob)
    assert (full.status, full.created_by, full.created_by_id) == ("draft", "ben", ben.user_id)
    assert full.created_at.tzinfo is not None
    assert store.version(v.id).content is None  # listings never load the bytes
    assert [x.id for x in store.versions("tables", created_by_id=ben.user_id)] == [v.id]
    assert store.data_version() == {"tables": 0, "catalogue": 0}  # a draft changes nothing public


def test_only_pflege_publishes_and_nothing_is_overwritten(store):
    ben = store.create_user("ben", PASSWORD, "planung", actor=CLI).actor()
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI).actor()
    a = _draft(store, ben, content=b"A")
    with pytest.raises(NotAllowed):
        store.publish(a.id, actor=ben, expected=0)
    r1 = store.publish(a.id, actor=anna, expected=0)
    assert (r1.number, r1.version_ids, r1.action, r1.created_by) == (1, (a.id,), "publish", "anna")
    other_slot = _draft(store, ben, slot="12411-02-03-5:2023", content=b"C")
    store.publish(other_slot.id, actor=anna, expected=1)
    b = _draft(store, ben, content=b"B")  # same slot as A: replaces it, keeps the other slot
    r3 = store.publish(b.id, actor=anna, expected=2)
    assert set(r3.version_ids) == {other_slot.id, b.id}
    assert store.version(a.id).status == "superseded"
    assert store.version(a.id, with_content=True).content == b"A"  # kept for rollback
    assert store.data_version()["tables"] == 3
    with pytest.raises(Invalid, match="bereits veröffentlicht"):
        store.publish(b.id, actor=anna, expected=3)


def test_catalogue_channel_has_one_published_version(store):
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI).actor()
    a = _draft(store, anna, channel="catalogue", slot="catalogue", content=b"wb1")
    b = _draft(store, anna, channel="catalogue", slot="catalogue", content=b"wb2")
    store.publish(a.id, actor=anna, expected=0)
    r = store.publish(b.id, actor=anna, expected=1)
    assert r.version_ids == (b.id,)
    assert store.data_version() == {"tables": 0, "catalogue": 2}


def test_stale_publish_is_a_conflict_and_changes_nothing(store):
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI).actor()
    carl = store.create_user("carl", PASSWORD, "pflege", actor=CLI).actor()
    a, b = _draft(store, anna, content=b"A"), _draft(store, carl, content=b"B")
    store.publish(a.id, actor=anna, expected=0)
    with pytest.raises(Conflict) as err:
        store.publish(b.id, actor=carl, expected=0)
    assert "Stand 0 gesehen" in str(err.value) and "anna" in str(err.value)
    assert store.active("tables").version_ids == (a.id,)
    assert store.version(b.id).status == "draft"  # nothing lost: the draft is still there
    assert store.audit()[0].action == "conflict"


def test_discard_only_by_author_or_pflege(store):
    ben = store.create_user("ben", PASSWORD, "planung", actor=CLI).actor()
    eva = store.create_user("eva", PASSWORD, "planung", actor=CLI).actor()
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI).actor()
    v = _draft(store, ben)
    with pytest.raises(NotAllowed):
        store.discard(v.id, actor=eva)
    assert store.discard(v.id, actor=ben).status == "discarded"
    with pytest.raises(Invalid, match="verworfen"):
        store.publish(v.id, actor=anna, expected=0)
    with pytest.raises(NotFound):
        store.version(9999)


def test_unusable_version_cannot_be_published(store):
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI).actor()
    v = store.create_draft(
        "tables",
        content=b"x",
        filename="x.csv",
        payload=b"",
        provenance={},
        report={"usable": False},
        slot="s",
        actor=anna,
    )
    with pytest.raises(Invalid, match="Prüfung nicht bestanden"):
        store.publish(v.id, actor=anna, expected=0)


def test_rollback_walks_back_and_restores_exactly(store):
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI).actor()
    a, b = _draft(store, anna, content=b"A"), _draft(store, anna, content=b"B")
    store.publish(a.id, actor=anna, expected=0)
    store.publish(b.id, actor=anna, expected=1)
    r3 = store.rollback("tables", actor=anna, expected=2)
    assert (r3.number, r3.version_ids, r3.action, r3.restored_number) == (3, (a.id,), "rollback", 1)
    assert store.payloads(r3.version_ids) == {a.id: b"tidy:A"}
    assert (store.version(a.id).status, store.version(b.id).status) == ("published", "superseded")
    r4 = store.rollback("tables", actor=anna, expected=3)  # further back: nothing published
    assert (r4.number, r4.version_ids, r4.restored_number) == (4, (), 0)
    with pytest.raises(Invalid, match="keinen früheren Stand"):
        store.rollback("tables", actor=anna, expected=4)
    r5 = store.rollback("tables", actor=anna, expected=4, to=2)  # any earlier state by number
    assert r5.version_ids == (b.id,)
    with pytest.raises(Conflict):
        store.rollback("tables", actor=anna, expected=4, to=1)
    assert [r.number for r in store.releases("tables")] == [5, 4, 3, 2, 1]
    assert {v.id for v in store.versions("tables")} == {a.id, b.id}  # nothing deleted


@pytest.mark.parametrize("round_", range(3))
def test_two_concurrent_publishes_exactly_one_wins(store, round_):
    """Two maintainers press "Veröffentlichen" at the same moment, both having seen the same
    state: exactly one publish lands, the other gets a clear conflict; nothing is lost."""
    anna = store.create_user("anna", PASSWORD, "pflege", actor=CLI).actor()
    carl = store.create_user("carl", PASSWORD, "pflege", actor=CLI).actor()
    drafts = {anna: _draft(store, anna, content=b"A"), carl: _draft(store, carl, content=b"C")}
    expected = store.active("tables").number
    barrier = threading.Barrier(2)
    outcome: dict = {}

    def press(actor):
        barrier.wait()
        try:
            outcome[actor.name] = store.publish(drafts[actor].id, actor=actor, expected=expected)
        except Conflict as exc:
            outcome[actor.name] = exc

    threads = [threading.Thread(target=press, args=(a,)) for a in (anna, carl)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    wins = [k for k, v in outcome.items() if not isinstance(v, Exception)]
    losses = [v for v in outcome.values() if isinstance(v, Conflict)]
    assert len(wins) == 1 and len(losses) == 1, outcome
    assert "Nicht veröffentlicht" in str(losses[0])
    active = store.active("tables")
    winner = anna if wins == ["anna"] else carl
    loser = carl if winner is anna else anna
    assert active.number == expected + 1 and active.version_ids == (drafts[winner].id,)
    assert store.version(drafts[loser].id).status == "draft"  # the loser's draft is kept
    assert len(store.releases("tables")) == 1


def test_data_version_is_one_cheap_query(store):
    count = []

    def seen(conn, cursor, statement, *rest):
        if statement.split()[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            count.append(statement)

    sa.event.listen(store.engine, "before_cursor_execute", seen)
    store.data_version()
    assert len(count) == 1, count


def test_versions_marked_synthetic_are_never_published_or_restored_outside_tests(store, monkeypatch):
    """Labelled test recordings (provenance ``synthetic``) stay drafts unless the test-only
    setting DASHBOARD_TESTS_ALLOW_SYNTHETIC=1 is on; real versions are unaffected."""
    from dashboard.settings import SYNTHETIC_ENV

    monkeypatch.delenv(SYNTHETIC_ENV, raising=False)
    synth = store.create_draft(
        "tables",
        content=b"aufzeichnung",
        filename="t.zip",
        payload=b"tidy",
        provenance={"publisher": "Test", "synthetic": True},
        report={"usable": True},
        slot="12411-02-03-5:2024",
        actor=CLI,
    )
    real = _draft(store, CLI, slot="12411-15i:2024")
    assert store.version(synth.id).synthetic and not store.version(real.id).synthetic
    with pytest.raises(NotAllowed, match=f"Version {synth.id} ist als SYNTHETISCH"):
        store.publish(synth.id, actor=CLI, expected=0)
    assert store.active("tables").number == 0 and store.version(synth.id).status == "draft"
    store.publish(real.id, actor=CLI, expected=0)  # 1: real only
    monkeypatch.setenv(SYNTHETIC_ENV, "1")
    store.publish(synth.id, actor=CLI, expected=1)  # 2: real + synthetic (tests only)
    store.rollback("tables", actor=CLI, expected=2)  # 3: back to real only
    monkeypatch.setenv(SYNTHETIC_ENV, "yes")  # only exactly "1" counts
    with pytest.raises(NotAllowed, match="SYNTHETISCH"):
        store.rollback("tables", actor=CLI, expected=3, to=2)
    assert list(store.active("tables").version_ids) == [real.id]


def test_threads_migrating_their_own_databases_at_once_each_reach_the_declared_schema(tmp_path):
    """Alembic keeps its migration context in process-wide proxies (``alembic.context``/``op``);
    ``db.migrate`` runs one migration at a time per process, so threads that migrate their own
    databases at the same moment (an app background thread and a request or a test) do not run
    in each other's context."""
    engines = [db.make_engine(f"sqlite:///{tmp_path / f'store{i}.sqlite3'}") for i in range(6)]
    start = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def work(engine):
        try:
            start.wait()
            db.upgrade(engine)
        except BaseException as err:  # noqa: BLE001 - collected and asserted below
            errors.append(err)

    threads = [threading.Thread(target=work, args=(e,)) for e in engines]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    for engine in engines:
        assert db.current_revision(engine) == db.head_revision()
        with engine.connect() as conn:
            assert compare_metadata(MigrationContext.configure(conn), metadata) == []
        engine.dispose()
