"""Settings (shared/config.py): defaults, validation that names the variable, `.env` files."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared.config import DEFAULT_DATABASE_URL, REPO_ROOT, Settings, SettingsError, get_settings, load_settings


@pytest.fixture(autouse=True)
def clean_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No setting comes from the outer environment or a stray `.env`: an empty working directory."""
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
        monkeypatch.delenv(name, raising=False)
    workdir = tmp_path / "workdir"
    workdir.mkdir()
    monkeypatch.chdir(workdir)
    get_settings.cache_clear()
    return workdir


def error_for(monkeypatch: pytest.MonkeyPatch, **variables: str) -> str:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as caught:
        load_settings()
    return str(caught.value)


# --- defaults -----------------------------------------------------------------------------------------

def test_defaults_apply_when_nothing_is_set():
    settings = load_settings()
    assert settings.app_env == "development"
    assert settings.model_backend == "local"
    assert settings.model_timeout_s == 8.0
    assert settings.webhook_port == 8080
    assert settings.dashboard_port == 8501
    assert settings.rate_limit == "20/minute"
    assert settings.ratelimit_storage_uri == "memory://"
    assert settings.max_body_bytes == 65_536
    assert settings.webhook_idle_timeout_s == 10
    assert settings.webhook_connection_limit == 1000
    assert settings.webhook_max_header_bytes == 16_384
    assert settings.webhook_trusted_proxy is None
    assert settings.chat_retention_days == 90
    assert settings.log_message_content is False
    assert settings.webhook_token is None and settings.dashboard_password is None
    assert settings.public_webhook_url is None


def test_the_default_database_lives_in_the_repository_data_folder():
    assert load_settings().database_url == DEFAULT_DATABASE_URL
    assert DEFAULT_DATABASE_URL == f"sqlite:///{REPO_ROOT / 'data' / 'frontdesk.db'}"


# --- environment variables ----------------------------------------------------------------------------

def test_reads_values_from_environment_variables(monkeypatch):
    monkeypatch.setenv("WEBHOOK_PORT", "9000")
    monkeypatch.setenv("APP_ENV", "production")
    monkeypatch.setenv("RATE_LIMIT", "100 per hour")
    monkeypatch.setenv("LOG_MESSAGE_CONTENT", "true")
    settings = load_settings()
    assert settings.webhook_port == 9000
    assert settings.app_env == "production"
    assert settings.rate_limit == "100 per hour"
    assert settings.log_message_content is True


def test_secrets_are_kept_out_of_the_printed_settings(monkeypatch):
    monkeypatch.setenv("WEBHOOK_TOKEN", "super-secret-token")
    settings = load_settings()
    assert settings.webhook_token.get_secret_value() == "super-secret-token"
    assert "super-secret-token" not in repr(settings)
    assert "super-secret-token" not in str(settings)


def test_an_empty_public_url_means_none(monkeypatch):
    monkeypatch.setenv("PUBLIC_WEBHOOK_URL", "")
    assert load_settings().public_webhook_url is None


@pytest.mark.parametrize("limit", ["5/second", " 20 / minute ", "100 per hour", "1000/days"])
def test_accepts_rate_limits_in_the_usual_forms(monkeypatch, limit):
    monkeypatch.setenv("RATE_LIMIT", limit)
    assert load_settings().rate_limit == limit.strip()


@pytest.mark.parametrize("url", ["sqlite:////tmp/x.db", "postgresql+psycopg://postgres@127.0.0.1:5432/app",
                                 "postgresql://postgres@127.0.0.1/app"])
def test_accepts_supported_database_urls(monkeypatch, url):
    monkeypatch.setenv("DATABASE_URL", url)
    assert load_settings().database_url == url


# --- bad values ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("variable", "value"), [
    ("WEBHOOK_PORT", "abc"),
    ("WEBHOOK_PORT", "70000"),
    ("DASHBOARD_PORT", "0"),
    ("RATE_LIMIT", "lots"),
    ("APP_ENV", "staging"),
    ("MODEL_BACKEND", "skynet"),
    ("MODEL_TIMEOUT_S", "30"),
    ("DATABASE_URL", "mysql://root@localhost/app"),
    ("DATABASE_URL", ""),
    ("RATELIMIT_STORAGE_URI", "memcached://localhost"),
    ("PUBLIC_WEBHOOK_URL", "ftp://example.com/hook"),
    ("CHAT_RETENTION_DAYS", "0"),
    ("MAX_BODY_BYTES", "10"),
    ("WEBHOOK_IDLE_TIMEOUT_S", "0"),
    ("WEBHOOK_IDLE_TIMEOUT_S", "2.5"),
    ("WEBHOOK_CONNECTION_LIMIT", "5"),
    ("WEBHOOK_MAX_HEADER_BYTES", "1000000"),
    ("WEBHOOK_TRUSTED_PROXY", "proxy.local"),
    ("LOG_MESSAGE_CONTENT", "perhaps"),
])
def test_a_bad_value_raises_settings_error_naming_the_variable(monkeypatch, variable, value):
    message = error_for(monkeypatch, **{variable: value})
    assert message.startswith(f"{variable}: ")


def test_a_settings_error_explains_what_is_expected(monkeypatch):
    assert "20/minute" in error_for(monkeypatch, RATE_LIMIT="lots")
    assert "sqlite" in error_for(monkeypatch, DATABASE_URL="mysql://root@localhost/app")


def test_every_bad_variable_is_named_on_its_own_line(monkeypatch):
    message = error_for(monkeypatch, WEBHOOK_PORT="abc", RATE_LIMIT="lots", APP_ENV="staging")
    named = sorted(line.split(":")[0] for line in message.splitlines())
    assert named == ["APP_ENV", "RATE_LIMIT", "WEBHOOK_PORT"]


def test_a_settings_error_is_not_a_pydantic_traceback(monkeypatch):
    message = error_for(monkeypatch, WEBHOOK_PORT="abc")
    assert "pydantic" not in message.lower()
    assert "Value error" not in message


def test_get_settings_raises_settings_error_for_a_bad_value(monkeypatch):
    monkeypatch.setenv("APP_ENV", "staging")
    with pytest.raises(SettingsError, match="APP_ENV"):
        get_settings()


# --- .env and caching ---------------------------------------------------------------------------------

def test_reads_a_dotenv_file_in_the_working_directory(clean_environment):
    (clean_environment / ".env").write_text("WEBHOOK_PORT=9191\nRATE_LIMIT=5/second\n# a comment\n",
                                            encoding="utf-8")
    settings = load_settings()
    assert settings.webhook_port == 9191
    assert settings.rate_limit == "5/second"


def test_an_environment_variable_wins_over_the_dotenv_file(clean_environment, monkeypatch):
    (clean_environment / ".env").write_text("WEBHOOK_PORT=9191\n", encoding="utf-8")
    monkeypatch.setenv("WEBHOOK_PORT", "9292")
    assert load_settings().webhook_port == 9292


def test_a_bad_value_in_the_dotenv_file_is_named_too(clean_environment):
    (clean_environment / ".env").write_text("APP_ENV=staging\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="^APP_ENV: "):
        load_settings()


def test_unrelated_dotenv_entries_are_ignored(clean_environment):
    (clean_environment / ".env").write_text("SOMETHING_ELSE=1\n", encoding="utf-8")
    assert load_settings().webhook_port == 8080


def test_get_settings_reads_once_until_its_cache_is_cleared(monkeypatch):
    monkeypatch.setenv("WEBHOOK_PORT", "9000")
    first = get_settings()
    monkeypatch.setenv("WEBHOOK_PORT", "9001")
    assert get_settings() is first
    get_settings.cache_clear()
    assert get_settings().webhook_port == 9001


def test_keyword_overrides_win_over_the_environment(monkeypatch):
    monkeypatch.setenv("WEBHOOK_PORT", "9000")
    assert load_settings(webhook_port=7000).webhook_port == 7000
