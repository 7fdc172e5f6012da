"""``python -m cli branch-report``: the monthly branch report as one HTML file.

``python -m cli branch-report --branch ID --month YYYY-MM --out FILE.html [--lang en|zh]
[--url URL]`` writes the monthly branch report (ui/branch_report.py): a self-contained HTML file
with its charts, ready to mail on a schedule (cron, a job scheduler). It runs as the batch
system user with the executive scope, so any branch can be reported; the file holds aggregates
and wealth managers' names, no customer data. Exit status 0 on success, 2 for bad arguments
(an unknown branch, a month outside the data).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from catalogue.roles import SYSTEM_ROLE
from data_access import catalog, query
from data_access.viewer import Viewer
from data_access.warehouse import Warehouse

COMMANDS = frozenset({"branch-report"})
REPORT_VIEWER = Viewer("system:branch-report", SYSTEM_ROLE, "Monthly branch report job")


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError:
        raise argparse.ArgumentTypeError(f"month must be YYYY-MM, not {text!r}") from None


def add_subcommands(commands: argparse._SubParsersAction) -> None:
    """Add ``branch-report`` to the main parser's subcommands."""
    report = commands.add_parser(
        "branch-report", help="write the monthly branch report as one HTML file"
    )
    report.add_argument("--branch", type=int, required=True, help="branch_id of the branch")
    report.add_argument("--month", type=_month, required=True, help="report month, YYYY-MM")
    report.add_argument("--out", type=Path, required=True, help="HTML file to write")
    report.add_argument("--lang", choices=("en", "zh"), default="en", help="language (en)")
    report.add_argument("--url", help="warehouse URL (default: PCRM_WAREHOUSE_URL / settings)")


def write_report(
    branch_id: int, month: dt.date, out: Path, lang: str = "en", url: str | None = None
) -> Path:
    """Write the report; raises ``LookupError`` for an unknown branch or month."""
    from ui import branch_report, branch_summary

    if url:
        query.use_warehouse(Warehouse.from_settings(url))
    months = catalog.available_months(REPORT_VIEWER)
    if month not in months:
        raise LookupError(
            f"month {month:%Y-%m} is not in the data ({months[0]:%Y-%m} to {months[-1]:%Y-%m})"
            if months
            else "the warehouse has no months"
        )
    summary = branch_summary.gather(REPORT_VIEWER, branch_id, month)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(branch_report.render(summary, lang), encoding="utf-8")
    return out


def run(args: argparse.Namespace) -> int:
    try:
        path = write_report(args.branch, args.month, args.out, args.lang, args.url)
    except LookupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {path}")
    return 0


__all__ = ["COMMANDS", "REPORT_VIEWER", "add_subcommands", "run", "write_report"]
