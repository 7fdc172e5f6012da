"""Labels of the deposits view (储蓄存款) on the overview and the trends page: deposits, their
cost (存款付息率), the structure's effect on it, and the deposit deviation (存款偏离度)."""

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ sections
    "dep.title": ("Savings deposits 储蓄存款", "储蓄存款"),
    "dep.title_help": (
        "Personal deposits (储蓄存款): demand plus time deposits, 大额存单 included. A cooperative "
        "is assessed on its deposits first; financial assets (AUM) below add wealth products, "
        "funds, agency insurance and bonds.",
        "个人储蓄存款：活期加定期（含大额存单）。农信机构考核首先看存款；下方金融资产（AUM）口径更宽，"
        "另含理财、基金、代理保险和债券。",
    ),
    "dep.aum_title": ("Financial assets (AUM) and customers 金融资产", "金融资产（AUM）与客户"),
    "dep.aum_title_help": (
        "Financial assets (AUM): the wider measure, deposits plus wealth products, funds, agency "
        "insurance and bonds at month end; loans are not assets.",
        "金融资产（AUM）为更宽的口径：月末存款加理财、基金、代理保险和债券，不含贷款。",
    ),
    # ------------------------------------------------------------ KPI cards
    "dep.kpi_month_end": ("Savings deposits, month end 储蓄存款（月末）", "储蓄存款（月末）"),
    "dep.kpi_month_end_help": (
        "Demand plus time deposits of the customers in view at month end (时点).",
        "所选范围内客户的月末活期与定期存款余额之和（时点）。",
    ),
    "dep.kpi_daily_average": (
        "Savings deposits, daily average 储蓄存款（月日均）",
        "储蓄存款（月日均）",
    ),
    "dep.kpi_daily_average_help": (
        "The month's daily-average deposits: the sum of each day's balance over the days of the "
        "month. The regulator assesses deposits on daily averages (银保监办发〔2018〕111号).",
        "当月存款日均余额：每日余额之和除以当月天数。监管要求以日均考核存款（银保监办发〔2018〕111号）。",
    ),
    "dep.kpi_large_cd": ("Of which 大额存单 (month end)", "其中：大额存单（月末）"),
    "dep.kpi_large_cd_help": (
        "Large-denomination certificates of deposit (from ¥200,000), part of the time deposits.",
        "大额存单（起存20万元），属于定期存款。",
    ),
    "dep.kpi_cost": ("Deposit cost 存款付息率", "存款付息率"),
    "dep.kpi_cost_help": (
        "Interest paid on deposits in the month over the month's daily-average deposits, "
        "annualised (x 360 / days in the month). The change is in percentage points.",
        "当月存款利息支出除以当月存款日均余额，按年化计算（乘以360再除以当月天数）。变动以百分点计。",
    ),
    "dep.kpi_deviation": ("Deposit deviation 存款偏离度", "存款偏离度"),
    "dep.kpi_deviation_help": (
        "Month-end deposits over the month's daily average, minus one. The regulator caps it at "
        "4% (银保监办发〔2018〕111号). The change is in percentage points.",
        "月末存款余额除以当月日均余额减一。监管上限为4%（银保监办发〔2018〕111号）。变动以百分点计。",
    ),
    "dep.summary": (
        "Deposit cost year to date {ytd} · deviation line {cap} · {count} {level} above it in "
        "{month}",
        "本年累计存款付息率 {ytd} · 偏离度监管线 {cap} · {month}超过监管线的{level} {count} 个",
    ),
    "dep.summary_none": (
        "Deposit cost year to date {ytd} · deviation line {cap} · no {level} above it in {month}",
        "本年累计存款付息率 {ytd} · 偏离度监管线 {cap} · {month}无{level}超过监管线",
    ),
    # ------------------------------------------------------------ list above the line
    "dep.above_title": (
        "{level} above the 4% deviation line 偏离度超限",
        "存款偏离度超过4%的{level}",
    ),
    "dep.above_help": (
        "Units whose deposit deviation this month is above the regulator's 4% line, highest "
        "first, with how many months of the window were above it (quarter-end months apart: "
        "March, June, September and December, where month-end pushes concentrate).",
        "本月存款偏离度超过4%监管线的单位（由高到低），及所选期间内超限的月数（单列季末月：3、6、9、12月，"
        "月末冲时点多集中在季末）。",
    ),
    "dep.above_none": ("No unit above the line this month.", "本月没有超过监管线的单位。"),
    "dep.col_unit": ("Unit 单位", "单位"),
    "dep.col_deviation": ("Deviation 偏离度", "偏离度"),
    "dep.col_month_end": ("Month end 月末余额", "月末余额"),
    "dep.col_daily_average": ("Daily average 月日均", "月日均"),
    "dep.col_months_above": ("Months above 超限月数", "超限月数"),
    "dep.col_quarter_end_above": ("Of them quarter ends 其中季末", "其中季末月"),
    "dep.col_max_deviation": ("Highest 最高偏离度", "最高偏离度"),
    "dep.months_above_help": (
        "Months of the window whose deviation was above the 4% line; of them quarter-end months.",
        "所选期间内偏离度超过4%的月数；其中季末月的个数。",
    ),
    # ------------------------------------------------------------ trends tab: deposits
    "dep.lines_title": ("Deposits by line 存款构成", "存款构成"),
    "dep.lines_help": (
        "Demand and time deposits (大额存单 inside time deposits), month end and daily average, "
        "with the interest paid on each and its cost.",
        "活期与定期存款（定期含大额存单）的月末余额、月日均、利息支出与付息率。",
    ),
    "dep.col_line": ("Line 项目", "项目"),
    "dep.col_interest": ("Interest paid 利息支出", "利息支出"),
    "dep.col_cost": ("Cost 付息率", "付息率"),
    "dep.col_cost_ytd": ("Cost, year to date 本年累计付息率", "本年累计付息率"),
    "dep.col_share": ("Share of deposits 占比", "占存款比例"),
    "dep.share_help": (
        "The line's share of savings deposits on the daily-average basis.",
        "该项目占储蓄存款的比例（按月日均）。",
    ),
    "dep.interest_help": (
        "Interest expense on the line for the month (accrued, 利息支出).",
        "当月该项目的利息支出（计提）。",
    ),
    "dep.line_deposits": ("Savings deposits 储蓄存款", "储蓄存款"),
    "dep.line_demand": ("Demand deposits 活期存款", "活期存款"),
    "dep.line_time": ("Time deposits 定期存款", "定期存款"),
    "dep.line_large_cd": ("of which 大额存单", "其中：大额存单"),
    "dep.line_time_other": ("Time deposits without 大额存单", "定期存款（不含大额存单）"),
    "dep.cost_title": ("Deposit cost 存款付息率", "存款付息率"),
    "dep.cost_help": (
        "The month's deposit cost and the cost since January (interest since January over the "
        "day-weighted daily average since January, annualised), and the cost of each line.",
        "当月存款付息率及本年累计付息率（本年累计利息支出除以本年按天加权的日均余额，年化），"
        "以及各项目的付息率。",
    ),
    "dep.series_cost": ("Cost, month 当月付息率", "当月付息率"),
    "dep.series_cost_ytd": ("Cost, year to date 本年累计", "本年累计付息率"),
    "dep.series_demand": ("Demand 活期", "活期"),
    "dep.series_time": ("Time 定期", "定期"),
    "dep.series_large_cd": ("大额存单", "大额存单"),
    "dep.axis_rate": ("Percent a year", "年化（%）"),
    "dep.mix_title": ("What moved the cost 付息率变动分解", "付息率变动分解"),
    "dep.mix_help": (
        "The change of the deposit cost against the base period, split into the structure "
        "effect (the mix of demand, time and 大额存单 moving, at the two months' mean rates) and "
        "the rate effect (each line's rate moving, at the two months' mean shares). The two add "
        "up to the change.",
        "存款付息率较基期的变动，分解为结构效应（活期、定期、大额存单占比变化，按基期与报告期平均利率计）"
        "与利率效应（各项目利率变化，按基期与报告期平均占比计），两者之和等于总变动。",
    ),
    "dep.mix_summary": (
        "{base} {base_cost} → {month} {cost}: {change}, of which structure {mix} and rates {rate}.",
        "{base} {base_cost} → {month} {cost}：变动 {change}，其中结构效应 {mix}，利率效应 {rate}。",
    ),
    "dep.mix_none": (
        "No base period with deposits in the data.",
        "数据中没有可比的基期。",
    ),
    "dep.col_base_share": ("Share, base period 基期占比", "基期占比"),
    "dep.col_base_rate": ("Rate, base period 基期付息率", "基期付息率"),
    "dep.col_rate": ("Rate, report period 报告期付息率", "报告期付息率"),
    "dep.col_mix": ("Structure effect 结构效应", "结构效应"),
    "dep.col_rate_effect": ("Rate effect 利率效应", "利率效应"),
    "dep.deviation_title": ("Deposit deviation 存款偏离度", "存款偏离度"),
    "dep.deviation_help": (
        "Month-end deposits over the month's daily average, minus one, against the regulator's "
        "4% line (银保监办发〔2018〕111号). Quarter-end months (March, June, September, December) "
        "are marked: month-end pushes concentrate there.",
        "月末存款除以当月日均减一，对照4%监管线（银保监办发〔2018〕111号）。季末月（3、6、9、12月）"
        "单独标出：月末冲时点多集中在季末。",
    ),
    "dep.deviation_units": ("By {level} in {month}", "{month}各{level}"),
    "dep.series_deviation": ("Deviation 偏离度", "偏离度"),
    "dep.series_quarter_end": ("Quarter end 季末", "季末月"),
    "dep.series_above": ("Above the line 超限", "超过监管线"),
    "dep.series_cap": ("4% line 监管线", "4%监管线"),
}
