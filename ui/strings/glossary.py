"""The glossary page: its labels and the domain terms of BRIEF.md (term, then definition)."""

# Domain terms: "gloss.<id>" is the term, "gloss.<id>_help" its definition.
_TERMS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    # The organisation's levels, named and defined under the org_model setting (catalogue.levels).
    "provincial_union": (
        ("{@Province}", "{@province}"),
        ("{@province:about}", "{@province:about}"),
    ),
    "prefecture_office": (
        ("{@Prefecture}", "{@prefecture}"),
        ("{@prefecture:about}", "{@prefecture:about}"),
    ),
    "cooperative": (
        ("{@Cooperative}", "{@cooperative}"),
        ("{@cooperative:about}", "{@cooperative:about}"),
    ),
    "branch": (("{@Branch}", "{@branch}"), ("{@branch:about}", "{@branch:about}")),
    "aum": (
        ("Financial assets (AUM)", "金融资产"),
        (
            "Deposits, wealth-management products, funds, agency insurance and bonds a customer "
            "holds with the cooperative; loans are not assets.",
            "客户在本行社持有的存款、理财、基金、代理保险和债券之和，不含贷款。",
        ),
    ),
    "daily_average": (
        ("Daily average (monthly, quarterly, yearly)", "日均（月日均、季日均、年日均）"),
        (
            "The mean of the day-end balances: the month's days for 月日均; the quarter's and the "
            "year's are the months' daily averages weighted by their days. The regulator assesses "
            "on it (no month-end size targets since 2018).",
            "日终余额的平均数：月日均按当月天数平均；季日均、年日均为各月日均按天数加权平均。"
            "监管按日均考核（2018年起不得设定时点规模考核）。",
        ),
    ),
    "month_end": (
        ("Month-end balance", "月末余额（时点）"),
        (
            "The balance on the month's last day; month-end inflows lift it over the daily "
            "average.",
            "当月最后一天的余额，会因月末冲时点资金高于日均。",
        ),
    ),
    "since_january": (
        ("Change since 1 January", "较年初"),
        (
            "This month's balance minus last December's, on the same basis; over the annual plan "
            "it is the plan attainment (年计划完成率), read against the share of the year elapsed "
            "(时间进度).",
            "本月余额减去上年12月余额（同一口径）；除以年度计划即年计划完成率，与时间进度对照。",
        ),
    ),
    "savings_deposits": (
        ("Savings deposits", "储蓄存款"),
        (
            "Personal demand and time deposits, 大额存单 included: what a cooperative is assessed "
            "on first, at month end and on the month's daily average (月日均).",
            "个人活期与定期存款（含大额存单），农信机构首先考核的指标，分月末余额与月日均两个口径。",
        ),
    ),
    "deposit_cost": (
        ("Deposit cost", "存款付息率"),
        (
            "Interest paid on deposits over their daily-average balance, annualised; moving time "
            "deposits into demand deposits and wealth products lowers it.",
            "存款利息支出除以存款日均余额（年化）；定期转活期、转理财可降低付息率。",
        ),
    ),
    "deposit_deviation": (
        ("Deposit deviation", "存款偏离度"),
        (
            "Month-end deposits over the month's daily average, minus one; the regulator caps it "
            "at 4% (银保监办发〔2018〕111号).",
            "月末存款除以当月日均存款减一，监管上限4%（银保监办发〔2018〕111号）。",
        ),
    ),
    "tier": (
        ("Customer tier", "客户分层"),
        (
            "Mass, potential, affluent, VIP and private-banking customers by month-end financial "
            "assets, with a grace rule before a downgrade.",
            "按月末金融资产把客户分为大众、潜力、富裕、贵宾和私人银行客户，降级前设观察期。",
        ),
    ),
    "customer_group": (
        ("Customer group", "客群"),
        (
            "Customers who behave alike, found by clustering; each group gets its own policy "
            "and team (one policy per class, 一类一策).",
            "行为相似的客户，由聚类得出；每个客群配一套策略和团队（一类一策、一类一团队）。",
        ),
    ),
    "migration": (
        ("Upgrade / downgrade", "升级／降级"),
        (
            "A customer's move to a higher or lower tier between two months.",
            "客户在两个月之间层级的上升或下降。",
        ),
    ),
    "churn": (
        ("Churn / churn early warning", "流失／流失预警"),
        (
            "A customer who leaves or moves most assets away; the early warning ranks customers "
            "by how likely that is, weighted by their assets.",
            "客户离开或转走大部分资产；流失预警按流失可能性和资产规模对客户排序。",
        ),
    ),
    "callback": (
        ("Callback / retention action", "回访／挽留"),
        (
            "A call or visit to a customer on the watchlist, and what was done to keep them.",
            "对预警名单客户的电话或上门回访，以及为留住客户采取的措施。",
        ),
    ),
    "wealth_manager": (
        ("Wealth manager", "理财经理"),
        (
            "The member of staff who looks after a customer's relationship (account manager).",
            "负责维护客户关系的员工（客户经理）。",
        ),
    ),
    "hongyan": (
        ("Hongyan plan", "鸿雁计划"),
        (
            "The programme that grows wealth managers through levels with stepwise targets.",
            "通过分级和阶梯目标培养理财经理的计划。",
        ),
    ),
    "counter_diversion": (
        ("Counter diversion rate", "柜面分流率"),
        (
            "The share of transactions done off the counter (mobile, self-service, agents).",
            "通过手机银行、自助设备和助农点等渠道完成、不经柜面的交易占比。",
        ),
    ),
    "star_branch": (
        ("Star-rated {@branch}", "星级{@branch}"),
        (
            "{@A branch} rated one to five stars from its 6S inspection scores.",
            "按6S检查得分评定为一至五星的{@branch}。",
        ),
    ),
    "six_s": (
        ("6S management", "6S管理"),
        (
            "Sort, set in order, shine, standardise, safety and self-discipline, inspected per "
            "area of the {@branch}.",
            "整理、整顿、清扫、清洁、安全、素养，按{@branch}各功能区检查。",
        ),
    ),
    "bundle": (
        ("Five-core-product bundle", "五花大绑"),
        (
            "Cross-selling the five core products (debit card, mobile banking, disbursements: "
            "salary, pension or farm subsidy, wealth, insurance) to each customer, which makes "
            "customers stay.",
            "向每位客户交叉销售五项核心产品（借记卡、手机银行、代发（工资、养老金、惠农补贴）、理财、保险），"
            "提高客户黏性。",
        ),
    ),
    "vip_services": (
        ("VIP value-added services", "贵宾增值服务"),
        (
            "Services for customers with financial assets of ¥1,000,000 or more.",
            "面向金融资产100万元及以上客户的增值服务。",
        ),
    ),
    "exclusive_product": (
        ("Exclusive product", "专享产品"),
        (
            "A product offered only to the staff of a partner employer.",
            "仅面向合作单位员工提供的产品。",
        ),
    ),
    "farm_card": (
        ("Farm-subsidy card / pension disbursement", "惠农一卡通／社保代发"),
        (
            "Government payments to farmers and pensioners paid through the cooperative.",
            "通过行社发放的惠农补贴和养老金、社保资金。",
        ),
    ),
}

STRINGS: dict[str, tuple[str, str]] = {
    "glossary.intro": (
        "Every term and metric of the dashboard, English and Chinese side by side. Type to "
        "search either language.",
        "本系统所有术语和指标的中英文对照。可用中文或英文搜索。",
    ),
    "glossary.search": ("Search the glossary", "搜索术语"),
    "glossary.terms": ("Terms", "业务术语"),
    "glossary.metrics": ("Metrics and charts", "指标与图表"),
    "glossary.col_en": ("English", "英文"),
    "glossary.col_zh": ("Chinese 中文", "中文"),
    "glossary.col_def_en": ("Definition", "英文定义"),
    "glossary.col_def_zh": ("Definition in Chinese 中文定义", "中文定义"),
    "glossary.none": ("No term matches the search.", "没有匹配的术语。"),
    "glossary.file": ("glossary", "术语表"),
    **{f"gloss.{term}": names for term, (names, _) in _TERMS.items()},
    **{f"gloss.{term}_help": text for term, (_, text) in _TERMS.items()},
}

TERM_KEYS: tuple[str, ...] = tuple(f"gloss.{term}" for term in _TERMS)
DYNAMIC_KEYS: frozenset[str] = frozenset(TERM_KEYS) | {f"{key}_help" for key in TERM_KEYS}
