"""The Cross-selling and VIP services pages in AppTest, per persona, against independent SQL."""

from __future__ import annotations

import pytest

from analytics import rules
from data_access import app_store, cross_sell
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    as_of_month,
    first_branches,
    open_page,
    texts,
    warehouse_sql,
)
from ui import formatting as fmt

CROSS_SELL = "pages/cross_sell.py"
VIP = "pages/vip.py"


_open = open_page


def _metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def _table(at, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_coverage_numbers_equal_independent_sql(demo_duckdb: Warehouse, app_store_url: str) -> None:
    month = as_of_month(demo_duckdb)
    at = _open(CROSS_SELL, "executive")
    customers, average, three_plus = warehouse_sql(
        demo_duckdb,
        """
        SELECT count(*), avg(count_core_products),
               100.0 * count(*) FILTER (WHERE count_core_products >= 3) / count(*)
        FROM fact_customer_month WHERE month_start = :m AND NOT is_closed
        """,
        m=month,
    )[0]
    assert _metric(at, "Customers (all) 客户总数") == fmt.count(customers, "en")
    assert _metric(at, "Core products per customer 户均核心产品") == f"{average:.2f}"
    assert _metric(at, "Holding 3+ core 持有3项以上") == fmt.pct(three_plus, "en")
    table = _table(at, "count_0")
    assert int(table["count_customers"].sum()) == customers
    per_branch = dict(
        warehouse_sql(
            demo_duckdb,
            """
            SELECT b.name_en, count(*) FROM fact_customer_month f
            JOIN dim_branch b USING (branch_id)
            WHERE f.month_start = :m AND NOT f.is_closed GROUP BY b.name_en
            """,
            m=month,
        )
    )
    assert dict(zip(table["group"], table["count_customers"], strict=True)) == per_branch
    assert all(m.proto.help for m in at.metric)


def test_the_stickiness_curve_equals_independent_sql(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    month = as_of_month(demo_duckdb)
    at = _open(CROSS_SELL, "analyst", params={"window": "6"})
    rows = warehouse_sql(
        demo_duckdb,
        """
        SELECT a.count_core_products, count(*), sum(CASE WHEN b.is_closed THEN 1 ELSE 0 END)
        FROM fact_customer_month a JOIN fact_customer_month b
          ON b.customer_id = a.customer_id AND b.month_start = a.month_start + INTERVAL 1 MONTH
        WHERE NOT a.is_closed AND b.month_start > :m - INTERVAL 6 MONTH AND b.month_start <= :m
        GROUP BY 1 ORDER BY 1
        """,
        m=month,
    )
    curve = _table(at, "count_base")
    shown = {
        int(k): (int(b), int(c))
        for k, b, c in zip(
            curve["count_core_products"], curve["count_base"], curve["count_churned"], strict=True
        )
        if b
    }
    assert shown == {int(k): (int(b), int(c)) for k, b, c in rows}


def test_model_quality_is_shown_to_analysts_and_campaigns_are_audited(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = _open(CROSS_SELL, "analyst", params={"xsell_tab": "next_best"})
    quality = _table(at, "auc")
    trained = quality[quality["auc"].notna()]
    assert len(trained) >= 3
    assert trained["auc"].between(0.5, 1.0).all()
    # The page reads what refresh fitted: the AUCs of mart_propensity_model, nothing refitted.
    stored = warehouse_sql(
        demo_duckdb, "SELECT auc FROM mart_propensity_model WHERE auc IS NOT NULL ORDER BY auc"
    )
    assert sorted(trained["auc"]) == pytest.approx([float(r[0]) for r in stored])
    campaign = _table(at, "probability_pct")
    assert 0 < len(campaign) <= 100
    assert campaign["probability_pct"].is_monotonic_decreasing
    assert all("*" in name for name in campaign["full_name"])
    listed = app_store.recent_audit(url=app_store_url, event="customer_list")
    ids = app_store.parse_customer_ids(listed.iloc[0]["customer_ids"])
    assert ids == campaign["customer_id"].tolist()
    # The campaign is the mart's top N of the line at the month (raw SQL).
    target = at.selectbox(key="xsell_target").value
    top = warehouse_sql(
        demo_duckdb,
        """
        SELECT customer_id, probability FROM mart_next_best
        WHERE month_start = :m AND target = :t ORDER BY probability DESC, customer_id LIMIT :n
        """,
        m=as_of_month(demo_duckdb),
        t=target,
        n=len(ids),
    )
    assert ids == [int(r[0]) for r in top]
    assert campaign["probability_pct"].tolist() == pytest.approx([float(r[1]) * 100 for r in top])
    # The campaign excludes holders of the product line.
    holders = {
        r[0]
        for r in warehouse_sql(
            demo_duckdb,
            """
            SELECT h.customer_id FROM fact_product_holding h JOIN dim_product p USING (product_id)
            WHERE p.category = :c AND h.closed_on IS NULL
            """,
            c=target,
        )
    }
    assert not holders & set(ids)


def test_a_branch_head_sees_no_model_quality_and_only_their_branch(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    at = _open(CROSS_SELL, "branch_head", branch_a)
    assert not [df for df in at.dataframe if "auc" in df.value.columns]
    month = as_of_month(demo_duckdb)
    (customers,) = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_customer_month WHERE month_start = :m AND NOT is_closed "
        "AND branch_id = :b",
        m=month,
        b=branch_a,
    )[0]
    assert _metric(at, "Customers (all) 客户总数") == fmt.count(customers, "en")
    campaign = [df.value for df in at.dataframe if "probability_pct" in df.value.columns]
    if campaign:
        branches = set(campaign[0]["branch_id"].astype(int))
        assert branches <= {branch_a}


def test_partner_employers_equal_independent_sql(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = _open(CROSS_SELL, "executive", params={"xsell_tab": "employers"})
    table = _table(at, "count_employees")
    month_end = cross_sell.months_before(as_of_month(demo_duckdb), -1)
    employees, staff = warehouse_sql(
        demo_duckdb,
        """
        SELECT (SELECT sum(count_employees) FROM dim_partner_employer),
               (SELECT count(*) FROM dim_customer WHERE employer_id IS NOT NULL
                AND (closed_on IS NULL OR closed_on >= :end))
        """,
        end=month_end,
    )[0]
    assert int(table["count_employees"].sum()) == employees
    assert int(table["count_staff_customers"].sum()) == staff
    assert (table["count_payroll"] <= table["count_staff_customers"]).all()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_vip_page_counts_eligible_customers(
    lang: str, demo_duckdb: Warehouse, app_store_url: str
) -> None:
    month = as_of_month(demo_duckdb)
    at = _open(VIP, "executive", params={"lang": lang})
    (eligible,) = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_customer_month WHERE month_start = :m AND NOT is_closed "
        "AND aum_rmb >= :vip",
        m=month,
        vip=rules.VIP_THRESHOLD_RMB,
    )[0]
    label = "Eligible customers 符合条件" if lang == "en" else "符合条件客户"
    assert _metric(at, label) == fmt.count(eligible, lang)
    listed = _table(at, "last_used_on")
    assert len(listed) == min(eligible, 200)
    assert all(m.proto.help for m in at.metric)
    assert app_store.recent_audit(url=app_store_url, event="customer_list").shape[0] == 1


def test_vip_page_for_a_branch_head(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch_a = first_branches(demo_duckdb, 1)[0]
    at = _open(VIP, "branch_head", branch_a)
    shown = texts(at)
    assert "VIP" in shown
    for df in at.dataframe:
        if "branch_id" in df.value.columns:
            assert set(df.value["branch_id"].astype(int)) <= {branch_a}
