"""Command line: ``python -m data_access demo|refresh|export|load ...`` (see README)."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from data_access import app_store_admin, users_cli
from data_access.extracts import cli as extracts_cli
from data_access.warehouse import Warehouse


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM, got {text!r}") from exc


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m data_access", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    demo = commands.add_parser("demo", help="build a seeded demo warehouse and swap it in")
    demo.add_argument("--customers", type=int, default=20_000)
    demo.add_argument("--months", type=int, default=24)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--as-of", type=_month, default=None, help="last month, YYYY-MM")
    demo.add_argument("--url", default=None, help="warehouse SQLAlchemy URL")
    demo.add_argument("--if-missing", action="store_true", help="do nothing if one exists")
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
    extracts_cli.add_subcommands(commands)
    users_cli.add_subcommands(commands)
    app_store_admin.add_subcommands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command in extracts_cli.COMMANDS:
        return extracts_cli.run(args)
    if args.command in users_cli.COMMANDS:
        return users_cli.run(args)
    if args.command in app_store_admin.COMMANDS:
        return app_store_admin.run(args)
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
        from data_access.demo import build_demo

        summary = build_demo(
            warehouse,
            customers=args.customers,
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


if __name__ == "__main__":
    sys.exit(main())
