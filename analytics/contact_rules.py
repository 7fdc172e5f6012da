"""What a contact with a customer can be, and how it can end: one list for the form and the log.

The customer view (客户统一视图) records every callback (回访), visit and retention offer (挽留) in
the app store's ``contact_log``, as does the churn watchlist; the Hongyan league counts them.
Codes are stored; the pages show the English or Chinese name of ``catalogue.codes``.
"""

from __future__ import annotations

from catalogue import codes

# (code, English, 简体中文), from the code lists.
CONTACT_TYPES: tuple[tuple[str, str, str], ...] = codes.CONTACT_TYPE.triples()
CONTACT_OUTCOMES: tuple[tuple[str, str, str], ...] = codes.CONTACT_OUTCOME.triples()

CONTACT_TYPE_CODES: frozenset[str] = frozenset(code for code, _, _ in CONTACT_TYPES)
CONTACT_OUTCOME_CODES: frozenset[str] = frozenset(code for code, _, _ in CONTACT_OUTCOMES)

# A note longer than this is cut: the contact log is a log, not a document store.
NOTE_MAX_CHARS: int = 500
