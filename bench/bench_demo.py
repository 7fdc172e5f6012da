"""Benchmark the demo generator: wall seconds and peak memory of one build (not a test).

    python bench/bench_demo.py --customers 1000000 --months 24

Builds into a temporary DuckDB file (deleted afterwards, or kept at ``--keep PATH`` for the page
benchmark: data/bench/warehouse-<N>x<M>.duckdb) and prints one JSON line with the
build's summary, wall seconds and peak RSS in MB (this process and its children). The target
is 1,000,000 customers x 24 months in under 3 minutes and 6 GB on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from data_access.demo import build_demo  # noqa: E402
from data_access.warehouse import Warehouse  # noqa: E402


def _peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux.
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--as-of",
        type=dt.date.fromisoformat,
        default=None,
        help="last month, YYYY-MM-01 (default: previous complete month)",
    )
    parser.add_argument("--progress", action="store_true", help="show progress bars")
    parser.add_argument(
        "--churn",
        action="store_true",
        help="train the churn model in the build, as `python -m cli demo` does",
    )
    parser.add_argument("--keep", type=Path, default=None, help="move the warehouse here after")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="pcrm-bench-") as folder:
        path = Path(folder) / "warehouse.duckdb"
        started = time.perf_counter()
        summary = build_demo(
            Warehouse(f"duckdb:///{path}"),
            customers=args.customers,
            months=args.months,
            seed=args.seed,
            as_of=args.as_of,
            progress=args.progress,
            train_churn=args.churn,
        )
        seconds = round(time.perf_counter() - started, 1)
        size_mb = round(path.stat().st_size / 2**20, 1)
        if args.keep is not None:
            args.keep.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(path, args.keep)
    print(
        json.dumps(
            {
                "bench": "demo",
                "customers": args.customers,
                "months": args.months,
                "wall_seconds": seconds,
                "peak_rss_mb": _peak_rss_mb(),
                "file_mb": size_mb,
                "rows": summary["rows"],
                "seconds_generate": summary["seconds_generate"],
                "churn_trained": args.churn,
                "summary": {k: v for k, v in summary.items() if k != "rows"},
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
