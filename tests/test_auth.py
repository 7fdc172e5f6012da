"""Accounts, passwords, lockout, SSO mapping and sessions (data_access.auth_store), on SQLite and
PostgreSQL app stores; placement on the demo warehouse."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
import secrets
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import argon2
import pytest
import sqlalchemy as sa

from catalogue.roles import ROLES
from data_access import app_store, audit_search, auth_store, query
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

CONFIG = auth_store.AuthConfig(lockout_attempts=3, lockout_minutes=15, min_password_length=12)
GOOD = "correct horse battery"
ADMIN = Viewer("t-admin", "admin", "Administrator")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.pg)])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty app store: a SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'app.sqlite'}"
        app_store.dispose_engines()
        return
    pg_url = request.getfixturevalue("pg_url")
    name = request.getfixturevalue("pg_schema")
    admin = sa.create_engine(pg_url, poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{name}"'))
    admin.dispose()
    yield f"{pg_url}?options={quote(f'-csearch_path={name}')}"
    app_store.dispose_engines()


def events(url: str, user_id: str | None = None) -> list[tuple[str, dict]]:
    """(event, detail) of the audit log, oldest first."""
    frame = app_store.recent_audit(1000, url, user_id=user_id)
    return [
        (row.event, json.loads(row.detail) if row.detail else {})
        for row in frame.iloc[::-1].itertuples()
    ]


def add_local(url: str, user_id: str = "li.wei", role: str = "branch_head", **org) -> None:
    auth_store.add_user(
        user_id,
        "李伟",
        role,
        actor=ADMIN,
        password=GOOD,
        org=org or {"branch_id": 101, "cooperative_id": 10, "prefecture_id": 1},
        url=url,
        config=CONFIG,
    )


# ------------------------------------------------------------------ passwords


def test_passwords_are_argon2_hashes_never_stored_in_clear(store: str) -> None:
    add_local(store)
    with app_store.app_engine(store).connect() as conn:
        stored = conn.execute(sa.select(app_store.app_user.c.password_hash)).scalar()
    assert stored.startswith("$argon2id$") and GOOD not in stored
    listed = auth_store.list_users(store)
    assert "password_hash" not in listed.columns and bool(listed["has_password"].iloc[0])
    assert "password_hash" not in auth_store.get_user("li.wei", store)


def test_short_passwords_are_refused(store: str) -> None:
    with pytest.raises(auth_store.AccountError, match="at least 12"):
        auth_store.add_user(
            "x", "X", "analyst", actor=ADMIN, password="short", url=store, config=CONFIG
        )
    assert auth_store.list_users(store).empty


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("aaaaaaaaaaaa", "repetitive"),
        ("abcabcabcabc", "repetitive"),
        ("abababababababab", "repetitive"),
        ("aaaa1111bbbb", "repetitive"),  # fewer than 5 different characters
        ("password1234", "guessable"),
        ("P@ssw0rd12345", "guessable"),
        ("qwertyuiop123", "guessable"),
        ("123456789012", "guessable"),
        ("iloveyou2024!", "guessable"),
        ("li.wei-garden-lamp", "personal"),  # the user id
        ("LIWEI garden lamp 7", "personal"),  # the user id, other case, spaces ignored
        ("苹果李伟花园台灯窗户桌子", "personal"),  # the display name
        ("x" * 300, "too_long"),
    ],
)
def test_weak_passwords_are_refused_when_added_and_when_set(
    store: str, password: str, code: str
) -> None:
    config = auth_store.AuthConfig(min_password_length=12)
    with pytest.raises(auth_store.WeakPasswordError) as refused:
        auth_store.add_user(
            "li.wei", "李伟", "analyst", actor=ADMIN, password=password, url=store, config=config
        )
    assert refused.value.code == code
    assert auth_store.list_users(store).empty
    auth_store.add_user(
        "li.wei", "李伟", "analyst", actor=ADMIN, password=GOOD, url=store, config=config
    )
    with pytest.raises(auth_store.WeakPasswordError) as refused:
        auth_store.set_password("li.wei", password, actor=ADMIN, url=store, config=config)
    assert refused.value.code == code
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=config).viewer


def test_strong_passwords_pass_and_messages_name_the_rule() -> None:
    config = auth_store.AuthConfig(min_password_length=12)
    for password in (
        GOOD,
        "Q7m!vR2#kL9p",
        "磨坊 蓝色 骆驼 晚霞 渡口",
        "x" * 5 + "Tq9#zLw2!pR" * 30,
    ):
        if len(password) <= auth_store.MAX_PASSWORD_LENGTH:
            auth_store.check_password(
                password, user_id="li.wei", display_name="李伟", config=config
            )
    with pytest.raises(auth_store.WeakPasswordError, match="too easy to guess"):
        auth_store.check_password("password1234", config=config)
    with pytest.raises(auth_store.WeakPasswordError, match="repetitive"):
        auth_store.check_password("abcabcabcabc", config=config)
    with pytest.raises(auth_store.WeakPasswordError, match="user name or the display name"):
        auth_store.check_password("wang.fang rides 9 camels", user_id="Wang.Fang@bank.example")
    with pytest.raises(auth_store.WeakPasswordError, match="at most 256"):
        auth_store.check_password("Tq9#zLw2!pR" * 30, config=config)
    # A name of one or two letters would refuse much of the alphabet: it is not checked.
    auth_store.check_password(
        "X-ray garden lamp 7", user_id="x.y", display_name="Xy", config=config
    )


def test_right_password_gives_the_viewer_from_the_table(store: str) -> None:
    add_local(store)
    result = auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG)
    assert result.reason == "ok"
    assert result.viewer == Viewer(
        "li.wei", "branch_head", "李伟", prefecture_id=1, cooperative_id=10, branch_id=101
    )


# ------------------------------------------------------------------ lockout


def test_lockout_after_n_failures_even_for_the_right_password(store: str) -> None:
    add_local(store)
    now = dt.datetime(2026, 9, 1, 8, 0)
    for _ in range(CONFIG.lockout_attempts):
        failed = auth_store.authenticate(
            "li.wei", "wrong password!", url=store, config=CONFIG, now=now
        )
        assert failed.viewer is None and failed.reason == "wrong_password"
    locked = auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG, now=now)
    assert locked.viewer is None and locked.reason == "locked"
    assert auth_store.get_user("li.wei", store)["locked_until"] == now + dt.timedelta(minutes=15)
    later = now + dt.timedelta(minutes=16)
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG, now=later).viewer
    recorded = [event for event, _ in events(store, "li.wei")]
    assert recorded.count("sign_in_failed") == 4  # three wrong passwords, one while locked
    assert recorded.count("locked_out") == 1


def test_parallel_wrong_guesses_check_at_most_the_limit(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """24 wrong guesses at once: the attempt is counted before the password is checked."""
    config = auth_store.AuthConfig(lockout_attempts=5, lockout_minutes=15)
    add_local(store)
    with app_store.app_engine(store).connect() as conn:
        real_hash = conn.execute(sa.select(app_store.app_user.c.password_hash)).scalar()
    checked: list[str] = []
    count_lock = threading.Lock()
    original = argon2.PasswordHasher.verify

    def counting_verify(self, hashed, password):
        if hashed == real_hash:
            with count_lock:
                checked.append(password)
        return original(self, hashed, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
    start = threading.Barrier(24)
    results: list[str] = []

    def guess(n: int) -> None:
        start.wait()
        result = auth_store.authenticate("li.wei", f"wrong guess {n}", url=store, config=config)
        with count_lock:
            results.append(result.reason)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(24)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert len(results) == 24
    assert len(checked) == config.lockout_attempts
    assert sorted(set(results)) == ["locked", "wrong_password"]
    assert results.count("wrong_password") == config.lockout_attempts
    assert auth_store.get_user("li.wei", store)["locked_until"] > app_store.utc_now()
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=config).reason == "locked"
    assert len(checked) == config.lockout_attempts  # not even the right password is checked
    assert [event for event, _ in events(store, "li.wei")].count("locked_out") == 1


def fail_until_locked(store: str, now: dt.datetime) -> None:
    for _ in range(CONFIG.lockout_attempts):
        result = auth_store.authenticate(
            "li.wei", "nope nope nope", url=store, config=CONFIG, now=now
        )
        assert result.reason == "wrong_password"


def test_locks_in_a_row_double_up_to_the_cap_and_are_not_lengthened(store: str) -> None:
    """15, 30, 60, 60 minutes; tries while locked change nothing; success starts again at 15."""
    add_local(store)
    now = dt.datetime(2026, 9, 1, 8, 0)
    for minutes in (15, 30, 60, 60):
        fail_until_locked(store, now)
        until = auth_store.get_user("li.wei", store)["locked_until"]
        assert until == now + dt.timedelta(minutes=minutes)
        for late in (1, minutes - 1):  # the right password too, and no try lengthens the lock
            at = now + dt.timedelta(minutes=late)
            assert (
                auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG, now=at).reason
                == "locked"
            )
        assert auth_store.get_user("li.wei", store)["locked_until"] == until
        now = until  # the lock is over exactly at its end
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG, now=now).viewer
    fail_until_locked(store, now)
    assert auth_store.get_user("li.wei", store)["locked_until"] == now + dt.timedelta(minutes=15)
    locks = [d for event, d in events(store, "li.wei") if event == "locked_out"]
    assert [d["minutes"] for d in locks] == [15, 30, 60, 60, 15]
    assert [d["locks_in_a_row"] for d in locks] == [1, 2, 3, 4, 1]


def test_locks_stay_the_same_length_when_the_cap_is_the_first_lock(store: str) -> None:
    config = auth_store.AuthConfig(lockout_attempts=2, lockout_minutes=20, lockout_max_minutes=20)
    add_local(store)
    now = dt.datetime(2026, 9, 1, 8, 0)
    for _ in range(2):
        for _ in range(config.lockout_attempts):
            auth_store.authenticate("li.wei", "nope nope nope", url=store, config=config, now=now)
        until = auth_store.get_user("li.wei", store)["locked_until"]
        assert until == now + dt.timedelta(minutes=20)
        now = until


def test_the_last_allowed_attempt_is_still_checked(store: str) -> None:
    add_local(store)
    now = dt.datetime(2026, 9, 1, 8, 0)
    for _ in range(CONFIG.lockout_attempts - 1):
        auth_store.authenticate("li.wei", "nope nope nope", url=store, config=CONFIG, now=now)
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG, now=now).viewer
    assert auth_store.get_user("li.wei", store)["locked_until"] is None
    assert "locked_out" not in [event for event, _ in events(store, "li.wei")]


def test_lock_minutes_and_settings_checks() -> None:
    config = auth_store.AuthConfig(lockout_minutes=15, lockout_max_minutes=60)
    assert [auth_store.lock_minutes(config, n) for n in range(6)] == [15, 30, 60, 60, 60, 60]
    uneven = auth_store.AuthConfig(lockout_minutes=20, lockout_max_minutes=50)
    assert [auth_store.lock_minutes(uneven, n) for n in range(4)] == [20, 40, 50, 50]
    fixed = auth_store.AuthConfig(lockout_minutes=15, lockout_max_minutes=15)
    assert auth_store.lock_minutes(fixed, 9) == 15
    with pytest.raises(ValueError, match="lockout_max_minutes"):
        auth_store.AuthConfig(lockout_minutes=30, lockout_max_minutes=20)
    with pytest.raises(ValueError, match="at least 1"):
        auth_store.AuthConfig(lockout_attempts=0)


def test_a_store_from_before_gets_the_lock_count_column(store: str) -> None:
    """A store created before app_user.lockouts existed is upgraded when first opened."""
    old = sa.MetaData()
    sa.Table(
        "app_user",
        old,
        *(column._copy() for column in app_store.app_user.columns if column.name != "lockouts"),
    )
    engine = sa.create_engine(store, poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        old.create_all(conn)
        conn.execute(
            sa.insert(old.tables["app_user"]).values(
                user_id="li.wei",
                display_name="李伟",
                role="analyst",
                password_hash=argon2.PasswordHasher().hash(GOOD),
                is_disabled=False,
                failed_attempts=0,
                created_at=app_store.utc_now(),
            )
        )
    engine.dispose()
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG).viewer
    assert auth_store.get_user("li.wei", store)["lockouts"] == 0
    fail_until_locked(store, app_store.utc_now())
    assert auth_store.get_user("li.wei", store)["lockouts"] == 1


def test_success_resets_the_failure_count(store: str) -> None:
    add_local(store)
    for _ in range(CONFIG.lockout_attempts - 1):
        auth_store.authenticate("li.wei", "nope nope nope", url=store, config=CONFIG)
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG).viewer
    assert auth_store.get_user("li.wei", store)["failed_attempts"] == 0
    auth_store.authenticate("li.wei", "nope nope nope", url=store, config=CONFIG)
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG).viewer


def test_unlock_and_new_password_clear_a_lock(store: str) -> None:
    add_local(store)
    for _ in range(CONFIG.lockout_attempts):
        auth_store.authenticate("li.wei", "nope nope nope", url=store, config=CONFIG)
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG).reason == "locked"
    auth_store.unlock("li.wei", actor=ADMIN, url=store)
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG).viewer
    auth_store.set_password("li.wei", "another good password", actor=ADMIN, url=store)
    assert auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG).viewer is None
    assert auth_store.authenticate(
        "li.wei", "another good password", url=store, config=CONFIG
    ).viewer


@pytest.mark.parametrize("who", ["nobody", "sso.user@bank.example", "off"])
def test_unknown_sso_only_and_disabled_accounts_cannot_use_a_password(store: str, who) -> None:
    auth_store.add_user(
        "sso.user@bank.example", "S", "analyst", actor=ADMIN, url=store, config=CONFIG
    )
    add_local(store, "off")
    auth_store.set_disabled("off", True, actor=ADMIN, url=store)
    result = auth_store.authenticate(who, GOOD, url=store, config=CONFIG)
    assert result.viewer is None
    assert result.reason == {"nobody": "unknown_user", "off": "disabled"}.get(who, "sso_only")
    assert ("sign_in_failed", {"reason": result.reason}) in events(store, who)


# ------------------------------------------------------------------ roles and scopes


def test_roles_need_the_scope_id_their_level_filters_on(store: str) -> None:
    for role, needed in [
        ("prefecture_manager", "prefecture"),
        ("cooperative_manager", "cooperative"),
        ("branch_head", "branch"),
        ("wealth_manager", "staff"),
    ]:
        with pytest.raises(auth_store.AccountError, match=needed):
            auth_store.add_user("u", "U", role, actor=ADMIN, url=store)
    with pytest.raises(auth_store.AccountError, match="Unknown role"):
        auth_store.add_user("u", "U", "superuser", actor=ADMIN, url=store)
    auth_store.add_user("u", "U", "executive", actor=ADMIN, url=store)
    with pytest.raises(auth_store.AccountError, match="exists"):
        auth_store.add_user("u", "U", "executive", actor=ADMIN, url=store)


def test_user_changes_are_audited_with_the_actor(store: str) -> None:
    add_local(store)
    auth_store.set_role(
        "li.wei", "cooperative_manager", actor=ADMIN, org={"cooperative_id": 10}, url=store
    )
    auth_store.set_disabled("li.wei", True, actor=ADMIN, url=store)
    auth_store.set_disabled("li.wei", False, actor=ADMIN, url=store)
    changes = [detail for event, detail in events(store, "t-admin") if event == "user_change"]
    assert [c["action"] for c in changes] == ["add", "set_role", "disable", "enable"]
    assert all(c["user"] == "li.wei" for c in changes)
    assert changes[1]["role"] == "cooperative_manager" and changes[1]["cooperative_id"] == 10
    with pytest.raises(auth_store.AccountError, match="No user"):
        auth_store.set_disabled("ghost", True, actor=ADMIN, url=store)


def test_nobody_changes_their_own_role_or_scope(store: str) -> None:
    auth_store.add_user("t-admin", "Administrator", "admin", actor="cli:root", url=store)
    add_local(store, "li.wei", "admin", branch_id=None)
    for actor, target in ((ADMIN, "t-admin"), ("cli:li.wei", "li.wei"), (ADMIN, " T-Admin ")):
        with pytest.raises(auth_store.AccountError, match="your own role or scope"):
            auth_store.set_role(target, "executive", actor=actor, url=store)
    assert auth_store.get_user("t-admin", store)["role"] == "admin"
    assert auth_store.get_user("li.wei", store)["role"] == "admin"
    # Another administrator may.
    auth_store.set_role("li.wei", "executive", actor=ADMIN, url=store)
    assert auth_store.get_user("li.wei", store)["role"] == "executive"
    changes = [d["action"] for e, d in events(store) if e == "user_change"]
    assert changes == ["add", "add", "set_role"]


def test_unmask_roles_default_to_the_cooperative_and_branch(monkeypatch) -> None:
    monkeypatch.delenv("PCRM_UNMASK_ROLES", raising=False)
    assert {r for r in ROLES if auth_store.may_unmask(r)} == {"cooperative_manager", "branch_head"}
    wider = auth_store.AuthConfig(unmask_roles=" cooperative_manager, branch_head,executive ")
    assert wider.unmask_role_codes == {"cooperative_manager", "branch_head", "executive"}
    assert auth_store.may_unmask("executive", wider)
    assert auth_store.AuthConfig(unmask_roles="").unmask_role_codes == frozenset()
    for never in ("analyst", "admin"):
        with pytest.raises(ValueError, match=f"{never} may never unmask"):
            auth_store.may_unmask("branch_head", auth_store.AuthConfig(unmask_roles=never))
    monkeypatch.setenv("PCRM_UNMASK_ROLES", "executive")
    monkeypatch.setenv("PCRM_SEARCH_LIMIT_PER_MINUTE", "12")
    config = auth_store.AuthConfig.from_settings()
    assert config.unmask_role_codes == {"executive"} and config.search_limit_per_minute == 12


def test_placement_fills_the_org_from_the_warehouse(demo_duckdb: Warehouse) -> None:
    query.use_warehouse(demo_duckdb)
    branch = query.engine().connect()
    try:
        b_id, c_id, p_id = branch.execute(
            sa.text("SELECT branch_id, cooperative_id, prefecture_id FROM dim_branch LIMIT 1")
        ).one()
        staff, staff_branch = branch.execute(
            sa.text(
                "SELECT staff_id, branch_id FROM dim_staff WHERE role = 'wealth_manager' LIMIT 1"
            )
        ).one()
    finally:
        branch.close()
    placed = auth_store.placement("branch_head", {"branch_id": b_id})
    assert placed == {
        "prefecture_id": p_id,
        "cooperative_id": c_id,
        "branch_id": b_id,
        "staff_id": None,
    }
    assert auth_store.placement("wealth_manager", {"staff_id": staff})["branch_id"] == staff_branch
    assert (
        auth_store.placement("cooperative_manager", {"cooperative_id": c_id})["prefecture_id"]
        == p_id
    )
    assert auth_store.placement("executive", {"branch_id": b_id})["branch_id"] is None
    with pytest.raises(auth_store.AccountError, match="No branch 999999"):
        auth_store.placement("branch_head", {"branch_id": 999999})


# ------------------------------------------------------------------ single sign-on mapping


def test_sso_maps_by_the_table_never_by_claims(store: str) -> None:
    auth_store.add_user(
        "Wang.Fang@Bank.example",
        "王芳",
        "branch_head",
        actor=ADMIN,
        org={"branch_id": 101, "cooperative_id": 10, "prefecture_id": 1},
        url=store,
    )
    claims = {
        "email": "wang.fang@bank.example",
        "email_verified": True,
        "sub": "abc",
        "role": "executive",  # claims a user may influence are ignored
        "groups": ["admins"],
        "branch_id": 999,
    }
    result = auth_store.sso_viewer(claims, url=store, config=CONFIG)
    assert result.viewer == Viewer(
        "wang.fang@bank.example",
        "branch_head",
        "王芳",
        prefecture_id=1,
        cooperative_id=10,
        branch_id=101,
    )


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({"email": "stranger@bank.example"}, "sso_unknown_user"),
        ({"email": "li.wei"}, "local_account"),
        ({"email": "off@bank.example"}, "disabled"),
        ({"email": "ok@bank.example", "email_verified": False}, "email_not_verified"),
        ({"sub": "only-a-subject"}, "missing_claim"),
    ],
)
def test_sso_refusals_are_audited(store: str, claims: dict, reason: str) -> None:
    add_local(store)  # a password account is never reachable through SSO
    for user in ("off@bank.example", "ok@bank.example"):
        auth_store.add_user(user, "U", "analyst", actor=ADMIN, url=store)
    auth_store.set_disabled("off@bank.example", True, actor=ADMIN, url=store)
    result = auth_store.sso_viewer(claims, url=store, config=CONFIG)
    assert result.viewer is None and result.reason == reason
    assert ("sign_in_failed", {"reason": reason}) in events(store)


def test_sso_can_match_on_another_claim(store: str) -> None:
    auth_store.add_user("00u1abcd", "Okta user", "analyst", actor=ADMIN, url=store)
    config = auth_store.AuthConfig(sso_claim="sub")
    result = auth_store.sso_viewer({"sub": "00U1ABCD", "email": "x@y"}, url=store, config=config)
    assert result.viewer is not None and result.viewer.role == "analyst"


def test_sso_provider_from_secrets() -> None:
    shared = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": SECRET}
    client = {"client_id": "id", "client_secret": "x", "server_metadata_url": "https://i/.wk"}
    assert auth_store.sso_provider({}) is None
    assert auth_store.sso_provider({"auth": {**client}}) is None  # no redirect / cookie secret
    assert auth_store.sso_provider({"auth": {**shared, **client}}) == ""
    named = {"auth": {**shared, "azure": client, "okta": client}}
    assert auth_store.sso_provider(named, wanted="okta") == "okta"
    assert auth_store.sso_provider(named, wanted="") == "azure"


# 32 random bytes as hex (secrets.token_hex(32)) and as base64, made once for the tests.
SECRET = "2ffede88368dcc67b5ed73df7b2a8dac5ae72c635dd94eb3dd4d8f5eaa3fa59e"
SECRET_B64 = "dTkNbGnLxQJOk5NJF94Iw8xzZ5boeoRa44zEsTE861I="
ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("secret", "problem"),
    [
        (None, "missing"),
        ("  ", "missing"),
        ("a long random string", "placeholder"),  # what the example file used to show
        ("XXX", "placeholder"),  # Streamlit's documentation
        ("our cooperative's dashboard cookie key 2026", "not_encoded"),  # a readable phrase
        ("CorrectHorseBatteryStaple!", "not_encoded"),
        ("9f86d081884c7d659a2feaa0c55ad015", "too_short"),  # 16 bytes of hex
        (SECRET[:62], "too_short"),  # 31 bytes
        ("dTkNbGnLxQJOk5NJF94Iw8xz", "too_short"),  # 18 bytes of base64
        ("00" * 32, "low_entropy"),
        ("ff" * 40, "low_entropy"),
        ("0123456789abcdef" * 4, "low_entropy"),  # a repeated pattern
        ("deadbeef" * 8, "low_entropy"),
        ("QUJD" * 11, "low_entropy"),  # base64 of "ABC" repeated
        (b"this is our dashboard cookie key".hex(), "low_entropy"),  # text written as hex
    ],
)
def test_unfit_cookie_secrets_are_refused(secret, problem: str) -> None:
    assert auth_store.cookie_secret_problem(secret) == problem
    secrets = {
        "auth": {
            "redirect_uri": "https://pcrm.bank.example/oauth2callback",
            "cookie_secret": secret,
            "client_id": "pcrm",
            "server_metadata_url": "https://sso.bank.example/.well-known/openid-configuration",
        }
    }
    assert auth_store.sso_secret_problem(secrets) == problem
    assert auth_store.sso_provider(secrets) is None


def test_random_cookie_secrets_are_accepted() -> None:
    assert len(SECRET) == 64 and len(SECRET_B64) == 44
    for secret in (SECRET, SECRET.upper(), SECRET_B64, SECRET_B64.rstrip("=")):
        assert auth_store.cookie_secret_problem(secret) is None, secret
    for _ in range(200):  # what the docs tell people to run, and its URL-safe base64 cousin
        assert auth_store.cookie_secret_problem(secrets.token_hex(32)) is None
        assert auth_store.cookie_secret_problem(secrets.token_urlsafe(32)) is None


def test_the_cookie_secrets_shown_in_the_examples_and_docs_are_refused() -> None:
    shown = {}
    for name in (".streamlit/secrets.toml.example", "docs/security.md", "README.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        shown[name] = re.findall(r'cookie_secret\s*=\s*"([^"]*)"', text)
    assert shown[".streamlit/secrets.toml.example"] and shown["docs/security.md"]
    for name, values in shown.items():
        for value in values:
            assert auth_store.cookie_secret_problem(value) == "placeholder", (name, value)
    assert auth_store.MAKE_COOKIE_SECRET in (ROOT / "docs/security.md").read_text("utf-8")
    assert "token_hex(32)" in (ROOT / ".streamlit/secrets.toml.example").read_text("utf-8")


def test_a_weak_cookie_secret_turns_sso_off_with_a_warning_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    auth_store._log_secret_problem.cache_clear()
    configured = {
        "redirect_uri": "https://pcrm.bank.example/oauth2callback",
        "client_id": "pcrm",
        "server_metadata_url": "https://sso.bank.example/.well-known/openid-configuration",
    }
    with caplog.at_level(logging.WARNING, logger="data_access.auth_store"):
        assert (
            auth_store.sso_provider({"auth": {**configured, "cookie_secret": "a secret one"}})
            is None
        )
        assert (
            auth_store.sso_provider({"auth": {**configured, "cookie_secret": "a secret two"}})
            is None
        )
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1  # once per process, not on every render of the sign-in screen
    assert "Single sign-on is off" in warnings[0] and "not hex or base64" in warnings[0]
    assert "secrets.token_hex(32)" in warnings[0]
    assert auth_store.sso_provider({"auth": {**configured, "cookie_secret": SECRET}}) == ""
    # Not configured at all: nothing to warn about.
    assert auth_store.sso_secret_problem({}) is None
    assert auth_store.sso_secret_problem({"auth": {"cookie_secret": "s"}}) is None


# ------------------------------------------------------------------ demo personas


def test_personas_on_a_demo_warehouse_with_an_unused_store(store: str) -> None:
    assert auth_store.demo_personas_refusal(True, url=store, config=CONFIG) is None
    # The personas' own records, and failed sign-ins anyone can cause, do not count.
    persona = Viewer(f"{auth_store.DEMO_USER_PREFIX}branch-head:101", "branch_head")
    app_store.audit("sign_in", persona, detail={"method": "demo_persona"}, url=store)
    app_store.audit("customer_view", persona, customer_ids=[7], url=store)
    app_store.audit("sign_in_failed", "mallory", detail={"reason": "unknown_user"}, url=store)
    assert auth_store.demo_personas_refusal(True, url=store, config=CONFIG) is None


def test_no_personas_once_the_store_has_an_account(store: str) -> None:
    add_local(store)
    assert auth_store.demo_personas_refusal(True, url=store, config=CONFIG) == "store_in_use"


@pytest.mark.parametrize(
    "who",
    [Viewer("t-head", "branch_head", branch_id=101), "cli:root", "demo", "demo_executive"],
)
def test_no_personas_once_the_store_has_a_record_of_anyone_else(store: str, who) -> None:
    app_store.audit("customer_view", who, customer_ids=[7], url=store)
    assert auth_store.demo_personas_refusal(True, url=store, config=CONFIG) == "store_in_use"


def test_no_personas_when_switched_off_or_not_the_demo(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert auth_store.demo_personas_refusal(False, url=store, config=CONFIG) == "not_demo"
    for value in ("off", "OFF", " off "):
        monkeypatch.setenv("PCRM_DEMO_PERSONAS", value)
        assert auth_store.demo_personas_refusal(True, url=store) == "off"
    monkeypatch.setenv("PCRM_DEMO_PERSONAS", "no")
    with pytest.raises(ValueError, match="PCRM_DEMO_PERSONAS .* must be on or off, not 'no'"):
        auth_store.AuthConfig.from_settings()


def test_no_personas_when_the_store_cannot_be_read(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the app store's folder should be")
    url = f"sqlite:///{blocker / 'app.sqlite'}"
    assert auth_store.demo_personas_refusal(True, url=url, config=CONFIG) == "store_unreadable"


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PCRM_LOCKOUT_ATTEMPTS", "7")
    monkeypatch.setenv("PCRM_SSO_CLAIM", "preferred_username")
    config = auth_store.AuthConfig.from_settings()
    assert config.lockout_attempts == 7 and config.sso_claim == "preferred_username"
    assert config.idle_timeout_minutes == 30


# ------------------------------------------------------------------ sessions


@pytest.mark.parametrize(
    ("signed_in", "last_seen", "expected"),
    [
        (0, 0, None),
        (0, -31 * 60, "idle"),
        (-11 * 3600, -60, "absolute"),
        (-9 * 3600, -29 * 60, None),
    ],
)
def test_session_end_reason(signed_in: float, last_seen: float, expected) -> None:
    config = auth_store.AuthConfig(idle_timeout_minutes=30, session_max_hours=10)
    now = 1_800_000_000.0
    assert auth_store.session_end_reason(now + signed_in, now + last_seen, now, config) == expected


# ------------------------------------------------------------------ account re-check


def _signed_in(store: str) -> Viewer:
    add_local(store)
    viewer = auth_store.authenticate("li.wei", GOOD, url=store, config=CONFIG).viewer
    assert viewer is not None
    return viewer


def test_recheck_keeps_an_unchanged_account_and_its_unmask_grant(store: str) -> None:
    viewer = dataclasses.replace(_signed_in(store), unmask_until=1_800_000_000.0)
    check = auth_store.recheck_account(viewer, store)
    assert (check.viewer, check.reason) == (viewer, "ok")
    with app_store.app_engine(store).begin() as conn:
        conn.execute(sa.update(app_store.app_user).values(display_name="李伟（营业部）"))
    renamed = auth_store.recheck_account(viewer, store).viewer
    assert renamed == dataclasses.replace(viewer, display_name="李伟（营业部）")


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ("disable", "disabled"),
        ("role", "role_changed"),
        ("branch", "scope_changed"),
        ("delete", "deleted"),
    ],
)
def test_recheck_ends_a_session_whose_account_changed(store: str, change: str, reason) -> None:
    viewer = _signed_in(store)
    if change == "disable":
        auth_store.set_disabled("li.wei", True, actor=ADMIN, url=store)
    elif change == "role":
        org = {"cooperative_id": 10, "prefecture_id": 1}
        auth_store.set_role("li.wei", "cooperative_manager", actor=ADMIN, org=org, url=store)
    elif change == "branch":
        org = {"branch_id": 102, "cooperative_id": 10, "prefecture_id": 1}
        auth_store.set_role("li.wei", "branch_head", actor=ADMIN, org=org, url=store)
    else:
        with app_store.app_engine(store).begin() as conn:
            conn.execute(sa.delete(app_store.app_user))
    assert auth_store.recheck_account(viewer, store) == auth_store.AccountCheck(None, reason)


def test_recheck_leaves_demo_personas_and_no_account_takes_their_prefix(store: str) -> None:
    persona = Viewer("demo:branch-head:101", "branch_head", branch_id=101)
    assert auth_store.recheck_account(persona, store).viewer == persona
    with pytest.raises(auth_store.AccountError, match="demo personas"):
        auth_store.add_user("Demo:executive", "X", "executive", actor=ADMIN, url=store)


# ------------------------------------------------------------------ single sign-on sessions

SSO_USER = "wang@bank.example"
T0 = 1_800_000_000.0  # when the identity provider issued the token (iat)
SESSIONS = auth_store.AuthConfig(idle_timeout_minutes=30, session_max_hours=10)


def _open(store: str, now: float, **claims) -> auth_store.SsoSession:
    claims = {"email": SSO_USER, **(claims or {"iat": T0})}
    return auth_store.open_sso_session(SSO_USER, claims, now=now, url=store, config=SESSIONS)


def test_a_fresh_token_opens_a_session_that_new_tabs_join(store: str) -> None:
    started = _open(store, T0 + 20)
    assert (started.reason, started.signed_in_at, started.token_issued_at) == ("fresh", T0, T0)
    # Two hours later, active in the meantime: a new tab with the same cookie joins.
    auth_store.touch_sso_session(SSO_USER, T0, now=T0 + 7200 - 600, url=store)
    joined = _open(store, T0 + 7200)
    assert (joined.reason, joined.signed_in_at) == ("joined", T0)  # limits count from T0
    recent_auth = _open(store, T0 + 7300, auth_time=T0 + 7250)  # no iat: auth_time is used
    assert recent_auth.reason == "fresh" and recent_auth.signed_in_at == T0 + 7250


@pytest.mark.parametrize(
    ("last_seen", "now", "reason"),
    [
        (T0 + 9 * 3600, T0 + 9 * 3600 + 31 * 60, "idle"),
        (T0 + 10 * 3600, T0 + 10 * 3600 + 60, "absolute"),
    ],
)
def test_an_old_token_past_the_limits_needs_the_identity_provider(
    store: str, last_seen: float, now: float, reason: str
) -> None:
    _open(store, T0 + 5)
    auth_store.touch_sso_session(SSO_USER, T0, now=last_seen, url=store)
    assert _open(store, now).reason == reason
    assert _open(store, T0 + 60).reason == "ended"  # marked ended: the same cookie stays out
    refused = [d for e, d in events(store, SSO_USER) if e == "sign_in_failed"]
    assert refused == [
        {"reason": "sso_reauth_required", "session": reason},
        {"reason": "sso_reauth_required", "session": "ended"},
    ]


def test_a_stale_cookie_without_a_live_session_is_refused(store: str) -> None:
    # A 20-day-old cookie, no server-side session at all.
    assert _open(store, T0 + 20 * 86400).reason == "none"
    # Another token of the same person started a session: this cookie cannot join it.
    _open(store, T0 + 3600 + 5, iat=T0 + 3600)
    assert _open(store, T0 + 3600 + 10).reason == "none"
    assert _open(store, T0, sub="no time claims").reason == "no_token_time"
    assert _open(store, T0 - 3600).reason == "none"  # issued an hour in the future


def test_a_signed_out_session_cannot_be_joined(store: str) -> None:
    _open(store, T0 + 5)
    auth_store.end_sso_session(SSO_USER, T0, "sign_out", now=T0 + 60, url=store)
    assert _open(store, T0 + 90).reason == "ended"
    with app_store.app_engine(store).connect() as conn:
        row = conn.execute(sa.select(app_store.sso_session)).one()
    assert row.end_reason == "sign_out" and row.ended_at is not None


# ------------------------------------------------------------------ the audit log


def test_audit_search_filters(store: str) -> None:
    who = Viewer("t-head", "branch_head", branch_id=101)
    app_store.audit("customer_list", who, customer_ids=[12, 123], url=store)
    app_store.audit("customer_view", who, customer_ids=[123], url=store)
    app_store.audit("export", Viewer("t-exec", "executive"), url=store)
    everything, total = audit_search.search_audit(audit_search.AuditQuery(), url=store)
    assert total == 3 and list(everything["event"]) == ["export", "customer_view", "customer_list"]
    q = audit_search.AuditQuery(customer_id=12)
    assert list(audit_search.search_audit(q, url=store)[0]["event"]) == ["customer_list"]
    q = audit_search.AuditQuery(user_id="t-head", events=("customer_view", "export"))
    assert audit_search.search_audit(q, url=store)[1] == 1
    assert audit_search.count_by_event(audit_search.AuditQuery(), url=store) == {
        "customer_list": 1,
        "customer_view": 1,
        "export": 1,
    }
    today = app_store.utc_now().date()
    past = audit_search.AuditQuery(until=today - dt.timedelta(days=1))
    assert audit_search.search_audit(past, url=store)[1] == 0
    assert audit_search.search_audit(audit_search.AuditQuery(since=today), url=store)[1] == 3
    assert list(audit_search.known_users(store)) == ["t-exec", "t-head"]
    limited, total = audit_search.search_audit(audit_search.AuditQuery(), limit=1, url=store)
    assert len(limited) == 1 and total == 3


def test_audit_log_refuses_update_and_delete(store: str) -> None:
    add_local(store)
    engine = app_store.app_engine(store)
    log = app_store.audit_log
    for stmt in (sa.update(log).values(user_id="someone else"), sa.delete(log)):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), engine.begin() as conn:
            conn.execute(stmt)
    assert events(store) and events(store)[0][0] == "user_change"


# ------------------------------------------------------------------ hardening

ROOT = Path(__file__).resolve().parent.parent


def test_production_settings_in_config_toml() -> None:
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["maxUploadSize"] <= 10
    assert config["client"]["showErrorDetails"] == "none"
    assert config["browser"]["gatherUsageStats"] is False
    example = tomllib.loads(
        (ROOT / ".streamlit" / "secrets.toml.example").read_text(encoding="utf-8")
    )
    assert "auth" not in example  # SSO is documented there, commented out, never enabled


def test_no_user_data_through_unsafe_html() -> None:
    sources = [ROOT / "app.py", *(ROOT / "ui").rglob("*.py"), *(ROOT / "pages").glob("*.py")]
    offenders = [
        str(path.relative_to(ROOT))
        for path in sources
        if "unsafe_allow_html=True" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, f"unsafe_allow_html used in {offenders}"


def test_streamlit_is_pinned_exactly() -> None:
    pins = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "streamlit==1.67.0" in pins
    assert any(line.startswith("Authlib==") for line in pins)  # st.login needs it
