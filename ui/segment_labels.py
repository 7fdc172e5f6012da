"""Labels for segment codes (tiers, occupations, age bands, groups...) and the segment filters.

The segment filters (multi-select on every dimension) live in the URL like the global filters
(``?seg_occupation=farmer&seg_age_band=25_34``), so an analyst's combination can be bookmarked
and shared; codes, never names, so a link works in either language.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from analytics import rules
from analytics import segment_rules as sr
from catalogue import codes
from catalogue.codes import CodeList
from data_access.segments import FILTER_FIELDS, SegmentFilters
from ui.i18n import current_lang, name_of, t

PRODUCT_CATEGORIES: tuple[str, ...] = codes.PRODUCT_CATEGORY.codes
# Dimensions whose codes are named by a code list.
_NAMED: dict[str, CodeList] = {
    "occupation": codes.OCCUPATION,
    "industry": codes.INDUSTRY_CLASS,
    "branch_type": codes.BRANCH_TYPE,
}
# Dimensions whose codes are labelled by ``seg.<word>_<code>`` keys.
_PREFIXED = {"age_band": "age", "gender": "gender", "risk_grade": "risk", "channel": "channel"}


def options(dimension: str) -> tuple[str, ...]:
    """Codes of a dimension in their natural order."""
    if dimension == "tier":
        return rules.TIER_CODES
    if dimension in _NAMED:
        listed = _NAMED[dimension].codes
        return (*listed, "unknown") if dimension == "industry" else listed
    return {
        "age_band": tuple(code for code, _, _ in sr.AGE_BANDS),
        "gender": sr.GENDERS,
        "risk_grade": (*rules.RISK_GRADES, rules.RISK_UNASSESSED),
        "channel": sr.CHANNEL_CLASSES,
    }[dimension]


def label(dimension: str, code: object, lang: str | None = None) -> str:
    """The name of one code of ``dimension`` in the current language."""
    lang = lang or current_lang()
    code = str(code)
    if dimension == "tier":
        if code in codes.TIER:
            return codes.TIER[code].name(lang)
        return t("mig.left") if code == sr.LEFT_CODE else t("mig.new")
    if dimension in _NAMED:
        named = _NAMED[dimension]
        return name_of(named[code], lang) if code in named else t("seg.unknown")
    if dimension in _PREFIXED and code in options(dimension):
        return coded("seg", _PREFIXED[dimension], code)
    return code


def coded(area: str, group: str, code: object, suffix: str = "") -> str:
    """The label ``<area>.<group>_<code>[_<suffix>]`` (keys listed in the catalogue's
    ``DYNAMIC_KEYS``)."""
    key = f"{area}.{group}_{code}" + (f"_{suffix}" if suffix else "")
    return t(key)


def dimension_name(dimension: str) -> str:
    return coded("seg", "dim", dimension)


def product_name(category: str) -> str:
    return coded("seg", "product", category) if category in PRODUCT_CATEGORIES else category


def group_name(parts: Sequence[object]) -> str:
    """A group's plain-words name from ``analytics.clustering.group_names`` parts."""
    age, channel, role, ordinal = parts
    name = t(
        "seg.group_name",
        age=coded("seg", "word", age),
        channel=coded("seg", "word", channel),
        role=coded("seg", "word", role),
    )
    return t("seg.group_name_nth", name=name, n=ordinal) if ordinal else name


# ------------------------------------------------------------------ segment filters in the URL

_PARAM = "seg_"
_KEY = "seg_flt_"


def segment_filters() -> SegmentFilters:
    """Draw a multi-select per dimension (in an expander) and return the combination."""
    chosen: dict[str, tuple[str, ...]] = {}
    lang = current_lang()
    active = 0
    with st.expander(t("seg.filters"), icon=":material/filter_list:"):
        st.caption(t("seg.filters_help"))
        columns = st.columns(4)
        for index, (dimension, field) in enumerate(FILTER_FIELDS.items()):
            offered = options(dimension)
            key = f"{_KEY}{dimension}"
            if key not in st.session_state:
                from_url = st.query_params.get_all(f"{_PARAM}{dimension}")
                st.session_state[key] = [c for c in offered if c in from_url]
            with columns[index % 4]:
                picked = st.multiselect(
                    dimension_name(dimension),
                    options=list(offered),
                    format_func=lambda c, d=dimension: label(d, c, lang),
                    placeholder=t("filter.all"),
                    key=key,
                )
            chosen[field] = tuple(c for c in offered if c in picked)
            active += bool(picked)
            if picked:
                st.query_params[f"{_PARAM}{dimension}"] = list(chosen[field])
            elif f"{_PARAM}{dimension}" in st.query_params:
                del st.query_params[f"{_PARAM}{dimension}"]
    if active:
        st.caption(t("seg.filters_active", n=active))
    return SegmentFilters(**chosen)


def describe(segment: SegmentFilters) -> str:
    """The segment filters in words, for exports ("Occupation: Farmer; Gender: Female")."""
    parts = []
    for dimension, field in FILTER_FIELDS.items():
        picked = getattr(segment, field)
        if picked:
            names = t("common.list_sep").join(label(dimension, c) for c in picked)
            parts.append(f"{dimension_name(dimension)}: {names}")
    return "; ".join(parts) if parts else t("seg.no_segment_filter")


# ------------------------------------------------------------------ links to the customer view

# The customer view page reads ``?customer=<id>``; the link text shows the id.
LINK_TEXT = r"customer=(\d+)"


def customer_link(customer_id: object) -> str:
    """A relative link to the customer view for one customer, in the current language."""
    link = f"customer?customer={int(customer_id)}"
    lang = current_lang()
    return f"{link}&lang={lang}" if lang != "en" else link


def action(code: str) -> str:
    """A suggested action's label (codes from ``segment_rules.ACTION_RULES``)."""
    return coded("seg", "action", code)
