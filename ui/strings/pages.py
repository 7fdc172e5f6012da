"""Page titles and one-line descriptions (navigation and page headers)."""

STRINGS: dict[str, tuple[str, str]] = {
    "page.trends": ("Asset trends 资产趋势", "资产趋势"),
    "page.trends_help": (
        "AUM by asset class over time, growth, where the change came from, rankings, "
        "seasonality, deposit structure and VIP customers, with drill-down by organisation.",
        "分资产类别的金融资产趋势、增速、变动来源、排名、季节性、存款结构和贵宾客户，可按机构逐级下钻。",
    ),
    "page.scorecards": ("{@Branch} scorecards {@branch:zh}评价", "{@branch}评价"),
    "page.scorecards_help": (
        "6S scores and star ratings, the service-quality index, and how service relates to "
        "growth and churn, per {@branch}.",
        "各{@branch}6S评分与星级、服务质量指数，以及服务与资产增长、客户流失的关系。",
    ),
    "page.my_branch": ("My {@branch} 我的{@branch:zh}", "我的{@branch}"),
    "page.my_branch_help": (
        "{@A branch} on one screen: KPIs against target, wealth managers, watchlist, 6S and "
        "service quality.",
        "一屏看{@branch}：指标与目标对比、理财经理、预警名单、6S和服务质量。",
    ),
    "page.targets": ("Targets 目标考核", "目标考核"),
    "page.targets_help": (
        "{@Branch} targets against actuals: attainment, time elapsed, run-rate projection.",
        "{@branch}目标与实际完成对比：完成率、时间进度和按当前进度的年末预测。",
    ),
    "page.watchlist": ("Churn watchlist 流失预警", "流失预警"),
    "page.watchlist_help": (
        "Customers most likely to leave, ranked by assets at risk, with callbacks and "
        "retention follow-up.",
        "按风险资产排序的高流失风险客户，以及回访和挽留跟进。",
    ),
    "page.customer": ("Customer view 客户统一视图", "客户统一视图"),
    "page.customer_help": (
        "One customer on one screen: profile, household, assets, products, churn score and "
        "contact history.",
        "一屏看客户：基本信息、家庭、资产、产品、流失评分和联系记录。",
    ),
    "page.hongyan": ("Hongyan plan 鸿雁计划", "鸿雁计划"),
    "page.hongyan_help": (
        "The wealth-manager league: assets managed, growth, products sold, contacts and "
        "levels with their stepwise targets.",
        "理财经理排行：管户资产、增长、产品销售、客户联系，以及各级别的阶梯目标。",
    ),
    "page.segments": ("Segments 客户细分", "客户细分"),
    "page.segments_help": (
        "Customers and AUM by tier, occupation, industry, age, {@branch} type, risk grade and "
        "channel; customer groups found by clustering.",
        "按层级、职业、行业、年龄、{@branch}类型、风险等级和渠道的客户与资产分布；聚类得到的客群。",
    ),
    "page.migration": ("Tier migration 升降级", "客户升降级"),
    "page.migration_help": (
        "Upgrades and downgrades between tiers across any two months, by {@branch}, and the "
        "customers who moved.",
        "任意两个月之间客户层级的升级与降级、分{@branch}的升降级率，以及变动客户名单。",
    ),
    "page.cross_sell": ("Cross-selling 交叉销售", "交叉销售"),
    "page.cross_sell_help": (
        "Coverage of the five core products, the stickiness curve, next-best-product "
        "suggestions and partner employers.",
        "五项核心产品覆盖、产品黏性曲线、下一个最佳产品推荐和合作单位。",
    ),
    "page.vip": ("VIP services 贵宾服务", "贵宾服务"),
    "page.vip_help": (
        "Customers with financial assets of ¥1,000,000 or more: eligible against using, by "
        "service and {@branch}.",
        "金融资产100万元及以上的客户：按服务类型和{@branch}看符合条件与实际使用情况。",
    ),
    "page.churn_model": ("Churn model 流失模型", "流失模型"),
    "page.churn_model_help": (
        "How well the churn model ranks and how calibrated it is, against simpler baselines.",
        "流失模型的排序能力与校准程度，并与简单基准比较。",
    ),
    "page.glossary": ("Glossary 术语表", "术语表"),
    "page.glossary_help": (
        "Every term and metric, English and Chinese side by side.",
        "所有术语和指标的中英文对照。",
    ),
    "page.data_quality": ("Data quality 数据质量", "数据质量"),
    "page.data_quality_help": (
        "The last load, the as-of month, rows per table and month, and rejected rows.",
        "最近一次加载、数据截至月份、各表各月行数和被拒绝的记录。",
    ),
    "page.users": ("Users 用户管理", "用户管理"),
    "page.users_help": (
        "Accounts, roles and scopes; disable a user or change a role.",
        "账户、角色与数据范围；停用用户或调整角色。",
    ),
    "page.audit": ("Audit log 审计日志", "审计日志"),
    "page.audit_help": (
        "Who signed in, who opened which customer, every export and unmasking.",
        "登录、查看客户、导出和脱敏解除的全部记录。",
    ),
}
