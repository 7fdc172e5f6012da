"""Metrics, each declared once: the target metrics (目标考核指标), read by the target cards,
tables, the branch report, the demo targets, the data tests, docs/rules.md and docs/warehouse.md;
and the headline metrics of the KPI cards (:data:`HEADLINE_METRICS`).

A metric names the series it reads and how its actual so far is computed from that series over
a target's period; ``analytics.targets.branch_actuals`` applies the rule and
``data_access.scorecards.SERIES`` holds one query per series. Adding a target KPI over an
existing series is one entry here (and its test); over a new series, also that series' query.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue import basis, units

# How a metric accumulates, which sets its projection to the period end (analytics.targets):
# ``flow`` adds up over the period (run rate), ``level`` is a position (trend since the period
# start), ``score`` is the latest assessment (as it stands).
KINDS: tuple[str, ...] = ("flow", "level", "score")

# How the actual so far is computed from the metric's series (analytics.targets.ACTUAL_RULES):
# ``change``: the value of the latest month minus the one opening the period (month-end or the
#   month's daily average, by the series: aum or aum_avg);
# ``sum``: the monthly values summed from the period start to the latest month;
# ``latest``: the value of the latest month (the opening month's value is the start value);
# ``latest_inspection``: the score of the latest inspection up to the latest month's end.
ACTUALS: tuple[str, ...] = ("change", "sum", "latest", "latest_inspection")


@dataclass(frozen=True)
class _Named:
    """What every metric declares: its code, names, unit (a ``catalogue.units`` code), kind (one
    of :data:`KINDS`) and direction."""

    code: str
    name_en: str
    name_zh: str
    unit: str
    kind: str
    higher_is_better: bool


@dataclass(frozen=True)
class Metric(_Named):
    """A target metric: ``series`` the name of the series its actual is computed from
    (``data_access.scorecards.SERIES``), ``source`` the mart or table that series reads."""

    actual: str
    series: str
    source: str


# In the order the pages, tables and the report list them.
TARGET_METRICS: tuple[Metric, ...] = (
    # Daily-average growth (日均增量): the regulator's basis, the demo's default growth targets
    # (data_access.demo.targets); the month-end growth stays for organisations that set it.
    # Deposits first: a cooperative is assessed on them before financial assets.
    Metric(
        "deposit_avg_growth_rmb",
        "Savings deposits daily-average growth",
        "储蓄存款日均增量",
        units.MONEY,
        "flow",
        True,
        "change",
        "deposits_avg",
        "mart_branch_month_tier",
    ),
    Metric(
        "deposit_growth_rmb",
        "Savings deposits month-end growth",
        "储蓄存款时点增量",
        units.MONEY,
        "flow",
        True,
        "change",
        "deposits",
        "mart_branch_month_tier",
    ),
    Metric(
        "aum_avg_growth_rmb",
        "AUM daily-average growth",
        "金融资产日均增量",
        units.MONEY,
        "flow",
        True,
        "change",
        "aum_avg",
        "mart_branch_month_tier",
    ),
    Metric(
        "aum_growth_rmb",
        "AUM month-end growth",
        "金融资产时点增量",
        units.MONEY,
        "flow",
        True,
        "change",
        "aum",
        "mart_branch_month_tier",
    ),
    Metric(
        "new_customers",
        "New customers",
        "新增客户",
        units.COUNT,
        "flow",
        True,
        "sum",
        "new_customers",
        "mart_branch_month_tier",
    ),
    Metric(
        "vip_customers",
        "VIP customers",
        "贵宾客户数",
        units.COUNT,
        "level",
        True,
        "latest",
        "vip_customers",
        "mart_branch_month_tier",
    ),
    Metric(
        "effective_customers",
        "Effective customers",
        "有效客户数",
        units.COUNT,
        "level",
        True,
        "latest",
        "effective_customers",
        "mart_effective_month",
    ),
    Metric(
        "effective_new",
        "New effective customers",
        "新增有效客户数",
        units.COUNT,
        "flow",
        True,
        "sum",
        "effective_new",
        "mart_effective_month",
    ),
    Metric(
        "dormant_woken",
        "Dormant accounts woken",
        "睡眠户激活数",
        units.COUNT,
        "flow",
        True,
        "sum",
        "dormant_woken",
        "mart_effective_month",
    ),
    Metric(
        "wealth_sales_rmb",
        "Wealth-product sales",
        "理财产品销售额",
        units.MONEY,
        "flow",
        True,
        "sum",
        "wealth_sales",
        "fact_product_sale",
    ),
    Metric(
        "core_bundle_coverage_pct",
        "Core-bundle coverage",
        "核心产品覆盖率",
        units.PCT,
        "level",
        True,
        "latest",
        "core_bundle_coverage",
        "mart_segment_month",
    ),
    Metric(
        "score_6s",
        "6S score",
        "6S 评分",
        units.POINTS,
        "score",
        True,
        "latest_inspection",
        "six_s_score",
        "fact_6s_inspection",
    ),
)


def target_metrics() -> dict[str, Metric]:
    """Code -> metric, in catalogue order (read at call time, so a metric added to
    ``TARGET_METRICS`` is seen everywhere)."""
    return {m.code: m for m in TARGET_METRICS}


def target_codes() -> tuple[str, ...]:
    """The target metric codes in catalogue order."""
    return tuple(m.code for m in TARGET_METRICS)


def target_metric(code: str) -> Metric:
    """The target metric ``code``; raises ``KeyError`` for an unknown code."""
    return target_metrics()[code]


def target_over(series: str) -> Metric:
    """The one target metric computed from ``series``; raises ``KeyError`` when none or several
    are (the trends rankings put the target over the AUM series beside AUM growth)."""
    found = [m for m in TARGET_METRICS if m.series == series]
    if len(found) != 1:
        raise KeyError(f"{len(found)} target metrics over the series {series!r}, not one")
    return found[0]


@dataclass(frozen=True)
class HeadlineMetric(_Named):
    """A headline number of the KPI cards (overview, trends, my branch, the branch report): the
    month's value of ``column`` of the monthly totals, against last month and the same month a
    year before. ``code`` keys its one-line definition in the UI strings (``kpi.<code>_help``)."""

    column: str


# In the order the cards show them.
HEADLINE_METRICS: tuple[HeadlineMetric, ...] = (
    HeadlineMetric(
        "aum", "Financial assets", "金融资产（AUM）", units.MONEY, "level", True, "aum_rmb"
    ),
    # "Customers" always says whether it counts all or effective ones (catalogue.effective).
    HeadlineMetric(
        "customers", "Customers (all)", "客户总数", units.COUNT, "level", True, "count_customers"
    ),
    HeadlineMetric(
        "effective",
        "Effective customers",
        "有效客户数",
        units.COUNT,
        "level",
        True,
        "count_effective",
    ),
    HeadlineMetric(
        "vip", "VIP customers", "贵宾客户", units.COUNT, "level", True, "count_assets_vip"
    ),
)


@dataclass(frozen=True)
class BalanceMeasure(_Named):
    """A balance read on two bases (``catalogue.basis``) from mart_branch_month_tier and the data
    layer's monthly frames: ``month_end_column`` (月末/时点) and ``daily_average_column`` (the
    month's daily average, 月日均); ``interest_column`` the interest paid on it in the month
    (deposits), ``part_of`` the code of the measure it is a part of ("of which"), or None;
    ``month_end_series`` / ``daily_average_series`` the target series (:attr:`Metric.series`)
    of its growth on each basis, for the balances that have a plan."""

    month_end_column: str
    daily_average_column: str
    interest_column: str | None = None
    part_of: str | None = None
    month_end_series: str | None = None
    daily_average_series: str | None = None

    def column(self, basis_code: str) -> str:
        """The column holding this balance on ``basis_code``."""
        if basis.check(basis_code) == basis.DAILY_AVG:
            return self.daily_average_column
        return self.month_end_column

    def series(self, basis_code: str) -> str:
        """The target series of this balance's growth on ``basis_code``; KeyError when the
        balance has no plan."""
        daily = basis.check(basis_code) == basis.DAILY_AVG
        found = self.daily_average_series if daily else self.month_end_series
        if found is None:
            raise KeyError(f"no growth target series for {self.code!r} on the basis {basis_code!r}")
        return found


# Financial assets: the wider measure (deposits plus wealth, funds, agency insurance and bonds).
AUM_MEASURE = BalanceMeasure(
    "aum",
    "Financial assets (AUM)",
    "金融资产（AUM）",
    units.MONEY,
    "level",
    True,
    "aum_rmb",
    "aum_avg_rmb",
    month_end_series="aum",
    daily_average_series="aum_avg",
)

# The deposits view (储蓄存款 first, then its lines), in the order the pages show them.
DEPOSIT_MEASURES: tuple[BalanceMeasure, ...] = (
    BalanceMeasure(
        "deposits",
        "Savings deposits",
        "储蓄存款",
        units.MONEY,
        "level",
        True,
        "deposit_rmb",
        "deposit_avg_rmb",
        "interest_paid_rmb",
        month_end_series="deposits",
        daily_average_series="deposits_avg",
    ),
    BalanceMeasure(
        "demand_deposits",
        "Demand deposits",
        "活期存款",
        units.MONEY,
        "level",
        True,
        "demand_deposit_rmb",
        "demand_deposit_avg_rmb",
        "demand_deposit_interest_rmb",
        "deposits",
    ),
    BalanceMeasure(
        "time_deposits",
        "Time deposits",
        "定期存款",
        units.MONEY,
        "level",
        True,
        "time_deposit_rmb",
        "time_deposit_avg_rmb",
        "time_deposit_interest_rmb",
        "deposits",
    ),
    BalanceMeasure(
        "large_cds",
        "Large-denomination CDs",
        "大额存单",
        units.MONEY,
        "level",
        True,
        "large_cd_rmb",
        "large_cd_avg_rmb",
        "large_cd_interest_rmb",
        "time_deposits",
    ),
)


def deposit_measure(code: str) -> BalanceMeasure:
    """The deposit measure ``code``; raises ``KeyError`` for an unknown code."""
    found = {m.code: m for m in DEPOSIT_MEASURES}
    return found[code]


def balance_columns(measures: tuple[BalanceMeasure, ...]) -> tuple[str, ...]:
    """Every column the measures read (month end, daily average, interest), once, in order."""
    columns = []
    for m in measures:
        columns += [m.month_end_column, m.daily_average_column]
        if m.interest_column:
            columns.append(m.interest_column)
    return tuple(dict.fromkeys(columns))


# Every balance with both bases, deposits first: the opening line, the KPI cards and the
# monthly frames read each of them on the chosen basis.
BALANCE_MEASURES: tuple[BalanceMeasure, ...] = (*DEPOSIT_MEASURES, AUM_MEASURE)


def balance_measure(code: str) -> BalanceMeasure:
    """The balance measure ``code``; KeyError naming the known ones otherwise."""
    for m in BALANCE_MEASURES:
        if m.code == code:
            return m
    known = ", ".join(m.code for m in BALANCE_MEASURES)
    raise KeyError(f"unknown balance measure {code!r}: expected one of {known}")


def balance_of_column(name: str) -> BalanceMeasure | None:
    """The balance measure whose month-end or daily-average column is ``name`` (None: not a
    balance)."""
    for m in BALANCE_MEASURES:
        if name in (m.month_end_column, m.daily_average_column):
            return m
    return None


def growth_target(measure_code: str, basis_code: str) -> str:
    """The code of the target metric of balance ``measure_code``'s growth on ``basis_code``
    (``aum_avg_growth_rmb`` for financial assets on the daily average)."""
    return target_over(balance_measure(measure_code).series(basis_code)).code


def basis_columns() -> tuple[str, ...]:
    """Every balance measure's month-end and daily-average columns, once each."""
    return tuple(
        dict.fromkeys(
            c for m in BALANCE_MEASURES for c in (m.month_end_column, m.daily_average_column)
        )
    )


# The balances the monthly business review opens with, in its order: deposits first.
REVIEW_MEASURES: tuple[str, ...] = ("deposits", "aum")


def daily_average_columns() -> tuple[str, ...]:
    """Every balance measure's daily-average column (what the marts carry beside month-ends)."""
    return tuple(m.daily_average_column for m in BALANCE_MEASURES)
