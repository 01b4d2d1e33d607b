"""Configuration: validated once, every problem listed by variable name, no secret echoed."""

from __future__ import annotations

import pytest

from platform_status.config import ConfigError, load_settings

SPACES = {
    "SPACES_ACCESS_KEY": "DO-test-access",
    "SPACES_SECRET_KEY": "very-secret-value-123",
    "SPACES_ENDPOINT": "https://fra1.digitaloceanspaces.com",
    "SPACES_BUCKET": "acme-backups",
    "STATUS_BUCKET": "acme-status",
}
KUMA = {"UPTIME_KUMA_METRICS_URL": "https://uptime.example.com/metrics"}


def problems_of(env: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_settings(env)
    return caught.value.problems


def test_defaults_are_the_guides_values() -> None:
    settings = load_settings(KUMA)
    assert settings.backup_warning_hours == 26
    assert settings.backup_failed_hours == 48
    assert settings.outage_down_share == 0.5
    assert settings.status_cache_max_age == 60
    assert settings.backups_prefix == "backups/"
    assert settings.status_state_prefix == "_state/"
    assert settings.infrastructure_regions == ["nyc3"]
    assert not settings.spaces_configured


@pytest.mark.parametrize(
    "url", ["https://uptime.example.com", "https://uptime.example.com/", "https://uptime.example.com/metrics"]
)
def test_kuma_url_with_or_without_metrics(url: str) -> None:
    assert load_settings({"UPTIME_KUMA_METRICS_URL": url}).kuma_base_url == "https://uptime.example.com"


def test_region_comes_from_the_spaces_endpoint_or_spaces_region() -> None:
    assert load_settings(KUMA | SPACES).spaces_region_name == "fra1"
    assert load_settings(KUMA | SPACES | {"SPACES_REGION": "ams3"}).spaces_region_name == "ams3"


def test_every_problem_is_listed_at_once_by_variable_name() -> None:
    problems = problems_of(
        {
            "SPACES_ENDPOINT": "not a url",
            "SPACES_SECRET_KEY": "very-secret-value-123",
            "OUTAGE_DOWN_SHARE": "2",
            "BACKUP_WARNING_HOURS": "50",
            "UPTIME_KUMA_STATUS_PAGE": "../etc",
        }
    )
    names = {problem.split(":")[0] for problem in problems}
    assert names >= {
        "UPTIME_KUMA_METRICS_URL",
        "SPACES_ENDPOINT",
        "SPACES_ACCESS_KEY",
        "SPACES_BUCKET",
        "STATUS_BUCKET",
        "OUTAGE_DOWN_SHARE",
        "BACKUP_FAILED_HOURS",
        "UPTIME_KUMA_STATUS_PAGE",
    }


def test_the_message_never_echoes_a_value() -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(
            {"UPTIME_KUMA_METRICS_URL": "very-secret-value-123", "SPACES_SECRET_KEY": "very-secret-value-123"}
        )
    assert "very-secret-value-123" not in str(caught.value)
    assert "UPTIME_KUMA_METRICS_URL" in str(caught.value)


def test_an_empty_variable_means_not_set() -> None:
    # project.yml templates every variable, so optional ones arrive as "".
    settings = load_settings(KUMA | {"UPTIME_KUMA_API_KEY": "", "SPACES_REGION": "", "BACKUP_MIN_BYTES": ""})
    assert settings.uptime_kuma_api_key is None
    assert settings.backup_min_bytes == 1


def test_a_non_spaces_endpoint_needs_a_region() -> None:
    env = KUMA | SPACES | {"SPACES_ENDPOINT": "http://127.0.0.1:9000"}
    assert any(p.startswith("SPACES_REGION") for p in problems_of(env))


def test_regions_are_comma_separated() -> None:
    assert load_settings(KUMA | {"INFRASTRUCTURE_REGIONS": "nyc3, fra1"}).infrastructure_regions == [
        "nyc3",
        "fra1",
    ]


def test_secrets_are_hidden_in_repr() -> None:
    settings = load_settings(KUMA | SPACES | {"UPTIME_KUMA_API_KEY": "kuma-key-value"})
    assert "very-secret-value-123" not in repr(settings)
    assert "kuma-key-value" not in repr(settings)
