"""Rules of the branch scorecards, in one place: 6S stars, the service index, targets, Hongyan.

A cooperative that scores its branches differently edits this file only; every page, the
monthly report and the tests read these values. Each rule is explained in docs/rules.md
("Branch scorecards"), with the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics import rules

# ------------------------------------------------------------------ 6S (6S 管理)

# Weight of each S in a branch's overall 6S score. Equal by default; they must add up to 1.
SIX_S_WEIGHTS: dict[str, float] = {code: 1 / 6 for code, _, _ in rules.SIX_S}

# Weight of each service area when the areas of one inspection are combined into the score of
# an S (the cash area carries the most risk; the self-service area the least footfall).
AREA_WEIGHTS: dict[str, float] = {
    "cash": 0.30,
    "low_counter": 0.25,
    "lobby": 0.25,
    "self_service": 0.20,
}

# Star bands (星级评定): (minimum overall 6S score, stars), highest first. A score exactly on a
# threshold earns that band (90.0 is five stars); below the last threshold is one star.
STAR_BANDS: tuple[tuple[float, int], ...] = ((90.0, 5), (80.0, 4), (70.0, 3), (60.0, 2))
MIN_STARS: int = 1

# The single-S cap: when any one S (over the areas) scores below the floor, the branch cannot
# be rated above CAP_STARS, however good its overall score. A floor score itself is no breach.
SINGLE_S_FLOOR: float = 70.0
CAP_STARS: int = 3

# A branch whose overall 6S score moved by at least this many points between its last two
# inspections counts as an improver / decliner.
MOVER_MIN_POINTS: float = 1.0

# ------------------------------------------------------------------ service quality (服务质量)


@dataclass(frozen=True)
class ServiceComponent:
    """One part of the service-quality index, mapped linearly to 0-100 between worst and best.

    ``worst`` scores 0 and ``best`` scores 100 (values beyond them are clipped); when ``best`` is
    below ``worst`` (complaints, waiting) a lower value is better.
    """

    code: str
    column: str
    weight: float
    worst: float
    best: float


SERVICE_COMPONENTS: tuple[ServiceComponent, ...] = (
    ServiceComponent("satisfaction", "satisfaction_pct", 0.30, 85.0, 100.0),
    ServiceComponent("mystery_shopper", "mystery_shopper_score", 0.25, 60.0, 100.0),
    ServiceComponent("complaints", "complaints_per_10k", 0.15, 2.0, 0.0),
    ServiceComponent("waiting", "avg_wait_minutes", 0.15, 15.0, 3.0),
    ServiceComponent("off_counter", "off_counter_pct", 0.15, 50.0, 90.0),
)
# Complaints are counted per this many transactions (counter and off-counter together).
COMPLAINTS_PER: int = 10_000

# ------------------------------------------------------------------ targets (目标考核)

# The target metrics (names, unit, kind, how the actual is computed) are declared in
# catalogue.metrics.
# A customer is covered by the five-core-product bundle when holding at least this many of the
# five core product categories at month end (core-bundle coverage = covered / customers).
CORE_COVERAGE_MIN_PRODUCTS: int = 3

# Traffic lights on the projected attainment (projection / target, in %): green at or above
# GREEN_AT, amber at or above AMBER_AT, red below.
GREEN_AT_PCT: float = 100.0
AMBER_AT_PCT: float = 90.0
LIGHTS: tuple[str, ...] = ("green", "amber", "red")

# ------------------------------------------------------------------ Hongyan plan (鸿雁计划)


@dataclass(frozen=True)
class HongyanLevel:
    """A wealth-manager level and its stepwise targets (per month unless stated)."""

    level: int
    name_en: str
    name_zh: str
    min_aum_rmb: float  # AUM managed at month end
    sales_rmb: float  # investment-product sales in the month
    products_sold: int  # investment products sold in the month
    customers_contacted: int  # distinct customers contacted in the month
    watchlist_coverage_pct: float  # share of their churn-watchlist customers contacted


# Fitted to real branch size (about 8,400 customers and 1-3 wealth managers per branch, a book of
# 7 to 190 million RMB, median about 40 million): on the default demo about 90% of managers
# hold level 1's book, 60% level 2's, 40% level 3's and 20% level 4's, and likewise for monthly
# sales and products sold (docs/demo-data.md). Contacts and watchlist coverage are what one
# manager can do in a month, whatever the branch size, and stay as they were.
HONGYAN_LEVELS: tuple[HongyanLevel, ...] = (
    HongyanLevel(1, "Level 1 · trainee", "一级 · 见习理财经理", 15e6, 500_000.0, 8, 15, 50.0),
    HongyanLevel(2, "Level 2 · wealth manager", "二级 · 理财经理", 30e6, 1e6, 15, 25, 60.0),
    HongyanLevel(3, "Level 3 · senior", "三级 · 高级理财经理", 60e6, 2e6, 30, 35, 70.0),
    HongyanLevel(4, "Level 4 · principal", "四级 · 资深理财经理", 100e6, 3.5e6, 50, 45, 80.0),
)
HONGYAN_BY_LEVEL: dict[int, HongyanLevel] = {h.level: h for h in HONGYAN_LEVELS}
# The measures of the league compared with each level's targets (column: attribute).
HONGYAN_MEASURES: dict[str, str] = {
    "aum_rmb": "min_aum_rmb",
    "sales_rmb": "sales_rmb",
    "count_products_sold": "products_sold",
    "count_contacted": "customers_contacted",
    "watchlist_coverage_pct": "watchlist_coverage_pct",
}
# Churn-score bands that put a customer on the watchlist (mart_churn_score.score_band).
WATCHLIST_BANDS: tuple[str, ...] = ("high", "medium")
# Roles that count as advisory when tracking tellers who moved off the counter (柜员转型).
ADVISORY_ROLES: tuple[str, ...] = ("wealth_manager", "account_manager")
