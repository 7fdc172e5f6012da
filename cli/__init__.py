"""The project's one command line: ``python -m cli COMMAND ...``; ``python -m cli --help`` lists
every command.

Each command is implemented where it belongs and only gathered here: building the warehouse
(``demo``, ``refresh``: data_access.warehouse_cli), extracts (``export``, ``load``:
data_access.extracts.cli), accounts (``users``: data_access.users_cli), the app store
(``migrate``, ``audit``, ``app-store``: data_access.app_store_admin), the churn model's jobs
(``churn``: data_access.churn_cli) and the monthly branch report, which renders with ui
(``branch-report``: cli.branch_report). This package is the top layer: nothing imports it.
"""

from __future__ import annotations

import argparse
import sys
from types import ModuleType

from cli import branch_report
from data_access import app_store_admin, churn_cli, settings, users_cli, warehouse_cli
from data_access.extracts import cli as extracts_cli

# In the order --help lists them: each module has COMMANDS, add_subcommands(...) and run(args).
MODULES: tuple[ModuleType, ...] = (
    warehouse_cli,
    extracts_cli,
    app_store_admin,
    users_cli,
    churn_cli,
    branch_report,
)


def build_parser() -> argparse.ArgumentParser:
    """The parser of every command of the project."""
    parser = argparse.ArgumentParser(
        prog="python -m cli", description="PCRM dashboard: the command line (see README)."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in MODULES:
        module.add_subcommands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the process's arguments); its exit status (2 for
    a setting that cannot be used)."""
    args = build_parser().parse_args(argv)
    for module in MODULES:
        if args.command in module.COMMANDS:
            try:
                return module.run(args)
            except settings.SettingsError as exc:
                print(f"error: {exc}", file=sys.stderr)
                return 2
    raise AssertionError(f"no module runs {args.command!r}")  # every parser has its module


__all__ = ["MODULES", "build_parser", "main"]
