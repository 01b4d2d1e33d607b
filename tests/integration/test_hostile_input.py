"""Input that is hostile or simply odd, each found by trying it: every run still ends with a valid status.json,
the other files written (each parsed by its own kind of reader), and the reason in the summary."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kuma_bodies import Monitor, heartbeat_json, responses
from kuma_standin import KumaStandin
from platform_status.config import Settings, load_settings
from platform_status.run.outcome import PublishOutcome
from platform_status.run.publish import publish
from platform_status.run.scheduled import run_scheduled
from platform_status.store import LocalStore, ObjectMeta
from public_files import parse_each, public_files
from recording_server import RecordingServer

pytestmark = pytest.mark.integration
NOW = datetime.now(UTC).replace(microsecond=0)
BAD = ["\x01", "\x1b", "\ufffe", "\uffff", "\u202e", "\u2066", "\ufdd0"]


@pytest.fixture
def kuma() -> Iterator[KumaStandin]:
    server = KumaStandin(responses([("Web", [Monitor(1, "a")])])).start()
    yield server
    server.stop()


def settings_for(kuma: KumaStandin, tmp_path: Path, **extra: str) -> Settings:
    return load_settings(
        {
            "UPTIME_KUMA_METRICS_URL": kuma.url,
            "UPTIME_KUMA_STATUS_PAGE": "test-status",
            "STATUS_OUT_DIR": str(tmp_path / "public"),
            "STATUS_STATE_DIR": str(tmp_path / "state"),
            "KUMA_RETRIES": "0",
        }
        | extra
    )


def beats(status: str, minutes: int = 10, at: datetime = NOW) -> list[tuple[str, datetime]]:
    return [(status, at - timedelta(seconds=20 * i)) for i in reversed(range(3 * minutes))]


def run(kuma: KumaStandin, tmp_path: Path, at: datetime = NOW, **extra: str) -> PublishOutcome:
    outcome = publish(settings_for(kuma, tmp_path, **extra), now=at)
    files = public_files(tmp_path / "public")
    parse_each(files)
    assert {"status.json", "index.html", "badge.svg", "history.atom", "api/v2/summary.json"} <= set(files)
    return outcome


def text_of(tmp_path: Path) -> str:
    return "".join(body.decode() for body in public_files(tmp_path / "public").values())


def test_control_bidi_and_noncharacters_in_group_names_reach_no_public_file(kuma: KumaStandin, tmp_path: Path) -> None:
    names = [f"Data{bad}base" for bad in BAD]
    groups = [(name, [Monitor(i + 1, f"m{i}", beats=beats("up"))]) for i, name in enumerate(names)]
    kuma.responses = responses(groups)
    run(kuma, tmp_path)
    down = [
        (name, [Monitor(i + 1, f"m{i}", status="down", beats=beats("down", at=NOW + timedelta(minutes=10)))])
        for i, name in enumerate(names)
    ]
    kuma.responses = responses(down)
    outcome = run(kuma, tmp_path, NOW + timedelta(minutes=10))  # status changes: feed entries name them
    published = text_of(tmp_path)
    assert not any(bad in published for bad in BAD)
    # What cleaning removes leaves the same name seven times: seven components still, never merged.
    assert [c.name for c in outcome.document.components] == ["Database"] + [f"Database ({n})" for n in range(2, 8)]
    assert "Database: Operational → Outage" in published


def test_a_group_named_platform_is_never_all_systems(kuma: KumaStandin, tmp_path: Path) -> None:
    kuma.responses = responses(
        [("platform", [Monitor(1, "a", beats=beats("up"))]), ("Web", [Monitor(2, "b", beats=beats("up"))])]
    )
    run(kuma, tmp_path)
    kuma.responses = responses(
        [
            ("platform", [Monitor(1, "a", status="down", beats=beats("down", at=NOW + timedelta(minutes=10)))]),
            ("Web", [Monitor(2, "b", beats=beats("up", at=NOW + timedelta(minutes=10)))]),
        ]
    )
    run(kuma, tmp_path, NOW + timedelta(minutes=10))
    feed = (tmp_path / "public" / "history.atom").read_text()
    assert "platform: Operational → Outage" in feed  # the component, by its name
    assert "All systems: Operational → Outage" in feed  # the platform: one of two down is the outage share
    index = json.loads((tmp_path / "public" / "history" / "index.json").read_text())
    kinds = {(event["scope"], event["kind"]) for event in index["events"]}
    assert ("platform", "component") in kinds
    assert ("platform", "platform") in kinds


def test_a_tampered_override_message_does_not_break_the_feed(kuma: KumaStandin, tmp_path: Path) -> None:
    run(kuma, tmp_path)
    tampered = {
        "state_schema_version": 1,
        "override": {
            "status": "outage",
            "message": "We are \x01on it\ufffe \u202egnikool",
            "author": "mallory",
            "since": NOW.isoformat(),
            "until": (NOW + timedelta(hours=1)).isoformat(),
            "updated_at": NOW.isoformat(),
        },
        "recent": [
            {"at": NOW.isoformat(), "action": "set", "status": "outage", "message": "x\x07y\uffff", "until": None}
        ],
    }
    LocalStore(tmp_path / "state").put("override.json", json.dumps(tampered).encode(), ObjectMeta("application/json"))
    run(kuma, tmp_path, NOW + timedelta(minutes=10))
    published = text_of(tmp_path)
    assert "We are on it" in published
    assert not any(bad in published for bad in [*BAD, "\x07"])


@pytest.mark.parametrize("ratio", ["NaN", "+Inf", "-Inf", "1.5", "-0.25"])
def test_an_impossible_uptime_ratio_is_left_out_not_a_crash(kuma: KumaStandin, tmp_path: Path, ratio: str) -> None:
    kuma.responses = responses(
        [("Web", [Monitor(1, "a", ratio_1d=ratio, uptime_24h=ratio if ratio == "1.5" else 0.5)])]
    )
    kuma.responses.heartbeat = heartbeat_json([]).encode()
    outcome = run(kuma, tmp_path)
    assert outcome.observations.kuma_report.status == "ok"
    assert any("uptime ratio outside 0..1" in note for note in outcome.notes)
    # Kuma's figure left out, the component shows the history's own (this run's sample), never the bad one.
    assert outcome.document.components[0].uptime_24h in (None, 100.0)


@pytest.mark.parametrize("where", ["heartbeat", "status_page"])
def test_json_nested_very_deeply_is_a_malformed_answer(kuma: KumaStandin, tmp_path: Path, where: str) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    body = {"heartbeat": f'{{"heartbeatList": {{"1": [{{"status": 1, "time": {deep}}}]}}, "uptimeList": {{}}}}',
            "status_page": f'{{"publicGroupList": {deep}}}'}[where]  # fmt: skip
    setattr(kuma.responses, where, body.encode())
    outcome = run(kuma, tmp_path)
    assert outcome.document.platform_status == "unknown"
    assert "malformed response" in str(outcome.observations.kuma_report.reason)


def test_beats_dated_9999_or_0001_are_left_out_and_counted(kuma: KumaStandin, tmp_path: Path) -> None:
    far = [("down", datetime(9999, 12, 31, 23, 59, tzinfo=UTC)), ("down", datetime(1, 1, 1, tzinfo=UTC))]
    kuma.responses = responses([("Web", [Monitor(1, "a", beats=beats("up") + far)])])
    outcome = run(kuma, tmp_path)
    assert "left out: 1 x beat in the future" in outcome.notes
    assert "left out: 1 x beat older than any history" in outcome.notes
    assert outcome.document.uptime.last_7d == 100.0


def test_a_beat_a_little_in_the_future_does_not_freeze_the_history(kuma: KumaStandin, tmp_path: Path) -> None:
    ahead = [("up", NOW + timedelta(hours=3))]
    kuma.responses = responses([("Web", [Monitor(1, "a", beats=beats("up") + ahead)])])
    run(kuma, tmp_path)
    later = NOW + timedelta(minutes=10)
    kuma.responses = responses([("Web", [Monitor(1, "a", status="down", beats=beats("down", at=later))])])
    outcome = run(kuma, tmp_path, later)
    assert outcome.document.uptime.last_7d == 50.0  # the ten minutes down were counted, after the ten up


def test_a_body_over_the_cap_is_too_large_not_memory(
    kuma: KumaStandin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("platform_status.sources.kuma.METRICS_MAX_BYTES", 64 * 1024)
    kuma.responses.metrics += b"# padding " + b"x" * (200 * 1024) + b"\n"
    outcome = run(kuma, tmp_path)
    assert outcome.document.platform_status == "unknown"
    assert outcome.observations.kuma_report.reason == "/metrics: too large (over 64 KiB)"


def test_a_status_page_slug_1_23_never_answers_is_said_in_words_within_seconds(
    kuma: KumaStandin, tmp_path: Path
) -> None:
    kuma.responses.unknown_slug = "hang"  # Kuma 1.23: no answer at all for an unknown slug
    started = time.monotonic()
    outcome = run(kuma, tmp_path, UPTIME_KUMA_STATUS_PAGE="no-such-page")
    assert time.monotonic() - started < 12  # of the run's 40 s budget: the 5 s timeout, not the whole budget
    assert outcome.observations.kuma_report.reason == (
        "status page no-such-page did not answer within 5 s (Kuma 1.23 does not answer for an unknown slug: "
        "check UPTIME_KUMA_STATUS_PAGE)"
    )


def test_an_abandoned_request_does_not_outlive_the_run(kuma: KumaStandin, tmp_path: Path) -> None:
    kuma.responses.hang = frozenset({"/metrics"})
    before = {thread.ident for thread in threading.enumerate()}
    outcome = publish(settings_for(kuma, tmp_path), now=NOW, budget_seconds=2)
    assert outcome.document.platform_status == "unknown"
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        leftover = [t for t in threading.enumerate() if t.ident not in before and t.name.startswith(("kuma", "source"))]
        if not leftover:
            break
        time.sleep(0.05)
    assert leftover == []


def test_requests_still_waiting_for_their_first_byte_are_cut_off_with_the_first_failure(
    kuma: KumaStandin, tmp_path: Path
) -> None:
    """Every Kuma answer withheld: the status page's 5 s timeout fails first, and /metrics and the heartbeats,
    still waiting for their first byte, are cut off then (they were left to run into their own 10 and 20 s)."""
    kuma.responses.hang = frozenset(
        {"/metrics", "/api/status-page/test-status", "/api/status-page/heartbeat/test-status"}
    )
    started = time.monotonic()
    outcome = run(kuma, tmp_path)
    assert time.monotonic() - started < 8
    report = outcome.observations.kuma_report
    assert report.reason is not None and report.reason.startswith("status page test-status did not answer within 5 s")
    assert 4500 <= report.latency_ms < 8000


def test_a_slow_heartbeat_request_gets_no_hint_about_unknown_slugs(
    kuma: KumaStandin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("platform_status.sources.kuma.HEARTBEAT_TIMEOUT_SECONDS", 1.0)
    kuma.responses.hang = frozenset({"/api/status-page/heartbeat/test-status"})
    outcome = publish(settings_for(kuma, tmp_path), now=NOW)
    reason = outcome.observations.kuma_report.reason or ""
    assert reason.startswith("heartbeats of status page test-status did not answer within")
    assert "slug" not in reason


def test_a_source_cut_off_by_the_budget_says_the_time_it_took(kuma: KumaStandin, tmp_path: Path) -> None:
    kuma.responses.hang = frozenset({"/metrics"})
    outcome = publish(settings_for(kuma, tmp_path), now=NOW, budget_seconds=2)
    report = outcome.observations.kuma_report
    assert report.status == "unavailable"
    assert 1500 <= report.latency_ms < 5000  # the time spent, not the time left (0)


def test_an_unforeseen_error_in_a_source_makes_it_unavailable_not_the_run(
    kuma: KumaStandin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any, **__: Any) -> None:
        raise TypeError("a bug nobody foresaw")

    monkeypatch.setattr("platform_status.run.collect.collect_kuma", broken)
    outcome = run(kuma, tmp_path)
    assert outcome.document.platform_status == "unknown"
    assert outcome.observations.kuma_report.reason == "could not be read (TypeError)"


def test_an_unforeseen_error_in_the_run_still_alerts_and_pings(
    kuma: KumaStandin, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    receiver = RecordingServer().start()
    try:

        def broken(*_: Any, **__: Any) -> None:
            raise KeyError("a bug nobody foresaw")

        monkeypatch.setattr("platform_status.run.scheduled.publish", broken)
        extra = {
            "ALERT_URLS": f"json://{receiver.host}/alerts",
            "HEARTBEAT_URL": f"{receiver.url}/api/push/t?status=up",
        }
        settings = settings_for(kuma, tmp_path, **extra)
        summary = run_scheduled(settings, now=NOW)
        assert summary["ok"] is False
        assert summary["error"] == "the run failed unexpectedly (KeyError); see the activation log"
        assert [item.body["title"] for item in receiver.requests_to("POST")] == [
            "[platform status] Status publishing failed: the run failed unexpectedly (KeyError); see the activation log"
        ]
        (ping,) = receiver.requests_to("GET", "/api/push/")
        assert "status=down" in ping.path
    finally:
        receiver.stop()


def _log_entry(incident_id: str, at: str, message: str) -> bytes:
    update = {"id": f"u-{incident_id}", "stage": "investigating", "message": message, "at": at, "author": "eve"}
    incident = {
        "id": incident_id, "title": f"Incident {incident_id}", "impact": "degraded", "components": [],
        "updates": [update], "created_at": at,
    }  # fmt: skip
    entry = {
        "at": at,
        "kind": "incident_opened",
        "author": "eve",
        "request_id": "r",
        "caller": "",
        "target": incident_id,
    }
    return json.dumps(entry | {"incident": incident}).encode()


def test_damaged_log_entries_are_skipped_reported_and_alerted_and_never_stop_a_run(
    kuma: KumaStandin, tmp_path: Path
) -> None:
    """Through the private state only: a log entry dated in the year 999 and one whose message is 5 MB. The
    run publishes the readable incident, names the two skipped entries in its summary and alerts once; once
    they are mended, the incidents they hold are published."""
    state = LocalStore(tmp_path / "state")
    meta = ObjectMeta("application/json", "no-store", public=False)
    at = (NOW - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    log = "incidents/log/"
    state.put(f"{log}20260101T000000000000Z-0-aaa.json", _log_entry("ancient", "0999-01-01T00:00:00Z", "Old."), meta)
    state.put(f"{log}20260101T000001000000Z-0-bbb.json", _log_entry("huge", at, "x" * 5_000_000), meta)
    state.put(f"{log}20260101T000002000000Z-0-ccc.json", _log_entry("fine", at, "We are looking."), meta)
    receiver = RecordingServer().start()
    try:
        settings = settings_for(kuma, tmp_path, ALERT_URLS=f"json://{receiver.host}/alerts")
        summary = run_scheduled(settings, now=NOW)
        assert summary["ok"] is True
        skipped = summary["skipped_entries"]
        assert [item.split(":")[0] for item in skipped] == [
            "20260101T000000000000Z-0-aaa.json",
            "20260101T000001000000Z-0-bbb.json",
        ]
        assert "2000" in skipped[0] and "2000 characters" in skipped[1]
        published = json.loads((tmp_path / "public" / "status.json").read_text())
        assert [i["id"] for i in published["incidents"] if i["source"] == "operator"] == ["fine"]
        assert max(len(body) for body in public_files(tmp_path / "public").values()) < 1_000_000
        (alert,) = [r.body["title"] for r in receiver.requests_to("POST") if "log entries" in r.body["title"]]
        assert "2 skipped" in alert and "eve" not in alert
        # The next run says it again (the entries are still there) without a second alert...
        again = run_scheduled(settings, now=NOW + timedelta(minutes=10))
        assert len(again["skipped_entries"]) == 2
        assert len([r for r in receiver.requests_to("POST") if "log entries" in r.body["title"]]) == 1
        # ...and once an operator mends them, nothing is lost.
        state.put(f"{log}20260101T000000000000Z-0-aaa.json", _log_entry("ancient", at, "Old."), meta)
        state.put(f"{log}20260101T000001000000Z-0-bbb.json", _log_entry("huge", at, "x" * 2000), meta)
        mended = run_scheduled(settings, now=NOW + timedelta(minutes=20))
        assert mended["skipped_entries"] == []
        published = json.loads((tmp_path / "public" / "status.json").read_text())
        assert sorted(i["id"] for i in published["incidents"] if i["source"] == "operator") == [
            "ancient", "fine", "huge"
        ]  # fmt: skip
    finally:
        receiver.stop()
