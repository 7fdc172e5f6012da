"""The audit log's hash chain, the triggers that refuse rewriting it, the Alembic migrations that
create the app store, and the PostgreSQL owner and app roles (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import make_url

from cli import main
from data_access import app_migrations, app_store, app_store_admin, audit_chain
from data_access.viewer import Viewer
from tests.test_app_store import write_concurrently


def _chain_rows(url: str) -> list[sa.RowMapping]:
    log = app_store.audit_log
    with app_store.app_engine(url).connect() as conn:
        return list(conn.execute(sa.select(log).order_by(log.c.event_id)).mappings())


def _write_events(url: str, n: int) -> list[int]:
    viewer = Viewer("wang.fang", "branch_head", branch_id=101)
    return [
        app_store.audit(
            "customer_view",
            viewer if i % 2 else f"user-{i}",
            customer_ids=[i, 7],
            detail={"page": "customer", "note": "客户到期未续存"},
            warehouse_version="v-1" if i % 2 else None,
            url=url,
        )
        for i in range(n)
    ]


def _tamper(url: str, sql: str, params: dict | None = None) -> None:
    """Run ``sql`` on the audit log with its triggers out of the way, as a superuser could."""
    engine = app_store.app_engine(url)
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
            conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
            conn.execute(sa.text(sql), params or {})
        else:
            conn.exec_driver_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only")
            conn.execute(sa.text(sql), params or {})
            conn.exec_driver_sql("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only")


# ------------------------------------------------------------------ the chain


def test_chain_is_written_and_verifies_after_reading_back(store_url: str, capsys) -> None:
    ids = _write_events(store_url, 5)
    rows = _chain_rows(store_url)
    assert [row["event_id"] for row in rows] == ids
    previous = audit_chain.GENESIS_HASH
    for row in rows:  # as read back from the database, not as written
        assert row["prev_hash"] == previous
        assert row["event_hash"] == audit_chain.event_hash(row, previous)
        assert len(row["event_hash"]) == 64
        previous = row["event_hash"]
    assert rows[0]["occurred_at"].microsecond or rows[1]["occurred_at"].microsecond

    report = app_store.verify_audit_log(store_url)
    assert (report.intact, report.verified, report.last_event_id) == (True, 5, ids[-1])
    assert main(["audit", "verify", "--url", store_url]) == 0
    out = capsys.readouterr().out
    assert "Verified 5 audit events." in out
    assert f"Head: event {ids[-1]}, event_hash {rows[-1]['event_hash']}" in out


def test_verify_on_an_empty_log(store_url: str, capsys) -> None:
    assert main(["audit", "verify", "--url", store_url]) == 0
    assert "empty" in capsys.readouterr().out


def test_verify_refuses_a_store_it_cannot_read(tmp_path: Path, capsys) -> None:
    assert main(["audit", "verify", "--url", f"duckdb:///{tmp_path / 'x.duckdb'}"]) == 2
    assert "must not be DuckDB" in capsys.readouterr().err


def test_canonical_form_is_fixed() -> None:
    """The hash of a known row: a change to the canonical form would break every stored chain."""
    row = {
        "event_id": 1,
        "occurred_at": dt.datetime(2026, 9, 1, 8, 30, 0),
        "user_id": "li.wei",
        "role": None,
        "event": "sign_in",
        "customer_ids": None,
        "detail": '{"method": "password"}',
        "warehouse_version": None,
    }
    assert (
        audit_chain.canonical_form(row, audit_chain.GENESIS_HASH)
        == (
            '{"customer_ids":null,"detail":"{\\"method\\": \\"password\\"}",'
            '"event":"sign_in","event_id":1,"occurred_at":"2026-09-01T08:30:00.000000",'
            f'"prev_hash":"{"0" * 64}","role":null,"user_id":"li.wei","warehouse_version":null}}'
        ).encode()
    )
    assert audit_chain.event_hash(row, audit_chain.GENESIS_HASH) == (
        "da0ba8919fa75f72aecc80a87ab0cda7353be826a5b896890963bd0a4d7ea3f5"
    )


def test_gaps_between_ids_are_not_breaks() -> None:
    rows, previous = [], audit_chain.GENESIS_HASH
    for event_id in (3, 4, 9):
        row = {name: None for name in audit_chain.CHAINED_COLUMNS}
        row.update(event_id=event_id, user_id="u", event="sign_in", prev_hash=previous)
        row["event_hash"] = previous = audit_chain.event_hash(row, previous)
        rows.append(row)
    report = audit_chain.verify_rows(rows)
    assert (report.intact, report.verified, report.last_event_id) == (True, 3, 9)


@pytest.mark.parametrize("how", ["changed", "changed_and_rehashed", "removed"])
def test_tampering_is_reported_with_the_event_id(store_url: str, how: str, capsys) -> None:
    ids = _write_events(store_url, 6)
    target = ids[2]
    if how == "changed":
        _tamper(store_url, "UPDATE audit_log SET user_id = 'x' WHERE event_id = :i", {"i": target})
        broken, verified, words = target, 2, "its event_hash does not match its content"
    elif how == "changed_and_rehashed":
        row = dict(next(r for r in _chain_rows(store_url) if r["event_id"] == target))
        row["customer_ids"] = "99"
        new_hash = audit_chain.event_hash(row, row["prev_hash"])
        _tamper(
            store_url,
            "UPDATE audit_log SET customer_ids = '99', event_hash = :h WHERE event_id = :i",
            {"h": new_hash, "i": target},
        )
        broken, verified, words = ids[3], 3, f"does not match the event_hash of event {target}"
    else:
        _tamper(store_url, "DELETE FROM audit_log WHERE event_id = :i", {"i": target})
        broken, verified, words = ids[3], 2, f"does not match the event_hash of event {ids[1]}"

    report = app_store.verify_audit_log(store_url)
    assert (report.broken_event_id, report.verified) == (broken, verified)
    assert main(["audit", "verify", "--url", store_url]) == 1
    captured = capsys.readouterr()
    assert f"Verified {verified} audit events." in captured.out
    assert f"Broken at event {broken}: " in captured.err
    assert words in captured.err


def test_removing_the_first_events_is_reported(store_url: str) -> None:
    ids = _write_events(store_url, 3)
    _tamper(store_url, "DELETE FROM audit_log WHERE event_id = :i", {"i": ids[0]})
    report = app_store.verify_audit_log(store_url)
    assert (report.broken_event_id, report.verified) == (ids[1], 0)
    assert "genesis" in report.problem


def test_concurrent_writers_build_one_chain(store_url: str) -> None:
    assert write_concurrently(store_url, 8, 25) == []
    report = app_store.verify_audit_log(store_url)
    assert (report.intact, report.verified) == (True, 200)
    assert len({row["prev_hash"] for row in _chain_rows(store_url)}) == 200


def test_audit_in_the_callers_transaction_is_chained_or_rolled_back(store_url: str) -> None:
    first = app_store.audit("sign_in", "u1", url=store_url)
    engine = app_store.app_engine(store_url)
    with pytest.raises(RuntimeError, match="caller failed"), engine.begin() as conn:
        conn.execute(sa.select(app_store.app_user)).all()  # reads first, holds no write lock
        app_store.audit("user_change", "u1", detail={"action": "add"}, conn=conn)
        raise RuntimeError("caller failed")
    with engine.begin() as conn:
        conn.execute(sa.select(app_store.app_user)).all()
        kept = app_store.audit("user_change", "u1", detail={"action": "add"}, conn=conn)
    second = app_store.audit("sign_out", "u1", url=store_url)
    assert [row["event_id"] for row in _chain_rows(store_url)] == [first, kept, second]
    assert app_store.verify_audit_log(store_url).verified == 3


# ------------------------------------------------------------------ what the triggers refuse


def _columns(event_id: int, prev_hash: str) -> dict:
    return {
        "event_id": event_id,
        "occurred_at": app_store.utc_now(),
        "user_id": "intruder",
        "event": "sign_in",
        "prev_hash": prev_hash,
        "event_hash": "f" * 64,
    }


def test_insert_or_replace_is_refused_on_sqlite(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    ids = _write_events(url, 2)
    before = _chain_rows(url)
    engine = app_store.app_engine(url)
    replace = sa.insert(app_store.audit_log).prefix_with("OR REPLACE")
    for values in (_columns(ids[0], "e" * 64), _columns(999, before[1]["prev_hash"])):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(replace.values(**values))
    upsert = sa.text(
        "INSERT INTO audit_log (event_id, occurred_at, user_id, event, prev_hash, event_hash) "
        "VALUES (:event_id, :occurred_at, :user_id, :event, :prev_hash, :event_hash) "
        "ON CONFLICT (event_id) DO UPDATE SET user_id = excluded.user_id"
    )
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(upsert, _columns(ids[0], "d" * 64))
    assert _chain_rows(url) == before
    assert app_store.verify_audit_log(url).verified == 2


@pytest.mark.parametrize("store_url", ["postgresql"], indirect=True)
def test_truncate_is_refused_on_postgresql(store_url: str) -> None:
    _write_events(store_url, 3)
    with (
        pytest.raises(sa.exc.DatabaseError, match="append-only"),
        app_store.app_engine(store_url).begin() as conn,
    ):
        conn.exec_driver_sql("TRUNCATE audit_log")
    assert app_store.verify_audit_log(store_url).verified == 3


def test_a_second_event_after_the_same_predecessor_is_refused(store_url: str) -> None:
    """Even a writer that skipped the lock could not fork the chain: prev_hash is unique."""
    _write_events(store_url, 1)
    with (
        pytest.raises(sa.exc.DatabaseError),
        app_store.app_engine(store_url).begin() as conn,
    ):
        conn.execute(
            sa.insert(app_store.audit_log).values(**_columns(50, audit_chain.GENESIS_HASH))
        )
    assert len(_chain_rows(store_url)) == 1


# ------------------------------------------------------------------ migrations


def test_metadata_agrees_with_the_migrations_head(store_url: str) -> None:
    engine = app_store.app_engine(store_url)
    with engine.connect() as conn:
        assert app_migrations.current_revision(conn) == app_migrations.head_revision()
        differences = compare_metadata(MigrationContext.configure(conn), app_store.metadata)
    assert not differences, (
        "app_store.metadata and the Alembic head differ; write a revision for the change with "
        f"`python -m cli app-store revision -m '...'` and review it: {differences}"
    )


def test_every_table_says_what_the_app_role_may_do() -> None:
    assert set(app_store.APP_ROLE_PRIVILEGES) == set(app_store.metadata.tables)
    assert app_store.APP_ROLE_PRIVILEGES["audit_log"] == ("SELECT", "INSERT")


_OLD_DDL = {
    # What the last release before Alembic created (metadata.create_all, commit bfc0f4e) for the
    # tables that hold data here: audit_log with its triggers, app_user and contact_log.
    "sqlite": [
        """CREATE TABLE audit_log (
            event_id INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, occurred_at DATETIME NOT NULL,
            user_id VARCHAR(64) NOT NULL, role VARCHAR(32), event VARCHAR(32) NOT NULL,
            customer_ids TEXT, detail TEXT, warehouse_version VARCHAR(80))""",
        "CREATE INDEX ix_audit_log_user_id ON audit_log (user_id, occurred_at)",
        "CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at)",
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END",
    ],
    "postgresql": [
        """CREATE TABLE audit_log (
            event_id BIGSERIAL NOT NULL PRIMARY KEY,
            occurred_at TIMESTAMP WITHOUT TIME ZONE NOT NULL,
            user_id VARCHAR(64) NOT NULL, role VARCHAR(32), event VARCHAR(32) NOT NULL,
            customer_ids TEXT, detail TEXT, warehouse_version VARCHAR(80))""",
        "CREATE INDEX ix_audit_log_occurred_at ON audit_log (occurred_at)",
        "CREATE INDEX ix_audit_log_user_id ON audit_log (user_id, occurred_at)",
        "CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$",
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()",
    ],
}
_OLD_APP_USER = """CREATE TABLE app_user (
    user_id VARCHAR(64) NOT NULL PRIMARY KEY, display_name VARCHAR(128) NOT NULL,
    role VARCHAR(32) NOT NULL, prefecture_id BIGINT, cooperative_id BIGINT, branch_id BIGINT,
    staff_id BIGINT, password_hash VARCHAR(255), is_disabled BOOLEAN NOT NULL,
    failed_attempts INTEGER NOT NULL, locked_until {ts}, created_at {ts} NOT NULL)"""
_OLD_CONTACT_LOG = [
    """CREATE TABLE contact_log (
    contact_id VARCHAR(36) NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL,
    branch_id BIGINT NOT NULL, staff_id BIGINT, user_id VARCHAR(64) NOT NULL,
    contact_type VARCHAR(24) NOT NULL, outcome VARCHAR(24) NOT NULL, next_step VARCHAR(64),
    next_step_on DATE, note TEXT, created_at {ts} NOT NULL)""",
    "CREATE INDEX ix_contact_log_customer ON contact_log (customer_id, created_at)",
    "CREATE INDEX ix_contact_log_branch ON contact_log (branch_id, created_at)",
]
_OLD_USERS = [
    {"user_id": "li.wei", "display_name": "李伟", "role": "branch_head", "prefecture_id": None,
     "cooperative_id": None, "branch_id": 101, "staff_id": 7, "password_hash": "$argon2id$x",
     "is_disabled": False, "failed_attempts": 2, "locked_until": None,
     "created_at": dt.datetime(2026, 2, 1, 8, 30)},
    {"user_id": "wang@bank.example", "display_name": "王芳", "role": "analyst",
     "prefecture_id": 1, "cooperative_id": None, "branch_id": None, "staff_id": None,
     "password_hash": None, "is_disabled": True, "failed_attempts": 0,
     "locked_until": dt.datetime(2026, 2, 3, 9, 0), "created_at": dt.datetime(2026, 2, 2, 9, 0)},
]  # fmt: skip
_OLD_CONTACTS = [
    {"contact_id": "7d0c9a4e-1f1e-4c55-9a57-2b8c2b3f0001", "customer_id": 5, "branch_id": 101,
     "staff_id": 7, "user_id": "li.wei", "contact_type": "phone", "outcome": "reached",
     "next_step": "visit", "next_step_on": dt.date(2026, 3, 9),
     "note": "客户到期未续存，约下周面谈", "created_at": dt.datetime(2026, 3, 1, 9, 10)},
]  # fmt: skip


def _insert(conn: sa.Connection, table: str, rows: list[dict]) -> None:
    names = list(rows[0])
    conn.execute(
        sa.text(
            f"INSERT INTO {table} ({', '.join(names)}) VALUES "
            f"({', '.join(':' + name for name in names)})"
        ),
        rows,
    )


@pytest.mark.parametrize("how", ["first use", "migrate command"])
def test_a_store_made_before_migrations_upgrades_and_verifies(
    store_url: str, how: str, capsys
) -> None:
    if store_url.startswith("sqlite"):
        Path(make_url(store_url).database).parent.mkdir(parents=True)
    plain = sa.create_engine(store_url, poolclass=sa.pool.NullPool)
    old_rows = [
        {"at": dt.datetime(2026, 3, 1, 9, 0, 0, 123456), "u": "li.wei", "r": "branch_head",
         "e": "customer_view", "c": "5,3", "d": '{"page": "customer"}', "v": "v-0"},
        {"at": dt.datetime(2026, 3, 1, 9, 5), "u": "nobody", "r": None,
         "e": "sign_in_failed", "c": None, "d": "坏密码", "v": None},
        {"at": dt.datetime(2026, 3, 2, 10, 0), "u": "li.wei", "r": "branch_head",
         "e": "sign_out", "c": None, "d": None, "v": None},
    ]  # fmt: skip
    with plain.begin() as conn:
        for statement in _OLD_DDL[conn.dialect.name]:
            conn.exec_driver_sql(statement)
        ts = "DATETIME" if conn.dialect.name == "sqlite" else "TIMESTAMP WITHOUT TIME ZONE"
        for statement in [_OLD_APP_USER, *_OLD_CONTACT_LOG]:
            conn.exec_driver_sql(statement.format(ts=ts))
        conn.execute(
            sa.text(
                "INSERT INTO audit_log (occurred_at, user_id, role, event, customer_ids, detail, "
                "warehouse_version) VALUES (:at, :u, :r, :e, :c, :d, :v)"
            ),
            old_rows,
        )
        _insert(conn, "app_user", _OLD_USERS)
        _insert(conn, "contact_log", _OLD_CONTACTS)
    plain.dispose()

    head = app_migrations.head_revision()
    if how == "migrate command":
        assert main(["migrate", "--url", store_url]) == 0
        assert f"upgraded from revision (none) to {head}" in capsys.readouterr().out
        assert main(["migrate", "--url", store_url]) == 0  # again: nothing to do
        assert f"is at revision {head}: nothing to do" in capsys.readouterr().out
    engine = app_store.app_engine(store_url)  # first use: baseline (missing tables), chain, ...
    with engine.connect() as conn:
        assert app_migrations.current_revision(conn) == head
        assert {"retention_case", "saved_view", "sso_session", "app_secret"} <= set(
            sa.inspect(conn).get_table_names()
        )
        users = conn.execute(sa.select(app_store.app_user).order_by("user_id")).mappings().all()
        contacts = conn.execute(sa.select(app_store.contact_log)).mappings().all()
    assert [dict(row) for row in users] == [{**old, "lockouts": 0} for old in _OLD_USERS]
    assert [dict(row) for row in contacts] == _OLD_CONTACTS
    rows = _chain_rows(store_url)
    assert [(r["event_id"], r["occurred_at"], r["detail"]) for r in rows] == [
        (i + 1, old["at"], old["d"]) for i, old in enumerate(old_rows)
    ]
    assert rows[0]["prev_hash"] == audit_chain.GENESIS_HASH  # chained from the genesis
    new_id = app_store.audit("sign_in", "li.wei", url=store_url)
    assert new_id == 4
    report = app_store.verify_audit_log(store_url)
    assert (report.intact, report.verified) == (True, 4)
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.execute(sa.delete(app_store.audit_log))
    assert len(_chain_rows(store_url)) == 4


def test_migrate_says_when_the_store_cannot_be_reached(tmp_path: Path, capsys) -> None:
    unreachable = "postgresql+psycopg://pcrm:pw-8x7q@127.0.0.1:1/app"
    assert main(["migrate", "--url", unreachable]) == 1
    err = capsys.readouterr().err
    assert "Cannot reach the app store at postgresql+psycopg://pcrm:***@127.0.0.1:1/app" in err
    assert "pw-8x7q" not in err and "PCRM_APP_DB_URL" in err
    assert main(["migrate", "--url", f"duckdb:///{tmp_path / 'x.duckdb'}"]) == 2
    assert "must not be DuckDB" in capsys.readouterr().err
    assert not (tmp_path / "x.duckdb").exists()


def test_downgrade_to_the_baseline_and_up_again(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    _write_events(url, 3)
    engine = app_store.app_engine(url)
    with engine.begin() as conn:
        app_migrations.downgrade_connection(conn, "0001_baseline")
    with engine.connect() as conn:
        columns = {c["name"] for c in sa.inspect(conn).get_columns("audit_log")}
    assert "prev_hash" not in columns and "event_hash" not in columns
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM audit_log")
    with engine.begin() as conn:
        app_migrations.upgrade_connection(conn)
    assert app_store.verify_audit_log(url).verified == 3


def test_revision_command_writes_a_migration_for_a_new_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    """The way to add a table : declare it in
    app_store.metadata, generate the revision, review it; the store then has the table."""
    scripts = tmp_path / "app_migrations"
    shutil.copytree(app_migrations.SCRIPT_LOCATION, scripts, ignore=shutil.ignore_patterns("__py*"))
    monkeypatch.setattr(app_migrations, "SCRIPT_LOCATION", scripts)
    metadata = sa.MetaData()
    for table in app_store.metadata.tables.values():
        table.to_metadata(metadata)
    sa.Table(
        "example_table",
        metadata,
        sa.Column("session_id", sa.String(64), primary_key=True),
        sa.Column("user_id", sa.String(64), nullable=False),
    )
    monkeypatch.setattr(app_store, "metadata", metadata)
    head = app_migrations.head_revision()

    assert main(["app-store", "revision", "-m", "add example_table"]) == 0
    (written,) = [p for p in (scripts / "versions").glob("*.py") if "example_table" in p.name]
    assert f"Wrote {written}" in capsys.readouterr().out
    text = written.read_text(encoding="utf-8")
    assert "op.create_table('example_table'" in text or 'op.create_table("example_table"' in text
    assert f"down_revision = '{head}'" in text or f'down_revision = "{head}"' in text

    engine = sa.create_engine(f"sqlite:///{tmp_path / 'app.sqlite'}")
    with engine.begin() as conn:
        app_migrations.upgrade_connection(conn)
    with engine.connect() as conn:
        assert "example_table" in sa.inspect(conn).get_table_names()
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    engine.dispose()


# ------------------------------------------------------------------ PostgreSQL roles


@pytest.fixture
def pg_roles(pg_url: str, pg_schema: str) -> Iterator[dict[str, str]]:
    """Two throwaway roles (random suffix) and a schema; the administrator's URL (postgres,
    a superuser) and the app role's (trust authentication lets it connect without a password).
    Everything is dropped after."""
    suffix = uuid.uuid4().hex[:8]
    owner, app = f"pcrm_t_owner_{suffix}", f"pcrm_t_app_{suffix}"
    options = f"?options={quote(f'-csearch_path={pg_schema}')}"
    admin = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{pg_schema}"'))
    app_url = make_url(pg_url).set(username=app).render_as_string(hide_password=False)
    yield {
        "owner": owner,
        "app": app,
        "admin_url": pg_url + options,
        "app_url": app_url + options,
    }
    app_store.dispose_engines()
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA IF EXISTS "{pg_schema}" CASCADE'))
        for role in (app, owner):
            found = conn.execute(sa.text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role})
            if found.first() is not None:
                conn.execute(sa.text(f'DROP OWNED BY "{role}"'))
                conn.execute(sa.text(f'DROP ROLE "{role}"'))
    admin.dispose()


def _refused(engine: sa.Engine, statement: str) -> None:
    with pytest.raises(sa.exc.DBAPIError) as info, engine.begin() as conn:
        conn.exec_driver_sql(statement)
    assert info.value.orig.sqlstate == "42501", (
        f"{statement}: {info.value}"
    )  # insufficient_privilege


def test_app_role_may_only_insert_and_select_the_audit_log(pg_roles: dict, capsys) -> None:
    owner, app = pg_roles["owner"], pg_roles["app"]
    # A store the app used to own (the old set-up): made and written by the administrator.
    before = app_store.audit("sign_in", "li.wei", url=pg_roles["admin_url"])
    app_store.dispose_engines()

    grant = ["app-store", "grant", "--owner", owner, "--app", app, "--url", pg_roles["admin_url"]]
    assert main(grant) == 0
    out = capsys.readouterr().out
    assert f"created role {owner} (NOLOGIN)" in out and "audit_log: SELECT, INSERT" in out
    assert main(grant) == 0  # idempotent

    admin = sa.create_engine(pg_roles["admin_url"], poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        owners = dict(
            conn.execute(
                sa.text(
                    "SELECT tablename, tableowner FROM pg_tables "
                    "WHERE schemaname = current_schema()"
                )
            ).all()
        )
    assert set(owners.values()) == {owner} and "audit_log" in owners

    url = pg_roles["app_url"]
    engine = app_store.app_engine(url)  # the app role: at the head already, nothing to migrate
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT current_user")).scalar() == app
    after = app_store.audit(
        "customer_view", Viewer("li.wei", "branch_head"), customer_ids=[1], url=url
    )
    assert list(app_store.recent_audit(url=url)["event_id"]) == [after, before]
    assert app_store.verify_audit_log(url).verified == 2
    with engine.begin() as conn:  # the other tables: everything but DDL
        conn.execute(
            sa.insert(app_store.app_user).values(
                user_id="li.wei", display_name="李伟", role="analyst", is_disabled=False,
                failed_attempts=0, created_at=app_store.utc_now(),
            )
        )  # fmt: skip
        conn.execute(sa.update(app_store.app_user).values(failed_attempts=1))
        conn.execute(sa.delete(app_store.app_user))

    for statement in (
        "UPDATE audit_log SET user_id = 'someone'",
        "DELETE FROM audit_log",
        "TRUNCATE audit_log",
        "DROP TABLE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only",
        "ALTER TABLE audit_log ADD COLUMN note TEXT",
        "DROP TRIGGER audit_log_no_truncate ON audit_log",
        "CREATE TABLE audit_log_copy (event_id BIGINT)",
    ):
        _refused(engine, statement)

    # The owner may alter its tables, but the triggers still refuse rewriting the log.
    with pytest.raises(sa.exc.DatabaseError, match="append-only"), admin.begin() as conn:
        conn.exec_driver_sql(f'SET LOCAL ROLE "{owner}"')
        conn.exec_driver_sql("TRUNCATE audit_log")
    admin.dispose()
    assert app_store.verify_audit_log(url).verified == 2


def test_app_role_cannot_upgrade_and_says_who_can(pg_roles: dict) -> None:
    owner, app = pg_roles["owner"], pg_roles["app"]
    app_store_admin.grant_roles(pg_roles["admin_url"], owner, app)
    admin = sa.create_engine(pg_roles["admin_url"], poolclass=sa.pool.NullPool)
    with admin.begin() as conn:  # as if a newer release had a migration still to run
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0001_baseline'"))
    admin.dispose()
    with pytest.raises(app_migrations.AppStoreUpgradeError, match="app-store grant"):
        app_store.app_engine(pg_roles["app_url"])


def test_grant_refuses_bad_requests(pg_roles: dict, tmp_path: Path, capsys) -> None:
    sqlite = f"sqlite:///{tmp_path / 'app.sqlite'}"
    assert main(["app-store", "grant", "--owner", "o", "--app", "a", "--url", sqlite]) == 2
    assert "for PostgreSQL" in capsys.readouterr().err
    admin_url = pg_roles["admin_url"]
    for owner, app, message in (
        ("same", "same", "two different roles"),
        ("Owner; DROP", "app", "lower-case letters"),
        (pg_roles["owner"], "postgres", "superuser"),
    ):
        with pytest.raises(ValueError, match=message):
            app_store_admin.grant_roles(admin_url, owner, app)
