"""What a contact with a customer can be, and how it can end: one list for the form and the log.

The customer view (客户统一视图) records every callback (回访), visit and retention offer (挽留) in
the app store's ``contact_log``, as does the churn watchlist; the Hongyan league counts them.
Codes are stored; the pages show the English or Chinese name from these tuples.
"""

from __future__ import annotations

# (code, English, 简体中文)
CONTACT_TYPES: tuple[tuple[str, str, str], ...] = (
    ("callback", "Phone callback", "电话回访"),
    ("visit", "Visit", "上门走访"),
    ("branch_meeting", "Meeting at the branch", "网点面谈"),
    ("retention_offer", "Retention offer", "挽留方案"),
    ("product_offer", "Product offer", "产品推荐"),
    ("message", "Text / WeChat message", "短信或微信"),
)

CONTACT_OUTCOMES: tuple[tuple[str, str, str], ...] = (
    ("reached", "Reached, no decision", "已联系，未决定"),
    ("accepted", "Accepted the offer", "接受推荐"),
    ("declined", "Declined", "拒绝"),
    ("no_answer", "No answer", "未接通"),
    ("follow_up", "Follow-up agreed", "约定再次跟进"),
)

CONTACT_TYPE_CODES: frozenset[str] = frozenset(code for code, _, _ in CONTACT_TYPES)
CONTACT_OUTCOME_CODES: frozenset[str] = frozenset(code for code, _, _ in CONTACT_OUTCOMES)

# A note longer than this is cut: the contact log is a log, not a document store.
NOTE_MAX_CHARS: int = 500
