"""Roles and capabilities (catalogue.roles): each role's permissions and pages as they were when
they sat in five lists, no role code compared outside the catalogue, and a new role is one row."""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from catalogue import roles
from catalogue.roles import ROLES, Capability, Role
from data_access import auth_store, inspections, quality, retention
from data_access.viewer import Viewer
from ui import auth, navigation

ROOT = Path(__file__).resolve().parent.parent
C = Capability
MANAGERS = {"executive", "prefecture_manager", "cooperative_manager"}
WAREHOUSE = set(ROLES) - {"admin"}

# Who had each permission before capabilities (the lists they replace, copied).
HAD: dict[Capability, set[str]] = {
    C.READS_WAREHOUSE: WAREHOUSE,  # ui/auth.py WAREHOUSE_ROLES: scope level not "none"
    C.SEES_BRANCH_PAGE: MANAGERS | {"branch_head"},  # PAGE_ROLES["my_branch"]
    C.SEES_MODEL_QUALITY: MANAGERS | {"analyst"},  # MODEL_QUALITY_ROLES, PAGE_ROLES["churn_model"]
    C.SEES_LOAD_JOURNAL: {"executive", "analyst", "admin"},  # JOURNAL_ROLES + scope "all"
    C.SEES_AUDIT_LOG: {"admin", "executive"},  # PAGE_ROLES["audit"]
    C.MANAGES_USERS: {"admin"},  # PAGE_ROLES["users"]
    C.MAY_UPLOAD_INSPECTIONS: MANAGERS,  # data_access/inspections.py UPLOAD_ROLES
    C.MAY_RECORD_CONTACTS: MANAGERS | {"branch_head", "wealth_manager"},  # retention ACTING_ROLES
    C.MAY_ASSIGN_CASES: MANAGERS | {"branch_head"},  # ACTING_ROLES without the wealth manager
    C.MAY_UNMASK: MANAGERS | {"branch_head", "wealth_manager"},  # Role.unmask_eligible
}
# ui/auth.py PAGE_ROLES before capabilities, copied.
PAGES_BEFORE: dict[str, set[str]] = {
    **dict.fromkeys(
        (
            "overview",
            "trends",
            "scorecards",
            "targets",
            "watchlist",
            "customer",
            "hongyan",
            "segments",
            "migration",
            "cross_sell",
            "vip",
        ),
        WAREHOUSE,
    ),
    "my_branch": MANAGERS | {"branch_head"},
    "churn_model": MANAGERS | {"analyst"},
    "glossary": set(ROLES),
    "data_quality": {"executive", "analyst", "admin"},
    "users": {"admin"},
    "audit": {"admin", "executive"},
}


def test_the_seven_roles() -> None:
    assert list(ROLES) == [
        "executive",
        "prefecture_manager",
        "cooperative_manager",
        "branch_head",
        "wealth_manager",
        "analyst",
        "admin",
    ]


@pytest.mark.parametrize("code", list(ROLES))
@pytest.mark.parametrize("capability", list(Capability))
def test_each_role_has_each_permission_it_had(code: str, capability: Capability) -> None:
    assert ROLES[code].can(capability) == (code in HAD[capability])
    assert Viewer("someone", code).can(capability) == (code in HAD[capability])


def test_every_capability_is_described_in_both_languages() -> None:
    assert set(HAD) == set(Capability)
    for capability in Capability:
        assert capability.name_en and capability.name_zh, capability


@pytest.mark.parametrize("code", list(ROLES))
def test_each_role_opens_the_pages_it_opened(code: str) -> None:
    viewer = Viewer("someone", code)
    assert set(auth.PAGE_CAPABILITY) == set(PAGES_BEFORE)
    opened = {page for page in PAGES_BEFORE if auth.may_open(viewer, page)}
    assert opened == {page for page, allowed in PAGES_BEFORE.items() if code in allowed}
    assert not auth.may_open(viewer, "no_such_page")
    assert {page for page in PAGES_BEFORE if code in auth.page_roles(page)} == opened


def test_home_pages_scopes_and_system_roles() -> None:
    assert {code: navigation.home_page(code) for code in ROLES} == {
        "executive": None,
        "prefecture_manager": None,
        "cooperative_manager": None,
        "branch_head": "my_branch",
        "wealth_manager": None,
        "analyst": None,
        "admin": "users",
    }
    assert {code: (r.scope_level, r.min_group_size) for code, r in ROLES.items()} == {
        "executive": ("all", 1),
        "prefecture_manager": ("prefecture", 1),
        "cooperative_manager": ("cooperative", 1),
        "branch_head": ("branch", 1),
        "wealth_manager": ("own_customers", 1),
        "analyst": ("all", 5),
        "admin": ("none", 1),
    }
    for code, role in ROLES.items():  # only a role that reads the warehouse has a scope
        assert role.can(C.READS_WAREHOUSE) == (role.scope_level != "none"), code
    assert auth.SYSTEM_VIEWER.role == roles.SYSTEM_ROLE == "executive"
    assert auth_store._PLACEMENT_VIEWER.role == roles.SYSTEM_ROLE
    assert auth_store.AuthConfig().unmask_role_codes == {"cooperative_manager", "branch_head"}
    assert (roles.DEMO_PROVINCE_ROLE, roles.DEMO_BRANCH_ROLE, roles.DEMO_ANALYST_ROLE) == (
        "executive",
        "branch_head",
        "analyst",
    )


@pytest.mark.parametrize("code", list(ROLES))
def test_the_data_layer_checks_the_capability(code: str, monkeypatch) -> None:
    """Retention actions and assignments, inspection uploads, the load journal and unmasking
    refuse exactly the roles without the capability (checked before any database read)."""
    viewer = Viewer("someone", code)
    monkeypatch.setattr(retention, "read_frame", lambda *_: pd.DataFrame())
    month = dt.date(2026, 5, 1)
    with pytest.raises(PermissionError) as recorded:
        retention._watched(viewer, 1, month)
    may_record = "not on this watchlist" in str(recorded.value)
    assert may_record == (code in HAD[C.MAY_RECORD_CONTACTS])
    with pytest.raises(PermissionError) as assigned:
        retention.assign_case(1, month, None, by=viewer)
    may_assign = "not on this watchlist" in str(assigned.value)
    assert may_assign == (code in HAD[C.MAY_ASSIGN_CASES])
    with pytest.raises(inspections.UploadRejected) as uploaded:
        inspections.save_inspections(viewer, _NotOk())
    may_upload = "problems" in str(uploaded.value)
    assert may_upload == (code in HAD[C.MAY_UPLOAD_INSPECTIONS])
    assert quality.may_read_journal(viewer) == (code in HAD[C.SEES_LOAD_JOURNAL])
    config = auth_store.AuthConfig(unmask_roles=code)
    if code in HAD[C.MAY_UNMASK]:
        assert auth_store.may_unmask(code, config)
    else:
        with pytest.raises(ValueError, match="may never unmask"):
            auth_store.may_unmask(code, config)


class _NotOk:
    """An upload check with problems: an allowed uploader gets past the role check to it."""

    ok = False


# ------------------------------------------------------------------ no role code outside
SCANNED = ("analytics", "cli", "data_access", "ui", "pages")
# Role codes that are also staff positions of dim_staff (a code list, catalogue.codes), each
# where it is used: (file, enclosing function / assignment / call, string): why.
STAFF_POSITIONS: dict[tuple[str, str, str], str] = {
    ("analytics/rules.py", "STAFF_ROLES", "wealth_manager"): "the staff position code list",
    ("analytics/rules.py", "STAFF_ROLES", "branch_head"): "the staff position code list",
    ("analytics/scorecard_rules.py", "ADVISORY_ROLES", "wealth_manager"): "advisory positions",
    ("data_access/branch.py", "wealth_managers", "wealth_manager"): "dim_staff.role filter",
    ("data_access/watchlist.py", "relationship_managers", "wealth_manager"): "dim_staff.role",
    ("data_access/cross_sell.py", "DIMENSIONS", "wealth_manager"): "a breakdown by manager",
    ("data_access/demo/holdings.py", "sale_table", "wealth_manager"): "demo staff",
    ("data_access/demo/organisation.py", "_staff", "branch_head"): "demo staff",
    ("data_access/demo/organisation.py", "_staff", "wealth_manager"): "demo staff",
    ("data_access/demo/organisation.py", "build_organisation", "wealth_manager"): "demo staff",
    ("data_access/demo/targets.py", "target_frame", "wealth_manager"): "demo staff targets",
    ("ui/strings/customer.py", "DYNAMIC_KEYS", "wealth_manager"): "the breakdown's label key",
    ("ui/strings/glossary.py", "_TERMS", "wealth_manager"): "the glossary term 理财经理",
    ("pages/hongyan.py", "Column", "wealth_manager"): "moves into the position, a column",
}


def _role_literals(path: Path, codes: set[str]) -> list[tuple[str, str, int]]:
    """(context, string, line) of each string constant in ``path`` that is a role code. The
    context is the innermost enclosing function or class, else the module-level assignment's
    target, else the innermost call's function."""
    found: list[tuple[str, str, int]] = []

    def visit(node: ast.AST, owner: str | None, call: str | None) -> None:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            owner = node.name
        elif owner is None and isinstance(node, ast.Assign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            owner = ",".join(ast.unparse(t) for t in targets)
        elif isinstance(node, ast.Call):
            call = ast.unparse(node.func)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in codes:
            found.append((owner or call or "<module>", node.value, node.lineno))
        for child in ast.iter_child_nodes(node):
            visit(child, owner, call)

    visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)), None, None)
    return found


def _scanned_files() -> list[Path]:
    files = [p for package in SCANNED for p in sorted((ROOT / package).rglob("*.py"))]
    return [*files, ROOT / "app.py"]


def test_no_role_code_outside_the_catalogue() -> None:
    codes = set(ROLES)
    bad = []
    for path in _scanned_files():
        name = str(path.relative_to(ROOT))
        for context, code, line in _role_literals(path, codes):
            if (name, context, code) not in STAFF_POSITIONS:
                bad.append(f"{name}:{line} ({context}) {code!r}")
    assert bad == [], "compare capabilities (viewer.can), not role codes: catalogue.roles"


def test_the_scan_sees_a_role_code(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text(
        "def f(viewer):\n    return viewer.role == 'analyst'\n"
        "X = {'admin'}\nshow(Column('branch_head'))\n"
    )
    assert _role_literals(module, set(ROLES)) == [
        ("f", "analyst", 2),
        ("X", "admin", 3),
        ("Column", "branch_head", 4),
    ]


# ------------------------------------------------------------------ a new role: one row
def test_a_new_role_is_one_row_of_the_catalogue(monkeypatch) -> None:
    """A compliance officer who reads the warehouse and the audit log: navigation, the data
    layer, the unmask setting and account checks take it from the catalogue alone."""
    monkeypatch.setitem(
        ROLES,
        "compliance_officer",
        Role(
            "compliance_officer",
            "Compliance officer",
            "合规专员",
            "all",
            5,
            frozenset({C.READS_WAREHOUSE, C.SEES_AUDIT_LOG, C.MAY_RECORD_CONTACTS}),
            home_page="audit",
        ),
    )
    officer = Viewer("someone", "compliance_officer")
    opened = {page for page in auth.PAGE_CAPABILITY if auth.may_open(officer, page)}
    assert opened == (PAGES_BEFORE.keys() - {"my_branch", "churn_model", "data_quality", "users"})
    assert "compliance_officer" in auth.page_roles("audit")
    assert navigation.home_page("compliance_officer") == "audit"
    monkeypatch.setattr(retention, "read_frame", lambda *_: pd.DataFrame())
    with pytest.raises(PermissionError, match="not on this watchlist"):
        retention._watched(officer, 1, dt.date(2026, 5, 1))  # past the capability check
    with pytest.raises(PermissionError, match="only branch heads and managers"):
        retention.assign_case(1, dt.date(2026, 5, 1), None, by=officer)
    with pytest.raises(inspections.UploadRejected, match="role may not upload"):
        inspections.save_inspections(officer, _NotOk())
    assert not quality.may_read_journal(officer)
    with pytest.raises(ValueError, match="may never unmask"):
        auth_store.may_unmask(
            "compliance_officer", auth_store.AuthConfig(unmask_roles="compliance_officer")
        )
    auth_store.check_scope("compliance_officer", {})  # scope "all" needs no org id
