"""A background writer: the database inserts one chunk while numpy draws the next.

On two cores the build is about half drawing (numpy, which releases the GIL) and half inserting
(DuckDB or COPY, which release it too), so overlapping them saves about a third of the wall
time. The queue holds at most one waiting chunk, which bounds memory; rows are written in the
order they were queued, so the tables stay deterministic. An error in the writer is raised in
the caller at the next ``put`` or at ``close``.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable

_STOP = object()


class BackgroundWriter:
    """Run ``write(item)`` for each queued item on one thread, in order."""

    def __init__(self, write: Callable[[object], None], depth: int = 1) -> None:
        self._write = write
        self._queue: queue.Queue = queue.Queue(maxsize=depth)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="demo-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if item is _STOP:
                return
            if self._error is None:
                try:
                    self._write(item)
                except BaseException as exc:  # re-raised in the caller's thread
                    self._error = exc

    def _raise(self) -> None:
        if self._error is not None:
            raise self._error

    def put(self, item: object) -> None:
        self._raise()
        self._queue.put(item)

    def close(self) -> None:
        """Wait for every queued item to be written; raise the writer's error if any."""
        self._queue.put(_STOP)
        self._thread.join()
        self._raise()

    def __enter__(self) -> BackgroundWriter:
        return self

    def __exit__(self, kind, value, traceback) -> None:
        if kind is None:
            self.close()
        else:  # drain quietly so the thread ends; the caller's exception wins
            self._queue.put(_STOP)
            self._thread.join()
