"""``python -m cli churn train|score|backtest|evaluate``: the churn model's jobs (docs/churn.md).

- ``train``: fit on the latest labelled cut-offs, validate out of time, save model + metadata;
- ``score``: write ``mart_churn_score`` for the latest month as a new warehouse version;
- ``backtest``: rolling-origin evaluation of the model, the logistic baseline and the rule; the
  last line printed is one JSON object;
- ``evaluate``: the same modelling approach on any labelled CSV; the last line is one JSON object.

The warehouse work itself is in ``data_access.churn_jobs``, the modelling in
``analytics.churn``; this module parses arguments and prints. Progress goes to stdout as plain
lines, so ``| tail -n 1`` gives the JSON. Errors go to stderr with exit status 2 (bad input) or 1
(a failure while running).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

from analytics.churn import artifacts, model, tabular
from data_access import churn_jobs as jobs
from data_access.warehouse import Warehouse, WarehouseMissing

COMMANDS = frozenset({"churn"})


def _month(text: str) -> dt.date:
    try:
        return dt.datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"expected a month as YYYY-MM, got {text!r}") from exc


def _say(message: str) -> None:
    print(message, flush=True)


def add_subcommands(subcommands: argparse._SubParsersAction) -> None:
    """Add ``churn`` and its actions to the main parser's subcommands."""
    churn = subcommands.add_parser(
        "churn",
        help="churn early warning: train, score, backtest, evaluate a CSV (docs/churn.md)",
        description="Churn early warning: train, score, backtest, evaluate a CSV.",
    )
    commands = churn.add_subparsers(dest="churn_action", required=True)

    def warehouse_args(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--url", default=None, help="warehouse SQLAlchemy URL (default: settings)")

    def model_dir_arg(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--model-dir",
            default=None,
            help=f"models folder (default: ${artifacts.MODEL_DIR_ENV} or data/models)",
        )

    train = commands.add_parser("train", help="train on the warehouse and save the model")
    warehouse_args(train)
    model_dir_arg(train)
    train.add_argument("--as-of", type=_month, default=None, help="use data up to YYYY-MM")
    train.add_argument("--train-cutoffs", type=int, default=model.TRAIN_CUTOFFS)
    train.add_argument("--max-rows", type=int, default=model.MAX_TRAIN_ROWS)
    train.add_argument("--no-validate", action="store_true", help="skip out-of-time validation")

    score = commands.add_parser("score", help="score customers into mart_churn_score")
    warehouse_args(score)
    model_dir_arg(score)
    score.add_argument("--month", type=_month, default=None, help="scoring month (default: last)")
    score.add_argument("--version", default=None, help="model version (default: latest)")
    score.add_argument(
        "--months", type=int, default=1, help="also score this many months up to --month"
    )

    backtest = commands.add_parser("backtest", help="rolling-origin evaluation, one JSON line")
    warehouse_args(backtest)
    model_dir_arg(backtest)
    backtest.add_argument("--origins", type=int, default=artifacts.BACKTEST_ORIGINS)
    backtest.add_argument("--train-cutoffs", type=int, default=model.TRAIN_CUTOFFS)
    backtest.add_argument("--max-rows", type=int, default=model.MAX_TRAIN_ROWS)

    evaluate = commands.add_parser("evaluate", help="cross-validate on a labelled CSV table")
    evaluate.add_argument("--csv", required=True, help="the table (CSV, UTF-8 or GBK)")
    evaluate.add_argument("--label", required=True, help="the label column")
    evaluate.add_argument("--id", dest="id_column", default=None, help="an id column to drop")
    evaluate.add_argument("--positive", default=None, help="label value meaning churned")
    evaluate.add_argument("--folds", type=int, default=5)
    evaluate.add_argument("--seed", type=int, default=0)


def execute(args: argparse.Namespace) -> dict:
    """Run the churn action ``args`` name; its summary."""
    if args.churn_action == "evaluate":
        return tabular.evaluate_csv(
            args.csv,
            args.label,
            id_column=args.id_column,
            positive=args.positive,
            folds=args.folds,
            random_state=args.seed,
            progress=_say,
        )
    warehouse = Warehouse.from_settings(args.url)
    if args.churn_action == "train":
        return jobs.train(
            warehouse,
            args.model_dir,
            as_of=args.as_of,
            train_cutoffs=args.train_cutoffs,
            max_rows=args.max_rows,
            validate=not args.no_validate,
            progress=_say,
        )
    if args.churn_action == "score":
        return jobs.score(
            warehouse,
            args.model_dir,
            month=args.month,
            months=args.months,
            version=args.version,
            progress=_say,
        )
    return jobs.backtest(
        warehouse,
        origins=args.origins,
        train_cutoffs=args.train_cutoffs,
        max_rows=args.max_rows,
        models=args.model_dir,
        progress=_say,
    )


def run(args: argparse.Namespace) -> int:
    try:
        result = execute(args)
    except tabular.TableError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (WarehouseMissing, FileNotFoundError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(json.dumps(result, default=str, ensure_ascii=False), flush=True)
    return 0


__all__ = ["COMMANDS", "add_subcommands", "execute", "run"]
