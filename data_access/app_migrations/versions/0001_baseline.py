"""Baseline: the app store as releases before Alembic created it (``metadata.create_all``).

A store made by such a release already has these tables: only the missing ones are created, so
the baseline runs on new and old stores alike. The definitions are a frozen copy; later changes
belong in later revisions, never here.

Revision ID: 0001_baseline
Revises:
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_baseline"
down_revision = None
branch_labels = None
depends_on = None

_APPEND_ONLY = "audit_log is append-only"


def _tables() -> sa.MetaData:
    meta = sa.MetaData()
    sa.Table(
        "app_user",
        meta,
        sa.Column("user_id", sa.String(64), primary_key=True),
        sa.Column("display_name", sa.String(128), nullable=False),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("prefecture_id", sa.BigInteger),
        sa.Column("cooperative_id", sa.BigInteger),
        sa.Column("branch_id", sa.BigInteger),
        sa.Column("staff_id", sa.BigInteger),
        sa.Column("password_hash", sa.String(255)),
        sa.Column("is_disabled", sa.Boolean, nullable=False),
        sa.Column("failed_attempts", sa.Integer, nullable=False),
        sa.Column("locked_until", sa.DateTime),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    sa.Table(
        "audit_log",
        meta,
        sa.Column(
            "event_id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            primary_key=True,
            autoincrement=True,
        ),
        sa.Column("occurred_at", sa.DateTime, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("role", sa.String(32)),
        sa.Column("event", sa.String(32), nullable=False),
        sa.Column("customer_ids", sa.Text),
        sa.Column("detail", sa.Text),
        sa.Column("warehouse_version", sa.String(80)),
        sa.Index("ix_audit_log_occurred_at", "occurred_at"),
        sa.Index("ix_audit_log_user_id", "user_id", "occurred_at"),
        sqlite_autoincrement=True,
    )
    sa.Table(
        "contact_log",
        meta,
        sa.Column("contact_id", sa.String(36), primary_key=True),
        sa.Column("customer_id", sa.BigInteger, nullable=False),
        sa.Column("branch_id", sa.BigInteger, nullable=False),
        sa.Column("staff_id", sa.BigInteger),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("contact_type", sa.String(24), nullable=False),
        sa.Column("outcome", sa.String(24), nullable=False),
        sa.Column("next_step", sa.String(64)),
        sa.Column("next_step_on", sa.Date),
        sa.Column("note", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Index("ix_contact_log_customer", "customer_id", "created_at"),
        sa.Index("ix_contact_log_branch", "branch_id", "created_at"),
    )
    sa.Table(
        "retention_case",
        meta,
        sa.Column("customer_id", sa.BigInteger, nullable=False),
        sa.Column("watch_month", sa.Date, nullable=False),
        sa.Column("branch_id", sa.BigInteger, nullable=False),
        sa.Column("assigned_staff_id", sa.BigInteger),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("follow_up_on", sa.Date),
        sa.Column("last_contact_id", sa.String(36)),
        sa.Column("updated_at", sa.DateTime, nullable=False),
        sa.Column("updated_by", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("customer_id", "watch_month"),
        sa.Index("ix_retention_case_month", "watch_month", "branch_id"),
    )
    sa.Table(
        "saved_view",
        meta,
        sa.Column("view_id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("name", sa.String(96), nullable=False),
        sa.Column("page", sa.String(64), nullable=False),
        sa.Column("query_string", sa.Text, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("user_id", "name", name="uq_saved_view_user_name"),
    )
    return meta


def _pg_trigger_exists(bind: sa.Connection) -> bool:
    found = bind.execute(
        sa.text(
            "SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_log'::regclass "
            "AND tgname = 'audit_log_append_only'"
        )
    )
    return found.first() is not None


def upgrade() -> None:
    bind = op.get_bind()
    _tables().create_all(bind, checkfirst=True)
    if bind.dialect.name == "sqlite":
        for name, action in (("audit_log_no_update", "UPDATE"), ("audit_log_no_delete", "DELETE")):
            op.execute(
                f"CREATE TRIGGER IF NOT EXISTS {name} BEFORE {action} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
            )
    elif bind.dialect.name == "postgresql" and not _pg_trigger_exists(bind):
        op.execute(
            "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql "
            f"AS $$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$"
        )
        op.execute(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()"
        )


def downgrade() -> None:
    bind = op.get_bind()
    _tables().drop_all(bind, checkfirst=True)  # the triggers go with audit_log
    if bind.dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_log_append_only()")
