"""Settings read from the environment (and a `.env` file), validated at start-up."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache

from pydantic import Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-insecure-secret-key-change-me-0000000000"
MIN_SECRET_LENGTH = 32


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TEST = "test"
    PRODUCTION = "production"


class ConfigurationError(Exception):
    """Raised when the environment holds a setting TeamFlow cannot start with."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    env: Environment = Field(default=Environment.DEVELOPMENT, alias="TEAMFLOW_ENV")
    database_url: str = Field(default="sqlite://teamflow.db", alias="DATABASE_URL")
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    secret_key: str = Field(default=DEFAULT_SECRET_KEY, alias="TEAMFLOW_SECRET_KEY")
    host: str = Field(default="127.0.0.1", alias="TEAMFLOW_HOST")
    port: int = Field(default=8000, ge=1, le=65535, alias="PORT")
    web_concurrency: int = Field(default=1, ge=1, le=64, alias="WEB_CONCURRENCY")
    base_url: str = Field(default="http://127.0.0.1:8000", alias="TEAMFLOW_BASE_URL")
    log_level: str = Field(default="INFO", alias="LOG_LEVEL")
    default_timezone: str = Field(default="UTC", alias="TEAMFLOW_DEFAULT_TIMEZONE")
    digest_grace_minutes: int = Field(
        default=15, ge=1, le=1440, alias="TEAMFLOW_DIGEST_GRACE_MINUTES"
    )
    reminder_lead_hours: int = Field(
        default=24, ge=1, le=24 * 14, alias="TEAMFLOW_REMINDER_LEAD_HOURS"
    )
    morning_default_on: bool = Field(default=False, alias="TEAMFLOW_MORNING_DM_DEFAULT_ON")
    stale_days: int = Field(default=3, ge=1, le=90, alias="TEAMFLOW_STALE_DAYS")
    report_charts: str = Field(
        default="image", pattern="^(image|text)$", alias="TEAMFLOW_REPORT_CHARTS"
    )
    run_scheduler: str = Field(
        default="auto", pattern="^(auto|yes|no)$", alias="TEAMFLOW_RUN_SCHEDULER"
    )
    scheduler_tick_seconds: float = Field(
        default=60.0, ge=1, le=3600, alias="TEAMFLOW_SCHEDULER_TICK_SECONDS"
    )
    log_format: str = Field(default="json", pattern="^(json|console)$", alias="LOG_FORMAT")
    slow_request_ms: int = Field(default=500, ge=1, alias="TEAMFLOW_SLOW_REQUEST_MS")
    allow_registration: bool = Field(default=True, alias="TEAMFLOW_ALLOW_REGISTRATION")
    access_token_minutes: int = Field(
        default=15, ge=1, le=1440, alias="TEAMFLOW_ACCESS_TOKEN_MINUTES"
    )
    refresh_token_days: int = Field(default=7, ge=1, le=90, alias="TEAMFLOW_REFRESH_TOKEN_DAYS")
    rate_limit_per_minute: int = Field(default=600, ge=1, alias="TEAMFLOW_RATE_LIMIT_PER_MINUTE")
    rate_limit_address_per_minute: int = Field(
        default=1200, ge=1, alias="TEAMFLOW_RATE_LIMIT_ADDRESS_PER_MINUTE"
    )
    login_failures_per_account: int = Field(
        default=5, ge=1, alias="TEAMFLOW_LOGIN_FAILURES_PER_ACCOUNT"
    )
    login_failures_per_address: int = Field(
        default=20, ge=1, alias="TEAMFLOW_LOGIN_FAILURES_PER_ADDRESS"
    )
    login_lockout_minutes: int = Field(default=15, ge=1, alias="TEAMFLOW_LOGIN_LOCKOUT_MINUTES")
    cors_origins: str = Field(default="", alias="TEAMFLOW_CORS_ORIGINS")
    slack_api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    slack_bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN")
    slack_signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET")
    slack_app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN")
    slack_client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    slack_client_secret: str | None = Field(default=None, alias="SLACK_CLIENT_SECRET")
    ticket_emoji: str = Field(
        default="ticket", pattern=r"^[a-z0-9_+-]{1,64}$", alias="TEAMFLOW_TICKET_EMOJI"
    )
    notify_interval_seconds: float = Field(
        default=2.0, gt=0, le=60, alias="TEAMFLOW_NOTIFY_INTERVAL_SECONDS"
    )
    live_interval_seconds: float = Field(
        default=0.25, gt=0, le=10, alias="TEAMFLOW_LIVE_INTERVAL_SECONDS"
    )
    outbound_interval_seconds: float = Field(
        default=2.0, gt=0, le=60, alias="TEAMFLOW_OUTBOUND_INTERVAL_SECONDS"
    )
    outbound_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, alias="TEAMFLOW_OUTBOUND_TIMEOUT_SECONDS"
    )
    outbound_backoff_seconds: float = Field(
        default=10.0, gt=0, le=3600, alias="TEAMFLOW_OUTBOUND_BACKOFF_SECONDS"
    )
    outbound_max_attempts: int = Field(
        default=8, ge=1, le=20, alias="TEAMFLOW_OUTBOUND_MAX_ATTEMPTS"
    )
    outbound_disable_after: int = Field(
        default=10, ge=1, le=1000, alias="TEAMFLOW_OUTBOUND_DISABLE_AFTER"
    )
    slack_command: str = Field(
        default="/task", pattern=r"^/[a-z0-9_-]{1,31}$", alias="SLACK_COMMAND"
    )
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024, alias="TEAMFLOW_MAX_BODY_BYTES")
    shutdown_drain_seconds: float = Field(
        default=10.0, ge=0, le=600, alias="TEAMFLOW_SHUTDOWN_DRAIN_SECONDS"
    )

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        scheme = value.split("://", 1)[0]
        if scheme not in {"sqlite", "postgres", "postgresql", "asyncpg"}:
            raise ValueError("must start with sqlite://, postgres:// or postgresql://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _known_redis(cls, value: str | None) -> str | None:
        if not value:
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis://, rediss:// or unix://")
        return value

    @field_validator("slack_client_id", "slack_client_secret")
    @classmethod
    def _blank_is_unset(cls, value: str | None) -> str | None:
        return (value or "").strip() or None

    @field_validator("log_level")
    @classmethod
    def _known_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be one of DEBUG, INFO, WARNING, ERROR, CRITICAL")
        return level

    @model_validator(mode="after")
    def _slack_client_pair(self) -> Settings:
        if bool(self.slack_client_id) != bool(self.slack_client_secret):
            raise ValueError(
                "SLACK_CLIENT_ID and SLACK_CLIENT_SECRET go together: set both "
                "(multi-workspace install) or neither"
            )
        return self

    @model_validator(mode="after")
    def _safe_in_production(self) -> Settings:
        if self.env is not Environment.PRODUCTION:
            return self
        if self.secret_key == DEFAULT_SECRET_KEY:
            raise ValueError("TEAMFLOW_SECRET_KEY is the development default; set a random value")
        if self.slack_bot_token and not self.slack_signing_secret and not self.slack_app_token:
            raise ValueError(
                "SLACK_BOT_TOKEN is set without SLACK_SIGNING_SECRET: Slack requests "
                "cannot be verified"
            )
        if self.slack_client_id and not self.slack_signing_secret:
            raise ValueError(
                "SLACK_CLIENT_ID is set without SLACK_SIGNING_SECRET: Slack requests "
                "cannot be verified"
            )
        if len(self.secret_key) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"TEAMFLOW_SECRET_KEY must be at least {MIN_SECRET_LENGTH} characters in production"
            )
        return self

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def slack_multi_workspace(self) -> bool:
        """Installed by many workspaces through /slack/install (OAuth), not one bot token."""
        return bool(self.slack_client_id and self.slack_client_secret)

    @property
    def slack_configured(self) -> bool:
        return bool(self.slack_bot_token) or self.slack_multi_workspace

    @property
    def cors_origin_list(self) -> list[str]:
        return [origin.strip() for origin in self.cors_origins.split(",") if origin.strip()]

    @property
    def uses_postgres(self) -> bool:
        return not self.database_url.startswith("sqlite")

    @property
    def scheduler_in_web(self) -> bool:
        """Whether `teamflow serve` runs the scheduler's jobs itself: asked for, or by
        default on the embedded setup (SQLite), where there is no separate process."""
        if self.run_scheduler == "auto":
            return not self.uses_postgres
        return self.run_scheduler == "yes"

    @property
    def dashboard_url(self) -> str:
        return self.base_url.rstrip("/") + "/dashboard"


def load_settings(**overrides: object) -> Settings:
    """Read and validate settings; a bad value raises ConfigurationError saying which and why."""
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        lines = []
        for error in exc.errors():
            name = ".".join(str(part) for part in error["loc"]) or "settings"
            lines.append(f"  {_env_name(name)}: {error['msg'].removeprefix('Value error, ')}")
        raise ConfigurationError("TeamFlow cannot start:\n" + "\n".join(lines)) from None


def _env_name(field_name: str) -> str:
    field = Settings.model_fields.get(field_name)
    return field.alias if field and field.alias else field_name


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
