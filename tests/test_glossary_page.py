"""The glossary page in AppTest: terms and metric definitions side by side, search, export."""

from __future__ import annotations

from tests.test_app_shell import new_app, sign_in
from ui import i18n


def _tables(at) -> list:
    return [frame.value for frame in at.dataframe]


def test_glossary_lists_terms_and_metric_definitions_in_both_languages(app_store_url: str):
    at = sign_in(new_app(), "analyst")
    at.switch_page("pages/glossary.py").run()
    assert not at.exception
    terms, metrics = _tables(at)
    assert "金融资产" in set(terms.iloc[:, 1])
    assert "五花大绑" in set(terms.iloc[:, 1])
    # Every metric of the overview is there with its definition in both languages.
    en, zh = i18n.CATALOGUE["kpi.aum"]
    row = metrics[metrics.iloc[:, 0] == en].iloc[0]
    assert row.iloc[1] == zh
    assert row.iloc[2] == i18n.CATALOGUE["kpi.aum_help"][0]
    assert row.iloc[3] == i18n.CATALOGUE["kpi.aum_help"][1]


def test_search_matches_either_language(app_store_url: str):
    at = sign_in(new_app(), "executive")
    at.switch_page("pages/glossary.py").run()
    at.text_input(key="glossary_search").input("鸿雁").run()
    terms = _tables(at)[0]
    assert list(terms.iloc[:, 0]) == ["Hongyan plan"]
    at.text_input(key="glossary_search").input("no-such-term-xyz").run()
    assert not _tables(at)
    assert at.info[0].value == i18n.translate("glossary.none", "en")
