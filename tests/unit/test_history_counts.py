"""Uptime maths of the history against hand-computed cases and Kuma's own figures. Pure."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from platform_status.history.counts import MonitorCounts
from platform_status.monitors import MonitorState
from platform_status.sources.kuma_heartbeats import parse_heartbeats
from platform_status.sources.kuma_metrics import parse_metrics
from support import KUMA_2_5_3, RECORDED_AT, read_text

UP, DOWN, PENDING, MAINT = MonitorState.UP, MonitorState.DOWN, MonitorState.PENDING, MonitorState.MAINTENANCE
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


def beats(counts: MonitorCounts, start: datetime, states: list[MonitorState], every: timedelta) -> None:
    for index, state in enumerate(states):
        counts.add(state, start + index * every)


def test_pending_counts_as_down_and_maintenance_as_neither() -> None:
    counts = MonitorCounts()
    beats(counts, NOW - timedelta(hours=1), [UP, UP, PENDING, DOWN, MAINT, MAINT], timedelta(minutes=1))
    assert counts.last_24h(NOW) == pytest.approx(2 / 4)
    assert counts.last_days(NOW, 7) == pytest.approx(2 / 4)
    assert counts.day(NOW.date()) == (2, 2, 2)


def test_only_maintenance_has_no_uptime_rather_than_zero() -> None:
    counts = MonitorCounts()
    beats(counts, NOW - timedelta(hours=1), [MAINT] * 10, timedelta(minutes=1))
    assert counts.last_24h(NOW) is None
    assert counts.last_days(NOW, 30) is None


def test_a_gap_is_not_downtime() -> None:
    counts = MonitorCounts()
    beats(counts, NOW - timedelta(hours=20), [UP] * 30, timedelta(minutes=1))  # then nothing for 19 h
    beats(counts, NOW - timedelta(minutes=30), [UP] * 9 + [DOWN], timedelta(minutes=1))
    assert counts.last_24h(NOW) == pytest.approx(39 / 40)


def test_24h_window_is_the_current_minute_and_1439_before_it() -> None:
    counts = MonitorCounts()
    counts.add(DOWN, NOW - timedelta(minutes=1440))  # one minute too old
    counts.add(DOWN, NOW - timedelta(minutes=1439))  # the oldest minute in the window
    counts.add(UP, NOW + timedelta(seconds=30))  # the current minute
    assert counts.last_24h(NOW + timedelta(seconds=30)) == pytest.approx(1 / 2)


def test_day_windows_follow_utc_midnight() -> None:
    counts = MonitorCounts()
    midnight = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    counts.add(DOWN, midnight - timedelta(seconds=1))  # 27 November, 23:59:59 UTC
    counts.add(UP, midnight)  # 28 November
    counts.add(UP, midnight + timedelta(hours=1))
    assert counts.day(midnight.date() - timedelta(days=1)) == (0, 1, 0)
    assert counts.day(midnight.date()) == (2, 0, 0)
    # "Last 1 day" is today only, as Kuma's day buckets.
    assert counts.last_days(midnight + timedelta(hours=2), 1) == 1.0
    assert counts.last_days(midnight + timedelta(hours=2), 2) == pytest.approx(2 / 3)
    # A time zone other than UTC in the input does not move the day.
    counts.add(DOWN, datetime(2026, 11, 28, 20, 0, tzinfo=UTC).astimezone(ZoneInfo("Asia/Tokyo")))
    assert counts.day(midnight.date()) == (2, 1, 0)


def test_partial_days_at_the_edge_of_a_window() -> None:
    counts = MonitorCounts()
    beats(counts, NOW - timedelta(days=8), [DOWN] * 10, timedelta(minutes=1))  # outside 7 days
    beats(counts, NOW - timedelta(days=6, hours=12), [UP] * 10, timedelta(minutes=1))  # inside
    assert counts.last_days(NOW, 7) == 1.0
    assert counts.last_days(NOW, 30) == pytest.approx(10 / 20)


def test_the_same_beat_merged_twice_is_counted_once() -> None:
    counts = MonitorCounts()
    window = [(UP, NOW - timedelta(seconds=40)), (DOWN, NOW - timedelta(seconds=20)), (UP, NOW)]
    for state, at in window:
        assert counts.add(state, at)
    for state, at in window:  # the next run's heartbeat API repeats them
        assert not counts.add(state, at)
    assert counts.day(NOW.date()) == (2, 1, 0)


def test_trim_forgets_what_is_no_longer_needed() -> None:
    counts = MonitorCounts()
    beats(counts, NOW - timedelta(days=500), [UP] * 3, timedelta(days=100))
    counts.add(UP, NOW)
    counts.trim(NOW, days_kept=400, flap_window=timedelta(minutes=30))
    assert counts.day((NOW - timedelta(days=500)).date()) == (0, 0, 0)
    assert counts.day((NOW - timedelta(days=300)).date()) == (1, 0, 0)
    assert len(counts.days) <= 400 * 3
    assert len(counts.minutes) <= 25 * 60 * 2


def naive_kuma(all_beats: list[tuple[MonitorState, datetime]], now: datetime) -> tuple[float, float]:
    """Kuma's formula written the slow, obvious way: 24 h by minutes, 30 d by UTC days."""
    first_minute = int(now.timestamp()) // 60 - 1439
    first_day = now.date() - timedelta(days=29)
    day_window = [s for s, at in all_beats if at.date() >= first_day and at <= now]
    minute_window = [s for s, at in all_beats if int(at.timestamp()) // 60 >= first_minute and at <= now]

    def ratio(states: list[MonitorState]) -> float:
        up = states.count(UP)
        down = states.count(DOWN) + states.count(PENDING)
        return up / (up + down)

    return ratio(minute_window), ratio(day_window)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_matches_kumas_formula_on_three_days_of_20s_beats(seed: int) -> None:
    rng = random.Random(seed)
    start = NOW - timedelta(days=3)
    all_beats = []
    state = UP
    for index in range(3 * 24 * 180):  # a beat every 20 s
        if rng.random() < 0.01:
            state = rng.choice([UP, UP, DOWN, PENDING, MAINT])
        all_beats.append((state, start + timedelta(seconds=20 * index + rng.randint(0, 3))))
    counts = MonitorCounts()
    # Merged as the runs would see them: every 10 minutes, the last 100 beats (overlapping, so deduped).
    for run in range(0, len(all_beats), 30):
        for beat_state, at in all_beats[max(0, run - 100) : run + 30]:
            counts.add(beat_state, at)
    now = all_beats[-1][1]
    expected_24h, expected_30d = naive_kuma(all_beats, now)
    assert counts.last_24h(now) == pytest.approx(expected_24h, abs=0.001)  # within 0.1 percentage points
    assert counts.last_days(now, 30) == pytest.approx(expected_30d, abs=1e-12)


def test_on_the_recorded_beats_our_figures_equal_kumas() -> None:
    heartbeats = parse_heartbeats(read_text(KUMA_2_5_3, "heartbeat.json"))
    metrics = parse_metrics(read_text(KUMA_2_5_3, "metrics.txt"))
    for monitor_id in (1, 2, 3, 4, 7):  # the monitors with up or down beats
        counts = MonitorCounts()
        for beat in heartbeats.beats[monitor_id]:
            counts.add(beat.state, beat.at)
        ours_24h = counts.last_24h(RECORDED_AT)
        assert ours_24h == pytest.approx(heartbeats.uptime_24h[monitor_id], abs=0.001), monitor_id
        assert counts.last_days(RECORDED_AT, 30) == pytest.approx(
            metrics[f"id:{monitor_id}"].uptime_ratios["30d"], abs=0.001
        )
