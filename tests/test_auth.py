"""Accounts, passwords, lockout, SSO mapping and sessions (data_access.auth_store), on SQLite and
PostgreSQL app stores; placement on the demo warehouse."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
import sqlalchemy as sa

from data_access import app_store, audit_search, auth_store, query
from data_access.roles import ROLES
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
    shared = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "s"}
    client = {"client_id": "id", "client_secret": "x", "server_metadata_url": "https://i/.wk"}
    assert auth_store.sso_provider({}) is None
    assert auth_store.sso_provider({"auth": {**client}}) is None  # no redirect / cookie secret
    assert auth_store.sso_provider({"auth": {**shared, **client}}) == ""
    named = {"auth": {**shared, "azure": client, "okta": client}}
    assert auth_store.sso_provider(named, wanted="okta") == "okta"
    assert auth_store.sso_provider(named, wanted="") == "azure"


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
