"""Locks in a row per account (``app_user.lockouts``): each lock lasts longer, up to a cap.

Revision ID: 0004_lockouts
Revises: 0003_sso_session
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_lockouts"
down_revision = "0003_sso_session"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.add_column(
            sa.Column("lockouts", sa.Integer, nullable=False, server_default=sa.text("0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("app_user") as batch:
        batch.drop_column("lockouts")
