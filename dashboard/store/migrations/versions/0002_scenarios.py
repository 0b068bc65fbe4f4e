"""Saved scenarios (issue 13): scenarios, scenario_municipalities.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from dashboard.store.migrations import create_declared

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def declare(metadata: sa.MetaData) -> None:
    """The tables of this revision (as released; they refer to ``users`` of revision 0001)."""
    sa.Table(
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
    sa.Table(
        "scenario_municipalities",
        metadata,
        sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id"), primary_key=True),
        sa.Column("ags", sa.String(8), primary_key=True),
        sa.Index("ix_scenario_municipalities_ags", "ags"),
    )


def upgrade() -> None:
    create_declared(declare, existing=("users",))


def downgrade() -> None:
    op.drop_index("ix_scenario_municipalities_ags", table_name="scenario_municipalities")
    op.drop_table("scenario_municipalities")
    op.drop_index("ix_scenarios_created_at", table_name="scenarios")
    op.drop_table("scenarios")
