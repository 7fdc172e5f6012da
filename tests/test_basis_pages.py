"""The balance basis and the business review's opening line on the overview, trends, targets and
My branch pages, in AppTest, in both languages and on both bases: the figures equal independent
SQL on fact_customer_month and fact_target, every balance says its month and basis, and
switching the basis in the sidebar changes the figure, its label and the URL."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from analytics import review
from data_access.warehouse import Warehouse
from tests.test_app_shell import (
    OPENING_CELLS,
    as_of_month,
    first_branches,
    format_in,
    open_page,
    param,
    review_start,
    review_values,
    texts,
    warehouse_sql,
)
from ui import formatting as fmt

PAGES = {
    "overview": ("pages/overview.py", "executive"),
    "trends": ("pages/trends.py", "executive"),
    "targets": ("pages/targets.py", "executive"),
    "my_branch": ("pages/my_branch.py", "branch_head"),
}
# Each balance of the opening lines on each basis, summed from the facts, and its growth target.
COLUMN = {
    "aum": {"avg": "aum_avg_rmb", "end": "aum_rmb"},
    "deposits": {
        "avg": "demand_deposit_avg_rmb + time_deposit_avg_rmb",
        "end": "demand_deposit_rmb + time_deposit_rmb",
    },
}
GROWTH_TARGET = {
    "aum": {"avg": "aum_avg_growth_rmb", "end": "aum_growth_rmb"},
    "deposits": {"avg": "deposit_avg_growth_rmb", "end": "deposit_growth_rmb"},
}


def test_the_basis_lives_in_the_url_and_its_default_is_the_organisations(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui import filters as ui_filters

    monkeypatch.delenv("PCRM_DEFAULT_BASIS", raising=False)
    assert ui_filters.state_from_params({})["basis"] == "avg"
    assert ui_filters.state_from_params({"basis": ["end"]})["basis"] == "end"
    assert ui_filters.state_from_params({"basis": ["eom"]})["basis"] == "avg"  # junk ignored
    end = ui_filters.state_from_params({"basis": ["end"]})
    assert ui_filters.state_to_params(end) == {"basis": ["end"]}
    assert ui_filters.state_to_params(ui_filters.state_from_params({})) == {}
    monkeypatch.setenv("PCRM_DEFAULT_BASIS", "end")  # an organisation that opens on month-end
    assert ui_filters.state_from_params({})["basis"] == "end"
    avg = ui_filters.state_from_params({"basis": ["avg"]})
    assert ui_filters.state_to_params(avg) == {"basis": ["avg"]}


def _balance(
    warehouse: Warehouse, month: dt.date, basis: str, branch: int | None, measure: str = "aum"
) -> float:
    where = "AND branch_id = :b" if branch is not None else ""
    column = COLUMN[measure][basis]
    sql = f"SELECT sum({column}) FROM fact_customer_month WHERE month_start = :m {where}"
    return float(warehouse_sql(warehouse, sql, m=month, b=branch)[0][0])


def _plan(
    warehouse: Warehouse, year: int, basis: str, branch: int | None, measure: str = "aum"
) -> float | None:
    where = "AND branch_id = :b" if branch is not None else ""
    sql = (
        "SELECT sum(target_value) FROM fact_target WHERE target_level = 'branch' "
        f"AND metric = :metric AND period_start = :s AND period_end = :e {where}"
    )
    value = warehouse_sql(
        warehouse,
        sql,
        metric=GROWTH_TARGET[measure][basis],
        s=dt.date(year, 1, 1),
        e=dt.date(year, 12, 31),
        b=branch,
    )[0][0]
    return None if value is None else float(value)


def _expected(
    warehouse: Warehouse, basis: str, branch: int | None, lang: str, measure: str = "aum"
) -> list[str]:
    """An opening line's five figures from the facts and the targets."""
    month = as_of_month(warehouse)
    value = _balance(warehouse, month, basis, branch, measure)
    december = review.year_base_month(month).date()
    quarter = review.quarter_base_month(month).date()
    ytd = value - _balance(warehouse, december, basis, branch, measure)
    qtd = value - _balance(warehouse, quarter, basis, branch, measure)
    plan = _plan(warehouse, month.year, basis, branch, measure)
    return [
        fmt.money(value, lang),
        fmt.signed_by_unit(ytd, "money", lang),
        fmt.pct(None if plan is None else ytd / plan * 100, lang),
        fmt.pct(review.year_elapsed_pct(month), lang),
        fmt.signed_by_unit(qtd, "money", lang),
    ]


def _open(
    page: str, basis: str, lang: str, warehouse: Warehouse, monkeypatch
) -> tuple[AppTest, int | None]:
    path, persona = PAGES[page]
    params = {"lang": lang}
    if basis != "avg":  # the organisation's default is left out of the URL
        params["basis"] = basis
    branch = first_branches(warehouse, 1)[0] if persona == "branch_head" else None
    format_in(lang, monkeypatch)
    return open_page(path, persona, branch, params), branch


@pytest.mark.parametrize("page", list(PAGES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("basis", ["avg", "end"])
def test_the_opening_line_leads_each_page_on_the_basis_in_the_url(
    demo_duckdb: Warehouse,
    app_store_url: str,
    monkeypatch: pytest.MonkeyPatch,
    page: str,
    lang: str,
    basis: str,
) -> None:
    at, branch = _open(page, basis, lang, demo_duckdb, monkeypatch)
    month = as_of_month(demo_duckdb)
    for measure in ("deposits", "aum"):  # deposits first
        assert review_values(at, measure) == _expected(demo_duckdb, basis, branch, lang, measure)
    label = fmt.basis_month(month, basis, lang)  # "9月日均", "Sep month-end"
    assert label in at.metric[0].label and label in at.metric[review_start("aum")].label
    shown = texts(at)
    if _plan(demo_duckdb, month.year, basis, branch) is None:
        # The demo sets the daily-average growth target only: month-end has no plan, and says so.
        assert ("No annual plan" if lang == "en" else "没有本口径的年度计划") in shown
    else:
        assert ("pts against time" if lang == "en" else "较时间进度") in shown
    if basis == "avg":
        assert ("Year daily avg" if lang == "en" else "年日均") in shown
    if page != "targets":  # the AUM card follows the opening lines, on the same basis
        card = next(m for m in at.metric[OPENING_CELLS:] if m.label.endswith(label))
        assert card.value == fmt.money(_balance(demo_duckdb, month, basis, branch), lang)


@pytest.mark.parametrize("page", ["overview", "trends", "targets", "my_branch"])
def test_switching_the_basis_changes_the_figure_its_label_and_the_url(
    demo_duckdb: Warehouse,
    app_store_url: str,
    monkeypatch: pytest.MonkeyPatch,
    page: str,
) -> None:
    at, branch = _open(page, "avg", "zh", demo_duckdb, monkeypatch)
    month = as_of_month(demo_duckdb)
    aum = review_start("aum")
    before = (at.metric[aum].label, at.metric[aum].value)
    assert before == (
        f"余额（{fmt.basis_month(month, 'avg', 'zh')}）",
        fmt.money(_balance(demo_duckdb, month, "avg", branch), "zh"),
    )
    switch = next(s for s in at.get("segmented_control") if s.key.startswith("pcrm_flt_basis"))
    assert list(switch.options) == ["日均", "月末"]
    switch.set_value("end").run()
    assert not at.exception, at.exception
    assert (at.metric[aum].label, at.metric[aum].value) == (
        f"余额（{fmt.basis_month(month, 'end', 'zh')}）",
        fmt.money(_balance(demo_duckdb, month, "end", branch), "zh"),
    )
    assert param(at, "basis") == ["end"]
    for measure in ("deposits", "aum"):
        assert review_values(at, measure) == _expected(demo_duckdb, "end", branch, "zh", measure)


def test_the_rankings_read_the_basis_and_its_target(
    demo_duckdb: Warehouse, app_store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ranking's AUM and growth are on the basis chosen; its target is that basis's growth
    target (the demo sets the daily-average one only)."""
    month = as_of_month(demo_duckdb)
    for basis in ("avg", "end"):
        at, _ = _open("trends", basis, "en", demo_duckdb, monkeypatch)
        at.session_state["trends_tab"] = "Rankings 排名"
        at.run()
        assert not at.exception, at.exception
        ranking = next(f.value for f in at.dataframe if "rank" in f.value.columns)
        rows = warehouse_sql(
            demo_duckdb,
            f"SELECT branch_id, sum({COLUMN['aum'][basis]}) FROM fact_customer_month "
            "WHERE month_start = :m GROUP BY branch_id",
            m=month,
        )
        assert sorted(ranking["aum_rmb"].round(2)) == pytest.approx(
            sorted(round(float(v), 2) for _, v in rows), abs=0.01
        )
        assert ranking["target_rmb"].notna().all() == (basis == "avg")
