"""ui/components.py: what a KPI card shows, per unit and language."""

from __future__ import annotations

from analytics.kpis import Kpi
from ui import components


def test_a_count_on_a_small_base_changes_by_customers_not_percent() -> None:
    kpi = Kpi("count_vip", 3.0, 2.0, 4.0)
    en = components.kpi_card(kpi, "VIP", "", "count", [2.0, 3.0], lang="en")
    zh = components.kpi_card(kpi, "贵宾客户", "", "count", [2.0, 3.0], lang="zh")
    assert (en.value, en.mom, en.yoy) == ("3", "+1", "-1")
    assert (zh.value, zh.mom, zh.yoy) == ("3", "+1户", "-1户")


def test_money_and_large_counts_change_by_percent() -> None:
    money = components.kpi_card(Kpi("aum_rmb", 1_361_000.0, 1_000_000.0, None), "", "", "money", [])
    assert (money.value, money.mom, money.yoy, money.has_year_ago) == (
        "¥1.36 M",
        "+36.1%",
        None,
        False,
    )
    customers = components.kpi_card(
        Kpi("count_customers", 12_345.0, 12_000.0, 0.0), "", "", "count", [], lang="zh"
    )
    assert (customers.value, customers.mom, customers.yoy) == ("1.23万", "+2.9%", "+1.23万户")


def test_a_missing_value_shows_a_dash() -> None:
    card = components.kpi_card(Kpi("aum_rmb", None, 5.0, 5.0), "", "", "money", [], lang="zh")
    assert (card.value, card.mom, card.yoy) == ("—", "—", "—")
