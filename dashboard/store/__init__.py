"""What users create: accounts and versioned drafts/published items (SQLAlchemy 2 + Alembic).

Knows no model and no screen: it stores bytes, JSON provenance and reports, and who did what.
The data layer decides what a table means (:mod:`dashboard.data.imports`); the app decides who
is signed in (:mod:`dashboard.app.auth`).

Database: ``DATABASE_URL`` (PostgreSQL with psycopg 3), else an embedded SQLite file in the
user-data folder, created and migrated on first use (``python -m dashboard db upgrade`` does it
explicitly). Tables: :mod:`dashboard.store.schema`.

Channels and versions
    ``tables`` holds imported official tables (several published at once, one per ``slot``,
    e.g. ``"12411-02-03-5:2024"``), ``catalogue`` the measures catalogue (one at a time).
    Every upload is a new :class:`Version` (``draft``); nothing is overwritten. A ``pflege``
    user publishes it: a new :class:`Release` (numbered per channel) lists the published set;
    the replaced version becomes ``superseded``. :meth:`Store.rollback` restores an earlier
    release as a new one. :meth:`Store.data_version` (one query) gives the release number per
    channel — what caches key on.

Concurrency
    Publish and rollback take ``expected`` (the release number the maintainer looked at) and
    move the channel's number in one conditional ``UPDATE`` inside the transaction that writes
    the release: of two concurrent publishes exactly one wins; the other gets
    :class:`Conflict` with a German message naming who published what, and nothing changes.

Example::

    from dashboard.store import Actor, get_store

    s = get_store()
    admin = Actor("Kommandozeile", "pflege")
    v = s.create_draft("tables", content=raw, filename="x.csv", payload=tidy_csv,
                       provenance={...}, report={"usable": True}, slot="12411-02-03-5:2024",
                       actor=admin)
    s.publish(v.id, actor=admin, expected=s.active("tables").number)

Saved scenarios (issue 13)
    :meth:`Store.save_scenario` keeps a scenario document (JSON text, opaque here) under a
    random 8-character key (the permalink), with title, description, author and the
    municipalities it concerns; :meth:`Store.scenario`, :meth:`Store.scenarios` (per
    municipality, newest first), :meth:`Store.withdraw_scenario` (author or ``pflege``; the
    row stays). Saved documents are never changed.
"""

from dashboard.store.api import (
    Actor,
    AuditEntry,
    Conflict,
    Invalid,
    NotAllowed,
    NotFound,
    Release,
    SavedScenario,
    Store,
    StoreError,
    User,
    Version,
    get_store,
    is_synthetic,
)
from dashboard.store.schema import CHANNELS, ROLES, STATUSES

__all__ = [
    "Actor",
    "AuditEntry",
    "CHANNELS",
    "Conflict",
    "Invalid",
    "NotAllowed",
    "NotFound",
    "ROLES",
    "Release",
    "SavedScenario",
    "STATUSES",
    "Store",
    "StoreError",
    "User",
    "Version",
    "get_store",
    "is_synthetic",
]
