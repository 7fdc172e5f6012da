"""Labels of the balance basis (口径) and of the monthly business review's opening line
(``ui.review_line``; computed in ``analytics.review``)."""

from catalogue import basis

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ the basis switch
    "basis.label": ("Balance basis 口径", "余额口径"),
    "basis.help": (
        "Daily average (日均): the mean of the month's day-end balances, the basis the regulator "
        "assesses on (no month-end size targets since 2018). Month-end (月末, 时点): the balance "
        "on the month's last day, which month-end inflows lift. Every balance figure says which "
        "it is: 'Sep daily avg' or 'Sep month-end'.",
        "日均：当月每日日终余额的平均数，监管考核口径（2018年起不得设定时点规模考核）。"
        "月末（时点）：当月最后一天的余额，会受月末冲时点资金影响。每个余额数字都注明口径，"
        "如“9月日均”“9月末”。",
    ),
    **{f"basis.{b.code}": (f"{b.name_en} {b.name_zh}", b.name_zh) for b in basis.BASES},
    "kpi.aum_avg_help": (
        "The month's daily average of the financial assets (deposits, wealth-management "
        "products, funds, agency insurance and bonds) held by the customers in view: the mean "
        "of the month's day-end balances.",
        "所选范围内客户当月金融资产（存款、理财、基金、代理保险和债券）的日均余额，即当月每日"
        "日终余额的平均数。",
    ),
    # ------------------------------------------------------------ the opening line
    "review.title": ("{measure}: the year so far", "{measure}经营进度"),
    "review.help": (
        "The opening line of the monthly business review: the balance, its change since 1 "
        "January (against last December) and the annual plan's attainment against the share of "
        "the year elapsed. Green: attainment at or ahead of time; amber: within 10% behind; red: "
        "further behind.",
        "月度经营分析会的开场数：余额、较年初（与上年12月比）增减、年计划完成率与时间进度。"
        "绿色：完成率不低于时间进度；黄色：落后不超过10%；红色：落后更多。",
    ),
    "review.balance": ("Balance 余额 · {label}", "余额（{label}）"),
    "review.balance_help": (
        "The balance on the chosen basis at the chosen month.",
        "所选月份、所选口径的余额。",
    ),
    "review.ytd": ("Since 1 Jan 较年初", "较年初"),
    "review.ytd_help": (
        "This month's balance minus last December's, on the same basis.",
        "本月余额减去上年12月余额（同一口径）。",
    ),
    "review.qtd": ("Since quarter start 较季初", "较季初"),
    "review.qtd_help": (
        "This month's balance minus that of the month closing the last quarter, on the same basis.",
        "本月余额减去上季末月份的余额（同一口径）。",
    ),
    "review.attainment": ("Annual plan 年计划完成率", "年计划完成率"),
    "review.attainment_help": (
        "The change since 1 January over the year's planned growth on this basis (the annual "
        "targets of the units in view, summed).",
        "较年初增量除以本口径的年度增量计划（所选范围各单位年度目标之和）。",
    ),
    "review.elapsed": ("Time elapsed 时间进度", "时间进度"),
    "review.elapsed_help": (
        "Share of the year's days passed at the month's end.",
        "截至当月末，本年已过天数占全年天数的比例。",
    ),
    "review.gap": ("{mark} {gap} pts against time", "{mark} 较时间进度 {gap} 个百分点"),
    "review.no_year_base": (
        "No change since 1 January: last December is not in the data.",
        "无法计算较年初：数据中没有上年12月。",
    ),
    "review.no_quarter_base": (
        "No change since the quarter start: the month closing the last quarter is not in the data.",
        "无法计算较季初：数据中没有上季末月份。",
    ),
    "review.no_plan": (
        "No annual plan on this basis for the units in view.",
        "所选范围没有本口径的年度计划。",
    ),
    "review.plan_all_tiers": (
        "Plans are set for all tiers: with a tier filter there is no attainment.",
        "计划按全部客户层级下达：筛选客户层级时不计算完成率。",
    ),
    "review.period_avgs": (
        "Quarter daily avg 季日均 {quarter} · Year daily avg 年日均 {year}",
        "季日均 {quarter} · 年日均 {year}",
    ),
    "review.amounts_on": ("Amounts: {label}", "金额口径：{label}"),
    "review.end_only": (
        "Month-end (月末) figures: asset classes and the change's parts have no daily average.",
        "月末（时点）数据：分资产类别和增量来源没有日均口径。",
    ),
}

DYNAMIC_KEYS: frozenset[str] = frozenset(
    {f"basis.{b.code}" for b in basis.BASES}
    | {"kpi.aum_avg_help", "review.no_year_base", "review.no_quarter_base", "review.no_plan"}
)
