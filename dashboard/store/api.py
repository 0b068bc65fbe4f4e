"""The store: accounts and versioned drafts/published items (see the package docstring)."""

from __future__ import annotations

import hashlib
import re
import secrets
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from werkzeug.security import check_password_hash, generate_password_hash

from dashboard.settings import synthetic_tables_allowed
from dashboard.store import db
from dashboard.store.schema import (
    CHANNELS,
    ROLES,
    audit,
    channels,
    release_items,
    releases,
    scenario_municipalities,
    scenarios,
    users,
    versions,
)
from dashboard.text import STORE as M

#: Smallest accepted password length (NIST SP 800-63B recommends at least 8; we ask for more
#: because the accounts may publish to the public site).
MIN_PASSWORD_LENGTH = 10
NAME_MAX = 64
PASSWORD_METHOD = "scrypt"  # werkzeug's scrypt KDF (n=2**15, r=8, p=1) with a random salt


#: Saved scenarios: limits of title, description and document (the JSON text, opaque here).
SCENARIO_TITLE_MAX = 120
SCENARIO_DESCRIPTION_MAX = 2000
SCENARIO_DOCUMENT_MAX = 64 * 1024
#: A scenario key (the permalink ``/szenarien?id=<key>``): 8 URL-safe characters, random.
SCENARIO_KEY_PATTERN = re.compile(r"[A-Za-z0-9_-]{8}")


class StoreError(Exception):
    """Base class; ``str(exc)`` is a German message meant for the user."""


class Conflict(StoreError):
    """Another publish or rollback came first (the optimistic version check failed)."""


class NotAllowed(StoreError):
    """The actor's role does not allow this."""


class NotFound(StoreError):
    """No such version, release or user."""


class Invalid(StoreError):
    """A value was refused (name, password, role, status)."""


@dataclass(frozen=True)
class Actor:
    """Who acts: a signed-in user, or the maintainer at the command line (``user_id`` None)."""

    name: str
    role: str
    user_id: int | None = None

    @property
    def can_publish(self) -> bool:
        return self.role == "pflege"


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str
    active: bool
    created_at: datetime
    created_by: str

    def actor(self) -> Actor:
        return Actor(self.name, self.role, self.id)


@dataclass(frozen=True)
class Version:
    """One stored item; ``content``/``payload`` are ``None`` unless asked for."""

    id: int
    channel: str
    slot: str
    status: str
    filename: str
    sha256: str
    size_bytes: int
    provenance: dict
    report: dict
    created_at: datetime
    created_by: str
    created_by_id: int | None
    published_at: datetime | None
    published_by: str | None
    content: bytes | None = None
    payload: bytes | None = None

    @property
    def synthetic(self) -> bool:
        """Marked synthetic (a labelled test recording, not official figures): see :func:`is_synthetic`."""
        return is_synthetic(self.provenance, self.report)


def is_synthetic(provenance: object, report: object) -> bool:
    """True when a version's provenance or report says ``synthetic`` (the labelled test
    recordings of ``data update --offline``): such a version is never published or served as
    official data outside tests (:func:`dashboard.settings.synthetic_tables_allowed`)."""
    return any(isinstance(d, dict) and bool(d.get("synthetic")) for d in (provenance, report))


@dataclass(frozen=True)
class Release:
    """A published state of a channel: number 0 means "nothing published" (shipped data)."""

    channel: str
    number: int
    version_ids: tuple[int, ...] = ()
    action: str | None = None
    created_at: datetime | None = None
    created_by: str | None = None
    based_on_number: int | None = None
    restored_number: int | None = None
    version_id: int | None = None
    versions: tuple[Version, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class SavedScenario:
    """A saved scenario; ``document`` is ``None`` in lists (ask :meth:`Store.scenario` for it)."""

    key: str
    title: str
    description: str
    sha256: str
    municipalities: tuple[str, ...]
    created_at: datetime
    created_by: str
    created_by_id: int | None
    withdrawn_at: datetime | None = None
    withdrawn_by: str | None = None
    document: str | None = None

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    channel: str | None
    version_id: int | None
    release_number: int | None
    detail: str


def _now() -> datetime:
    return datetime.now(UTC)


def _created(actor: Actor, at: datetime | None = None) -> dict[str, Any]:
    """Who created a new row and when (``created_at/_by/_by_id``; ``at`` defaults to now)."""
    return {
        "created_at": _now() if at is None else at,
        "created_by": actor.name[:NAME_MAX],
        "created_by_id": actor.user_id,
    }


def _aware(ts: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes; every stored time is UTC."""
    if ts is not None and ts.tzinfo is None:
        return ts.replace(tzinfo=UTC)
    return ts


def _check_channel(channel: str) -> str:
    if channel not in CHANNELS:
        raise Invalid(M["bad_channel"].format(channel=channel, allowed=", ".join(CHANNELS)))
    return channel


_VERSION_COLS = [c for c in versions.c if c.name not in ("content", "payload")]


def _record(cls, m, **given):
    """The dataclass ``cls`` from a row's mapping ``m``: each field from the column of its name
    (times made UTC-aware), except the fields ``given``."""
    read = {f.name: m[f.name] for f in fields(cls) if f.name not in given}
    return cls(**{k: _aware(v) if isinstance(v, datetime) else v for k, v in read.items()}, **given)


def _version(row, with_content: bool = False) -> Version:
    m = row._mapping
    return _record(
        Version,
        m,
        provenance=dict(m["provenance"] or {}),
        report=dict(m["report"] or {}),
        content=bytes(m["content"]) if with_content else None,
        payload=bytes(m["payload"]) if with_content else None,
    )


def _user(row) -> User:
    return _record(User, row._mapping, active=bool(row.active))


# A fixed hash to compare against when the user does not exist, so that a wrong name costs as
# much time as a wrong password (no user enumeration by timing).
_DUMMY_HASH = generate_password_hash("kein-benutzer-vorhanden", method=PASSWORD_METHOD)


class Store:
    """Accounts and versioned items in one database.

    Parameters
    ----------
    url : str, optional
        SQLAlchemy URL; default :func:`dashboard.store.db.database_url`.
    upgrade : bool
        Create or migrate the schema on construction (default True; ``python -m dashboard db
        upgrade`` does the same explicitly).
    """

    def __init__(self, url: str | None = None, *, upgrade: bool = True):
        self.url = url or db.database_url()
        self.engine = db.make_engine(self.url)
        if upgrade:
            db.upgrade(self.engine)
        self._listeners: list = []

    # ------------------------------------------------------------------ plumbing

    def _read(self):
        return self.engine.connect()

    def _write(self):
        return self.engine.connect().execution_options(write=True)

    def dispose(self) -> None:
        self.engine.dispose()

    def on_change(self, fn) -> None:
        """Call ``fn()`` after every publish/rollback made through this object (same process);
        registering the same function twice has no effect."""
        if fn not in self._listeners:
            self._listeners.append(fn)

    def _changed(self) -> None:
        for fn in list(self._listeners):
            fn()

    @staticmethod
    def _audit(conn, actor: Actor, action: str, **kw) -> None:
        conn.execute(
            audit.insert().values(
                at=_now(),
                actor=actor.name[:NAME_MAX],
                actor_id=actor.user_id,
                action=action,
                channel=kw.get("channel"),
                version_id=kw.get("version_id"),
                release_number=kw.get("release_number"),
                detail=kw.get("detail", ""),
            )
        )

    # ------------------------------------------------------------------ accounts

    def create_user(self, name: str, password: str, role: str, *, actor: Actor) -> User:
        """Create an account. Only ``pflege`` (or the command line acting as ``pflege``) may.

        Raises :class:`Invalid` for a bad name, role or short password, :class:`NotAllowed`
        for a ``planung`` actor.
        """
        if not actor.can_publish:
            raise NotAllowed(M["only_pflege_accounts"])
        name = str(name).strip()
        if not name or len(name) > NAME_MAX or any(c.isspace() or not c.isprintable() for c in name):
            raise Invalid(M["bad_name"].format(max=NAME_MAX))
        if role not in ROLES:
            raise Invalid(M["bad_role"].format(role=role, allowed=", ".join(ROLES)))
        if len(password) < MIN_PASSWORD_LENGTH:
            raise Invalid(M["short_password"].format(n=MIN_PASSWORD_LENGTH))
        pw_hash = generate_password_hash(password, method=PASSWORD_METHOD)
        with self._write() as conn, conn.begin():
            exists = conn.execute(sa.select(users.c.id).where(sa.func.lower(users.c.name) == name.lower()))
            if exists.first() is not None:
                raise Invalid(M["name_taken"].format(name=name))
            uid = conn.execute(
                users.insert().values(
                    name=name,
                    password_hash=pw_hash,
                    role=role,
                    active=True,
                    created_at=_now(),
                    created_by=actor.name[:NAME_MAX],
                )
            ).inserted_primary_key[0]
            self._audit(conn, actor, "create_user", detail=f"{name} ({role})")
        return self.user(uid)

    def user(self, user_id: int) -> User:
        with self._read() as conn:
            row = conn.execute(sa.select(users).where(users.c.id == user_id)).first()
        if row is None:
            raise NotFound(M["no_user"].format(name=user_id))
        return _user(row)

    def user_by_name(self, name: str) -> User | None:
        with self._read() as conn:
            row = conn.execute(
                sa.select(users).where(sa.func.lower(users.c.name) == str(name).strip().lower())
            ).first()
        return None if row is None else _user(row)

    def users(self) -> list[User]:
        with self._read() as conn:
            return [_user(r) for r in conn.execute(sa.select(users).order_by(users.c.name))]

    def authenticate(self, name: str, password: str) -> User | None:
        """The active user with this name and password, else ``None`` (same cost either way)."""
        with self._read() as conn:
            row = conn.execute(
                sa.select(users).where(sa.func.lower(users.c.name) == str(name).strip().lower())
            ).first()
        stored = row._mapping["password_hash"] if row is not None else _DUMMY_HASH
        ok = check_password_hash(stored, str(password))
        if row is None or not ok or not row._mapping["active"]:
            return None
        return _user(row)

    def set_password(self, name: str, password: str, *, actor: Actor) -> None:
        if not actor.can_publish and actor.name.lower() != str(name).lower():
            raise NotAllowed(M["only_pflege_accounts"])
        if len(password) < MIN_PASSWORD_LENGTH:
            raise Invalid(M["short_password"].format(n=MIN_PASSWORD_LENGTH))
        self._update_user(
            name,
            actor,
            "set_password",
            password_hash=generate_password_hash(password, method=PASSWORD_METHOD),
        )

    def set_role(self, name: str, role: str, *, actor: Actor) -> None:
        if not actor.can_publish:
            raise NotAllowed(M["only_pflege_accounts"])
        if role not in ROLES:
            raise Invalid(M["bad_role"].format(role=role, allowed=", ".join(ROLES)))
        self._update_user(name, actor, "set_role", role=role)

    def set_active(self, name: str, active: bool, *, actor: Actor) -> None:
        if not actor.can_publish:
            raise NotAllowed(M["only_pflege_accounts"])
        self._update_user(name, actor, "activate" if active else "deactivate", active=bool(active))

    def _update_user(self, name: str, actor: Actor, action: str, **values) -> None:
        with self._write() as conn, conn.begin():
            n = conn.execute(
                users.update()
                .where(sa.func.lower(users.c.name) == str(name).strip().lower())
                .values(**values)
            ).rowcount
            if n != 1:
                raise NotFound(M["no_user"].format(name=name))
            detail = (
                f"{name}: {values.get('role', values.get('active', ''))}"
                if action != "set_password"
                else name
            )
            self._audit(conn, actor, action, detail=str(detail))

    # ------------------------------------------------------------------ drafts

    def create_draft(
        self,
        channel: str,
        *,
        content: bytes,
        filename: str,
        payload: bytes,
        provenance: dict[str, Any],
        report: dict[str, Any],
        slot: str,
        actor: Actor,
    ) -> Version:
        """Store a new draft. Any signed-in role may; the draft is visible to its author and to
        ``pflege`` users until it is published."""
        _check_channel(channel)
        if actor.role not in ROLES:
            raise NotAllowed(M["login_to_upload"])
        content, payload = bytes(content), bytes(payload)
        with self._write() as conn, conn.begin():
            vid = conn.execute(
                versions.insert().values(
                    channel=channel,
                    slot=str(slot)[:200],
                    status="draft",
                    filename=str(filename)[:200],
                    sha256=hashlib.sha256(content).hexdigest(),
                    size_bytes=len(content),
                    content=content,
                    payload=payload,
                    provenance=provenance,
                    report=report,
                    **_created(actor),
                )
            ).inserted_primary_key[0]
            self._audit(
                conn, actor, "create_draft", channel=channel, version_id=vid, detail=str(filename)[:200]
            )
        return self.version(vid)

    def version(self, version_id: int, *, with_content: bool = False) -> Version:
        cols = list(versions.c) if with_content else _VERSION_COLS
        with self._read() as conn:
            row = conn.execute(sa.select(*cols).where(versions.c.id == int(version_id))).first()
        if row is None:
            raise NotFound(M["no_version"].format(id=version_id))
        return _version(row, with_content)

    def versions(
        self,
        channel: str,
        *,
        status: str | Iterable[str] | None = None,
        created_by_id: int | None = None,
    ) -> list[Version]:
        """Versions of a channel, newest first (without content)."""
        _check_channel(channel)
        q = sa.select(*_VERSION_COLS).where(versions.c.channel == channel)
        if status is not None:
            q = q.where(versions.c.status.in_([status] if isinstance(status, str) else list(status)))
        if created_by_id is not None:
            q = q.where(versions.c.created_by_id == created_by_id)
        with self._read() as conn:
            return [_version(r) for r in conn.execute(q.order_by(versions.c.id.desc()))]

    def payloads(self, version_ids: Iterable[int]) -> dict[int, bytes]:
        """The payloads of several versions in one query."""
        ids = [int(i) for i in version_ids]
        if not ids:
            return {}
        with self._read() as conn:
            rows = conn.execute(sa.select(versions.c.id, versions.c.payload).where(versions.c.id.in_(ids)))
            return {r.id: bytes(r.payload) for r in rows}

    def discard(self, version_id: int, *, actor: Actor) -> Version:
        """Mark a draft discarded (its author or a ``pflege`` user); nothing is deleted."""
        v = self.version(version_id)
        if not (actor.can_publish or (actor.user_id is not None and actor.user_id == v.created_by_id)):
            raise NotAllowed(M["not_your_draft"])
        if v.status != "draft":
            raise Invalid(M["not_a_draft"].format(id=v.id, status=M["status_" + v.status]))
        with self._write() as conn, conn.begin():
            conn.execute(versions.update().where(versions.c.id == v.id).values(status="discarded"))
            self._audit(conn, actor, "discard", channel=v.channel, version_id=v.id)
        return self.version(v.id)

    # ------------------------------------------------------------------ releases

    def data_version(self) -> dict[str, int]:
        """Release number per channel, in one query (what caches key on)."""
        with self._read() as conn:
            return {
                r.name: int(r.number) for r in conn.execute(sa.select(channels.c.name, channels.c.number))
            }

    def active(self, channel: str, *, with_versions: bool = True) -> Release:
        """The active release of a channel (number 0, no items: nothing published)."""
        _check_channel(channel)
        with self._read() as conn:
            ch = conn.execute(sa.select(channels).where(channels.c.name == channel)).first()
            if ch is None or ch.active_release_id is None:
                return Release(channel, int(ch.number) if ch else 0)
            return self._release(conn, ch.active_release_id, with_versions)

    def releases(self, channel: str) -> list[Release]:
        """Every release of a channel, newest first."""
        _check_channel(channel)
        with self._read() as conn:
            ids = conn.execute(
                sa.select(releases.c.id)
                .where(releases.c.channel == channel)
                .order_by(releases.c.number.desc())
            ).scalars()
            return [self._release(conn, i, False) for i in list(ids)]

    def _release(self, conn, release_id: int, with_versions: bool) -> Release:
        r = conn.execute(sa.select(releases).where(releases.c.id == release_id)).first()
        items = tuple(
            sorted(
                conn.execute(
                    sa.select(release_items.c.version_id).where(release_items.c.release_id == release_id)
                ).scalars()
            )
        )
        based = None
        if r.based_on_id is not None:
            based = conn.execute(sa.select(releases.c.number).where(releases.c.id == r.based_on_id)).scalar()
        vs = ()
        if with_versions and items:
            vs = tuple(
                _version(x)
                for x in conn.execute(
                    sa.select(*_VERSION_COLS).where(versions.c.id.in_(items)).order_by(versions.c.id)
                )
            )
        return Release(
            r.channel,
            int(r.number),
            items,
            r.action,
            _aware(r.created_at),
            r.created_by,
            based if based is not None else (0 if r.number else None),
            r.restored_number,
            r.version_id,
            vs,
        )

    def publish(self, version_id: int, *, actor: Actor, expected: int, note: str = "") -> Release:
        """Publish a version to everyone, atomically.

        Parameters
        ----------
        version_id : the draft (or an earlier, superseded version) to publish.
        actor : must have the role ``pflege``.
        expected : the release number of the channel the maintainer looked at. If another
            publish or rollback happened since, :class:`Conflict` is raised and nothing changes.

        In the ``tables`` channel the published version replaces the published version of the
        same ``slot`` (other slots stay); in ``catalogue`` it replaces the published catalogue.
        The replaced versions become ``superseded`` (kept for rollback).
        """
        if not actor.can_publish:
            raise NotAllowed(M["only_pflege_publish"])
        v = self.version(version_id)
        if v.status == "discarded":
            raise Invalid(M["discarded"].format(id=v.id))
        if v.status == "published":
            raise Invalid(M["already_published"].format(id=v.id))
        if not v.report.get("usable", True):
            raise Invalid(M["not_usable"].format(id=v.id))

        def items_for(conn, active_id):
            current = self._items(conn, active_id)
            if v.channel == "catalogue":
                return current, [v.id]
            slots = dict(
                conn.execute(
                    sa.select(versions.c.id, versions.c.slot).where(versions.c.id.in_(current or [-1]))
                ).all()
            )
            keep = [i for i in current if slots.get(i) != v.slot]
            return current, sorted([*keep, v.id])

        release = self._new_release(
            v.channel, actor, expected, "publish", items_for, version_id=v.id, note=note
        )
        return release

    def rollback(
        self, channel: str, *, actor: Actor, expected: int, to: int | None = None, note: str = ""
    ) -> Release:
        """Restore an earlier release as a new release (nothing is deleted).

        ``to`` is a release number (0 = nothing published, i.e. the shipped data); default: the
        release the active one was based on. Successive default rollbacks walk back through
        history; a rollback after a jump (``to=…``) undoes the jump.
        """
        if not actor.can_publish:
            raise NotAllowed(M["only_pflege_publish"])
        _check_channel(channel)
        target: dict = {}

        def items_for(conn, active_id):
            current = self._items(conn, active_id)
            if to is None:
                based = None
                if active_id is not None:
                    based = conn.execute(
                        sa.select(releases.c.based_on_id).where(releases.c.id == active_id)
                    ).scalar()
                if active_id is None or (based is None and not current):
                    raise Invalid(M["nothing_to_rollback"])
                target_id = based
            elif int(to) == 0:
                target_id = None
            else:
                target_id = conn.execute(
                    sa.select(releases.c.id).where(
                        (releases.c.channel == channel) & (releases.c.number == int(to))
                    )
                ).scalar()
                if target_id is None:
                    raise NotFound(M["no_release"].format(number=to))
            target["id"] = target_id
            target["number"] = (
                0
                if target_id is None
                else conn.execute(sa.select(releases.c.number).where(releases.c.id == target_id)).scalar()
            )
            if to is None:  # a step back: the next step back continues from the target's past
                target["based_on"] = (
                    None
                    if target_id is None
                    else conn.execute(
                        sa.select(releases.c.based_on_id).where(releases.c.id == target_id)
                    ).scalar()
                )
            else:  # a jump to a given state: the next step back undoes the jump
                target["based_on"] = active_id
            new = self._items(conn, target_id)
            if sorted(new) == sorted(current):
                raise Invalid(M["rollback_same"].format(number=target["number"]))
            return current, new

        return self._new_release(channel, actor, expected, "rollback", items_for, target=target, note=note)

    @staticmethod
    def _refuse_synthetic(conn, ids: list[int]) -> None:
        """Versions marked synthetic (labelled test recordings, provenance or report
        ``synthetic``) never become public, neither by publish nor by rollback, unless the
        test-only setting :func:`dashboard.settings.synthetic_tables_allowed` is on."""
        if not ids or synthetic_tables_allowed():
            return
        rows = conn.execute(
            sa.select(versions.c.id, versions.c.provenance, versions.c.report).where(versions.c.id.in_(ids))
        ).all()
        bad = [i for i, prov, rep in rows if is_synthetic(prov, rep)]
        if bad:
            raise NotAllowed(M["synthetic_refused"].format(ids=", ".join(str(i) for i in sorted(bad))))

    @staticmethod
    def _items(conn, release_id: int | None) -> list[int]:
        if release_id is None:
            return []
        return sorted(
            conn.execute(
                sa.select(release_items.c.version_id).where(release_items.c.release_id == release_id)
            ).scalars()
        )

    def _new_release(
        self, channel, actor, expected, action, items_for, *, version_id=None, target=None, note=""
    ):
        now = _now()
        try:
            with self._write() as conn, conn.begin():
                ch = conn.execute(
                    sa.select(channels).where(channels.c.name == channel).with_for_update()
                ).first()
                number = int(ch.number)
                if number != int(expected):
                    raise Conflict(self._conflict_text(conn, channel, expected, number))
                old, new = items_for(conn, ch.active_release_id)
                self._refuse_synthetic(conn, sorted(set(new) - set(old)))
                based_on = ch.active_release_id if action == "publish" else (target or {}).get("based_on")
                rid = conn.execute(
                    releases.insert().values(
                        channel=channel,
                        number=number + 1,
                        action=action,
                        version_id=version_id,
                        based_on_id=based_on,
                        restored_number=(target or {}).get("number") if action == "rollback" else None,
                        **_created(actor, now),
                        note=note,
                    )
                ).inserted_primary_key[0]
                # The optimistic lock: exactly one of two concurrent writers moves the number.
                moved = conn.execute(
                    channels.update()
                    .where((channels.c.name == channel) & (channels.c.number == number))
                    .values(number=number + 1, active_release_id=rid)
                ).rowcount
                if moved != 1:
                    raise Conflict(self._conflict_text(conn, channel, expected, None))
                if new:
                    conn.execute(release_items.insert(), [{"release_id": rid, "version_id": i} for i in new])
                gone, came = sorted(set(old) - set(new)), sorted(set(new) - set(old))
                if gone:
                    conn.execute(versions.update().where(versions.c.id.in_(gone)).values(status="superseded"))
                if came:
                    conn.execute(
                        versions.update()
                        .where(versions.c.id.in_(came))
                        .values(status="published", published_at=now, published_by=actor.name[:NAME_MAX])
                    )
                detail = (
                    f"Version {version_id}; ersetzt: {gone or '–'}"
                    if action == "publish"
                    else f"zurück auf Stand {(target or {}).get('number')}: Versionen {new or '–'}"
                )
                self._audit(
                    conn,
                    actor,
                    action,
                    channel=channel,
                    version_id=version_id,
                    release_number=number + 1,
                    detail=detail,
                )
        except sa.exc.IntegrityError as exc:  # the unique (channel, number) of a racing writer
            self._record_conflict(channel, actor, expected, version_id)
            raise Conflict(M["conflict_generic"].format(expected=expected)) from exc
        except sa.exc.OperationalError as exc:
            if "lock" in str(exc).lower() or "serializ" in str(exc).lower():
                self._record_conflict(channel, actor, expected, version_id)
                raise Conflict(M["conflict_generic"].format(expected=expected)) from exc
            raise
        except Conflict:
            self._record_conflict(channel, actor, expected, version_id)
            raise
        self._changed()
        return self.active(channel)

    def _record_conflict(self, channel, actor, expected, version_id) -> None:
        with self._write() as conn, conn.begin():
            self._audit(
                conn,
                actor,
                "conflict",
                channel=channel,
                version_id=version_id,
                detail=f"erwartet Stand {expected}",
            )

    @staticmethod
    def _conflict_text(conn, channel: str, expected: int, number: int | None) -> str:
        last = conn.execute(
            sa.select(releases.c.number, releases.c.created_by, releases.c.created_at, releases.c.action)
            .where(releases.c.channel == channel)
            .order_by(releases.c.number.desc())
            .limit(1)
        ).first()
        if last is None:
            return M["conflict_generic"].format(expected=expected)
        return M["conflict"].format(
            expected=expected,
            number=last.number,
            who=last.created_by,
            action=M["action_" + last.action],
            when=_aware(last.created_at).strftime("%d.%m.%Y %H:%M:%S UTC"),
        )

    # ------------------------------------------------------------------ audit

    # ------------------------------------------------------------------ saved scenarios

    def save_scenario(
        self,
        *,
        title: str,
        description: str,
        document: str,
        municipalities: Iterable[str] = (),
        actor: Actor,
    ) -> SavedScenario:
        """Save a scenario document under a new random key (nothing is ever overwritten).

        Any signed-in role may save. ``document`` is the scenario as JSON text (the caller
        validated it; the store keeps it unchanged); ``municipalities`` are the AGS it has
        local inputs for (listed per municipality). Raises :class:`Invalid` (German) for an
        empty or long title, a long description, control characters, an oversized document or
        a malformed AGS; :class:`NotAllowed` for an actor without a role.
        """
        if actor.role not in ROLES:
            raise NotAllowed(M["scenario_login"])
        title = str(title).strip()
        description = str(description).strip()
        if not 1 <= len(title) <= SCENARIO_TITLE_MAX:
            raise Invalid(M["scenario_title"].format(max=SCENARIO_TITLE_MAX, n=len(title)))
        if len(description) > SCENARIO_DESCRIPTION_MAX:
            raise Invalid(M["scenario_description"].format(max=SCENARIO_DESCRIPTION_MAX, n=len(description)))
        for label, text, allowed in (("Der Name", title, ""), ("Die Beschreibung", description, "\n\t")):
            if any(not c.isprintable() and c not in allowed for c in text):
                raise Invalid(M["scenario_control"].format(field=label))
        if not isinstance(document, str):
            raise Invalid(M["scenario_document"].format(max=SCENARIO_DOCUMENT_MAX, n="kein Text"))
        raw = document.encode("utf-8")
        if len(raw) > SCENARIO_DOCUMENT_MAX:
            raise Invalid(M["scenario_document"].format(max=SCENARIO_DOCUMENT_MAX, n=len(raw)))
        ags = sorted({str(a) for a in municipalities})
        for a in ags:
            if not re.fullmatch(r"\d{8}", a):
                raise Invalid(M["scenario_municipality"].format(ags=a))
        digest = hashlib.sha256(raw).hexdigest()
        for _attempt in range(5):
            key = secrets.token_urlsafe(6)  # 8 characters, 48 random bits
            try:
                with self._write() as conn, conn.begin():
                    sid = conn.execute(
                        scenarios.insert().values(
                            key=key,
                            title=title,
                            description=description,
                            document=document,
                            sha256=digest,
                            **_created(actor),
                        )
                    ).inserted_primary_key[0]
                    if ags:
                        conn.execute(
                            scenario_municipalities.insert(), [{"scenario_id": sid, "ags": a} for a in ags]
                        )
                    self._audit(conn, actor, "save_scenario", detail=f"{key}: {title}"[:500])
                return self.scenario(key)
            except sa.exc.IntegrityError:  # key collision (2^-48 per pair): draw again
                continue
        raise StoreError("Es konnte kein eindeutiger Schlüssel erzeugt werden.")  # pragma: no cover

    def scenario(self, key: str, *, with_document: bool = True) -> SavedScenario:
        """The saved scenario with this key (also when withdrawn; see ``withdrawn``).

        Raises :class:`NotFound` (German) for an unknown or malformed key (no query is made
        for a key that cannot exist).
        """
        if not isinstance(key, str) or not SCENARIO_KEY_PATTERN.fullmatch(key):
            raise NotFound(M["no_scenario"].format(key=str(key)[:20]))
        cols = [c for c in scenarios.c if with_document or c.name != "document"]
        with self._read() as conn:
            row = conn.execute(sa.select(*cols).where(scenarios.c.key == key)).first()
            if row is None:
                raise NotFound(M["no_scenario"].format(key=key))
            ags = tuple(
                conn.execute(
                    sa.select(scenario_municipalities.c.ags)
                    .where(scenario_municipalities.c.scenario_id == row.id)
                    .order_by(scenario_municipalities.c.ags)
                ).scalars()
            )
        return _saved(row, ags, with_document)

    def scenarios(
        self, *, ags: str | None = None, include_withdrawn: bool = False, limit: int = 200
    ) -> list[SavedScenario]:
        """Saved scenarios, newest first, without their documents.

        ``ags``: only those with local inputs for this municipality. Withdrawn ones only if
        asked for.
        """
        q = sa.select(*[c for c in scenarios.c if c.name != "document"])
        if ags is not None:
            q = q.join(
                scenario_municipalities, scenario_municipalities.c.scenario_id == scenarios.c.id
            ).where(scenario_municipalities.c.ags == str(ags))
        if not include_withdrawn:
            q = q.where(scenarios.c.withdrawn_at.is_(None))
        q = q.order_by(scenarios.c.created_at.desc(), scenarios.c.id.desc()).limit(int(limit))
        with self._read() as conn:
            rows = list(conn.execute(q))
            by_id: dict[int, list[str]] = {r.id: [] for r in rows}
            if by_id:
                for sid, a in conn.execute(
                    sa.select(scenario_municipalities.c.scenario_id, scenario_municipalities.c.ags)
                    .where(scenario_municipalities.c.scenario_id.in_(list(by_id)))
                    .order_by(scenario_municipalities.c.ags)
                ):
                    by_id[sid].append(a)
        return [_saved(r, tuple(by_id[r.id]), False) for r in rows]

    def withdraw_scenario(self, key: str, *, actor: Actor) -> SavedScenario:
        """Hide a saved scenario from the lists (its author or ``pflege``); the row stays."""
        sc = self.scenario(key, with_document=False)
        if not actor.can_publish and (actor.user_id is None or actor.user_id != sc.created_by_id):
            raise NotAllowed(M["not_your_scenario"])
        if sc.withdrawn:
            return sc
        with self._write() as conn, conn.begin():
            conn.execute(
                scenarios.update()
                .where(scenarios.c.key == key)
                .values(withdrawn_at=_now(), withdrawn_by=actor.name[:NAME_MAX])
            )
            self._audit(conn, actor, "withdraw_scenario", detail=key)
        return self.scenario(key, with_document=False)

    def audit(self, *, limit: int = 200) -> list[AuditEntry]:
        with self._read() as conn:
            rows = conn.execute(sa.select(audit).order_by(audit.c.id.desc()).limit(limit))
            return [_record(AuditEntry, r._mapping) for r in rows]


def _saved(row, ags: tuple[str, ...], with_document: bool) -> SavedScenario:
    m = row._mapping
    return _record(SavedScenario, m, municipalities=ags, document=m["document"] if with_document else None)


_STORES: dict[str, Store] = {}
_STORES_LOCK = threading.Lock()


def get_store() -> Store:
    """The process's store for the configured database (created, and the schema upgraded, on
    first use). Keyed on ``DATABASE_URL`` and ``DASHBOARD_USER_DATA`` as they are now, so a test
    session that points them elsewhere gets its own store."""
    key = db.configuration_key()
    store = _STORES.get(key)
    if store is None:
        with _STORES_LOCK:
            store = _STORES.get(key)
            if store is None:
                store = _STORES[key] = Store(db.database_url())
    return store
