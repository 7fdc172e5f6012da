"""Effective customers (有效客户) and dormant accounts (睡眠户), defined once.

About a quarter of a rural cooperative's accounts hold under 100元 and many are never used, so its
customer KPIs count *effective* customers by a documented line, and count waking a dormant
account (睡眠户激活) as a result of its own (RCC-PRACTICE.md, "Effective customers"). A customer
is, in a month:

- **effective** while not closed, when their daily-average financial assets of the month (月日均)
  are at least ``min_avg_rmb``, or (``active_months`` > 0) they made at least one
  customer-initiated transaction in the last ``active_months`` months, this one included;
- **dormant** while not closed, after ``dormant_months`` months in a row without a
  customer-initiated transaction (DEMO-DATA-FACTS: 25-30% of accounts, "no customer-initiated
  transaction for 12 months"), this one included;
- **woken** (激活) in a month with a customer-initiated transaction when they were dormant at the
  end of the month before.

The line and the activity window are organisation settings (``PCRM_EFFECTIVE_MIN_AVG_RMB``,
``PCRM_EFFECTIVE_ACTIVE_MONTHS``, ``data_access.settings``), applied when the marts are built:
after a change, ``make refresh``. ``analytics.effective`` applies the rule to month x customer
arrays (the demo's targets) and ``data_access/marts/effective_month.py`` in SQL (the pages).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EffectiveRule:
    """The effective-customer line and the dormancy length (see the module)."""

    min_avg_rmb: int
    active_months: int
    dormant_months: int

    def __post_init__(self) -> None:
        if self.min_avg_rmb < 0 or self.active_months < 0 or self.dormant_months < 1:
            raise ValueError(f"not a usable rule: {self}")


# Estimate: a 月日均 line of 1,000元, as county cooperatives commonly set it for 有效客户, or a
# customer-initiated transaction within the quarter's three months; dormant after 12 months.
DEFAULT_RULE = EffectiveRule(min_avg_rmb=1_000, active_months=3, dormant_months=12)
