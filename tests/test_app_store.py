"""The app store on SQLite (a temporary file) and on PostgreSQL (a fresh schema per test):
the ``store_url`` fixture of tests/conftest.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import threading
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from data_access import app_store, settings
from data_access.viewer import Viewer


def _rows(url: str, table: sa.Table) -> list[sa.Row]:
    with app_store.app_engine(url).connect() as conn:
        return list(conn.execute(sa.select(table)))


def test_first_use_creates_folder_and_all_tables(store_url: str, tmp_path: Path) -> None:
    engine = app_store.app_engine(store_url)
    if store_url.startswith("sqlite"):
        assert (tmp_path / "nested" / "folder" / "app.sqlite").is_file()
    with engine.connect() as conn:
        names = set(sa.inspect(conn).get_table_names())
    assert {"app_user", "audit_log", "contact_log", "saved_view"} <= names
    assert app_store.app_engine(store_url) is engine  # cached per URL


def test_audit_records_viewer_ids_detail_and_version(store_url: str) -> None:
    viewer = Viewer("wang.fang", "branch_head", branch_id=101)
    before = app_store.utc_now() - dt.timedelta(seconds=1)
    first = app_store.audit(
        "customer_list",
        viewer,
        customer_ids=[30, 10, 20],
        detail={"page": "watchlist", "note": "流失预警"},
        warehouse_version="v-1",
        url=store_url,
    )
    second = app_store.audit("sign_in_failed", "nobody", detail="bad password", url=store_url)
    assert second > first

    rows = {row.event_id: row for row in _rows(store_url, app_store.audit_log)}
    assert set(rows) == {first, second}
    listed = rows[first]
    assert (listed.user_id, listed.role, listed.event) == (
        "wang.fang",
        "branch_head",
        "customer_list",
    )
    assert listed.customer_ids == "30,10,20"
    assert app_store.parse_customer_ids(listed.customer_ids) == [30, 10, 20]
    assert json.loads(listed.detail) == {"note": "流失预警", "page": "watchlist"}
    assert listed.warehouse_version == "v-1"
    assert before <= listed.occurred_at <= app_store.utc_now() + dt.timedelta(seconds=1)
    failed = rows[second]
    assert (failed.user_id, failed.role, failed.customer_ids) == ("nobody", None, None)
    assert failed.detail == "bad password"


def test_unknown_event_is_rejected_and_not_written(store_url: str) -> None:
    with pytest.raises(ValueError, match="Unknown audit event"):
        app_store.audit("looked_around", "u1", url=store_url)
    assert _rows(store_url, app_store.audit_log) == []


def test_failed_write_raises_audit_write_error(store_url: str) -> None:
    app_store.audit("sign_in", "u1", url=store_url)
    with app_store.app_engine(store_url).begin() as conn:
        conn.execute(sa.text("DROP TABLE audit_log"))
    with pytest.raises(app_store.AuditWriteError, match="customer_view"):
        app_store.audit("customer_view", "u1", customer_ids=[1], url=store_url)


def test_unusable_location_raises_audit_write_error(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the store's folder should be")
    with pytest.raises(app_store.AuditWriteError):
        app_store.audit("sign_in", "u1", url=f"sqlite:///{blocker / 'app.sqlite'}")


def test_audit_log_is_append_only(store_url: str) -> None:
    app_store.audit("export", "u1", customer_ids=[7], url=store_url)
    engine = app_store.app_engine(store_url)
    for stmt in (
        sa.update(app_store.audit_log).values(user_id="someone-else"),
        sa.delete(app_store.audit_log),
    ):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(stmt)
    (row,) = _rows(store_url, app_store.audit_log)
    assert (row.user_id, row.event, row.customer_ids) == ("u1", "export", "7")


def test_recent_audit_newest_first_limited_and_filtered(store_url: str) -> None:
    ids = [
        app_store.audit(event, user, url=store_url)
        for event, user in [
            ("sign_in", "a"),
            ("customer_view", "a"),
            ("sign_in", "b"),
            ("export", "a"),
            ("sign_out", "b"),
        ]
    ]
    latest = app_store.recent_audit(3, url=store_url)
    assert list(latest["event_id"]) == ids[::-1][:3]
    assert list(latest.columns) == [c.name for c in app_store.audit_log.columns]
    assert list(app_store.recent_audit(10, url=store_url, user_id="b")["event"]) == [
        "sign_out",
        "sign_in",
    ]
    assert list(app_store.recent_audit(10, url=store_url, event="sign_in")["user_id"]) == ["b", "a"]
    future = app_store.utc_now() + dt.timedelta(hours=1)
    empty = app_store.recent_audit(10, url=store_url, since=future)
    assert empty.empty and "event_id" in empty.columns


def test_default_url_comes_from_settings() -> None:
    event_id = app_store.audit("sign_in", "settings-user")
    frame = app_store.recent_audit(5)
    assert settings.app_db_url().startswith("sqlite:///")  # the session's scratch store
    assert event_id in set(frame["event_id"])
    app_store.dispose_engines()


def test_duckdb_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="must not be DuckDB"):
        app_store.app_engine(f"duckdb:///{tmp_path / 'app.duckdb'}")


def write_concurrently(url: str, writers: int, events: int) -> list[BaseException]:
    """``writers`` threads each audit ``events`` customer views at once; the errors raised."""
    app_store.app_engine(url)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(events):
                app_store.audit("customer_view", f"user-{n}", customer_ids=[i], url=url)
        except BaseException as exc:  # collected and asserted by the caller
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_concurrent_audit_writes_all_land(store_url: str) -> None:
    assert write_concurrently(store_url, 4, 20) == []
    rows = _rows(store_url, app_store.audit_log)
    assert len(rows) == 80
    assert len({row.event_id for row in rows}) == 80


def test_contact_log_id_is_an_idempotency_key(store_url: str) -> None:
    contact = {
        "contact_id": str(uuid.uuid4()),
        "customer_id": 123,
        "branch_id": 101,
        "staff_id": 9,
        "user_id": "wm.li",
        "contact_type": "callback",
        "outcome": "reached",
        "next_step": "offer_time_deposit",
        "next_step_on": dt.date(2026, 9, 15),
        "note": "客户到期未续存，已电话回访",
        "created_at": app_store.utc_now(),
    }
    engine = app_store.app_engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(app_store.contact_log).values(**contact))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.insert(app_store.contact_log).values(**contact))
    (row,) = _rows(store_url, app_store.contact_log)
    assert row.note == contact["note"]
    assert row.next_step_on == dt.date(2026, 9, 15)


def test_saved_view_names_unique_per_user(store_url: str) -> None:
    def view(user: str) -> dict:
        return {
            "view_id": str(uuid.uuid4()),
            "user_id": user,
            "name": "VIP in Dingxi",
            "page": "segments",
            "query_string": "tier=vip&prefecture=3",
            "created_at": app_store.utc_now(),
        }

    engine = app_store.app_engine(store_url)
    with engine.begin() as conn:
        conn.execute(sa.insert(app_store.saved_view).values(**view("a")))
        conn.execute(sa.insert(app_store.saved_view).values(**view("b")))
    with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
        conn.execute(sa.insert(app_store.saved_view).values(**view("a")))
    assert len(_rows(store_url, app_store.saved_view)) == 2


def test_app_user_defaults(store_url: str) -> None:
    engine = app_store.app_engine(store_url)
    with engine.begin() as conn:
        conn.execute(
            sa.insert(app_store.app_user).values(
                user_id="exec.zhang",
                display_name="张总",
                role="executive",
                created_at=app_store.utc_now(),
            )
        )
    (user,) = _rows(store_url, app_store.app_user)
    assert user.is_disabled is False
    assert user.failed_attempts == 0
    assert user.password_hash is None and user.locked_until is None


# ------------------------------------------------------------------ keyed hashes, rate limits


def test_keyed_hash_uses_the_configured_key(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "k" * app_store.MIN_HASH_KEY_CHARS
    monkeypatch.setenv("PCRM_AUDIT_HASH_KEY", key)
    expected = hmac.new(key.encode(), b"13812345678", hashlib.sha256).hexdigest()
    assert app_store.keyed_hash("13812345678") == expected
    monkeypatch.setenv("PCRM_AUDIT_HASH_KEY", "too short")
    with pytest.raises(ValueError, match="at least 32 characters"):
        app_store.keyed_hash("13812345678")


def test_without_a_configured_key_the_store_generates_one_for_every_process(
    store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("PCRM_AUDIT_HASH_KEY", raising=False)
    monkeypatch.setattr(settings, "SECRETS_FILE", tmp_path / "no-secrets.toml")
    first = app_store.keyed_hash("王小明", store_url)
    (row,) = _rows(store_url, app_store.app_secret)
    assert row.name == "audit_hash_key" and len(row.value) == 64
    assert first == hmac.new(row.value.encode(), "王小明".encode(), hashlib.sha256).hexdigest()
    app_store.dispose_engines()  # as another process would: nothing remembered in memory
    assert app_store.keyed_hash("王小明", store_url) == first
    assert len(_rows(store_url, app_store.app_secret)) == 1


def test_a_rate_limit_holds_for_concurrent_sessions(store_url: str) -> None:
    """Twelve searches at once from one person's tabs (threads, each its own connection): the
    limit of five lets exactly five through, and every attempt is on record."""
    person = Viewer("li.wei", "branch_head", branch_id=101)
    results: list[bool] = []
    start = threading.Barrier(12)

    def attempt(n: int) -> None:
        start.wait()
        results.append(
            app_store.audit_within_limit(
                "customer_search",
                person,
                per_minute=5,
                customer_ids=[n],
                detail={"n": n},
                refused_detail={"refused": "rate_limit"},
                url=store_url,
            )
        )

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [False] * 7 + [True] * 5
    rows = app_store.recent_audit(100, store_url, event="customer_search")
    assert len(rows) == 12
    assert sum(json.loads(d) == {"refused": "rate_limit"} for d in rows["detail"]) == 7
    assert rows["customer_ids"].notna().sum() == 5
    other = Viewer("wang.fang", "branch_head", branch_id=101)
    assert app_store.audit_within_limit("customer_search", other, per_minute=5, url=store_url)
