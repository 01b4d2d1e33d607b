"""`platform-status doctor` against the local stand-ins: healthy, then each item broken in turn."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from platform_status.cli import main as cli
from platform_status.config import load_settings
from platform_status.operations.doctor import Finding, diagnose, healthy
from platform_status.run.publish import publish
from platform_status.spaces import make_s3_client
from platform_status.timeutil import utc_now
from recording_server import RecordingServer
from spaces_standin import SpacesStandin

pytestmark = pytest.mark.integration
NAMESPACE = "fn-0123abcd-test"
TRIGGERS = f"/v2/functions/namespaces/{NAMESPACE}/triggers"
PUBLISH_TRIGGER = {
    "name": "publish-every-10-minutes",
    "function": "status/publish",
    "is_enabled": True,
    "type": "SCHEDULED",
    "scheduled_details": {"cron": "*/10 * * * *", "body": {}},
}


@pytest.fixture
def do_api() -> Iterator[RecordingServer]:
    server = RecordingServer().start()
    server.answer("GET", TRIGGERS, 200, {"triggers": [PUBLISH_TRIGGER]})
    yield server
    server.stop()


@pytest.fixture
def env(stack_env: dict[str, str], do_api: RecordingServer, spaces_server: SpacesStandin) -> dict[str, str]:
    spaces_server.client().put_object(Bucket=stack_env["SPACES_BUCKET"], Key="backups/t1/2026.tar.gz", Body=b"x")
    return stack_env | {
        "DO_API_URL": do_api.url,
        "DO_API_TOKEN": "do-api-token-for-the-doctor-test",
        "FUNCTIONS_NAMESPACE": NAMESPACE,
        "ALERT_URLS": f"json://{do_api.host}/alerts",
        "HEARTBEAT_URL": f"http://{do_api.host}/api/push/token?status=up",
    }


def findings(env: dict[str, str]) -> dict[str, Finding]:
    settings = load_settings(env)
    return {f.item: f for f in diagnose(settings, now=utc_now(), s3_client=make_s3_client(settings))}


def problems(env: dict[str, str]) -> dict[str, str]:
    return {item: f.detail for item, f in findings(env).items() if f.state == "problem"}


def test_a_healthy_deployment_is_all_ok(env: dict[str, str], do_api: RecordingServer) -> None:
    publish(load_settings(env))
    found = findings(env)
    assert [f.state for f in found.values()] == ["ok"] * 8, [f.line() for f in found.values()]
    assert healthy(list(found.values()))
    assert found["trigger"].detail == "publish-every-10-minutes calls status/publish (*/10 * * * *)"
    # Nothing was sent: no alert, no heartbeat (a ping would tell the push monitor all is well).
    assert do_api.requests_to("POST") == []
    assert do_api.requests_to("GET", "/api/push") == []


def test_nothing_published_yet(env: dict[str, str]) -> None:
    found = problems(env)
    assert "HTTP 404" in found["status.json"]
    assert found["last run"].startswith("none recorded: invoke status/publish")
    assert "does not exist yet" in found["status bucket"]


def test_a_publisher_that_stopped_is_stale_and_its_last_run_old(env: dict[str, str]) -> None:
    publish(load_settings(env), now=utc_now() - timedelta(hours=2))
    found = problems(env)
    assert found["status.json"].startswith("STALE")
    assert "runs should come every 10 min" in found["last run"]


def test_kuma_refusing_the_key(env: dict[str, str]) -> None:
    publish(load_settings(env))
    found = problems(env | {"UPTIME_KUMA_API_KEY": "a-revoked-key"})
    assert set(found) == {"Uptime Kuma"}
    assert "HTTP 401" in found["Uptime Kuma"]
    assert "a-revoked-key" not in found["Uptime Kuma"]


def test_an_unknown_status_page_slug(env: dict[str, str]) -> None:
    publish(load_settings(env))
    assert "status page" in problems(env | {"UPTIME_KUMA_STATUS_PAGE": "no-such-page"})["Uptime Kuma"]


def test_a_backups_bucket_that_cannot_be_listed(env: dict[str, str]) -> None:
    publish(load_settings(env))
    assert "NoSuchBucket" in problems(env | {"SPACES_BUCKET": "no-such-backups"})["backups bucket"]


def test_private_state_made_public_is_a_security_problem(env: dict[str, str], spaces_server: SpacesStandin) -> None:
    publish(load_settings(env))
    spaces_server.client().put_object_acl(Bucket=env["STATUS_BUCKET"], Key="_state/last-run.json", ACL="public-read")
    assert "SECURITY: private state" in problems(env)["status bucket"]


@pytest.mark.parametrize(
    ("status", "body", "says"),
    [
        (200, {"triggers": []}, "platform-status trigger --create"),
        (200, {"triggers": [PUBLISH_TRIGGER | {"is_enabled": False}]}, "is disabled"),
        (401, {"id": "unauthorized"}, "refused DO_API_TOKEN"),
        (404, {"id": "not_found"}, "FUNCTIONS_NAMESPACE"),
    ],
)
def test_a_missing_disabled_or_unreachable_trigger(
    env: dict[str, str], do_api: RecordingServer, status: int, body: object, says: str
) -> None:
    publish(load_settings(env))
    do_api.answer("GET", TRIGGERS, status, body)
    found = problems(env)
    assert set(found) == {"trigger"}
    assert says in found["trigger"]


def test_the_trigger_is_skipped_not_failed_without_a_token(env: dict[str, str]) -> None:
    publish(load_settings(env))
    found = findings(env | {"DO_API_TOKEN": ""})
    assert found["trigger"].state == "skipped"
    assert healthy(list(found.values()))


def test_alerts_and_heartbeat_not_configured(env: dict[str, str]) -> None:
    publish(load_settings(env))
    everything = findings(env | {"ALERT_URLS": "", "HEARTBEAT_URL": ""})
    # Said, apart from problems: a local stack has neither and is healthy (the exit code means a problem).
    assert {item for item, finding in everything.items() if finding.state == "unset"} == {"alerts", "heartbeat"}
    assert "set ALERT_URLS" in everything["alerts"].detail
    assert everything["heartbeat"].line().startswith("not set  heartbeat: not configured")
    assert healthy(list(everything.values())), [f.line() for f in everything.values() if f.state == "problem"]
    unusable = problems(env | {"ALERT_URLS": "json://ok.example/x, nosuchscheme://secret-token@x"})
    assert unusable["alerts"].startswith("alert URL #2 is not one Apprise understands")
    assert "secret-token" not in unusable["alerts"]


def test_the_command_exits_0_when_healthy_and_1_otherwise(
    env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    publish(load_settings(env))
    env_file = tmp_path / "doctor.env"
    env_file.write_text("".join(f"{name}={value}\n" for name, value in env.items()))
    assert cli(["--env-file", str(env_file), "doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 8
    assert all(line.startswith("ok ") for line in lines)
    monkeypatch.delenv("HEARTBEAT_URL")  # the first run loaded the file into this process's environment
    env_file.write_text(env_file.read_text() + "HEARTBEAT_URL=\n")
    assert cli(["--env-file", str(env_file), "doctor"]) == 0  # not configured is said, and is not a problem
    assert "not set  heartbeat: not configured" in capsys.readouterr().out
    monkeypatch.delenv("UPTIME_KUMA_API_KEY")
    env_file.write_text(env_file.read_text() + "UPTIME_KUMA_API_KEY=a-revoked-key\n")
    assert cli(["--env-file", str(env_file), "doctor"]) == 1
