"""The Asset trends page in AppTest: numbers equal independent SQL, per persona and language.

Expected values come from raw SQL on fact_customer_month (the page reads the marts), formatted
with ui.formatting and compared with what the page shows: KPI cards, chart data and tables.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import rules
from catalogue import metrics
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    OPENING_CELLS,
    as_of_month,
    first_branches,
    new_app,
    param,
    texts,
    warehouse_sql,
)
from ui import downloads
from ui import formatting as fmt
from ui.i18n import translate
from ui.tables import Column, export_frame

TABLE_KEYS = (
    "trends_drill",
    "trends_monthly",
    "trends_change",
    "trends_rankings",
    "trends_seasonality",
    "trends_festival_yoy",
    "trends_kaimenhong",
    "trends_deposits",
    "trends_deposit_lines",
    "trends_deposit_mix",
    "trends_vip",
)


def open_trends(
    persona: str, params: dict[str, str | list[str]] | None = None, branch_id: int | None = None
) -> AppTest:
    """Sign in on a link to the trends page (the link survives the sign-in)."""
    at = new_app(params)
    at.switch_page("pages/trends.py")
    at.run()
    assert not at.exception, at.exception
    if persona == "branch_head":
        at.selectbox(key="pcrm_signin_branch").set_value(branch_id)
    at.button(key=f"pcrm_signin_{persona}").click().run()
    assert not at.exception, at.exception
    return at


TABS = {
    "trend": "trends.tab_trend",
    "change": "trends.tab_change",
    "rankings": "trends.tab_rankings",
    "seasonality": "trends.tab_seasonality",
    "deposits": "trends.tab_deposits",
    "vip": "trends.tab_vip",
}


def open_tab(at: AppTest, code: str) -> AppTest:
    """Open one tab of the page (only the open tab is drawn), as a click would.

    English only: AppTest formats the sidebar's select boxes in English when it reruns, so a
    Chinese page is opened fresh on each tab (``trends_tab`` in the link) instead.
    """
    at.session_state["trends_tab"] = translate(TABS[code], "en")
    at.run()
    assert not at.exception, at.exception
    return at


def each_tab(at: AppTest) -> Iterator[str]:
    """Open every tab in turn, yielding its code once it is drawn."""
    for code in TABS:
        open_tab(at, code)
        yield code


def chart(at: AppTest, key: str) -> dict:
    for element in at.get("plotly_chart"):
        if element.proto.id and key in element.proto.id:
            return json.loads(element.proto.spec)
    raise AssertionError(f"no chart {key}")


def facts(
    warehouse: Warehouse,
    month: dt.date,
    extra: str = "",
    column: str = "aum_avg_rmb",
    **params: object,
) -> tuple:
    """AUM (``column``: the daily average, the default basis, or the month-end), customers,
    effective customers (from their mart) and VIP customers of ``month``."""
    sql = f"""
        SELECT sum({column}),
               sum(CASE WHEN NOT is_closed THEN 1 ELSE 0 END),
               sum(CASE WHEN NOT is_closed AND aum_rmb >= :vip THEN 1 ELSE 0 END)
        FROM fact_customer_month WHERE month_start = :m {extra}
    """
    aum, customers, vip = warehouse_sql(
        warehouse, sql, m=month, vip=rules.VIP_THRESHOLD_RMB, **params
    )[0]
    effective = warehouse_sql(
        warehouse,
        f"SELECT sum(count_effective) FROM mart_effective_month WHERE month_start = :m {extra}",
        m=month,
        **params,
    )[0][0]
    return float(aum or 0), int(customers or 0), int(effective or 0), int(vip or 0)


# The drill chart's title follows the opening lines' titles (one per balance reviewed).
DRILL_TITLE = len(metrics.REVIEW_MEASURES)


def kpis(at: AppTest) -> list[str]:
    """The KPI cards' values (after the business review's opening line)."""
    return [metric.value for metric in at.metric][OPENING_CELLS:]


def expected_kpis(values: tuple, lang: str = "en") -> list[str]:
    return [fmt.money(values[0], lang), *(fmt.count(n, lang) for n in values[1:])]


def test_executive_sees_the_province_and_every_section(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = open_trends("executive")
    month = as_of_month(demo_duckdb)
    assert at.title[0].value == "Asset trends 资产趋势"
    assert kpis(at) == expected_kpis(facts(demo_duckdb, month))
    subheaders = [s.value for s in at.main.subheader]
    assert subheaders[:3] == [
        "Savings deposits 储蓄存款: the year so far",
        "Financial assets (AUM) 金融资产（AUM）: the year so far",
        "AUM by Prefecture office 市州办事处",
    ]
    keys: set[str] = set()
    for _ in each_tab(at):
        subheaders += [s.value for s in at.main.subheader]
        keys |= {button.key for button in at.get("download_button")}
    for title in (
        "AUM by asset class 金融资产结构",
        "AUM growth 金融资产增速",
        "Where the AUM change came from 资产变动归因",
        "Seasonality: month-of-year profile 季节性",
        "Deposit structure by branch 存款结构",
        "Deposit cost 存款付息率",
        "What moved the cost 付息率变动分解",
        "Deposit deviation 存款偏离度",
        "VIP customers (assets ≥ ¥1M) 贵宾客户",
    ):
        assert title in subheaders
    # The drill chart holds one bar per prefecture, each carrying its id to click.
    bars = chart(at, "trends_drill_prefecture")["data"][0]
    prefectures = warehouse_sql(demo_duckdb, "SELECT prefecture_id FROM dim_prefecture")
    assert sorted(bars["customdata"]) == sorted(int(r[0]) for r in prefectures)
    # Every table has both downloads.
    for table in TABLE_KEYS:
        assert {f"{table}_csv", f"{table}_xlsx"} <= keys


def test_the_waterfall_shows_the_parts_from_the_facts(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = open_tab(open_trends("executive"), "change")
    month = as_of_month(demo_duckdb)
    prev = (pd.Timestamp(month) - pd.DateOffset(months=1)).date()
    new, churned = warehouse_sql(
        demo_duckdb,
        """
        SELECT sum(CASE WHEN c.is_new AND NOT c.is_closed THEN c.aum_rmb ELSE 0 END),
               sum(CASE WHEN c.is_closed THEN c.aum_rmb - coalesce(p.aum_rmb, 0) ELSE 0 END)
        FROM fact_customer_month c LEFT JOIN fact_customer_month p
          ON p.customer_id = c.customer_id AND p.month_start = :p
        WHERE c.month_start = :m
        """,
        m=month,
        p=prev,
    )[0]
    fall = chart(at, "trends_waterfall")["data"][0]
    # The change's parts are month-end figures on either basis.
    assert fall["text"][0] == fmt.money(facts(demo_duckdb, prev, column="aum_rmb")[0], "en")
    assert fall["text"][-1] == fmt.money(facts(demo_duckdb, month, column="aum_rmb")[0], "en")
    assert fall["text"][1].lstrip("+") == fmt.money(float(new), "en")
    assert fall["text"][4] == fmt.money(float(churned), "en")
    assert fall["measure"] == ["absolute", "relative", "relative", "relative", "relative", "total"]


def test_a_drill_link_opens_the_prefecture_and_the_breadcrumb_goes_back(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    prefecture = warehouse_sql(demo_duckdb, "SELECT min(prefecture_id) FROM dim_prefecture")[0][0]
    at = open_trends("executive", {"drill_prefecture": str(prefecture)})
    month = as_of_month(demo_duckdb)
    in_prefecture = facts(
        demo_duckdb,
        month,
        "AND branch_id IN (SELECT branch_id FROM dim_branch WHERE prefecture_id = :p)",
        p=prefecture,
    )
    assert kpis(at) == expected_kpis(in_prefecture)
    assert param(at, "drill_prefecture") == [str(prefecture)]
    children = {s.value for s in at.main.subheader}
    assert children & {"AUM by County cooperative 县级行社", "AUM by Branch 网点"}
    at.button(key="trends_crumb_province").click().run()
    assert not at.exception
    assert param(at, "drill_prefecture") == []
    assert at.main.subheader[DRILL_TITLE].value == "AUM by Prefecture office 市州办事处"
    assert kpis(at) == expected_kpis(facts(demo_duckdb, month))


def test_a_drill_down_to_a_manager_shows_their_book(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch, cooperative, prefecture = warehouse_sql(
        demo_duckdb,
        "SELECT branch_id, cooperative_id, prefecture_id FROM dim_branch "
        "ORDER BY branch_id LIMIT 1",
    )[0]
    staff = warehouse_sql(
        demo_duckdb, "SELECT min(rm_staff_id) FROM mart_staff_month WHERE branch_id = :b", b=branch
    )[0][0]
    params = {
        "drill_prefecture": str(prefecture),
        "drill_cooperative": str(cooperative),
        "drill_branch": str(branch),
        "drill_staff": str(staff),
    }
    at = open_trends("executive", params)
    assert at.main.subheader[DRILL_TITLE].value == "AUM by Relationship manager 客户经理"
    book = chart(at, "trends_manager")
    month = as_of_month(demo_duckdb)
    aum = warehouse_sql(
        demo_duckdb,
        "SELECT sum(aum_avg_rmb) FROM fact_customer_month "
        "WHERE month_start = :m AND rm_staff_id = :s",
        m=month,
        s=staff,
    )[0][0]
    assert book["data"][0]["customdata"][-1] == fmt.money(float(aum), "en")
    crumbs = {b.key for b in at.button if b.key and b.key.startswith("trends_crumb_")}
    assert crumbs == {
        f"trends_crumb_{lvl}" for lvl in ("province", "prefecture", "cooperative", "branch")
    }


def test_a_link_to_a_unit_outside_the_filters_is_dropped(app_store_url: str) -> None:
    at = open_trends("executive", {"drill_prefecture": "999999", "drill_staff": "abc"})
    assert param(at, "drill_prefecture") == [] and param(at, "drill_staff") == []
    assert at.main.subheader[DRILL_TITLE].value == "AUM by Prefecture office 市州办事处"


def test_branch_head_sees_only_their_branch(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch = first_branches(demo_duckdb, 2)[1]
    at = open_trends("branch_head", branch_id=branch)
    month = as_of_month(demo_duckdb)
    assert kpis(at) == expected_kpis(facts(demo_duckdb, month, "AND branch_id = :b", b=branch))
    # The drill passes through their prefecture, cooperative and branch to their managers.
    assert at.main.subheader[DRILL_TITLE].value == "AUM by Relationship manager 客户经理"
    managers = warehouse_sql(
        demo_duckdb,
        "SELECT DISTINCT rm_staff_id FROM mart_staff_month "
        "WHERE branch_id = :b AND month_start = :m",
        b=branch,
        m=month,
    )
    bars = chart(at, "trends_drill_staff")["data"][0]
    assert sorted(bars["customdata"]) == sorted(int(r[0]) for r in managers)
    assert not [b for b in at.button if b.key and b.key.startswith("trends_crumb_")]
    # Every table names their branch only.
    names = dict(warehouse_sql(demo_duckdb, "SELECT branch_id, name_en FROM dim_branch"))
    others = {name for branch_id, name in names.items() if branch_id != branch}
    for code in each_tab(at):
        for frame in at.dataframe:
            shown = frame.value.astype(str).to_numpy().ravel().tolist()
            assert not others & set(shown), code
        if code == "rankings":
            ranking = next(f.value for f in at.dataframe if "rank" in f.value.columns)
            assert ranking["name"].tolist() == [names[branch]]


def test_chinese_labels_units_and_definitions(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = open_trends("executive", {"lang": "zh"})
    month = as_of_month(demo_duckdb)
    assert at.title[0].value == "资产趋势"
    assert kpis(at) == expected_kpis(facts(demo_duckdb, month), "zh")
    assert at.main.subheader[DRILL_TITLE].value == "各市州办事处金融资产"
    axis = chart(at, "trends_aum")["layout"]["yaxis"]["title"]["text"]
    assert "万元" in axis or "亿元" in axis
    assert [tab.label for tab in at.tabs][:2] == ["资产趋势", "变动来源"]
    at = open_trends("executive", {"lang": "zh", "trends_tab": "change"})
    assert "资产变动归因" in [s.value for s in at.main.subheader]
    assert "新增客户" in chart(at, "trends_waterfall")["data"][0]["x"]
    at = open_trends("executive", {"lang": "zh", "trends_tab": "seasonality"})
    assert "季节性：月度规律" in [s.value for s in at.main.subheader]


def assert_defined(at: AppTest, where: object) -> None:
    assert all(metric.proto.help for metric in at.metric), where
    assert all(sub.proto.help for sub in at.main.subheader), where
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns)
        values = frame.value
        numeric = [n for n in values.columns if pd.api.types.is_numeric_dtype(values[n])]
        assert numeric and all(config.get(n, {}).get("help") for n in numeric), (where, config)


def test_every_metric_has_a_definition_in_both_languages(app_store_url: str) -> None:
    at = open_trends("executive")
    for code in each_tab(at):
        assert_defined(at, ("en", code))
    for code in TABS:
        assert_defined(open_trends("executive", {"lang": "zh", "trends_tab": code}), ("zh", code))


def test_the_page_widgets_live_in_the_url(app_store_url: str) -> None:
    at = open_trends(
        "executive",
        {
            "trends_rank_period": "qtd",
            "trends_rank_level": "cooperative",
            "trends_aum_mode": "shares",
            "trends_tab": "rankings",
        },
    )
    assert at.selectbox(key="trends_rank_period").value == "qtd"
    assert "Ranking: County cooperative 县级行社" in [s.value for s in at.main.subheader]
    assert not [c for c in at.get("plotly_chart") if "trends_aum" in c.proto.id]
    open_tab(at, "trend")
    assert param(at, "trends_tab") == []  # the first tab is the default: left out
    shares = chart(at, "trends_aum")
    assert shares["layout"]["yaxis"]["range"] == [0, 100]
    open_tab(at, "change")
    assert param(at, "trends_tab") == ["change"]
    at.selectbox(key="trends_change_period").set_value("ytd").run()
    assert not at.exception
    assert param(at, "trends_change_period") == ["ytd"]


def test_filters_that_match_nothing_show_the_empty_state(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    month = as_of_month(demo_duckdb)
    rows = warehouse_sql(
        demo_duckdb,
        """
        SELECT min(branch_id) FROM dim_branch WHERE branch_id NOT IN (
          SELECT branch_id FROM fact_customer_month WHERE month_start = :m AND tier_code = :t)
        """,
        m=month,
        t="private",
    )
    if rows[0][0] is None:
        pytest.skip("every demo branch has private-banking customers this month")
    at = open_trends("executive", {"branch": str(rows[0][0]), "tier": "private"})
    assert not at.metric
    assert "Nothing matches these filters" in texts(at)


def test_the_excel_export_records_the_filters_first() -> None:
    frame = pd.DataFrame({"month_start": [pd.Timestamp("2026-09-01")], "aum_rmb": [1234.567]})
    columns = [
        Column("month_start", "trends.col_month", "month"),
        Column("aum_rmb", "trends.col_aum", "money", "kpi.aum_help"),
    ]
    export = export_frame(frame, columns, "en")
    assert list(export.columns) == ["Month 月份", "AUM 金融资产 (RMB)"]
    context, table = downloads.read_excel_export(
        downloads.to_excel_bytes(export, {"Filters": "All branches 全辖 · Sep 2026"})
    )
    assert context == {"Filters": "All branches 全辖 · Sep 2026"}
    assert table.iloc[0].tolist() == ["Sep 2026", 1234.57]
    assert downloads.to_csv_bytes(export).startswith(b"\xef\xbb\xbf")


def _deviation_by(warehouse: Warehouse, month: dt.date, unit: str) -> dict[str, float]:
    """存款偏离度 per unit name (English) from the facts, in percent."""
    rows = warehouse_sql(
        warehouse,
        f"""
        SELECT u.name_en,
               sum(f.demand_deposit_rmb + f.time_deposit_rmb)
               / sum(f.demand_deposit_avg_rmb + f.time_deposit_avg_rmb) - 1
        FROM fact_customer_month f
        JOIN dim_branch b ON b.branch_id = f.branch_id
        JOIN dim_{unit} u ON u.{unit}_id = b.{unit}_id
        WHERE f.month_start = :m GROUP BY u.name_en
        """,
        m=month,
    )
    return {name: float(d) * 100 for name, d in rows}


def test_the_deposits_tab_shows_deposits_cost_and_deviation(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    from tests.test_overview_page import expected_deposit_cards

    month = as_of_month(demo_duckdb)
    at = open_tab(open_trends("executive"), "deposits")
    assert kpis(at)[4:9] == expected_deposit_cards(demo_duckdb, month, "en")  # after AUM row
    # The lines' table: savings deposits = demand + time, of which 大额存单.
    lines = next(d.value for d in at.dataframe if "cost_ytd_pct" in d.value.columns)
    assert list(lines["line"]) == [
        "Savings deposits 储蓄存款",
        "Demand deposits 活期存款",
        "Time deposits 定期存款",
        "of which 大额存单",
    ]
    # The decomposition adds up: the structure and rate effects of the total row equal the change.
    mix = next(d.value for d in at.dataframe if "mix_pp" in d.value.columns)
    total = mix.iloc[-1]
    change = float(total["rate_pct"]) - float(total["base_rate_pct"])
    effects = float(total["mix_pp"]) + float(total["rate_pp"])
    assert effects == pytest.approx(change, abs=1e-9)
    # The deviation per branch equals the facts', with the 4% line drawn.
    bars = chart(at, "trends_deviation_units")["data"][0]
    expected = _deviation_by(demo_duckdb, month, "branch")
    shown = dict(zip(bars["y"], bars["text"], strict=True))
    assert shown == {name: fmt.pct(d, "en", digits=2) for name, d in expected.items()}
    shapes = chart(at, "trends_deviation")["layout"]["shapes"]
    assert any(s.get("y0") == pytest.approx(rules.DEPOSIT_DEVIATION_CAP * 100) for s in shapes)
    # Quarter-end months are their own series.
    names = [trace["name"] for trace in chart(at, "trends_deviation")["data"]]
    assert "Quarter end 季末" in names


def test_the_deposits_tab_in_chinese_by_cooperative(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    from tests.test_overview_page import expected_deposit_cards

    month = as_of_month(demo_duckdb)
    at = open_trends(
        "executive",
        {"lang": "zh", "trends_tab": "deposits", "trends_deviation_level": "cooperative"},
    )
    assert kpis(at)[4:9] == expected_deposit_cards(demo_duckdb, month, "zh")
    subheaders = [s.value for s in at.main.subheader]
    for title in ("存款构成", "存款付息率", "付息率变动分解", "存款偏离度"):
        assert title in subheaders
    bars = chart(at, "trends_deviation_units")["data"][0]
    assert len(bars["y"]) == len(_deviation_by(demo_duckdb, month, "cooperative"))
    assert sorted(bars["text"]) == sorted(
        fmt.pct(d, "zh", digits=2)
        for d in _deviation_by(demo_duckdb, month, "cooperative").values()
    )
    assert any(
        "4%监管线" in (a.get("text") or "")
        for a in chart(at, "trends_deviation_units")["layout"].get("annotations", [])
    )


# ------------------------------------------------------------------ the Spring Festival
def _aum_avg(warehouse: Warehouse, month: dt.date) -> float:
    """The daily-average AUM (the default measure on the default basis) of ``month``."""
    sql = "SELECT sum(aum_avg_rmb) FROM fact_customer_month WHERE month_start = :m"
    return float(warehouse_sql(warehouse, sql, m=month)[0][0])


def _frame_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def _profile_rows(at: AppTest) -> list[str]:
    frame = next(d.value for d in at.dataframe if "mean_mom_pct" in d.value.columns)
    return list(frame["label"])


SLOTS_EN = [
    "Month before the festival 节前月",
    "Festival month 春节当月",
    "1st month after 节后第1月",
    "2nd month after 节后第2月",
]
SLOTS_ZH = ["节前月", "春节当月", "节后第1月", "节后第2月"]


def test_the_seasonality_aligns_january_to_march_on_the_spring_festival(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = open_trends("executive")
    # The first view (the trend tab) computes none of it: the tab is drawn only when opened.
    assert not [c for c in at.get("plotly_chart") if "trends_kaimenhong" in c.proto.id]
    assert not [w for w in at.toggle if w.key == "trends_season_align"]
    at = open_tab(at, "seasonality")
    switch = at.toggle(key="trends_season_align")
    assert switch.value is True and switch.label.startswith("Align January to March")
    # On by default: January to March by their place around the festival, then April to December.
    months_en = ["Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    assert _profile_rows(at) == SLOTS_EN + months_en
    assert "Spring Festival: 17 Feb 2026" in texts(at)  # the years whose Jan-Mar are in view
    # The festival's month of 2026 is February: its change is February over January 2026.
    jan, feb = (
        _aum_avg(demo_duckdb, dt.date(2026, 1, 1)),
        _aum_avg(demo_duckdb, dt.date(2026, 2, 1)),
    )
    profile = _frame_with(at, "mean_mom_rmb").set_index("label")
    assert float(profile.loc["Festival month 春节当月", "mean_mom_rmb"]) == pytest.approx(feb - jan)
    assert param(at, "trends_season_align") == []  # the default is left out of the URL
    # Off: the calendar months, kept in the URL.
    at.toggle(key="trends_season_align").set_value(False).run()
    assert not at.exception, at.exception
    assert _profile_rows(at) == ["Jan", "Feb", "Mar", *months_en]
    assert param(at, "trends_season_align") == ["off"]
    # A link with the switch off opens with it off.
    at = open_trends("executive", {"trends_tab": "seasonality", "trends_season_align": "off"})
    assert at.toggle(key="trends_season_align").value is False
    assert _profile_rows(at)[:3] == ["Jan", "Feb", "Mar"]


def test_the_festival_year_on_year_and_the_campaign_equal_the_facts(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    at = open_tab(open_trends("executive"), "seasonality")
    subheaders = [s.value for s in at.main.subheader]
    assert "January to March, year on year around the Spring Festival 春节前后同比（1-3月）" in (
        subheaders
    )
    assert "First-quarter campaign 开门红" in subheaders
    # February 2026 ends 11 days after the festival (17 Feb) and compares with the festival's
    # month of 2025 (January), which the demo does not hold: no change rather than a wrong one.
    rows = _frame_with(at, "days_text").set_index("month_start")
    feb = rows.loc[pd.Timestamp(2026, 2, 1)]
    assert feb["days_text"] == "11 days after 节后11天"
    assert feb["slot_text"] == "Festival month 春节当月"
    assert pd.Timestamp(feb["base_month"]) == pd.Timestamp(2025, 1, 1)
    assert float(feb["value"]) == pytest.approx(_aum_avg(demo_duckdb, dt.date(2026, 2, 1)))
    assert pd.isna(feb["base_value"]) and pd.isna(feb["change"])
    jan = rows.loc[pd.Timestamp(2026, 1, 1)]
    assert jan["days_text"] == "17 days before 节前17天"
    # 开门红 2026: from the end of December 2025 to the end of March 2026.
    campaign = _frame_with(at, "by_festival_change").set_index("year").loc[2026]
    dec = _aum_avg(demo_duckdb, dt.date(2025, 12, 1))
    mar = _aum_avg(demo_duckdb, dt.date(2026, 3, 1))
    assert pd.Timestamp(campaign["festival"]) == pd.Timestamp(2026, 2, 17)
    assert float(campaign["start_value"]) == pytest.approx(dec)
    assert float(campaign["end_value"]) == pytest.approx(mar)
    assert float(campaign["change"]) == pytest.approx(mar - dec)
    assert float(campaign["change_pct"]) == pytest.approx((mar - dec) / dec * 100)
    by_festival = _aum_avg(demo_duckdb, dt.date(2026, 2, 1)) - dec
    assert float(campaign["by_festival_change"]) == pytest.approx(by_festival)
    bars = chart(at, "trends_kaimenhong")["data"]
    assert bars[0]["x"] == ["2026"]
    assert bars[0]["text"] == [fmt.signed_by_unit(mar - dec, "money", "en")]


def test_the_spring_festival_parts_in_chinese(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = open_trends("executive", {"lang": "zh", "trends_tab": "seasonality"})
    assert at.toggle(key="trends_season_align").label == "1-3月按春节对齐"
    assert _profile_rows(at)[:5] == [*SLOTS_ZH, "4月"]
    assert "春节：2026年2月17日" in texts(at)
    subheaders = [s.value for s in at.main.subheader]
    assert "春节前后同比（1-3月）" in subheaders and "开门红" in subheaders
    rows = _frame_with(at, "days_text").set_index("month_start")
    assert rows.loc[pd.Timestamp(2026, 2, 1), "days_text"] == "节后11天"
    assert rows.loc[pd.Timestamp(2026, 3, 1), "slot_text"] == "节后第1月"
    campaign = _frame_with(at, "by_festival_change").set_index("year").loc[2026]
    dec = _aum_avg(demo_duckdb, dt.date(2025, 12, 1))
    assert float(campaign["start_value"]) == pytest.approx(dec)
    bars = chart(at, "trends_kaimenhong")
    assert bars["data"][0]["name"] == "至3月末"
    assert (
        "万元" in bars["layout"]["yaxis"]["title"]["text"]
        or "亿元" in (bars["layout"]["yaxis"]["title"]["text"])
    )
    at = open_trends(
        "executive", {"lang": "zh", "trends_tab": "seasonality", "trends_season_align": "off"}
    )
    assert _profile_rows(at)[:3] == ["1月", "2月", "3月"]
