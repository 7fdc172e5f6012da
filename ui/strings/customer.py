"""Labels of the customer view (``cust.``), cross-selling (``xsell.``) and VIP services
(``vipsvc.``) pages. Every metric has a one-line definition (``<key>_help``)."""

from analytics import cross_sell_rules as _xr
from analytics import rules as _rules
from catalogue import codes as _codes
from ui.strings import code_labels

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ customer view: search
    "cust.search": ("Find a customer 查找客户", "查找客户"),
    "cust.search_placeholder": (
        "Customer number, full ID number or full mobile number",
        "客户号、完整身份证号或完整手机号",
    ),
    "cust.search_placeholder_unmasked": (
        "Customer number, ID number, mobile, part of the name or last 4 digits of the mobile",
        "客户号、身份证号、手机号、姓名中的字或手机号后四位",
    ),
    "cust.search_help": (
        "Searches only the customers you may see. While personal data is masked, search by the "
        "customer number, the full 18-character ID number or the full 11-digit mobile number. "
        "Every search is recorded.",
        "只在您有权查看的客户中查找。个人信息脱敏时，请按客户号、完整的18位身份证号或完整的11位手机号"
        "查找。每次查找均会记录。",
    ),
    "cust.search_help_unmasked": (
        "Searches only the customers you may see. While personal data is unmasked you may also "
        "search by part of the name or the last four digits of the mobile. Every search is "
        "recorded.",
        "只在您有权查看的客户中查找。解除脱敏期间，还可按姓名中的字或手机号后四位查找。每次查找均会记录。",
    ),
    "cust.search_not_allowed": (
        "Not searched: while personal data is masked you can search only by the customer number, "
        "the full 18-character ID number or the full 11-digit mobile number, not by a name or "
        "part of a number.",
        "未查找：个人信息脱敏时，只能按客户号、完整的18位身份证号或完整的11位手机号查找，"
        "不能按姓名或号码的一部分查找。",
    ),
    "cust.search_unmask_first": (
        "To search by part of a name or the last four digits of a mobile, first unmask personal "
        "data in the sidebar, stating your reason.",
        "如需按姓名或手机号后四位查找，请先在侧边栏填写理由并解除脱敏。",
    ),
    "cust.search_not_allowed_unmasked": (
        "Not searched: enter a customer number, an ID number, a mobile number, part of the name "
        "or the last four digits of a mobile.",
        "未查找：请输入客户号、身份证号、手机号、姓名中的字或手机号后四位。",
    ),
    "cust.search_rate_limited": (
        "Not searched: you have searched {limit} times in the last minute, the most allowed. "
        "Wait a minute, then search again.",
        "未查找：您在一分钟内已查找{limit}次，已达上限。请等待一分钟后再查找。",
    ),
    "cust.search_none": (
        "No customer in your scope matches this search.",
        "您的权限范围内没有符合条件的客户。",
    ),
    "cust.pick": ("{count} found: open a customer", "找到{count}位客户，请选择"),
    "cust.pick_placeholder": ("Choose a customer", "选择客户"),
    "cust.pick_prompt": (
        "Search above, or open a customer from the watchlist, a campaign list or the VIP list.",
        "请在上方查找，或从流失预警、营销名单、贵宾名单中打开客户。",
    ),
    "cust.not_found": (
        "Customer not found or not permitted: this customer number does not exist or is outside "
        "the customers you may see. The attempt has been recorded.",
        "客户不存在或无权查看：该客户号不存在，或不在您的查看范围内。本次访问已记录。",
    ),
    "cust.audit_failed": (
        "This view could not be written to the audit log, so it is not shown. Try again later.",
        "本次查看未能写入审计日志，因此不予显示。请稍后重试。",
    ),
    "cust.closed": ("This customer closed every account on {date}.", "该客户已于{date}销户。"),
    # ------------------------------------------------------------ headline metrics
    "cust.aum": ("Financial assets 金融资产", "金融资产"),
    "cust.aum_help": (
        "Deposits, wealth products, funds, agency insurance and bonds at the latest month end; "
        "loans are not assets.",
        "最近月末的存款、理财、基金、代理保险和债券余额，不含贷款。",
    ),
    "cust.household_aum": ("Household assets 家庭资产", "家庭金融资产"),
    "cust.household_aum_help": (
        "Financial assets of every member of the customer's household you may see, at the "
        "latest month end.",
        "该客户所在家庭中您有权查看的全部成员最近月末的金融资产合计。",
    ),
    "cust.core_held": ("Core products 核心产品", "核心产品"),
    "cust.core_held_help": (
        "How many of the five core products (五花大绑: debit/social-security card, mobile banking, "
        "payroll, wealth management, agency insurance) the customer holds now.",
        "客户当前持有五项核心产品（借记卡/社保卡、手机银行、代发、理财、代理保险）中的几项。",
    ),
    "cust.churn_probability": ("Churn risk 流失概率", "流失概率"),
    "cust.churn_probability_help": (
        "The churn model's calibrated probability that the customer leaves in the coming months "
        "(see the Churn model page); a dash when no score has been computed.",
        "流失模型给出的该客户未来几个月流失的校准概率（见流失模型页）；未评分时显示“—”。",
    ),
    # ------------------------------------------------------------ tabs
    "cust.tab_profile": ("Profile 基本信息", "基本信息"),
    "cust.tab_assets": ("Assets and tier 资产与层级", "资产与层级"),
    "cust.tab_products": ("Products 产品", "产品"),
    "cust.tab_behaviour": ("Habits and channels 消费与渠道", "消费与渠道"),
    "cust.tab_churn": ("Churn and contacts 流失与联系", "流失与联系"),
    "cust.tab_vip": ("VIP services 贵宾服务", "贵宾服务"),
    # ------------------------------------------------------------ profile
    "cust.profile": ("Profile 客户信息", "客户信息"),
    "cust.profile_help": (
        "Master data of the customer; name, ID number, mobile and card are masked unless you "
        "hold an audited unmask grant.",
        "客户基本资料；姓名、证件号、手机号和卡号均已脱敏，除非您获得经审计的查看授权。",
    ),
    "cust.field": ("Field", "项目"),
    "cust.value": ("Value", "内容"),
    "cust.number": ("Customer no.", "客户号"),
    "cust.name": ("Name", "姓名"),
    "cust.id_number": ("ID number", "证件号码"),
    "cust.mobile": ("Mobile", "手机号"),
    "cust.card": ("Card number", "卡号"),
    "cust.gender": ("Gender", "性别"),
    "cust.birth_year": ("Year of birth", "出生年份"),
    "cust.occupation": ("Occupation", "职业"),
    "cust.risk_grade": ("Risk grade", "风险等级"),
    "cust.opened_on": ("Opened", "开户日期"),
    "cust.branch": ("{@Branch}", "{@branch}"),
    "cust.employer": ("Partner employer", "代发单位"),
    "cust.village": ("Village / community", "村（社区）"),
    "cust.farm_household": ("Farm household", "农户"),
    "cust.yes": ("Yes", "是"),
    "cust.no": ("No", "否"),
    "cust.manager": ("Wealth manager 客户经理", "管户客户经理"),
    "cust.manager_help": (
        "The relationship or wealth manager who looks after this customer.",
        "负责维护该客户的客户经理或理财经理。",
    ),
    "cust.no_manager": ("No manager assigned.", "未分配管户经理。"),
    "cust.staff_number": ("staff no.", "员工号"),
    "cust.hongyan_level": ("Hongyan level {level}", "鸿雁{level}级"),
    "cust.household": ("Household 家庭", "家庭成员"),
    "cust.household_help": (
        "Members of the customer's household (farm households are the unit rural cooperatives "
        "serve), with their assets at the latest month end.",
        "客户所在家庭的成员（农户是农信社服务的基本单位）及其最近月末金融资产。",
    ),
    "cust.tier": ("Tier", "客户层级"),
    # ------------------------------------------------------------ assets and tier
    "cust.assets_by_class": ("Assets by class 资产结构", "资产结构"),
    "cust.assets_by_class_help": (
        "Month-end balance of each asset class over the months in the warehouse.",
        "各月末各类金融资产余额。",
    ),
    "cust.tier_history": ("Tier history 层级变化", "层级变化"),
    "cust.tier_history_help": (
        "Tiers are judged on the {basis}. Below the tier's floor the customer keeps the tier: "
        "first in grace, from month 3 on watch, downgraded at month 6 (the grace rule).",
        "层级按{basis}评定。低于本层级门槛时保留层级（保级期）：第3个月起列入降级预警，连续6个月"
        "低于门槛即降级。",
    ),
    "cust.tier_now": (
        "Now: {tier} (by balance alone: {raw}) · {state}.",
        "当前层级：{tier}（仅按余额：{raw}）· {state}。",
    ),
    "cust.tier_basis_now": (
        "Judged on the {basis}: {value} (the tier's floor: {floor}).",
        "层级口径为{basis}：{value}（本层级门槛{floor}）。",
    ),
    "cust.tier_needed": (
        "{needed} more brings the customer back to the floor.",
        "回到门槛尚需{needed}。",
    ),
    "cust.tier_basis_col": ("Assets, {basis}", "金融资产（{basis}）"),
    "cust.downgrade_in": (
        "Downgraded in {months} month(s) unless assets recover.",
        "若资产未回升，将于{months}个月后降级。",
    ),
    "cust.grace_none": ("at or above the floor", "达到门槛"),
    "cust.grace_grace": ("in grace", "保级期"),
    "cust.grace_watch": ("on watch", "降级预警"),
    "cust.tier_table": ("Tier history table", "层级明细表"),
    "cust.month": ("Month", "月份"),
    "cust.raw_tier": ("Tier by balance", "按余额层级"),
    "cust.months_below": ("Months below floor", "低于门槛月数"),
    "cust.grace_state": ("Grace state", "保级状态"),
    # ------------------------------------------------------------ products
    "cust.core_bundle": ("Five core products 五花大绑", "五项核心产品"),
    "cust.core_bundle_help": (
        "Each of the five core products, held now (green) or not (red); every missing one is a "
        "cross-selling opportunity.",
        "五项核心产品的持有情况（绿色为已持有，红色为未持有），未持有的即为交叉销售机会。",
    ),
    "cust.risk_fit": ("Risk grade against products 风险匹配", "风险匹配"),
    "cust.risk_fit_help": (
        "Each product held with a risk grade (R1-R5) against the customer's risk grade (C1-C5): "
        "a product riskier than the grade (Rn above Cm) needs review.",
        "持有产品的风险等级（R1-R5）与客户风险承受等级（C1-C5）对比：产品风险高于客户等级的需复核。",
    ),
    "cust.risk_unassessed": ("Not assessed", "未评估"),
    "cust.risk_grade_value": ("{grade}, assessed {date}", "{grade}（{date}评估）"),
    "cust.risk_expired": ("assessment expired", "评估已过期"),
    "cust.risk_grade_line": (
        "Customer's risk grade {grade}; products above it: {above}.",
        "客户风险等级{grade}；超出等级的产品：{above}个。",
    ),
    "cust.risk_above": (
        "{count} product(s) are riskier than the customer's risk grade: review suitability.",
        "有{count}个产品风险高于客户风险等级，请复核适当性。",
    ),
    "cust.fit_within": ("within grade", "匹配"),
    "cust.fit_above": ("above grade", "超出等级"),
    "cust.fit": ("Fit", "匹配情况"),
    "cust.product_code": ("Product code", "产品代码"),
    "cust.product": ("Product", "产品"),
    "cust.product_risk": ("Product risk", "产品风险等级"),
    "cust.amount": ("Amount (RMB)", "金额（元）"),
    "cust.suggestions": ("Next best products 推荐产品", "推荐产品"),
    "cust.suggestions_help": (
        "Product lines the customer does not hold, ranked by the propensity model's probability, "
        "with the feature that raised it most.",
        "客户尚未持有的产品线，按倾向模型概率排序，并列出影响最大的因素。",
    ),
    "cust.holdings": ("Products held 持有产品", "持有产品"),
    "cust.holdings_help": (
        "Every product the customer holds or has held, with amount, maturity and status at the "
        "latest month end.",
        "客户持有及曾持有的全部产品，含金额、到期日及最近月末状态。",
    ),
    "cust.category": ("Product line", "产品类别"),
    "cust.maturity_on": ("Matures", "到期日"),
    "cust.closed_on": ("Closed", "结束日期"),
    "cust.status": ("Status", "状态"),
    "cust.status_open": ("held", "持有中"),
    "cust.status_closed": ("ended", "已结束"),
    # ------------------------------------------------------------ habits and channels
    "cust.spending": ("Spending habits 消费习惯", "消费习惯"),
    "cust.spending_help": (
        "Card spending by category over the last 12 months, and each category's share.",
        "近12个月银行卡消费按类别的金额及占比。",
    ),
    "cust.no_spending": ("No card spending in the last 12 months.", "近12个月无刷卡消费。"),
    "cust.channels": ("Channel use 渠道使用", "渠道使用"),
    "cust.channels_help": (
        "Customer-initiated transactions per month by channel: counter, self-service devices "
        "and mobile banking; shares over the last 12 months.",
        "客户每月主动交易笔数按渠道（柜面、自助设备、手机银行）划分，以及近12个月各渠道占比。",
    ),
    "cust.axis_transactions": ("Transactions", "交易笔数"),
    # ------------------------------------------------------------ churn and contacts
    "cust.churn": ("Churn score 流失评分", "流失评分"),
    "cust.churn_help": (
        "The churn model's probability for this customer with the reasons behind it, from the "
        "latest scoring run.",
        "最近一次评分中该客户的流失概率及主要原因。",
    ),
    "cust.churn_none": (
        "No churn score for this customer yet (not scored in the latest run).",
        "该客户暂无流失评分（最近一次评分未覆盖）。",
    ),
    "cust.churn_line": (
        "**{probability}** probability of leaving · band {band} · scored {month}",
        "流失概率 **{probability}** · 等级 {band} · 评分月份 {month}",
    ),
    "cust.contacts": ("Contact history 联系记录", "联系记录"),
    "cust.contacts_help": (
        "Callbacks, visits and offers recorded for this customer, newest first.",
        "该客户的回访、走访和推荐记录，按时间倒序。",
    ),
    "cust.contacts_none": ("No contact recorded yet.", "暂无联系记录。"),
    "cust.contact_when": ("When", "时间"),
    "cust.contact_type": ("Contact", "联系方式"),
    "cust.outcome": ("Outcome", "结果"),
    "cust.note": ("Note", "备注"),
    "cust.next_step": ("Next step", "下一步"),
    "cust.next_step_on": ("Next step on", "下一步日期"),
    "cust.contact_by": ("Recorded by", "记录人"),
    "cust.add_contact": ("Record a contact 新增联系记录", "新增联系记录"),
    "cust.save_contact": ("Save contact", "保存记录"),
    "cust.contact_saved": ("Contact saved.", "联系记录已保存。"),
    # ------------------------------------------------------------ VIP
    "cust.vip_eligible": (
        ":material/diamond: Eligible for VIP value-added services (assets of {threshold} or more).",
        ":material/diamond: 金融资产达到{threshold}，可享受贵宾增值服务。",
    ),
    "cust.vip_not_eligible": (
        "Not eligible for VIP services (needs financial assets of {threshold} or more).",
        "未达到贵宾服务门槛（金融资产需达到{threshold}）。",
    ),
    "cust.vip_help": (
        "VIP value-added services (airport lounges, roadside rescue, hospital guidance, health "
        "check-ups) are for customers with financial assets of 1,000,000 RMB or more.",
        "贵宾增值服务（机场贵宾厅、道路救援、医院导诊、健康体检）面向金融资产100万元及以上的客户。",
    ),
    "cust.vip_none": ("No VIP service used.", "未使用过贵宾服务。"),
    # ------------------------------------------------------------ cross-selling: coverage
    "xsell.tab_coverage": ("Core-bundle coverage 核心产品覆盖", "核心产品覆盖"),
    "xsell.tab_next_best": ("Next best product 产品推荐", "产品推荐"),
    "xsell.tab_employers": ("Partner employers 合作单位", "合作单位"),
    "xsell.dimension": ("Break down by", "分组方式"),
    "xsell.dimension_help": (
        "{@Branch}, tier (segment), occupation, or the customer's wealth manager.",
        "按{@branch}、客户层级、职业或管户客户经理分组。",
    ),
    "xsell.dimension_branch": ("{@Branch}", "{@branch}"),
    "xsell.dimension_tier": ("Tier", "客户层级"),
    "xsell.dimension_occupation": ("Occupation", "职业"),
    "xsell.dimension_wealth_manager": ("Wealth manager", "客户经理"),
    "xsell.unassigned": ("No manager", "未分配"),
    "xsell.customers": ("Customers (all) 客户总数", "客户总数"),
    "xsell.customers_help": (
        "Customers at the month end who have not closed every account.",
        "月末未销户的客户数。",
    ),
    "xsell.avg_core": ("Core products per customer 户均核心产品", "户均核心产品数"),
    "xsell.avg_core_help": (
        "Average number of the five core products held per customer at the month end.",
        "月末每位客户平均持有的核心产品数（共五项）。",
    ),
    "xsell.share_3plus": ("Holding 3+ core 持有3项以上", "持有3项及以上占比"),
    "xsell.share_3plus_help": (
        "Share of customers holding at least three of the five core products.",
        "持有五项核心产品中至少三项的客户占比。",
    ),
    "xsell.share_full": ("Full bundle 五项全持", "五项全持占比"),
    "xsell.share_full_help": (
        "Share of customers holding all five core products (五花大绑).",
        "五项核心产品全部持有的客户占比。",
    ),
    "xsell.distribution": ("Customers by core products held 核心产品持有分布", "核心产品持有分布"),
    "xsell.distribution_help": (
        "For each group, the share of customers holding 0, 1, ... 5 of the core products at the "
        "month end; hover for counts.",
        "各组月末持有0至5项核心产品的客户占比，悬停可见人数。",
    ),
    "xsell.n_core": ("{n} core", "{n}项"),
    "xsell.trend": ("Coverage trend 覆盖趋势", "覆盖趋势"),
    "xsell.trend_help": (
        "Average core products per customer (left axis) and the share holding three or more "
        "(right axis), month by month.",
        "逐月户均核心产品数（左轴）与持有3项及以上客户占比（右轴）。",
    ),
    "xsell.stickiness": ("Stickiness curve 产品黏性曲线", "产品黏性曲线"),
    "xsell.stickiness_help": (
        "Monthly churn rate (customers who closed every account the next month) by the number "
        "of products held, pooled over the window. Grey bars rest on few customers.",
        "按持有产品数统计的月度流失率（次月全部销户的客户占比），按时间窗口汇总；灰色柱表示样本较少。",
    ),
    "xsell.measure": ("Count", "统计口径"),
    "xsell.measure_core": ("Core products", "核心产品"),
    "xsell.measure_products": ("All products", "全部产品"),
    "xsell.axis_core_products": ("Products held", "持有产品数"),
    "xsell.axis_churn_rate": ("Monthly churn rate", "月流失率"),
    "xsell.stickiness_hover": (
        "{rate} · {churned} of {base} customer-months",
        "{rate} · {base}户月中流失{churned}",
    ),
    "xsell.stickiness_ratio": (
        "One product vs three+ 单产品与多产品流失比",
        "单产品与多产品流失比",
    ),
    "xsell.stickiness_ratio_help": (
        "How many times more often a customer with one product (or none) leaves than one with "
        "three or more.",
        "持有0或1项产品的客户流失率是持有3项及以上客户的多少倍。",
    ),
    "xsell.base": ("Customer-months", "户月数"),
    "xsell.churned": ("Closed next month", "次月销户"),
    "xsell.thin": ("Few customers", "样本少"),
    # ------------------------------------------------------------ next best product
    "xsell.scored_month": (
        "Next best product of {month}: models fitted and customers scored at the last refresh.",
        "{month}产品推荐：模型在最近一次数据刷新时训练并为客户评分。",
    ),
    "xsell.scored_fallback": (
        "({chosen} was not scored; showing the latest scored month.)",
        "（{chosen}未评分，显示最近的已评分月份。）",
    ),
    "xsell.not_scored": (
        "No propensity scores yet: they are written when the warehouse is refreshed.",
        "暂无产品倾向评分：数据仓库刷新时生成。",
    ),
    "xsell.model_quality": ("Model quality 模型效果", "模型效果"),
    "xsell.model_quality_help": (
        "One logistic-regression model per product line, trained at each refresh on a fixed "
        "sample of the province's customers (holders against non-holders); AUC on customers "
        "held out from training.",
        "每条产品线一个逻辑回归模型，每次数据刷新时用全省固定抽样的客户（持有者与未持有者）训练；"
        "AUC 在未参与训练的客户上计算。",
    ),
    "xsell.auc_help": (
        "Area under the ROC curve on held-out customers: 0.5 is a coin toss, 1.0 ranks every "
        "holder above every non-holder.",
        "留出客户上的ROC曲线下面积：0.5相当于随机，1.0表示全部持有者都排在未持有者之前。",
    ),
    "xsell.count_train": ("Training customers", "训练客户数"),
    "xsell.count_test": ("Held-out customers", "留出客户数"),
    "xsell.count_holders": ("Holders in sample", "样本中持有者"),
    "xsell.base_rate": ("Holders 持有率", "持有率"),
    "xsell.base_rate_help": (
        "Share of customers in the province-wide training sample who hold the product line.",
        "全省训练样本中持有该产品线的客户占比。",
    ),
    "xsell.note": ("Note", "说明"),
    "xsell.too_few": (
        "Too few holders or non-holders in the training sample to train a model.",
        "训练样本中持有者或未持有者太少，无法训练模型。",
    ),
    "xsell.no_models": (
        "No product line had enough holders in the training sample to train a model.",
        "训练样本中没有足够持有者的产品线，无法训练模型。",
    ),
    "xsell.campaign": ("Campaign list 营销名单", "营销名单"),
    "xsell.campaign_help": (
        "Customers who do not hold the product line yet, most likely takers first by the "
        "model's probability; names and mobiles masked, the list and every export audited.",
        "尚未持有该产品线的客户，按模型概率从高到低排列；姓名、手机号已脱敏，名单查看和导出均记入审计。",
    ),
    "xsell.product_line": ("Product line", "产品线"),
    "xsell.rows": ("Customers in list", "名单人数"),
    "xsell.campaign_line": (
        "{count} likely takers of {product} (holders in the province-wide sample: {base}).",
        "{product}潜在客户{count}位（全省样本持有率：{base}）。",
    ),
    "xsell.probability": ("Probability 概率", "购买概率"),
    "xsell.probability_help": (
        "The model's probability that a customer like this one holds the product line.",
        "模型估计的与该客户相似的客户持有该产品线的概率。",
    ),
    "xsell.lift": ("Lift", "提升倍数"),
    "xsell.reason": ("Why", "推荐理由"),
    "xsell.reason_high": ("{feature}: high", "{feature}较高"),
    "xsell.reason_low": ("{feature}: low", "{feature}较低"),
    "xsell.reason_has": ("{feature}", "{feature}"),
    "xsell.reason_lacks": ("Not: {feature}", "非：{feature}"),
    "xsell.no_suggestions": (
        "No suggestion: the customer already holds every product line with a model.",
        "暂无推荐：客户已持有所有可建模的产品线。",
    ),
    "xsell.open_customer": ("Open a customer from the list", "从名单中打开客户"),
    "xsell.open_customer_link": ("Open customer {customer}", "打开客户 {customer}"),
    # ------------------------------------------------------------ partner employers
    "xsell.no_employers": (
        "No partner employer in the chosen organisation.",
        "所选机构没有合作代发单位。",
    ),
    "xsell.employers": ("Partner employers 合作单位", "合作单位数"),
    "xsell.employers_help": (
        "Employers whose staff are paid through the cooperative (代发工资单位).",
        "通过本社代发工资的单位数。",
    ),
    "xsell.staff_coverage": ("Staff banking with us 员工开户率", "员工开户率"),
    "xsell.staff_coverage_help": (
        "Staff of partner employers who are our customers, over their employees.",
        "合作单位员工中为本社客户的比例。",
    ),
    "xsell.payroll_coverage": ("Payroll coverage 代发覆盖率", "代发覆盖率"),
    "xsell.payroll_coverage_help": (
        "Employees whose salary is paid through us (open payroll product), over employees.",
        "工资由本社代发（持有代发产品）的员工占员工总数的比例。",
    ),
    "xsell.exclusive_uptake": ("Exclusive-product uptake 专享产品购买率", "专享产品购买率"),
    "xsell.exclusive_uptake_help": (
        "Staff customers holding a product exclusive to their employer, over staff customers.",
        "持有本单位专享产品的员工客户占员工客户的比例。",
    ),
    "xsell.employers_chart": ("Partner employers 合作单位", "合作单位情况"),
    "xsell.employers_chart_help": (
        "Per employer (largest first): staff coverage, payroll coverage and exclusive-product "
        "uptake at the month end.",
        "各合作单位（按员工数排序）月末的员工开户率、代发覆盖率和专享产品购买率。",
    ),
    "xsell.employer": ("Employer", "单位"),
    "xsell.employees": ("Employees", "员工数"),
    "xsell.staff_customers": ("Staff customers", "员工客户数"),
    "xsell.payroll": ("Paid through us", "代发人数"),
    "xsell.exclusive_products": ("Exclusive products", "专享产品数"),
    "xsell.exclusive_holders": ("Exclusive holders", "专享产品持有人数"),
    "xsell.exclusive_amount": ("Exclusive amount (RMB)", "专享产品金额（元）"),
    # ------------------------------------------------------------ VIP services page
    "vipsvc.none": (
        "No VIP-eligible customer or service use for these filters.",
        "当前筛选条件下没有达到贵宾门槛的客户或服务使用记录。",
    ),
    "vipsvc.eligible": ("Eligible customers 符合条件", "符合条件客户"),
    "vipsvc.eligible_help": (
        "Customers with financial assets of {threshold} or more at the month end.",
        "月末金融资产达到{threshold}的客户数。",
    ),
    "vipsvc.using": ("Using services 使用服务", "使用服务客户"),
    "vipsvc.using_help": (
        "Eligible customers who used at least one VIP service in the last 12 months.",
        "近12个月至少使用过一次贵宾服务的符合条件客户数。",
    ),
    "vipsvc.using_pct": ("Usage rate 使用率", "使用率"),
    "vipsvc.using_pct_help": (
        "Eligible customers using services, over eligible customers.",
        "使用服务的符合条件客户占符合条件客户的比例。",
    ),
    "vipsvc.not_using": ("Eligible, not using", "符合条件未使用"),
    "vipsvc.by_branch": ("By {@branch} 分{@branch:zh}", "分{@branch}"),
    "vipsvc.by_branch_help": (
        "Eligible customers and those using services, per {@branch}.",
        "各{@branch}符合条件客户数与使用服务客户数。",
    ),
    "vipsvc.by_service": ("By service 分服务", "分服务类型"),
    "vipsvc.by_service_help": (
        "Customers who used each service in the last 12 months, and how many of them are "
        "eligible now.",
        "近12个月使用各项服务的客户数，以及其中当前仍符合条件的客户数。",
    ),
    "vipsvc.service": ("Service", "服务类型"),
    "vipsvc.users": ("Users", "使用客户数"),
    "vipsvc.eligible_users": ("Users eligible now", "当前符合条件的使用客户"),
    "vipsvc.count_uses": ("Uses", "使用次数"),
    "vipsvc.last_used": ("Last used", "最近使用"),
    "vipsvc.no_use": ("No service used in the last 12 months.", "近12个月没有服务使用记录。"),
    "vipsvc.customers": ("Eligible customers 贵宾客户名单", "贵宾客户名单"),
    "vipsvc.customers_help": (
        "Eligible customers, largest assets first, with their service uses in the last 12 "
        "months (masked; the list and exports are audited).",
        "符合条件的客户按资产从高到低排列，含近12个月服务使用次数（已脱敏，查看和导出均记入审计）。",
    ),
}

# Codes named by the code lists: genders, channels, product lines (suggestions, holdings and the
# core-bundle checklist).
STRINGS.update(code_labels("cust.gender_", _codes.GENDER))
STRINGS.update(code_labels("cust.channel_", _codes.CHANNEL))
STRINGS.update(code_labels("xsell.target_", _codes.PRODUCT_CATEGORY))

# The propensity models' features, as a reason reads them.
_FEATURES = {
    "log_aum": ("Financial assets", "金融资产"),
    "log_loan": ("Loan balance", "贷款余额"),
    "txn_counter": ("Counter transactions", "柜面交易"),
    "txn_self_service": ("Self-service transactions", "自助设备交易"),
    "txn_mobile": ("Mobile transactions", "手机银行交易"),
    "mobile_logins": ("Mobile logins", "手机银行登录"),
    "log_inflow": ("Money coming in", "资金流入"),
    "log_transfer_out": ("Transfers to other banks", "转出他行"),
    "age": ("Age", "年龄"),
    "tenure_years": ("Years as a customer", "开户年限"),
    "risk_level": ("Risk grade", "风险等级"),
    "tier_rank": ("Tier", "客户层级"),
    "has_employer": ("Paid by a partner employer", "合作单位代发员工"),
    **{f"log_{a.code}": (a.name_en, a.name_zh) for a in _rules.ASSET_CLASSES},
    **{
        f"log_spend_{code}": (f"Spending: {en.lower()}", f"{zh}消费")
        for code, en, zh in _rules.SPEND_CATEGORIES
    },
    **{
        f"occ_{code}": (f"Occupation: {en.lower()}", f"职业：{zh}")
        for code, en, zh in _rules.OCCUPATIONS
    },
    **{
        f"holds_{c}": (
            f"Holds {_codes.PRODUCT_CATEGORY[c].name_en}",
            f"持有{_codes.PRODUCT_CATEGORY[c].name_zh}",
        )
        for c in _xr.HOLDING_CATEGORIES
    },
}
STRINGS.update({f"xsell.feature_{name}": names for name, names in _FEATURES.items()})

DYNAMIC_KEYS: frozenset[str] = frozenset(
    {f"xsell.target_{code}" for code in _codes.PRODUCT_CATEGORY.codes}
    | {f"xsell.feature_{name}" for name in _FEATURES}
    | {f"xsell.dimension_{d}" for d in ("branch", "tier", "occupation", "wealth_manager")}
    | {"xsell.measure_core", "xsell.measure_products"}
    | {f"xsell.reason_{d}" for d in ("has", "lacks", "high", "low")}
    | {f"xsell.{k}_help" for k in ("staff_coverage", "payroll_coverage", "exclusive_uptake")}
    | {f"cust.channel_{c}" for c in _codes.CHANNEL.codes}
    | {f"cust.grace_{g}" for g in _rules.GRACE_STATES}
    | {"cust.fit_within", "cust.fit_above"}
    | {f"cust.gender_{g}" for g in _codes.GENDER.codes}
)
