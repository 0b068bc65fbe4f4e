"""Saved scenarios (issue 13): scenarios, scenario_municipalities.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scenarios",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(16), nullable=False),
        sa.Column("title", sa.String(120), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("created_at", TS, nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("created_by_id", sa.Integer, nullable=True),
        sa.Column("withdrawn_at", TS, nullable=True),
        sa.Column("withdrawn_by", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name="fk_scenarios_created_by_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_scenarios"),
        sa.UniqueConstraint("key", name="uq_scenarios_key"),
    )
    op.create_index("ix_scenarios_created_at", "scenarios", ["created_at"])
    op.create_table(
        "scenario_municipalities",
        sa.Column("scenario_id", sa.Integer, nullable=False),
        sa.Column("ags", sa.String(8), nullable=False),
        sa.ForeignKeyConstraint(
            ["scenario_id"], ["scenarios.id"], name="fk_scenario_municipalities_scenario_id_scenarios"
        ),
        sa.PrimaryKeyConstraint("scenario_id", "ags", name="pk_scenario_municipalities"),
    )
    op.create_index("ix_scenario_municipalities_ags", "scenario_municipalities", ["ags"])


def downgrade() -> None:
    op.drop_index("ix_scenario_municipalities_ags", table_name="scenario_municipalities")
    op.drop_table("scenario_municipalities")
    op.drop_index("ix_scenarios_created_at", table_name="scenarios")
    op.drop_table("scenarios")
