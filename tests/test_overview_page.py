"""The Overview page in AppTest: the numbers equal independent SQL on the warehouse, per persona.

Expected values are computed with raw SQL on the customer-month fact table (not the marts the
page reads), formatted with ui.formatting, and compared with what the page shows.
"""

from __future__ import annotations

import calendar
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


EFFECTIVE_SQL = """
    SELECT sum(count_effective) FROM mart_effective_month WHERE month_start = :month {extra}
"""


def totals(
    warehouse: Warehouse,
    month: dt.date,
    extra: str = "",
    column: str = "aum_avg_rmb",
    **params: object,
) -> tuple[float, int, int, int]:
    """AUM (``column``: the daily average, the default basis, or the month-end), customers,
    effective customers and VIP customers of ``month``: straight from fact_customer_month, the
    effective ones from their mart (tests/test_effective.py checks it against the rule)."""
    sql = TOTALS_SQL.format(extra=extra, column=column)
    rows = warehouse_sql(warehouse, sql, vip=rules.VIP_THRESHOLD_RMB, month=month, **params)
    aum, customers, vip = rows[0]
    effective = EFFECTIVE_SQL.format(extra=extra)
    count = warehouse_sql(warehouse, effective, month=month, **params)[0][0]
    return float(aum or 0.0), int(customers), int(count or 0), int(vip)


# The opening lines (deposits, then financial assets), the deposits KPI row (deposits before
# assets), then the AUM row.
FIRST_CARD = 2 * REVIEW_CELLS
DEPOSIT_CARDS = 5
AUM_CARDS = FIRST_CARD + DEPOSIT_CARDS


def cards(aum: float, customers: int, effective: int, vip: int, lang: str = "en") -> list[str]:
    """The AUM row as it reads: financial assets, customers (all), effective customers, VIPs."""
    return [fmt.money(aum, lang), *(fmt.count(n, lang) for n in (customers, effective, vip))]


def shown(at) -> list[str]:
    """The AUM row: financial assets, customers (all), effective customers, VIPs."""
    return [metric.value for metric in at.metric[AUM_CARDS:]]


def deposits_shown(at) -> list[str]:
    return [metric.value for metric in at.metric[FIRST_CARD:AUM_CARDS]]


DEPOSITS_SQL = """
    SELECT sum(demand_deposit_rmb + time_deposit_rmb),
           sum(demand_deposit_avg_rmb + time_deposit_avg_rmb),
           sum(large_cd_rmb),
           sum(demand_deposit_interest_rmb + time_deposit_interest_rmb)
    FROM fact_customer_month
    WHERE month_start = :month {extra}
"""


def deposit_totals(warehouse: Warehouse, month: dt.date, extra: str = "", **params: object):
    """Deposits at month end and on the daily average, 大额存单 and interest, from the facts."""
    sql = DEPOSITS_SQL.format(extra=extra)
    return tuple(float(v or 0.0) for v in warehouse_sql(warehouse, sql, month=month, **params)[0])


def expected_deposit_cards(warehouse: Warehouse, month: dt.date, lang: str, extra="", **params):
    end, average, cd, interest = deposit_totals(warehouse, month, extra, **params)
    days = calendar.monthrange(month.year, month.month)[1]
    return [
        fmt.money(end, lang),
        fmt.money(average, lang),
        fmt.money(cd, lang),
        fmt.rate(interest / average * 360 / days * 100, lang),
        fmt.rate((end / average - 1) * 100, lang),
    ]


def plotly_specs(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def previous_month(month: dt.date) -> dt.date:
    return (month.replace(day=1) - dt.timedelta(days=1)).replace(day=1)


def test_executive_sees_the_province_totals(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = sign_in(new_app(), "executive")
    month = as_of_month(demo_duckdb)
    aum, customers, effective, vip = totals(demo_duckdb, month)
    assert shown(at) == cards(aum, customers, effective, vip)
    # Month-on-month growth, from the previous month's independent total.
    previous_aum = totals(demo_duckdb, previous_month(month))[0]
    card = at.metric[AUM_CARDS]
    assert card.delta == fmt.signed_pct((aum - previous_aum) / previous_aum * 100)
    assert card.label.endswith(fmt.basis_month(month, "avg", "en"))
    assert "All branches" in at.caption[0].value
    assert fmt.month(month, "en") in at.caption[0].value


def test_analyst_sees_every_aggregate(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = sign_in(new_app(), "analyst")
    aum, customers, effective, vip = totals(demo_duckdb, as_of_month(demo_duckdb))
    assert shown(at) == cards(aum, customers, effective, vip)


def test_branch_head_sees_only_their_branch(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch_id = first_branches(demo_duckdb, 3)[2]
    month = as_of_month(demo_duckdb)
    # A branch head lands on My branch; the overview is one click away.
    at = sign_in(new_app().switch_page("pages/overview.py"), "branch_head", branch_id)
    aum, customers, effective, vip = totals(demo_duckdb, month, "AND branch_id = :b", b=branch_id)
    assert shown(at) == cards(aum, customers, effective, vip)
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
    aum, customers, effective, vip = totals(demo_duckdb, month, "AND tier_code = :tier", tier="vip")
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
        "储蓄存款经营进度",
        "金融资产（AUM）经营进度",
        "储蓄存款",
        "金融资产（AUM）与客户",
        "金融资产结构",
        "客户数变化",
    ]


def test_every_metric_and_chart_has_a_definition_in_both_languages(app_store_url: str) -> None:
    for lang, word in (("en", "day-end balances"), ("zh", "日终余额")):
        at = sign_in(new_app({"lang": lang}), "executive")
        helps = [metric.proto.help for metric in at.metric]
        assert all(helps) and word in helps[AUM_CARDS]
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


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_deposits_come_first_with_their_cost_and_deviation(
    demo_duckdb: Warehouse, app_store_url: str, lang: str
) -> None:
    at = sign_in(new_app({"lang": lang}), "executive")
    month = as_of_month(demo_duckdb)
    assert deposits_shown(at) == expected_deposit_cards(demo_duckdb, month, lang)
    labels = [metric.label for metric in at.metric][FIRST_CARD:]
    if lang == "zh":
        assert labels[:5] == [
            "储蓄存款（月末）",
            "储蓄存款（月日均）",
            "其中：大额存单（月末）",
            "存款付息率",
            "存款偏离度",
        ]
        assert labels[5].startswith("金融资产（AUM）")
        assert any("本年累计存款付息率" in c.value for c in at.caption)
    else:
        assert labels[0].startswith("Savings deposits") and "储蓄存款" in labels[0]
        assert any("Deposit cost year to date" in c.value for c in at.caption)


def _branch_deviations(warehouse: Warehouse, month: dt.date) -> dict[int, float]:
    rows = warehouse_sql(
        warehouse,
        """
        SELECT branch_id,
               sum(demand_deposit_rmb + time_deposit_rmb)
               / sum(demand_deposit_avg_rmb + time_deposit_avg_rmb) - 1
        FROM fact_customer_month WHERE month_start = :m GROUP BY branch_id
        """,
        m=month,
    )
    return {int(b): float(d) * 100 for b, d in rows}


def test_the_executive_lists_the_branches_above_the_line(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    month = as_of_month(demo_duckdb)
    deviations = _branch_deviations(demo_duckdb, month)
    above = sorted(
        (d for d in deviations.values() if d > rules.DEPOSIT_DEVIATION_CAP * 100), reverse=True
    )
    at = sign_in(new_app(), "executive")
    (line,) = [c.value for c in at.caption if "deviation line" in c.value]
    assert (f"· {len(above)} Branch" in line) if above else ("no Branch" in line)
    if above:
        (frame,) = [d.value for d in at.dataframe]
        assert [round(float(v), 4) for v in frame.iloc[:, 1]] == [round(d, 4) for d in above]
