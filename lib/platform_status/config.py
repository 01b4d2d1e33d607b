"""Configuration: every environment variable, validated once at start.

A run with a missing or malformed value stops with one message that lists every problem by variable name.
Values are never echoed, so a secret pasted into the wrong variable does not end up in a log.
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, ValidationError, field_validator

DEFAULT_BACKUP_POLICY = "Nightly backups, 7-day retention, off-site object storage."
DEFAULT_INFRASTRUCTURE_MODEL = "Dedicated droplet per client + managed database cluster."
DEFAULT_INFRASTRUCTURE_NOTES = "All sites behind managed HTTPS and monitored 24/7."

# Spaces is configured as a whole or not at all; without it the public files go to a local directory.
SPACES_VARIABLES = (
    "SPACES_ACCESS_KEY",
    "SPACES_SECRET_KEY",
    "SPACES_ENDPOINT",
    "SPACES_BUCKET",
    "STATUS_BUCKET",
)
SPACES_HOST_SUFFIX = ".digitaloceanspaces.com"
# What a deployment cannot run without (`platform-status check-env` refuses a .env that lacks one).
DEPLOY_REQUIRED = (
    "UPTIME_KUMA_METRICS_URL",
    "UPTIME_KUMA_API_KEY",
    *SPACES_VARIABLES,
    "OVERRIDE_TOKEN",
)


class ConfigError(Exception):
    """The environment does not describe a runnable configuration; the message lists every problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        listing = "\n".join(f"- {problem}" for problem in problems)
        super().__init__(f"invalid configuration ({len(problems)} problem(s)):\n{listing}")


class Settings(BaseModel):
    """One field per environment variable: the field name is the variable name in lower case."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    # Uptime Kuma (required where Kuma is read: load_settings(require_kuma=True), the default)
    uptime_kuma_metrics_url: HttpUrl | None = None
    uptime_kuma_api_key: SecretStr | None = None
    uptime_kuma_status_page: str | None = Field(default=None, pattern=r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
    kuma_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    kuma_retries: int = Field(default=2, ge=0, le=5)

    # Spaces: the private backups bucket and the public status bucket
    spaces_access_key: SecretStr | None = None
    spaces_secret_key: SecretStr | None = None
    spaces_endpoint: HttpUrl | None = None
    spaces_region: str | None = Field(default=None, pattern=r"^[a-z0-9-]+$")
    spaces_bucket: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    backups_prefix: str = "backups/"
    status_bucket: str | None = Field(default=None, pattern=r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
    status_state_prefix: str = "_state/"
    # Where the public files go when Spaces is not configured (the local default).
    status_out_dir: Path = Path("public")
    # ...and where the private state goes then: never inside the public directory.
    status_state_dir: Path = Path(".platform-status/state")

    # The override function: the operators' bearer token, and the optional CDN purge
    override_token: SecretStr | None = Field(default=None, min_length=32)
    do_api_token: SecretStr | None = None
    cdn_endpoint_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]+$")
    do_api_url: HttpUrl = HttpUrl("https://api.digitalocean.com")
    # The Functions namespace id (fn-...): with DO_API_TOKEN, `platform-status doctor` checks the trigger.
    functions_namespace: str | None = Field(default=None, pattern=r"^[A-Za-z0-9-]+$")

    # The status page
    status_page_name: str = Field(default="Platform status", min_length=1, max_length=100)
    status_page_url: HttpUrl | None = None  # its public address, for links in the feed and the Statuspage API

    # Texts of the guide's document
    backup_policy: str = Field(default=DEFAULT_BACKUP_POLICY, min_length=1, max_length=500)
    infrastructure_model: str = Field(default=DEFAULT_INFRASTRUCTURE_MODEL, min_length=1, max_length=500)
    infrastructure_regions: list[str] = Field(default_factory=lambda: ["nyc3"], min_length=1)
    infrastructure_notes: str = Field(default=DEFAULT_INFRASTRUCTURE_NOTES, max_length=1000)

    # Thresholds (the guide's values as defaults)
    backup_warning_hours: float = Field(default=26.0, gt=0)
    backup_failed_hours: float = Field(default=48.0, gt=0)
    backup_min_bytes: int = Field(default=1, ge=0)
    outage_down_share: float = Field(default=0.5, gt=0, le=1)

    # History: no false alarms, no false green
    recovery_runs: int = Field(default=2, ge=1, le=10)
    stale_hold_minutes: int = Field(default=30, ge=0, le=24 * 60)
    flap_window_minutes: int = Field(default=30, ge=1, le=24 * 60)
    flap_changes: int = Field(default=4, ge=2, le=1000)
    history_days: int = Field(default=400, ge=90, le=3660)

    # Watching the watcher: alerts (Apprise URLs hold tokens: secret) and the dead man's switch
    alert_urls: SecretStr | None = None
    sendgrid_api_key: SecretStr | None = None
    sendgrid_from_email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    sendgrid_admin_email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+$")
    alert_after_failed_runs: int = Field(default=2, ge=1, le=100)
    alert_reminder_hours: float = Field(default=6.0, gt=0, le=24 * 7)
    alert_statuses: list[str] = Field(default_factory=lambda: ["outage", "degraded"])
    override_expiry_warning_minutes: int = Field(default=15, ge=0, le=24 * 60)
    heartbeat_url: SecretStr | None = None

    # Publishing
    schedule_minutes: int = Field(default=10, ge=1, le=60)
    status_cache_max_age: int = Field(default=60, ge=0, le=3600)
    run_budget_seconds: float = Field(default=40.0, gt=0, le=600)

    @field_validator("alert_statuses", mode="before")
    @classmethod
    def _split_statuses(cls, value: object) -> object:
        if isinstance(value, str):
            value = [part.strip() for part in value.split(",") if part.strip()]
        allowed = {"operational", "degraded", "outage", "maintenance", "unknown"}
        if isinstance(value, list) and not set(value) <= allowed:
            raise ValueError(f"each status must be one of {', '.join(sorted(allowed))}")
        return value

    @field_validator("infrastructure_regions", mode="before")
    @classmethod
    def _split_regions(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("backups_prefix", "status_state_prefix")
    @classmethod
    def _prefix_ends_with_slash(cls, value: str) -> str:
        value = value.lstrip("/")
        if value and not value.endswith("/"):
            value += "/"
        return value

    @property
    def kuma_base_url(self) -> str:
        """The Kuma base URL, whether the operator gave it with or without a trailing /metrics."""
        if self.uptime_kuma_metrics_url is None:
            raise ConfigError(["UPTIME_KUMA_METRICS_URL: required"])
        url = str(self.uptime_kuma_metrics_url).rstrip("/")
        return url.removesuffix("/metrics")

    @property
    def spaces_configured(self) -> bool:
        return self.spaces_endpoint is not None

    @property
    def spaces_region_name(self) -> str:
        if self.spaces_region:
            return self.spaces_region
        host = urlsplit(str(self.spaces_endpoint)).hostname or ""
        return host.removesuffix(SPACES_HOST_SUFFIX).split(".")[-1]


def _cross_field_problems(environ: Mapping[str, str], require_kuma: bool) -> list[str]:
    """Rules between variables, checked on the raw environment so they are reported with field errors."""

    def given(name: str) -> bool:
        return bool(environ.get(name, "").strip())

    problems: list[str] = []
    if require_kuma and not given("UPTIME_KUMA_METRICS_URL"):
        problems.append("UPTIME_KUMA_METRICS_URL: required")
    if any(given(name) for name in SPACES_VARIABLES):
        problems += [
            f"{name}: required when any Spaces variable is set" for name in SPACES_VARIABLES if not given(name)
        ]
    endpoint = environ.get("SPACES_ENDPOINT", "")
    if given("SPACES_ENDPOINT") and not given("SPACES_REGION"):
        host = urlsplit(endpoint).hostname or ""
        if not host.endswith(SPACES_HOST_SUFFIX):
            problems.append(
                "SPACES_REGION: required when SPACES_ENDPOINT is not a <region>.digitaloceanspaces.com endpoint"
            )
    try:
        warning = float(environ.get("BACKUP_WARNING_HOURS", "26"))
        failed = float(environ.get("BACKUP_FAILED_HOURS", "48"))
    except ValueError:
        pass  # reported as a field error
    else:
        if failed <= warning:
            problems.append("BACKUP_FAILED_HOURS: must be greater than BACKUP_WARNING_HOURS")
    return problems


# Set by project.yml: the required values as the deploy's --env file (or the operator's shell) gave them.
DEPLOYED_WITH = "PLATFORM_STATUS_DEPLOYED_WITH"


def _deployment_problems(environ: Mapping[str, str]) -> list[str]:
    """A deployed function holds .env (the deployer reads the file beside project.yml whatever --env names);
    project.yml also hands it the values the --env file or the shell gave. Where they differ, the deploy
    named another file, or a variable exported in the shell won: refuse to run on values nobody chose."""
    given = environ.get(DEPLOYED_WITH)
    if given is None:
        return []  # not a deployed function: the command line reads the file it is told to
    try:
        deployed = json.loads(given)
    except ValueError:
        deployed = None
    if not isinstance(deployed, dict):
        return [f"{DEPLOYED_WITH}: not the JSON object project.yml writes; deploy again with the project's project.yml"]
    differing = sorted(name for name, value in deployed.items() if environ.get(name, "") != str(value))
    if not differing:
        return []
    return [
        f"{name}: the deploy's --env file (or a variable exported in the shell) gave another value than .env, "
        "which is what the functions hold (the deployer reads .env beside project.yml whatever --env names). "
        "Copy the file you meant to .env, unset the variable in your shell, and deploy again with --env .env"
        for name in differing
    ]


def require_override_token(settings: Settings) -> str:
    """The override function cannot run without its token: a configuration error at start."""
    if settings.override_token is None:
        raise ConfigError(["OVERRIDE_TOKEN: required by the override function (at least 32 characters)"])
    return settings.override_token.get_secret_value()


def _describe(error_loc: tuple[int | str, ...], message: str) -> str:
    name = str(error_loc[0]).upper() if error_loc else "configuration"
    return f"{name}: {message.removeprefix('Value error, ')}"


def load_settings(environ: Mapping[str, str] | None = None, *, require_kuma: bool = True) -> Settings:
    """Read and validate the configuration; raise ConfigError listing every problem at once.

    `require_kuma`: whether Uptime Kuma's URL must be set. Whatever reads Kuma needs it; the override
    function (it republishes the last run) and the bucket setup do not."""
    env = dict(os.environ if environ is None else environ)
    problems: list[str] = []
    settings: Settings | None = None
    try:
        # An empty variable (NAME= in .env) means "not set", as it does for the shell's ${NAME:-default}.
        settings = Settings.model_validate(
            {key.lower(): value for key, value in env.items() if key.lower() in Settings.model_fields and value.strip()}
        )
    except ValidationError as error:
        for item in error.errors(include_input=False, include_url=False):
            message = "required" if item["type"] == "missing" else item["msg"]
            problems.append(_describe(item["loc"], message))
    problems += _cross_field_problems(env, require_kuma)
    problems += _deployment_problems(env)
    if problems or settings is None:
        raise ConfigError(sorted(set(problems)))
    return settings
