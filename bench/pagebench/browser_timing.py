"""Navigation to fully rendered in Chromium, and the app server's peak memory.

A real ``streamlit run`` serves the app (started as the browser tests start it: free port on
127.0.0.1, Debian's Chromium with the arguments of tests/e2e/conftest.py). For each persona a
fresh browser profile signs in on the demo screen, then clicks each page in the sidebar: the
first visit of every page is cold for that persona's cache entries, the later rounds warm.

"Fully rendered" is the first instant, after the click, at which the page is on the new
address, the script state is ``notRunning``, nothing is stale or spinning, and every plotly chart
has drawn its SVG; it must then stay so for ``QUIET_S`` (as ``tests/e2e/journey.settle``
waits), but the time recorded is the instant it got there, not the end of the quiet wait.
Polling every ``POLL_S`` bounds the error of one measurement.

Peak memory is ``VmHWM`` of the server process (/proc/<pid>/status) after every persona has
visited every page: the high-water mark of its resident set over the whole run.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from tests.e2e.conftest import CHROMIUM_ARGS, _wait_healthy, free_port
from tests.e2e.journey import errors, settle

ROOT = Path(__file__).resolve().parents[2]
POLL_S = 0.025
QUIET_S = 0.4
RENDER_TIMEOUT_S = 120
_STATE_JS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const plots = document.querySelectorAll('[data-testid="stPlotlyChart"]');
  let drawn = 0;
  plots.forEach((p) => { if (p.querySelector('.main-svg')) drawn += 1; });
  return {
    state: app ? app.getAttribute('data-test-script-state') : null,
    stale: document.querySelectorAll('[data-stale="true"]').length,
    busy: document.querySelectorAll(
      '[data-testid="stStatusWidget"], [data-testid="stSpinner"]').length,
    plots: plots.length, drawn: drawn, path: location.pathname,
  };
}"""


def peak_memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak) and VmRSS (now) of a process, in MB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in {"VmHWM", "VmRSS"}:
            values[name] = round(int(rest.split()[0]) / 1024, 1)
    return values


@contextlib.contextmanager
def app_server(env: dict[str, str], log_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    """A ``streamlit run app.py`` on a free port with ``env``; stopped (by its pid) at the end."""
    port = free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    full_env = os.environ | {"PYTHONPATH": str(ROOT)} | env
    with log_path.open("w") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process, log_path)
        yield base_url, process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def _on_page(path: str, key: str, home: str) -> bool:
    """The default (home) page lives at the root address, every other page at ``/<key>``."""
    path = path.rstrip("/")
    return path.endswith(f"/{key}") or (key == home and path in {"", "/" + home})


def _rendered(state: dict, key: str, home: str) -> bool:
    return (
        _on_page(state["path"], key, home)
        and state["state"] == "notRunning"
        and state["stale"] == 0
        and state["busy"] == 0
        and state["drawn"] == state["plots"]
    )


def wait_rendered(page, key: str, home: str, started: float) -> float:
    """Seconds from ``started`` until ``key`` is fully rendered (and then stays quiet)."""
    deadline = started + RENDER_TIMEOUT_S
    seen_running = False
    done_at: float | None = None
    while time.perf_counter() < deadline:
        state = page.evaluate(_STATE_JS)
        now = time.perf_counter()
        seen_running = seen_running or state["state"] == "running" or state["stale"] > 0
        # A run that ends between two polls is never seen running: accept it after a while.
        if _rendered(state, key, home) and (seen_running or now - started > 1.0):
            done_at = done_at or now
            if now - done_at >= QUIET_S:
                return done_at - started
        else:
            done_at = None
        time.sleep(POLL_S)
    raise TimeoutError(f"page {key} did not render in {RENDER_TIMEOUT_S} s")


def nav_link(page, base_url: str, key: str, home: str):
    nav = '[data-testid="stSidebarNav"]'
    if key == home:
        link = page.locator(f'{nav} a[href="{base_url}/"], {nav} a[href="{base_url}"]')
    else:
        link = page.locator(f'{nav} a[href$="/{key}"]')
    if link.count() == 0 or not link.first.is_visible():
        more = page.locator('[data-testid="stSidebarNavViewButton"]')
        if more.count():
            more.first.click()
    return link.first


def sign_in(page, base_url: str, persona: str, branch_label: str | None) -> None:
    """Sign in on the demo screen; the branch head picks ``branch_label`` by typing it."""
    page.goto(base_url)
    settle(page)
    if persona == "branch_head" and branch_label:
        # Into the picker's own search box (it waits until the box takes input): keys typed at
        # the page while a loaded server was still drawing it went nowhere, and of 1,111
        # branches the unfiltered list only draws the first few.
        search = page.locator(".st-key-pcrm_signin_branch input")
        search.click()
        search.fill(branch_label)
        page.get_by_role("option", name=branch_label).first.click()
    page.locator(f".st-key-pcrm_signin_{persona} button").click()
    settle(page)


def visit_pages(page, base_url: str, keys: list[str], home: str, rounds: int) -> dict[str, dict]:
    """Click every page ``rounds`` + 1 times: the first visit is cold, the rest warm.

    Sign-in lands on ``home``, so it is visited last in each round (a click on the page already
    shown would not run anything). With one page only, the home page is clicked in between.
    """
    order = [key for key in keys if key != home] + [key for key in keys if key == home]
    out: dict[str, dict] = {key: {"cold_s": None, "warm_s": [], "errors": []} for key in keys}
    for round_no in range(rounds + 1):
        for key in order:
            if len(order) == 1 and round_no > 0:
                nav_link(page, base_url, home, home).click()
                wait_rendered(page, home, home, time.perf_counter())
            started = time.perf_counter()
            nav_link(page, base_url, key, home).click()
            seconds = wait_rendered(page, key, home, started)
            if round_no == 0:
                out[key]["cold_s"] = seconds
            else:
                out[key]["warm_s"].append(seconds)
            out[key]["errors"] = sorted(set(out[key]["errors"]) | set(errors(page)))
    for entry in out.values():
        warm = entry["warm_s"]
        entry["warm_median_s"] = statistics.median(warm) if warm else None
    return out


def browse(
    env: dict[str, str],
    plan: dict[str, tuple[str, list[str]]],
    labels: dict[str, str],
    rounds: int,
    chromium: str,
    log_path: Path,
) -> dict:
    """Every persona in ``plan`` (persona -> home page, page keys) visits its pages.

    Returns the timings per persona and page, and the server's memory at the end.
    """
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with app_server(env, log_path) as (base_url, process), sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS, headless=True
        )
        try:
            for persona, (home, keys) in plan.items():
                context = browser.new_context(viewport={"width": 1440, "height": 1000})
                context.set_default_timeout(RENDER_TIMEOUT_S * 1000)
                page = context.new_page()
                sign_in(page, base_url, persona, labels.get(persona))
                results[persona] = visit_pages(page, base_url, keys, home, rounds)
                context.close()
        finally:
            browser.close()
        memory = peak_memory_mb(process.pid)
    return {"pages": results, "server_memory_mb": memory}
