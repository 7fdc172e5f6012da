"""Segmentation rules in one place: age bands, channel classes, customer-group settings, actions.

Tier thresholds and the downgrade grace rule stay in :mod:`analytics.rules`; this module holds
what only the segment and migration pages use. docs/rules.md ("Segments and customer groups")
explains each value. Labels for the codes below live in ``ui/strings/segments.py``.
"""

from __future__ import annotations

from dataclasses import dataclass

from catalogue import codes

# ------------------------------------------------------------------ breakdown dimensions

# Age bands (年龄段) by age in the month looked at: (code, lowest age, highest age), inclusive.
AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("under_25", 0, 24),
    ("25_34", 25, 34),
    ("35_44", 35, 44),
    ("45_54", 45, 54),
    ("55_64", 55, 64),
    ("65_plus", 65, 200),
)

# Channel use (渠道偏好) in the month: the channel with the most customer-initiated transactions;
# a tie goes to the channel listed first (the counter: a customer who still queues counts there).
# ``none``: no transaction in the month.
CHANNELS: tuple[str, ...] = codes.CHANNEL.codes
CHANNEL_NONE = "none"
CHANNEL_CLASSES: tuple[str, ...] = (*CHANNELS, CHANNEL_NONE)

GENDERS: tuple[str, ...] = codes.GENDER.codes

# Dimensions a breakdown can be drawn by, in the order the page offers them. ``industry`` covers
# private business owners only (行业分类 applies to them).
DIMENSIONS: tuple[str, ...] = (
    "tier",
    "occupation",
    "industry",
    "age_band",
    "gender",
    "branch_type",
    "risk_grade",
    "channel",
)

# Pareto curve: customers are ranked by AUM and cut into at most this many equal slices.
PARETO_BUCKETS: int = 100
# The headline shares the page quotes ("the top 10% of customers hold y% of AUM").
PARETO_TOP_PCTS: tuple[int, ...] = (1, 5, 10, 20, 50)

# ------------------------------------------------------------------ customer groups (客群)

# Behaviour features the groups are found on, each standardised before clustering. Every one is
# a plain SQL expression on a customer's month (see data_access.segments), so the sample the
# model is fitted on and the assignment of every customer use the same definitions.
CLUSTER_FEATURES: tuple[str, ...] = (
    "log_aum",  # ln(1 + month-end AUM)
    "invest_share",  # wealth, funds, insurance and bonds as a share of AUM (0-1)
    "log_loan",  # ln(1 + loan balance)
    "mobile_share",  # mobile transactions as a share of all transactions (0-1)
    "log_txns",  # ln(1 + transactions on all channels)
    "log_spend",  # ln(1 + card spending)
    "count_products",  # products held at month end
    "age",  # years
)
CLUSTER_COUNT: int = 6
CLUSTER_SEED: int = 20260901
CLUSTER_N_INIT: int = 4
# The model is fitted on at most this many customers, picked deterministically in SQL (a fixed
# hash of the customer id), so the same data always gives the same sample and the same groups.
CLUSTER_SAMPLE_SIZE: int = 10_000
CLUSTER_SAMPLE_MULTIPLIER: int = 2_654_435_761  # Knuth's multiplicative hash
CLUSTER_SAMPLE_MODULUS: int = 1_000_003
# Refresh fits the province's groups of this many latest months and stores their totals
# (mart_group_*), so the first view of a whole-province viewer reads a few rows; earlier months,
# filters and narrower scopes are fitted and assigned live.
CLUSTER_STORED_MONTHS: int = 12
# Churn rate of a group: share of the group's customers CHURN_LOOKBACK_MONTHS before the month
# (assigned with the same centres on that month's behaviour) who were gone by the month.
CHURN_LOOKBACK_MONTHS: int = 6

# Naming a group from its centre (unstandardised values). Each part picks the first rule it meets.
NAME_AGE: tuple[tuple[str, float], ...] = (("young", 35.0), ("middle_aged", 55.0))
NAME_AGE_ELSE = "senior"
# Channel word: mobile share of the centre at or above MOBILE_FIRST_SHARE -> mobile-first;
# fewer than LOW_ACTIVITY_TXNS transactions a month -> low-activity; else counter-going.
MOBILE_FIRST_SHARE: float = 0.5
LOW_ACTIVITY_TXNS: float = 2.0
# Role word, first match: borrowers (loan above BORROWER_LOAN_RMB), investors (invest share at or
# above INVESTOR_SHARE), wealthy savers (AUM at or above the VIP floor), savers (AUM at or above
# SAVER_AUM_RMB), small-balance customers otherwise.
BORROWER_LOAN_RMB: float = 50_000.0
INVESTOR_SHARE: float = 0.25
WEALTHY_AUM_RMB: float = 1_000_000.0
SAVER_AUM_RMB: float = 50_000.0


@dataclass(frozen=True)
class ActionRule:
    """Suggest action ``code`` for a group whose card metric ``metric`` ``op`` ``threshold``.

    Every condition in ``also`` (same form) must hold too. Labels: ``segments.action.<code>``.
    """

    code: str
    metric: str
    op: str  # "<" | ">=" (the only two comparisons the rules need)
    threshold: float
    also: tuple[tuple[str, str, float], ...] = ()


# "One policy per class" (一类一策): suggested actions per group, in priority order. Metrics are
# the group-card columns of analytics.clustering.group_cards.
ACTION_RULES: tuple[ActionRule, ...] = (
    ActionRule("retention_callbacks", "churn_rate_pct", ">=", 5.0),
    ActionRule("vip_services", "avg_aum_rmb", ">=", 1_000_000.0),
    ActionRule(
        "wealth_advice", "invest_share_pct", "<", 15.0, also=(("avg_aum_rmb", ">=", 50_000.0),)
    ),
    ActionRule("mobile_activation", "mobile_share_pct", "<", 30.0),
    ActionRule("core_bundle", "avg_core_products", "<", 2.5),
    ActionRule("reactivation", "avg_txns", "<", 2.0),
    ActionRule("payroll_and_consumer_credit", "avg_age", "<", 35.0),
    ActionRule("pension_and_health", "avg_age", ">=", 60.0),
    ActionRule("credit_review", "avg_loan_rmb", ">=", 50_000.0),
)
MAX_ACTIONS: int = 4
DEFAULT_ACTION = "maintain"
# Typical products of a group: among product categories held by at least TYPICAL_MIN_SHARE of
# its customers, the TYPICAL_PRODUCTS with the highest lift over all groups.
TYPICAL_PRODUCTS: int = 3
TYPICAL_MIN_SHARE: float = 0.2

# ------------------------------------------------------------------ migration and suitability

# Customer lists (movers, suitability) are paged; a page holds at most this many rows.
LIST_PAGE_SIZE: int = 50
# "Left" column of the migration matrix: customers who closed or disappeared by the later month.
LEFT_CODE = "left"
# "New" row: customers present in the later month but not in the earlier one.
NEW_CODE = "new"
# Month gaps whose tier matrices refresh writes into mart_tier_transition for every month (a
# month on month, and the year on year the page opens with); other pairs are computed from the
# customers' months when asked for.
TRANSITION_GAPS: tuple[int, ...] = (1, 12)
