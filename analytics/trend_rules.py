"""Definitions behind the Asset trends page: comparison periods and what a "growth" is measured
against. Documented in docs/rules.md ("Asset trends"); change them here only.
"""

from __future__ import annotations

from catalogue import basis, metrics

# Comparison periods (期间) for growth, the AUM change waterfall and the rankings. Each period
# ends at the chosen month's month end and starts at the month end of its base month:
#   mom  month on month (环比): the month before;
#   qtd  quarter to date (季初以来): the last month of the previous quarter;
#   ytd  year to date (年初以来): December of the previous year (the year-end base, 年初数);
#   yoy  year on year (同比): the same month a year earlier.
PERIODS: tuple[str, ...] = ("mom", "qtd", "ytd", "yoy")
DEFAULT_PERIOD = "ytd"

# Periods whose growth a target covers (fact_target periods): quarter and year.
TARGET_PERIOD: dict[str, str] = {"qtd": "quarter", "ytd": "year"}

# The target the rankings put beside AUM growth: the catalogue's target metric over the AUM
# series of the basis shown (catalogue.basis): aum_avg_growth_rmb on the daily average,
# aum_growth_rmb at month-end; read by data_access.trends.branch_targets and period_targets.
RANKING_TARGET_METRICS: dict[str, str] = {b: metrics.growth_target("aum", b) for b in basis.CODES}
RANKING_TARGET_METRIC: str = RANKING_TARGET_METRICS[basis.MONTH_END]

# Same period last year (上年同期): every period shifted back by this many months.
LAST_YEAR_MONTHS = 12
