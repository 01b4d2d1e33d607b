"""Test helpers: the recorded Kuma fixtures and settings from environment-style names."""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from platform_status.config import Settings, load_settings
from platform_status.monitors import KumaSnapshot
from platform_status.observations import Observations
from platform_status.sources.backups import BackupListing, TenantBackups
from platform_status.sources.kuma_heartbeats import parse_heartbeats
from platform_status.sources.kuma_metrics import parse_metrics
from platform_status.sources.kuma_page import parse_status_page
from platform_status.sources.kuma_snapshot import build_snapshot
from platform_status.sources.report import SourceReport

FIXTURES = Path(__file__).parent / "fixtures"
KUMA_2_5_3 = FIXTURES / "uptime-kuma-2.5.3"
KUMA_1_23 = FIXTURES / "uptime-kuma-1.23.17"
KUMA_RESTART = FIXTURES / "uptime-kuma-2.5.3-restart"
KUMA_1_23_PAUSED_RESTART = FIXTURES / "uptime-kuma-1.23.17-paused-restart"
# The time the 1.23.17 fixtures were recorded (their Date header), and the restart's main request.
RECORDED_1_23_AT = datetime(2026, 11, 29, 0, 44, 52, tzinfo=UTC)
RESTART_AT = datetime(2026, 11, 29, 0, 45, 42, 525000, tzinfo=UTC)
# The time the Kuma 2.5.3 fixtures were recorded (heartbeat.headers' Date).
RECORDED_AT = datetime(2026, 11, 28, 19, 13, 46, tzinfo=UTC)
TEST_API_KEY = "test-api-key-only-for-the-tests"


def read_text(folder: Path, name: str) -> str:
    return (folder / name).read_text()


def make_settings(**overrides: str) -> Settings:
    """Settings as the functions read them: from environment-style names and string values. The local
    directories default to a fresh temporary folder, never the checkout."""
    scratch = Path(tempfile.mkdtemp(prefix="platform-status-test-"))
    env = {
        "UPTIME_KUMA_METRICS_URL": "http://127.0.0.1:9/metrics",
        "STATUS_OUT_DIR": str(scratch / "public"),
        "STATUS_STATE_DIR": str(scratch / "state"),
    }
    env.update({key.upper(): value for key, value in overrides.items()})
    return load_settings(env)


OK = SourceReport(status="ok", observed_at=RECORDED_AT, latency_ms=5)
DOWN = SourceReport(status="unavailable", observed_at=RECORDED_AT, latency_ms=5, reason="/metrics: could not connect")


def recorded_snapshot() -> KumaSnapshot:
    return build_snapshot(
        RECORDED_AT,
        parse_metrics(read_text(KUMA_2_5_3, "metrics.txt")),
        parse_status_page(read_text(KUMA_2_5_3, "status-page.json")),
        parse_heartbeats(read_text(KUMA_2_5_3, "heartbeat.json")),
    )


def fresh_backups(*tenants: str, age: timedelta = timedelta(hours=3)) -> BackupListing:
    return BackupListing(
        tenants={name: TenantBackups(newest_good=RECORDED_AT - age, objects=8) for name in tenants},
        objects_listed=8 * len(tenants),
        list_requests=1,
    )


def observe(kuma: KumaSnapshot | None, backups: BackupListing | None = None) -> Observations:
    return Observations(
        checked_at=RECORDED_AT,
        kuma_report=OK if kuma else DOWN,
        kuma=kuma,
        backups_report=OK,
        backups=backups if backups is not None else fresh_backups("a", "b"),
    )


def last_run_bytes() -> bytes:
    """The private record a scheduled run leaves, from the recorded Kuma fixtures (computed "outage")."""
    from platform_status.assemble import build_document  # noqa: PLC0415 - keeps support's imports light
    from platform_status.run.last_run import LastRun  # noqa: PLC0415

    observations = observe(recorded_snapshot())
    return (
        LastRun(observations=observations, document=build_document(observations, make_settings()))
        .model_dump_json()
        .encode()
    )
