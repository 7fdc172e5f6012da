"""Labels of sign-in, unmasking, the users page and the audit page (keys login., unmask.,
users., audit.)."""

# Events as the audit page names them, with a one-line definition each.
_EVENTS: dict[str, tuple[tuple[str, str], tuple[str, str]]] = {
    "sign_in": (
        ("Sign-ins", "登录"),
        ("Successful sign-ins, by any method.", "成功登录次数（任何方式）。"),
    ),
    "sign_out": (("Sign-outs", "退出"), ("Sign-outs by the user.", "用户主动退出次数。")),
    "sign_in_failed": (
        ("Failed sign-ins", "登录失败"),
        (
            "Sign-ins refused: wrong password, unknown or disabled account, locked account, a "
            "single sign-on identity without an account, or a single sign-on whose session has "
            "ended and needs a fresh sign-in.",
            "被拒绝的登录：密码错误、账号不存在或已停用、账号锁定、单点登录身份未开通账号，"
            "或单点登录会话已结束、需重新登录。",
        ),
    ),
    "locked_out": (
        ("Lockouts", "账号锁定"),
        (
            "Accounts locked after too many failed sign-ins in a row.",
            "因连续登录失败次数过多而被锁定的账号。",
        ),
    ),
    "session_expired": (
        ("Expired sessions", "会话超时"),
        (
            "Sessions ended by the idle or the absolute time limit, or because the account was "
            "disabled, removed or given another role or scope.",
            "因空闲超时、最长会话时间到期，或账号被停用、删除、变更角色或权限范围而结束的会话。",
        ),
    ),
    "access_denied": (
        ("Denied access", "拒绝访问"),
        (
            "Attempts to open a page the role may not see, or a customer outside the scope.",
            "试图打开角色无权访问的页面或权限范围以外客户的次数。",
        ),
    ),
    "customer_list": (
        ("Customer lists shown", "客户名单查看"),
        ("Customer lists shown, with the customer keys.", "展示客户名单的次数（记录客户编号）。"),
    ),
    "customer_search": (
        ("Customer searches", "客户查找"),
        (
            "Customer searches, found or not, with the customers found and a keyed hash of what "
            "was searched (never the text itself); refused searches too.",
            "客户查找次数（无论是否找到），记录找到的客户及查找内容的密钥哈希值（不记录原文）；被拒绝的查找也记录在内。",
        ),
    ),
    "customer_view": (
        ("Customers opened", "客户查看"),
        ("Openings of one customer's detail view.", "打开单个客户详情视图的次数。"),
    ),
    "unmask": (
        ("Unmask grants", "解除脱敏"),
        (
            "Time-limited grants to see personal data unmasked, each with its stated reason.",
            "限时查看未脱敏个人信息的授权次数，每次均记录申请理由。",
        ),
    ),
    "export": (
        ("Exports", "数据导出"),
        ("CSV and Excel downloads of a table.", "表格以 CSV 或 Excel 格式下载的次数。"),
    ),
    "contact_record": (
        ("Contact records", "客户联系记录"),
        ("Customer contacts recorded.", "登记的客户联系记录数。"),
    ),
    "retention_update": (
        ("Retention updates", "挽留跟进更新"),
        (
            "Changes to a watchlist customer's retention case: owner, status, follow-up date.",
            "预警客户挽留跟进记录的变更：负责人、状态、下次跟进日期。",
        ),
    ),
    "inspection_upload": (
        ("6S uploads", "6S 检查上传"),
        (
            "6S inspection results uploaded into the warehouse ({@branches}, inspections, rows).",
            "上传至数据仓库的 6S 检查结果（{@branch}、检查次数、行数）。",
        ),
    ),
    "user_change": (
        ("User changes", "用户变更"),
        (
            "Accounts added, disabled, enabled, given a role or password, or unlocked.",
            "账号的新增、停用、启用、角色或密码变更、解锁。",
        ),
    ),
}

STRINGS: dict[str, tuple[str, str]] = {
    # ------------------------------------------------------------ sign-in
    "login.account_title": ("Your account 账号登录", "账号登录"),
    "login.user": ("User name", "用户名"),
    "login.password": ("Password", "密码"),
    "login.submit": ("Sign in", "登录"),
    "login.failed": (
        "Sign-in failed: check the user name and password. After {attempts} failed attempts in "
        "a row an account is locked for {minutes} minutes, and for twice as long each time it "
        "is locked again (at most {max_minutes} minutes). Your administrator can unlock it.",
        "登录失败，请检查用户名和密码。连续失败 {attempts} 次后，账号将被锁定 {minutes} 分钟；"
        "再次被锁定时，锁定时间逐次加倍（最长 {max_minutes} 分钟）。系统管理员可以解锁。",
    ),
    "login.sso_button": ("Sign in with single sign-on (SSO)", "使用单点登录（SSO）"),
    "login.sso_refused": (
        "{who} signed in with single sign-on, but has no active account here. Ask your "
        "administrator to add you.",
        "{who} 已通过单点登录验证，但在本系统没有可用账号。请联系系统管理员开通。",
    ),
    "login.sso_switch": ("Sign out of single sign-on", "退出单点登录"),
    "login.sso_weak_secret": (
        "Single sign-on is switched off: the server's cookie secret is not a safe random key "
        "(at least 32 random bytes, hex or base64). Your administrator can see the details in "
        "the server log; until it is fixed, sign in with your account.",
        "单点登录已关闭：服务器的 Cookie 密钥不是安全的随机密钥（至少 32 个随机字节，"
        "以十六进制或 Base64 书写）。详细原因见服务器日志，请联系系统管理员；"
        "修复前请使用账号密码登录。",
    ),
    "login.personas_off": (
        "Demo personas are switched off on this server (PCRM_DEMO_PERSONAS=off).",
        "本服务器已关闭演示身份登录（PCRM_DEMO_PERSONAS=off）。",
    ),
    "login.personas_store_in_use": (
        "Demo personas are not offered: the app store already holds staff accounts or their "
        "records (audit log, contacts), and a password-free persona would see them. Sign in "
        "with your account.",
        "不提供演示身份登录：应用数据库中已有员工账号或其业务记录（审计日志、客户联系记录），"
        "免密码的演示身份会看到这些信息。请使用您的账号登录。",
    ),
    "login.personas_store_unreadable": (
        "Demo personas are not offered: the app store cannot be read, so it cannot be checked "
        "that no staff records are in it. Ask the administrator to check the app store.",
        "不提供演示身份登录：无法读取应用数据库，不能确认其中没有员工记录。"
        "请联系系统管理员检查应用数据库。",
    ),
    "login.expired_idle": (
        "You were signed out after a period without activity. Please sign in again.",
        "由于长时间未操作，您已被自动退出，请重新登录。",
    ),
    "login.expired_absolute": (
        "Your session reached its maximum length. Please sign in again.",
        "会话已达到最长时限，请重新登录。",
    ),
    "login.ended_account_closed": (
        "You were signed out because your account has been disabled or removed. Ask your "
        "administrator if you still need access.",
        "您的账号已被停用或删除，系统已将您退出。如仍需使用，请联系系统管理员。",
    ),
    "login.ended_account_changed": (
        "You were signed out because your access has changed (your role, or the {@branch} or "
        "unit you look after). Sign in again to continue with your new access.",
        "您的权限已变更（角色或负责的{@branch}、机构），系统已将您退出。请重新登录，按新权限继续使用。",
    ),
    "login.sso_reauth": (
        "Your single sign-on session here has ended (time limit reached, signed out, or signed "
        "in again elsewhere since). Sign in with single sign-on again to continue.",
        "您在本系统的单点登录会话已结束（已到时限、已退出，或之后在其他地方重新登录过）。"
        "请重新进行单点登录后继续使用。",
    ),
    "login.sso_again": ("Sign in again with single sign-on", "重新单点登录"),
    # ------------------------------------------------------------ unmasking
    "unmask.title": ("Show personal data", "查看完整个人信息"),
    "unmask.explain": (
        "Names, ID numbers, mobiles and card numbers are masked. With a stated reason you may "
        "see them in full for {minutes} minutes; the reason is recorded in the audit log.",
        "客户姓名、证件号码、手机号和卡号均已脱敏。填写理由后可在 {minutes} 分钟内查看完整信息，"
        "理由将记入审计日志。",
    ),
    "unmask.reason": ("Reason", "申请理由"),
    "unmask.reason_help": (
        "Why you need the full details, e.g. the customer called to verify a transfer.",
        "说明需要查看完整信息的原因，例如客户来电核实转账。",
    ),
    "unmask.grant": ("Unmask for {minutes} minutes", "解除脱敏 {minutes} 分钟"),
    "unmask.reason_needed": (
        "State a reason (at least a few words) before unmasking.",
        "请先填写申请理由（至少几个字）。",
    ),
    "unmask.audit_failed": (
        "Unmasking was refused because it could not be written to the audit log.",
        "由于无法写入审计日志，解除脱敏被拒绝。",
    ),
    "unmask.active": (
        "Personal data is shown unmasked for {minutes} more minutes.",
        "个人信息未脱敏显示，剩余 {minutes} 分钟。",
    ),
    "unmask.end": ("Mask again now", "立即恢复脱敏"),
    # ------------------------------------------------------------ users page
    "users.intro": (
        "Accounts, their roles and scopes. A role's scope decides the rows its user sees; every "
        "change here is written to the audit log.",
        "管理账号及其角色和权限范围。角色的权限范围决定用户能看到的数据；此处的每项变更均记入审计日志。",
    ),
    "users.list_title": ("Accounts", "账号列表"),
    "users.none": (
        "No accounts yet. Add the first one below or with `python -m cli users add`.",
        "尚无账号。请在下方添加，或使用 `python -m cli users add`。",
    ),
    "users.file": ("users", "用户列表"),
    "users.col_user": ("User name", "用户名"),
    "users.col_name": ("Display name", "显示名称"),
    "users.col_role": ("Role", "角色"),
    "users.col_prefecture_id": ("{@Prefecture} id", "{@prefecture}编号"),
    "users.col_cooperative_id": ("{@Cooperative} id", "{@cooperative}编号"),
    "users.col_branch_id": ("{@Branch} id", "{@branch}编号"),
    "users.col_staff_id": ("Staff id", "员工编号"),
    "users.col_login": ("Sign-in", "登录方式"),
    "users.login_password": ("password", "密码"),
    "users.login_sso": ("single sign-on", "单点登录"),
    "users.col_state": ("State", "状态"),
    "users.state_active": ("active", "正常"),
    "users.state_disabled": ("disabled", "已停用"),
    "users.col_locked": ("Locked until (UTC)", "锁定至（UTC）"),
    "users.col_created": ("Created (UTC)", "创建时间（UTC）"),
    "users.org_help": (
        "Only the id the role's scope needs: the {@prefecture} for {@a prefecture} manager, the "
        "{@cooperative} for {@a cooperative} manager, the {@branch} for {@a branch} head, staff "
        "for a wealth manager. The others are looked up in the warehouse.",
        "只需填写角色权限范围所需的编号：{@prefecture}负责人填{@prefecture}，{@cooperative}负责人填"
        "{@cooperative}，{@branch}负责人填{@branch}，理财经理填员工编号，其余编号自动从数据仓库查得。",
    ),
    "users.add_title": ("Add an account", "新增账号"),
    "users.change_title": ("Change an account", "修改账号"),
    "users.id_help": (
        "The sign-in name. For single sign-on, the e-mail address the identity provider reports.",
        "登录用户名。单点登录用户填写身份提供方返回的电子邮箱。",
    ),
    "users.password": ("Password", "密码"),
    "users.password_help": (
        "At least {minimum} characters, hard to guess: several unrelated words work well. Not "
        "a common password, not repetitive, without the user name or display name. Leave empty "
        "for an account that signs in only through single sign-on.",
        "至少 {minimum} 个字符，且不易被猜中，可用几个互不相关的词组成。"
        "不能是常见密码，不能简单重复，不能包含用户名或显示名称。留空则该账号只能通过单点登录。",
    ),
    "users.weak_too_short": (
        "The password is too short: it needs at least {minimum} characters.",
        "密码太短：至少需要 {minimum} 个字符。",
    ),
    "users.weak_too_long": (
        "The password is too long: it may have at most {maximum} characters.",
        "密码太长：最多 {maximum} 个字符。",
    ),
    "users.weak_personal": (
        "The password must not contain the user name or the display name.",
        "密码不能包含用户名或显示名称。",
    ),
    "users.weak_repetitive": (
        "The password is repetitive (one character or a short piece repeated). Use several "
        "unrelated words instead.",
        "密码过于重复（同一字符或一小段字符反复出现），请改用几个互不相关的词。",
    ),
    "users.weak_guessable": (
        "The password is too easy to guess: a common password, a word or name, a date, a "
        "keyboard run or a sequence. Use several unrelated words instead.",
        "密码太容易被猜中（常见密码、单词或姓名、日期、键盘连续键位或顺序字符），"
        "请改用几个互不相关的词。",
    ),
    "users.add": ("Add account", "新增账号"),
    "users.added": ("Account {user} added.", "账号 {user} 已新增。"),
    "users.set_role": ("Save role and scope", "保存角色和权限范围"),
    "users.role_set": ("Role and scope of {user} saved.", "{user} 的角色和权限范围已保存。"),
    "users.set_password": ("Set password", "重设密码"),
    "users.password_set": ("New password set for {user}.", "{user} 的密码已重设。"),
    "users.disable": ("Disable", "停用"),
    "users.enable": ("Enable", "启用"),
    "users.disabled": ("Account {user} disabled.", "账号 {user} 已停用。"),
    "users.enabled": ("Account {user} enabled.", "账号 {user} 已启用。"),
    "users.not_yourself": ("You cannot disable yourself.", "不能停用自己的账号。"),
    "users.not_your_role": (
        "You cannot change your own role or scope: another administrator must do it.",
        "不能修改自己的角色或权限范围，须由其他管理员操作。",
    ),
    "users.unlock": ("Unlock", "解锁"),
    "users.unlocked": ("Account {user} unlocked.", "账号 {user} 已解锁。"),
    # ------------------------------------------------------------ audit page
    "audit.intro": (
        "Every sign-in, denied access, customer opened, export, unmasking and user change, newest "
        "first. The log is append-only: the database refuses changes and deletions.",
        "按时间倒序列出每次登录、拒绝访问、客户查看、导出、解除脱敏和用户变更。审计日志只能追加，"
        "数据库拒绝修改和删除。",
    ),
    "audit.period": ("Days (UTC)", "日期（UTC）"),
    "audit.period_help": (
        "Events from the first to the last day, inclusive.",
        "起止日期（含）内的事件。",
    ),
    "audit.user": ("User", "用户"),
    "audit.anyone": ("Anyone", "全部用户"),
    "audit.events": ("Events", "事件类型"),
    "audit.all_events": ("All events", "全部事件"),
    "audit.customer": ("Customer number", "客户编号"),
    "audit.customer_help": (
        "Only events that name this customer (lists shown, views, contact records).",
        "只看涉及该客户的事件（名单展示、客户查看、联系记录）。",
    ),
    "audit.rows_title": ("Events", "事件明细"),
    "audit.none": ("No events match these filters.", "没有符合条件的事件。"),
    "audit.truncated": (
        "Showing the newest {shown} of {total} events; narrow the filters to see older ones.",
        "显示最新的 {shown} 条，共 {total} 条；缩小筛选范围可查看更早的事件。",
    ),
    "audit.col_id": ("Event no.", "事件编号"),
    "audit.col_time": ("Time (UTC)", "时间（UTC）"),
    "audit.col_user": ("User", "用户"),
    "audit.col_role": ("Role", "角色"),
    "audit.col_event": ("Event", "事件"),
    "audit.col_customers": ("Customers", "涉及客户"),
    "audit.col_detail": ("Detail", "详情"),
    "audit.col_version": ("Warehouse version", "数据版本"),
    "audit.file": ("audit-log", "审计日志"),
    "audit.export_title": (
        "Audit log {since} – {until}, user {user}, events {events}",
        "审计日志 {since} 至 {until}，用户：{user}，事件：{events}",
    ),
}

for _event, ((_en, _zh), (_help_en, _help_zh)) in _EVENTS.items():
    STRINGS[f"audit.event_{_event}"] = (_en, _zh)
    STRINGS[f"audit.event_{_event}_help"] = (_help_en, _help_zh)

# The keys code builds from a value, looked up here (so code never writes a key prefix).
EVENT_LABEL = {event: f"audit.event_{event}" for event in _EVENTS}
EVENT_HELP = {event: f"audit.event_{event}_help" for event in _EVENTS}
ORG_LABEL = {
    column: f"users.col_{column}"
    for column in ("prefecture_id", "cooperative_id", "branch_id", "staff_id")
}
# The notice after a session ended, by the reason audited with ``session_expired``.
EXPIRED_NOTICE = {
    **{reason: f"login.expired_{reason}" for reason in ("idle", "absolute")},
    "account_disabled": "login.ended_account_closed",
    "account_deleted": "login.ended_account_closed",
    "account_changed": "login.ended_account_changed",
}
# Why a password was refused (data_access.auth_store.PASSWORD_PROBLEMS, tested to match).
WEAK_PASSWORD = {
    code: f"users.weak_{code}"
    for code in ("too_short", "too_long", "personal", "repetitive", "guessable")
}
# Why the sign-in screen shows no demo personas, by data_access.auth_store.demo_personas_refusal.
PERSONAS_ABSENT = {
    "not_demo": "auth.not_demo",
    "off": "login.personas_off",
    "store_in_use": "login.personas_store_in_use",
    "store_unreadable": "login.personas_store_unreadable",
}

DYNAMIC_KEYS = frozenset(
    {
        *EVENT_LABEL.values(),
        *EVENT_HELP.values(),
        *ORG_LABEL.values(),
        *EXPIRED_NOTICE.values(),
        *WEAK_PASSWORD.values(),
        *PERSONAS_ABSENT.values(),
    }
)
