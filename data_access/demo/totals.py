"""Branch and staff totals per month, summed over customer chunks.

Branch facts (service quality, targets) are drawn after all customers, and must agree with what
the customers did: counter and off-counter transactions, customers, new customers, VIPs, AUM,
wealth-product sales. Each chunk adds its share here with ``np.bincount``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from analytics import effective, rules
from data_access import settings
from data_access.demo.customers import Population
from data_access.demo.monthly import ChunkMonths

CORE_COVERAGE_MIN = 3  # a customer "covered" by the bundle holds at least three core products


def _grid(rows: int, months: int) -> np.ndarray:
    return np.zeros((rows, months))


@dataclass
class Totals:
    branches: int
    staff: int
    months: int
    by_branch: dict[str, np.ndarray] = field(default_factory=dict)
    by_staff: dict[str, np.ndarray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in (
            "counter",
            "off_counter",
            "customers",
            "new",
            "vip",
            "covered",
            "aum",
            "deposits",
            "wealth_sales",
            "effective",
            "dormant",
        ):
            self.by_branch[name] = _grid(self.branches, self.months)
        for name in ("aum", "wealth_sales", "customers"):
            self.by_staff[name] = _grid(self.staff, self.months)

    def _add(self, target: np.ndarray, rows: np.ndarray, months: np.ndarray, weights) -> None:
        key = rows * self.months + months
        target += np.bincount(key, weights=weights, minlength=target.size).reshape(target.shape)

    def add_months(self, pop: Population, facts: ChunkMonths) -> None:
        month, customer = np.nonzero(facts.alive)
        branch = pop.branch[customer]
        live = ~facts.closing[month, customer]
        b = self.by_branch
        self._add(b["counter"], branch, month, facts.counter[month, customer])
        self._add(b["off_counter"], branch, month, facts.off_counter[month, customer])
        self._add(b["customers"], branch, month, live)
        self._add(b["new"], branch, month, month == pop.open_m[customer])
        aum = facts.aum[month, customer]
        self._add(b["vip"], branch, month, live & (aum >= rules.VIP_THRESHOLD_RMB))
        self._add(b["covered"], branch, month, facts.core[month, customer] >= CORE_COVERAGE_MIN)
        self._add(b["aum"], branch, month, aum)
        deposits = sum(facts.assets[c][month, customer] for c in rules.DEPOSIT_CLASS_COLUMNS)
        self._add(b["deposits"], branch, month, deposits)
        # Effective customers and dormant accounts, by the rule the marts apply.
        rule = settings.effective_rule()
        held = facts.alive & ~facts.closing
        active = (facts.counter + facts.off_counter) > 0
        average = np.zeros(facts.alive.shape)
        average[facts.alive] = facts.table.column("aum_avg_rmb").to_numpy()
        is_effective = effective.effective(average, active, held, rule)
        self._add(b["effective"], branch, month, is_effective[month, customer])
        self._add(
            b["dormant"], branch, month, effective.dormant(active, held, rule)[month, customer]
        )
        rm = facts.rm[month, customer]
        managed = rm >= 0
        self._add(self.by_staff["aum"], rm[managed], month[managed], aum[managed])
        self._add(self.by_staff["customers"], rm[managed], month[managed], live[managed])

    def add_sales(self, staff, month, amount, is_wealth, branch) -> None:
        self._add(
            self.by_branch["wealth_sales"], branch[is_wealth], month[is_wealth], amount[is_wealth]
        )
        self._add(
            self.by_staff["wealth_sales"], staff[is_wealth], month[is_wealth], amount[is_wealth]
        )
