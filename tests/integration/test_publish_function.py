"""status/publish's main(event, context) over HTTP: moto's S3 server and the Kuma stand-in on 127.0.0.1."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from demo import load_handler
from kuma_standin import KumaStandin
from spaces_standin import SpacesStandin, TenantPlan, seed_backups
from support import TEST_API_KEY

pytestmark = pytest.mark.integration


class Context:
    def __init__(self, timeout_ms: int = 60_000) -> None:
        self.deadline = int(time.time() * 1000) + timeout_ms

    def get_remaining_time_in_millis(self) -> int:
        return self.deadline - int(time.time() * 1000)


@pytest.fixture
def buckets(spaces_server: SpacesStandin) -> tuple[str, str]:
    suffix = uuid.uuid4().hex[:8]
    backups, status = f"backups-{suffix}", f"status-{suffix}"
    client = spaces_server.client()
    client.create_bucket(Bucket=backups)
    client.create_bucket(Bucket=status)
    plans = [TenantPlan(f"tenant-{i}", timedelta(hours=4)) for i in range(3)] + [
        TenantPlan("late", timedelta(hours=30))
    ]
    seed_backups(client, backups, plans, datetime.now(UTC))
    return backups, status


@pytest.fixture
def environment(
    monkeypatch: pytest.MonkeyPatch,
    spaces_server: SpacesStandin,
    kuma_server: KumaStandin,
    buckets: tuple[str, str],
) -> Iterator[dict[str, str]]:
    env = spaces_server.environment(*buckets) | {
        "UPTIME_KUMA_METRICS_URL": f"{kuma_server.url}/metrics",
        "UPTIME_KUMA_API_KEY": TEST_API_KEY,
        "UPTIME_KUMA_STATUS_PAGE": "test-status",
    }
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    yield env


@pytest.fixture(scope="module")
def handler() -> Callable[..., dict[str, Any]]:
    return load_handler("publish")


def published(spaces_server: SpacesStandin, bucket: str) -> Any:
    return json.loads(spaces_server.client().get_object(Bucket=bucket, Key="status.json")["Body"].read())


def test_scheduled_invocation_publishes_over_http(
    handler: Callable[..., dict[str, Any]],
    environment: dict[str, str],
    spaces_server: SpacesStandin,
    kuma_server: KumaStandin,
) -> None:
    result = handler({}, Context())  # the scheduler sends withBody: {}

    assert result["ok"] is True
    assert result["status"] == "outage"
    expected = {
        "status.json",
        "index.html",
        "badge.svg",
        "history.atom",
        "api/v2/status.json",
        "api/v2/summary.json",
        "api/v2/incidents.json",
        "api/v2/incidents/unresolved.json",
        "api/v2/scheduled-maintenances.json",
        "api/v2/scheduled-maintenances/upcoming.json",
        "api/v2/scheduled-maintenances/active.json",
        "history/incidents.json",
        "status-widget.js",
        "status.schema.json",
        "history/index.json",
        "_state/history/live-1.json.gz",  # the first generation
        "_state/last-run.json",
    }
    assert expected <= set(result["written"])
    # Beside them only finished days: the recorded beats are from a day that is over when this test runs.
    assert all(key.startswith(("history/days/", "_state/history/days/")) for key in set(result["written"]) - expected)
    assert result["history"] == "written"
    document = published(spaces_server, environment["STATUS_BUCKET"])
    assert document["backups"]["last_backup_status"] == "warning"
    assert document["backups"]["tenants"] == {"total": 4, "success": 3, "warning": 1, "failed": 0}
    # One request per Kuma endpoint.
    assert dict(kuma_server.responses.requests) == {
        "/metrics": 1,
        "/api/status-page/test-status": 1,
        "/api/status-page/heartbeat/test-status": 1,
    }


def test_doctl_dry_run_string_builds_the_document_and_writes_nothing(
    handler: Callable[..., dict[str, Any]], environment: dict[str, str], spaces_server: SpacesStandin
) -> None:
    result = handler({"dry_run": "true"}, Context())  # doctl -p values arrive as strings
    assert result["dry_run"] is True
    assert result["written"] == {}
    assert result["document"]["platform_status"] == "outage"
    listing = spaces_server.client().list_objects_v2(Bucket=environment["STATUS_BUCKET"])
    assert "Contents" not in listing


def test_an_invalid_event_is_a_clear_error(handler: Callable[..., dict[str, Any]], environment: dict[str, str]) -> None:
    assert handler({"dry_run": "perhaps"}, Context())["error"].startswith("invalid event: dry_run")


def test_bad_api_key_publishes_unknown(
    handler: Callable[..., dict[str, Any]],
    environment: dict[str, str],
    spaces_server: SpacesStandin,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("UPTIME_KUMA_API_KEY", "wrong-key")
    result = handler({}, Context())
    assert result["status"] == "unknown"
    assert "401" in result["sources"]["uptime_kuma"]["reason"]
    assert "wrong-key" not in json.dumps(result)
    assert published(spaces_server, environment["STATUS_BUCKET"])["platform_status"] == "unknown"


def test_a_missing_configuration_lists_every_problem(
    handler: Callable[..., dict[str, Any]],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.delenv("UPTIME_KUMA_METRICS_URL", raising=False)
    monkeypatch.setenv("SPACES_SECRET_KEY", "super-secret-value")
    result = handler({}, Context())
    assert "UPTIME_KUMA_METRICS_URL: required" in result["error"]
    assert "SPACES_ACCESS_KEY: required" in result["error"]
    assert "super-secret-value" not in result["error"]
    assert "super-secret-value" not in capsys.readouterr().out


def test_one_json_log_line_per_run_without_secrets(
    handler: Callable[..., dict[str, Any]], environment: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    handler({}, Context())
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("{")]
    assert len(lines) == 1
    entry = json.loads(lines[0])
    assert entry["function"] == "status/publish"
    assert entry["status"] == "outage"
    for secret in (TEST_API_KEY, environment["SPACES_SECRET_KEY"]):
        assert secret not in lines[0]
