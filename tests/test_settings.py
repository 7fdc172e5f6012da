"""The settings: environment, then .streamlit/secrets.toml, then defaults; read once per change
and validated with messages that name the setting, its source and what is accepted."""

from __future__ import annotations

from pathlib import Path

import pytest

import cli
from data_access import auth_store, settings
from data_access.warehouse import Warehouse


@pytest.fixture
def secrets(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """An empty secrets file the settings read; no PCRM_* setting in the environment."""
    path = tmp_path / "secrets.toml"
    path.write_text("[pcrm]\n", encoding="utf-8")
    monkeypatch.setattr(settings, "SECRETS_FILE", path)
    for name in (
        "WAREHOUSE_URL",
        "WAREHOUSE_SCHEMA",
        "APP_DB_URL",
        "STALE_AFTER_DAYS",
        "ORG_MODEL",
    ):
        monkeypatch.delenv(f"PCRM_{name}", raising=False)
    monkeypatch.delenv("PCRM_LOCKOUT_ATTEMPTS", raising=False)
    return path


def test_environment_then_secrets_then_defaults(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.stale_after_days() == 45
    assert settings.warehouse_url() == settings.DEFAULT_WAREHOUSE_URL
    secrets.write_text(
        '[pcrm]\nstale_after_days = 60\nwarehouse_url = "duckdb:///w.duckdb"\n', encoding="utf-8"
    )
    assert (settings.stale_after_days(), settings.warehouse_url()) == (60, "duckdb:///w.duckdb")
    monkeypatch.setenv("PCRM_STALE_AFTER_DAYS", "30")
    assert (settings.stale_after_days(), settings.warehouse_url()) == (30, "duckdb:///w.duckdb")


def test_read_once_per_change_not_per_query(secrets: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads = []
    real = settings._read_secrets
    monkeypatch.setattr(settings, "_read_secrets", lambda path: reads.append(path) or real(path))
    secrets.write_text("[pcrm]\nlockout_attempts = 4\n", encoding="utf-8")
    for _ in range(50):  # what a page view's queries and checks ask
        Warehouse.from_settings()
        settings.app_db_url()
        config = auth_store.AuthConfig.from_settings()
    assert len(reads) == 1 and config.lockout_attempts == 4
    assert auth_store.AuthConfig.from_settings() is config  # made once per change as well

    monkeypatch.setenv("PCRM_LOCKOUT_ATTEMPTS", "6")  # a variable the settings read
    assert auth_store.AuthConfig.from_settings().lockout_attempts == 6
    assert len(reads) == 2
    secrets.write_text("[pcrm]\nstale_after_days = 9\n", encoding="utf-8")  # the file changes
    assert settings.stale_after_days() == 9 and settings.stale_after_days() == 9
    assert len(reads) == 3
    monkeypatch.setenv("PCRM_NOT_A_SETTING", "x")  # no setting reads it: nothing to read again
    settings.app_db_url()
    assert len(reads) == 3


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        (
            "PCRM_WAREHOUSE_URL",
            "warehouse.duckdb",
            "Setting warehouse_url is 'warehouse.duckdb' (from environment variable "
            "PCRM_WAREHOUSE_URL); expected a SQLAlchemy URL of duckdb (duckdb:///",
        ),
        (
            "PCRM_WAREHOUSE_URL",
            "mysql://pcrm:pw-8x7q@db/pcrm",
            "Setting warehouse_url is 'mysql://pcrm:***@db/pcrm' (from environment variable "
            "PCRM_WAREHOUSE_URL); expected a SQLAlchemy URL of duckdb",
        ),
        (
            "PCRM_APP_DB_URL",
            "duckdb:///app.duckdb",
            "Setting app_db_url is 'duckdb:///app.duckdb' (from environment variable "
            "PCRM_APP_DB_URL); expected a SQLAlchemy URL of sqlite (sqlite:///data/app.sqlite) "
            "or postgresql",
        ),
        (
            "PCRM_STALE_AFTER_DAYS",
            "six weeks",
            "Setting stale_after_days is 'six weeks' (from environment variable "
            "PCRM_STALE_AFTER_DAYS); expected a whole number of at least 1.",
        ),
        ("PCRM_STALE_AFTER_DAYS", "0", "expected a whole number of at least 1."),
        ("PCRM_WAREHOUSE_SCHEMA", "Pcrm; drop", "expected a PostgreSQL schema name"),
    ],
)
def test_a_bad_value_names_the_setting_its_source_and_what_is_accepted(
    secrets: Path, monkeypatch: pytest.MonkeyPatch, variable: str, value: str, expected: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(settings.SettingsError) as raised:
        settings.current()
    assert expected in str(raised.value)
    assert "pw-8x7q" not in str(raised.value)


def test_the_organisation_model_is_union_or_bank(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.org_model() == "union"  # the default (catalogue.levels.DEFAULT_MODEL)
    secrets.write_text('[pcrm]\norg_model = "bank"\n', encoding="utf-8")
    assert settings.org_model() == "bank"
    monkeypatch.setenv("PCRM_ORG_MODEL", " Union ")  # the environment wins; case and spaces
    assert settings.org_model() == "union"
    monkeypatch.setenv("PCRM_ORG_MODEL", "cooperative")
    with pytest.raises(settings.SettingsError) as raised:
        settings.current()
    message = str(raised.value)
    assert (
        "Setting org_model is 'cooperative' (from environment variable PCRM_ORG_MODEL)" in message
    )
    assert (
        "union (省联社 / 市州办事处 / 县级行社 / 网点) or bank (总行 / 分行 / 支行 / 网点)"
        in message
    )
    monkeypatch.delenv("PCRM_ORG_MODEL")
    secrets.write_text('[pcrm]\norg_model = "province"\n', encoding="utf-8")
    with pytest.raises(settings.SettingsError, match=r"secrets.toml \[pcrm\] org_model"):
        settings.org_model()


def test_the_default_basis_is_the_daily_average_unless_configured(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.default_basis() == "avg"  # catalogue.basis.DEFAULT
    secrets.write_text('[pcrm]\ndefault_basis = "end"\n', encoding="utf-8")
    assert settings.default_basis() == "end"
    monkeypatch.setenv("PCRM_DEFAULT_BASIS", " AVG ")
    assert settings.default_basis() == "avg"
    monkeypatch.setenv("PCRM_DEFAULT_BASIS", "month_end")
    with pytest.raises(settings.SettingsError) as raised:
        settings.current()
    message = str(raised.value)
    assert "Setting default_basis is 'month_end' (from environment variable" in message
    assert "avg (Daily average, 日均) or end (Month-end, 月末)" in message


def test_tiers_are_judged_on_the_three_month_daily_average_unless_configured(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert settings.tier_basis() == "avg3"  # catalogue.basis.TIER_DEFAULT
    secrets.write_text('[pcrm]\ntier_basis = "end"\n', encoding="utf-8")
    assert settings.tier_basis() == "end"
    monkeypatch.setenv("PCRM_TIER_BASIS", " AVG3 ")
    assert settings.tier_basis() == "avg3"
    monkeypatch.setenv("PCRM_TIER_BASIS", "avg")
    with pytest.raises(settings.SettingsError) as raised:
        settings.current()
    message = str(raised.value)
    assert "Setting tier_basis is 'avg' (from environment variable PCRM_TIER_BASIS)" in message
    accepted = "avg3 (3-month daily average, 近三个月日均) or end (month-end balance, 月末余额)"
    assert accepted in message


def test_a_bad_value_in_the_secrets_file_names_the_file(secrets: Path) -> None:
    secrets.write_text('[pcrm]\napp_db_url = "app.sqlite"\n', encoding="utf-8")
    source = r"\(from .*secrets.toml \[pcrm\] app_db_url\)"
    with pytest.raises(settings.SettingsError, match=source):
        settings.app_db_url()
    secrets.write_text("[pcrm\napp_db_url = 1\n", encoding="utf-8")
    with pytest.raises(settings.SettingsError, match="cannot be read as TOML"):
        settings.app_db_url()


def test_a_bad_whole_number_of_the_sign_in_settings_is_named(
    secrets: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PCRM_LOCKOUT_ATTEMPTS", "five")
    with pytest.raises(settings.SettingsError, match="Setting lockout_attempts is 'five'"):
        auth_store.AuthConfig.from_settings()


def test_the_command_line_reports_a_bad_setting(
    secrets: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    monkeypatch.setenv("PCRM_WAREHOUSE_URL", "oracle://db/pcrm")
    assert cli.main(["refresh"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Setting warehouse_url is 'oracle://db/pcrm'")
