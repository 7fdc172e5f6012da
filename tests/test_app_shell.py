"""The app shell (app.py) in AppTest: sign-in, navigation, filters in the URL, language, versions.

Runs the real app in-process against the small demo warehouse of ``tests/conftest.py`` and a
scratch app store (SQLite). The helpers at the top are shared with test_overview_page.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path

import duckdb
import pytest
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from catalogue import metrics
from data_access import app_store, auth_store
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse
from ui import formatting as fmt

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "app.py")
TIMEOUT = 60


# ------------------------------------------------------------------ helpers (shared)


def use_stores(monkeypatch: pytest.MonkeyPatch, warehouse_url: str, tmp_path: Path) -> str:
    """Point the app at ``warehouse_url`` and a fresh SQLite app store; return the store URL."""
    app_url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("PCRM_WAREHOUSE_URL", warehouse_url)
    monkeypatch.setenv("PCRM_APP_DB_URL", app_url)
    return app_url


def new_app(params: dict[str, str | list[str]] | None = None) -> AppTest:
    """The app, not yet run, opened on a URL with ``params`` as its query string."""
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for name, value in (params or {}).items():
        at.query_params[name] = value
    return at


def warehouse_sql(warehouse: Warehouse, sql: str, **params: object) -> list[tuple]:
    """Run raw SQL (``:name`` parameters) on the warehouse, independently of the data layer.

    Opened like the app opens it (read-only): DuckDB refuses a second in-process connection to
    the same file with another configuration.
    """
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            return [tuple(row) for row in conn.execute(sa.text(sql), params)]
    finally:
        engine.dispose()


def param(at: AppTest, name: str) -> list[str]:
    """A query parameter of the app's URL after a run, always as a list."""
    value = at.query_params.get(name, [])
    return [value] if isinstance(value, str) else list(value)


def as_of_month(warehouse: Warehouse) -> dt.date:
    return warehouse_sql(warehouse, "SELECT as_of_month FROM meta_warehouse")[0][0]


def first_branches(warehouse: Warehouse, n: int = 2) -> list[int]:
    rows = warehouse_sql(
        warehouse, "SELECT branch_id FROM dim_branch ORDER BY branch_id LIMIT :n", n=n
    )
    return [int(r[0]) for r in rows]


def sign_in(at: AppTest, persona: str, branch_id: int | None = None) -> AppTest:
    """Run the app and sign in as a demo persona (``executive``, ``branch_head``, ``analyst``)."""
    at.run()
    assert not at.exception, at.exception
    if persona == "branch_head":
        at.selectbox(key="pcrm_signin_branch").set_value(branch_id)
    at.button(key=f"pcrm_signin_{persona}").click().run()
    assert not at.exception, at.exception
    return at


def open_page(
    page: str, persona: str, branch_id: int | None = None, params: dict | None = None
) -> AppTest:
    """Open a link to ``page`` (with ``params``) and sign in there, as a shared link is used."""
    at = sign_in(new_app(params).switch_page(page), persona, branch_id)
    assert not at.exception, at.exception
    return at


def count_page_runs(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record every run of a page's body (each page draws its header first): the list grows by
    the title on each full rerun and stays as it is while only a fragment reruns."""
    from ui import components

    runs: list[str] = []
    real = components.page_header

    def counted(title: str, caption: str | None = None) -> None:
        runs.append(title)
        real(title, caption)

    monkeypatch.setattr(components, "page_header", counted)
    return runs


def format_in(lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Let AppTest format widget values in ``lang``, as the page it drives is drawn.

    Before each run after the first, AppTest turns every selectbox's value into its label by
    calling the widget's ``format_func`` in the test's thread, outside any script run, where
    :func:`ui.i18n.current_lang` has no session and answers the default language. A
    ``format_func`` that translates when called (``t(...)``) then gives the English label, which
    is not among a Chinese page's options (``ValueError: 'Last 12 months' is not in list``, the
    sidebar's window filter, whose state is the number of months). The browser sends the label
    it was given, formatted inside the run, so only AppTest needs this.
    """
    from ui import i18n

    monkeypatch.setattr(i18n, "DEFAULT_LANG", lang)


# The opening line of the monthly business review (ui.review_line) leads the overview, trends,
# My branch and targets pages with this many metrics: balance, since 1 January, plan
# attainment, time elapsed, since the quarter start.
REVIEW_CELLS = 5
# One opening line for each balance the review opens with (savings deposits, then AUM).
OPENING_CELLS = REVIEW_CELLS * len(metrics.REVIEW_MEASURES)


def review_start(measure: str = "aum") -> int:
    """The index of the first metric of balance ``measure``'s opening line."""
    return metrics.REVIEW_MEASURES.index(measure) * REVIEW_CELLS


def review_values(at: AppTest, measure: str = "aum") -> list[str]:
    """The figures of balance ``measure``'s opening line, in order."""
    start = review_start(measure)
    return [metric.value for metric in at.metric][start : start + REVIEW_CELLS]


def texts(at: AppTest) -> str:
    """Everything the run showed as text (titles, markdown, captions, alerts, metrics)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "warning", "error"):
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    parts += [str(w.label) for w in at.sidebar.selectbox] + [str(w.label) for w in at.multiselect]
    return "\n".join(parts)


# ------------------------------------------------------------------ fixtures


# ------------------------------------------------------------------ sign-in


def test_sign_in_screen_offers_the_demo_personas(app_store_url: str) -> None:
    at = new_app().run()
    assert not at.exception
    assert at.title[0].value == "Sign in 登录"
    assert "DEMO" in texts(at)
    keys = {button.key for button in at.button}
    assert {"pcrm_signin_executive", "pcrm_signin_branch_head", "pcrm_signin_analyst"} <= keys
    assert len(at.selectbox(key="pcrm_signin_branch").options) > 1
    assert not at.metric  # nothing from the warehouse before sign-in


@pytest.mark.parametrize("persona", ["executive", "branch_head", "analyst"])
def test_each_persona_signs_in_and_is_audited(
    persona: str, demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_id = first_branches(demo_duckdb)[1]
    at = sign_in(new_app(), persona, branch_id)
    if persona == "branch_head":  # a branch head lands on their own branch (ui.navigation)
        assert at.title[0].value == "My branch 我的网点"
    else:
        assert at.title[0].value == "Overview 经营总览"
        # The opening lines (deposits, then AUM), the deposits row (5), the AUM row (4).
        assert len(at.metric) == OPENING_CELLS + 9
    assert at.session_state["pcrm_viewer"].role == persona
    if persona == "branch_head":
        viewer = at.session_state["pcrm_viewer"]
        assert viewer.branch_id == branch_id
        assert viewer.cooperative_id is not None and viewer.prefecture_id is not None
    audit = app_store.recent_audit(url=app_store_url, event="sign_in")
    assert len(audit) == 1
    assert audit.iloc[0]["role"] == persona
    assert audit.iloc[0]["user_id"].startswith("demo:")


def test_sign_out_is_audited_and_returns_to_sign_in(app_store_url: str) -> None:
    at = sign_in(new_app(), "executive")
    sign_out = next(b for b in at.sidebar.button if b.label == "Sign out")
    sign_out.click().run()
    assert not at.exception
    assert at.title[0].value == "Sign in 登录"
    assert "pcrm_viewer" not in at.session_state
    events = app_store.recent_audit(url=app_store_url)["event"].tolist()
    assert events == ["sign_out", "sign_in"]


def test_a_sign_in_that_cannot_be_audited_is_refused(
    app_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args, **kwargs):
        raise app_store.AuditWriteError("the disk is full")

    at = new_app().run()
    monkeypatch.setattr(app_store, "audit", refuse)
    at.button(key="pcrm_signin_analyst").click().run()
    assert not at.exception
    assert at.title[0].value == "Sign in 登录"
    assert "pcrm_viewer" not in at.session_state
    assert "audit log" in at.error[0].value


PERSONA_BUTTONS = {"pcrm_signin_executive", "pcrm_signin_branch_head", "pcrm_signin_analyst"}
# What the sign-in screen says when the personas are withheld, by reason and language.
WITHHELD = {
    ("store_in_use", "en"): "Demo personas are not offered: the app store already holds staff",
    ("store_in_use", "zh"): "不提供演示身份登录：应用数据库中已有员工账号",
    ("off", "en"): "Demo personas are switched off on this server (PCRM_DEMO_PERSONAS=off)",
    ("off", "zh"): "本服务器已关闭演示身份登录",
    ("store_unreadable", "en"): "Demo personas are not offered: the app store cannot be read",
    ("store_unreadable", "zh"): "不提供演示身份登录：无法读取应用数据库",
}


def assert_personas_withheld(at: AppTest, reason: str, lang: str) -> None:
    assert not at.exception, at.exception
    assert not PERSONA_BUTTONS & {b.key for b in at.button}
    assert not at.selectbox  # no branch picker either
    assert at.text_input(key="pcrm_login_user")  # the account form stays
    assert WITHHELD[reason, lang] in texts(at)
    assert "DEMO 演示" not in texts(at) and "演示环境" not in texts(at)  # no demo badge


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("used_by", ["account", "audit_event"])
def test_personas_are_withheld_once_anyone_else_uses_the_app_store(
    app_store_url: str, used_by: str, lang: str
) -> None:
    """A demo warehouse swapped in beside a real app store must not open it without a password."""
    if used_by == "account":
        auth_store.add_user("wang@bank.example", "王芳", "executive", actor="cli:root")
    else:
        head = Viewer("li.wei", "branch_head", branch_id=1)
        app_store.audit("contact_record", head, customer_ids=[42])
    at = new_app({"lang": lang} if lang == "zh" else None).run()
    assert_personas_withheld(at, "store_in_use", lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_personas_can_be_switched_off(
    app_store_url: str, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("PCRM_DEMO_PERSONAS", "off")
    at = new_app({"lang": lang} if lang == "zh" else None).run()
    assert_personas_withheld(at, "off", lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_personas_are_withheld_when_the_app_store_cannot_be_read(
    demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, lang: str
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the app store's folder should be")
    use_stores(monkeypatch, demo_duckdb.url, tmp_path)
    monkeypatch.setenv("PCRM_APP_DB_URL", f"sqlite:///{blocker / 'app.sqlite'}")
    try:
        at = new_app({"lang": lang} if lang == "zh" else None).run()
        assert_personas_withheld(at, "store_unreadable", lang)
    finally:
        app_store.dispose_engines()


def test_a_persona_sign_in_is_refused_on_the_server_when_not_allowed(app_store_url: str) -> None:
    """The screen offered the personas; before the click a real account appeared. The click is
    refused by the server (not merely hidden), audited, and the personas disappear."""
    at = new_app().run()
    assert {b.key for b in at.button} >= PERSONA_BUTTONS
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor="cli:root")
    at.button(key="pcrm_signin_executive").click().run()
    assert not at.exception
    assert "pcrm_viewer" not in at.session_state
    assert at.title[0].value == "Sign in 登录"
    assert WITHHELD["store_in_use", "en"] in at.error[0].value
    assert_personas_withheld(at, "store_in_use", "en")
    audit = app_store.recent_audit(url=app_store_url)
    assert "sign_in" not in set(audit["event"])
    refused = audit[audit["event"] == "sign_in_failed"].iloc[0]
    assert refused["user_id"] == "demo:executive"
    assert json.loads(refused["detail"]) == {
        "reason": "demo_personas_withheld",
        "why": "store_in_use",
    }


def test_an_open_persona_session_ends_once_the_store_is_in_real_use(
    app_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A persona signed in before the first real account was added does not keep reading: at
    its next account re-check (within a minute) the session ends and says why."""
    import time

    from ui import auth

    at = sign_in(new_app(), "executive")
    auth_store.add_user("wang@bank.example", "王芳", "executive", actor="cli:root")
    at.run()
    assert "pcrm_viewer" in at.session_state  # not yet re-checked
    monkeypatch.setattr(auth, "_clock", lambda: time.time() + auth_store.ACCOUNT_RECHECK_SECONDS)
    at.run()
    assert not at.exception
    assert "pcrm_viewer" not in at.session_state
    assert WITHHELD["store_in_use", "en"] in at.error[0].value
    audit = app_store.recent_audit(url=app_store_url)
    ended = audit[audit["event"] == "session_expired"].iloc[0]
    assert ended["user_id"] == "demo:executive"
    assert json.loads(ended["detail"]) == {"reason": "personas_withheld", "why": "store_in_use"}


def test_the_demo_personas_own_records_keep_them_offered(app_store_url: str) -> None:
    """Signing in and out as personas, and a stranger's failed sign-in, are no reason to withhold
    them (the newcomer's ``make run`` path keeps working after the first visit)."""
    at = sign_in(new_app(), "executive")
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    app_store.audit("sign_in_failed", "mallory", detail={"reason": "unknown_user"})
    at = new_app().run()
    assert not at.exception
    assert {b.key for b in at.button} >= PERSONA_BUTTONS


def test_a_warehouse_that_is_not_the_demo_offers_no_personas(
    demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = tmp_path / "real.duckdb"
    shutil.copyfile(demo_duckdb.path, copy)
    with duckdb.connect(str(copy)) as conn:
        conn.execute("UPDATE meta_warehouse SET is_demo = false")
    use_stores(monkeypatch, f"duckdb:///{copy}", tmp_path)
    at = new_app().run()
    assert not at.exception
    assert {b.key for b in at.button} == {"pcrm_login_submit"}  # the account form only
    assert not at.selectbox
    assert at.text_input(key="pcrm_login_user") and at.text_input(key="pcrm_login_password")
    assert "DEMO" not in texts(at)


def test_no_warehouse_says_how_to_build_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    use_stores(monkeypatch, f"duckdb:///{tmp_path / 'none.duckdb'}", tmp_path)
    at = new_app().run()
    assert not at.exception
    message = at.error[0].value
    assert "make run" in message and "python -m cli demo" in message
    assert not at.button


# ------------------------------------------------------------------ filters and the URL


def test_filters_in_the_url_are_restored(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branches = first_branches(demo_duckdb, 2)
    params = {
        "month": "2026-06",
        "window": "24",
        "branch": [str(b) for b in branches],
        "tier": ["vip", "private"],
    }
    at = sign_in(new_app(params), "executive")
    sidebar = at.sidebar
    month = next(s for s in sidebar.selectbox if s.key.startswith("pcrm_flt_month"))
    assert month.value == dt.date(2026, 6, 1)
    branch = next(m for m in sidebar.multiselect if m.key.startswith("pcrm_flt_branch"))
    assert sorted(branch.value) == branches
    tier = next(m for m in sidebar.multiselect if m.key.startswith("pcrm_flt_tier"))
    assert tier.value == ["vip", "private"]
    filters = at.session_state["pcrm_filters"]
    assert filters.month == dt.date(2026, 6, 1)
    assert filters.months_back == 24
    assert filters.branch_ids == tuple(branches)
    assert filters.tiers == ("vip", "private")
    # The URL still holds the view after sign-in and the rerun.
    assert param(at, "month") == ["2026-06"]
    assert sorted(param(at, "branch")) == sorted(str(b) for b in branches)


def test_changing_a_filter_writes_the_url(app_store_url: str) -> None:
    at = sign_in(new_app(), "executive")
    tier = next(m for m in at.sidebar.multiselect if m.key.startswith("pcrm_flt_tier"))
    tier.set_value(["affluent"]).run()
    assert not at.exception
    assert param(at, "tier") == ["affluent"]
    assert at.session_state["pcrm_filters"].tiers == ("affluent",)
    assert "month" not in at.query_params  # the latest month is the default, kept out of links


def test_junk_and_out_of_scope_values_in_the_url_are_dropped(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    own, other = first_branches(demo_duckdb, 2)
    params = {"branch": [str(other), "x"], "tier": ["nope"], "month": "1999-01", "window": "7"}
    at = sign_in(new_app(params), "branch_head", own)
    filters = at.session_state["pcrm_filters"]
    assert filters.branch_ids == ()
    assert filters.tiers == ()
    assert filters.month == as_of_month(demo_duckdb)
    assert filters.months_back == 12


def test_the_cascade_limits_cooperatives_to_the_chosen_prefecture(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    prefecture = warehouse_sql(demo_duckdb, "SELECT min(prefecture_id) FROM dim_branch")[0][0]
    names = warehouse_sql(
        demo_duckdb,
        "SELECT name_en FROM dim_cooperative WHERE prefecture_id = :p ORDER BY cooperative_id",
        p=prefecture,
    )
    at = sign_in(new_app({"prefecture": str(prefecture)}), "executive")
    cooperative = next(
        m for m in at.sidebar.multiselect if m.key.startswith("pcrm_flt_cooperative")
    )
    assert list(cooperative.options) == [name for (name,) in names]


# ------------------------------------------------------------------ language


def test_chinese_from_the_url(app_store_url: str) -> None:
    at = new_app({"lang": "zh"}).run()
    assert at.title[0].value == "登录"
    at.button(key="pcrm_signin_executive").click().run()
    assert not at.exception
    assert at.title[0].value == "经营总览"
    labels = [m.label for m in at.metric]
    month = fmt.basis_month(at.session_state["pcrm_filters"].month, "avg", "zh")
    opening = [f"余额（{month}）", "较年初", "年计划完成率", "时间进度", "较季初"]
    assert labels[:REVIEW_CELLS] == opening == labels[REVIEW_CELLS:OPENING_CELLS]
    assert labels[OPENING_CELLS] == "储蓄存款（月末）"
    assert labels[-4:] == [f"金融资产（AUM） · {month}", "客户总数", "有效客户数", "贵宾客户"]
    assert at.metric[len(labels) - 4].value.endswith("元") and (
        "亿" in at.metric[len(labels) - 4].value or "万" in at.metric[len(labels) - 4].value
    )
    assert "Sign out" not in texts(at)
    assert any(b.label == "退出登录" for b in at.sidebar.button)


def test_the_language_switch_changes_labels_and_the_url(app_store_url: str) -> None:
    at = sign_in(new_app(), "executive")
    assert at.title[0].value == "Overview 经营总览"
    switch = at.get("segmented_control")
    lang = next(s for s in switch if s.key == "pcrm_lang_switch")
    lang.set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "经营总览"
    assert param(at, "lang") == ["zh"]
    tier = next(m for m in at.sidebar.multiselect if m.key.startswith("pcrm_flt_tier"))
    assert tier.label == "客户分层"
    assert "贵宾客户" in tier.options


# ------------------------------------------------------------------ warehouse versions


def test_a_new_warehouse_version_clears_the_caches(
    demo_duckdb: Warehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(demo_duckdb.path, copy)
    use_stores(monkeypatch, f"duckdb:///{copy}", tmp_path)
    at = sign_in(new_app(), "executive")
    before = at.session_state["pcrm_warehouse_version"]
    # What a swap looks like to readers: the file is replaced (new inode or new mtime).
    replacement = tmp_path / "replacement.duckdb"
    shutil.copyfile(copy, replacement)
    os.replace(replacement, copy)
    at.run()
    assert not at.exception
    assert at.session_state["pcrm_warehouse_version"] != before
    assert at.title[0].value == "Overview 经营总览"


# ------------------------------------------------------------------ roles and scope


def test_the_administrator_lands_on_users_and_sees_no_warehouse_data(app_store_url: str) -> None:
    at = new_app()
    at.session_state["pcrm_viewer"] = Viewer("t-admin", "admin", "Administrator")
    at.run()
    assert not at.exception
    assert at.title[0].value == "Users 用户管理"
    assert not at.metric and not at.get("plotly_chart")
    assert any(b.label == "Sign out" for b in at.button)


def test_cached_results_never_cross_viewers(demo_duckdb: Warehouse, app_store_url: str) -> None:
    """Same session, same filters: the executive's cached numbers never reach the branch head."""
    own = first_branches(demo_duckdb, 2)[1]
    at = sign_in(new_app(), "executive")
    province = [m.value for m in at.metric]
    next(b for b in at.sidebar.button if b.label == "Sign out").click().run()
    at.selectbox(key="pcrm_signin_branch").set_value(own)
    at.button(key="pcrm_signin_branch_head").click().run()
    assert not at.exception
    branch = {m.label: m.value for m in at.metric}
    customers = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_customer_month "
        "WHERE month_start = :m AND branch_id = :b AND NOT is_closed",
        m=as_of_month(demo_duckdb),
        b=own,
    )[0][0]
    assert branch["Customers (all) 客户总数"] == f"{customers:,}"
    assert list(branch.values()) != province


def test_a_branch_head_sees_their_branch_named(demo_duckdb: Warehouse, app_store_url: str) -> None:
    own = first_branches(demo_duckdb, 2)[1]
    name = warehouse_sql(demo_duckdb, "SELECT name_en FROM dim_branch WHERE branch_id = :b", b=own)
    at = sign_in(new_app(), "branch_head", own)
    assert name[0][0] in at.caption[0].value
    assert any(name[0][0] in m.value for m in at.sidebar.markdown)
