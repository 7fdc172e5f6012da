"""The load journal: one line per load attempt, loaded, rejected or failed, beside the warehouse.

A rejected load leaves the warehouse exactly as it was, so the warehouse cannot record it; the
data-quality page still has to say "last night's extract was refused, 1,204 rows, here is why".
Each attempt appends one JSON line to ``loads.jsonl`` in :func:`settings.load_journal_dir` and a
rejected one keeps a copy of its rejection report there (``<load_id>-rejections.csv``), wherever
the operator asked the report to go. Writing the journal never fails a load: a journal that
cannot be written is logged and skipped.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import shutil
from collections import Counter
from pathlib import Path

from data_access import settings
from data_access.extracts.problems import Rejection

log = logging.getLogger(__name__)

JOURNAL_NAME = "loads.jsonl"
STATUSES = ("loaded", "rejected", "failed")


def journal_path(folder: Path | None = None) -> Path:
    return Path(folder or settings.load_journal_dir()) / JOURNAL_NAME


def report_copy(load_id: str, folder: Path | None = None) -> Path:
    return Path(folder or settings.load_journal_dir()) / f"{load_id}-rejections.csv"


def utc_now() -> str:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0).isoformat()


def rejection_summary(rejections: list[Rejection], rejected_rows: int) -> dict:
    """Problems, rows refused, and counts by rule and by file, for one journal line."""
    return {
        "problems": len(rejections),
        "rejected_rows": int(rejected_rows),
        "rules": dict(Counter(r.rule for r in rejections).most_common()),
        "files": dict(Counter(r.file for r in rejections).most_common()),
    }


def record(entry: dict, report: Path | None = None, folder: Path | None = None) -> None:
    """Append ``entry`` (which holds ``load_id`` and ``status``) and keep the report's copy."""
    try:
        target = journal_path(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        if report is not None and Path(report).exists():
            copy = report_copy(entry["load_id"], folder)
            shutil.copyfile(report, copy)
            entry = {**entry, "report_copy": copy.name}
        with target.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(entry, ensure_ascii=False, default=str) + "\n")
    except OSError:
        log.exception("the load journal could not be written; the load itself is unaffected")


def read(limit: int = 50, folder: Path | None = None) -> list[dict]:
    """The latest ``limit`` attempts, newest first (lines that do not parse are skipped)."""
    path = journal_path(folder)
    if not path.exists():
        return []
    entries = []
    for line in path.read_text("utf-8").splitlines():
        try:
            entry = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(entry, dict) and entry.get("status") in STATUSES:
            entries.append(entry)
    return entries[::-1][:limit]
