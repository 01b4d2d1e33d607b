"""Incidents and maintenance end to end: the override function over HTTP on 127.0.0.1, moto's S3 server, the
command line, two operators at once, and scheduled runs that carry what was announced."""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

from override_support import INTEGRATION_TOKEN as TOKEN
from override_support import status_json
from platform_status.cli import main as cli
from platform_status.config import load_settings
from platform_status.run.publish import publish
from recording_server import RecordingServer
from spaces_standin import SpacesStandin

pytestmark = pytest.mark.integration
AUTH = {"Authorization": f"Bearer {TOKEN}"}


def printed(capsys: pytest.CaptureFixture[str]) -> str:
    """What the command printed: the adapter runs the function in this process, so leave out its JSON logs."""
    return "\n".join(line for line in capsys.readouterr().out.splitlines() if not line.startswith("{"))


def public_object(spaces_server: SpacesStandin, environment: dict[str, str], key: str) -> Any:
    body = spaces_server.client().get_object(Bucket=environment["STATUS_BUCKET"], Key=key)["Body"].read()
    return json.loads(body) if key.endswith(".json") else body.decode()


def test_open_update_and_resolve_from_the_command_line(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin, capsys: pytest.CaptureFixture[str]
) -> None:
    opened = cli(
        ["incident", "open", "--title", "Database connections failing", "--impact", "outage",
         "--component", "Services", "--message", "We are investigating."]
    )  # fmt: skip
    assert opened == 0
    said = printed(capsys)
    assert "published at once" in said
    incident_id = said.split()[0]
    published = status_json(spaces_server, environment)
    assert [(i["id"], i["title"], i["stage"]) for i in published["incidents"] if i["source"] == "operator"] == [
        (incident_id, "Database connections failing", "investigating")
    ]
    services = next(c for c in published["components"] if c["name"] == "Services")
    assert services["status"] == "outage"

    assert cli(["incident", "update", incident_id, "--stage", "identified", "--message", "A failed disk."]) == 0
    assert cli(["incident", "resolve", incident_id]) == 0
    capsys.readouterr()
    published = status_json(spaces_server, environment)
    assert all(i["source"] == "monitoring" for i in published["incidents"])  # resolved: no longer open
    past = public_object(spaces_server, environment, "history/incidents.json")
    assert [u["stage"] for u in past["incidents"][0]["updates"]] == ["resolved", "identified", "investigating"]
    assert "alice" not in json.dumps(past)  # authors stay private
    assert cli(["incident", "list"]) == 0
    listed = printed(capsys)
    assert "by alice" in listed and "closed" in listed
    feed = public_object(spaces_server, environment, "history.atom")
    assert "Resolved: Database connections failing" in feed and "Identified: Database connections failing" in feed


def test_bad_input_is_refused_by_field_and_stores_nothing(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin, capsys: pytest.CaptureFixture[str]
) -> None:
    def log_keys() -> list[str]:
        listing = spaces_server.client().list_objects_v2(
            Bucket=environment["STATUS_BUCKET"], Prefix="_state/incidents/"
        )
        return [item["Key"] for item in listing.get("Contents", [])]

    assert cli(["incident", "open", "--title", "x", "--impact", "outage", "--component", "Nope", "--message", "m"]) == 1
    assert "components: unknown component(s): Nope; known: Services, Other" in capsys.readouterr().err
    too_long = {"title": "t" * 121, "impact": "outage", "message": "m", "author": "a"}
    answer = requests.post(endpoint + "/incidents", json=too_long, headers=AUTH, timeout=10)
    assert (answer.status_code, answer.json()["fields"]) == (
        422,
        [{"field": "title", "message": "1 to 120 characters"}],
    )
    unknown = requests.post(endpoint + "/incidents/0000000000/updates", json={}, headers=AUTH, timeout=10)
    assert unknown.status_code == 422  # the body is checked first: nothing is looked up for a bad request
    assert log_keys() == []


def test_two_operators_updating_at_once_both_land_in_order(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin
) -> None:
    opening = {"title": "Slow API", "impact": "degraded", "message": "Looking.", "author": "alice"}
    incident_id = requests.post(endpoint + "/incidents", json=opening, headers=AUTH, timeout=10).json()["incident"][
        "id"
    ]
    start = threading.Barrier(4)
    answers: list[int] = []

    def operator(name: str) -> None:
        for number in range(3):
            if number == 0:
                start.wait(10)
            update = {"stage": "monitoring", "message": f"{name} {number}", "author": name}
            answer = requests.post(f"{endpoint}/incidents/{incident_id}/updates", json=update, headers=AUTH, timeout=30)
            answers.append(answer.status_code)

    threads = [threading.Thread(target=operator, args=(name,)) for name in ("alice", "bob", "carol", "dave")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert answers == [201] * 12
    timeline = requests.get(f"{endpoint}/incidents/{incident_id}", headers=AUTH, timeout=10).json()["incident"]
    messages = [update["message"] for update in timeline["updates"][1:]]
    assert sorted(messages) == sorted(f"{name} {n}" for name in ("alice", "bob", "carol", "dave") for n in range(3))
    for name in ("alice", "bob", "carol", "dave"):  # each operator's own updates in the order they were made
        assert [m for m in messages if m.startswith(name)] == [f"{name} 0", f"{name} 1", f"{name} 2"]
    # The page publishes every one of them (the last republish read them all).
    published = status_json(spaces_server, environment)
    public = next(i for i in published["incidents"] if i["id"] == incident_id)
    assert len(public["updates"]) == 13


def test_a_maintenance_is_announced_then_runs_then_ends_with_scheduled_runs(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin, capsys: pytest.CaptureFixture[str]
) -> None:
    starts = datetime.now(UTC).replace(microsecond=0) + timedelta(hours=1)
    scheduled = cli(
        ["maintenance", "schedule", "--title", "Database upgrade", "--component", "Other",
         "--message", "PostgreSQL 17.", "--start", starts.isoformat(), "--duration", "1h"]
    )  # fmt: skip
    assert scheduled == 0
    maintenance_id = printed(capsys).split()[0]
    upcoming = public_object(spaces_server, environment, "api/v2/scheduled-maintenances/upcoming.json")
    assert [m["name"] for m in upcoming["scheduled_maintenances"]] == ["Database upgrade"]

    settings = load_settings()
    during = publish(settings, now=starts + timedelta(minutes=5))
    other = next(c for c in during.document.components if c.name == "Other")
    assert (other.status, other.set_by and other.set_by.id) == ("maintenance", maintenance_id)
    active = public_object(spaces_server, environment, "api/v2/scheduled-maintenances/active.json")
    assert [m["name"] for m in active["scheduled_maintenances"]] == ["Database upgrade", "Seeded maintenance"]

    after = publish(settings, now=starts + timedelta(hours=1, minutes=5))
    assert all(m.id != maintenance_id for m in after.document.maintenances)  # over, with no one touching it
    done = public_object(spaces_server, environment, "history/incidents.json")["maintenances"]
    assert [(m["id"], m["status"]) for m in done] == [(maintenance_id, "completed")]


def test_a_cancelled_maintenance_leaves_the_page_and_cannot_be_cancelled_twice(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["maintenance", "schedule", "--title", "Network work", "--start", "now", "--duration", "2h"]) == 0
    maintenance_id = printed(capsys).split()[0]
    assert any(m["id"] == maintenance_id for m in status_json(spaces_server, environment)["maintenances"])
    reason = "Postponed: the vendor needs another week."
    assert cli(["maintenance", "cancel", maintenance_id, "--message", reason]) == 0
    assert all(m["id"] != maintenance_id for m in status_json(spaces_server, environment)["maintenances"])
    listed = public_object(spaces_server, environment, "api/v2/scheduled-maintenances.json")["scheduled_maintenances"]
    cancelled = next(m for m in listed if m["name"] == "Network work")
    assert cancelled["status"] == "completed"  # Statuspage's statuses have no "cancelled": its words say so
    assert cancelled["incident_updates"][0]["body"] == f"The maintenance was cancelled. {reason}"
    page = gzip.decompress(
        spaces_server.client().get_object(Bucket=environment["STATUS_BUCKET"], Key="index.html")["Body"].read()
    ).decode()
    assert "Network work" in page and reason in page  # not gone without a word
    capsys.readouterr()
    assert cli(["maintenance", "cancel", maintenance_id]) == 1
    assert f"HTTP 409: maintenance {maintenance_id} is cancelled" in capsys.readouterr().err


# What a run must write again though nothing changed: the files that carry the run's time.
SAYS_THE_TIME = {"status.json", "index.html", "api/v2/status.json", "api/v2/summary.json"}
LISTS = {
    "api/v2/incidents.json",
    "api/v2/incidents/unresolved.json",
    "api/v2/scheduled-maintenances.json",
    "api/v2/scheduled-maintenances/upcoming.json",
    "api/v2/scheduled-maintenances/active.json",
    "history/incidents.json",
}


def test_a_run_writes_again_only_what_changed(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin, capsys: pytest.CaptureFixture[str]
) -> None:
    settings = load_settings()
    now = datetime.now(UTC)

    def public_written(at: datetime) -> set[str]:
        outcome = publish(settings, now=at)
        assert outcome.problems == []
        return {key for key in outcome.written if key not in outcome.private_keys}

    public_written(now)
    before = {key: public_object(spaces_server, environment, key) for key in LISTS}
    steady = public_written(now + timedelta(minutes=10))
    assert steady <= SAYS_THE_TIME | {"history/index.json"}  # the index: today's bar moves
    assert {key: public_object(spaces_server, environment, key) for key in LISTS} == before
    unresolved = before["api/v2/incidents/unresolved.json"]  # Uptime Kuma's pinned incident
    assert unresolved["page"]["updated_at"] == max(i["updated_at"] for i in unresolved["incidents"])
    upcoming = before["api/v2/scheduled-maintenances/upcoming.json"]
    assert upcoming["scheduled_maintenances"] == []  # nothing listed: dated by the last status change
    assert (
        upcoming["page"]["updated_at"] == public_object(spaces_server, environment, "status.json")["status_changed_at"]
    )

    assert cli(["incident", "open", "--title", "Slow logins", "--impact", "degraded", "--message", "Looking."]) == 0
    capsys.readouterr()
    opened = public_object(spaces_server, environment, "api/v2/incidents/unresolved.json")
    operator = [i for i in opened["incidents"] if i["name"] == "Slow logins"]
    assert len(operator) == 1 and opened["page"]["updated_at"] == operator[0]["updated_at"]
    after = public_written(now + timedelta(minutes=20))
    assert "api/v2/incidents/unresolved.json" in after  # once: this run's digests learn the new bytes
    assert public_written(now + timedelta(minutes=30)) <= SAYS_THE_TIME | {"history/index.json"}
    assert public_object(spaces_server, environment, "api/v2/incidents/unresolved.json") == opened


def _at_once(count: int, call: Callable[[], requests.Response]) -> list[int]:
    """`count` callers released together (a double click, a retrying client, two operators)."""
    start = threading.Barrier(count)

    def caller() -> int:
        start.wait(10)
        return call().status_code

    with ThreadPoolExecutor(max_workers=count) as pool:
        return sorted(pool.map(lambda _: caller(), range(count)))


def test_eight_resolutions_at_once_one_wins_the_others_409_and_customers_read_one(
    endpoint: str, environment: dict[str, str], spaces_server: SpacesStandin, cdn: RecordingServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.setenv("ALERT_URLS", f"json://{cdn.host}/alerts")
    opening = {"title": "Slow API", "impact": "degraded", "message": "Looking.", "author": "alice"}
    opened = requests.post(endpoint + "/incidents", json=opening, headers=AUTH, timeout=10).json()["incident"]
    resolution = {"stage": "resolved", "message": "Fixed.", "author": "bob"}
    answers = _at_once(
        8,
        lambda: requests.post(
            f"{endpoint}/incidents/{opened['id']}/updates", json=resolution, headers=AUTH, timeout=60
        ),
    )
    assert answers == [201] + [409] * 7
    timeline = requests.get(f"{endpoint}/incidents/{opened['id']}", headers=AUTH, timeout=10).json()["incident"]
    assert [update["stage"] for update in timeline["updates"]] == ["investigating", "resolved"]
    past = public_object(spaces_server, environment, "history/incidents.json")["incidents"]
    assert [u["stage"] for u in next(i for i in past if i["id"] == opened["id"])["updates"]] == [
        "resolved",
        "investigating",
    ]
    titles = [item.body["title"] for item in cdn.requests_to("POST", "/alerts")]
    assert sum("updated (resolved)" in title for title in titles) == 1


def test_ten_cancellations_at_once_one_cancels_the_others_409_and_one_alert(
    endpoint: str, environment: dict[str, str], cdn: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ALERT_URLS", f"json://{cdn.host}/alerts")
    starts = (datetime.now(UTC) + timedelta(hours=2)).replace(microsecond=0)
    window = {
        "title": "Network work",
        "author": "alice",
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(),
    }
    maintenance = requests.post(endpoint + "/maintenances", json=window, headers=AUTH, timeout=10).json()["maintenance"]
    answers = _at_once(
        10, lambda: requests.delete(f"{endpoint}/maintenances/{maintenance['id']}", headers=AUTH, timeout=60)
    )
    assert answers == [200] + [409] * 9
    titles = [item.body["title"] for item in cdn.requests_to("POST", "/alerts")]
    assert sum(title.startswith("[platform status] Maintenance cancelled") for title in titles) == 1


def test_publish_out_shows_the_incidents_opened_on_the_stack_and_writes_nothing_to_the_bucket(
    endpoint: str,
    environment: dict[str, str],
    spaces_server: SpacesStandin,
    *,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert cli(["incident", "open", "--title", "Slow logins", "--impact", "degraded", "--message", "Looking."]) == 0
    incident_id = printed(capsys).split()[0]
    client = spaces_server.client()

    def bucket() -> dict[str, str]:
        listed = client.list_objects_v2(Bucket=environment["STATUS_BUCKET"]).get("Contents", [])
        return {item["Key"]: item["ETag"] for item in listed}

    before = bucket()
    monkeypatch.setenv("STATUS_STATE_DIR", str(tmp_path / "state"))
    assert cli(["publish", "--out", str(tmp_path / "site")]) == 0
    said = printed(capsys)
    assert "the override and the incidents are read from" in said
    published = json.loads((tmp_path / "site" / "status.json").read_text())
    assert [i["id"] for i in published["incidents"] if i["source"] == "operator"] == [incident_id]
    assert bucket() == before  # the bucket's files and state untouched
