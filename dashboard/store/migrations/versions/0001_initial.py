"""Initial schema: users, versions, releases, release_items, channels, audit.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dashboard.store.migrations import create_declared

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def declare(metadata: sa.MetaData) -> None:
    """The tables of this revision (as released; see :mod:`dashboard.store.schema`).

    The check constraints are named as this revision created them: its explicit names went
    through the naming convention once more (``ck_users_ck_users_role``).
    """
    sa.Table(
        "users",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False, unique=True),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.CheckConstraint("role IN ('planung', 'pflege')", name="ck_users_role"),
    )
    sa.Table(
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
        sa.CheckConstraint("channel IN ('tables', 'catalogue')", name="ck_versions_channel"),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'superseded', 'discarded')", name="ck_versions_status"
        ),
        sa.Index("ix_versions_channel_status", "channel", "status"),
    )
    sa.Table(
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
        sa.CheckConstraint("action IN ('publish', 'rollback')", name="ck_releases_action"),
    )
    sa.Table(
        "release_items",
        metadata,
        sa.Column("release_id", sa.Integer, sa.ForeignKey("releases.id"), primary_key=True),
        sa.Column("version_id", sa.Integer, sa.ForeignKey("versions.id"), primary_key=True),
    )
    sa.Table(
        "channels",
        metadata,
        sa.Column("name", sa.String(16), primary_key=True),
        sa.Column("number", sa.Integer, nullable=False, server_default="0"),
        sa.Column("active_release_id", sa.Integer, sa.ForeignKey("releases.id"), nullable=True),
    )
    sa.Table(
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


def upgrade() -> None:
    metadata = create_declared(declare)
    op.bulk_insert(
        metadata.tables["channels"], [{"name": "tables", "number": 0}, {"name": "catalogue", "number": 0}]
    )


def downgrade() -> None:
    op.drop_index("ix_audit_at", table_name="audit")
    op.drop_table("audit")
    op.drop_table("channels")
    op.drop_table("release_items")
    op.drop_table("releases")
    op.drop_index("ix_versions_channel_status", table_name="versions")
    op.drop_table("versions")
    op.drop_table("users")
