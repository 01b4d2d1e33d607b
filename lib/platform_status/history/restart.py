"""A Kuma that has just restarted: which monitors /metrics does not list yet, and what they last said. Pure.

For its first seconds (about 0.65 s per monitor: a minute for 100 monitors) a restarted Kuma lists in
/metrics only the monitors it has checked again, while its status page lists them all
(tests/fixtures/uptime-kuma-2.5.3-restart/NOTES.md). Counting only the listed ones published a false outage
or a false green, and status changes that never happened. So, while Kuma started less than the hold time
ago, a monitor that the last run counted (or, on a first run, whose last beat is that recent) and that
/metrics does not list yet keeps its last known state, and the snapshot is *incomplete*: statuses are held
as they were (history/advance.py), and no status change is recorded from it.

Two things keep a paused monitor from being taken for one coming back (a paused monitor is missing from
/metrics too, and its last beat may be recent):
- the window is the time Kuma takes to start its monitors, not the hold time: they start one after another,
  0.3-1 s apart, each checked at once, so a minute plus a second per monitor covers it (a push monitor that
  has not pushed yet is left uncounted after that, as Kuma shows it: no false outage either way);
- where the heartbeat API gives the beats, a monitor is coming back only if it was still beating when Kuma
  stopped: its last beat before the start is within two of its own intervals of the last beat any monitor
  made before the start. A monitor paused earlier stopped beating earlier.
Without this a paused monitor was held with its last state, counted at 0 % in the uptime, and kept the whole
page's statuses held for the full hold time, renewed run after run.

Outside that window a monitor missing from /metrics is paused or deleted, as Kuma means it: not counted.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from platform_status.history.state import HistoryState
from platform_status.monitors import KumaSnapshot, MonitorSnapshot, MonitorState
from platform_status.sources.kuma_snapshot import uptime_or_none

STARTUP_MARGIN = timedelta(minutes=1)
STARTUP_PER_MONITOR = timedelta(seconds=1)  # Kuma starts its monitors 0.3-1 s apart (server.js startMonitors)
MIN_INTERVAL_MS = 20_000  # Kuma's shortest check interval
STOPPED_SLACK_MS = 5_000


def startup_window(kuma: KumaSnapshot) -> timedelta:
    """How long after its start a Kuma may still be missing active monitors from /metrics."""
    return STARTUP_MARGIN + STARTUP_PER_MONITOR * len(kuma.monitors)


def _beating_at_stop(kuma: KumaSnapshot) -> Callable[[str], bool] | None:
    """Whether a monitor was still being checked when Kuma stopped, from its beats; None without beats."""
    if kuma.started_at is None or not kuma.beats:
        return None
    start_ms = int(kuma.started_at.timestamp() * 1000)
    before: dict[str, list[int]] = {
        key: [time for time in series.times_ms if time < start_ms][-11:] for key, series in kuma.beats.items()
    }
    last_times = [times[-1] for times in before.values() if times]
    if not last_times:
        return None
    stopped_ms = max(last_times)

    def beating(key: str) -> bool:
        times = before.get(key) or []
        if not times:
            return False
        gaps = sorted(later - earlier for earlier, later in itertools.pairwise(times))
        interval = max(MIN_INTERVAL_MS, gaps[len(gaps) // 2] if gaps else MIN_INTERVAL_MS)
        return times[-1] >= stopped_ms - 2 * interval - STOPPED_SLACK_MS

    return beating


@dataclass(frozen=True)
class Resolved:
    kuma: KumaSnapshot  # unreported monitors that are coming back carry their last known state
    incomplete: bool  # some counted monitor's state is a last known one, not this run's


def _last_known(
    monitor: MonitorSnapshot, previous: HistoryState, now: datetime, hold: timedelta
) -> MonitorState | None:
    record = previous.monitors.get(monitor.key)
    if previous.counted:
        return record.last_state if record is not None and monitor.key in previous.counted else None
    recent = monitor.last_beat_at is not None and now - monitor.last_beat_at <= hold
    return monitor.last_beat_state if recent else None


def resolve_unreported(kuma: KumaSnapshot, previous: HistoryState, now: datetime, hold: timedelta) -> Resolved:
    window = min(hold, startup_window(kuma))
    restarted = kuma.started_at is not None and timedelta(0) <= now - kuma.started_at <= window
    if not restarted:
        return Resolved(kuma, incomplete=False)
    beating = _beating_at_stop(kuma)
    incomplete = False
    monitors: list[MonitorSnapshot] = []
    for monitor in kuma.monitors:
        coming_back = not monitor.reported and (beating is None or beating(monitor.key))
        state = _last_known(monitor, previous, now, hold) if coming_back else None
        if state is None:
            monitors.append(monitor)
            continue
        incomplete = True
        uptime = uptime_or_none(monitor.raw_uptime_24h, state, kuma.beats.get(monitor.key))
        monitors.append(monitor.model_copy(update={"state": state, "uptime_24h": uptime}))
    if not kuma.components:
        # /metrics only: the monitors the last run counted are the ones to wait for.
        listed = {monitor.key for monitor in kuma.monitors}
        horizon_ms = int((now - hold).timestamp() * 1000)
        for key in previous.counted:
            record = previous.monitors.get(key)
            if key in listed or record is None or record.last_state is None:
                continue
            if record.last_beat_ms is not None and record.last_beat_ms >= horizon_ms:
                incomplete = True
                monitors.append(MonitorSnapshot(key=key, name="", state=record.last_state, reported=False))
    return Resolved(kuma.model_copy(update={"monitors": monitors}), incomplete)
