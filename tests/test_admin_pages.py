"""Sign-in form, lockout, session expiry, unmasking, the users and audit pages, in AppTest; the
analyst's pages scanned for personal data; cached results never shared between viewers."""

from __future__ import annotations

import dataclasses
import json
import re
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from data_access import app_store, auth_store, overview, query
from data_access.filters import Filters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    count_page_runs,
    format_in,
    new_app,
    sign_in,
    texts,
    use_stores,
    warehouse_sql,
)
from ui import cache, i18n
from ui.strings.auth import EVENT_LABEL, WEAK_PASSWORD

ADMIN = Viewer("boss", "admin", "Boss")
GOOD = "correct horse battery"
FULL_ID = re.compile(r"(?<![\d*])\d{17}[\dX](?![\d*])")
FULL_MOBILE = re.compile(r"(?<![\d*])1[3-9]\d{9}(?![\d*])")


@pytest.fixture
def store(demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[str]:
    monkeypatch.setenv("PCRM_LOCKOUT_ATTEMPTS", "3")
    yield use_stores(monkeypatch, demo_duckdb.url, tmp_path)
    app_store.dispose_engines()


def audited(url: str, event: str) -> list[dict]:
    frame = app_store.recent_audit(500, url, event=event)
    return [
        {"user_id": r.user_id, "customer_ids": r.customer_ids, **json.loads(r.detail or "{}")}
        for r in frame.itertuples()
    ]


def password_sign_in(at, user: str, password: str):
    at.text_input(key="pcrm_login_user").input(user)
    at.text_input(key="pcrm_login_password").input(password)
    at.button(key="pcrm_login_submit").click().run()
    assert not at.exception, at.exception
    return at


def first_branch(demo_duckdb: Warehouse) -> tuple[int, int, int]:
    return warehouse_sql(
        demo_duckdb,
        "SELECT branch_id, cooperative_id, prefecture_id FROM dim_branch "
        "ORDER BY branch_id LIMIT 1",
    )[0]


# ------------------------------------------------------------------ local accounts


def test_a_local_account_signs_in_with_the_form(store: str, demo_duckdb: Warehouse) -> None:
    _, coop, prefecture = first_branch(demo_duckdb)
    org = {"cooperative_id": coop, "prefecture_id": prefecture}
    auth_store.add_user(
        "li.wei", "李伟", "cooperative_manager", actor=ADMIN, password=GOOD, org=org
    )
    at = new_app().run()
    keys = {b.key for b in at.button}
    assert "pcrm_login_submit" in keys
    assert "pcrm_signin_executive" not in keys  # a store with accounts gets no demo personas
    password_sign_in(at, "li.wei", GOOD)
    customers = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_customer_month f JOIN dim_branch b USING (branch_id) "
        "WHERE f.month_start = (SELECT as_of_month FROM meta_warehouse) "
        "AND b.cooperative_id = :c AND NOT f.is_closed",
        c=coop,
    )[0][0]
    shown = {m.label: m.value for m in at.metric}
    assert (
        shown["Customers (all) 客户总数"] == f"{customers:,}"
    )  # the cooperative's customers, no more
    assert any(b.label == "Sign out" for b in at.sidebar.button)
    signed = audited(store, "sign_in")
    assert signed[0]["user_id"] == "li.wei" and signed[0]["method"] == "password"


def test_lockout_through_the_form(store: str) -> None:
    auth_store.add_user("a1", "Analyst", "analyst", actor=ADMIN, password=GOOD)
    at = new_app().run()
    for _ in range(3):
        password_sign_in(at, "a1", "wrong wrong wrong")
        assert "Sign-in failed" in at.error[0].value
    password_sign_in(at, "a1", GOOD)  # right password, but locked now
    assert "Sign-in failed" in at.error[0].value
    assert not at.metric
    assert len(audited(store, "locked_out")) == 1
    assert [e["reason"] for e in audited(store, "sign_in_failed")][0] == "locked"


def test_an_expired_session_is_signed_out(store: str) -> None:
    at = sign_in(new_app(), "executive")
    assert at.metric
    at.session_state["pcrm_session"] = {
        "signed_in_at": time.time() - 3600,
        "last_seen": time.time() - 31 * 60,
        "method": "demo_persona",
    }
    at.run()
    assert not at.exception
    assert not at.metric
    assert "without activity" in at.error[0].value
    assert audited(store, "session_expired")[0] == {
        "user_id": "demo:executive",
        "customer_ids": None,
        "reason": "idle",
    }
    at.session_state["pcrm_viewer"] = Viewer("demo:executive", "executive")
    at.session_state["pcrm_session"] = {
        "signed_in_at": time.time() - 11 * 3600,
        "last_seen": time.time(),
        "method": "demo_persona",
    }
    at.run()
    assert "maximum length" in at.error[0].value


# ------------------------------------------------------------------ account re-check


def later(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """Move the app's clock ``seconds`` ahead (the session limits and re-checks read it)."""
    from ui import auth

    monkeypatch.setattr(auth, "_clock", lambda: time.time() + seconds)


def add_branch_head(demo_duckdb: Warehouse) -> int:
    """A local account li.wei, head of the first branch; returns the branch id."""
    branch, coop, prefecture = first_branch(demo_duckdb)
    org = {"branch_id": branch, "cooperative_id": coop, "prefecture_id": prefecture}
    auth_store.add_user("li.wei", "李伟", "branch_head", actor=ADMIN, password=GOOD, org=org)
    return branch


def test_a_disabled_account_is_signed_out_within_a_minute(
    store: str, demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_branch_head(demo_duckdb)
    at = password_sign_in(new_app().run(), "li.wei", GOOD)
    assert at.metric
    auth_store.set_disabled("li.wei", True, actor=ADMIN)
    at.run()
    assert at.metric  # re-read at most once a minute: not yet
    later(monkeypatch, auth_store.ACCOUNT_RECHECK_SECONDS + 1)
    at.run()
    assert not at.exception
    assert not at.metric and "pcrm_viewer" not in at.session_state
    assert "account has been disabled" in at.error[0].value
    assert audited(store, "session_expired")[0] == {
        "user_id": "li.wei",
        "customer_ids": None,
        "reason": "account_disabled",
    }


@pytest.mark.parametrize("change", ["branch", "role"])
def test_opening_a_customer_rereads_the_account_at_once(
    store: str, demo_duckdb: Warehouse, change: str
) -> None:
    branch = add_branch_head(demo_duckdb)
    customer, name = warehouse_sql(
        demo_duckdb,
        "SELECT customer_id, full_name FROM dim_customer WHERE branch_id = :b "
        "AND closed_on IS NULL ORDER BY customer_id LIMIT 1",
        b=branch,
    )[0]
    other = warehouse_sql(
        demo_duckdb,
        "SELECT branch_id, cooperative_id, prefecture_id FROM dim_branch "
        "WHERE branch_id <> :b ORDER BY branch_id LIMIT 1",
        b=branch,
    )[0]
    at = new_app({"customer": str(customer)}).switch_page("pages/customer.py").run()
    password_sign_in(at, "li.wei", GOOD)
    assert f"Customer no. {customer}" in texts(at)
    if change == "branch":
        org = dict(zip(("branch_id", "cooperative_id", "prefecture_id"), other, strict=True))
        auth_store.set_role("li.wei", "branch_head", actor=ADMIN, org=org)
    else:
        auth_store.set_role("li.wei", "executive", actor=ADMIN)
    at.run()  # well within the minute: the customer page re-reads the account itself
    assert not at.exception
    assert f"Customer no. {customer}" not in texts(at) and name[0] not in texts(at)
    assert "your access has changed" in at.error[0].value
    ended = audited(store, "session_expired")[0]
    assert (ended["reason"], ended["change"]) == (
        "account_changed",
        change.replace("branch", "scope"),
    )
    assert len(audited(store, "customer_view")) == 1  # the opening before the change only


# ------------------------------------------------------------------ unmasking


def test_unmasking_needs_a_reason_is_audited_and_ends(store: str, demo_duckdb: Warehouse) -> None:
    at = sign_in(new_app(), "branch_head", first_branch(demo_duckdb)[0])
    at.button(key="pcrm_unmask_grant").click().run()
    assert "State a reason" in texts(at)
    assert at.session_state["pcrm_viewer"].unmask_until is None
    at.text_input(key="pcrm_unmask_reason").input("客户来电核实转账信息")
    at.button(key="pcrm_unmask_grant").click().run()
    assert not at.exception
    viewer = at.session_state["pcrm_viewer"]
    assert viewer.unmask_until is not None and viewer.unmask_until > time.time() + 14 * 60
    assert "unmasked for 15 more minutes" in texts(at)
    grant = audited(store, "unmask")
    assert grant[0]["reason"] == "客户来电核实转账信息" and grant[0]["minutes"] == 15
    at.button(key="pcrm_unmask_end").click().run()
    assert at.session_state["pcrm_viewer"].unmask_until is None
    at.session_state["pcrm_viewer"] = dataclasses.replace(viewer, unmask_until=time.time() - 1)
    at.run()
    assert at.session_state["pcrm_viewer"].unmask_until is None  # an expired grant is dropped


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_refused_unmask_redraws_the_request_alone_a_grant_the_whole_page(
    lang: str, store: str, demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    format_in(lang, monkeypatch)
    runs = count_page_runs(monkeypatch)
    at = sign_in(new_app({"lang": lang}), "branch_head", first_branch(demo_duckdb)[0])
    opened = len(runs)
    at.text_input(key="pcrm_unmask_reason").input("核实")
    at.button(key="pcrm_unmask_grant").click().run()
    assert not at.exception, at.exception
    assert len(runs) == opened, "a refused request ran the page again"
    assert [e.value for e in at.error] == [i18n.translate("unmask.reason_needed", lang)]
    assert at.session_state["pcrm_viewer"].unmask_until is None and not audited(store, "unmask")
    at.text_input(key="pcrm_unmask_reason").input("客户来电核实转账信息")
    at.button(key="pcrm_unmask_grant").click().run()
    assert not at.exception, at.exception
    assert len(runs) == opened + 1, "a grant redraws the whole page, unmasked"
    assert i18n.translate("unmask.active", lang, minutes=15) in texts(at)
    assert audited(store, "unmask")[0]["reason"] == "客户来电核实转账信息"


def test_the_executive_may_unmask_only_when_configured(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = sign_in(new_app(), "executive")
    assert "pcrm_unmask_grant" not in {b.key for b in at.button}
    assert "Show personal data" not in texts(at)
    monkeypatch.setenv("PCRM_UNMASK_ROLES", "cooperative_manager,branch_head,executive")
    at.run()
    assert "pcrm_unmask_grant" in {b.key for b in at.button}


def test_analysts_get_no_unmask_control(store: str) -> None:
    at = sign_in(new_app(), "analyst")
    assert "pcrm_unmask_grant" not in {b.key for b in at.button}
    assert "Show personal data" not in texts(at)


def test_the_analyst_pages_show_no_full_id_or_mobile(store: str, demo_duckdb: Warehouse) -> None:
    customer = warehouse_sql(demo_duckdb, "SELECT min(customer_id) FROM dim_customer")[0][0]
    full_ids = {r[0] for r in warehouse_sql(demo_duckdb, "SELECT id_number FROM dim_customer")}
    at = sign_in(new_app(), "analyst")
    pages = [at]
    if Path("pages/customer.py").exists():
        pages.append(sign_in(new_app({"customer": str(customer)}), "analyst"))
        pages[-1].switch_page("pages/customer.py").run()
    for page in pages:
        assert not page.exception
        shown = texts(page) + "\n".join(str(f.value) for f in page.dataframe)
        shown += "\n".join(str(e.value) for e in page.get("text"))
        assert not FULL_ID.search(shown)
        assert not FULL_MOBILE.search(shown)
        assert not any(value in shown for value in full_ids)
    if len(pages) > 1:  # the customer page did show the customer, masked
        assert re.search(r"\w\*+ · ", texts(pages[1]))


# ------------------------------------------------------------------ users page


def admin_app(store: str):
    with app_store.app_engine(store).begin() as conn:  # the account, not audited as a change
        conn.execute(
            sa.insert(app_store.app_user).values(
                user_id=ADMIN.user_id,
                display_name=ADMIN.display_name,
                role=ADMIN.role,
                is_disabled=False,
                failed_attempts=0,
                created_at=app_store.utc_now(),
            )
        )
    at = new_app()
    at.session_state["pcrm_viewer"] = ADMIN
    return at.run()


def test_users_page_adds_and_disables_accounts(store: str, demo_duckdb: Warehouse) -> None:
    branch = first_branch(demo_duckdb)[0]
    at = admin_app(store)
    assert not at.exception
    assert at.title[0].value == "Users 用户管理"
    at.text_input(key="users_add_id").input("zhao@bank.example")
    at.text_input(key="users_add_name").input("赵敏")
    at.selectbox(key="users_add_role").set_value("branch_head")
    at.number_input(key="users_add_branch_id").set_value(branch)
    at.button(key="users_add_submit").click().run()
    assert not at.exception
    assert "zhao@bank.example added" in at.success[0].value
    user = auth_store.get_user("zhao@bank.example")
    assert user["branch_id"] == branch and user["cooperative_id"] is not None
    assert not user["has_password"]
    listed = at.dataframe[0].value
    assert "zhao@bank.example" in set(listed["User name"])
    at.selectbox(key="users_pick").set_value("zhao@bank.example").run()
    at.button(key="users_disable").click().run()
    assert auth_store.get_user("zhao@bank.example")["is_disabled"]
    actions = [e["action"] for e in audited(store, "user_change")]
    assert sorted(actions) == ["add", "disable"]


def test_an_administrator_cannot_change_their_own_role_on_the_users_page(store: str) -> None:
    auth_store.add_user("zhao", "赵敏", "analyst", actor="cli:root")
    at = admin_app(store)  # the administrator's own account is in the store
    at.selectbox(key="users_pick").set_value(ADMIN.user_id).run()
    assert not at.exception
    assert "You cannot change your own role or scope" in texts(at)
    assert "users_role_submit" not in {b.key for b in at.button}
    at.selectbox(key="users_pick").set_value("zhao").run()
    assert "users_role_submit" in {b.key for b in at.button}
    assert "You cannot change your own role or scope" not in texts(at)


def test_users_page_shows_errors_and_is_admin_only(store: str) -> None:
    at = admin_app(store)
    at.text_input(key="users_add_id").input("x")
    at.selectbox(key="users_add_role").set_value("wealth_manager")
    at.button(key="users_add_submit").click().run()
    assert "needs staff" in at.error[0].value
    # The store now has an account, so no demo persona: an executive's account, signed in.
    auth_store.add_user("e1", "Executive", "executive", actor=ADMIN, password=GOOD)
    executive = new_app()
    executive.session_state["pcrm_viewer"] = auth_store.authenticate("e1", GOOD).viewer
    executive.run()
    assert executive.metric  # the executive's overview
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        executive.switch_page("pages/users.py")  # not in the executive's navigation


def test_users_page_explains_a_weak_password_in_both_languages(store: str) -> None:
    auth_store.add_user("a1", "Analyst", "analyst", actor=ADMIN, password=GOOD)
    at = admin_app(store)
    at.selectbox(key="users_pick").set_value("a1").run()
    at.text_input(key="users_password_value").input("password1234")
    at.button(key="users_password_submit").click().run()
    assert not at.exception
    assert "too easy to guess" in at.error[0].value
    at.text_input(key="users_add_id").input("b2")
    at.selectbox(key="users_add_role").set_value("analyst")
    at.text_input(key="users_add_password").input("abcabcabcabc")
    at.button(key="users_add_submit").click().run()
    assert "repetitive" in at.error[0].value
    assert auth_store.get_user("b2") is None
    assert auth_store.authenticate("a1", GOOD).viewer
    # Every reason the data layer gives has its words in both languages, with its numbers.
    assert set(WEAK_PASSWORD) == set(auth_store.PASSWORD_PROBLEMS)
    with pytest.raises(auth_store.WeakPasswordError) as refused:
        auth_store.check_password("short")
    assert i18n.translate(WEAK_PASSWORD[refused.value.code], "zh", **refused.value.params) == (
        "密码太短：至少需要 12 个字符。"
    )


DENIED_SCRIPT = """
import streamlit as st
from data_access.viewer import Viewer
from ui import auth

auth._shell.active = True  # as if app.py ran the page
st.session_state["pcrm_viewer"] = Viewer("t-analyst", "analyst")
auth.require_page("{page}")
st.write("PAGE CONTENT")
"""


@pytest.mark.parametrize("page", ["users", "audit"])
def test_each_page_checks_the_role_again(store: str, page: str) -> None:
    at = AppTest.from_string(DENIED_SCRIPT.replace("{page}", page), default_timeout=60).run()
    assert not at.exception
    assert "may not open this page" in at.error[0].value
    assert "PAGE CONTENT" not in [m.value for m in at.markdown]
    assert audited(store, "access_denied")[0] == {
        "user_id": "t-analyst",
        "customer_ids": None,
        "page": page,
    }


def test_every_audit_event_has_a_label() -> None:
    assert set(EVENT_LABEL) == set(app_store.AUDIT_EVENTS)


# ------------------------------------------------------------------ audit page


def test_audit_page_lists_counts_filters_and_exports(store: str) -> None:
    at = sign_in(new_app(), "executive")  # before others' records withhold the demo personas
    head = Viewer("t-head", "branch_head", branch_id=1)
    app_store.audit("customer_view", head, customer_ids=[42])
    app_store.audit("unmask", head, detail={"reason": "verify"})
    app_store.audit("sign_in_failed", "mallory", detail={"reason": "unknown_user"})
    at.switch_page("pages/audit.py").run()
    assert not at.exception
    counts = {m.label: m.value for m in at.metric}
    assert counts["Customers opened"] == "1" and counts["Unmask grants"] == "1"
    assert counts["Failed sign-ins"] == "1"
    table = at.dataframe[0].value
    assert {"mallory", "t-head", "demo:executive"} <= set(table["User"])
    at.number_input(key="audit_customer").set_value(42).run()
    table = at.dataframe[0].value
    assert list(table["Event"]) == ["Customers opened"] and list(table["Customers"]) == ["42"]
    at.number_input(key="audit_customer").set_value(None)
    at.multiselect(key="audit_events").set_value(["sign_in_failed"]).run()
    assert list(at.dataframe[0].value["User"]) == ["mallory"]
    assert {"audit_export_csv", "audit_export_xlsx"} <= {b.key for b in at.get("download_button")}


def test_the_audit_page_is_not_in_the_analysts_navigation(store: str) -> None:
    at = sign_in(new_app(), "analyst")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/audit.py")


# ------------------------------------------------------------------ cache isolation


def test_two_viewers_never_share_a_cached_result(demo_duckdb: Warehouse, viewers) -> None:
    """Fill the cache as the executive, then ask as a branch head with the same arguments."""
    query.use_warehouse(demo_duckdb)
    cache._scoped_call.clear()
    built = viewers(demo_duckdb)
    calls: list[Viewer] = []

    def monthly(viewer: Viewer, filters: Filters) -> pd.DataFrame:
        calls.append(viewer)
        return overview.monthly_totals(viewer, filters)

    monthly.__qualname__ = "monthly_isolation_probe"
    cached = cache.scoped(monthly)
    filters = Filters()
    province = cached(built["executive"], filters)
    again = cached(built["executive"], filters)
    branch = cached(built["branch_head"], filters)
    assert calls == [built["executive"], built["branch_head"]]  # the second call was a hit
    pd.testing.assert_frame_equal(province, again)
    pd.testing.assert_frame_equal(branch, overview.monthly_totals(built["branch_head"], filters))
    assert branch["aum_rmb"].sum() < province["aum_rmb"].sum()
    unmasked = Viewer(**{**built["branch_head"].__dict__, "unmask_until": time.time() + 60})
    cached(unmasked, filters)
    assert calls[-1] == unmasked  # an unmask grant is another key too


# ------------------------------------------------------------------ single sign-on (no real IdP)


class FakeUser:
    """Stands in for ``st.user`` after the identity provider signed someone in."""

    def __init__(self, claims: dict | None) -> None:
        self.claims = claims

    @property
    def is_logged_in(self) -> bool:
        return self.claims is not None

    def to_dict(self) -> dict:
        return {"is_logged_in": self.is_logged_in, **(self.claims or {})}


# 32 random bytes as hex, made once for the tests (secrets.token_hex(32)).
COOKIE_SECRET = "5b1e0f3c9a7d24e8b6c1f09a3d7e5b2c8f4a6d1e9b3c7f0a2e5d8b4c1f7a9e3d"


def configure_sso(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cookie_secret: str):
    """SSO configured in a secrets file; returns a function that sets who the IdP signed in."""
    import streamlit

    from data_access import settings

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\n'
        f'cookie_secret = "{cookie_secret}"\nclient_id = "c"\nclient_secret = "x"\n'
        'server_metadata_url = "https://idp.example/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(settings, "SECRETS_FILE", secrets)
    logouts: list[bool] = []
    monkeypatch.setattr(streamlit, "logout", lambda: logouts.append(True))

    def signed_in(claims: dict | None) -> list[bool]:
        monkeypatch.setattr(streamlit, "user", FakeUser(claims))
        return logouts

    return signed_in


@pytest.fixture
def sso(store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """SSO configured with a random cookie secret (see configure_sso)."""
    return configure_sso(monkeypatch, tmp_path, COOKIE_SECRET)


def test_sso_offers_the_button_when_configured(sso) -> None:
    sso(None)
    at = new_app().run()
    assert not at.exception
    assert "pcrm_login_sso" in {b.key for b in at.button}


def test_sso_signs_in_with_the_role_from_the_table(sso, store: str) -> None:
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor=ADMIN)
    logouts = sso(
        {
            "email": "Wang@Bank.example",
            "role": "analyst",
            "email_verified": True,
            "iat": int(time.time()) - 5,  # just back from the identity provider
        }
    )
    at = new_app().run()
    assert not at.exception
    viewer = at.session_state["pcrm_viewer"]
    assert (viewer.user_id, viewer.role) == ("wang@bank.example", "executive")
    assert at.metric
    assert audited(store, "sign_in")[0]["method"] == "sso"
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    assert logouts == [True]  # the identity cookie goes too, or they would be signed back in


def test_sso_without_an_account_is_refused_once(sso, store: str) -> None:
    sso({"email": "stranger@bank.example", "role": "executive"})
    at = new_app().run()
    assert not at.exception
    assert "no active account" in at.error[0].value
    assert "pcrm_login_sso_logout" in {b.key for b in at.button}
    at.run()
    assert not at.metric
    refused = audited(store, "sign_in_failed")
    assert [(e["user_id"], e["reason"]) for e in refused] == [
        ("stranger@bank.example", "sso_unknown_user")
    ]


def test_sso_a_stale_cookie_past_the_absolute_limit_is_refused(sso, store: str) -> None:
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor=ADMIN)
    issued = int(time.time()) - 11 * 3600
    claims = {"email": "wang@bank.example", "iat": issued}
    # The session this cookie started 11 hours ago, still used by a tab a minute ago.
    auth_store.open_sso_session("wang@bank.example", claims, now=issued + 5)
    auth_store.touch_sso_session("wang@bank.example", issued, now=time.time() - 60)
    logouts = sso(claims)
    at = new_app().run()
    assert not at.exception
    assert "pcrm_viewer" not in at.session_state and not at.metric
    assert "single sign-on session here has ended" in at.warning[0].value
    assert {"pcrm_login_sso_again", "pcrm_login_sso_logout"} <= {b.key for b in at.button}
    at.run()
    assert "pcrm_viewer" not in at.session_state
    refused = audited(store, "sign_in_failed")
    assert [(e["reason"], e["session"]) for e in refused] == [("sso_reauth_required", "absolute")]
    assert not audited(store, "sign_in") and logouts == []


def test_sso_a_recent_auth_time_signs_in(sso, store: str) -> None:
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor=ADMIN)
    sso({"email": "wang@bank.example", "auth_time": int(time.time()) - 30})
    at = new_app().run()
    assert not at.exception and at.metric
    assert audited(store, "sign_in")[0]["session"] == "fresh"


def test_sso_a_new_tab_joins_the_live_session(sso, store: str) -> None:
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor=ADMIN)
    issued = int(time.time()) - 3 * 3600
    claims = {"email": "wang@bank.example", "iat": issued}
    auth_store.open_sso_session("wang@bank.example", claims, now=issued + 5)
    auth_store.touch_sso_session("wang@bank.example", issued, now=time.time() - 120)
    sso(claims)
    at = new_app().run()
    assert not at.exception and at.metric
    assert at.session_state["pcrm_session"]["signed_in_at"] == issued  # the limit counts from it
    assert audited(store, "sign_in")[0]["session"] == "joined"


def test_sso_an_account_change_ends_the_session_for_every_tab(
    sso, store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor=ADMIN)
    claims = {"email": "wang@bank.example", "iat": time.time() - 60}
    logouts = sso(claims)
    at = new_app().run()
    assert at.metric
    auth_store.set_role("wang@bank.example", "analyst", actor=ADMIN)
    later(monkeypatch, auth_store.ACCOUNT_RECHECK_SECONDS + 1)
    at.run()
    assert not at.exception and not at.metric
    assert "your access has changed" in at.error[0].value
    assert {"pcrm_login_sso_again", "pcrm_login_sso_logout"} <= {b.key for b in at.button}
    tab = new_app().run()  # another tab with the same identity cookie
    assert "pcrm_viewer" not in tab.session_state
    assert "single sign-on session here has ended" in tab.warning[0].value
    assert logouts == []  # the cookie stays, but it signs nobody in without a fresh sign-in


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "cookie_secret",
    ["a long random string", "paste the 64 hex characters here", "ab12" * 8, "00" * 32],
)
def test_a_weak_cookie_secret_turns_sso_off_and_the_screen_says_so(
    store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cookie_secret: str, lang: str
) -> None:
    """Whoever knows the cookie secret can forge Streamlit's identity cookie: here a cookie
    that names an executive's SSO account. With a weak secret it signs no one in."""
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor=ADMIN)
    configure_sso(monkeypatch, tmp_path, cookie_secret)(
        {"email": "wang@bank.example", "email_verified": True}
    )
    at = new_app({"lang": lang} if lang == "zh" else None).run()
    assert not at.exception
    assert "pcrm_viewer" not in at.session_state
    assert not at.metric
    assert "pcrm_login_sso" not in {b.key for b in at.button}
    assert not audited(store, "sign_in")
    expected = {"en": "Single sign-on is switched off", "zh": "单点登录已关闭"}[lang]
    assert expected in at.warning[0].value
    assert at.text_input(key="pcrm_login_user")  # accounts with a password still sign in
