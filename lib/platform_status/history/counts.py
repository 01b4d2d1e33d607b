"""Per-monitor beat counts, kept compact enough to run forever. Pure.

Kuma's uptime formula, which ours follows: uptime = up / (up + down) over the beats of a window, where
PENDING counts as down and MAINTENANCE as neither; a window with no up or down beat has no uptime (Kuma
says 0; we say null). Windows:
- 24 h: the minute buckets from the current minute back 1439 minutes (as Kuma's `uptimeList` "_24").
- N days: the UTC-day buckets from today back N - 1 days (as Kuma's `monitor_uptime_ratio` "30d").

Minute buckets for the last 25 hours are two bytes a minute (up, down); day buckets are three unsigned
32-bit counts a day (up, down, maintenance), for as many days as are kept. Both live in `bytes`, so 1000
monitors with 400 days take a few megabytes, not hundreds.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from platform_status.monitors import MonitorState

MINUTES_KEPT = 25 * 60
MINUTE_CAP = 255  # beats a minute per state; Kuma's shortest interval is 20 s, so 3 in practice
UP, DOWN, MAINT = 0, 1, 2


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


@dataclass
class MonitorCounts:
    """Beat counts of one monitor. `last_beat` dedupes: a beat at or before it was counted already."""

    last_beat: int | None = None  # epoch seconds
    minute_start: int = 0  # epoch minute of the first minute bucket
    minutes: bytearray = field(default_factory=bytearray)  # (up, down) per minute
    first_day: int = 0  # date.toordinal() of the first day bucket
    days: array[int] = field(default_factory=lambda: array("I"))  # (up, down, maintenance) per day
    changes: list[int] = field(default_factory=list)  # epoch seconds of recent state changes (flapping)
    last_state: MonitorState | None = None

    def add(self, state: MonitorState, at: datetime) -> bool:
        """Count one beat; False when it was counted already (the heartbeat API repeats recent beats)."""
        second = int(at.timestamp())
        if self.last_beat is not None and second <= self.last_beat:
            return False
        self.last_beat = second
        if self.last_state is not None and state is not self.last_state:
            self.changes.append(second)
        self.last_state = state
        self._count_day(state, day_of(at).toordinal())
        if state is not MonitorState.MAINTENANCE:
            self._count_minute(state, minute_of(at))
        return True

    def _count_day(self, state: MonitorState, ordinal: int) -> None:
        if not self.days:
            self.first_day = ordinal
        if ordinal < self.first_day:
            return  # older than what is kept
        index = (ordinal - self.first_day) * 3
        if index >= len(self.days):
            self.days.extend([0] * (index + 3 - len(self.days)))
        slot = MAINT if state is MonitorState.MAINTENANCE else UP if state is MonitorState.UP else DOWN
        self.days[index + slot] += 1

    def _count_minute(self, state: MonitorState, minute: int) -> None:
        if not self.minutes:
            self.minute_start = minute
        if minute < self.minute_start:
            return
        index = (minute - self.minute_start) * 2
        if index >= len(self.minutes):
            self.minutes.extend(bytes(index + 2 - len(self.minutes)))
        slot = index + (0 if state is MonitorState.UP else 1)
        self.minutes[slot] = min(MINUTE_CAP, self.minutes[slot] + 1)

    def trim(self, now: datetime, days_kept: int, flap_window: timedelta) -> None:
        """Forget minute buckets older than 25 h, day buckets older than `days_kept`, old state changes."""
        oldest_minute = minute_of(now) - MINUTES_KEPT + 1
        if self.minutes and oldest_minute > self.minute_start:
            drop = min(len(self.minutes), (oldest_minute - self.minute_start) * 2)
            del self.minutes[:drop]
            self.minute_start = oldest_minute
        oldest_day = day_of(now).toordinal() - days_kept + 1
        if self.days and oldest_day > self.first_day:
            drop = min(len(self.days), (oldest_day - self.first_day) * 3)
            del self.days[:drop]
            self.first_day = oldest_day
        horizon = int((now - flap_window).timestamp())
        self.changes = [second for second in self.changes if second > horizon]

    def day(self, on: date) -> tuple[int, int, int]:
        index = (on.toordinal() - self.first_day) * 3
        if not self.days or index < 0 or index + 3 > len(self.days):
            return (0, 0, 0)
        return (self.days[index], self.days[index + 1], self.days[index + 2])

    def last_24h(self, now: datetime) -> float | None:
        first = minute_of(now) - 1439
        start = max(0, (first - self.minute_start) * 2)
        window = self.minutes[start:]
        return _ratio(sum(window[0::2]), sum(window[1::2]))

    def last_days(self, now: datetime, days: int) -> float | None:
        today = day_of(now)
        up = down = 0
        for back in range(days):
            day_up, day_down, _ = self.day(today - timedelta(days=back))
            up += day_up
            down += day_down
        return _ratio(up, down)


def _ratio(up: int, down: int) -> float | None:
    return up / (up + down) if up + down else None


def mean(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None
