"""What real Uptime Kumas do around the edges, from their recordings (tests/fixtures/*/NOTES.md): a 2.5.3 in
the first seconds after a restart, a 1.23.17's time-weighted uptime, two 1.23 monitors with one name, and a
status held while Kuma cannot be reached. Pure: recorded bodies through the parsers and the history."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from platform_status.assemble import build_document
from platform_status.history.advance import Advanced, HistoryRules, advance
from platform_status.history.state import HistoryState
from platform_status.monitors import KumaSnapshot, MonitorState
from platform_status.observations import Observations
from platform_status.rules.backups import BackupStatus
from platform_status.sources.kuma_format import parse_kuma_time
from platform_status.sources.kuma_heartbeats import parse_heartbeats
from platform_status.sources.kuma_metrics import parse_metrics
from platform_status.sources.kuma_page import parse_status_page
from platform_status.sources.kuma_snapshot import build_snapshot
from platform_status.sources.report import SourceReport
from support import (
    KUMA_1_23,
    KUMA_1_23_PAUSED_RESTART,
    KUMA_RESTART,
    RECORDED_1_23_AT,
    RESTART_AT,
    fresh_backups,
    make_settings,
    read_text,
)

BEFORE_RESTART_AT = datetime(2026, 11, 29, 0, 45, 33, tzinfo=UTC)
RULES = HistoryRules()


def snapshot_of(folder: Path, at: datetime, metrics: str = "metrics.txt", prefix: str = "") -> KumaSnapshot:
    return build_snapshot(
        at,
        parse_metrics(read_text(folder, metrics)),
        parse_status_page(read_text(folder, f"{prefix}status-page.json")),
        parse_heartbeats(read_text(folder, f"{prefix}heartbeat.json"), at),
    )


def document_of(advanced: Advanced, at: datetime) -> object:
    ok = SourceReport(status="ok", observed_at=at, latency_ms=1)
    observations = Observations(
        checked_at=at, kuma_report=ok, kuma=advanced.kuma, backups_report=ok, backups=fresh_backups("a")
    )
    return build_document(observations, make_settings(), advanced)


# ------------------------------------------------------------------------------------------- the restart


def steady_history() -> Advanced:
    before = snapshot_of(KUMA_RESTART / "before", BEFORE_RESTART_AT)
    return advance(HistoryState(), before, BackupStatus.SUCCESS, BEFORE_RESTART_AT, RULES)


def test_right_after_a_restart_no_monitor_is_lost_and_no_status_changes() -> None:
    before = steady_history()
    restart = snapshot_of(KUMA_RESTART, RESTART_AT)
    assert sum(m.reported for m in restart.monitors) == 2  # /metrics lists 2 of the 6 active monitors
    after = advance(before.state, restart, BackupStatus.SUCCESS, RESTART_AT, RULES)

    assert after.incomplete
    assert after.events == []  # nothing changed: nothing is written into the public history or the feed
    assert after.platform.status == before.platform.status
    assert {name: v.status for name, v in after.components.items()} == {
        name: v.status for name, v in before.components.items()
    }
    assert after.components["Other"].status != "unknown"
    document = document_of(after, RESTART_AT)
    # Kuma's own 24 h figure for the six counted monitors (paused #6 left out): 1, 0, 0, 0, 0.5064, 1.
    assert document.uptime.last_24h == 41.77  # type: ignore[attr-defined]
    assert document.monitors.total == 6  # type: ignore[attr-defined]


@pytest.mark.parametrize("step", sorted(p.name for p in (KUMA_RESTART / "metrics-steps").glob("*.txt")))
def test_no_step_of_a_restart_records_a_status_change(step: str) -> None:
    before = steady_history()
    at = RESTART_AT
    restart = build_snapshot(
        at,
        parse_metrics(read_text(KUMA_RESTART / "metrics-steps", step)),
        parse_status_page(read_text(KUMA_RESTART, "status-page.json")),
        parse_heartbeats(read_text(KUMA_RESTART, "heartbeat.json"), at),
    )
    after = advance(before.state, restart, BackupStatus.SUCCESS, at, RULES)
    assert after.events == []
    assert after.platform.status == before.platform.status


def test_a_first_run_right_after_a_restart_counts_the_monitors_with_recent_beats() -> None:
    after = advance(HistoryState(), snapshot_of(KUMA_RESTART, RESTART_AT), BackupStatus.SUCCESS, RESTART_AT, RULES)
    document = document_of(after, RESTART_AT)
    assert document.uptime.last_24h == 41.77  # type: ignore[attr-defined]
    assert document.monitors.total == 6  # type: ignore[attr-defined]


def test_once_kuma_has_been_up_a_while_a_missing_monitor_is_paused_not_held() -> None:
    before = steady_history()
    later = RESTART_AT + timedelta(hours=1)  # Kuma started more than the hold time ago
    restart = snapshot_of(KUMA_RESTART, later)
    after = advance(before.state, restart, BackupStatus.SUCCESS, later, RULES)
    assert not after.incomplete
    assert after.counts.total == 2


def test_a_monitor_paused_before_the_restart_is_not_held_as_one_coming_back() -> None:
    """#6 was paused at 23:38 (its last beat); say the last run before the restart still counted it. Right
    after the restart it is missing from /metrics like the monitors Kuma has not checked again yet, but it
    stopped beating an hour before the others: it is paused, not counted, as on Kuma's own dashboard."""
    before = snapshot_of(KUMA_RESTART / "before", BEFORE_RESTART_AT)
    counted_paused = before.model_copy(
        update={
            "monitors": [
                m.model_copy(update={"state": MonitorState.UP}) if m.key == "id:6" else m for m in before.monitors
            ]
        }
    )
    history = advance(HistoryState(), counted_paused, BackupStatus.SUCCESS, BEFORE_RESTART_AT, RULES)
    assert "id:6" in history.state.counted
    after = advance(history.state, snapshot_of(KUMA_RESTART, RESTART_AT), BackupStatus.SUCCESS, RESTART_AT, RULES)
    assert after.incomplete  # the four active monitors not listed yet are held...
    held = {m.key for m in after.kuma.monitors if m.counted and not m.reported}  # type: ignore[union-attr]
    assert held == {"id:3", "id:4", "id:5", "id:7"}  # ...and the paused one is not
    assert "id:6" not in after.state.counted  # so the next run holds nothing for it either


def test_the_restart_hold_ends_once_kuma_has_had_time_to_start_its_monitors() -> None:
    """Seven monitors start within seconds: three minutes after the start, a monitor still missing from
    /metrics is not coming back, and nothing is held: a real outage then is published as one."""
    before = steady_history()
    later = RESTART_AT + timedelta(minutes=3)
    after = advance(before.state, snapshot_of(KUMA_RESTART, later), BackupStatus.SUCCESS, later, RULES)
    assert not after.incomplete
    assert after.counts.total == 2


PAUSED_RESTART_AT = datetime(2026, 12, 8, 3, 16, 43, 66000, tzinfo=UTC)


def test_on_1_23_a_paused_monitor_across_a_restart_is_told_apart_from_one_not_checked_yet() -> None:
    """Recorded on 1.23.17: right after the restart /metrics lists #1 only. #2 (checked until Kuma stopped)
    keeps its last state for the moment; #3 (paused a minute before) is not counted, though the last run
    before the pause counted it, and six seconds later nothing is held."""
    folder = KUMA_1_23_PAUSED_RESTART
    before_at = datetime(2026, 12, 8, 3, 16, 39, 850000, tzinfo=UTC)
    before = snapshot_of(folder / "before", before_at)
    assert [m.key for m in before.monitors if m.counted] == ["id:1", "id:2"]
    still_counted = before.model_copy(
        update={
            "monitors": [
                m.model_copy(update={"state": MonitorState.UP}) if m.key == "id:3" else m for m in before.monitors
            ]
        }
    )
    history = advance(HistoryState(), still_counted, BackupStatus.SUCCESS, before_at, RULES)
    restart = snapshot_of(folder / "restart", PAUSED_RESTART_AT)
    assert [m.key for m in restart.monitors if m.reported] == ["id:1"]
    after = advance(history.state, restart, BackupStatus.SUCCESS, PAUSED_RESTART_AT, RULES)
    assert after.incomplete
    assert {m.key for m in after.kuma.monitors if m.counted and not m.reported} == {"id:2"}  # type: ignore[union-attr]
    assert "id:3" not in after.state.counted
    later = PAUSED_RESTART_AT + timedelta(seconds=6, milliseconds=216)
    settled = advance(after.state, snapshot_of(folder / "after-6s", later), BackupStatus.SUCCESS, later, RULES)
    assert not settled.incomplete
    assert [m.key for m in settled.kuma.monitors if m.counted] == ["id:1", "id:2"]  # type: ignore[union-attr]


# ------------------------------------------------------------------------------ 1.23: uptime by the time


def replay_table(until: datetime) -> dict[int, list[tuple[MonitorState, datetime, int]]]:
    rows: dict[int, list[tuple[MonitorState, datetime, int]]] = {}
    codes = {0: MonitorState.DOWN, 1: MonitorState.UP, 2: MonitorState.PENDING, 3: MonitorState.MAINTENANCE}
    with (KUMA_1_23 / "heartbeat-table.csv").open() as table:
        for row in csv.DictReader(table):
            at = parse_kuma_time(row["time"])
            if at <= until:
                rows.setdefault(int(row["monitor_id"]), []).append(
                    (codes[int(row["status"])], at, int(row["duration"]))
                )
    return rows


def replayed_1_23_history() -> tuple[HistoryState, Advanced]:
    """Runs every 10 minutes from 23:40, each seeing the last 50 beats (1.23's heartbeat API) while Kuma was
    up (it was stopped 00:24:20-00:40:03); the last run is the recording itself."""
    page = parse_status_page(read_text(KUMA_1_23, "status-page.json"))
    metrics = parse_metrics(read_text(KUMA_1_23, "metrics.txt"))
    state = HistoryState()
    start = datetime(2026, 11, 28, 23, 40, tzinfo=UTC)
    kuma_down = (datetime(2026, 11, 29, 0, 24, 20, tzinfo=UTC), datetime(2026, 11, 29, 0, 40, 3, tzinfo=UTC))
    codes = {"down": 0, "up": 1, "pending": 2, "maintenance": 3}
    for at in [start + timedelta(minutes=10 * i) for i in range(7)]:
        if kuma_down[0] <= at <= kuma_down[1]:
            state = advance(state, None, BackupStatus.SUCCESS, at, RULES).state
            continue
        listing = {
            str(mid): [
                {"status": codes[s.value], "time": t.strftime("%Y-%m-%d %H:%M:%S.%f")[:-3]} for s, t, _ in beats[-50:]
            ]
            for mid, beats in replay_table(at).items()
            if mid <= 7
        }
        heartbeats = parse_heartbeats(json.dumps({"heartbeatList": listing, "uptimeList": {}}), at)
        state = advance(state, build_snapshot(at, metrics, page, heartbeats), BackupStatus.SUCCESS, at, RULES).state
    last = advance(state, snapshot_of(KUMA_1_23, RECORDED_1_23_AT), BackupStatus.SUCCESS, RECORDED_1_23_AT, RULES)
    return last.state, last


def test_on_kuma_1_23_the_windows_weigh_beats_by_time_as_kuma_does() -> None:
    """Each monitor's windows against Kuma's own dashboard figures (24 h and 720 h, recorded 7 s later)."""
    state, result = replayed_1_23_history()
    assert result.formula == "time"
    dashboard = json.loads(read_text(KUMA_1_23, "dashboard-uptime.json"))["uptime"]
    for monitor_id in (1, 2, 3, 4, 5, 7):
        counts = state.monitors[f"id:{monitor_id}"].counts(state.settled_on)
        for window in (7, 30, 90):
            ours = counts.last_days(RECORDED_1_23_AT, window)
            assert ours == pytest.approx(dashboard[str(monitor_id)]["720"], abs=0.001), (monitor_id, window, ours)
        assert counts.last_24h(RECORDED_1_23_AT) == pytest.approx(dashboard[str(monitor_id)]["24"], abs=0.001)
    # #2 spent 5.3 minutes in maintenance while failing: 1.23 counts that as up (0.0811), 2.x would say 0.
    assert state.monitors["id:2"].counts(state.settled_on).last_days(RECORDED_1_23_AT, 30) == pytest.approx(
        0.0811, abs=0.001
    )


def test_on_kuma_1_23_the_page_figures_agree_with_each_other_and_with_kuma() -> None:
    """With an hour of data every window is that hour: Kuma's own 24 h and our 7, 30 and 90 days agree."""
    _, result = replayed_1_23_history()
    uptime = document_of(result, RECORDED_1_23_AT).uptime  # type: ignore[attr-defined]
    assert uptime.formula == "time"
    dashboard = json.loads(read_text(KUMA_1_23, "dashboard-uptime.json"))["uptime"]
    kuma_30d = sum(dashboard[str(i)]["720"] for i in (1, 2, 3, 4, 5, 7)) / 6  # the counted ones: #6 is paused
    assert uptime.last_24h == pytest.approx(100 * kuma_30d, abs=0.01)  # Kuma's own 24 h, from uptimeList
    for window in (uptime.last_7d, uptime.last_30d, uptime.last_90d):
        assert window == pytest.approx(uptime.last_24h, abs=0.1)


def test_durations_are_kumas_whole_seconds_since_the_previous_beat() -> None:
    from platform_status.history.counts import MonitorCounts  # noqa: PLC0415

    for monitor_id, beats in replay_table(RECORDED_1_23_AT).items():
        counts = MonitorCounts(formula="time")
        previous = 0
        for state, at, duration in beats:
            before = counts.day_counts(at.date())
            counts.add(state, at)
            after = counts.day_counts(at.date())
            added = (after[3] - before[3]) + (after[4] - before[4])
            assert added == duration, (monitor_id, at, added, duration)
            previous = duration
        assert previous >= 0


# ---------------------------------------------------------------------------- 1.23: two monitors, one name


def test_two_1_23_monitors_with_one_name_are_counted_apart() -> None:
    snapshot = snapshot_of(KUMA_1_23, RECORDED_1_23_AT, prefix="dup-names-")
    states = {m.key: m.state for m in snapshot.monitors}
    assert states == {"id:18": MonitorState.UP, "id:19": MonitorState.DOWN}
    result = advance(HistoryState(), snapshot, BackupStatus.SUCCESS, RECORDED_1_23_AT, RULES)
    assert result.counts.total == 2
    assert result.counts.down == 1
    assert result.platform.status == "outage"  # one of two down: half is the outage share, not 100 % up


# ---------------------------------------------------------------------------------- held while unreachable


def test_while_a_status_is_held_the_counts_are_the_held_ones_and_say_so() -> None:
    first = advance(
        HistoryState(),
        snapshot_of(KUMA_RESTART / "before", BEFORE_RESTART_AT),
        BackupStatus.SUCCESS,
        BEFORE_RESTART_AT,
        RULES,
    )
    later = BEFORE_RESTART_AT + timedelta(minutes=10)
    held = advance(first.state, None, BackupStatus.SUCCESS, later, RULES)
    assert held.platform.held_from == BEFORE_RESTART_AT
    assert held.counts == first.counts  # not "outage" beside "0 monitors"
    assert held.counts_as_of == BEFORE_RESTART_AT
    ok = SourceReport(status="ok", observed_at=later, latency_ms=1)
    down = SourceReport(status="unavailable", observed_at=later, latency_ms=1, reason="/metrics: timed out")
    observations = Observations(checked_at=later, kuma_report=down, kuma=None, backups_report=ok, backups=None)
    document = build_document(observations, make_settings(), held)
    assert document.monitors.total == first.counts.total
    assert document.monitors.as_of == BEFORE_RESTART_AT
