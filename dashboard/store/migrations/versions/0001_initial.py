"""Initial schema: users, versions, releases, release_items, channels, audit.

Revision ID: 0001
Revises:
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.CheckConstraint("role IN ('planung', 'pflege')", name="ck_users_role"),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("name", name="uq_users_name"),
    )
    op.create_table(
        "versions",
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
        sa.Column("created_by_id", sa.Integer, nullable=True),
        sa.Column("published_at", TS, nullable=True),
        sa.Column("published_by", sa.String(64), nullable=True),
        sa.CheckConstraint("channel IN ('tables', 'catalogue')", name="ck_versions_channel"),
        sa.CheckConstraint(
            "status IN ('draft', 'published', 'superseded', 'discarded')", name="ck_versions_status"
        ),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_versions_created_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_versions"),
    )
    op.create_index("ix_versions_channel_status", "versions", ["channel", "status"])
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("version_id", sa.Integer, nullable=True),
        sa.Column("based_on_id", sa.Integer, nullable=True),
        sa.Column("restored_number", sa.Integer, nullable=True),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_by_id", sa.Integer, nullable=True),
        sa.Column("note", sa.Text, nullable=False, server_default=""),
        sa.CheckConstraint("action IN ('publish', 'rollback')", name="ck_releases_action"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], name="fk_releases_version_id_versions"),
        sa.ForeignKeyConstraint(["based_on_id"], ["releases.id"], name="fk_releases_based_on_id_releases"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_releases_created_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_releases"),
        sa.UniqueConstraint("channel", "number", name="uq_releases_channel_number"),
    )
    op.create_table(
        "release_items",
        sa.Column("release_id", sa.Integer, nullable=False),
        sa.Column("version_id", sa.Integer, nullable=False),
        sa.ForeignKeyConstraint(["release_id"], ["releases.id"], name="fk_release_items_release_id_releases"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], name="fk_release_items_version_id_versions"),
        sa.PrimaryKeyConstraint("release_id", "version_id", name="pk_release_items"),
    )
    channels = op.create_table(
        "channels",
        sa.Column("name", sa.String(16), nullable=False),
        sa.Column("number", sa.Integer, nullable=False, server_default="0"),
        sa.Column("active_release_id", sa.Integer, nullable=True),
        sa.ForeignKeyConstraint(
            ["active_release_id"], ["releases.id"], name="fk_channels_active_release_id_releases"
        ),
        sa.PrimaryKeyConstraint("name", name="pk_channels"),
    )
    op.bulk_insert(channels, [{"name": "tables", "number": 0}, {"name": "catalogue", "number": 0}])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("actor_id", sa.Integer, nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=True),
        sa.Column("version_id", sa.Integer, nullable=True),
        sa.Column("release_number", sa.Integer, nullable=True),
        sa.Column("detail", sa.Text, nullable=False, server_default=""),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name="fk_audit_actor_id_users"),
        sa.ForeignKeyConstraint(["version_id"], ["versions.id"], name="fk_audit_version_id_versions"),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_at", "audit", ["at"])


def downgrade() -> None:
    op.drop_index("ix_audit_at", table_name="audit")
    op.drop_table("audit")
    op.drop_table("channels")
    op.drop_table("release_items")
    op.drop_table("releases")
    op.drop_index("ix_versions_channel_status", table_name="versions")
    op.drop_table("versions")
    op.drop_table("users")
