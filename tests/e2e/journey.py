"""Steps the browser journeys share: wait for Streamlit to settle, sign in, move between pages,
read metrics and tables, check for errors."""

from __future__ import annotations

import contextlib
import time
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ui import i18n

SETTLE_TIMEOUT_S = 45
RUN_START_MS = 700
ERROR_SELECTORS = ('[data-testid="stException"]', '[data-testid="stAlertContentError"]')


def settle(page, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until the script run has finished and the page has stopped changing.

    After a click the rerun starts a moment later: wait briefly for it to start, then for the
    app's script state to be ``notRunning`` with nothing stale or spinning for a short while.
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_s * 1000)
    # It may have finished already, or never needed to run.
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_selector('[data-test-script-state="running"]', timeout=RUN_START_MS)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_s * 1000
    )
    deadline = time.monotonic() + timeout_s
    quiet_since = None
    while time.monotonic() < deadline:
        running = page.locator('[data-testid="stStatusWidget"]').count() > 0
        spinning = page.locator('[data-testid="stSpinner"]').count() > 0
        stale = page.locator('[data-stale="true"]').count() > 0
        if running or spinning or stale:
            quiet_since = None
        elif quiet_since is None:
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since > 0.4:
            return
        time.sleep(0.1)
    raise TimeoutError("the app did not settle")


def errors(page) -> list[str]:
    """Text of every Streamlit exception or error box on the page."""
    found = []
    for selector in ERROR_SELECTORS:
        found += [text.strip() for text in page.locator(selector).all_inner_texts()]
    return found


def sign_in(page, base_url: str, persona: str, branch_label: str | None = None, path: str = ""):
    """Open ``base_url/path`` and sign in as a demo persona; returns the page.

    A demo sign-in lives in the Streamlit session: ``page.goto`` afterwards starts a new session
    (signed out). Move between pages with :func:`open_page`.
    """
    page.goto(f"{base_url}/{path}")
    settle(page)
    if persona == "branch_head" and branch_label is not None:
        picker = page.locator(".st-key-pcrm_signin_branch")
        picker.click()
        page.get_by_role("option", name=branch_label).click()
        settle(page)
    card = page.locator(f".st-key-pcrm_signin_{persona}")
    card.locator("button").click()
    # The sign-in page goes away once the rerun has signed in (a slow rerun may start late).
    card.wait_for(state="detached", timeout=SETTLE_TIMEOUT_S * 1000)
    settle(page)
    return page


def first_branch(page, base_url: str) -> str:
    """The label of the first branch the demo branch-head sign-in offers."""
    page.goto(base_url)
    settle(page)
    page.locator(".st-key-pcrm_signin_branch").click()
    label = page.get_by_role("option").first.inner_text()
    page.keyboard.press("Escape")
    return label


def open_page(page, key: str, lang: str = "en") -> None:
    """Open page ``key`` from the sidebar navigation (the session, and the sign-in, stay)."""
    title = i18n.translate(f"page.{key}", lang)
    nav = page.locator('[data-testid="stSidebarNav"]')
    link = nav.locator(f'a[data-testid="stSidebarNavLink"]:has(span[label="{title}"])')
    more = nav.locator('[data-testid="stSidebarNavViewButton"]')
    if link.count() == 0 and more.count() > 0:
        more.click()  # "View N more": the navigation shows the first pages only
        link.wait_for()
    href = link.get_attribute("href")
    link.click()
    wait_for_url(page, lambda url: url.split("?")[0] == href, f"the URL of {key} ({href})")
    settle(page)
    heading = page.locator("h1").filter(has_text=title)
    try:
        heading.first.wait_for(timeout=SETTLE_TIMEOUT_S * 1000)
    except PlaywrightTimeout:
        raise AssertionError(f"{key}: no title {title!r}; errors: {errors(page)}") from None


def wait_for_url(page, check, what: str, timeout_s: float = SETTLE_TIMEOUT_S) -> None:
    """Wait until ``check(page.url)`` holds (Streamlit rewrites the URL without navigating)."""
    deadline = time.monotonic() + timeout_s
    while not check(page.url):
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {timeout_s} s for {what}; the URL is {page.url}")
        page.wait_for_timeout(50)  # lets Playwright take in the URL change (time.sleep would not)


def query(page) -> dict[str, list[str]]:
    """The page URL's query parameters."""
    return parse_qs(urlparse(page.url).query)


def metrics(page) -> dict[str, str]:
    """Every ``st.metric`` on the page: label -> value as shown."""
    found = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        found[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return found


def around(page, *inside):
    """The innermost block (container, column, form) that holds every one of ``inside``
    (selectors or locators)."""
    block = page.locator('[data-testid="stVerticalBlock"]')
    for part in inside:
        block = block.filter(has=page.locator(part) if isinstance(part, str) else part)
    return block.last


def grid_rows(frame) -> list[list[str]]:
    """The rows a non-empty ``st.dataframe`` shows, header first (cells as text).

    The grid draws on a canvas, a moment after the script run; its accessible table (attached,
    never "visible") holds the rows in view.
    """
    frame.locator('[role="gridcell"]').first.wait_for(state="attached")
    rows = []
    for row in frame.locator('[role="row"]').all():
        cells = row.locator('[role="columnheader"], [role="gridcell"]').all_inner_texts()
        rows.append([cell.strip() for cell in cells])
    return rows


def nav_links(page) -> list[str]:
    """The page titles in the sidebar navigation (the icon's ligature name is the first line)."""
    return [
        text.strip().splitlines()[-1].strip()
        for text in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        if text.strip()
    ]


DOWNLOAD_TIMEOUT_MS = 20_000


def download(page, selector: str, attempts: int = 3):
    """Click the download button ``selector`` once the app is quiet; the Download.

    A download's audit reruns the app, and a click that lands during a rerun can be lost (seen
    on a loaded machine: the Excel button clicked right after the CSV one). Settle first, and
    click again if no download starts; fails after ``attempts`` clicks.
    """
    for attempt in range(attempts):
        settle(page)
        try:
            with page.expect_download(timeout=DOWNLOAD_TIMEOUT_MS) as started:
                page.locator(selector).click()
            return started.value
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")
