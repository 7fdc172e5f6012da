"""The real app in a real browser: a Streamlit server on a free port, Debian's Chromium.

The server is started once per session on the small demo warehouse of ``tests/conftest.py`` and
a scratch app store, and stopped at the end. Screenshots go to ``test-output/screenshots/``;
with ``PCRM_UPDATE_SCREENSHOTS=1`` the journeys' pictures (not the page-by-page ones) also
refresh ``docs/screenshots/``.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from data_access.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "test-output" / "screenshots"
DOC_SHOTS = ROOT / "docs" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
START_TIMEOUT_S = 60


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(base_url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{base_url}/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"streamlit did not answer in {START_TIMEOUT_S} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def server_scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The app server's folder: its log and its app store."""
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="session")
def server_app_store(server_scratch: Path) -> str:
    """The URL of the app server's app store (users, contacts, audit log)."""
    return f"sqlite:///{server_scratch / 'app.sqlite'}"


@pytest.fixture(scope="session")
def app_server(
    demo_duckdb: Warehouse, chromium_path: Path, server_scratch: Path, server_app_store: str
) -> Iterator[str]:
    """Base URL of the app served by a real ``streamlit run`` on 127.0.0.1."""
    scratch = server_scratch
    port = free_port()
    log = scratch / "streamlit.log"
    env = os.environ | {
        "PCRM_WAREHOUSE_URL": demo_duckdb.url,
        "PCRM_APP_DB_URL": server_app_store,
        "PYTHONPATH": str(ROOT),
    }
    command = [
        sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base_url, process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser) -> Iterator[object]:
    """A fresh browser profile (own cookies, own Streamlit session) per test."""
    ctx = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    ctx.set_default_timeout(30_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context) -> object:
    return context.new_page()


def screenshot(page, name: str, docs: bool = True) -> Path:
    """Keep a full-page picture as test output (and in docs/ when asked to refresh them, unless
    ``docs`` is false: a picture for debugging, not for the documentation)."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    if docs and os.environ.get("PCRM_UPDATE_SCREENSHOTS") == "1":
        DOC_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, DOC_SHOTS / path.name)
    return path
