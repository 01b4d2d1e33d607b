"""A Kuma that has just restarted: which monitors /metrics does not list yet, and what they last said. Pure.

For its first seconds (about 0.65 s per monitor: a minute for 100 monitors) a restarted Kuma lists in
/metrics only the monitors it has checked again, while its status page lists them all
(tests/fixtures/uptime-kuma-2.5.3-restart/NOTES.md). Counting only the listed ones published a false outage
or a false green, and status changes that never happened. So, while Kuma started less than the hold time
ago, a monitor that the last run counted (or, on a first run, whose last beat is that recent) and that
/metrics does not list yet keeps its last known state, and the snapshot is *incomplete*: statuses are held
as they were (history/advance.py), and no status change is recorded from it.

Outside that window a monitor missing from /metrics is paused or deleted, as Kuma means it: not counted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from platform_status.history.state import HistoryState
from platform_status.monitors import KumaSnapshot, MonitorSnapshot, MonitorState
from platform_status.sources.kuma_snapshot import uptime_or_none


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
    restarted = kuma.started_at is not None and timedelta(0) <= now - kuma.started_at <= hold
    if not restarted:
        return Resolved(kuma, incomplete=False)
    incomplete = False
    monitors: list[MonitorSnapshot] = []
    for monitor in kuma.monitors:
        state = None if monitor.reported else _last_known(monitor, previous, now, hold)
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
