"""The Overview page in AppTest: the numbers equal independent SQL on the warehouse, per persona.

Expected values are computed with raw SQL on the customer-month fact table (not the marts the
page reads), formatted with ui.formatting, and compared with what the page shows.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from analytics import rules
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    REVIEW_CELLS,
    as_of_month,
    first_branches,
    new_app,
    sign_in,
    texts,
    warehouse_sql,
)
from ui import formatting as fmt

TOTALS_SQL = """
    SELECT sum({column}),
           count(*) FILTER (WHERE NOT is_closed),
           count(*) FILTER (WHERE NOT is_closed AND aum_rmb >= :vip)
    FROM fact_customer_month
    WHERE month_start = :month {extra}
"""


def totals(
    warehouse: Warehouse,
    month: dt.date,
    extra: str = "",
    column: str = "aum_avg_rmb",
    **params: object,
) -> tuple[float, int, int]:
    """AUM (``column``: the daily average, the default basis, or the month-end), customers and
    VIP customers of ``month`` straight from fact_customer_month."""
    sql = TOTALS_SQL.format(extra=extra, column=column)
    rows = warehouse_sql(warehouse, sql, vip=rules.VIP_THRESHOLD_RMB, month=month, **params)
    aum, customers, vip = rows[0]
    return float(aum or 0.0), int(customers), int(vip)


def shown(at) -> list[str]:
    """The KPI cards' values (after the business review's opening line)."""
    return [metric.value for metric in at.metric][REVIEW_CELLS:]


def plotly_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def test_executive_sees_the_province_totals(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = sign_in(new_app(), "executive")
    month = as_of_month(demo_duckdb)
    aum, customers, vip = totals(demo_duckdb, month)
    assert shown(at) == [fmt.money(aum, "en"), fmt.count(customers, "en"), fmt.count(vip, "en")]
    # Month-on-month growth, from the previous month's independent total.
    previous_aum = totals(demo_duckdb, previous_month(month))[0]
    card = at.metric[REVIEW_CELLS]
    assert card.delta == fmt.signed_pct((aum - previous_aum) / previous_aum * 100)
    assert card.label.endswith(fmt.basis_month(month, "avg", "en"))
    assert "All branches" in at.caption[0].value
    assert fmt.month(month, "en") in at.caption[0].value


def test_analyst_sees_every_aggregate(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = sign_in(new_app(), "analyst")
    aum, customers, vip = totals(demo_duckdb, as_of_month(demo_duckdb))
    assert shown(at) == [fmt.money(aum, "en"), fmt.count(customers, "en"), fmt.count(vip, "en")]


def test_branch_head_sees_only_their_branch(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch_id = first_branches(demo_duckdb, 3)[2]
    month = as_of_month(demo_duckdb)
    # A branch head lands on My branch; the overview is one click away.
    at = sign_in(new_app().switch_page("pages/overview.py"), "branch_head", branch_id)
    aum, customers, vip = totals(demo_duckdb, month, "AND branch_id = :b", b=branch_id)
    assert shown(at) == [fmt.money(aum, "en"), fmt.count(customers, "en"), fmt.count(vip, "en")]
    province = totals(demo_duckdb, month)
    assert customers < province[1]
    # The charts hold the branch's numbers only: the last AUM point is the branch's month-end
    # total (asset classes have no daily average).
    aum_chart = plotly_specs(at)[0]
    total_trace = aum_chart["data"][-1]
    end = totals(demo_duckdb, month, "AND branch_id = :b", column="aum_rmb", b=branch_id)[0]
    assert total_trace["customdata"][-1] == fmt.money(end, "en")
    # No organisation filters to choose from: the scope is one branch.
    assert not [m for m in at.sidebar.multiselect if not m.key.startswith("pcrm_flt_tier")]


def test_the_tier_and_month_filters_follow_the_url(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    month = dt.date(2026, 6, 1)
    at = sign_in(new_app({"month": "2026-06", "tier": "vip"}), "executive")
    aum, customers, vip = totals(demo_duckdb, month, "AND tier_code = :tier", tier="vip")
    assert shown(at)[:2] == [fmt.money(aum, "en"), fmt.count(customers, "en")]
    assert "VIP" in at.caption[0].value and "Jun 2026" in at.caption[0].value


def test_the_charts_follow_the_window_and_the_language(app_store_url: str) -> None:
    at = sign_in(new_app({"window": "6", "lang": "zh"}), "executive")
    aum_chart, customers_chart = plotly_specs(at)
    names = [trace["name"] for trace in aum_chart["data"][:-1]]
    assert names == [asset.name_zh for asset in rules.ASSET_CLASSES]
    assert all(len(trace["x"]) == 6 for trace in aum_chart["data"])
    assert (
        "万元" in aum_chart["layout"]["yaxis"]["title"]["text"]
        or "亿元" in (aum_chart["layout"]["yaxis"]["title"]["text"])
    )
    series = [trace["name"] for trace in customers_chart["data"]]
    assert series == ["客户总数", "活跃客户", "新增客户", "流失客户"]
    assert [s.value for s in at.main.subheader] == [
        "金融资产经营进度",
        "金融资产结构",
        "客户数变化",
    ]


def test_every_metric_and_chart_has_a_definition_in_both_languages(app_store_url: str) -> None:
    for lang, word in (("en", "day-end balances"), ("zh", "日终余额")):
        at = sign_in(new_app({"lang": lang}), "executive")
        helps = [metric.proto.help for metric in at.metric]
        assert all(helps) and word in helps[REVIEW_CELLS]
        assert all(sub.proto.help for sub in at.main.subheader)


def test_filters_that_match_nothing_show_the_empty_state(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    month = as_of_month(demo_duckdb)
    rows = warehouse_sql(
        demo_duckdb,
        """
        SELECT min(branch_id) FROM dim_branch
        WHERE branch_id NOT IN (
            SELECT branch_id FROM fact_customer_month WHERE month_start = :m AND tier_code = :t
        )
        """,
        m=month,
        t="private",
    )
    if rows[0][0] is None:
        pytest.skip("every demo branch has private-banking customers this month")
    at = sign_in(new_app({"branch": str(rows[0][0]), "tier": "private"}), "executive")
    assert not at.metric
    assert not at.get("plotly_chart")
    assert "Nothing matches these filters" in texts(at)
