"""``python -m cli export|load``: the extract commands (gathered in the ``cli`` package).

    export DIR [--url URL] [--format csv|parquet] [--encoding TABLE=ENC ...] [--month YYYY-MM ...]
    load DIR [--url URL] [--mode full|month] [--report FILE] [--row-band 0.5]

Exit status 0 on success (a JSON summary on stdout), 1 when the extract is rejected or the data
tests fail (the summary on stderr; the warehouse is unchanged), 2 for bad arguments.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from data_access.extracts.formats import ENCODINGS, FORMATS
from data_access.extracts.manifest import MODES, parse_month
from data_access.warehouse import Warehouse, WarehouseMissing

COMMANDS = ("export", "load")


def _month(text: str) -> dt.date:
    month = parse_month(text)
    if month is None:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM, got {text!r}")
    return month


def _encoding(text: str) -> tuple[str, str]:
    table, _, encoding = text.partition("=")
    if not table or encoding.lower() not in ENCODINGS:
        raise argparse.ArgumentTypeError(
            f"expected TABLE=ENCODING with ENCODING one of {', '.join(ENCODINGS)}, got {text!r}"
        )
    return table, encoding.lower()


def add_subcommands(subparsers: argparse._SubParsersAction) -> None:
    """Add ``export`` and ``load`` to the main parser's subcommands."""
    export = subparsers.add_parser(
        "export", help="write the warehouse's source tables as an extract (docs/extracts.md)"
    )
    export.add_argument("dir", type=Path, help="folder to write the files and manifest.json to")
    export.add_argument("--url", default=None, help="warehouse SQLAlchemy URL")
    export.add_argument("--format", choices=FORMATS, default="csv")
    export.add_argument(
        "--encoding",
        type=_encoding,
        action="append",
        default=[],
        metavar="TABLE=ENC",
        help="CSV encoding of one table (utf-8, utf-8-sig, gbk, gb18030); repeatable",
    )
    export.add_argument(
        "--month",
        type=_month,
        action="append",
        default=[],
        metavar="YYYY-MM",
        help="write a month extract holding these months of the monthly facts; repeatable",
    )

    load = subparsers.add_parser(
        "load", help="validate an extract and load it as a new warehouse version"
    )
    load.add_argument("dir", type=Path, help="folder with manifest.json and the files")
    load.add_argument("--url", default=None, help="warehouse SQLAlchemy URL")
    load.add_argument("--mode", choices=MODES, default="full")
    load.add_argument(
        "--report", type=Path, default=None, help="rejection report (default DIR/rejections.csv)"
    )
    load.add_argument(
        "--row-band",
        type=float,
        default=0.5,
        help="largest accepted change in a table's row count vs the live warehouse "
        "(0.5 = ±50%%; a negative value turns the check off)",
    )
    load.add_argument("--work-dir", type=Path, default=None, help="folder for the staging database")


def run(args: argparse.Namespace) -> int:
    """Run ``export`` or ``load`` from parsed arguments; returns the exit status."""
    warehouse = Warehouse.from_settings(args.url)
    if args.command == "export":
        from data_access.extracts.export import export_warehouse

        try:
            manifest = export_warehouse(
                warehouse,
                args.dir,
                args.format,
                encodings=dict(args.encoding),
                months=args.month or None,
            )
        except (WarehouseMissing, ValueError, UnicodeEncodeError) as exc:
            print(f"export failed: {exc}", file=sys.stderr)
            return 1
        print(json.dumps({"exported": str(args.dir), **manifest.to_json()}, ensure_ascii=False))
        return 0
    if args.command == "load":
        from data_access.extracts.load import ExtractRejected, load_extracts
        from data_access.refresh import DataTestFailed

        try:
            summary = load_extracts(
                warehouse,
                args.dir,
                args.mode,
                report=args.report,
                row_band=None if args.row_band < 0 else args.row_band,
                work_dir=args.work_dir,
            )
        except ExtractRejected as exc:
            print(str(exc), file=sys.stderr)
            return 1
        except DataTestFailed as exc:
            print(str(exc), file=sys.stderr)
            print(
                "The load was discarded; the previous warehouse version was kept.", file=sys.stderr
            )
            return 1
        print(json.dumps(summary, ensure_ascii=False))
        return 0
    return 2
