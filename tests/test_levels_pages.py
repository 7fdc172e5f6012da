"""The level names on the pages under each organisation model (``org_model``), in both languages:
the overview, the sidebar's scope pickers, the targets page and the user admin page."""

from __future__ import annotations

import pytest

from tests.test_admin_pages import admin_app
from tests.test_app_shell import format_in, new_app, sign_in, texts

# model, lang: the scope pickers' labels (prefecture, cooperative, branch), the executive's
# role as the sidebar shows it, and the targets page's matrix heading.
EXPECTED = {
    ("union", "en"): (
        ["Prefecture office 市州办事处", "County cooperative 县级行社", "Branch 网点"],
        "Executive 省联社领导",
        "All branches at a glance 各网点一览",
    ),
    ("union", "zh"): (["市州办事处", "县级行社", "网点"], "省联社领导", "各网点一览"),
    ("bank", "en"): (
        ["Branch 分行", "Sub-branch 支行", "Outlet 网点"],
        "Executive 总行领导",
        "All outlets at a glance 各网点一览",
    ),
    ("bank", "zh"): (["分行", "支行", "网点"], "总行领导", "各网点一览"),
}
# Names only the other model uses: never on a page's labels.
FOREIGN = {
    "union": ("总行", "分行", "支行", "Sub-branch", "Outlet", "outlet"),
    "bank": ("省联社", "市州办事处", "县级行社", "Prefecture office", "County cooperative"),
}


def _scope_pickers(at) -> list[str]:
    labels = {m.key.split("_")[2]: m.label for m in at.sidebar.multiselect}
    return [labels[level] for level in ("prefecture", "cooperative", "branch")]


def _labels(at) -> str:
    """The page's own words: titles, headings, captions, widget labels, the persona line (not
    the warehouse's names of units, which the data decides)."""
    parts = [str(e.value) for kind in ("title", "subheader", "caption") for e in getattr(at, kind)]
    parts += [str(w.label) for w in (*at.sidebar.multiselect, *at.get("number_input"))]
    parts += [str(m.value) for m in at.sidebar.markdown]
    return "\n".join(parts)


@pytest.mark.parametrize(("model", "lang"), sorted(EXPECTED))
def test_overview_scope_pickers_and_targets_name_the_levels_of_the_model(
    app_store_url: str, monkeypatch: pytest.MonkeyPatch, model: str, lang: str
) -> None:
    monkeypatch.setenv("PCRM_ORG_MODEL", model)
    format_in(lang, monkeypatch)
    pickers, persona, matrix = EXPECTED[model, lang]
    at = sign_in(new_app({"lang": lang}), "executive")
    assert at.title[0].value == ("Overview 经营总览" if lang == "en" else "经营总览")
    assert _scope_pickers(at) == pickers
    assert persona in texts(at)
    if lang == "en":  # the scope: every unit of the bottom level
        assert at.caption[0].value.startswith("All outlets" if model == "bank" else "All branches")
    shown = _labels(at)
    assert not [name for name in FOREIGN[model] if name in shown], shown

    at.switch_page("pages/targets.py").run()
    assert not at.exception, at.exception
    assert _scope_pickers(at) == pickers
    assert matrix in [s.value for s in at.subheader]
    shown = _labels(at)
    assert not [name for name in FOREIGN[model] if name in shown], shown


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_user_admin_page_names_the_scope_levels_of_the_bank(
    app_store_url: str, monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    monkeypatch.setenv("PCRM_ORG_MODEL", "bank")
    format_in(lang, monkeypatch)
    at = admin_app(app_store_url)  # in the default language, which format_in set
    assert not at.exception, at.exception
    labels = [w.label for w in at.get("number_input")]
    expected = {
        "en": ["Branch id", "Sub-branch id", "Outlet id"],
        "zh": ["分行编号", "支行编号", "网点编号"],
    }[lang]
    assert labels[:3] == expected
    helps = {w.help for w in at.get("number_input")}
    assert any(("sub-branch" if lang == "en" else "支行负责人填支行") in (h or "") for h in helps)


@pytest.mark.parametrize("model", ["union", "bank"])
def test_the_glossary_defines_the_levels_of_the_model(
    app_store_url: str, monkeypatch: pytest.MonkeyPatch, model: str
) -> None:
    monkeypatch.setenv("PCRM_ORG_MODEL", model)
    at = sign_in(new_app(), "analyst")
    at.switch_page("pages/glossary.py").run()
    assert not at.exception, at.exception
    terms = at.dataframe[0].value
    cells = "\n".join(str(v) for v in terms.to_numpy().ravel())
    assert "{@" not in cells  # every marker resolved, in the table and so in its downloads
    chinese = set(terms.iloc[:, 1])
    if model == "bank":
        assert {"总行", "分行", "支行", "网点"} <= chinese and "县级行社" not in chinese
        assert "Sub-branch" in set(terms.iloc[:, 0])
    else:
        assert {"省联社", "市州办事处", "县级行社", "网点"} <= chinese and "支行" not in chinese
        assert "County cooperative" in set(terms.iloc[:, 0])


def test_the_monthly_branch_report_names_the_levels_of_the_model(
    demo_duckdb, app_store_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path
) -> None:
    import cli
    from tests.test_app_shell import as_of_month, first_branches

    monkeypatch.setenv("PCRM_ORG_MODEL", "bank")
    branch, month = first_branches(demo_duckdb, 1)[0], as_of_month(demo_duckdb)
    pages = {}
    for lang in ("en", "zh"):
        out = tmp_path / f"report-{lang}.html"
        args = ["branch-report", "--branch", str(branch), "--month", f"{month:%Y-%m}"]
        assert cli.main([*args, "--out", str(out), "--lang", lang, "--url", demo_duckdb.url]) == 0
        pages[lang] = out.read_text(encoding="utf-8")
    assert "Monthly outlet report" in pages["en"] and "月度网点报告" in pages["zh"]
    for html in pages.values():
        assert "{@" not in html
        assert not [n for n in FOREIGN["bank"] if n in html]
