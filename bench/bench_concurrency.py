"""Bounded load test: concurrent browser sessions with different personas on one app server.

    python bench/bench_concurrency.py --customers 1000000 --months 24 --sessions 10 --seconds 300
    python bench/bench_concurrency.py --warehouse-url duckdb:///data/warehouse.duckdb --seconds 60

A benchmark, not a test (CI runs it tiny, to prove it works). One ``streamlit run`` serves the
app as in production; ``--sessions`` Chromium sessions (each its own browser, as separate users
are) sign in with the demo personas, in turn an executive, a branch head (each on another
branch), an analyst, and click through every page their role may open, round and round, until
``--seconds`` have passed. Every navigation is timed to fully rendered as
``bench/pagebench/browser_timing.py`` times it (the page's script has run and every chart has
drawn), so the figure is what a user waits for, rerun included.

Reported: renders, p50 / p95 / max latency per session and overall, the second and later visits
of a page on their own (the cache at work), Streamlit error boxes and failed navigations (must be
0), and crossings: a branch head's page showing the name of another session's branch (must be
0; the scope is applied in the data layer and is part of every cache key, so one user's cached
result must never reach another). JSON and Markdown to ``--out`` (``load-<N>x<M>-<backend>``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.pagebench import browser_timing, warehouses  # noqa: E402
from data_access.viewer import Viewer  # noqa: E402
from data_access.warehouse import Warehouse, WarehouseMissing  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results"
ROLES = ("executive", "branch_head", "analyst")
SIGN_IN_TIMEOUT_S = 600


@dataclass
class Session:
    """One simulated user: who signs in, where they land, what they click, what they saw."""

    number: int
    persona: str
    home: str
    pages: list[str]
    branch_label: str | None = None  # the branch head's entry in the sign-in picker
    branch_name: str | None = None  # their branch's English name, as pages show it
    latencies: list[float] = field(default_factory=list)
    warm_latencies: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    crossings: list[str] = field(default_factory=list)
    own_name_seen: int = 0


def _branches(warehouse: Warehouse, count: int) -> list[tuple[str, str]]:
    """``count`` branches with distinct English names: (sign-in label, branch name)."""
    engine = warehouse.reader()
    try:
        with engine.connect() as conn:
            warehouses.search_path(conn, warehouse)
            rows = conn.execute(
                sa.text(
                    "SELECT b.name_en, c.name_en FROM dim_branch b"
                    " JOIN dim_cooperative c USING (cooperative_id)"
                    " JOIN dim_staff s ON s.branch_id = b.branch_id AND s.role = 'branch_head'"
                    " ORDER BY b.branch_id"
                )
            ).all()
    finally:
        engine.dispose()
    chosen: list[tuple[str, str]] = []
    for name, cooperative in rows:
        # No name may contain another (a crossing is found by searching the page's text).
        if all(name not in other and other not in name for _, other in chosen):
            chosen.append((f"{name} · {cooperative}", name))
        if len(chosen) == count:
            break
    return chosen


def plan(warehouse: Warehouse, count: int) -> list[Session]:
    """``count`` sessions cycling through the personas; branch heads on different branches."""
    from ui.auth import may_open
    from ui.navigation import existing_pages, home_page

    heads = _branches(warehouse, sum(1 for i in range(count) if ROLES[i % 3] == "branch_head"))
    sessions = []
    for number in range(count):
        persona = ROLES[number % len(ROLES)]
        viewer = Viewer(f"load-{number}", persona)
        allowed = [key for _, key, _, _ in existing_pages() if may_open(viewer, key)]
        home = home_page(persona)
        home = home if home in allowed else allowed[0]
        session = Session(number, persona, home, [k for k in allowed if k != home] + [home])
        if persona == "branch_head":
            session.branch_label, session.branch_name = heads.pop(0)
        sessions.append(session)
    return sessions


def _check_crossings(session: Session, others: list[str], text: str, key: str) -> None:
    if session.branch_name is None:
        return
    if re.search(rf"\b{re.escape(session.branch_name)}\b", text):
        session.own_name_seen += 1
    for name in others:
        if re.search(rf"\b{re.escape(name)}\b", text):
            session.crossings.append(f"{key}: shows {name!r}")


def run_session(
    session: Session,
    others: list[str],
    base_url: str,
    chromium: str,
    start: threading.Barrier,
    window: dict[str, float],
) -> None:
    """Sign in, wait for every session to be signed in (``start``), then click page after page
    until ``window["until"]`` (perf_counter seconds, set when the last one got there)."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM_ARGS
    from tests.e2e.journey import errors

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        try:
            context = browser.new_context(viewport={"width": 1440, "height": 1000})
            context.set_default_timeout(browser_timing.RENDER_TIMEOUT_S * 1000)
            page = context.new_page()
            try:
                browser_timing.sign_in(page, base_url, session.persona, session.branch_label)
            except Exception as exc:
                session.errors.append(f"sign-in: {type(exc).__name__}: {str(exc)[:200]}")
                start.abort()  # the others would wait for this one for ever
                return
            try:
                start.wait(timeout=SIGN_IN_TIMEOUT_S)
            except threading.BrokenBarrierError:
                session.errors.append("another session could not sign in: no load window")
                return
            visited: set[str] = {session.home}
            turn = 0
            while time.perf_counter() < window["until"]:
                key = session.pages[turn % len(session.pages)]
                turn += 1
                started = time.perf_counter()
                try:
                    browser_timing.nav_link(page, base_url, key, session.home).click()
                    seconds = browser_timing.wait_rendered(page, key, session.home, started)
                except Exception as exc:  # a navigation that never rendered is an error
                    session.errors.append(f"{key}: {type(exc).__name__}: {str(exc)[:200]}")
                    continue
                session.latencies.append(seconds)
                if key in visited:
                    session.warm_latencies.append(seconds)
                visited.add(key)
                session.errors += [f"{key}: {text[:200]}" for text in errors(page)]
                _check_crossings(session, others, page.inner_text("body"), key)
        finally:
            browser.close()


def _percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def _summary(values: list[float]) -> dict:
    return {
        "renders": len(values),
        "p50_s": statistics.median(values) if values else None,
        "p95_s": _percentile(values, 0.95),
        "max_s": max(values) if values else None,
    }


def measure(warehouse: Warehouse, sessions: int, seconds: float, chromium: str) -> dict:
    """Run the sessions against one server; the result as written to JSON."""
    planned = plan(warehouse, sessions)
    names = [s.branch_name for s in planned if s.branch_name]
    with tempfile.TemporaryDirectory(prefix="pcrm-bench-load-") as folder:
        scratch = Path(folder)
        env = {
            "PCRM_WAREHOUSE_URL": warehouse.url,
            "PCRM_WAREHOUSE_SCHEMA": warehouse.pg_schema,
            "PCRM_APP_DB_URL": f"sqlite:///{scratch / 'app.sqlite'}",
        }
        with browser_timing.app_server(env, scratch / "streamlit.log") as (base_url, process):
            window: dict[str, float] = {}

            def open_window() -> None:
                window["started"] = time.perf_counter()
                window["until"] = window["started"] + seconds

            start = threading.Barrier(len(planned), action=open_window)
            threads = [
                threading.Thread(
                    target=run_session,
                    args=(
                        s,
                        [n for n in names if n != s.branch_name],
                        base_url,
                        chromium,
                        start,
                        window,
                    ),
                )
                for s in planned
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            elapsed = time.perf_counter() - window.get("started", time.perf_counter())
            memory = browser_timing.peak_memory_mb(process.pid)
        tracebacks = server_tracebacks((scratch / "streamlit.log").read_text(errors="replace"))
    every = [x for s in planned for x in s.latencies]
    warm = [x for s in planned for x in s.warm_latencies]
    return {
        "sessions": [
            {
                "number": s.number,
                "persona": s.persona,
                "branch": s.branch_name,
                **_summary(s.latencies),
                "warm": _summary(s.warm_latencies),
                "errors": s.errors,
                "crossings": s.crossings,
                "own_branch_seen_on_renders": s.own_name_seen,
            }
            for s in planned
        ],
        "overall": _summary(every),
        "warm": _summary(warm),
        "errors": sum(len(s.errors) for s in planned),
        "crossings": sum(len(s.crossings) for s in planned),
        "seconds": round(elapsed, 1),
        "server_memory_mb": memory,
        "server_tracebacks": tracebacks,
    }


def server_tracebacks(log: str) -> list[str]:
    """The distinct tracebacks in the server's log (a page's error box redacts its message)."""
    found: list[str] = []
    block: list[str] = []
    for line in log.splitlines():
        if line.startswith("Traceback"):
            block = [line]
        elif block:
            block.append(line)
            if line and not line.startswith((" ", "\t")):  # the exception line ends it
                text = "\n".join(block)
                if text not in found:
                    found.append(text)
                block = []
    return found


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def to_markdown(result: dict) -> str:
    meta = result["meta"]
    lines = [
        f"### Load test: {meta['sessions']} sessions for {meta['seconds']} s, "
        f"{meta['customers']:,} customers x {meta['months']} months, {meta['backend']}",
        "",
        f"Commit {meta['commit']}, {meta['measured_at']}. Latency = click to fully rendered "
        "in Chromium (seconds). Warm = second and later visits of a page in a session.",
        "",
        "| session | persona | branch | renders | p50 | p95 | max | warm p95 | errors | "
        "crossings |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for s in result["sessions"]:
        lines.append(
            f"| {s['number']} | {s['persona']} | {s['branch'] or '–'} | {s['renders']} | "
            f"{_fmt(s['p50_s'])} | {_fmt(s['p95_s'])} | {_fmt(s['max_s'])} | "
            f"{_fmt(s['warm']['p95_s'])} | {len(s['errors'])} | {len(s['crossings'])} |"
        )
    overall, warm = result["overall"], result["warm"]
    lines += [
        "",
        f"Overall: {overall['renders']} renders, p50 {_fmt(overall['p50_s'])} s, "
        f"p95 {_fmt(overall['p95_s'])} s, max {_fmt(overall['max_s'])} s; warm p95 "
        f"{_fmt(warm['p95_s'])} s. Errors: {result['errors']}. Crossings: "
        f"{result['crossings']}. Server peak memory {result['server_memory_mb'].get('VmHWM')} MB.",
        "",
    ]
    problems = [
        f"- session {s['number']} ({s['persona']}): {text}"
        for s in result["sessions"]
        for text in s["errors"] + s["crossings"]
    ]
    if problems:
        lines += ["Errors and crossings:", "", *problems, ""]
    for text in result.get("server_tracebacks", []):
        lines += ["Server traceback:", "", "```", text, "```", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--months", type=int, default=24)
    parser.add_argument(
        "--backend",
        choices=("duckdb", "postgresql"),
        default="duckdb",
        help="which bench warehouse of the size (built by bench_pages.py)",
    )
    parser.add_argument("--pg-url", default=warehouses.DEFAULT_PG_URL)
    parser.add_argument("--warehouse-url", help="measure this warehouse instead of the bench's")
    parser.add_argument("--pg-schema", default=None)
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    if args.warehouse_url:
        warehouse = (
            Warehouse(args.warehouse_url, args.pg_schema)
            if args.pg_schema
            else Warehouse(args.warehouse_url)
        )
    else:
        size = warehouses.Size(
            args.customers, args.months, warehouses.DEFAULT_SEED, warehouses.DEFAULT_AS_OF
        )
        if args.backend == "duckdb":
            warehouse = warehouses.duckdb_warehouse(size)
        else:
            warehouse = warehouses.pg_warehouse(size, args.pg_url)
        try:
            warehouse.version()
        except WarehouseMissing as exc:
            parser.error(
                f"{exc}: build it first with python bench/bench_pages.py --customers "
                f"{args.customers} --months {args.months} --backend {args.backend} --build-only"
            )
        warehouses.use_models(size)  # the churn model page shows the bench's model
    from bench.bench_pages import git_commit, warehouse_size

    customers, months = warehouse_size(warehouse)
    result = measure(warehouse, args.sessions, args.seconds, args.chromium)
    result["meta"] = {
        "customers": customers,
        "months": months,
        "backend": "duckdb" if warehouse.is_duckdb else "postgresql",
        "warehouse": warehouse.url,
        "sessions": args.sessions,
        "seconds": args.seconds,
        "commit": git_commit(),
        "measured_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average": os.getloadavg(),
    }
    args.out.mkdir(parents=True, exist_ok=True)
    stem = f"load-{customers}x{months}-{result['meta']['backend']}"
    (args.out / f"{stem}.json").write_text(json.dumps(result, indent=1, default=str))
    (args.out / f"{stem}.md").write_text(to_markdown(result))
    print(to_markdown(result))
    return 0 if result["errors"] == 0 and result["crossings"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
