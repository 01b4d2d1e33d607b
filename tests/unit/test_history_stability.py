"""Flapping, recovery and a Kuma outage, as sequences of runs through the history. Pure."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from platform_status.history.advance import HistoryRules, advance
from platform_status.history.state import HistoryState
from platform_status.monitors import Beat, ComponentSnapshot, KumaSnapshot, MonitorSnapshot, MonitorState
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus

UP, DOWN = MonitorState.UP, MonitorState.DOWN
START = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)
RUN = timedelta(minutes=10)
RULES = HistoryRules()


def snapshot(at: datetime, states: dict[str, MonitorState], beats: dict[str, list[Beat]] | None = None) -> KumaSnapshot:
    return KumaSnapshot(
        observed_at=at,
        monitors=[MonitorSnapshot(key=key, name=key, state=state) for key, state in states.items()],
        components=[ComponentSnapshot(name="Web", monitor_keys=list(states))],
        beats=beats or {},
    )


def run(runs: list[dict[str, MonitorState] | None]) -> list[PlatformStatus]:
    """One scheduled run per item (None: Kuma unavailable); the platform status each run publishes."""
    state = HistoryState()
    published = []
    for index, states in enumerate(runs):
        at = START + index * RUN
        result = advance(state, snapshot(at, states) if states else None, BackupStatus.SUCCESS, at, RULES)
        state = result.state
        published.append(result.platform.status)
    return published


OK = {"a": UP, "b": UP, "c": UP, "d": UP}
ONE_DOWN = {"a": DOWN, "b": UP, "c": UP, "d": UP}
HALF_DOWN = {"a": DOWN, "b": DOWN, "c": UP, "d": UP}


def test_no_delay_on_the_way_down() -> None:
    assert run([OK, HALF_DOWN]) == ["operational", "outage"]


def test_recovery_needs_two_healthy_runs_in_a_row() -> None:
    assert run([OK, ONE_DOWN, OK, OK, OK]) == ["operational", "degraded", "degraded", "operational", "operational"]
    assert run([HALF_DOWN, OK, ONE_DOWN, OK, OK]) == ["outage", "outage", "degraded", "degraded", "operational"]


def test_outage_to_degraded_is_immediate() -> None:
    assert run([HALF_DOWN, ONE_DOWN]) == ["outage", "degraded"]


def test_kuma_unavailable_holds_the_last_status_for_30_minutes_then_unknown() -> None:
    statuses = run([ONE_DOWN, None, None, None, None])
    assert statuses == ["degraded", "degraded", "degraded", "degraded", "unknown"]


def test_kuma_unavailable_from_the_start_is_unknown() -> None:
    assert run([None, None]) == ["unknown", "unknown"]


def test_held_status_says_from_when() -> None:
    first = advance(HistoryState(), snapshot(START, OK), BackupStatus.SUCCESS, START, RULES)
    held = advance(first.state, None, BackupStatus.SUCCESS, START + RUN, RULES)
    assert held.platform.status == "operational"
    assert held.platform.held_from == START
    assert held.components["Web"].held_from == START


def test_a_flapping_monitor_is_degraded_not_outage_and_operational_by_turns() -> None:
    # "a" alternates up and down every beat; "b" is steady. Each run sees the last 100 beats at 20 s.
    state = HistoryState()
    published = []
    for index in range(4):
        at = START + index * RUN
        beats = {
            "a": [Beat(UP if n % 2 else DOWN, at - timedelta(seconds=20 * (29 - n))) for n in range(30)],
            "b": [Beat(UP, at - timedelta(seconds=20 * (29 - n))) for n in range(30)],
        }
        now_state = UP if index % 2 else DOWN
        result = advance(state, snapshot(at, {"a": now_state, "b": UP}, beats), BackupStatus.SUCCESS, at, RULES)
        state = result.state
        published.append(result.platform.status)
        assert result.flapping == {"a"}
    assert published == ["degraded"] * 4


def test_status_changes_are_events_with_their_time() -> None:
    state = HistoryState()
    events = []
    for index, states in enumerate([OK, HALF_DOWN, HALF_DOWN]):
        at = START + index * RUN
        result = advance(state, snapshot(at, states), BackupStatus.SUCCESS, at, RULES)
        state = result.state
        events += result.events
    platform_events = [(e.previous, e.current) for e in events if e.scope == "platform"]
    assert platform_events == [(None, "operational"), ("operational", "outage")]
    assert result.platform.changed_at == START + RUN
    assert state.scope_days["platform"][START.date()].worst == "outage"
    assert state.scope_days["platform"][START.date()].incidents == 1


def test_metrics_only_records_each_runs_sample() -> None:
    state = HistoryState()
    for index, states in enumerate([OK, ONE_DOWN, OK, OK]):
        at = START + index * RUN
        state = advance(state, snapshot(at, states), BackupStatus.SUCCESS, at, RULES).state
    a = state.monitors["a"].counts()
    assert a.day(START.date()) == (3, 1, 0)
