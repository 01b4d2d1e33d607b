"""Alerts, the heartbeat and the freshness check over HTTP on 127.0.0.1: a local receiver stands in for the
notification service (Apprise json://) and for the Uptime Kuma push monitor."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import apprise
import pytest

from demo import load_handler
from kuma_standin import KumaStandin, synthetic
from platform_status.config import Settings, load_settings
from platform_status.run.publish import publish
from platform_status.run.scheduled import run_scheduled
from platform_status.watch.check import check
from platform_status.watch.notify import alert_urls
from recording_server import RecordingServer
from spaces_standin import SpacesStandin
from support import TEST_API_KEY, make_settings

pytestmark = pytest.mark.integration


class Receiver(RecordingServer):
    """The notification service (Apprise json:// POSTs) and the push monitor (GETs); serves `files`."""

    def alerts(self) -> list[str]:
        return [item.body["title"] for item in self.requests_to("POST")]

    def pings(self) -> list[str]:
        return [item.path for item in self.requests_to("GET")]

    def serve(self, path: str, status: int, body: bytes) -> None:
        self.answer("GET", path, status, body)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def env(stack_env: dict[str, str], receiver: Receiver) -> dict[str, str]:
    return stack_env | {
        "ALERT_URLS": f"json://{receiver.host}/alerts",
        "HEARTBEAT_URL": f"http://{receiver.host}/api/push/push-token?status=up&msg=OK&ping=",
    }


NOW = datetime(2026, 11, 28, 20, 0, tzinfo=UTC)


def test_alerts_once_per_condition_then_reminders_then_resolved(
    env: dict[str, str], receiver: Receiver, kuma_server: KumaStandin
) -> None:
    settings = load_settings(env)
    first = run_scheduled(settings, now=NOW)
    assert first["alerts"]["problems"] == []
    assert receiver.alerts() == ["[platform status] Platform status: outage"]

    run_scheduled(settings, now=NOW + timedelta(minutes=10))
    assert len(receiver.alerts()) == 1  # once per condition

    run_scheduled(settings, now=NOW + timedelta(hours=6, minutes=5))
    assert receiver.alerts()[-1] == "[platform status] Reminder: Platform status: outage"

    kuma_server.responses = synthetic(5, down=0, api_key=TEST_API_KEY)  # everything recovers
    for minutes in (370, 380):  # two healthy runs before the status is operational again
        run_scheduled(settings, now=NOW + timedelta(minutes=minutes))
    assert receiver.alerts()[-1] == "[platform status] Resolved: Platform status back to operational (was outage)"


def test_a_source_down_two_runs_alerts_with_its_reason(env: dict[str, str], receiver: Receiver) -> None:
    settings = load_settings(env | {"UPTIME_KUMA_METRICS_URL": "http://127.0.0.1:9", "KUMA_RETRIES": "0"})
    run_scheduled(settings, now=NOW)
    assert receiver.alerts() == []
    run_scheduled(settings, now=NOW + timedelta(minutes=10))
    assert receiver.alerts() == [
        "[platform status] Uptime Kuma unreachable for 2+ runs: /metrics: could not connect (refused)"
    ]


def test_heartbeat_up_after_a_good_run_down_with_a_reason_after_a_failed_one(
    env: dict[str, str], receiver: Receiver
) -> None:
    assert run_scheduled(load_settings(env), now=NOW)["heartbeat"] == "sent"
    assert receiver.pings()[-1].startswith("/api/push/push-token?status=up&msg=OK&ping=")

    broken = load_settings(env | {"STATUS_BUCKET": "no-such-status-bucket"})
    summary = run_scheduled(broken, now=NOW + timedelta(minutes=10))
    assert "error" in summary
    assert "status=down" in receiver.pings()[-1]
    assert "NoSuchBucket" in receiver.pings()[-1]
    assert any("Status publishing failed" in title for title in receiver.alerts())


def test_a_failing_alert_service_never_fails_the_run(env: dict[str, str]) -> None:
    settings = load_settings(env | {"ALERT_URLS": "json://127.0.0.1:9/nobody-listens"})
    summary = run_scheduled(settings, now=NOW)
    assert summary["ok"] is True
    assert summary["alerts"]["problems"] == ["alert not delivered: Platform status: outage"]


def test_sendgrid_variables_map_to_apprise() -> None:
    settings = make_settings(
        sendgrid_api_key="SG-test-key",
        sendgrid_from_email="alerts@example.com",
        sendgrid_admin_email="ops@example.com",
    )
    (url,) = alert_urls(settings)
    assert url == "sendgrid://SG-test-key:alerts@example.com/ops@example.com"
    assert apprise.Apprise().add(url)


def test_freshness_check(env: dict[str, str], receiver: Receiver) -> None:
    settings: Settings = load_settings(env)
    outcome = publish(settings, now=NOW)
    fresh = outcome.document.to_json_bytes()
    receiver.serve("/fresh.json", 200, fresh)
    receiver.serve("/invalid.json", 200, b'{"updated_at": "yesterday"}')
    receiver.serve("/missing.json", 404, b"Not Found")
    base = f"http://{receiver.host}"

    assert check(f"{base}/fresh.json", timedelta(minutes=20), NOW + timedelta(minutes=5)) == (
        0,
        "OK: outage, updated 5 min ago",
    )
    code, line = check(f"{base}/fresh.json", timedelta(minutes=20), NOW + timedelta(minutes=25))
    assert (code, line.split(":")[0]) == (1, "STALE")
    code, line = check(f"{base}/invalid.json", timedelta(minutes=20), NOW)
    assert (code, line.split(":")[0]) == (1, "INVALID")
    assert check(f"{base}/missing.json", timedelta(minutes=20), NOW)[0] == 2
    assert check("http://127.0.0.1:9/status.json", timedelta(minutes=20), NOW)[0] == 2


def test_an_override_change_is_announced_at_once(
    env: dict[str, str], receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = "watch-test-override-token-0123456789abcdef"
    for name, value in (env | {"OVERRIDE_TOKEN": token}).items():
        monkeypatch.setenv(name, value)
    publish(load_settings(env), now=NOW)
    handler = load_handler("override")
    body = json.dumps({"status": "outage", "message": "We are on it", "author": "alice", "ttl_minutes": 60})
    headers = {"authorization": f"Bearer {token}", "x-forwarded-for": "203.0.113.9", "x-request-id": "r1"}
    event = {"http": {"method": "PUT", "headers": headers, "path": "", "body": body, "queryString": ""}}
    assert handler(event)["statusCode"] == 200
    assert receiver.alerts()[-1].startswith("[platform status] Override set by alice: outage until ")
    event["http"] |= {"method": "DELETE", "body": '{"author": "bob"}'}
    assert handler(event)["statusCode"] == 200
    assert receiver.alerts()[-1] == "[platform status] Override cleared by bob"


def test_without_alert_urls_alerts_are_not_configured_and_nothing_counts_as_sent(
    stack_env: dict[str, str], spaces_server: SpacesStandin
) -> None:
    settings = load_settings(stack_env)
    summary = run_scheduled(settings, now=NOW)
    assert summary["alerts"] == {"status": "not configured", "sent": [], "problems": []}
    keys = [
        item["Key"] for item in spaces_server.client().list_objects_v2(Bucket=stack_env["STATUS_BUCKET"])["Contents"]
    ]
    assert "_state/alerts.json" not in keys  # nothing recorded as sent: once configured, the outage is news
