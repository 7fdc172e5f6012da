"""Pictures of every page in English and 简体中文 for docs/screenshots/ (``make screenshots``).

Not a test and not part of ``make test``: the file name does not match ``test_*.py``, so pytest
collects it only when it is named on the command line. It reuses the browser tests' server and
Chromium (tests/e2e/conftest.py) with a scratch app store, but on the configured warehouse
(``PCRM_WAREHOUSE_URL``, secrets or data/warehouse.duckdb: the default demo that ``make run``
shows, which ``make screenshots`` builds when it is missing), not on the tests' small demo. The
demo executive opens every page it may open through the sidebar, first in English then in
Chinese; the Users page, which only an administrator may open, is taken last by a local
administrator account (an account in the app store withdraws the demo personas). Names are
stable: ``<page>.png`` and ``<page>_zh.png`` (desktop, 1440 wide, at most ``MAX_HEIGHT`` tall),
``signin[_zh].png`` and ``overview-phone[_zh].png`` (390 x 844). Each picture is reduced to a
256-colour palette (Pillow) to keep docs/screenshots/ small.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from data_access.warehouse import Warehouse
from tests.e2e.conftest import CHROMIUM_ARGS, DOC_SHOTS
from tests.e2e.journey import errors, open_page, settle, sign_in
from ui.navigation import existing_pages

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1440, "height": 1000}
PHONE = {"width": 390, "height": 844}
MAX_HEIGHT = 2200  # px of a desktop picture; the top of a long page is what the docs need
ADMIN_USER = "shots-admin"
ADMIN_PASSWORD = "screenshots-only-Passw0rd!"  # a scratch app store, dropped after the run
LANGS = ("en", "zh")


# The warehouse pictured: `make screenshots` sets it to the configured warehouse (the tests'
# settings are isolated from the environment, so the URL comes in under its own name).
WAREHOUSE_ENV = "PCRM_SHOTS_WAREHOUSE_URL"


@pytest.fixture(scope="session")
def demo_duckdb() -> Warehouse:
    """The warehouse pictured (overrides the tests' small demo for the browser tests' server):
    the configured one, so the pictures show a realistic slice at real branch size."""
    url = os.environ.get(WAREHOUSE_ENV)
    if not url:
        pytest.fail(f"{WAREHOUSE_ENV} is not set: run `make screenshots`")
    return Warehouse(url)


def picture_pages() -> list[str]:
    """The page keys pictured: every page of the navigation (pages/)."""
    return [key for _, key, _, _ in existing_pages()]


def file_name(key: str, lang: str, suffix: str = "") -> str:
    return f"{key}{suffix}{'' if lang == 'en' else '_' + lang}.png"


def shoot(page, name: str, *, full: bool = True) -> Path:
    """Save the page (its top ``MAX_HEIGHT`` px when ``full``) as ``docs/screenshots/<name>``,
    reduced to a 256-colour palette."""
    from PIL import Image

    DOC_SHOTS.mkdir(parents=True, exist_ok=True)
    path = DOC_SHOTS / name
    page.mouse.move(0, 0)  # no hover label over a chart
    if full:
        height = page.evaluate(
            "Math.max(...[...document.querySelectorAll('section, [data-testid=stMain]')]"
            ".map(e => e.scrollHeight), document.body.scrollHeight)"
        )
        width = page.viewport_size["width"]
        clip = {"x": 0, "y": 0, "width": width, "height": min(height, MAX_HEIGHT)}
        page.set_viewport_size({"width": width, "height": clip["height"]})
        settle(page)
        page.screenshot(path=str(path), clip=clip)
        page.set_viewport_size(DESKTOP)
    else:
        page.screenshot(path=str(path))
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)
    return path


def _switch_language(page, lang: str) -> None:
    page.locator(".st-key-pcrm_lang_switch").get_by_text(
        "简体中文" if lang == "zh" else "English"
    ).click()
    settle(page)


def test_every_page_in_both_languages(
    app_server: str, server_app_store: str, chromium_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    from data_access import auth_store
    from ui.auth import page_roles

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        context = browser.new_context(viewport=DESKTOP)
        context.set_default_timeout(45_000)
        page = context.new_page()
        for lang in LANGS:
            page.goto(f"{app_server}/?lang={lang}")
            settle(page)
            shoot(page, file_name("signin", lang))

        sign_in(page, app_server, "executive")
        executive_pages = [k for k in picture_pages() if "executive" in page_roles(k)]
        for lang in LANGS:
            if lang != "en":
                _switch_language(page, lang)
            for key in executive_pages:
                open_page(page, key, lang)
                assert errors(page) == [], f"{key} ({lang}): {errors(page)}"
                shoot(page, file_name(key, lang))

        phone = browser.new_context(viewport=PHONE).new_page()
        for lang in LANGS:
            sign_in(phone, app_server, "executive", path=f"?lang={lang}")
            shoot(phone, file_name("overview", lang, "-phone"), full=False)
        phone.context.close()

        # Only an administrator opens Users; a local account ends the demo personas, so last.
        auth_store.add_user(
            ADMIN_USER,
            "Administrator",
            "admin",
            actor="screenshots",
            password=ADMIN_PASSWORD,
            url=server_app_store,
        )
        for lang in LANGS:
            admin = browser.new_context(viewport=DESKTOP).new_page()
            admin.goto(f"{app_server}/?lang={lang}")
            settle(admin)
            admin.locator(".st-key-pcrm_login_user input").fill(ADMIN_USER)
            admin.locator(".st-key-pcrm_login_password input").fill(ADMIN_PASSWORD)
            admin.locator(".st-key-pcrm_login_submit button").click()
            settle(admin)
            for key in picture_pages():
                if key not in executive_pages and "admin" in page_roles(key):
                    open_page(admin, key, lang)
                    assert errors(admin) == [], f"{key} ({lang}): {errors(admin)}"
                    shoot(admin, file_name(key, lang))
            admin.context.close()
        browser.close()
