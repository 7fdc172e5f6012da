"""Gather every page benchmark result into the tables and the growth plot of the docs.

Reads bench/results/pages-*.json and writes bench/results/summary.md (PostgreSQL vs DuckDB per
page, cost by size) plus docs/performance-growth.svg (drawn by hand: no kaleido or matplotlib
in the pinned environment) and docs/performance-growth.html (interactive plotly, plotly.js
from its CDN).
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path

from bench.pagebench import report

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
COLOURS = {"duckdb": "#0072B2", "postgresql": "#D55E00"}  # Okabe-Ito, colour-blind safe


def load(folder: Path) -> list[dict]:
    results = [json.loads(p.read_text()) for p in sorted(folder.glob("pages-*.json"))]
    return sorted(results, key=lambda r: (r["meta"]["customers"], r["meta"]["backend"]))


def _query_total(result: dict, page: str, persona: str) -> float:
    return sum(
        q["cold_median_s"]
        for q in result["queries"]
        if q["page"] == page and q["persona"] == persona
    )


def growth_points(results: list[dict]) -> list[dict]:
    """One point per result: size, backend, and the cost measures that are plotted."""
    points = []
    for result in results:
        # Pages as they open (first tab): runs with --tabs add tab rows that other sizes lack.
        runs = [r for r in result["apptest"] if ":" not in r["page"]]
        queries = [_query_total(result, r["page"], r["persona"]) for r in runs]
        memory = ((result.get("browser") or {}).get("server_memory_mb") or {}).get("VmHWM")
        points.append(
            {
                "customers": result["meta"]["customers"],
                "backend": result["meta"]["backend"],
                "cold_median": statistics.median(r["cold_median_s"] for r in runs),
                "cold_max": max(r["cold_median_s"] for r in runs),
                "cold_cpu_median": statistics.median(r.get("cold_cpu_median_s") or 0 for r in runs),
                "warm_median": statistics.median(r["warm_median_s"] for r in runs),
                "query_median": statistics.median(queries),
                "query_max": max(queries),
                "memory_mb": memory,
            }
        )
    return points


def _fmt(value: float | None, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def ratio_table(results: list[dict]) -> list[str]:
    """Per size: each page and persona on both backends, cold and warm, and the ratio."""
    lines: list[str] = []
    by_size: dict[int, dict[str, dict]] = {}
    for result in results:
        by_size.setdefault(result["meta"]["customers"], {})[result["meta"]["backend"]] = result
    for customers, backends in sorted(by_size.items()):
        if {"duckdb", "postgresql"} - set(backends):
            continue
        duck = {(r["page"], r["persona"]): r for r in backends["duckdb"]["apptest"]}
        pg = {(r["page"], r["persona"]): r for r in backends["postgresql"]["apptest"]}
        lines += [
            f"#### PostgreSQL vs DuckDB at {customers:,} customers (script run, cold, seconds)",
            "",
            "| page | persona | DuckDB | PostgreSQL | ratio | DuckDB queries | PG queries "
            f"| ratio < {report.PG_RATIO_TARGET:.0f} |",
            "|---|---|---:|---:|---:|---:|---:|---|",
        ]
        for key in sorted(duck.keys() & pg.keys()):
            d, p = duck[key]["cold_median_s"], pg[key]["cold_median_s"]
            ratio = p / d if d else None
            dq = _query_total(backends["duckdb"], *key)
            pq = _query_total(backends["postgresql"], *key)
            verdict = "–" if ratio is None else ("pass" if ratio <= 3 else "**FAIL**")
            lines.append(
                f"| {key[0]} | {key[1]} | {d:.2f} | {p:.2f} | {_fmt(ratio, 1)} "
                f"| {dq:.2f} | {pq:.2f} | {verdict} |"
            )
        lines.append("")
    return lines


def growth_table(points: list[dict]) -> list[str]:
    lines = [
        "| customers | backend | script cold, median page | slowest page | CPU cold, median "
        "| warm, median | queries per page, median | slowest page's queries | server peak MB |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for p in points:
        lines.append(
            f"| {p['customers']:,} | {p['backend']} | {p['cold_median']:.2f} | "
            f"{p['cold_max']:.2f} | {p['cold_cpu_median']:.2f} | {p['warm_median']:.2f} | "
            f"{p['query_median']:.2f} | {p['query_max']:.2f} | {_fmt(p['memory_mb'], 0)} |"
        )
    return lines


def svg(points: list[dict], width: int = 720, height: int = 400) -> str:
    """Seconds against customers (both axes log): median page and slowest page, per backend."""
    import math

    left, right, top, bottom = 70, 190, 30, 50
    xs = sorted({p["customers"] for p in points})
    values = [v for p in points for v in (p["cold_median"], p["cold_max"], p["query_max"]) if v > 0]
    if not xs or not values:
        return ""
    x_lo, x_hi = math.log10(min(xs)) - 0.15, math.log10(max(xs)) + 0.15
    y_lo = math.floor(math.log10(min(values)))
    y_hi = math.ceil(math.log10(max(values)))
    y_hi = y_hi if y_hi > y_lo else y_lo + 1

    def px(x: float) -> float:
        return left + (math.log10(x) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def py(y: float) -> float:
        return top + (y_hi - math.log10(y)) / (y_hi - y_lo) * (height - top - bottom)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        'font-family="sans-serif" font-size="12">',
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="18" font-size="14">Page cost by warehouse size '
        "(cold script run and its queries, seconds, log scales)</text>",
    ]
    for exp in range(y_lo, y_hi + 1):
        y = py(10**exp)
        parts.append(
            f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end">{10**exp:g}</text>'
        )
    for x in xs:
        parts.append(
            f'<line x1="{px(x):.1f}" x2="{px(x):.1f}" y1="{top}" y2="{height - bottom}" '
            f'stroke="#eee"/><text x="{px(x):.1f}" y="{height - bottom + 18}" '
            f'text-anchor="middle">{x:,}</text>'
        )
    parts.append(
        f'<text x="{(left + width - right) / 2}" y="{height - 10}" text-anchor="middle">'
        "customers (x 24 months)</text>"
    )
    series = [
        ("cold_median", "median page", ""),
        ("cold_max", "slowest page", "6,4"),
        ("query_max", "slowest page's queries", "2,3"),
    ]
    legend_y = top + 10
    for backend, colour in COLOURS.items():
        mine = sorted((p for p in points if p["backend"] == backend), key=lambda p: p["customers"])
        if not mine:
            continue
        for field, label, dash in series:
            coords = " ".join(
                f"{px(p['customers']):.1f},{py(max(p[field], 10**y_lo)):.1f}" for p in mine
            )
            parts.append(
                f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2" '
                f'stroke-dasharray="{dash}"/>'
            )
            parts += [
                f'<circle cx="{px(p["customers"]):.1f}" cy="{py(max(p[field], 10**y_lo)):.1f}" '
                f'r="3" fill="{colour}"/>'
                for p in mine
            ]
            lx = width - right + 12
            parts.append(
                f'<line x1="{lx}" x2="{lx + 24}" y1="{legend_y}" y2="{legend_y}" '
                f'stroke="{colour}" stroke-width="2" stroke-dasharray="{dash}"/>'
                f'<text x="{lx + 30}" y="{legend_y + 4}">{backend}: {label}</text>'
            )
            legend_y += 18
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def plotly_html(points: list[dict]) -> str:
    import plotly.graph_objects as go

    figure = go.Figure()
    for backend, colour in COLOURS.items():
        mine = sorted((p for p in points if p["backend"] == backend), key=lambda p: p["customers"])
        for field, label, dash in (
            ("cold_median", "median page", "solid"),
            ("cold_max", "slowest page", "dash"),
            ("query_max", "slowest page's queries", "dot"),
        ):
            figure.add_trace(
                go.Scatter(
                    x=[p["customers"] for p in mine],
                    y=[p[field] for p in mine],
                    name=f"{backend}: {label}",
                    mode="lines+markers",
                    line={"color": colour, "dash": dash},
                )
            )
    figure.update_layout(
        title="Page cost by warehouse size (cold script run, seconds)",
        xaxis={"type": "log", "title": "customers (x 24 months)"},
        yaxis={"type": "log", "title": "seconds"},
        template="plotly_white",
    )
    return figure.to_html(include_plotlyjs="cdn", full_html=True)


def write(folder: Path, docs: Path = DOCS) -> Path:
    """Write summary.md in ``folder`` and the plot files in ``docs``; return summary.md."""
    results = load(folder)
    points = growth_points(results)
    lines = ["## Cost by size", "", *growth_table(points), "", *ratio_table(results)]
    path = folder / "summary.md"
    path.write_text("\n".join(lines) + "\n")
    if points:
        (docs / "performance-growth.svg").write_text(svg(points))
        (docs / "performance-growth.html").write_text(plotly_html(points))
    return path
