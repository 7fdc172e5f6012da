"""Rules of cross-selling (交叉销售): bundle coverage, the stickiness curve, next best product.

One place for every threshold the cross-selling and VIP pages use (documented in docs/rules.md,
"Cross-selling and VIP services"). The five core products themselves are
``analytics.rules.CORE_PRODUCT_CATEGORIES``; the VIP threshold is ``rules.VIP_THRESHOLD_RMB``.
"""

from __future__ import annotations

from analytics import rules
from catalogue import codes

# ------------------------------------------------------------------ core-bundle coverage
# Number of core products a customer can hold (0..5).
CORE_COUNTS: tuple[int, ...] = tuple(range(len(rules.CORE_PRODUCT_CATEGORIES) + 1))
# "Well bundled": customers holding at least this many core products (the trend's second line).
WELL_BUNDLED_MIN: int = 3
# A stickiness-curve point resting on fewer customer-months than this is drawn grey (thin base).
STICKINESS_MIN_BASE: int = 200

# ------------------------------------------------------------------ next best product
# Product lines (dim_product.category) a model is trained for. Debit cards are held by nearly
# everyone and loans are credit decisions, not cross-selling: neither is suggested.
TARGETS: tuple[str, ...] = tuple(
    codes.PRODUCT_CATEGORY.code(c)
    for c in (
        "mobile_banking",
        "wealth",
        "insurance",
        "payroll",
        "fund",
        "time_deposit",
        "bond",
        "precious_metal",
    )
)
# Every product category the holdings features describe ("holds_<category>").
HOLDING_CATEGORIES: tuple[str, ...] = codes.PRODUCT_CATEGORY.codes
# Features that restate the label for a target (holding a wealth product *is* having a wealth
# balance; time deposits are most of AUM beside demand deposits; payroll is paid to a partner
# employer's staff): left out of that target's model, or the AUC would measure a lookup.
LEAKS: dict[str, tuple[str, ...]] = {
    "mobile_banking": ("txn_mobile", "mobile_logins"),
    "wealth": ("log_wealth",),
    "insurance": ("log_insurance",),
    "fund": ("log_fund",),
    "time_deposit": ("log_time_deposit", "log_aum", "tier_rank"),
    "bond": ("log_bond",),
    "precious_metal": (),
    "payroll": ("has_employer",),
}
# Refresh trains on at most this many customers of the province, a deterministic pseudo-random
# sample drawn in SQL
# (customers ordered by a hash of their id), never the whole customer table.
SAMPLE_SIZE: int = 20_000
# Customers whose id hash falls in the last TEST_BUCKETS of HASH_BUCKETS are held out for the AUC.
HASH_BUCKETS: int = 10
TEST_BUCKETS: int = 3
# A product needs at least this many holders and non-holders in the sample to get a model.
MIN_CLASS_COUNT: int = 20
# L2 regularisation strength of the logistic models (scikit-learn's C; smaller = stronger).
REGULARISATION_C: float = 0.5
# Suggestions shown per customer, and the most rows a campaign list export may have.
TOP_SUGGESTIONS: int = 3
CAMPAIGN_MAX_ROWS: int = 1_000

# ------------------------------------------------------------------ partner employers and VIP
# VIP services "in use": at least one use in this many months up to the month looked at.
VIP_USE_WINDOW_MONTHS: int = 12

# One row per product's model (the analysts' table and mart_propensity_model).
MODEL_COLUMNS: tuple[str, ...] = (
    "target",
    "auc",
    "count_train",
    "count_test",
    "count_holders",
    "base_rate_pct",
    "has_model",
    "reason",
)
