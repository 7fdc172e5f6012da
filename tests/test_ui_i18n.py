"""ui/i18n.py: the catalogue is complete in both languages, and every key the code uses exists."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from analytics import rules
from catalogue import levels, metrics
from catalogue.roles import ROLES
from ui import auth, i18n
from ui.filters import ORG_LEVELS

ROOT = Path(__file__).resolve().parent.parent
# The code that shows labels. In the catalogues (ui/i18n.py, ui/strings/) only calls count.
CATALOGUE_FILES = {ROOT / "ui" / "i18n.py", *(ROOT / "ui" / "strings").glob("*.py")}
SOURCES = [
    ROOT / "app.py",
    *sorted((ROOT / "ui").rglob("*.py")),
    *sorted((ROOT / "pages").glob("*.py")),
]
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")  # CJK, its punctuation
KEY = re.compile(r"^[a-z]+\.[a-z0-9_]+$")


def _fields(text: str) -> set[str]:
    """The str.format placeholders of ``text`` (level markers, ``{@branch}``, are not: they are
    replaced before formatting and may differ between the languages, "branches" / 网点)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name and name[0] != "@"}


def test_known_answers() -> None:
    assert i18n.translate("kpi.customers", "en") == "Customers (all) 客户总数"
    assert i18n.translate("kpi.customers", "zh") == "客户总数"
    assert i18n.translate("stamp.as_of", "zh", month="2026年9月") == "数据截至2026年9月"
    assert i18n.translate("filter.window_option", "en", n=12) == "Last 12 months"


def test_a_missing_key_raises_instead_of_showing_the_key() -> None:
    with pytest.raises(i18n.MissingTranslation):
        i18n.translate("no.such_key", "en")
    with pytest.raises(KeyError):
        i18n.t("no.such_key")


def test_default_language_is_english_outside_streamlit() -> None:
    assert i18n.current_lang() == "en"
    assert i18n.t("sidebar.sign_out") == "Sign out"


@pytest.mark.parametrize("key", sorted(i18n.CATALOGUE))
def test_every_key_has_both_languages(key: str) -> None:
    entry = i18n.CATALOGUE[key]
    assert len(entry) == 2
    en, zh = entry
    assert en.strip() and zh.strip(), key
    assert _fields(en) == _fields(zh), f"{key}: placeholders differ between languages"
    if en != zh:  # symbols such as the dash are the same in both
        for model in levels.MODELS:
            assert CJK.search(levels.resolve(zh, "zh", model)), f"{key}: no Chinese ({model})"


def test_names_from_rules_and_roles_exist_in_both_languages() -> None:
    for item in (*rules.TIERS, *rules.ASSET_CLASSES, *ROLES.values()):
        assert i18n.name_of(item, "en") and CJK.search(i18n.name_of(item, "zh"))


def _strings(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if path in CATALOGUE_FILES:  # only the first argument of t(...) / translate(...)
        return [
            node.args[0].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Call)
            and getattr(node.func, "id", None) in {"t", "translate"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ]
    # The fixed parts of f-strings are key prefixes, not keys (their keys are DYNAMIC_KEYS).
    in_fstrings = {
        id(part)
        for node in ast.walk(tree)
        if isinstance(node, ast.JoinedStr)
        for part in node.values
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in in_fstrings
    ]


def _literal_keys() -> set[str]:
    """Every string literal in the UI code that looks like a catalogue key."""
    prefixes = {key.split(".")[0] for key in i18n.CATALOGUE}
    return {
        value
        for path in SOURCES
        for value in _strings(path)
        if KEY.match(value) and value.split(".")[0] in prefixes and not value.endswith(".py")
    }


def _dynamic_keys() -> set[str]:
    """Keys built with f-strings in the code: pages, organisation levels, KPI cards."""
    keys = set()
    for page in auth.PAGE_CAPABILITY:
        keys |= {f"page.{page}", f"page.{page}_help"}
    keys |= {f"filter.{level}" for level in ORG_LEVELS}
    for kpi in (m.code for m in metrics.HEADLINE_METRICS):
        keys |= {f"kpi.{kpi}", f"kpi.{kpi}_help"}
    return keys | i18n.DYNAMIC_KEYS


def test_every_key_used_in_the_code_exists() -> None:
    used = _literal_keys() | _dynamic_keys()
    assert len(used) > 40
    missing = sorted(used - set(i18n.CATALOGUE))
    assert not missing, f"keys used in the code but missing from the catalogue: {missing}"


def test_no_unused_keys() -> None:
    unused = sorted(set(i18n.CATALOGUE) - _literal_keys() - _dynamic_keys())
    assert not unused, f"catalogue keys no code uses (remove them or use them): {unused}"
