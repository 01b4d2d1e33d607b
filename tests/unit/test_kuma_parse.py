"""Parsing recorded Kuma responses (2.5.3 recorded, 1.23 derived) into a snapshot. Pure."""

from __future__ import annotations

import pytest

from platform_status.monitors import MonitorState
from platform_status.sources.kuma_format import KumaFormatError, parse_kuma_time
from platform_status.sources.kuma_heartbeats import parse_heartbeats
from platform_status.sources.kuma_metrics import parse_metrics
from platform_status.sources.kuma_page import parse_status_page
from platform_status.sources.kuma_snapshot import build_snapshot
from support import KUMA_1_23, KUMA_2_5_3, RECORDED_AT, read_text


def test_metrics_give_each_monitor_its_monitor_status() -> None:
    monitors = parse_metrics(read_text(KUMA_2_5_3, "metrics.txt"))
    states = {key: monitor.state for key, monitor in monitors.items()}
    assert states == {
        "id:1": MonitorState.UP,
        "id:2": MonitorState.DOWN,
        "id:3": MonitorState.DOWN,
        "id:4": MonitorState.UP,
        "id:5": MonitorState.MAINTENANCE,
        "id:7": MonitorState.DOWN,
    }  # 6 is paused: absent from /metrics


def test_metrics_details_uptime_windows_response_time_and_certificate() -> None:
    monitors = parse_metrics(read_text(KUMA_2_5_3, "metrics.txt"))
    assert monitors["id:7"].uptime_ratios == {"1d": 0.5, "30d": 0.5, "365d": 0.5}
    assert monitors["id:1"].response_time_ms == 5
    assert monitors["id:2"].response_time_ms is None  # Kuma's -1: no ping
    assert monitors["id:4"].cert_valid is False
    assert monitors["id:4"].cert_days_remaining == 44


def test_kuma_1_23_metrics_are_keyed_by_name_and_have_no_ratios() -> None:
    monitors = parse_metrics(read_text(KUMA_1_23, "metrics.txt"))
    assert monitors["name:PRIV-billing-http500"].state == MonitorState.DOWN
    assert all(not m.uptime_ratios for m in monitors.values())
    assert monitors.version == "1.23.17"


def test_kuma_1_23_monitors_with_one_name_stay_two() -> None:
    monitors = parse_metrics(read_text(KUMA_1_23, "metrics.txt"))
    same_name = sorted((m.key, m.state) for m in monitors.values() if m.name == "PRIV-web")
    assert len(same_name) == 2  # told apart by their other labels, never merged
    assert {state for _, state in same_name} == {MonitorState.UP, MonitorState.DOWN}
    assert all(key.startswith("name:PRIV-web@") for key, _ in same_name)


@pytest.mark.parametrize(
    "body",
    ["<html><body>Please log in</body></html>", "", '{"monitors": []}', 'monitor_status{monitor_id="1"} 9\n'],
)
def test_garbage_metrics_are_a_format_error(body: str) -> None:
    with pytest.raises(KumaFormatError):
        parse_metrics(body)


def test_metrics_without_monitor_series_mean_no_monitors_not_an_error() -> None:
    # Right after a Kuma restart /metrics has only process metrics until monitors beat again.
    assert parse_metrics("# TYPE process_open_fds gauge\nprocess_open_fds 12\n") == {}


def test_status_page_groups_and_2x_incidents() -> None:
    page = parse_status_page(read_text(KUMA_2_5_3, "status-page.json"))
    assert [(name, [mid for mid, _ in members]) for name, members in page.groups] == [
        ("Services", [1, 2, 3, 4, 7]),
        ("Other", [5, 6]),
    ]
    assert [incident.title for incident in page.incidents] == ["Seeded incident"]


def test_status_page_1_23_single_incident() -> None:
    assert parse_status_page(read_text(KUMA_1_23, "status-page.json")).incidents == []  # recorded: "incident": null
    # 1.23's shape when one is pinned (status-page-router.js: one object, not a list), crafted.
    pinned = read_text(KUMA_1_23, "status-page.json").replace(
        '"incident":null', '"incident":{"title":"Seeded incident"}'
    )
    assert [incident.title for incident in parse_status_page(pinned).incidents] == ["Seeded incident"]


def test_status_page_without_groups_is_a_format_error() -> None:
    with pytest.raises(KumaFormatError, match="publicGroupList"):
        parse_status_page('{"status": "fail", "msg": "Status Page Not Found"}')


def test_heartbeats_uptime_and_utc_times() -> None:
    beats = parse_heartbeats(read_text(KUMA_2_5_3, "heartbeat.json"))
    assert beats.uptime_24h == {1: 1, 2: 0, 3: 0, 4: 1, 5: 0, 6: 0, 7: 0.5}
    assert beats.beats[6] == []
    assert beats.beats[1][0].at == parse_kuma_time("2026-11-28 19:12:31.212")
    assert beats.beats[1][0].at.tzinfo is not None


def test_heartbeats_with_an_unknown_status_code_are_a_format_error() -> None:
    with pytest.raises(KumaFormatError):
        parse_heartbeats(
            '{"heartbeatList": {"1": [{"status": 7, "time": "2026-11-28 19:12:31.212"}]}, "uptimeList": {}}'
        )


def test_snapshot_with_status_page_counts_only_its_monitors_and_drops_no_data_uptime() -> None:
    snapshot = build_snapshot(
        RECORDED_AT,
        parse_metrics(read_text(KUMA_2_5_3, "metrics.txt")),
        parse_status_page(read_text(KUMA_2_5_3, "status-page.json")),
        parse_heartbeats(read_text(KUMA_2_5_3, "heartbeat.json")),
    )
    by_key = {m.key: m for m in snapshot.monitors}
    assert by_key["id:6"].state is None  # paused: does not count
    assert not by_key["id:6"].counted
    # Kuma reports 0 for the maintenance-only and the paused monitor: that is "no data", not 0 %.
    assert by_key["id:5"].uptime_24h is None
    assert by_key["id:6"].uptime_24h is None
    assert by_key["id:2"].uptime_24h == 0  # a real 0: down all day
    assert by_key["id:7"].uptime_24h == 0.5
    assert [c.name for c in snapshot.components] == ["Services", "Other"]


def test_snapshot_matches_1_23_page_to_metrics_by_name() -> None:
    snapshot = build_snapshot(
        RECORDED_AT,
        parse_metrics(read_text(KUMA_1_23, "metrics.txt")),
        parse_status_page(read_text(KUMA_1_23, "status-page.json")),
        parse_heartbeats(read_text(KUMA_1_23, "heartbeat.json")),
    )
    states = {m.name: m.state for m in snapshot.monitors}
    assert states["PRIV-billing-http500"] == MonitorState.DOWN
    assert states["PRIV-api-backend-up"] == MonitorState.UP
    assert states["PRIV-legacy-paused"] is None
    assert {m.name: m.uptime_24h for m in snapshot.monitors}["PRIV-queue-flapping"] == 0.6254112882814478
    assert snapshot.formula == "time"  # Kuma 1.23 weighs beats by time


def test_snapshot_without_status_page_counts_every_metrics_monitor() -> None:
    snapshot = build_snapshot(RECORDED_AT, parse_metrics(read_text(KUMA_2_5_3, "metrics.txt")))
    assert len(snapshot.monitors) == 6
    assert snapshot.components == []  # no public groups: no names to publish
    assert {m.key: m.uptime_24h for m in snapshot.monitors}["id:7"] == 0.5  # from monitor_uptime_ratio 1d
