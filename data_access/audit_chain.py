"""The audit log's hash chain: how an event's hash is computed and how the chain is checked.

Every ``audit_log`` row stores ``prev_hash`` (the ``event_hash`` of the event before it, or
:data:`GENESIS_HASH` for the first event) and ``event_hash``: the SHA-256 (hex) of the row's
canonical form, a compact JSON object with sorted keys of the columns in :data:`CHAINED_COLUMNS`
and ``prev_hash``. ``occurred_at`` is written as ``YYYY-MM-DDTHH:MM:SS.ffffff``, the microseconds
both SQLite and PostgreSQL keep, so a row hashes the same after it is read back from either.

Changing a stored field breaks the row's own hash; rewriting the hash too breaks the next row's
``prev_hash``; removing a row breaks its successor's ``prev_hash``. Only removing events from the
end of the log leaves an intact (shorter) chain: compare the head that ``audit verify`` prints
with one noted earlier. Pure functions: nothing here touches a database.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

# The prev_hash of the first event of every log, including a log chained when it was upgraded.
GENESIS_HASH = "0" * 64
CHAINED_COLUMNS = (
    "event_id",
    "occurred_at",
    "user_id",
    "role",
    "event",
    "customer_ids",
    "detail",
    "warehouse_version",
)


def _canonical_value(value: object) -> object:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise ValueError(f"audit times are naive UTC, got {value!r}")
        return value.isoformat(timespec="microseconds")
    if value is None or isinstance(value, str | int):
        return value
    raise TypeError(f"cannot hash an audit value of type {type(value).__name__}: {value!r}")


def canonical_form(row: Mapping, prev_hash: str) -> bytes:
    """The bytes hashed for ``row`` (a mapping with every chained column) after ``prev_hash``."""
    fields = {name: _canonical_value(row[name]) for name in CHAINED_COLUMNS}
    fields["prev_hash"] = prev_hash
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


def event_hash(row: Mapping, prev_hash: str) -> str:
    """The ``event_hash`` of ``row`` when it follows the event whose hash is ``prev_hash``."""
    return hashlib.sha256(canonical_form(row, prev_hash)).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """The outcome of checking a chain: how far it holds, and the first break if there is one."""

    verified: int  # events whose hash and link were both correct, before any break
    last_event_id: int | None  # the last verified event (the head when the chain is intact)
    last_hash: str | None
    broken_event_id: int | None = None
    problem: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken_event_id is None


def verify_rows(rows: Iterable[Mapping]) -> ChainReport:
    """Check rows given in ``event_id`` order; stop at the first event that breaks the chain.

    Gaps between ids are fine (PostgreSQL spends an id on a rolled-back insert): what links an
    event to its predecessor is ``prev_hash``.
    """
    verified, last_id, last_hash = 0, None, GENESIS_HASH
    for row in rows:
        event_id = int(row["event_id"])
        if row["prev_hash"] != last_hash:
            if last_id is None:
                problem = (
                    "its prev_hash is not the genesis value although it is the first event in "
                    "the log: the events before it were removed"
                )
            else:
                problem = (
                    f"its prev_hash does not match the event_hash of event {last_id}, the event "
                    f"before it in the log: an event between them was removed, or event "
                    f"{last_id} was rewritten together with its hash"
                )
            return ChainReport(verified, last_id, _head(last_id, last_hash), event_id, problem)
        if row["event_hash"] != event_hash(row, row["prev_hash"]):
            problem = "its event_hash does not match its content: the row was changed"
            return ChainReport(verified, last_id, _head(last_id, last_hash), event_id, problem)
        verified, last_id, last_hash = verified + 1, event_id, row["event_hash"]
    return ChainReport(verified, last_id, _head(last_id, last_hash))


def _head(last_id: int | None, last_hash: str) -> str | None:
    return None if last_id is None else last_hash


__all__ = [
    "CHAINED_COLUMNS",
    "GENESIS_HASH",
    "ChainReport",
    "canonical_form",
    "event_hash",
    "verify_rows",
]
