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
from streamlit.testing.v1 import AppTest

from data_access import app_store, auth_store, overview, query
from data_access.filters import Filters
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from tests.test_app_shell import new_app, sign_in, texts, use_stores, warehouse_sql
from ui import cache
from ui.strings.auth import EVENT_LABEL

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
    assert {"pcrm_signin_executive", "pcrm_login_submit"} <= {b.key for b in at.button}
    password_sign_in(at, "li.wei", GOOD)
    customers = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_customer_month f JOIN dim_branch b USING (branch_id) "
        "WHERE f.month_start = (SELECT as_of_month FROM meta_warehouse) "
        "AND b.cooperative_id = :c AND NOT f.is_closed",
        c=coop,
    )[0][0]
    assert at.metric[1].value == f"{customers:,}"  # the cooperative's customers, no more
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
    auth_store.add_user(ADMIN.user_id, "Boss", "admin", actor="cli:root")
    auth_store.add_user("zhao", "赵敏", "analyst", actor="cli:root")
    at = admin_app(store)
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
    executive = sign_in(new_app(), "executive")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        executive.switch_page("pages/users.py")  # not in the executive's navigation


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
    head = Viewer("t-head", "branch_head", branch_id=1)
    app_store.audit("customer_view", head, customer_ids=[42])
    app_store.audit("unmask", head, detail={"reason": "verify"})
    app_store.audit("sign_in_failed", "mallory", detail={"reason": "unknown_user"})
    at = sign_in(new_app(), "executive")
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


@pytest.fixture
def sso(store: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """SSO configured in a secrets file; returns a function that sets who the IdP signed in."""
    import streamlit

    from data_access import settings

    secrets = tmp_path / "secrets.toml"
    secrets.write_text(
        '[auth]\nredirect_uri = "http://localhost:8501/oauth2callback"\ncookie_secret = "s"\n'
        'client_id = "c"\nclient_secret = "x"\n'
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


def test_sso_offers_the_button_when_configured(sso) -> None:
    sso(None)
    at = new_app().run()
    assert not at.exception
    assert "pcrm_login_sso" in {b.key for b in at.button}


def test_sso_signs_in_with_the_role_from_the_table(sso, store: str) -> None:
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor=ADMIN)
    logouts = sso({"email": "Wang@Bank.example", "role": "analyst", "email_verified": True})
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
