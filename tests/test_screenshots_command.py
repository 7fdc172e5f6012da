"""``make screenshots`` (tests/e2e/screenshots.py): it pictures every page, under stable names,
and stays out of ``make test``."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e import screenshots

ROOT = Path(__file__).resolve().parent.parent


def test_the_command_pictures_every_page_in_both_languages() -> None:
    on_disk = {path.stem for path in (ROOT / "pages").glob("*.py")}
    assert set(screenshots.picture_pages()) == on_disk
    names = [
        screenshots.file_name(key, lang)
        for key in screenshots.picture_pages()
        for lang in screenshots.LANGS
    ]
    assert len(set(names)) == len(names) == 2 * len(on_disk)
    assert screenshots.file_name("overview", "en") == "overview.png"
    assert screenshots.file_name("overview", "zh", "-phone") == "overview-phone_zh.png"


def test_make_screenshots_runs_it_and_make_test_does_not_collect_it() -> None:
    makefile = (ROOT / "Makefile").read_text()
    target = re.search(r"^screenshots:.*\n((?:\t.*\n)+)", makefile, re.MULTILINE)
    assert target and "tests/e2e/screenshots.py" in target.group(1)
    # pytest collects test_*.py only: the file runs only when named on the command line.
    assert not Path(screenshots.__file__).name.startswith("test_")


def test_the_readme_shows_the_main_pages_in_both_languages() -> None:
    readme = (ROOT / "README.md").read_text()
    for key in ("overview", "trends", "watchlist", "customer", "targets"):
        for lang in screenshots.LANGS:
            name = screenshots.file_name(key, lang)
            assert f"docs/screenshots/{name}" in readme, name
            assert (ROOT / "docs" / "screenshots" / name).exists(), name
