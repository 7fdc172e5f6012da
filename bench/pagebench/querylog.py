"""Time every query the data layer sends, and name the data_access function that sent it.

A listener on SQLAlchemy's ``Engine`` class sees every cursor execution of every engine in the
process (the warehouse readers are created and replaced at run time, so listening on one engine
would miss them). The caller is found by walking the stack up to the first frame in a
``data_access`` module other than the shared door (``data_access.query``): that is the page
helper's query function (``data_access.trends.monthly``), or ``Warehouse.version`` for the
per-rerun version check. App-store (SQLite) statements are kept apart by dialect.
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine

_DOOR_MODULES = frozenset({"data_access.query", "data_access.masking", "data_access.scope"})
_START_KEY = "pcrm_bench_started"


def calling_function(depth_limit: int = 80) -> str:
    """Dotted name of the data_access function on the current stack (or the outermost caller)."""
    frame = sys._getframe(1)
    fallback = "?"
    for _ in range(depth_limit):
        if frame is None:
            break
        module = frame.f_globals.get("__name__", "")
        if module.startswith("data_access.") and module not in _DOOR_MODULES:
            return f"{module}.{frame.f_code.co_qualname}"
        if fallback == "?" and not module.startswith(("sqlalchemy", "duckdb", "bench.")):
            fallback = f"{module}.{frame.f_code.co_qualname}"
        frame = frame.f_back
    return fallback


@dataclass
class QueryLog:
    """Records (context, function, seconds, statement head) for every cursor execution."""

    records: list[dict] = field(default_factory=list)
    context: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _installed: bool = False

    def _before(self, conn, cursor, statement, parameters, context, executemany) -> None:
        conn.info.setdefault(_START_KEY, []).append(time.perf_counter())

    def _after(self, conn, cursor, statement, parameters, context, executemany) -> None:
        starts = conn.info.get(_START_KEY)
        if not starts:
            return
        seconds = time.perf_counter() - starts.pop()
        record = {
            **self.context,
            "function": calling_function(),
            "dialect": conn.dialect.name,
            "seconds": seconds,
            "statement": " ".join(statement.split())[:160],
        }
        with self._lock:
            self.records.append(record)

    def install(self) -> None:
        if not self._installed:
            event.listen(Engine, "before_cursor_execute", self._before)
            event.listen(Engine, "after_cursor_execute", self._after)
            self._installed = True

    def remove(self) -> None:
        if self._installed:
            event.remove(Engine, "before_cursor_execute", self._before)
            event.remove(Engine, "after_cursor_execute", self._after)
            self._installed = False

    @contextlib.contextmanager
    def phase(self, **context: object) -> Iterator[None]:
        """Tag the queries run inside the block (page, persona, phase, repeat)."""
        previous = self.context
        self.context = {**previous, **context}
        try:
            yield
        finally:
            self.context = previous

    def warehouse_records(self) -> list[dict]:
        """Queries on the warehouse only (the app store is SQLite in the benchmark)."""
        return [r for r in self.records if r["dialect"] != "sqlite"]
