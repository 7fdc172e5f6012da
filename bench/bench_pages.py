"""Benchmark every page as every demo persona at a given warehouse size (not a test).

    python bench/bench_pages.py --customers 1000000 --months 24 --backend both

Builds (or reuses) data/bench/warehouse-<N>x<M>.duckdb and the PostgreSQL schema
bench_<N>x<M> on 127.0.0.1:5432 (database ``test``), both from the demo generator with the same
seed, then measures for each page a persona may open: the script run cold and warm (AppTest),
the time of every data-layer query, navigation to fully rendered in Chromium, and the app
server's peak memory. Writes bench/results/pages-<N>x<M>-<backend>.json and .md (medians of
``--repeats``). ``--summary`` then gathers every result in bench/results into the tables, ratios
and growth plot of docs/performance.md. See docs/performance.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pagebench import apptest_timing, report, warehouses  # noqa: E402
from bench.pagebench.querylog import QueryLog  # noqa: E402
from data_access.warehouse import Warehouse  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PERSONAS = ("executive", "branch_head", "analyst")


def _month(text: str) -> dt.date:
    return dt.datetime.strptime(text, "%Y-%m").date()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument("--seed", type=int, default=warehouses.DEFAULT_SEED)
    parser.add_argument("--as-of", type=_month, default=warehouses.DEFAULT_AS_OF, help="YYYY-MM")
    parser.add_argument("--backend", choices=("duckdb", "postgresql", "both"), default="both")
    parser.add_argument("--pg-url", default=warehouses.DEFAULT_PG_URL)
    parser.add_argument(
        "--pg-build",
        choices=("demo", "load"),
        default="demo",
        help="fill PostgreSQL by the generator, or by export+load of the DuckDB warehouse",
    )
    parser.add_argument("--warehouse-url", default=None, help="measure this warehouse as is")
    parser.add_argument("--pg-schema", default=None, help="schema of --warehouse-url on PG")
    parser.add_argument("--repeats", type=int, default=3, help="repeats per median")
    parser.add_argument("--pages", nargs="*", default=None, help="page keys (default: all)")
    parser.add_argument("--personas", nargs="*", default=list(PERSONAS), choices=PERSONAS)
    parser.add_argument("--no-browser", action="store_true", help="skip Chromium and memory")
    parser.add_argument(
        "--tabs", action="store_true", help="also time each page's other tabs (AppTest only)"
    )
    parser.add_argument("--no-apptest", action="store_true", help="browser and memory only")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--build-only", action="store_true", help="build warehouses, measure none")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--summary", action="store_true", help="write the summary of --out")
    return parser


def git_commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"


def warehouse_size(warehouse: Warehouse) -> tuple[int, int]:
    import sqlalchemy as sa

    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            warehouses.search_path(conn, warehouse)
            customers = conn.execute(sa.text("SELECT COUNT(*) FROM dim_customer")).scalar()
            months = conn.execute(sa.text("SELECT COUNT(*) FROM dim_month")).scalar()
    finally:
        engine.dispose()
    return int(customers), int(months)


def _targets(
    warehouse: Warehouse, page_keys: list[str] | None, personas: list[str], tabs: bool = False
):
    from ui.auth import may_open
    from ui.navigation import existing_pages

    viewers = warehouses.personas(warehouse)
    pages = [(path, key) for path, key, _, _ in existing_pages()]
    if page_keys:
        pages = [(path, key) for path, key in pages if key in page_keys]
    targets = []
    for persona in personas:
        for path, key in pages:
            if not may_open(viewers[persona], key):
                continue
            targets.append(apptest_timing.Target(path, key, persona, viewers[persona]))
            if tabs and key in apptest_timing.TABS:
                param, codes = apptest_timing.TABS[key]
                targets += [
                    apptest_timing.Target(path, key, persona, viewers[persona], (param, code))
                    for code in codes
                ]
    return targets


def _quiet_streamlit() -> None:
    """AppTest outside a server warns "missing ScriptRunContext" on each cache call: mute it."""
    for name in list(logging.root.manager.loggerDict):
        if name.startswith("streamlit"):
            logging.getLogger(name).setLevel(logging.ERROR)


def _browser_plan(targets: list) -> dict[str, tuple[str, list[str]]]:
    """Persona -> (the page sign-in lands on, as app.py picks it; the pages to visit)."""
    from ui.auth import may_open
    from ui.navigation import existing_pages, home_page

    plan: dict[str, tuple[str, list[str]]] = {}
    for target in (t for t in targets if t.tab is None):  # the browser clicks pages, not tabs
        if target.persona not in plan:
            allowed = [k for _, k, _, _ in existing_pages() if may_open(target.viewer, k)]
            home = home_page(target.viewer.role)
            plan[target.persona] = (home if home in allowed else allowed[0], [])
        plan[target.persona][1].append(target.page_key)
    return plan


def _use(warehouse: Warehouse, scratch: Path) -> dict[str, str]:
    """Point this process (AppTest) at ``warehouse`` and a scratch app store; return the env."""
    from data_access import app_store, query

    env = {
        "PCRM_WAREHOUSE_URL": warehouse.url,
        "PCRM_WAREHOUSE_SCHEMA": warehouse.pg_schema,
        "PCRM_APP_DB_URL": f"sqlite:///{scratch / 'app.sqlite'}",
    }
    os.environ.update(env)
    query.use_warehouse(None)
    app_store.dispose_engines()
    return env


def measure(warehouse: Warehouse, args: argparse.Namespace, build: dict) -> dict:
    """Every measurement of one warehouse; the result as written to JSON."""
    customers, months = warehouse_size(warehouse)
    backend = "duckdb" if warehouse.is_duckdb else "postgresql"
    targets = _targets(warehouse, args.pages, args.personas, args.tabs)
    log = QueryLog()
    with tempfile.TemporaryDirectory(prefix="pcrm-bench-pages-") as folder:
        scratch = Path(folder)
        env = _use(warehouse, scratch)
        runs = []
        if not args.no_apptest:
            apptest_timing.warm_up(targets[0])
            _quiet_streamlit()  # loggers made during the first run
        log.install()
        try:
            for target in [] if args.no_apptest else targets:
                started = time.perf_counter()
                runs.append(apptest_timing.measure(target, args.repeats, log))
                run = runs[-1]
                print(
                    f"[{backend} {customers}] {target.page_key:<22} {target.persona:<12} "
                    f"cold {run['cold_median_s']:.2f}s (cpu {run['cold_cpu_median_s']:.2f}) "
                    f"warm {run['warm_median_s']:.2f}s (cpu {run['warm_cpu_median_s']:.2f}) "
                    f"({time.perf_counter() - started:.0f}s)",
                    flush=True,
                )
        finally:
            log.remove()
        browser = None
        browser_error = None
        if not args.no_browser:
            from bench.pagebench import browser_timing

            plan = _browser_plan(targets)
            labels = {}
            if "branch_head" in plan:
                viewer = next(t.viewer for t in targets if t.persona == "branch_head")
                labels["branch_head"] = warehouses.branch_label(warehouse, viewer)
            try:
                browser = browser_timing.browse(
                    env | {"PCRM_APP_DB_URL": f"sqlite:///{scratch / 'app-server.sqlite'}"},
                    plan,
                    labels,
                    args.repeats,
                    args.chromium,
                    scratch / "streamlit.log",
                )
            except Exception as exc:  # keep the script timings of a long run
                browser_error = f"{type(exc).__name__}: {str(exc)[:500]}"
                print(f"browser measurement failed: {browser_error}", flush=True)
    records = log.warehouse_records()
    return {
        "meta": {
            "customers": customers,
            "months": months,
            "backend": backend,
            "warehouse": warehouse.url if warehouse.is_duckdb else warehouse.pg_schema,
            "build": build,
            "repeats": args.repeats,
            "commit": git_commit(),
            "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores",
            "load_average": os.getloadavg(),
        },
        "apptest": runs,
        "queries": report.query_summary(records),
        "slow_queries": sorted(records, key=lambda r: -r["seconds"])[:40],
        "browser": browser,
        "browser_error": browser_error,
    }


def _warehouses(args: argparse.Namespace, size: warehouses.Size) -> list[tuple[Warehouse, dict]]:
    if args.warehouse_url:
        return [(Warehouse(args.warehouse_url, args.pg_schema or "pcrm"), {"built": "given"})]
    chosen: list[tuple[Warehouse, dict]] = []
    duck = warehouses.duckdb_warehouse(size)
    if args.backend in ("duckdb", "both") or args.pg_build == "load":
        build = warehouses.ensure(duck, size)
        print(f"DuckDB {duck.path}: {build}", flush=True)
        if args.backend in ("duckdb", "both"):
            chosen.append((duck, build))
    if args.backend in ("postgresql", "both"):
        pg = warehouses.pg_warehouse(size, args.pg_url)
        build = warehouses.ensure(pg, size, source=duck if args.pg_build == "load" else None)
        print(f"PostgreSQL schema {pg.pg_schema}: {build}", flush=True)
        chosen.append((pg, build))
    return chosen


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _quiet_streamlit()
    if args.summary:
        from bench.pagebench import summary

        print(summary.write(args.out))
        return 0
    size = warehouses.Size(args.customers, args.months, args.seed, args.as_of)
    if not args.warehouse_url:
        warehouses.use_models(size)  # churn models trained with the bench warehouses
    for warehouse, build in _warehouses(args, size):
        if args.build_only:
            continue
        result = measure(warehouse, args, build)
        json_path, md_path = report.write(result, args.out)
        print(md_path.read_text())
        print(f"wrote {json_path} and {md_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
