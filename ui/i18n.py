"""English and 简体中文: every label of the UI in one catalogue, and the language switch.

English is the default. The choice lives in the URL (``?lang=zh``) so a shared link opens in the
same language, and in session state so it survives page switches. ``t(key, **fmt)`` looks a
label up in the current language; a key missing from the catalogue raises
:class:`MissingTranslation` (never shows the raw key), and a test checks that every key used in
the code exists in both languages.

English labels keep the Chinese term beside the English one for the glossary concepts
(BRIEF.md), so staff who think in the Chinese terms find them; Chinese labels are Chinese only.

No label writes the name of a level of the organisation: it writes a marker (``{@branch}``,
``{@Prefectures}``, ``{@cooperative:zh}``, see ``catalogue.levels``) that :func:`translate`
replaces by the name under the ``org_model`` setting (the union or the bank model).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import time
from typing import Protocol

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from catalogue import levels, metrics
from catalogue.metrics import HeadlineMetric
from data_access import settings

LANGS: tuple[str, ...] = ("en", "zh")
DEFAULT_LANG = "en"
LANG_NAMES: dict[str, str] = {"en": "English", "zh": "简体中文"}
QUERY_PARAM = "lang"
_STATE_KEY = "pcrm_lang"
_WIDGET_KEY = "pcrm_lang_switch"


class MissingTranslation(KeyError):
    """Raised by :func:`t` for a key that is not in the catalogue."""


def headline_label(metric: HeadlineMetric, lang: str) -> str:
    """A headline KPI's label: its Chinese name, in English its English name with the Chinese
    term beside it (a glossary concept)."""
    return metric.name_zh if lang == "zh" else f"{metric.name_en} {metric.name_zh}"


# key: (English, 简体中文). Placeholders use str.format names, identical in both languages.
CATALOGUE: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ app shell
    "app.title": ("PCRM · Personal customer management", "个人客户关系管理系统（PCRM）"),
    "app.browser_title": ("PCRM dashboard", "个人客户管理驾驶舱"),
    "nav.management": ("Management 管理层", "管理层"),
    "nav.branch": ("{@Branch} {@branch:zh}", "{@branch}"),
    "nav.analysis": ("Analysis 分析", "分析"),
    "nav.admin": ("Administration 系统管理", "系统管理"),
    "common.loading": ("Loading…", "加载中…"),
    "common.list_sep": (", ", "、"),
    "common.and_more": ("{items} and {count} more", "{items}等{count}个"),
    # ------------------------------------------------------------ warehouse state
    "warehouse.missing_title": ("No warehouse yet", "尚未建立数据仓库"),
    "warehouse.missing_body": (
        "No warehouse was found at `{url}`. Build the demo warehouse with `make run` (it builds "
        "one when none exists, then starts the app) or with `python -m cli demo`, then "
        "reload this page.",
        "在 `{url}` 未找到数据仓库。请运行 `make run`（若无数据仓库会先生成演示数据，再启动应用）"
        "或 `python -m cli demo` 生成演示数据仓库，然后刷新本页。",
    ),
    "warehouse.unreachable_title": ("The warehouse cannot be reached", "无法连接数据仓库"),
    "warehouse.unreachable_body": (
        "The warehouse at `{url}` did not answer. Check that the database server is running and "
        "the URL is right (`PCRM_WAREHOUSE_URL`), then reload this page.",
        "数据仓库 `{url}` 没有响应。请确认数据库服务已启动且地址（`PCRM_WAREHOUSE_URL`）正确，"
        "然后刷新本页。",
    ),
    "warehouse.stale": (
        "The data was last refreshed {days} days ago ({date}); figures may be out of date.",
        "数据已有{days}天未更新（最近更新：{date}），数字可能不是最新。",
    ),
    # ------------------------------------------------------------ sidebar
    "sidebar.language": ("Language 语言", "语言 Language"),
    "sidebar.filters": ("Filters 筛选", "筛选条件"),
    "sidebar.signed_in_as": ("Signed in as", "当前用户"),
    "sidebar.sign_out": ("Sign out", "退出登录"),
    "sidebar.sign_out_unrecorded": (
        "Signed out, but the sign-out could not be written to the audit log.",
        "已退出登录，但退出记录未能写入审计日志。",
    ),
    "stamp.as_of": ("Data as of {month}", "数据截至{month}"),
    "stamp.refreshed": ("refreshed {date}", "更新于{date}"),
    "stamp.demo": ("DEMO data", "演示数据"),
    "stamp.demo_help": (
        "Synthetic data from the demo generator: no real customer is shown.",
        "由演示数据生成器生成的模拟数据，不含任何真实客户。",
    ),
    # ------------------------------------------------------------ filters
    "filter.month": ("Month 月份", "月份"),
    "filter.month_help": (
        "The month the cards show (month-end figures). The latest month is used unless you pick "
        "another.",
        "指标卡展示的月份（月末数）。默认为最新月份。",
    ),
    "filter.window": ("Trend window 趋势区间", "趋势区间"),
    "filter.window_help": (
        "How many months the trend charts show, ending at the chosen month.",
        "趋势图展示的月数（截至所选月份）。",
    ),
    "filter.window_option": ("Last {n} months", "近{n}个月"),
    "filter.prefecture": ("{@Prefecture} {@prefecture:zh}", "{@prefecture}"),
    "filter.cooperative": ("{@Cooperative} {@cooperative:zh}", "{@cooperative}"),
    "filter.branch": ("{@Branch} {@branch:zh}", "{@branch}"),
    "filter.tier": ("Customer tier 客户分层", "客户分层"),
    "filter.tier_help": (
        "Customer tiers by month-end financial assets (after the downgrade grace rule).",
        "按月末金融资产划分的客户层级（已按保级期规则处理）。",
    ),
    "filter.all": ("All", "全部"),
    "filter.reset": ("Reset filters", "重置筛选"),
    "filter.scope": ("Your scope: {name}", "可见范围：{name}"),
    # ------------------------------------------------------------ scope descriptions
    "scope.all": ("All {@branches} 全辖", "全辖"),
    "scope.all_tiers": ("all tiers", "全部客户层级"),
    # ------------------------------------------------------------ sign-in
    "auth.title": ("Sign in 登录", "登录"),
    "auth.demo_badge": ("DEMO 演示", "演示环境"),
    "auth.demo_intro": (
        "This warehouse holds synthetic demo data. Choose a demo persona to explore the "
        "dashboard as that role would. Demo personas exist only while the warehouse is the "
        "demo.",
        "当前数据仓库为模拟的演示数据。请选择一个演示身份，以该角色的视角浏览。"
        "演示身份仅在演示数据仓库中提供。",
    ),
    "auth.persona_executive": ("Executive {@province:zh}领导", "{@province}领导"),
    "auth.persona_executive_desc": (
        "The whole province (全省): every {@prefecture}, {@cooperative} and {@branch}.",
        "全省范围：所有{@prefecture}、{@cooperative}和{@branch}。",
    ),
    "auth.persona_branch_head": ("{@Branch} head {@branch:zh}负责人", "{@branch}负责人"),
    "auth.persona_branch_head_desc": (
        "One {@branch} only: its customers, targets and service quality.",
        "仅本{@branch}：本{@branch}的客户、目标和服务质量。",
    ),
    "auth.persona_branch_pick": ("{@Branch} {@branch:zh}", "{@branch}"),
    "auth.persona_analyst": ("Analyst 数据分析师", "数据分析师"),
    "auth.persona_analyst_desc": (
        "Every aggregate across the province; customer detail is masked.",
        "全省汇总数据；客户明细脱敏显示。",
    ),
    "auth.sign_in_as": ("Sign in as demo persona", "以演示身份登录"),
    "auth.demo_name_executive": ("Demo executive", "演示-{@province}领导"),
    "auth.demo_name_branch_head": ("Demo head of {branch}", "演示-{branch}负责人"),
    "auth.demo_name_analyst": ("Demo analyst", "演示-数据分析师"),
    "auth.no_branches": (
        "The warehouse has no {@branches}, so there is no {@branch} to sign in to.",
        "数据仓库中没有{@branch}，无法以{@branch}负责人身份登录。",
    ),
    "auth.not_demo": (
        "Accounts are set up by your administrator. Demo personas are offered only when the "
        "warehouse is the demo.",
        "账号由系统管理员开通。演示身份仅在演示数据仓库中提供。",
    ),
    "auth.audit_failed": (
        "Sign-in was refused because it could not be written to the audit log. Try again, or "
        "ask the administrator to check the app store.",
        "由于无法写入审计日志，本次登录被拒绝。请重试，或联系系统管理员检查应用数据库。",
    ),
    "auth.required": ("Please sign in first.", "请先登录。"),
    "auth.no_pages": (
        "Your role has no dashboard pages. User administration is done with `python -m cli users`.",
        "您的角色没有可查看的驾驶舱页面。用户管理请使用 `python -m cli users`。",
    ),
    "auth.page_denied": (
        "Your role may not open this page.",
        "您的角色无权打开此页面。",
    ),
    # ------------------------------------------------------------ pages
    "page.overview": ("Overview 经营总览", "经营总览"),
    "page.overview_help": (
        "Financial assets, customers and VIP customers for the month, with the trend by asset "
        "class and the customer base over time.",
        "当月金融资产、客户数和贵宾客户数，以及分资产类别的趋势和客户数变化。",
    ),
    # ------------------------------------------------------------ KPIs
    # Headline KPIs: names from the catalogue (catalogue.metrics.HEADLINE_METRICS).
    **{f"kpi.{m.code}": (headline_label(m, "en"), m.name_zh) for m in metrics.HEADLINE_METRICS},
    "kpi.aum_help": (
        "Month-end balances of deposits, wealth-management products, funds, agency insurance "
        "and bonds held by the customers in view; loans are not assets.",
        "所选范围内客户月末的存款、理财、基金、代理保险和债券余额之和，不含贷款。",
    ),
    "kpi.customers_help": (
        "All personal customers whose relationship is open at month end, effective or not.",
        "月末仍保持业务关系的全部个人客户数（含非有效客户）。",
    ),
    "kpi.effective_help": (
        "Customers counted as effective (有效客户): open, with the month's daily-average financial "
        "assets at or above the organisation's line (1,000元 unless configured) or a "
        "customer-initiated transaction within the last months (3 unless configured).",
        "有效客户：月末仍保持业务关系，且当月日均金融资产不低于本行（社）设定的标准（未设定时为"
        "1,000元），或近几个月（未设定时为3个月）内有客户主动交易。",
    ),
    "kpi.vip_help": (
        "Customers with month-end financial assets of ¥1,000,000 or more, the threshold for "
        "VIP value-added services.",
        "月末金融资产不低于100万元的客户，即享受贵宾增值服务的门槛。",
    ),
    "kpi.mom": ("vs last month", "环比"),
    "kpi.yoy": ("{value} vs same month last year", "同比 {value}"),
    "kpi.no_yoy": ("no data for the same month last year", "无去年同期数据"),
    "kpi.definitions": (
        "Month-on-month (环比) compares with the month before; year-on-year (同比) with the same "
        "month a year earlier.",
        "环比为与上月相比；同比为与去年同月相比。",
    ),
    # ------------------------------------------------------------ charts
    "chart.aum_by_class": ("AUM by asset class 金融资产结构", "金融资产结构"),
    "chart.aum_by_class_help": (
        "Month-end financial assets split by asset class, stacked: the top edge is total AUM.",
        "月末金融资产按资产类别堆叠展示，顶部即金融资产总额。",
    ),
    "chart.customers": ("Customers over time 客户数变化", "客户数变化"),
    "chart.customers_help": (
        "Total customers (open at month end) and active customers (at least one "
        "customer-initiated transaction in the month, any channel); below, customers opened "
        "(new, 新增) and closed (churned, 流失) in each month.",
        "上图：月末客户总数与活跃客户数（当月至少一笔客户主动交易，任意渠道）；"
        "下图：每月新增客户与流失客户。",
    ),
    "chart.axis_aum": ("AUM ({unit})", "金融资产（{unit}）"),
    "chart.axis_customers": ("Customers ({unit})", "客户数（{unit}）"),
    "chart.axis_customers_plain": ("Customers", "客户数"),
    "chart.axis_flows": ("New / churned", "新增／流失"),
    "chart.total": ("Total AUM", "金融资产合计"),
    "chart.share": ("share", "占比"),
    "series.customers": ("Customers", "客户总数"),
    "series.active": ("Active", "活跃客户"),
    "series.new": ("New", "新增客户"),
    "series.churned": ("Churned", "流失客户"),
    "empty.title": ("Nothing matches these filters", "没有符合筛选条件的数据"),
    "empty.body": (
        "No customers match the chosen month, organisation and tiers. Widen the filters in the "
        "sidebar, or reset them.",
        "所选月份、机构和客户层级下没有客户。请在左侧放宽筛选条件或重置筛选。",
    ),
    "empty.chart": ("No data to chart for these filters.", "当前筛选条件下没有可展示的数据。"),
    "table.sorted_as_text": (
        'A long table is shown as text: sort it by value with "Sort by" above it; a click on '
        "a column header sorts the text. The downloads hold the numbers.",
        "表格较长，以文本显示：按数值排序请用表格上方的“排序依据”；点击列标题按文本排序。"
        "下载的文件保留数值。",
    ),
    "table.sort_by": ("Sort by", "排序依据"),
    "table.sort_as_listed": ("As listed", "默认顺序"),
    "table.sort_descending": ("Descending", "降序"),
    "chart.extremes_note": (
        "The chart shows the {half} highest and the {half} lowest of {total} by {by}; the "
        "table and the downloads have every row.",
        "图中显示按{by}排名最高和最低的各{half}个（共{total}个）；表格和下载文件包含全部。",
    ),
}


def _merge_area_catalogues() -> frozenset[str]:
    """Add every ``ui/strings/<area>.py`` catalogue to CATALOGUE; return their dynamic keys."""
    from ui import strings

    dynamic: set[str] = set()
    for info in sorted(pkgutil.iter_modules(strings.__path__), key=lambda i: i.name):
        module = importlib.import_module(f"ui.strings.{info.name}")
        for key, entry in module.STRINGS.items():
            if key in CATALOGUE:
                raise ValueError(f"label key {key!r} of ui/strings/{info.name}.py is defined twice")
            CATALOGUE[key] = entry
        dynamic |= set(getattr(module, "DYNAMIC_KEYS", ()))
    return frozenset(dynamic)


# Keys built at run time by the area modules' code (declared beside their labels).
DYNAMIC_KEYS: frozenset[str] = _merge_area_catalogues()


class _Named(Protocol):
    name_en: str
    name_zh: str


# The organisation model per value of PCRM_ORG_MODEL: (valid until, model). Reading the settings
# costs tens of microseconds (it checks the secrets file), a page translates thousands of labels:
# the environment variable decides alone when set; without it the secrets file is looked at
# again at most once a second.
_MODEL_ENV = f"{settings.ENV_PREFIX}ORG_MODEL"
_MODEL_RECHECK_S = 1.0
_models: dict[str | None, tuple[float, str]] = {}


def org_model() -> str:
    """The ``org_model`` setting (``data_access.settings``), cheaply, for every label."""
    env = os.environ.get(_MODEL_ENV) or None
    now = time.monotonic()
    cached = _models.get(env)
    if cached is not None and (env is not None or now < cached[0]):
        return cached[1]
    model = settings.org_model()
    _models[env] = (now + _MODEL_RECHECK_S, model)
    return model


def translate(key: str, lang: str, **fmt: object) -> str:
    """The label ``key`` in ``lang``, formatted with ``fmt``; raises for an unknown key."""
    try:
        entry = CATALOGUE[key]
    except KeyError:
        raise MissingTranslation(key) from None
    text = entry[1] if lang == "zh" else entry[0]
    if "{@" in text:  # a level's name (catalogue.levels)
        text = levels.resolve(text, lang, org_model())
    return text.format(**fmt) if fmt else text


def t(key: str, **fmt: object) -> str:
    """The label ``key`` in the current language (see :func:`translate`)."""
    return translate(key, current_lang(), **fmt)


def name_of(item: _Named | tuple[str, str, str], lang: str | None = None) -> str:
    """The name of a rules / roles object (``name_en`` / ``name_zh``) or a (code, en, zh) tuple."""
    lang = lang or current_lang()
    if isinstance(item, tuple):
        text = item[2] if lang == "zh" else item[1]
    else:
        text = item.name_zh if lang == "zh" else item.name_en
    return levels.resolve(text, lang, org_model()) if "{@" in text else text


def level_name(level: str, *, plural: bool = False, lang: str | None = None) -> str:
    """The name of organisation level ``level`` (province, prefecture, cooperative, branch)
    under the ``org_model`` setting, in ``lang`` (default: the session's)."""
    return levels.name(level, lang or current_lang(), org_model(), plural=plural)


def _valid(lang: object) -> str | None:
    return lang if isinstance(lang, str) and lang in LANGS else None


def current_lang() -> str:
    """The session's language: session state, else the URL's ``lang``, else English.

    Outside a Streamlit run (plain unit tests, the command line) this is the default language.
    """
    if get_script_run_ctx() is None:
        return DEFAULT_LANG
    lang = _valid(st.session_state.get(_STATE_KEY))
    if lang is None:
        lang = _valid(st.query_params.get(QUERY_PARAM)) or DEFAULT_LANG
        st.session_state[_STATE_KEY] = lang
    return lang


def _on_switch() -> None:
    st.session_state[_STATE_KEY] = _valid(st.session_state.get(_WIDGET_KEY)) or DEFAULT_LANG


def language_switch() -> str:
    """Draw the English / 简体中文 switch and keep the URL's ``lang`` in step; returns the language.

    The switch changes the language in a callback, so the whole rerun (including what was drawn
    before the switch) is in the new language.
    """
    lang = current_lang()
    st.session_state[_WIDGET_KEY] = lang
    st.segmented_control(
        t("sidebar.language"),
        LANGS,
        format_func=LANG_NAMES.__getitem__,
        key=_WIDGET_KEY,
        required=True,
        on_change=_on_switch,
        width="stretch",
    )
    sync_url_lang(lang)
    return lang


def sync_url_lang(lang: str) -> None:
    """Write ``lang`` to the URL (dropped when it is the default, to keep links short)."""
    wanted = None if lang == DEFAULT_LANG else lang
    if st.query_params.get(QUERY_PARAM) != wanted:
        if wanted is None:
            del st.query_params[QUERY_PARAM]
        else:
            st.query_params[QUERY_PARAM] = wanted
