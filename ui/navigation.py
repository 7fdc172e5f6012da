"""The page registry: which pages exist, where they sit in the navigation, who lands where.

Kept apart from app.py (a script that runs on import) so tests and benchmarks can list pages.
"""

from __future__ import annotations

from pathlib import Path

from catalogue.roles import ROLES

ROOT = Path(__file__).resolve().parent.parent

# (file, page key: i18n title ``page.<key>`` and capability in ui.auth.PAGE_CAPABILITY, section,
# icon).
# A page whose file does not exist yet is left out.
PAGES: tuple[tuple[str, str, str, str], ...] = (
    ("pages/overview.py", "overview", "nav.management", ":material/dashboard:"),
    ("pages/trends.py", "trends", "nav.management", ":material/trending_up:"),
    ("pages/scorecards.py", "scorecards", "nav.management", ":material/star:"),
    ("pages/my_branch.py", "my_branch", "nav.branch", ":material/storefront:"),
    ("pages/targets.py", "targets", "nav.branch", ":material/flag:"),
    ("pages/watchlist.py", "watchlist", "nav.branch", ":material/notification_important:"),
    ("pages/customer.py", "customer", "nav.branch", ":material/person_search:"),
    ("pages/hongyan.py", "hongyan", "nav.branch", ":material/groups:"),
    ("pages/segments.py", "segments", "nav.analysis", ":material/donut_large:"),
    ("pages/migration.py", "migration", "nav.analysis", ":material/swap_vert:"),
    ("pages/cross_sell.py", "cross_sell", "nav.analysis", ":material/add_shopping_cart:"),
    ("pages/vip.py", "vip", "nav.analysis", ":material/diamond:"),
    ("pages/churn_model.py", "churn_model", "nav.analysis", ":material/model_training:"),
    ("pages/glossary.py", "glossary", "nav.analysis", ":material/menu_book:"),
    ("pages/data_quality.py", "data_quality", "nav.admin", ":material/fact_check:"),
    ("pages/users.py", "users", "nav.admin", ":material/manage_accounts:"),
    ("pages/audit.py", "audit", "nav.admin", ":material/policy:"),
)
SECTIONS: tuple[str, ...] = ("nav.management", "nav.branch", "nav.analysis", "nav.admin")


def home_page(role: str) -> str | None:
    """The page ``role`` lands on (``Role.home_page``; app.py takes the first page the role may
    open when this is None, or missing, or not the role's)."""
    return ROLES[role].home_page


def existing_pages() -> list[tuple[str, str, str, str]]:
    """The registered pages whose file exists (a planned page appears once it is written)."""
    return [entry for entry in PAGES if (ROOT / entry[0]).exists()]
