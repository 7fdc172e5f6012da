"""Script run time of each page per persona, cold and warm, through the real app shell.

The app runs in this process under ``streamlit.testing.v1.AppTest``, signed in by placing the
demo persona's :class:`Viewer` in the session (what the sign-in button does), on the page chosen
with ``switch_page``. A run is the whole rerun a user waits for: app.py (version check, sidebar
filters, navigation) plus the page.

- cold: ``st.cache_data`` cleared and a fresh session, so every query runs; the warehouse engine
  stays open (a running server has it open already), the installed components are scanned once
  (as a server does at start) and the database's own caches stay warm;
- warm: the same session rerun with nothing changed, so every cached read is a hit.
"""

from __future__ import annotations

import functools
import resource
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import streamlit as st
from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

from bench.pagebench.querylog import QueryLog
from data_access.viewer import Viewer

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
RUN_TIMEOUT_S = 300


# The tabs that do not open by default, per page: (query parameter, tab codes). Only the open
# tab runs (ui.page_params.lazy_tabs), so each is a run of its own; ``--tabs`` measures them.
TABS: dict[str, tuple[str, tuple[str, ...]]] = {
    "trends": ("trends_tab", ("change", "rankings", "seasonality", "deposits", "vip")),
    "segments": ("seg_tab", ("groups", "suitability", "spending")),
    "scorecards": ("sc_tab", ("service", "upload")),
    "migration": ("mig_tab", ("sankey",)),
    "cross_sell": ("xsell_tab", ("next_best", "employers")),
    "watchlist": ("wl_tab", ("followup",)),
}


@dataclass(frozen=True)
class Target:
    """One page (or one of its tabs: ``tab`` = (query parameter, code)) as one persona."""

    page_path: str
    page: str
    persona: str
    viewer: Viewer
    tab: tuple[str, str] | None = None

    @property
    def page_key(self) -> str:
        """``page`` or ``page:tab`` in the results."""
        return f"{self.page}:{self.tab[1]}" if self.tab else self.page


def _problems(at: AppTest, target: Target) -> list[str]:
    found = [str(e.value)[:300] for e in at.exception]
    found += [f"error box: {str(e.value)[:200]}" for e in at.error]
    if target.tab:
        param, code = target.tab
        shown = at.query_params.get(param)
        if (shown[0] if isinstance(shown, list) and shown else shown) != code:
            found.append(f"tab {code!r} did not open (URL has {param}={shown!r})")
    return found


@functools.cache
def _components() -> BidiComponentManager:
    """Installed custom components, scanned once, as a server does when it starts.

    Every new AppTest otherwise scans the manifests of all installed packages on its first run
    (0.15-0.17 s here), which no user's rerun ever waits for; each cold run of earlier results
    (before 2026-12-04's third session) includes it.
    """
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def _new_session(target: Target) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=RUN_TIMEOUT_S)
    at._bidi_component_manager = _components()  # streamlit 1.67 (pinned): what run() checks
    at.session_state["pcrm_viewer"] = target.viewer
    if target.tab:
        param, code = target.tab
        at.query_params[param] = code
    at.switch_page(target.page_path)
    return at


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed_run(at: AppTest) -> tuple[float, float]:
    """Wall seconds of one run, and the CPU seconds this process spent on it (all threads).

    On a busy shared machine the wall time includes waiting for a core; the CPU time does not
    (but counts DuckDB's parallel threads once each), so both are kept.
    """
    cpu = _cpu_seconds()
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started, _cpu_seconds() - cpu


def warm_up(target: Target) -> None:
    """One untimed run: imports of page modules and first connections happen once per process."""
    _new_session(target).run()


def measure(target: Target, repeats: int, log: QueryLog) -> dict:
    """Medians over ``repeats`` cold runs (each a fresh session) and ``repeats`` warm reruns."""
    cold: list[float] = []
    warm: list[float] = []
    cold_cpu: list[float] = []
    warm_cpu: list[float] = []
    problems: list[str] = []
    tags = {"page": target.page_key, "persona": target.persona}
    for repeat in range(repeats):
        st.cache_data.clear()
        at = _new_session(target)
        with log.phase(**tags, phase="cold", repeat=repeat):
            wall, cpu = _timed_run(at)
        cold.append(wall)
        cold_cpu.append(cpu)
        problems += _problems(at, target)
        with log.phase(**tags, phase="warm", repeat=repeat):
            wall, cpu = _timed_run(at)
        warm.append(wall)
        warm_cpu.append(cpu)
        problems += _problems(at, target)
    return {
        "page": target.page_key,
        "persona": target.persona,
        "cold_s": cold,
        "warm_s": warm,
        "cold_median_s": statistics.median(cold),
        "warm_median_s": statistics.median(warm),
        "cold_cpu_median_s": statistics.median(cold_cpu),
        "warm_cpu_median_s": statistics.median(warm_cpu),
        "problems": sorted(set(problems)),
    }
