"""The retention workflow's rules (流失挽留): statuses, the watchlist's size, the follow-up check.

One place for every number the watchlist page and its data layer use; documented in
docs/rules.md ("Churn watchlist and retention"). Contact types and outcomes are shared with the
customer view in ``analytics/contact_rules.py``.
"""

from __future__ import annotations

from analytics.churn import definition
from catalogue import codes

# (code, English, 简体中文). ``open`` is shown as "not contacted": the case exists (or will) but
# nobody has acted on it yet.
STATUSES: tuple[tuple[str, str, str], ...] = codes.RETENTION_STATUS.triples()
STATUS_CODES: tuple[str, ...] = tuple(code for code, _, _ in STATUSES)
# A recorded contact moves an open case to this status (retained / lost are set explicitly).
STATUS_AFTER_CONTACT: str = "contacted"
# Statuses that count as "contacted" in the follow-up.
CONTACTED_STATUSES: frozenset[str] = frozenset({"contacted", "retained", "lost"})

# Ranking orders of the watchlist: expected assets at risk (probability x AUM) or probability.
ORDERS: tuple[str, ...] = ("value", "probability")
DEFAULT_ORDER: str = "value"
# Rows per page, and the largest export (a wealth manager's call list, not a data dump).
PAGE_SIZES: tuple[int, ...] = (25, 50, 100)
EXPORT_MAX_ROWS: int = 5_000
# Capacity: a wealth manager can work about this many retention calls a month (0 = no cap).
TOP_N_CHOICES: tuple[int, ...] = (0, 10, 20, 50)

# The follow-up ("did it work") compares customers on an earlier watchlist who were contacted
# with those who were not. Watchlisted = a band in WATCHLIST_BANDS that month. A customer is
# retained at the check month (up to FOLLOW_UP_MONTHS later, or the latest month with data) if
# still open and holding more than RETAINED_ASSET_SHARE of the watch month's assets: the same
# 70% fall that defines asset flight in analytics/churn/definition.py.
WATCHLIST_BANDS: tuple[str, ...] = ("high", "medium")
FOLLOW_UP_MONTHS: int = 3
RETAINED_ASSET_SHARE: float = 1.0 - definition.ASSET_FALL_SHARE
# Groups smaller than this show no rate (a rate over three customers means nothing).
MIN_GROUP_FOR_RATE: int = 5
