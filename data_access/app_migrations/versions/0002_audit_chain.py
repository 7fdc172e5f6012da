"""Audit log hash chain; TRUNCATE and INSERT OR REPLACE refused.

Adds ``prev_hash`` and ``event_hash`` to ``audit_log`` (``data_access.audit_chain``) and a unique
constraint on ``prev_hash`` (no two events can follow the same one). Events already in the log
are chained in ``event_id`` order from the genesis value (``GENESIS_HASH``, 64 zeros), exactly as
if they had been written with the chain: the append-only triggers are dropped for the duration
and created again, with two more: on SQLite, a BEFORE INSERT trigger refuses a row whose
``event_id`` or ``prev_hash`` is already in the log (``INSERT OR REPLACE`` would otherwise delete
the old row without firing the DELETE trigger); on PostgreSQL, a BEFORE TRUNCATE trigger.

Revision ID: 0002_audit_chain
Revises: 0001_baseline
Create Date: 2026-12-07
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from data_access.audit_chain import CHAINED_COLUMNS, GENESIS_HASH, event_hash

revision = "0002_audit_chain"
down_revision = "0001_baseline"
branch_labels = None
depends_on = None

_APPEND_ONLY = "audit_log is append-only"
_BATCH = {"table_kwargs": {"sqlite_autoincrement": True}}  # keep AUTOINCREMENT when copied
_RAISE = f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END"
_SQLITE_TRIGGERS = {
    "audit_log_no_update": f"BEFORE UPDATE ON audit_log {_RAISE}",
    "audit_log_no_delete": f"BEFORE DELETE ON audit_log {_RAISE}",
    "audit_log_no_replace": (
        "BEFORE INSERT ON audit_log WHEN EXISTS (SELECT 1 FROM audit_log WHERE "
        f"event_id = NEW.event_id OR prev_hash = NEW.prev_hash) {_RAISE}"
    ),
}
_PG_TRIGGERS = {
    "audit_log_append_only": "BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW",
    "audit_log_no_truncate": "BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT",
}
_CHUNK = 5000


def _drop_triggers(dialect: str, names: list[str]) -> None:
    for name in names:
        if dialect == "sqlite":
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        elif dialect == "postgresql":
            op.execute(f"DROP TRIGGER IF EXISTS {name} ON audit_log")


def _create_triggers(dialect: str, names: list[str]) -> None:
    for name in names:
        if dialect == "sqlite":
            op.execute(f"CREATE TRIGGER {name} {_SQLITE_TRIGGERS[name]}")
        elif dialect == "postgresql":
            # The function (baseline) raises before anything happens, for rows and statements.
            op.execute(
                f"CREATE TRIGGER {name} {_PG_TRIGGERS[name]} "
                "EXECUTE FUNCTION audit_log_append_only()"
            )


def _chain_existing_rows(bind: sa.Connection) -> None:
    # Typed, so that SQLite hands back occurred_at as a datetime, as the app reads it.
    log = sa.table(
        "audit_log",
        sa.column("event_id", sa.BigInteger),
        sa.column("occurred_at", sa.DateTime),
        *(sa.column(n, sa.Text) for n in CHAINED_COLUMNS if n not in ("event_id", "occurred_at")),
        sa.column("prev_hash", sa.String(64)),
        sa.column("event_hash", sa.String(64)),
    )
    update = (
        sa.update(log)
        .where(log.c.event_id == sa.bindparam("id"))
        .values(prev_hash=sa.bindparam("prev"), event_hash=sa.bindparam("hash"))
    )
    previous, after = GENESIS_HASH, None
    while True:
        page = sa.select(*(log.c[name] for name in CHAINED_COLUMNS)).order_by(log.c.event_id)
        if after is not None:
            page = page.where(log.c.event_id > after)
        rows = bind.execute(page.limit(_CHUNK)).mappings().all()
        if not rows:
            return
        params = []
        for row in rows:
            current = event_hash(row, previous)
            params.append({"id": row["event_id"], "prev": previous, "hash": current})
            previous = current
        bind.execute(update, params)
        after = rows[-1]["event_id"]


def upgrade() -> None:
    bind = op.get_bind()
    dialect = bind.dialect.name
    _drop_triggers(dialect, ["audit_log_no_update", "audit_log_no_delete", "audit_log_append_only"])
    with op.batch_alter_table("audit_log", **_BATCH) as batch:
        batch.add_column(sa.Column("prev_hash", sa.String(64)))
        batch.add_column(sa.Column("event_hash", sa.String(64)))
    _chain_existing_rows(bind)
    with op.batch_alter_table("audit_log", **_BATCH) as batch:
        batch.alter_column("prev_hash", existing_type=sa.String(64), nullable=False)
        batch.alter_column("event_hash", existing_type=sa.String(64), nullable=False)
        batch.create_unique_constraint("uq_audit_log_prev_hash", ["prev_hash"])
    _create_triggers(dialect, list(_SQLITE_TRIGGERS if dialect == "sqlite" else _PG_TRIGGERS))


def downgrade() -> None:
    """Back to the baseline: the chain columns are dropped (the hashes are lost)."""
    bind = op.get_bind()
    dialect = bind.dialect.name
    _drop_triggers(dialect, list(_SQLITE_TRIGGERS if dialect == "sqlite" else _PG_TRIGGERS))
    with op.batch_alter_table("audit_log", **_BATCH) as batch:
        batch.drop_constraint("uq_audit_log_prev_hash", type_="unique")
        batch.drop_column("event_hash")
        batch.drop_column("prev_hash")
    if dialect == "sqlite":
        _create_triggers(dialect, ["audit_log_no_update", "audit_log_no_delete"])
    else:
        _create_triggers(dialect, ["audit_log_append_only"])
