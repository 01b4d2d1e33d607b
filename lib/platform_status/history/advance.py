"""One run's step of the history: merge the new beats, settle the days that are over, decide the statuses
with memory, compute the uptime windows. Pure: the previous state and this run's observations in, the next
state, the verdicts and the finished days to store out.

A snapshot from a Kuma that has just restarted is incomplete (history/restart.py): its beats are merged, but
every status is held as it was, so no status change comes from it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from platform_status.history.counts import PER_DAY, WINDOWS_DAYS, MonitorCounts, day_of, mean
from platform_status.history.restart import resolve_unreported
from platform_status.history.stability import ScopeKind, Stabilised, StabilityRules, StatusEvent, stabilise
from platform_status.history.state import DayMark, DayObject, HeldCounts, HistoryState, MonitorRecord, SettledBar
from platform_status.monitors import Beat, BeatSeries, KumaSnapshot, MonitorSnapshot, UptimeFormula
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import MonitorCounts as StateCounts
from platform_status.rules.status import PlatformStatus, platform_status, status_from_monitors

PLATFORM = "platform"
EVENTS_KEPT = 200
BARS_KEPT = 90
# A day is over an hour after midnight UTC: beats that arrive late are still in it.
DAY_SETTLES_AFTER = timedelta(hours=1)
CLOCK_SKEW = timedelta(minutes=2)
FORGET_MONITORS_AFTER = timedelta(days=max(WINDOWS_DAYS))
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
    kuma: KumaSnapshot | None = None  # the snapshot as decided: monitors coming back carry their last state
    incomplete: bool = False  # Kuma just restarted and not every monitor reports yet: statuses held
    counts_as_of: datetime | None = None  # set when `counts` are the last run's that reached Kuma
    settled: list[DayObject] = field(default_factory=list)  # days over this run: store each once
    formula: UptimeFormula = "beats"
    ignored: dict[str, int] = field(default_factory=dict)  # beats not counted, by reason


def component_scope(name: str) -> str:
    return f"component:{name}"


def _series(beats: BeatSeries | Sequence[Beat] | None) -> BeatSeries | None:
    if beats is None or isinstance(beats, BeatSeries):
        return beats
    return BeatSeries.of(sorted(beats, key=lambda beat: beat.at))


def _merge(counts: MonitorCounts, beats: BeatSeries, open_from_ms: int, ignored: Counter[str]) -> None:
    # Beats of a day already stored cannot be counted any more; the ones counted before are not news.
    late = sum(
        1
        for time_ms in beats.times_ms
        if time_ms < open_from_ms and (counts.last_beat_ms is None or time_ms > counts.last_beat_ms)
    )
    if late and counts.last_beat_ms is not None:
        ignored["beat of a day already stored"] += late
    counts.add_series(beats)


def _uptimes(members: list[MonitorCounts], now: datetime) -> Uptimes:
    return Uptimes(
        last_24h=mean([m.last_24h(now) for m in members]),
        last_7d=mean([m.last_days(now, 7) for m in members]),
        last_30d=mean([m.last_days(now, 30) for m in members]),
        last_90d=mean([m.last_days(now, 90) for m in members]),
    )


def day_uptime(members: list[MonitorCounts], on: date) -> float | None:
    """A scope's uptime for one UTC day: the mean of its monitors' (no beats that day: a gap, not downtime)."""
    return mean([member.day_ratio(on) for member in members])


def _decoded(previous: HistoryState, today: date) -> dict[str, MonitorCounts]:
    current = previous.settled_on == today
    counts = {key: record.counts(previous.settled_on) for key, record in previous.monitors.items()}
    for monitor_counts in counts.values():
        if not current:
            # Sums for another day cannot be shifted here (that needs the day objects: state.load_history):
            # a run given such a state counts the windows from the days it holds.
            monitor_counts.settled = {}
        monitor_counts.settled_on = today.toordinal()
    return counts


def _scopes(state: HistoryState) -> list[tuple[str, list[str]]]:
    return [(PLATFORM, state.counted), *((component_scope(name), keys) for name, keys in state.components.items())]


def _update_open_days(state: HistoryState, counts_by_key: dict[str, MonitorCounts]) -> None:
    """Each open day's uptime so far, per scope, for the public bars (so they need no decoding to draw)."""
    for scope, keys in _scopes(state):
        members = [counts_by_key[key] for key in keys if key in counts_by_key]
        marks = state.scope_days.get(scope, {})
        for day, mark in marks.items():
            marks[day] = mark.model_copy(update={"uptime": day_uptime(members, day)})


def _settle(
    state: HistoryState, counts_by_key: dict[str, MonitorCounts], open_from: date, today: date
) -> list[DayObject]:
    """Move every day before `open_from` out of the buckets: into a day object (stored once), the monitors'
    window sums, and the scopes' bars."""
    days: set[int] = set()
    for counts in counts_by_key.values():
        if counts.days:
            days.update(range(counts.first_day, min(open_from.toordinal(), counts.first_day + counts.days_held)))
    settled = []
    for ordinal in sorted(days):
        day = date.fromordinal(ordinal)
        monitors = {}
        for key, counts in counts_by_key.items():
            day_counts = counts.day_counts(ordinal)
            if any(day_counts):
                monitors[key] = list(day_counts)
                for window in WINDOWS_DAYS:
                    if (today - day).days < window:
                        sums = list(counts.settled.get(window, (0,) * PER_DAY))
                        counts.settled[window] = tuple(a + b for a, b in zip(sums, day_counts, strict=True))
        for scope, keys in _scopes(state):
            mark = state.scope_days.get(scope, {}).pop(day, None)
            uptime = day_uptime([counts_by_key[key] for key in keys if key in counts_by_key], day)
            if uptime is not None or mark is not None:
                state.scope_bars.setdefault(scope, {})[day] = SettledBar(
                    uptime=uptime, worst=mark.worst if mark else None, incidents=mark.incidents if mark else 0
                )
        settled.append(DayObject(date=day, monitors=monitors))
    for counts in counts_by_key.values():
        if counts.days and counts.first_day < open_from.toordinal():
            counts._drop_days_before(open_from.toordinal())
    return settled


def _merge_beats(
    previous: HistoryState, kuma: KumaSnapshot | None, now: datetime, formula: UptimeFormula, rules: HistoryRules
) -> tuple[dict[str, MonitorCounts], Counter[str]]:
    """Every monitor's counts with this run's beats merged (or this run's sample, with /metrics only),
    trimmed; monitors Kuma no longer lists are forgotten once their last beat is older than any window."""
    today, open_from = day_of(now), day_of(now - DAY_SETTLES_AFTER)
    counts_by_key = _decoded(previous, today)
    ignored: Counter[str] = Counter()
    newest_ms = int((now + CLOCK_SKEW).timestamp() * 1000)
    open_from_ms = int(datetime(open_from.year, open_from.month, open_from.day, tzinfo=now.tzinfo).timestamp() * 1000)
    for monitor in kuma.monitors if kuma is not None else []:
        counts = counts_by_key.setdefault(monitor.key, MonitorCounts(formula=formula, settled_on=today.toordinal()))
        counts.switch_formula(formula)
        if counts.last_beat_ms is not None and counts.last_beat_ms > newest_ms:
            counts.last_beat_ms = None  # a clock that ran ahead once must not freeze this monitor's history
        beats = _series(kuma.beats.get(monitor.key)) if kuma is not None else None
        if beats is not None:
            _merge(counts, beats, open_from_ms, ignored)
        elif monitor.state is not None and monitor.reported:
            counts.add(monitor.state, now)  # /metrics only: this run's sample is the beat
    forget_before = int((now - FORGET_MONITORS_AFTER).timestamp() * 1000)
    seen = {monitor.key for monitor in kuma.monitors} if kuma is not None else set(counts_by_key)
    counts_by_key = {
        key: counts
        for key, counts in counts_by_key.items()
        if key in seen or (counts.last_beat_ms is not None and counts.last_beat_ms >= forget_before)
    }
    for counts in counts_by_key.values():
        counts.trim(now, rules.days_kept, rules.flap_window)
    return counts_by_key, ignored


@dataclass(frozen=True)
class Merged:
    """This run's beats merged into the previous counts: the part of a run's step that needs Kuma and the
    history but not the backups, so a run can do it while the backups listing is still coming."""

    kuma: KumaSnapshot | None  # the snapshot as decided: monitors coming back carry their last state
    incomplete: bool
    formula: UptimeFormula
    counts_by_key: dict[str, MonitorCounts]
    ignored: Counter[str]


def merge(previous: HistoryState, kuma: KumaSnapshot | None, now: datetime, rules: HistoryRules) -> Merged:
    incomplete = False
    if kuma is not None:
        resolved = resolve_unreported(kuma, previous, now, rules.stability.hold_for)
        kuma, incomplete = resolved.kuma, resolved.incomplete
    formula: UptimeFormula = (
        kuma.formula if kuma is not None else next((record.formula for record in previous.monitors.values()), "beats")
    )
    counts_by_key, ignored = _merge_beats(previous, kuma, now, formula, rules)
    return Merged(kuma, incomplete, formula, counts_by_key, ignored)


@dataclass
class _Statuses:
    """Each scope's status with memory (stability.py), the day's marks, and the events of this run."""

    state: HistoryState
    counts_by_key: dict[str, MonitorCounts]
    now: datetime
    rules: HistoryRules
    incomplete: bool
    events: list[StatusEvent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.flapping = {key for key, c in self.counts_by_key.items() if len(c.changes) >= self.rules.flap_changes}
        self._uptimes: dict[str, Uptimes] = {}  # each monitor's windows, computed once though several scopes show it

    def uptimes(self, keys: list[str]) -> Uptimes:
        """A scope's windows: the mean of its monitors' (a monitor without a figure is left out)."""
        members = []
        for key in keys:
            counts = self.counts_by_key.get(key)
            if counts is None:
                continue
            if key not in self._uptimes:
                self._uptimes[key] = _uptimes([counts], self.now)
            members.append(self._uptimes[key])
        return Uptimes(
            last_24h=mean([m.last_24h for m in members]),
            last_7d=mean([m.last_7d for m in members]),
            last_30d=mean([m.last_30d for m in members]),
            last_90d=mean([m.last_90d for m in members]),
        )

    def live_of(self, monitors: list[MonitorSnapshot]) -> tuple[StateCounts, PlatformStatus]:
        counted = StateCounts.of([m.state for m in monitors], [m.key in self.flapping for m in monitors])
        return counted, status_from_monitors(counted, self.rules.outage_down_share)

    def settle(
        self, scope: str, label: str, kind: ScopeKind, live: PlatformStatus | None, keys: list[str]
    ) -> ScopeVerdict:
        state, now, today = self.state, self.now, day_of(self.now)
        memory = state.scopes.get(scope)
        if self.incomplete and memory is not None:
            live = None  # hold: an incomplete snapshot never changes a status
        result: Stabilised = stabilise(label, memory, live, now, self.rules.stability, kind=kind)
        state.scopes[scope] = result.memory
        marks = state.scope_days.setdefault(scope, {})
        mark = marks.get(today) or DayMark(worst=result.status)
        worst = max(mark.worst, result.status, key=SEVERITY.__getitem__)
        turned_bad = result.event is not None and result.status in (PlatformStatus.DEGRADED, PlatformStatus.OUTAGE)
        marks[today] = DayMark(worst=worst, incidents=mark.incidents + int(turned_bad))
        if result.event:
            self.events.append(result.event)
        return ScopeVerdict(result.status, result.memory.since, result.held_from, self.uptimes(keys))

    def decide(
        self, kuma: KumaSnapshot | None, backups: BackupStatus
    ) -> tuple[ScopeVerdict, dict[str, ScopeVerdict], StateCounts, datetime | None]:
        """The platform's and each component's verdict, and the monitor counts to show (and as of when, if
        they are held ones)."""
        state = self.state
        overall_counts = StateCounts()
        if kuma is not None:
            state.counted = [m.key for m in kuma.monitors if m.counted]
            state.components = {c.name: [m.key for m in kuma.monitors_of(c) if m.counted] for c in kuma.components}
            overall_counts, overall_live = self.live_of(kuma.monitors)
            live = platform_status(overall_live, backups)
            platform = self.settle(PLATFORM, PLATFORM, "platform", live, state.counted)
            components = {
                c.name: self.settle(
                    component_scope(c.name),
                    c.name,
                    "component",
                    self.live_of(kuma.monitors_of(c))[1],
                    state.components[c.name],
                )
                for c in kuma.components
            }
            if not self.incomplete:
                state.held_counts = HeldCounts(at=self.now, **_as_dict(overall_counts))
        else:
            # Kuma unavailable: the last known states are held for a while (stability.py), then unknown.
            platform = self.settle(PLATFORM, PLATFORM, "platform", None, state.counted)
            components = {
                name: self.settle(component_scope(name), name, "component", None, keys)
                for name, keys in state.components.items()
            }
        if (kuma is None or self.incomplete) and state.held_counts is not None and platform.held_from is not None:
            held = state.held_counts
            return (
                platform,
                components,
                StateCounts(held.up, held.down, held.pending, held.maintenance, held.flapping),
                held.at,
            )
        return platform, components, overall_counts, None


def advance(
    previous: HistoryState,
    kuma: KumaSnapshot | None,
    backups: BackupStatus,
    now: datetime,
    rules: HistoryRules,
    *,
    merged: Merged | None = None,
) -> Advanced:
    """`merged`: this run's merge (`merge`), when the run did it already; it is done here otherwise."""
    today, open_from = day_of(now), day_of(now - DAY_SETTLES_AFTER)
    state = previous.model_copy(
        update={
            "scopes": dict(previous.scopes),
            "scope_days": {scope: dict(marks) for scope, marks in previous.scope_days.items()},
            "scope_bars": {scope: dict(bars) for scope, bars in previous.scope_bars.items()},
        }
    )
    merged = merged or merge(previous, kuma, now, rules)
    kuma, incomplete, formula = merged.kuma, merged.incomplete, merged.formula
    counts_by_key, ignored = merged.counts_by_key, merged.ignored
    statuses = _Statuses(state, counts_by_key, now, rules, incomplete)
    platform, components, overall_counts, counts_as_of = statuses.decide(kuma, backups)

    _update_open_days(state, counts_by_key)
    settled = _settle(state, counts_by_key, open_from, today)
    oldest_bar = today - timedelta(days=BARS_KEPT)
    state.scope_bars = {
        scope: {day: bar for day, bar in bars.items() if day > oldest_bar} for scope, bars in state.scope_bars.items()
    }
    state.scope_days = {
        scope: {d: m for d, m in marks.items() if d >= open_from} for scope, marks in state.scope_days.items()
    }
    state.settled_days = sorted({*state.settled_days, *(day.date for day in settled)})[-BARS_KEPT:]
    state.settled_on = today
    if settled:
        state.digests = {}  # once a day every public file is written again, whether or not it changed
    state.monitors = {key: MonitorRecord.of(counts) for key, counts in counts_by_key.items()}
    state.events = (state.events + statuses.events)[-EVENTS_KEPT:]
    return Advanced(
        state=state,
        platform=platform,
        components=components,
        counts=overall_counts,
        flapping=statuses.flapping,
        events=statuses.events,
        kuma=kuma,
        incomplete=incomplete,
        counts_as_of=counts_as_of,
        settled=settled,
        formula=formula,
        ignored=dict(ignored),
    )


def _as_dict(counts: StateCounts) -> dict[str, int]:
    return {
        "up": counts.up,
        "down": counts.down,
        "pending": counts.pending,
        "maintenance": counts.maintenance,
        "flapping": counts.flapping,
    }
