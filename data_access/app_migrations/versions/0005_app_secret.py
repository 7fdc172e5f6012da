"""Secrets the app generates for itself (``app_secret``): the audit log's keyed-hash key.

Revision ID: 0005_app_secret
Revises: 0004_lockouts
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005_app_secret"
down_revision = "0004_lockouts"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "app_secret",
        sa.Column("name", sa.String(64), primary_key=True),
        sa.Column("value", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("app_secret")
