"""Single sign-on sessions kept server-side (``sso_session``, one row per person).

Revision ID: 0003_sso_session
Revises: 0002_audit_chain
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_sso_session"
down_revision = "0002_audit_chain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sso_session",
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("token_issued_at", sa.Float(53), nullable=False),
        sa.Column("signed_in_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=False),
        sa.Column("ended_at", sa.DateTime),
        sa.Column("end_reason", sa.String(32)),
    )


def downgrade() -> None:
    op.drop_table("sso_session")
