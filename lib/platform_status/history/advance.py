"""One run's step of the history: merge the new beats, decide the statuses with memory, compute the uptime
windows. Pure: the previous state and this run's observations in, the next state and the verdicts out."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from platform_status.history.counts import MonitorCounts, day_of, mean
from platform_status.history.stability import Stabilised, StabilityRules, StatusEvent, stabilise
from platform_status.history.state import DayMark, HistoryState, MonitorRecord
from platform_status.monitors import Beat, KumaSnapshot, MonitorSnapshot
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import MonitorCounts as StateCounts
from platform_status.rules.status import PlatformStatus, platform_status, status_from_monitors

PLATFORM = "platform"
EVENTS_KEPT = 200
WINDOWS_DAYS = (7, 30, 90)
# Worst first, for a day's bar: unknown ranks above operational so a gap is never painted green.
SEVERITY = {
    PlatformStatus.OPERATIONAL: 0,
    PlatformStatus.MAINTENANCE: 1,
    PlatformStatus.UNKNOWN: 2,
    PlatformStatus.DEGRADED: 3,
    PlatformStatus.OUTAGE: 4,
}


@dataclass(frozen=True)
class HistoryRules:
    stability: StabilityRules = field(default_factory=StabilityRules)
    flap_window: timedelta = timedelta(minutes=30)
    flap_changes: int = 4
    days_kept: int = 400
    outage_down_share: float = 0.5


@dataclass(frozen=True)
class Uptimes:
    last_24h: float | None  # ratios 0..1
    last_7d: float | None
    last_30d: float | None
    last_90d: float | None


@dataclass(frozen=True)
class ScopeVerdict:
    status: PlatformStatus
    changed_at: datetime
    held_from: datetime | None
    uptime: Uptimes


@dataclass
class Advanced:
    state: HistoryState
    platform: ScopeVerdict
    components: dict[str, ScopeVerdict]
    counts: StateCounts
    flapping: set[str] = field(default_factory=set)
    events: list[StatusEvent] = field(default_factory=list)


def component_scope(name: str) -> str:
    return f"component:{name}"


def _merge(record: MonitorRecord | None, beats: list[Beat]) -> MonitorCounts:
    counts = record.counts() if record else MonitorCounts()
    for beat in sorted(beats, key=lambda b: b.at):
        counts.add(beat.state, beat.at)
    return counts


def _uptimes(members: list[MonitorCounts], now: datetime) -> Uptimes:
    return Uptimes(
        last_24h=mean([m.last_24h(now) for m in members]),
        last_7d=mean([m.last_days(now, 7) for m in members]),
        last_30d=mean([m.last_days(now, 30) for m in members]),
        last_90d=mean([m.last_days(now, 90) for m in members]),
    )


def day_uptime(members: list[MonitorCounts], on: date) -> float | None:
    """A scope's uptime for one UTC day: the mean of its monitors' (no beats that day: a gap, not downtime)."""
    ratios: list[float | None] = []
    for member in members:
        up, down, _ = member.day(on)
        ratios.append(up / (up + down) if up + down else None)
    return mean(ratios)


def advance(
    previous: HistoryState,
    kuma: KumaSnapshot | None,
    backups: BackupStatus,
    now: datetime,
    rules: HistoryRules,
) -> Advanced:
    state = previous.model_copy(deep=True)
    counts_by_key: dict[str, MonitorCounts] = {}
    if kuma is not None:
        for monitor in kuma.monitors:
            beats = kuma.beats.get(monitor.key)
            if beats is None and monitor.state is not None:
                beats = [Beat(state=monitor.state, at=now)]  # /metrics only: this run's sample is the beat
            counts_by_key[monitor.key] = _merge(state.monitors.get(monitor.key), beats or [])
    for key, record in state.monitors.items():
        counts_by_key.setdefault(key, record.counts())
    for counts in counts_by_key.values():
        counts.trim(now, rules.days_kept, rules.flap_window)
    state.monitors = {key: MonitorRecord.of(counts) for key, counts in counts_by_key.items()}

    flapping = {key for key, c in counts_by_key.items() if len(c.changes) >= rules.flap_changes}

    def live_of(monitors: list[MonitorSnapshot]) -> tuple[StateCounts, PlatformStatus]:
        counted = StateCounts.of([m.state for m in monitors], [m.key in flapping for m in monitors])
        return counted, status_from_monitors(counted, rules.outage_down_share)

    events: list[StatusEvent] = []

    def settle(scope: str, label: str, live: PlatformStatus | None, member_keys: list[str]) -> ScopeVerdict:
        result: Stabilised = stabilise(label, state.scopes.get(scope), live, now, rules.stability)
        state.scopes[scope] = result.memory
        marks = state.scope_days.setdefault(scope, {})
        today = day_of(now)
        mark = marks.get(today) or DayMark(worst=result.status)
        worst = max(mark.worst, result.status, key=SEVERITY.__getitem__)
        turned_bad = result.event is not None and result.status in (PlatformStatus.DEGRADED, PlatformStatus.OUTAGE)
        marks[today] = DayMark(worst=worst, incidents=mark.incidents + int(turned_bad))
        if result.event:
            events.append(result.event)
        member_counts = [counts_by_key[key] for key in member_keys if key in counts_by_key]
        return ScopeVerdict(result.status, result.memory.since, result.held_from, _uptimes(member_counts, now))

    if kuma is not None:
        state.counted = [m.key for m in kuma.monitors if m.counted]
        state.components = {c.name: [m.key for m in kuma.monitors_of(c) if m.counted] for c in kuma.components}
        overall_counts, overall_live = live_of(kuma.monitors)
        platform = settle(PLATFORM, PLATFORM, platform_status(overall_live, backups), state.counted)
        components = {
            component.name: settle(
                component_scope(component.name),
                component.name,
                live_of(kuma.monitors_of(component))[1],
                state.components[component.name],
            )
            for component in kuma.components
        }
    else:
        # Kuma unavailable: the last known states are held for a while (stability.py), then unknown.
        overall_counts = StateCounts()
        platform = settle(PLATFORM, PLATFORM, None, state.counted)
        components = {name: settle(component_scope(name), name, None, keys) for name, keys in state.components.items()}

    oldest = day_of(now) - timedelta(days=rules.days_kept - 1)
    state.scope_days = {
        scope: {day: mark for day, mark in marks.items() if day >= oldest} for scope, marks in state.scope_days.items()
    }
    state.events = (state.events + events)[-EVENTS_KEPT:]
    return Advanced(
        state=state,
        platform=platform,
        components=components,
        counts=overall_counts,
        flapping=flapping,
        events=events,
    )
