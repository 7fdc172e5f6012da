"""The organisation's level names: one home (catalogue.levels), two models (union, bank), both
languages; no label writes a level's name itself."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from catalogue import codes, levels
from catalogue.roles import ROLES, Capability
from ui import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_markers_resolve_per_model_and_language() -> None:
    text = "{@A branch} of {@a cooperative} in {@Prefectures} ({@branch:zh}) of the {@province}"
    assert levels.resolve(text, "en", "union") == (
        "A branch of a county cooperative in Prefecture offices (网点) of the provincial union"
    )
    assert levels.resolve(text, "en", "bank") == (
        "An outlet of a sub-branch in Branches (网点) of the head office"
    )
    assert levels.resolve(
        "{@branch}负责人·{@cooperative}·{@prefecture}·{@province}", "zh", "bank"
    ) == ("网点负责人·支行·分行·总行")
    assert levels.resolve("{@Cooperatives}", "zh", "union") == "县级行社"
    assert (
        levels.resolve("{@branch:about}", "zh", "bank") == levels.NAMES["bank"]["branch"].about_zh
    )
    assert levels.resolve("no marker {branch}", "en", "bank") == "no marker {branch}"
    with pytest.raises(ValueError, match="unknown level marker"):
        levels.resolve("{@county}", "en", "union")
    with pytest.raises(levels.UnknownModel):
        levels.resolve("{@branch}", "en", "cooperative")


def test_each_model_names_every_level_in_both_languages() -> None:
    assert levels.DEFAULT_MODEL in levels.MODELS
    for model in levels.MODELS:
        assert tuple(levels.names(model)) == levels.LEVELS
        for level in levels.LEVELS:
            for lang in ("en", "zh"):
                assert levels.name(level, lang, model)
    assert [levels.name(v, "zh", "union") for v in levels.LEVELS] == [
        "省联社",
        "市州办事处",
        "县级行社",
        "网点",
    ]
    assert [levels.name(v, "zh", "bank") for v in levels.LEVELS] == ["总行", "分行", "支行", "网点"]


def _without_markers(text: str) -> str:
    text = levels.MARKER.sub(" ", text)
    text = re.sub(r"\{[a-z_]+\}", " ", text)  # str.format placeholders such as {branch}
    return re.sub(r"`[^`]*`", " ", text)  # column names and commands: branch_id, branch-report


def _written_level(text: str) -> str | None:
    """The first level name ``text`` writes itself, if any."""
    text = _without_markers(text)
    for name in sorted(levels.written_names(), key=len, reverse=True):
        if re.search(r"[\u4e00-\u9fff]", name):
            if name in text:
                return name
        elif re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text, re.IGNORECASE):
            return name
    return None


def test_no_label_names_a_level_itself() -> None:
    """Every label of ui/strings/ and ui/i18n.py, every role and code name: a level is named
    only through a marker, so both models show their own names everywhere."""
    labels = {f"label {key}": entry for key, entry in i18n.CATALOGUE.items()}
    labels |= {f"role {code}": (r.name_en, r.name_zh) for code, r in ROLES.items()}
    labels |= {f"capability {c}": (c.name_en, c.name_zh) for c in Capability}
    for code_list in codes.CODE_LISTS.values():
        labels |= {f"code {code_list.name}.{c.code}": (c.name_en, c.name_zh) for c in code_list}
    found = {
        where: written
        for where, entry in labels.items()
        for text in entry
        if (written := _written_level(text))
    }
    assert found == {}


def test_no_string_file_or_page_writes_a_chinese_level_name() -> None:
    """The same, on the source: no string literal of ui/, pages/ or cli/ holds a Chinese level
    name (English "branch" is also an identifier there, so the catalogue check above covers
    English)."""
    chinese = [n for n in levels.written_names() if re.search(r"[\u4e00-\u9fff]", n)]
    found = []
    for folder in ("ui", "pages", "cli"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr)}
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and id(node) not in docstrings
                ):
                    written = [n for n in chinese if n in _without_markers(node.value)]
                    if written:
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} {written}")
    assert found == []


def test_the_checks_would_catch_a_written_name() -> None:
    assert _written_level("All branches 全辖") == "branches"
    assert _written_level("受检网点数") == "网点"
    assert _written_level("the Sub-branch manager") == "sub-branch"
    assert _written_level("{@Branches} inspected, `branch_id`, {branch}") is None


def test_labels_read_the_setting_once_not_per_label(monkeypatch: pytest.MonkeyPatch) -> None:
    """A page translates thousands of labels; reading the settings costs tens of microseconds
    each time. The environment variable decides at once when it changes."""
    from data_access import settings

    reads = []
    real = settings.org_model
    monkeypatch.setattr(settings, "org_model", lambda: reads.append(1) or real())
    monkeypatch.setattr(i18n, "_models", {})
    monkeypatch.setenv("PCRM_ORG_MODEL", "bank")
    for _ in range(500):
        assert i18n.translate("filter.branch", "en") == "Outlet 网点"
        assert i18n.translate("kpi.customers", "zh") == "客户总数"  # no marker: no model needed
    assert len(reads) == 1
    monkeypatch.setenv("PCRM_ORG_MODEL", "union")
    assert i18n.translate("filter.branch", "en") == "Branch 网点"
    assert len(reads) == 2
