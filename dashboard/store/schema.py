"""The store's tables (SQLAlchemy Core). The Alembic migrations in ``migrations/versions``
create exactly this schema; ``tests/test_store.py`` checks that they agree.

=================  ==========================================================================
table              what it holds
=================  ==========================================================================
``users``          accounts: unique name, password hash (scrypt), role ``planung``/``pflege``
``versions``       every uploaded or fetched item of a channel, never overwritten: original
                   bytes (``content``), what consumers read (``payload``: tidy CSV of a table,
                   the workbook of a catalogue), SHA-256, provenance and validation report
                   (JSON), who and when, status ``draft``/``published``/``superseded``/
                   ``discarded``
``releases``       one row per publish or rollback of a channel, numbered 1, 2, … per channel;
                   ``based_on`` is the release it replaced (rollback walks back along it)
``release_items``  the versions that make up a release (the published set)
``channels``       one row per channel (``tables``, ``catalogue``): the active release and its
                   number — the optimistic-lock column of publish/rollback and the data
                   version the app polls
``audit``          who did what when: drafts, publish, rollback, refused publishes
                   (conflicts), account changes, saved and withdrawn scenarios
``scenarios``      saved scenarios (migration 0002): a short public ``key`` for the permalink,
                   title, description, the scenario document (JSON text, opaque to the store,
                   never changed after saving), its SHA-256, author and date; ``withdrawn_at``
                   hides it from lists (the row stays)
``scenario_municipalities``  the municipalities (AGS) a saved scenario has local inputs for
                   (the per-municipality list)
=================  ==========================================================================
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ROLES = ("planung", "pflege")
CHANNELS = ("tables", "catalogue")
STATUSES = ("draft", "published", "superseded", "discarded")

TS = sa.DateTime(timezone=True)

users = sa.Table(
    "users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.CheckConstraint("role IN ('planung', 'pflege')", name="role"),
)

versions = sa.Table(
    "versions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("slot", sa.String(200), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("filename", sa.String(200), nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("size_bytes", sa.Integer, nullable=False),
    sa.Column("content", sa.LargeBinary, nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Column("provenance", sa.JSON, nullable=False),
    sa.Column("report", sa.JSON, nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("published_at", TS, nullable=True),
    sa.Column("published_by", sa.String(64), nullable=True),
    sa.CheckConstraint("channel IN ('tables', 'catalogue')", name="channel"),
    sa.CheckConstraint("status IN ('draft', 'published', 'superseded', 'discarded')", name="status"),
    sa.Index("ix_versions_channel_status", "channel", "status"),
)

releases = sa.Table(
    "releases",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("action", sa.String(16), nullable=False),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=True),
    sa.Column("based_on_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=True),
    sa.Column("restored_number", sa.Integer, nullable=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("note", sa.Text, nullable=False, server_default=""),
    sa.UniqueConstraint("channel", "number", name="uq_releases_channel_number"),
    sa.CheckConstraint("action IN ('publish', 'rollback')", name="action"),
)

release_items = sa.Table(
    "release_items",
    metadata,
    sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), primary_key=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), primary_key=True),
)

channels = sa.Table(
    "channels",
    metadata,
    sa.Column("name", sa.String(16), primary_key=True),
    sa.Column("number", sa.Integer, nullable=False, server_default="0"),
    sa.Column("active_release_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=True),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", TS, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("actor_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("action", sa.String(32), nullable=False),
    sa.Column("channel", sa.String(16), nullable=True),
    sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), nullable=True),
    sa.Column("release_number", sa.Integer, nullable=True),
    sa.Column("detail", sa.Text, nullable=False, server_default=""),
    sa.Index("ix_audit_at", "at"),
)

scenarios = sa.Table(
    "scenarios",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("key", sa.String(16), nullable=False, unique=True),
    sa.Column("title", sa.String(120), nullable=False),
    sa.Column("description", sa.Text, nullable=False, server_default=""),
    sa.Column("document", sa.Text, nullable=False),
    sa.Column("sha256", sa.String(64), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("created_by_id", sa.Integer, sa.ForeignKey("users.id"), nullable=True),
    sa.Column("withdrawn_at", TS, nullable=True),
    sa.Column("withdrawn_by", sa.String(64), nullable=True),
    sa.Index("ix_scenarios_created_at", "created_at"),
)

scenario_municipalities = sa.Table(
    "scenario_municipalities",
    metadata,
    sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id"), primary_key=True),
    sa.Column("ags", sa.String(8), primary_key=True),
    sa.Index("ix_scenario_municipalities_ags", "ags"),
)
