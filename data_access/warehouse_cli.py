"""``python -m cli demo|refresh``: build the demo warehouse, rebuild the marts (see README).

- ``demo`` builds a seeded demo warehouse as a new version and swaps it in; ``--if-missing``
  (what ``make run`` uses) does nothing when one exists, or refreshes one an older release built
  without a mart this code reads. It refuses to replace a warehouse loaded from extracts unless
  ``--force``.
- ``refresh`` rebuilds the marts and runs the data tests; the previous version stays live when
  they fail (exit status 1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from data_access.warehouse import Warehouse

COMMANDS = frozenset({"demo", "refresh"})


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM, got {text!r}") from exc


def add_subcommands(commands: argparse._SubParsersAction) -> None:
    """Add ``demo`` and ``refresh`` to the main parser's subcommands."""
    demo = commands.add_parser("demo", help="build a seeded demo warehouse and swap it in")
    demo.add_argument(
        "--customers",
        type=int,
        default=None,
        help="customers in all (default: 20 branches at the average branch size)",
    )
    demo.add_argument(
        "--customers-per-branch",
        type=int,
        default=None,
        help="average customers per branch (default: 8,400, a real outlet's)",
    )
    demo.add_argument("--months", type=int, default=24)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--as-of", type=_month, default=None, help="last month, YYYY-MM")
    demo.add_argument("--url", default=None, help="warehouse SQLAlchemy URL")
    demo.add_argument("--if-missing", action="store_true", help="do nothing if one exists")
    demo.add_argument(
        "--force",
        action="store_true",
        help="replace the warehouse even when its live version was loaded from extracts (load)",
    )
    demo.add_argument("--quiet", action="store_true", help="no progress bars")
    demo.add_argument(
        "--no-churn", action="store_true", help="skip training and scoring the churn model"
    )

    refresh = commands.add_parser("refresh", help="rebuild the marts and run the data tests")
    refresh.add_argument("--url", default=None, help="warehouse SQLAlchemy URL")
    refresh.add_argument(
        "--train-churn",
        action="store_true",
        help="train a new churn model on the data before scoring (default: score with the "
        "latest model in $PCRM_MODEL_DIR or data/models)",
    )


def _replace_refusal(warehouse: Warehouse) -> str | None:
    """Why ``demo`` must not replace the live version without ``--force``, or None when it is a
    demo. Real data (a ``load``), or a version that does not say where it came from, is kept."""
    where = f"The warehouse at {make_url(warehouse.url).render_as_string(hide_password=True)}"
    if not warehouse.is_duckdb:
        where += f" (schema {warehouse.pg_schema})"
    try:
        meta = warehouse.live_meta()
    except sa.exc.DBAPIError as exc:
        found = f"{where} cannot be read to tell where it came from ({exc.orig})"
    else:
        if meta.get("source") == "demo":
            return None
        if meta.get("source") == "load":
            found = (
                f"{where} holds data loaded from core-banking extracts (python -m cli "
                f"load, version {meta.get('version_id')}, loaded {meta.get('built_at')})"
            )
        else:
            found = f"{where} does not record that it is the demo (source {meta.get('source')!r})"
    return (
        f"{found}; demo would replace it with made-up data. Nothing was changed. To replace it "
        "anyway, run demo again with --force (make demo DEMO_ARGS=--force); the live version "
        "stays until the new one is built."
    )


def run(args: argparse.Namespace) -> int:
    warehouse = Warehouse.from_settings(args.url)
    if args.command == "demo":
        if args.if_missing and warehouse.exists():
            from data_access import schema

            marts = {t.name for t in schema.MART_TABLES}
            missing = [name for name in warehouse.missing_tables() if name in marts]
            if not missing:
                print(f"Warehouse already present at {warehouse.url}; nothing to do.")
                return 0
            # Built by an older release: its data stays, the marts this code reads are added.
            print(
                f"Warehouse at {warehouse.url} lacks {', '.join(missing)} (built by an older "
                "release); refreshing it."
            )
            from data_access.refresh import refresh

            print(json.dumps(refresh(warehouse), default=str))
            return 0
        if warehouse.exists() and not args.force:
            refusal = _replace_refusal(warehouse)
            if refusal is not None:
                print(refusal, file=sys.stderr)
                return 1
        from data_access.demo import build_demo
        from data_access.demo.organisation import CUSTOMERS_PER_BRANCH

        per_branch = args.customers_per_branch or CUSTOMERS_PER_BRANCH
        summary = build_demo(
            warehouse,
            customers=args.customers or 20 * per_branch,
            customers_per_branch=per_branch,
            months=args.months,
            seed=args.seed,
            as_of=args.as_of,
            progress=not args.quiet,
            train_churn=not args.no_churn,
        )
        print(json.dumps(summary, default=str))
        return 0
    if args.command == "refresh":
        from data_access.refresh import DataTestFailed, refresh

        try:
            timings = refresh(warehouse, train_churn=args.train_churn)
        except DataTestFailed as exc:
            print(str(exc), file=sys.stderr)
            print("The previous warehouse version was kept.", file=sys.stderr)
            return 1
        print(json.dumps({"refreshed": warehouse.url, "seconds": timings}))
        return 0
    return 2


__all__ = ["COMMANDS", "add_subcommands", "run"]
