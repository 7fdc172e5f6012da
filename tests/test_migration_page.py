"""The Tier migration page in AppTest: the KPIs and the movers list against independent SQL."""

from __future__ import annotations

import datetime as dt
import functools
import json

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
    assert app_store.parse_customer_ids(listed.iloc[0]["customer_ids"]) == shown
    detail = json.loads(listed.iloc[0]["detail"])
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
