"""Benchmark (not a test): train the churn model on N customers and score them.

Targets (docs/performance.md): 1,000,000 customers train in under 2 minutes and score in under
30 seconds on the 2-core reference machine. Builds a seeded demo warehouse of the requested size
in a scratch folder (or uses ``--url``), then times ``train`` (reading, features and labels
for every cut-off, out-of-time validation, the final fit, saving) and ``score`` (reading,
features, prediction, reasons, writing mart_churn_score and swapping the new version in).
Prints one JSON line with the timings, the machine's load and the validation metrics.

    python bench/bench_churn.py --customers 1000000 --months 24
    python bench/bench_churn.py --url duckdb:////tmp/w.duckdb   # an existing warehouse
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_access import churn_jobs as jobs  # noqa: E402
from data_access.warehouse import Warehouse  # noqa: E402

TRAIN_TARGET_S = 120.0
SCORE_TARGET_S = 30.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=200_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--url", default=None, help="use this warehouse instead of building one")
    parser.add_argument("--workdir", default=None, help="scratch folder (default: a temp dir)")
    parser.add_argument("--no-validate", action="store_true", help="train without validation")
    args = parser.parse_args(argv)

    scratch = Path(args.workdir or tempfile.mkdtemp(prefix="bench-churn-"))
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        return _run(args, scratch)
    finally:
        if not args.workdir:
            shutil.rmtree(scratch, ignore_errors=True)


def _run(args: argparse.Namespace, scratch: Path) -> int:
    result: dict = {"bench": "churn", "cpus": os.cpu_count(), "load_before": os.getloadavg()}
    if args.url:
        warehouse = Warehouse(args.url)
    else:
        from data_access.demo import build_demo

        warehouse = Warehouse(f"duckdb:///{scratch / 'warehouse.duckdb'}")
        started = time.perf_counter()
        build_demo(
            warehouse,
            customers=args.customers,
            months=args.months,
            seed=args.seed,
            as_of=dt.date(2026, 10, 1),
            progress=False,
        )
        result["demo_build_s"] = round(time.perf_counter() - started, 1)
        result["customers"] = args.customers
        result["months"] = args.months

    models = scratch / "models"
    started = time.perf_counter()
    meta = jobs.train(
        warehouse, models, validate=not args.no_validate, compare=False, progress=_stderr
    )
    result["train_s"] = round(time.perf_counter() - started, 1)
    result["train_fit_s"] = meta["fit_seconds"]
    result["train_rows"] = meta["n_train"]
    started = time.perf_counter()
    summary = jobs.score(warehouse, models, progress=_stderr)
    result["score_s"] = round(time.perf_counter() - started, 1)
    result["score_parts_s"] = summary["seconds"]
    result["scored"] = summary["scored"]
    result["load_after"] = os.getloadavg()
    result["max_rss_gb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e6, 1)
    if meta.get("metrics"):
        result["validation"] = {
            k: meta["metrics"]["model"][k] for k in ("roc_auc", "pr_auc", "capture_at_10pct")
        }
    result["train_target_met"] = result["train_s"] < TRAIN_TARGET_S
    result["score_target_met"] = result["score_s"] < SCORE_TARGET_S
    print(json.dumps(result))
    return 0


def _stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
