"""The levels of the organisation and their names under each organisation model (组织架构).

A province's rural credit system is organised in one of two ways, and staff name the four levels
of the app's hierarchy after the one they work in:

- ``union``: a provincial union of rural credit cooperatives (省联社) with prefecture offices
  (市州办事处) over county cooperatives (县级行社, each a legal entity) and their branches (网点);
- ``bank``: one provincial rural commercial bank after the merger (as the demo province in 2026):
  head office (总行), branches (分行) per prefecture, sub-branches (支行) per county and outlets
  (网点).

The data keeps one set of codes for the levels (``province``, ``prefecture``, ``cooperative``,
``branch``: the columns ``prefecture_id``, ``cooperative_id``, ``branch_id``); only the names
change. The model is the ``org_model`` setting (``data_access.settings``).

This is the one home of the level names. Labels (``ui/strings``, ``catalogue.roles``) never
write a level's name: they write a marker that :func:`resolve` replaces by the name under the
model in use, in the label's language:

- ``{@branch}`` the name, ``{@branches}`` the plural (English; the same in Chinese);
- ``{@Branch}``, ``{@Branches}`` with a capital first letter;
- ``{@a branch}`` with its English article ("a branch", "an outlet"), ``{@A branch}`` at the
  start of a sentence;
- ``{@branch:zh}`` the Chinese name, in an English label that shows the Chinese term beside
  the English one;
- ``{@branch:about}`` what the level is, one sentence (the glossary).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Mapping

LEVELS: tuple[str, ...] = ("province", "prefecture", "cooperative", "branch")
MODELS: tuple[str, ...] = ("union", "bank")
# The model of most provinces and the one the product has used so far: existing links, exports
# and reports keep their headers. A merged province sets org_model = "bank" (README).
DEFAULT_MODEL = "union"


@dataclasses.dataclass(frozen=True)
class LevelName:
    """One level's name under one model."""

    en: str  # lower case, singular: "county cooperative"
    en_plural: str
    zh: str
    about_en: str  # what the level is (the glossary)
    about_zh: str

    @property
    def article(self) -> str:
        return "an" if self.en[0] in "aeiou" else "a"


MODEL_NAMES: dict[str, tuple[str, str]] = {
    "union": ("Provincial union of rural credit cooperatives", "省农村信用社联合社"),
    "bank": ("Provincial rural commercial bank", "省农村商业银行"),
}

NAMES: dict[str, dict[str, LevelName]] = {
    "union": {
        "province": LevelName(
            "provincial union",
            "provincial unions",
            "省联社",
            "The provincial rural credit union at the top of the hierarchy; it runs the shared "
            "systems and sets policy for the county cooperatives.",
            "省农村信用社联合社，位于体系顶层，负责统一的系统建设并为各县级行社制定政策。",
        ),
        "prefecture": LevelName(
            "prefecture office",
            "prefecture offices",
            "市州办事处",
            "The provincial union's office for one prefecture; it oversees the county "
            "cooperatives there.",
            "省联社在各市州的派出机构（办事处／审计中心），管理辖内县级行社。",
        ),
        "cooperative": LevelName(
            "county cooperative",
            "county cooperatives",
            "县级行社",
            "A rural commercial bank or rural credit cooperative union of one county: a legal "
            "entity with its own branches.",
            "县域农商银行或农村信用联社，独立法人，下辖若干网点。",
        ),
        "branch": LevelName(
            "branch",
            "branches",
            "网点",
            "An outlet of a county cooperative (支行, 分社, 营业部).",
            "县级行社的营业网点（支行、分社、营业部）。",
        ),
    },
    "bank": {
        "province": LevelName(
            "head office",
            "head offices",
            "总行",
            "The head office of the provincial rural commercial bank formed when the union and "
            "its county cooperatives merged into one legal entity; it runs the shared systems "
            "and sets policy.",
            "全省农信机构合并组建的省级农村商业银行总行，为唯一法人，负责统一的系统建设和经营政策。",
        ),
        "prefecture": LevelName(
            "branch",
            "branches",
            "分行",
            "The bank's branch for one prefecture (分行); it oversees the sub-branches there.",
            "省农商银行在各市州设立的分行，管理辖内支行。",
        ),
        "cooperative": LevelName(
            "sub-branch",
            "sub-branches",
            "支行",
            "The bank's sub-branch for one county (支行), formerly a county cooperative; no "
            "longer a legal entity of its own.",
            "省农商银行在县域设立的支行（原县级行社），不再是独立法人。",
        ),
        "branch": LevelName(
            "outlet",
            "outlets",
            "网点",
            "A business outlet of a sub-branch (营业网点: 分理处, 营业部).",
            "支行下辖的营业网点（分理处、营业部等）。",
        ),
    },
}

# The marker words: singular and plural of each level code.
_WORDS: dict[str, tuple[str, bool]] = {
    "province": ("province", False),
    "provinces": ("province", True),
    "prefecture": ("prefecture", False),
    "prefectures": ("prefecture", True),
    "cooperative": ("cooperative", False),
    "cooperatives": ("cooperative", True),
    "branch": ("branch", False),
    "branches": ("branch", True),
}
MARKER = re.compile(r"\{@([Aa] )?([A-Za-z]+)(:zh|:about)?\}")


class UnknownModel(ValueError):
    """An organisation model that is not one of :data:`MODELS`."""


def names(model: str) -> Mapping[str, LevelName]:
    """The names of the four levels under ``model``."""
    try:
        return NAMES[model]
    except KeyError:
        raise UnknownModel(
            f"unknown organisation model {model!r}; expected one of {MODELS}"
        ) from None


def name(level: str, lang: str, model: str, *, plural: bool = False) -> str:
    """The name of ``level`` in ``lang`` under ``model`` (English lower case)."""
    entry = names(model)[level]
    if lang == "zh":
        return entry.zh
    return entry.en_plural if plural else entry.en


def _replace(match: re.Match, lang: str, model: str) -> str:
    article, word, suffix = match.groups()
    try:
        level, plural = _WORDS[word.lower()]
    except KeyError:
        raise ValueError(f"unknown level marker {match.group(0)!r}") from None
    entry = names(model)[level]
    if suffix == ":about":
        return entry.about_zh if lang == "zh" else entry.about_en
    if suffix == ":zh" or lang == "zh":
        return entry.zh
    text = entry.en_plural if plural else entry.en
    if word[0].isupper():
        text = text[0].upper() + text[1:]
    if article:
        text = f"{entry.article.capitalize() if article[0] == 'A' else entry.article} {text}"
    return text


def resolve(text: str, lang: str, model: str) -> str:
    """``text`` with every level marker replaced by the name under ``model`` in ``lang``."""
    if "{@" not in text:
        return text
    return _resolved(text, lang, model)


@functools.lru_cache(maxsize=8192)  # labels are few and fixed: each is resolved once per model
def _resolved(text: str, lang: str, model: str) -> str:
    return MARKER.sub(lambda m: _replace(m, lang, model), text)


def markers(text: str) -> list[str]:
    """The level markers in ``text`` (for checks)."""
    return [m.group(0) for m in MARKER.finditer(text)]


# Every way a level is written, under both models and in both languages, for the check that no
# label writes one itself (tests/test_levels.py). English "branch" names a level under both
# models, so it is listed once.
def written_names() -> frozenset[str]:
    found: set[str] = set()
    for model in MODELS:
        for entry in NAMES[model].values():
            found |= {entry.en, entry.en_plural, entry.zh}
    return frozenset(found)


__all__ = [
    "DEFAULT_MODEL",
    "LEVELS",
    "MODELS",
    "MODEL_NAMES",
    "NAMES",
    "LevelName",
    "UnknownModel",
    "markers",
    "name",
    "names",
    "resolve",
    "written_names",
]
