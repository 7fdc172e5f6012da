"""The Tier migration page in AppTest: the KPIs and the movers list against independent SQL."""

from __future__ import annotations

import datetime as dt
import functools
import json

import pandas as pd
import pytest

from data_access import app_store
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    as_of_month,
    first_branches,
    open_page,
    texts,
    warehouse_sql,
)
from ui import formatting as fmt
from ui import i18n

PAGE = "pages/migration.py"

MOVES_SQL = """
    SELECT count(*) FILTER (WHERE b.customer_id IS NULL OR b.is_closed),
           count(*)
    FROM fact_customer_month a
    LEFT JOIN fact_customer_month b
      ON b.customer_id = a.customer_id AND b.month_start = :to_month
    WHERE a.month_start = :from_month AND NOT a.is_closed {extra}
"""


_open = functools.partial(open_page, PAGE)


def _table(at, column: str):
    """The first table shown that has ``column`` (AppTest does not expose dataframe keys)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _year_before(month: dt.date) -> dt.date:
    return month.replace(year=month.year - 1)


def test_executive_kpis_match_sql(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = _open("executive")
    to_month = as_of_month(demo_duckdb)
    from_month = _year_before(to_month)
    left, base = warehouse_sql(
        demo_duckdb, MOVES_SQL.format(extra=""), from_month=from_month, to_month=to_month
    )[0]
    assert _metric(at, "Customers at start") == fmt.count(base, "en")
    assert _metric(at, "Left 流失率") == fmt.pct(left / base * 100, "en", digits=2)
    assert at.query_params["from"] == [from_month.strftime("%Y-%m")] or at.query_params[
        "from"
    ] == from_month.strftime("%Y-%m")
    assert "Tier migration matrix" in texts(at)


def test_months_from_the_url_and_movers_list(demo_duckdb: Warehouse, app_store_url: str) -> None:
    to_month = as_of_month(demo_duckdb)
    from_month = dt.date(to_month.year, to_month.month - 1, 1)
    at = _open("executive", params={"from": from_month.strftime("%Y-%m")})
    left, base = warehouse_sql(
        demo_duckdb, MOVES_SQL.format(extra=""), from_month=from_month, to_month=to_month
    )[0]
    assert _metric(at, "Customers at start") == fmt.count(base, "en")
    at.selectbox(key="mig_direction").set_value("left").run()
    assert not at.exception, at.exception
    listing = _table(at, "Change in assets (RMB)")
    assert len(listing) == min(left, 50)
    assert all(link.startswith("customer?customer=") for link in listing["Customer"])
    assert set(listing["To tier"]) <= {"Left 流失"}


def test_branch_head_sees_only_their_branch(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    at = _open("branch_head", branch)
    to_month = as_of_month(demo_duckdb)
    _, base = warehouse_sql(
        demo_duckdb,
        MOVES_SQL.format(extra="AND a.branch_id = :b"),
        from_month=_year_before(to_month),
        to_month=to_month,
        b=branch,
    )[0]
    assert _metric(at, "Customers at start") == fmt.count(base, "en")
    names = _table(at, "Name")["Name"].dropna()
    assert len(names) > 0


def test_analyst_in_chinese_sees_masked_names(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = _open("analyst", params={"lang": "zh"})
    assert "客户层级迁移矩阵" in texts(at)
    names = _table(at, "姓名")["姓名"].dropna()
    assert len(names) and all("*" in n for n in names)


def test_the_movers_list_is_audited_with_the_customers_shown(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    to_month = as_of_month(demo_duckdb)
    from_month = dt.date(to_month.year, to_month.month - 1, 1)
    at = _open("executive", params={"from": from_month.strftime("%Y-%m")})
    at.selectbox(key="mig_direction").set_value("left").run()
    assert not at.exception, at.exception
    shown = [int(link.split("=")[1]) for link in _table(at, "Change in assets (RMB)")["Customer"]]
    listed = app_store.recent_audit(url=app_store_url, event="customer_list")
    movers = listed[["direction" in json.loads(d)["filters"] for d in listed["detail"]]]
    assert app_store.parse_customer_ids(movers.iloc[0]["customer_ids"]) == shown
    detail = json.loads(movers.iloc[0]["detail"])
    assert detail["page"] == "migration" and detail["unmasked"] is False
    assert detail["filters"] == {
        "month": to_month.isoformat(),
        "from_month": from_month.isoformat(),
        "to_month": to_month.isoformat(),
        "direction": "left",
    }
    # The session id made at sign-in ties the list to the sign-in.
    session_id = at.session_state["pcrm_session_id"]
    signed_in = app_store.recent_audit(url=app_store_url, event="sign_in")
    assert (
        detail["session_id"] == session_id == json.loads(signed_in.iloc[0]["detail"])["session_id"]
    )
    # A rerun of the same list is the same view.
    at.run()
    assert len(app_store.recent_audit(url=app_store_url, event="customer_list")) == len(listed)


GRACE_SQL = """
    SELECT count(*), count(*) FILTER (WHERE months_below_floor >= 3)
    FROM fact_customer_month
    WHERE month_start = :m AND NOT is_closed AND months_below_floor > 0 {extra}
"""


@pytest.mark.parametrize(
    ("lang", "title"), [("en", "In the grace period (保级期)"), ("zh", "保级期客户")]
)
def test_the_grace_period_list_matches_sql_and_is_audited(
    demo_duckdb: Warehouse, app_store_url: str, lang: str, title: str
) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    at = _open("branch_head", branch, params={"lang": lang})
    assert not at.exception, at.exception
    month = as_of_month(demo_duckdb)
    count, watch = warehouse_sql(
        demo_duckdb, GRACE_SQL.format(extra="AND branch_id = :b"), m=month, b=branch
    )[0]
    assert count > 0
    assert title in texts(at)
    summary = i18n.translate(
        "mig.grace_summary",
        lang,
        count=fmt.count(count, lang),
        watch=fmt.count(watch, lang),
        needed="",
    ).split("；" if lang == "zh" else ";")[0]
    assert any(summary in c.value for c in at.caption)
    listing = _table(at, "needed")
    assert len(listing) == min(count, 50)
    # The labels say which basis the tier (and "Needed") is judged on: the avg3 default.
    basis_name = {"en": "3-month daily average", "zh": "近三个月日均"}[lang]
    grace_table = next(df for df in at.dataframe if "needed" in df.value.columns)
    config = json.loads(grace_table.proto.columns)
    assert config["basis"]["label"] == i18n.translate("mig.col_basis", lang, basis=basis_name)
    needed_help = i18n.translate("mig.col_needed_help", lang, basis=basis_name)
    assert config["needed"]["help"] == needed_help
    help_text = next(h.proto.help for h in at.subheader if h.value == title)
    assert basis_name in help_text
    shown = [int(link.split("=")[1].split("&")[0]) for link in listing["customer"]]
    assert (listing["needed"].astype(str) != "None").all()
    listed = app_store.recent_audit(url=app_store_url, event="customer_list")
    grace = listed[[json.loads(d)["filters"].get("list") == "grace" for d in listed["detail"]]]
    assert app_store.parse_customer_ids(grace.iloc[0]["customer_ids"]) == shown


@pytest.mark.parametrize(("lang", "name"), [("en", "month-end balance"), ("zh", "月末余额")])
def test_the_grace_period_list_on_the_month_end_basis_says_so(
    demo_duckdb: Warehouse, app_store_url: str, monkeypatch, lang: str, name: str
) -> None:
    monkeypatch.setenv("PCRM_TIER_BASIS", "end")
    branch = first_branches(demo_duckdb, 1)[0]
    at = _open("branch_head", branch, params={"lang": lang})
    assert not at.exception, at.exception
    grace_table = next(df for df in at.dataframe if "needed" in df.value.columns)
    config = json.loads(grace_table.proto.columns)
    assert config["basis"]["label"] == i18n.translate("mig.col_basis", lang, basis=name)
    assert "aum" not in config  # the month-end column is the basis column itself
    listing = grace_table.value
    assert (listing["needed"] - (listing["floor"] - listing["basis"])).abs().max() < 0.01


@pytest.mark.parametrize("name", ["demo_duckdb", "demo_pg"])
def test_grace_readers_agree_with_the_mart_and_the_rule(
    request: pytest.FixtureRequest, name: str, viewers
) -> None:
    from analytics import rules, tiers
    from data_access import query, tier_moves
    from data_access.filters import Filters

    warehouse: Warehouse = request.getfixturevalue(name)
    query.use_warehouse(warehouse)
    viewer = viewers(warehouse)["executive"]
    month = as_of_month(warehouse)
    summary = tier_moves.grace_summary(viewer, Filters(month=month))
    mart_watch = warehouse_sql(
        warehouse,
        "SELECT sum(count_watch) FROM mart_branch_month_tier WHERE month_start = :m",
        m=month,
    )[0][0]
    assert int(summary["count_watch"].sum()) == int(mart_watch)
    rows = tier_moves.grace_customers(viewer, Filters(month=month), limit=1_000)
    assert len(rows) == min(int(summary["count_grace"].sum()), 1_000) > 0
    floors = rows["tier_code"].map(rules.TIER_FLOORS_RMB)
    assert (rows["floor_rmb"] == floors).all()
    # "Needed" is the floor minus the balance the tier is judged on: on the default avg3 basis
    # the day-weighted mean of the last three months' daily averages, as analytics.tiers has it.
    history = pd.DataFrame(
        warehouse_sql(
            warehouse,
            "SELECT customer_id, month_start, aum_rmb, aum_avg_rmb FROM fact_customer_month "
            "WHERE month_start <= :m ORDER BY customer_id, month_start",
            m=month,
        ),
        columns=["customer_id", "month_start", "aum_rmb", "aum_avg_rmb"],
    ).astype({"aum_rmb": float, "aum_avg_rmb": float})
    history["measure"] = tiers.tier_measure(history, "avg3")
    now = history[pd.to_datetime(history["month_start"]) == pd.Timestamp(month)]
    measure = rows["customer_id"].map(now.set_index("customer_id")["measure"])
    assert (rows["basis_rmb"] - measure).abs().max() < 0.01
    assert (rows["needed_rmb"] - (floors - measure)).abs().max() < 0.01
    assert (rows["needed_rmb"] > 0).all()
    assert (rows["basis_rmb"] != rows["aum_rmb"]).any()
    total = float(summary["needed_rmb"].sum())
    assert abs(total - float(rows["needed_rmb"].sum())) < 0.01 * max(len(rows), 1)
    # On the month-end basis the same readers measure the month-end balance.
    month_end = tier_moves.grace_customers(viewer, Filters(month=month), limit=1_000, basis="end")
    assert (month_end["basis_rmb"] - month_end["aum_rmb"]).abs().max() < 0.01
    needed = month_end["floor_rmb"] - month_end["aum_rmb"]
    assert (month_end["needed_rmb"] - needed).abs().max() < 0.01
    assert (rows["months_left"] == rules.DOWNGRADE_AFTER_MONTHS - rows["months_below_floor"]).all()
    assert rows["months_below_floor"].is_monotonic_decreasing
