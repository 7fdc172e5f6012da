"""Labels of the Segments (客户细分) and Tier migration (客户升降级) pages."""

from analytics import rules
from analytics import segment_rules as sr
from catalogue import codes
from ui.strings import code_labels

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ segment filters
    "seg.filters": ("Segment filters 细分筛选", "细分筛选"),
    "seg.filters_help": (
        "Combine any of these with the sidebar filters: every choice narrows the customers "
        "counted on this page (and is kept in the link).",
        "可与侧栏筛选任意组合：每项选择都会缩小本页统计的客户范围（并保存在链接中）。",
    ),
    "seg.filters_active": ("{n} segment filter(s) applied.", "已应用{n}项细分筛选。"),
    "seg.no_segment_filter": ("no segment filter", "无细分筛选"),
    "seg.unknown": ("Not recorded", "未登记"),
    "seg.small": ("hidden", "已隐藏"),
    "seg.suppressed_note": (
        "{n} cell(s) hide their numbers: groups smaller than your role may see (fewer than 5 "
        "customers for analysts) are suppressed.",
        "{n}个单元格已隐藏：小于您角色可查看的最小客户数（分析师为5户）的分组不显示数字。",
    ),
    # ------------------------------------------------------------ dimensions
    "seg.dimension": ("Break down by 细分维度", "细分维度"),
    "seg.dimension_help": (
        "The customer attribute the customers and assets are split by.",
        "用于划分客户和资产的客户属性。",
    ),
    "seg.dim_tier": ("Tier 客户分层", "客户分层"),
    "seg.dim_occupation": ("Occupation 职业", "职业"),
    "seg.dim_industry": ("Industry (business owners) 行业分类", "行业分类（个体工商户）"),
    "seg.dim_age_band": ("Age band 年龄段", "年龄段"),
    "seg.dim_gender": ("Gender 性别", "性别"),
    "seg.dim_branch_type": ("{@Branch} type {@branch:zh}类型", "{@branch}类型"),
    "seg.dim_risk_grade": ("Risk grade 风险等级", "风险承受等级"),
    "seg.dim_channel": ("Main channel 主要渠道", "主要渠道"),
    "seg.age_under_25": ("Under 25", "25岁以下"),
    "seg.age_25_34": ("25-34", "25-34岁"),
    "seg.age_35_44": ("35-44", "35-44岁"),
    "seg.age_45_54": ("45-54", "45-54岁"),
    "seg.age_55_64": ("55-64", "55-64岁"),
    "seg.age_65_plus": ("65 and over", "65岁及以上"),
    "seg.channel_none": ("No transactions 无交易", "当月无交易"),
    # ------------------------------------------------------------ breakdown tab
    "seg.tab_breakdown": ("Breakdowns 分布", "客户分布"),
    "seg.tab_groups": ("Customer groups 客群", "客群"),
    "seg.tab_suitability": ("Suitability 适当性", "适当性"),
    "seg.tab_spending": ("Spending habits 消费习惯", "消费习惯"),
    "seg.kpi_customers": ("Customers (all) 客户总数", "客户总数"),
    "seg.kpi_customers_help": (
        "Customers with an open relationship at month end, inside all filters.",
        "月末仍有存续业务关系、且符合全部筛选条件的客户数。",
    ),
    "seg.kpi_aum": ("Financial assets 金融资产", "金融资产"),
    "seg.kpi_aum_help": (
        "Month-end financial assets (AUM): deposits, wealth products, funds, agency insurance "
        "and bonds; loans excluded.",
        "月末金融资产：存款、理财、基金、代理保险和债券之和，不含贷款。",
    ),
    "seg.kpi_avg_aum": ("Assets per customer 户均资产", "户均资产"),
    "seg.kpi_avg_aum_help": (
        "Financial assets divided by the number of customers.",
        "金融资产除以客户数。",
    ),
    "seg.share_title": ("Customers and assets by {dimension}", "按{dimension}的客户与资产占比"),
    "seg.share_help": (
        "Each segment's share of the customers next to its share of the assets: a segment "
        "whose asset share is far above its customer share holds the wealth.",
        "各细分的客户占比与资产占比并列：资产占比远高于客户占比的细分集中了财富。",
    ),
    "seg.customer_share": ("Share of customers", "客户占比"),
    "seg.customer_share_help": (
        "The segment's customers as a percentage of all customers shown.",
        "该细分客户数占所示全部客户数的百分比。",
    ),
    "seg.aum_share": ("Share of assets", "资产占比"),
    "seg.aum_share_help": (
        "The segment's financial assets as a percentage of all assets shown.",
        "该细分金融资产占所示全部金融资产的百分比。",
    ),
    "seg.active_help": (
        "Share of the segment's customers with at least one transaction in the month.",
        "当月至少有一笔交易的客户占该细分客户的比例。",
    ),
    "seg.split_by_tier": ("Split by tier 按层级拆分", "按层级拆分"),
    "seg.split_help": (
        "Show each segment's customers stacked by tier.",
        "按客户层级堆叠展示各细分的客户数。",
    ),
    "seg.axis_share": ("Share (%)", "占比（%）"),
    "seg.axis_customers": ("Customers", "客户数"),
    "seg.col_segment": ("Segment", "细分"),
    "seg.col_customers": ("Customers", "客户数"),
    "seg.col_customer_share": ("Customer share (%)", "客户占比（%）"),
    "seg.col_aum": ("Financial assets (RMB)", "金融资产（元）"),
    "seg.col_aum_share": ("Asset share (%)", "资产占比（%）"),
    "seg.col_avg_aum": ("Assets per customer (RMB)", "户均资产（元）"),
    "seg.col_active": ("Active (%)", "活跃率（%）"),
    "seg.col_suppressed": ("Hidden (small group)", "已隐藏（分组过小）"),
    # ------------------------------------------------------------ Pareto
    "seg.pareto_title": ("Concentration of assets (Pareto curve)", "资产集中度（帕累托曲线）"),
    "seg.pareto_help": (
        "Customers ranked by financial assets, richest first: the curve shows what share of "
        "the assets the top x% of customers hold. The dotted line is an even spread.",
        "客户按金融资产从高到低排序：曲线表示前x%的客户持有多少比例的资产。虚线为平均分布。",
    ),
    "seg.pareto_top": ("Top {pct}% hold", "前{pct}%客户持有"),
    "seg.pareto_top_help": (
        "Share of all financial assets held by the {pct}% of customers with the most assets.",
        "资产最多的{pct}%客户所持金融资产占全部资产的比例。",
    ),
    "seg.pareto_curve": ("Cumulative share of assets", "累计资产占比"),
    "seg.pareto_equal": ("Even spread", "平均分布"),
    "seg.pareto_hover": (
        "Top {top} of customers hold {share} of assets",
        "前{top}客户持有{share}资产",
    ),
    "seg.axis_top_customers": ("Top customers by assets (%)", "按资产排序的前列客户（%）"),
    "seg.axis_aum_held": ("Share of assets held (%)", "持有资产占比（%）"),
    "seg.col_slice": ("Slice (1 = richest)", "分段（1为资产最高）"),
    "seg.col_min_aum": ("Smallest assets (RMB)", "最低资产（元）"),
    "seg.col_max_aum": ("Largest assets (RMB)", "最高资产（元）"),
    "seg.col_cum_customers": ("Cumulative customers (%)", "累计客户占比（%）"),
    "seg.col_cum_aum": ("Cumulative assets (%)", "累计资产占比（%）"),
    # ------------------------------------------------------------ customer groups
    "seg.groups_intro": (
        "Customer groups (客群) found by k-means clustering on standardised behaviour: assets, "
        "investment share, loans, mobile use, transactions, card spending, products held and "
        "age. The same data always gives the same groups; each is named from its centre.",
        "客群由标准化后的客户行为（资产、投资占比、贷款、手机银行使用、交易笔数、刷卡消费、持有产品数和"
        "年龄）经K均值聚类得出。相同数据得到相同客群，客群名称由其中心特征生成。",
    ),
    "seg.groups_fitting": ("Finding customer groups…", "正在划分客群…"),
    "seg.groups_too_few": (
        "Too few customers in these filters to form customer groups.",
        "当前筛选范围内客户太少，无法划分客群。",
    ),
    "seg.group_name": ("{age} {channel} {role}", "{age}{channel}{role}客群"),
    "seg.group_name_nth": ("{name} ({n})", "{name}（{n}）"),
    "seg.word_young": ("Young", "青年"),
    "seg.word_middle_aged": ("Middle-aged", "中年"),
    "seg.word_senior": ("Senior", "老年"),
    "seg.word_mobile_first": ("mobile-first", "手机银行型"),
    "seg.word_counter_going": ("counter-going", "柜面型"),
    "seg.word_low_activity": ("low-activity", "低活跃"),
    "seg.word_borrowers": ("borrowers", "借贷"),
    "seg.word_investors": ("investors", "投资"),
    "seg.word_wealthy_savers": ("wealthy savers", "高净值储蓄"),
    "seg.word_savers": ("savers", "储蓄"),
    "seg.word_small_balances": ("small-balance customers", "小额"),
    "seg.policy_title": ("One policy per class 一类一策", "一类一策"),
    "seg.policy_help": (
        "A card per customer group: size, assets, typical products, churn and the actions the "
        "segment rules suggest (analytics/segment_rules.py).",
        "每个客群一张卡片：规模、资产、典型产品、流失率，以及细分规则（analytics/segment_rules.py）"
        "建议的营销与服务动作。",
    ),
    "seg.card_suppressed": (
        "Fewer customers than your role may see: numbers hidden.",
        "客户数少于您角色可查看的下限，数字已隐藏。",
    ),
    "seg.card_size": ("Customers", "客户数"),
    "seg.card_size_help": (
        "Customers in the group this month ({share} of all customers shown).",
        "本月该客群客户数（占所示客户的{share}）。",
    ),
    "seg.card_aum": ("Assets", "金融资产"),
    "seg.card_aum_help": (
        "The group's month-end financial assets ({share} of all assets shown).",
        "该客群月末金融资产（占所示资产的{share}）。",
    ),
    "seg.card_avg_aum": ("Per customer", "户均资产"),
    "seg.card_churn": ("Churn rate", "流失率"),
    "seg.card_churn_help": (
        "Of the customers in this group {months} months ago (grouped by their behaviour then), "
        "the share with no open relationship now.",
        "{months}个月前属于该客群的客户（按当时行为归群）中，目前已无存续业务关系的比例。",
    ),
    "seg.card_mobile": ("Mobile share", "手机银行占比"),
    "seg.card_profile": (
        "Average age {age} · mobile share {mobile} · invested {invest}",
        "平均年龄{age}岁 · 手机银行交易占比{mobile} · 投资类资产占比{invest}",
    ),
    "seg.card_profile_help": (
        "Averages over the group's customers: age; mobile transactions as a share of all "
        "transactions; wealth, funds, insurance and bonds as a share of assets.",
        "客群客户的平均值：年龄；手机银行交易占全部交易的比例；理财、基金、保险和债券占金融资产的比例。",
    ),
    "seg.card_products_line": ("Typical products: {items}", "典型产品：{items}"),
    "seg.card_actions_line": ("Suggested actions:", "建议动作："),
    "seg.card_products_help": (
        "Product categories held by at least a fifth of the group, most distinctive first "
        "(held far more often here than by the other groups).",
        "至少五分之一客群客户持有的产品类别，按特征性排序（在该客群中的持有率明显高于其他客群）。",
    ),
    "seg.card_actions_help": (
        "From the action rules in analytics/segment_rules.py (thresholds on the card's metrics).",
        "依据 analytics/segment_rules.py 中的动作规则（基于卡片指标的阈值）生成。",
    ),
    "seg.action_retention_callbacks": (
        "Schedule callbacks (回访) and retention offers: churn is high",
        "流失率偏高：安排回访并制定挽留方案",
    ),
    "seg.action_vip_services": (
        "Offer VIP value-added services (贵宾增值服务) and a dedicated wealth manager",
        "提供贵宾增值服务并配备专属理财经理",
    ),
    "seg.action_wealth_advice": (
        "Wealth advice: move idle deposits into products that match the risk grade",
        "理财规划：按风险等级将闲置存款配置到合适产品",
    ),
    "seg.action_mobile_activation": (
        "Activate mobile banking (手机银行) to move transactions off the counter",
        "推广手机银行，引导交易离柜",
    ),
    "seg.action_core_bundle": (
        "Cross-sell the five core products (五花大绑)",
        "交叉销售五项核心产品（五花大绑）",
    ),
    "seg.action_reactivation": (
        "Reactivate dormant accounts with a call or visit",
        "通过电话或走访激活休眠账户",
    ),
    "seg.action_payroll_and_consumer_credit": (
        "Payroll disbursement (代发) and small consumer credit for young earners",
        "面向青年客户推广代发工资和小额消费信贷",
    ),
    "seg.action_pension_and_health": (
        "Pension disbursement, hospital guidance and fraud-prevention talks",
        "养老金代发、医院导诊服务和防诈骗宣传",
    ),
    "seg.action_credit_review": (
        "Review credit: repayment capacity and deposit linkage for borrowers",
        "贷款客户：复核还款能力，加强存贷联动",
    ),
    "seg.action_maintain": (
        "Keep regular contact; no rule flags this group",
        "保持常规联系，暂无规则触发",
    ),
    "seg.axis_avg_age": ("Average age (years)", "平均年龄（岁）"),
    "seg.axis_avg_aum": ("Assets per customer (RMB, log scale)", "户均资产（元，对数坐标）"),
    "seg.group_spend_title": ("Card spending per customer by group", "各客群户均刷卡消费"),
    "seg.col_group": ("Customer group", "客群"),
    "seg.col_avg_age": ("Average age", "平均年龄"),
    "seg.col_mobile": ("Mobile share (%)", "手机银行占比（%）"),
    "seg.col_invest": ("Invested share (%)", "投资类资产占比（%）"),
    "seg.col_churn": ("Churn rate (%)", "流失率（%）"),
    "seg.col_products": ("Typical products", "典型产品"),
    "seg.col_actions": ("Suggested actions", "建议动作"),
    # ------------------------------------------------------------ suitability
    "seg.suit_intro": (
        "Suitability (适当性): a product of risk grade R n suits a customer of risk grade C m "
        "only when n ≤ m. Holdings open at month end are checked.",
        "适当性管理：产品风险等级R n仅适合风险承受等级C m且n≤m的客户。检查月末仍持有的产品。",
    ),
    "seg.suit_customers": ("Customers above their grade", "超风险等级持有客户"),
    "seg.suit_customers_help": (
        "Customers holding at least one product whose risk grade (R) is above their own risk "
        "grade (C).",
        "至少持有一只产品风险等级（R）高于本人风险承受等级（C）的客户数。",
    ),
    "seg.suit_rate": ("Share of customers", "占客户比例"),
    "seg.suit_rate_help": (
        "Customers above their grade as a percentage of all customers.",
        "超风险等级持有客户占全部客户的百分比。",
    ),
    "seg.suit_amount": ("Amount held above grade", "超等级持有金额"),
    "seg.suit_amount_help": (
        "Amount of the holdings whose risk grade is above the customer's.",
        "风险等级高于客户风险承受等级的持仓金额。",
    ),
    "seg.suit_by_branch": ("Suitability by {@branch}", "分{@branch}适当性"),
    "seg.suit_grid": ("Customer grade × product risk grade", "客户风险等级 × 产品风险等级"),
    "seg.suit_grid_help": (
        "Customers holding products of each risk grade, by their own grade; cells marked ⚠, right "
        "of the diagonal (R above C), are unsuitable.",
        "按客户风险承受等级统计持有各风险等级产品的客户数；标记⚠的单元格（对角线右侧，R高于C）为不适当持有。",
    ),
    "seg.axis_product_grade": ("Product risk grade", "产品风险等级"),
    "seg.axis_customer_grade": ("Customer risk grade", "客户风险承受等级"),
    "seg.suit_list": ("Holdings above the customer's grade", "超风险等级持仓明细"),
    "seg.suit_list_help": (
        "Each holding above the customer's grade, largest first; names are masked unless you "
        "hold an unmask grant. Open a customer to plan a suitability review.",
        "按金额从大到小列出超等级持仓；除非获得脱敏解除授权，姓名均已脱敏。点击客户可查看并安排适当性复核。",
    ),
    "seg.col_branch": ("{@Branch}", "{@branch}"),
    "seg.col_suit_customers": ("Customers above grade", "超等级客户数"),
    "seg.col_suit_rate": ("Share (%)", "占比（%）"),
    "seg.col_suit_holdings": ("Holdings above grade", "超等级持仓笔数"),
    "seg.col_suit_amount": ("Amount above grade (RMB)", "超等级持仓金额（元）"),
    "seg.col_customer": ("Customer", "客户"),
    "seg.col_name": ("Name", "姓名"),
    "seg.col_customer_grade": ("Customer grade", "客户风险等级"),
    "seg.col_product": ("Product", "产品"),
    "seg.col_product_grade": ("Product grade", "产品风险等级"),
    "seg.col_amount": ("Amount (RMB)", "金额（元）"),
    "seg.customer_link_help": (
        "Opens the customer view (客户统一视图) for this customer.",
        "打开该客户的客户统一视图。",
    ),
    "seg.page_number": ("Page (of {pages})", "页码（共{pages}页）"),
    "seg.list_count": ("{n} in all", "共{n}条"),
    # ------------------------------------------------------------ spending
    "seg.spend_title": (
        "Card spending per customer per month (last {months} months)",
        "户均月刷卡消费（近{months}个月）",
    ),
    "seg.spend_help": (
        "Average monthly card spending per customer by category (消费习惯): the segment's "
        "spending divided by its customer-months.",
        "按类别的户均月刷卡消费：该细分的消费总额除以客户月数。",
    ),
    "seg.axis_spend": ("RMB per customer per month", "户均每月（元）"),
    # ------------------------------------------------------------ migration page
    "mig.too_few_months": (
        "Tier migration needs at least two months of data.",
        "客户升降级分析至少需要两个月的数据。",
    ),
    "mig.from_month": ("From month 起始月", "起始月"),
    "mig.from_month_help": (
        "Customers are taken as they were at the end of this month.",
        "以该月末的客户及其层级为起点。",
    ),
    "mig.to_month": ("To month 对比月", "对比月"),
    "mig.to_month_help": (
        "Where the same customers were at the end of this month.",
        "同一批客户在该月末的层级。",
    ),
    "mig.period": ("{start} → {end}", "{start} → {end}"),
    "mig.measure": ("Measure 口径", "统计口径"),
    "mig.measure_help": (
        "Count customers, or sum their financial assets in the starting month.",
        "按客户数统计，或按起始月金融资产合计统计。",
    ),
    "mig.measure_count_customers": ("Customers", "客户数"),
    "mig.measure_aum_from_rmb": ("Assets", "金融资产"),
    "mig.left": ("Left 流失", "已流失"),
    "mig.new": ("New 新增", "新增客户"),
    "mig.kpi_base": ("Customers at start", "期初客户数"),
    "mig.kpi_base_help": (
        "Customers with an open relationship at the end of the starting month.",
        "起始月末有存续业务关系的客户数。",
    ),
    "mig.kpi_up": ("Upgraded 升级率", "升级率"),
    "mig.kpi_up_help": (
        "Share of the starting customers in a higher tier in the later month (upgrades take "
        "effect at once).",
        "期初客户中对比月处于更高层级的比例（升级即时生效）。",
    ),
    "mig.kpi_down": ("Downgraded 降级率", "降级率"),
    "mig.kpi_down_help": (
        "Share of the starting customers in a lower tier in the later month (after the grace "
        "rule: six months below the floor).",
        "期初客户中对比月处于更低层级的比例（按保级期规则：连续六个月低于门槛才降级）。",
    ),
    "mig.kpi_left": ("Left 流失率", "流失率"),
    "mig.kpi_left_help": (
        "Share of the starting customers with no open relationship in the later month.",
        "期初客户中对比月已无存续业务关系的比例。",
    ),
    "mig.kpi_new": ("New customers 新增", "新增客户"),
    "mig.kpi_new_help": (
        "Customers in the later month who were not customers in the starting month.",
        "对比月存在、但起始月尚不是客户的客户数。",
    ),
    "mig.tab_matrix": ("Matrix 迁移矩阵", "迁移矩阵"),
    "mig.tab_sankey": ("Flows 流向图", "流向图"),
    "mig.matrix_title": ("Tier migration matrix {period}", "客户层级迁移矩阵 {period}"),
    "mig.matrix_help": (
        "Rows: tier in the starting month (plus new customers); columns: tier in the later "
        "month (plus customers who left). Each row adds up to the tier's starting customers.",
        "行：起始月层级（另含新增客户）；列：对比月层级（另含流失客户）。每行合计等于该层级期初客户数。",
    ),
    "mig.axis_from": ("Tier in {month}", "{month}层级"),
    "mig.axis_to": ("Tier in {month}", "{month}层级"),
    "mig.col_from": ("From tier", "原层级"),
    "mig.col_to": ("To tier", "现层级"),
    "mig.col_aum_from": ("Assets at start (RMB)", "期初金融资产（元）"),
    "mig.col_aum_to": ("Assets at end (RMB)", "期末金融资产（元）"),
    "mig.sankey_title": ("Where each tier went {period}", "各层级客户流向 {period}"),
    "mig.sankey_help": (
        "Customers flowing from their starting tier (left) to their tier in the later month "
        "(right). Green: upgrades; orange: downgrades; grey: stayed; black: left.",
        "客户从起始层级（左）流向对比月层级（右）。绿色为升级，橙色为降级，灰色为保持，黑色为流失。",
    ),
    "mig.rates_title": ("Upgrade and downgrade rates by {@branch}", "各{@branch}升降级率"),
    "mig.rates_help": (
        "Each month, customers who moved up (or down) a tier as a percentage of the {@branch}'s "
        "customers the month before; all tiers.",
        "每月升级（或降级）客户数占该{@branch}上月客户数的百分比；含全部层级。",
    ),
    "mig.rate_kind": ("Rate 比率", "比率"),
    "mig.rate_upgrade_rate_pct": ("Upgrade rate (%)", "升级率（%）"),
    "mig.rate_downgrade_rate_pct": ("Downgrade rate (%)", "降级率（%）"),
    "mig.rate_net_rate_pct": ("Net (up - down, %)", "净升级率（%）"),
    "mig.axis_month": ("Month", "月份"),
    "mig.col_base": ("Customers last month", "上月客户数"),
    "mig.col_upgraded": ("Upgraded", "升级客户数"),
    "mig.col_downgraded": ("Downgraded", "降级客户数"),
    "mig.grace_title": ("In the grace period (保级期)", "保级期客户"),
    "mig.grace_help": (
        "Customers whose assets on the tier basis ({basis}) are below their tier's floor but who "
        "keep the tier for now: after {downgrade} months in a row below it they are downgraded, "
        "from {watch} months on they are on downgrade watch. Nearest the downgrade first, then "
        'largest balance; "Needed" is what brings the customer back to the floor on that basis.',
        "按层级口径（{basis}）计的金融资产已低于本层级门槛、暂时保留层级的客户：连续{downgrade}个月"
        "低于门槛即降级，第{watch}个月起列入降级预警。按距降级月数由近到远、资产由大到小排列；"
        "“保级所需”为按该口径回到门槛尚需的金额。",
    ),
    "mig.grace_summary": (
        "{count} customers in the grace period, {watch} of them on downgrade watch; {needed} "
        "would bring them all back to their floors.",
        "保级期客户{count}户，其中降级预警{watch}户；全部回到门槛尚需{needed}。",
    ),
    "mig.grace_empty": (
        "No customer is in the grace period this month.",
        "本月没有处于保级期的客户。",
    ),
    "mig.col_tier_kept": ("Tier kept", "保留层级"),
    "mig.col_tier_reached": ("Tier its assets reach", "按资产应属层级"),
    "mig.col_months_below": ("Months below the floor", "低于门槛月数"),
    "mig.col_months_left": ("Months before the downgrade", "距降级月数"),
    "mig.col_aum": ("Assets at month end", "月末金融资产"),
    "mig.col_floor": ("Tier floor", "层级门槛"),
    "mig.col_needed": ("Needed", "保级所需"),
    "mig.col_basis": ("Assets, {basis}", "金融资产（{basis}）"),
    "mig.col_basis_help": (
        "The balance the tier is judged on (the organisation's tier basis: {basis}).",
        "评定层级所依据的金额（本行（社）层级口径：{basis}）。",
    ),
    "mig.col_needed_help": (
        "The tier's floor minus the customer's assets on the tier basis ({basis}).",
        "层级门槛减去客户按层级口径（{basis}）计的金融资产。",
    ),
    "mig.movers_title": ("Customers who moved {period}", "层级变动客户 {period}"),
    "mig.movers_help": (
        "Customers whose tier changed, or who left, between the two months, largest change in "
        "assets first. Names are masked; open a customer for the full view.",
        "两个月之间层级变动或流失的客户，按资产变动从大到小排列。姓名已脱敏，点击客户查看统一视图。",
    ),
    "mig.direction": ("Movement 变动方向", "变动方向"),
    "mig.dir_all": ("Any change", "全部变动"),
    "mig.dir_up": ("Upgraded", "升级"),
    "mig.dir_down": ("Downgraded", "降级"),
    "mig.dir_left": ("Left", "流失"),
    "mig.col_change": ("Change in assets (RMB)", "资产变动（元）"),
    "mig.col_change_help": (
        "Assets at the end minus assets at the start (customers who left count as zero at the "
        "end).",
        "期末资产减期初资产（流失客户期末按零计）。",
    ),
}

# Codes named by the code lists.
STRINGS.update(code_labels("seg.gender_", codes.GENDER))
STRINGS.update(code_labels("seg.risk_", codes.RISK_GRADE))
STRINGS[f"seg.risk_{rules.RISK_UNASSESSED}"] = ("Not assessed", "未评估")
STRINGS.update(code_labels("seg.channel_", codes.CHANNEL))
STRINGS.update(code_labels("seg.product_", codes.PRODUCT_CATEGORY))

DYNAMIC_KEYS = frozenset(
    {f"seg.dim_{d}" for d in sr.DIMENSIONS}
    | {f"seg.age_{code}" for code, _, _ in sr.AGE_BANDS}
    | {f"seg.gender_{g}" for g in sr.GENDERS}
    | {f"seg.risk_{g}" for g in (*rules.RISK_GRADES, rules.RISK_UNASSESSED)}
    | {f"seg.channel_{c}" for c in sr.CHANNEL_CLASSES}
    | {f"seg.product_{c}" for c in codes.PRODUCT_CATEGORY.codes}
    | {f"seg.action_{r.code}" for r in sr.ACTION_RULES}
    | {f"seg.action_{sr.DEFAULT_ACTION}"}
    | {
        f"seg.word_{w}"
        for w in (
            *(code for code, _ in sr.NAME_AGE),
            sr.NAME_AGE_ELSE,
            "mobile_first",
            "counter_going",
            "low_activity",
            "borrowers",
            "investors",
            "wealthy_savers",
            "savers",
            "small_balances",
        )
    }
    | {f"mig.kpi_{k}" for k in ("base", "up", "down", "left", "new")}
    | {f"mig.kpi_{k}_help" for k in ("base", "up", "down", "left", "new")}
    | {f"mig.dir_{d}" for d in ("all", "up", "down", "left")}
    | {f"mig.measure_{m}" for m in ("count_customers", "aum_from_rmb")}
    | {f"mig.rate_{k}" for k in ("upgrade_rate_pct", "downgrade_rate_pct", "net_rate_pct")}
)
