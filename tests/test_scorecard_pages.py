"""The Scorecards, Targets, My branch and Hongyan pages in AppTest, per persona, and the
monthly report command, with numbers checked against independent SQL on the warehouse."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import cli
from data_access import query
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    as_of_month,
    first_branches,
    new_app,
    texts,
    warehouse_sql,
)
from ui import formatting as fmt


def open_page(
    page: str,
    persona: str,
    params: dict[str, str | list[str]] | None = None,
    branch_id: int | None = None,
) -> AppTest:
    """Sign in on a link to ``pages/<page>.py`` (the link survives the sign-in)."""
    at = new_app(params)
    at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception, at.exception
    if persona == "branch_head":
        at.selectbox(key="pcrm_signin_branch").set_value(branch_id)
    at.button(key=f"pcrm_signin_{persona}").click().run()
    assert not at.exception, at.exception
    return at


def frames(at: AppTest) -> list:
    return [element.value for element in at.dataframe]


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if label in m.label]
    assert found, f"no metric {label!r} in {[m.label for m in at.metric]}"
    return found[0]


def inspected_branches(warehouse: Warehouse, month: dt.date, extra: str = "", **p) -> int:
    sql = (
        "SELECT count(DISTINCT branch_id) FROM fact_6s_inspection "
        f"WHERE quarter_start <= :m {extra}"
    )
    return int(warehouse_sql(warehouse, sql, m=month, **p)[0][0])


# ------------------------------------------------------------------ scorecards


def test_scorecards_for_an_executive(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = open_page("scorecards", "executive")
    month = as_of_month(demo_duckdb)
    branches = inspected_branches(demo_duckdb, month)
    assert metric(at, "Branches inspected") == fmt.count(branches, "en")
    league = frames(at)[0]
    assert len(league) == branches
    assert list(league.iloc[:, 0]) == sorted(league.iloc[:, 0])  # ranks ascending
    assert all(set(s) <= {"★", "☆"} and len(s) == 5 for s in league.iloc[:, 2])
    # The latest overall score of the top branch equals the weighted mean computed in SQL.
    top = league.iloc[0]
    sql = """
        WITH latest AS (
            SELECT branch_id, max(inspection_id) AS inspection_id FROM fact_6s_inspection
            WHERE quarter_start <= :m GROUP BY branch_id
        )
        SELECT f.branch_id, sum(
            CASE f.area WHEN 'cash' THEN 0.30 WHEN 'low_counter' THEN 0.25
                        WHEN 'lobby' THEN 0.25 ELSE 0.20 END
            * (score_sort + score_set_in_order + score_shine + score_standardise
               + score_safety + score_self_discipline) / 6)
        FROM fact_6s_inspection f JOIN latest USING (branch_id, inspection_id)
        GROUP BY f.branch_id ORDER BY 2 DESC LIMIT 1
    """
    best = warehouse_sql(demo_duckdb, sql, m=month)[0]
    assert float(top.iloc[3]) == pytest.approx(float(best[1]))
    # Only the open tab runs: the 6S tab's radars, trend and stars, not the service tab.
    assert len(at.get("plotly_chart")) == 4
    assert "Service-quality ranking" not in texts(at)
    helps = [m.proto.help for m in at.metric]
    assert all(helps)
    # Every table offers both downloads.
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("CSV") >= 2 and labels.count("Excel") == labels.count("CSV")


def test_the_service_tab_opens_from_its_link(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = open_page("scorecards", "executive", {"sc_tab": "service"})
    assert "Service-quality ranking" in texts(at)
    assert len(at.get("plotly_chart")) >= 2
    assert "Branches inspected" not in texts(at)
    labels = [b.label for b in at.get("download_button")]
    assert labels.count("CSV") >= 1 and labels.count("Excel") == labels.count("CSV")


def test_scorecards_for_a_branch_head_show_only_their_branch(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    branch_id = first_branches(demo_duckdb, 2)[1]
    at = open_page("scorecards", "branch_head", branch_id=branch_id)
    assert metric(at, "Branches inspected") == "1"
    assert len(frames(at)[0]) == 1
    name = warehouse_sql(
        demo_duckdb, "SELECT name_en FROM dim_branch WHERE branch_id = :b", b=branch_id
    )[0][0]
    assert frames(at)[0].iloc[0, 1] == name
    upload = open_page("scorecards", "branch_head", {"sc_tab": "upload"}, branch_id=branch_id)
    assert "Only executives and the managers of prefecture offices and county" in texts(upload)


def test_scorecards_in_chinese(app_store_url: str) -> None:
    at = open_page("scorecards", "analyst", {"lang": "zh"})
    shown = texts(at)
    assert "6S 排行榜" in shown and "受检网点数" in shown
    assert all(sub.proto.help for sub in at.main.subheader)


# ------------------------------------------------------------------ targets


def test_targets_for_an_executive(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = open_page("targets", "executive")
    month = as_of_month(demo_duckdb)
    count = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_target WHERE target_level = 'branch' AND period_start <= :m "
        "AND period_end >= :m AND period_end - period_start > 100",
        m=month,
    )[0][0]
    lights = [m for m in at.metric if any(w in m.label for w in ("On track", "At risk", "Behind"))]
    assert sum(int(m.value) for m in lights) == count
    elapsed = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.date(
        month.year, 1, 1
    )
    days = 366 if month.year % 4 == 0 else 365
    assert metric(at, "Period elapsed") == fmt.pct(elapsed.days / days * 100, "en")
    assert len(at.get("plotly_chart")) == 1
    # Every target of every branch only on demand (a closed expander would still format them).
    shown = len(frames(at))
    assert all(len(frame) != count for frame in frames(at))
    at.toggle(key="tg_all").set_value(True).run()
    assert not at.exception, at.exception
    assert len(frames(at)) == shown + 1
    assert len(frames(at)[-1]) == count


def test_targets_for_a_branch_head(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch_id = first_branches(demo_duckdb, 1)[0]
    at = open_page("targets", "branch_head", {"period": "quarter"}, branch_id=branch_id)
    table = frames(at)[0]
    quarter_targets = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM fact_target WHERE target_level = 'branch' AND branch_id = :b "
        "AND period_start <= :m AND period_end >= :m AND period_end - period_start < 100",
        b=branch_id,
        m=as_of_month(demo_duckdb),
    )[0][0]
    assert len(table) == quarter_targets > 0  # the quarter targets of one branch, no other
    new_target = warehouse_sql(
        demo_duckdb,
        "SELECT target_value FROM fact_target WHERE target_level = 'branch' AND branch_id = :b "
        "AND metric = 'new_customers' AND period_start <= :m AND period_end >= :m "
        "AND period_end - period_start < 100",
        b=branch_id,
        m=as_of_month(demo_duckdb),
    )[0][0]
    row = table[table.iloc[:, 0] == "New customers"].iloc[0]
    assert float(row.iloc[2]) == pytest.approx(float(new_target))
    assert at.query_params.get("period") in ("quarter", ["quarter"])


# ------------------------------------------------------------------ my branch


def test_my_branch_is_the_branch_heads_home(demo_duckdb: Warehouse, app_store_url: str) -> None:
    branch_id = first_branches(demo_duckdb, 3)[2]
    at = new_app()
    at.run()
    at.selectbox(key="pcrm_signin_branch").set_value(branch_id)
    at.button(key="pcrm_signin_branch_head").click().run()
    assert not at.exception, at.exception
    month = as_of_month(demo_duckdb)
    aum = warehouse_sql(
        demo_duckdb,
        "SELECT sum(aum_rmb) FROM fact_customer_month WHERE month_start = :m AND branch_id = :b",
        m=month,
        b=branch_id,
    )[0][0]
    assert metric(at, "Financial assets") == fmt.money(float(aum), "en")
    managers = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM dim_staff WHERE role = 'wealth_manager' AND branch_id = :b",
        b=branch_id,
    )[0][0]
    league = [f for f in frames(at) if len(f.columns) == 10][0]
    assert len(league) == managers
    at.button(key="mb_report_prepare").click().run()
    assert not at.exception, at.exception
    assert any("report" in b.label.lower() for b in at.get("download_button"))


def test_my_branch_lets_an_executive_pick_a_branch(
    demo_duckdb: Warehouse, app_store_url: str
) -> None:
    second = first_branches(demo_duckdb, 2)[1]
    at = open_page("my_branch", "executive", {"branch_view": str(second)})
    assert at.selectbox(key="mb_branch").value == second
    assert not at.exception


# ------------------------------------------------------------------ hongyan


def test_hongyan_league_per_persona(demo_duckdb: Warehouse, app_store_url: str) -> None:
    at = open_page("hongyan", "executive")
    managers = warehouse_sql(
        demo_duckdb, "SELECT count(*) FROM dim_staff WHERE role = 'wealth_manager'"
    )[0][0]
    assert metric(at, "Wealth managers") == fmt.count(managers, "en")
    assert len(frames(at)[0]) == managers
    branch_id = first_branches(demo_duckdb, 1)[0]
    head = open_page("hongyan", "branch_head", branch_id=branch_id)
    own = warehouse_sql(
        demo_duckdb,
        "SELECT count(*) FROM dim_staff WHERE role = 'wealth_manager' AND branch_id = :b",
        b=branch_id,
    )[0][0]
    assert len(frames(head)[0]) == own < managers


# ------------------------------------------------------------------ report command


def test_the_report_command_writes_one_html_file(
    demo_duckdb: Warehouse, app_store_url: str, tmp_path: Path
) -> None:
    branch_id = first_branches(demo_duckdb, 1)[0]
    month = as_of_month(demo_duckdb)
    out = tmp_path / "report.html"
    code = cli.main(
        [
            "branch-report",
            "--branch",
            str(branch_id),
            "--month",
            f"{month:%Y-%m}",
            "--out",
            str(out),
            "--lang",
            "zh",
            "--url",
            demo_duckdb.url,
        ]
    )
    assert code == 0
    html = out.read_text(encoding="utf-8")
    name, aum = warehouse_sql(
        demo_duckdb,
        "SELECT b.name_zh, sum(f.aum_rmb) FROM fact_customer_month f JOIN dim_branch b "
        "USING (branch_id) WHERE f.month_start = :m AND f.branch_id = :b GROUP BY b.name_zh",
        m=month,
        b=branch_id,
    )[0]
    assert name in html and fmt.money(float(aum), "zh") in html
    assert "月度网点报告" in html and "plotly" in html.lower() and "<script" in html
    assert 'src="https://cdn.plot.ly' not in html  # plotly.js is embedded, not linked
    bad = cli.main(
        [
            "branch-report",
            "--branch",
            "99999",
            "--month",
            f"{month:%Y-%m}",
            "--out",
            str(out),
            "--url",
            demo_duckdb.url,
        ]
    )
    assert bad == 2
    query.use_warehouse(None)
