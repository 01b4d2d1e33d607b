"""Test helpers: the recorded Kuma fixtures and settings from environment-style names."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from platform_status.config import Settings, load_settings

FIXTURES = Path(__file__).parent / "fixtures"
KUMA_2_5_3 = FIXTURES / "uptime-kuma-2.5.3"
KUMA_1_23 = FIXTURES / "uptime-kuma-1.23-derived"
# The time the Kuma 2.5.3 fixtures were recorded (heartbeat.headers' Date).
RECORDED_AT = datetime(2026, 11, 28, 19, 13, 46, tzinfo=UTC)
TEST_API_KEY = "test-api-key-only-for-the-tests"


def read_text(folder: Path, name: str) -> str:
    return (folder / name).read_text()


def make_settings(**overrides: str) -> Settings:
    """Settings as the functions read them: from environment-style names and string values."""
    env = {"UPTIME_KUMA_METRICS_URL": "http://127.0.0.1:9/metrics", "STATUS_OUT_DIR": "unused"}
    env.update({key.upper(): value for key, value in overrides.items()})
    return load_settings(env)
