"""Units a number can be in. Every metric and every displayed column names one of these codes;
``ui.formatting`` has one formatter per unit, so a number is shown the same way everywhere."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unit:
    code: str
    name_en: str
    name_zh: str


UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        Unit("money", "RMB", "元"),  # 元 / 万元 / 亿元 in Chinese, RMB with K / M in English
        Unit("count", "Count", "个数"),  # customers, products, branches: thousands separators
        Unit("pct", "Percent", "百分比"),  # 0-100, one decimal
        Unit("points", "Points", "分"),  # a score out of 100 (6S, service index)
        Unit("rate", "Percent a year", "年化百分比"),  # interest and cost rates, two decimals
    )
}
MONEY, COUNT, PCT, POINTS, RATE = (
    UNITS[c].code for c in ("money", "count", "pct", "points", "rate")
)
