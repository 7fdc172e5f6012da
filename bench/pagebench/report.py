"""Medians, targets and ratios; the JSON result, the Markdown tables and the growth plot.

Targets (issue 10, at 1,000,000 customers x 24 months on the 2-core machine, medians): script
run under 1.0 s cold and 0.2 s warm, browser render under 2 s, PostgreSQL no more than 3x
DuckDB on any page, the app process under 1.5 GB.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from pathlib import Path

COLD_TARGET_S = 1.0
WARM_TARGET_S = 0.2
BROWSER_TARGET_S = 2.0
PG_RATIO_TARGET = 3.0
MEMORY_TARGET_MB = 1536.0


def query_summary(records: list[dict]) -> list[dict]:
    """Per page, persona and function: calls per cold run and the median seconds per cold run.

    A function's time in one run is the sum of its queries in that run; the median is over the
    repeats. Warm runs are summarised by their query count (ideally only the version check).
    """
    per_run: dict[tuple, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    warm_calls: dict[tuple, int] = defaultdict(int)
    repeats: dict[tuple, set] = defaultdict(set)
    for r in records:
        if "page" not in r:
            continue
        key = (r["page"], r["persona"], r["function"])
        if r["phase"] == "cold":
            per_run[key][r["repeat"]].append(r["seconds"])
            repeats[key[:2]].add(r["repeat"])
        else:
            warm_calls[key] += 1
    out = []
    for key in sorted(set(per_run) | set(warm_calls)):
        runs = per_run.get(key, {})
        n_runs = max(len(repeats[key[:2]]), 1)
        totals = [sum(runs.get(rep, [])) for rep in sorted(repeats[key[:2]])] or [0.0]
        out.append(
            {
                "page": key[0],
                "persona": key[1],
                "function": key[2],
                "cold_calls_per_run": sum(len(v) for v in runs.values()) / n_runs,
                "cold_median_s": statistics.median(totals),
                "warm_calls_per_run": warm_calls.get(key, 0) / n_runs,
            }
        )
    return out


def slowest_query(queries: list[dict], page: str, persona: str) -> dict | None:
    mine = [q for q in queries if q["page"] == page and q["persona"] == persona]
    return max(mine, key=lambda q: q["cold_median_s"], default=None)


def _fmt(seconds: float | None) -> str:
    return "–" if seconds is None else f"{seconds:.2f}"


def _mark(value: float | None, target: float) -> str:
    if value is None:
        return "–"
    return "pass" if value < target else "**FAIL**"


def rows(result: dict) -> list[dict]:
    """One row per page and persona: script, browser, slowest query, and pass/fail marks."""
    browser = (result.get("browser") or {}).get("pages", {})
    out = []
    runs = result["apptest"] or [
        {"page": page, "persona": persona, "cold_median_s": None, "warm_median_s": None,
         "problems": []}
        for persona, pages in browser.items()
        for page in pages
    ]  # fmt: skip
    for run in runs:
        page, persona = run["page"], run["persona"]
        seen = browser.get(persona, {}).get(page, {})
        slow = slowest_query(result["queries"], page, persona)
        out.append(
            {
                "page": page,
                "persona": persona,
                "cold": run["cold_median_s"],
                "warm": run["warm_median_s"],
                "cold_cpu": run.get("cold_cpu_median_s"),
                "warm_cpu": run.get("warm_cpu_median_s"),
                "browser_cold": seen.get("cold_s"),
                "browser_warm": seen.get("warm_median_s"),
                "slowest": slow,
                "problems": run["problems"] + seen.get("errors", []),
            }
        )
    return out


def markdown(result: dict) -> str:
    """The run's table: medians in seconds, pass/fail against the issue's targets."""
    meta = result["meta"]
    lines = [
        f"### {meta['customers']:,} customers x {meta['months']} months, {meta['backend']}",
        "",
        f"Medians of {meta['repeats']} repeats (seconds); commit {meta['commit']}, "
        f"{meta['measured_at']}. Targets: script cold < {COLD_TARGET_S} s, warm < "
        f"{WARM_TARGET_S} s, browser < {BROWSER_TARGET_S} s (warm median; cold = first visit). "
        "CPU = CPU seconds of the benchmark process during the run (the machine is shared: wall "
        "time includes waiting for a core).",
        "",
        "| page | persona | script cold | script warm | CPU cold | CPU warm | browser cold "
        "| browser warm | slowest query (cold) | cold | warm | browser |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|---|---|---|",
    ]
    for row in rows(result):
        slow = row["slowest"]
        slow_text = (
            f"`{slow['function'].removeprefix('data_access.')}` {slow['cold_median_s']:.2f}"
            if slow
            else "–"
        )
        lines.append(
            f"| {row['page']} | {row['persona']} | {_fmt(row['cold'])} | {_fmt(row['warm'])} "
            f"| {_fmt(row['cold_cpu'])} | {_fmt(row['warm_cpu'])} "
            f"| {_fmt(row['browser_cold'])} | {_fmt(row['browser_warm'])} | {slow_text} "
            f"| {_mark(row['cold'], COLD_TARGET_S)} | {_mark(row['warm'], WARM_TARGET_S)} "
            f"| {_mark(row['browser_warm'], BROWSER_TARGET_S)} |"
        )
    memory = (result.get("browser") or {}).get("server_memory_mb")
    if memory:
        peak = memory.get("VmHWM")
        lines += [
            "",
            f"App server peak memory (VmHWM after every persona visited every page): "
            f"{peak:.0f} MB ({_mark(peak, MEMORY_TARGET_MB)} against {MEMORY_TARGET_MB:.0f} MB).",
        ]
    if result.get("browser_error"):
        lines += ["", f"The browser measurement failed: {result['browser_error']}"]
    problems = [(r["page"], r["persona"], p) for r in rows(result) for p in r["problems"]]
    if problems:
        lines += ["", "Problems seen:"] + [f"- {pg} / {who}: {p}" for pg, who, p in problems]
    return "\n".join(lines) + "\n"


def write(result: dict, folder: Path) -> tuple[Path, Path]:
    """``pages-<N>x<M>-<backend>.json`` and ``.md`` in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    meta = result["meta"]
    stem = f"pages-{meta['customers']}x{meta['months']}-{meta['backend']}"
    json_path, md_path = folder / f"{stem}.json", folder / f"{stem}.md"
    json_path.write_text(json.dumps(result, indent=1, default=str))
    md_path.write_text(markdown(result))
    return json_path, md_path
