"""The Segments page in AppTest: numbers equal independent SQL on fact_customer_month.

The page reads through the data layer (scoped, suppressed); the expected values come from raw
SQL on the customer-month fact, formatted with ui.formatting.
"""

from __future__ import annotations

import functools
import json

import pytest

from data_access import app_store
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    as_of_month,
    first_branches,
    open_page,
    param,
    texts,
    warehouse_sql,
)
from ui import formatting as fmt

PAGE = "pages/segments.py"


_open = functools.partial(open_page, PAGE)


def _table(at, column: str):
    """The first table shown that has ``column`` (AppTest does not expose dataframe keys)."""
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_executive_sees_customers_and_assets_of_the_month(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = _open("executive")
    month = as_of_month(demo_duckdb)
    customers, aum, end = warehouse_sql(
        demo_duckdb,
        "SELECT count(*), sum(aum_avg_rmb), sum(aum_rmb) FROM fact_customer_month "
        "WHERE month_start = :m AND NOT is_closed",
        m=month,
    )[0]
    assert _metric(at, "Customers (all) 客户总数") == fmt.count(customers, "en")
    # The daily average, the default basis, says its month and basis.
    on = fmt.basis_month(month, "avg", "en")
    assert _metric(at, f"Financial assets 金融资产 · {on}") == fmt.money(aum, "en")
    assert f"Amounts: {on}" in texts(at)
    at = _open("executive", params={"basis": "end"})
    on = fmt.basis_month(month, "end", "en")
    assert _metric(at, f"Financial assets 金融资产 · {on}") == fmt.money(end, "en")
    at = _open("executive")
    # The breakdown table (by tier) adds up to the same customers.
    table = _table(at, "Customer share (%)")
    assert table["Customers"].sum() == customers
    # Only the open tab runs: the first draws its two charts, and no other tab's content.
    assert len(at.get("plotly_chart")) == 2
    assert "One policy per class" not in texts(at)


@pytest.mark.parametrize(
    ("tab", "title", "charts"),
    [
        ("groups", "One policy per class", 2),
        ("suitability", "Suitability by branch", 1),
        ("spending", "Card spending per customer per month", 1),
    ],
)
def test_each_tab_opens_from_its_link(
    tab: str, title: str, charts: int, demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = _open("executive", params={"seg_tab": tab})
    assert title in texts(at)
    assert len(at.get("plotly_chart")) == charts
    assert param(at, "seg_tab") == [tab]


def test_switching_tabs_runs_the_new_tab_and_keeps_it_in_the_link(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = _open("executive")
    at.session_state["seg_tab"] = "Customer groups 客群"
    at.run()
    assert not at.exception, at.exception
    assert "One policy per class" in texts(at)
    assert param(at, "seg_tab") == ["groups"]


def test_breakdown_by_occupation_matches_sql(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = _open("executive")
    at.selectbox(key="seg_dimension").set_value("occupation").run()
    assert not at.exception, at.exception
    month = as_of_month(demo_duckdb)
    expected = dict(
        warehouse_sql(
            demo_duckdb,
            "SELECT c.occupation, count(*) FROM fact_customer_month f "
            "JOIN dim_customer c USING (customer_id) "
            "WHERE f.month_start = :m AND NOT f.is_closed GROUP BY 1",
            m=month,
        )
    )
    table = _table(at, "Customer share (%)")
    assert table["Customers"].sum() == sum(expected.values())
    assert (
        int(table.loc[table["Segment"] == "Farmer / herder", "Customers"].iloc[0])
        == (expected["farmer"])
    )


def test_segment_filters_from_the_url_combine(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = _open("executive", params={"seg_gender": "F", "seg_occupation": "farmer"})
    month = as_of_month(demo_duckdb)
    (count,) = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_customer_month f JOIN dim_customer c USING (customer_id) "
        "WHERE f.month_start = :m AND NOT f.is_closed AND c.gender = 'F' "
        "AND c.occupation = 'farmer'",
        m=month,
    )[0:1][0]
    assert _metric(at, "Customers (all) 客户总数") == fmt.count(count, "en")
    assert at.multiselect(key="seg_flt_gender").value == ["F"]


def test_branch_head_sees_only_their_branch(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    at = _open("branch_head", branch)
    month = as_of_month(demo_duckdb)
    (count,) = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_customer_month "
        "WHERE month_start = :m AND NOT is_closed AND branch_id = :b",
        m=month,
        b=branch,
    )[0]
    assert _metric(at, "Customers (all) 客户总数") == fmt.count(count, "en")


def test_analyst_page_in_chinese(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = _open("analyst", params={"lang": "zh"})
    assert "资产集中度" in texts(at)
    assert "一类一策" in texts(_open("analyst", params={"lang": "zh", "seg_tab": "groups"}))
    # Names in the suitability list are masked for analysts.
    at = _open("analyst", params={"lang": "zh", "seg_tab": "suitability"})
    names = _table(at, "姓名")["姓名"].dropna()
    assert all("*" in name for name in names)


def test_the_suitability_list_is_audited_with_the_customers_shown(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch = first_branches(demo_duckdb, 1)[0]
    at = _open("branch_head", branch, params={"seg_tab": "suitability"})
    shown = [int(link.split("=")[1]) for link in _table(at, "Customer")["Customer"]]
    assert shown, "the demo has no mismatched holding in this branch"
    listed = app_store.recent_audit(url=app_store_url, event="customer_list")
    assert len(listed) == 1
    assert app_store.parse_customer_ids(listed.iloc[0]["customer_ids"]) == list(
        dict.fromkeys(shown)
    )
    detail = json.loads(listed.iloc[0]["detail"])
    assert detail["page"] == "segments" and detail["table"] == "suitability_holdings"
    assert detail["unmasked"] is False
    assert detail["session_id"] == at.session_state["pcrm_session_id"]
    assert detail["filters"] == {"month": as_of_month(demo_duckdb).isoformat()}
