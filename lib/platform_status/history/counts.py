"""Per-monitor beat counts, kept compact enough to run forever. Pure.

Kuma's uptime formulas, which ours follow, by the version that reports (`formula`):
- "beats" (Kuma 2.x): uptime = up / (up + down) over the beats of a window; PENDING counts as down and
  MAINTENANCE as neither.
- "time" (Kuma 1.23): each beat weighs the whole seconds since the monitor's previous beat (0 for its first)
  and MAINTENANCE counts as up: uptime = up seconds / all seconds.
A window with no up or down has no uptime (Kuma says 0; we say null). Windows:
- 24 h: the minute buckets from the current minute back 1439 minutes (as Kuma's `uptimeList` "_24").
- N days: the UTC-day buckets from today back N - 1 days (as Kuma 2.x's `monitor_uptime_ratio` "30d"; Kuma
  1.23's dashboard counts 720 hours back instead, the same figure while there is less than a day of data).

Minute buckets cover the last 25 hours: one byte a minute for beats (up and down, 15 each at most: Kuma's
shortest interval is 20 s), two for seconds. Day buckets hold both formulas: three unsigned counts a day in
`days` (up, down, maintenance beats) and two in `seconds` (up and down seconds). Days that are over are
folded into `settled`, the window sums the history keeps instead of the days themselves (history/state.py).
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from platform_status.monitors import BeatSeries, MonitorState, UptimeFormula

MINUTES_KEPT = 25 * 60
BEAT_CAP = 15  # beats a minute per state in a minute bucket (four bits)
UP, DOWN, MAINT, UP_S, DOWN_S = range(5)  # the order of a day's counts when both arrays are read together
PER_DAY = 5
BEATS_PER_DAY, SECONDS_PER_DAY = 3, 2
WINDOWS_DAYS = (7, 30, 90)
MAX_DAYS_SPAN = 3660  # a day bucket never reaches further than this from the first one
# A beats minute bucket is one byte, up << 4 | down: these tables turn a run of them into the ups, or the
# downs, so that sum() adds them at C speed (1440 buckets per monitor, per run).
_UPS = bytes(value >> 4 for value in range(256))
_DOWNS = bytes(value & 0x0F for value in range(256))


def day_of(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def minute_of(moment: datetime) -> int:
    return int(moment.timestamp()) // 60


def _is_up_in_time(state: MonitorState) -> bool:
    return state in (MonitorState.UP, MonitorState.MAINTENANCE)


_CODES = {0: MonitorState.DOWN, 1: MonitorState.UP, 2: MonitorState.PENDING, 3: MonitorState.MAINTENANCE}


@dataclass
class MonitorCounts:
    """Beat counts of one monitor. `last_beat_ms` dedupes: a beat at or before it was counted already."""

    last_beat_ms: int | None = None
    formula: UptimeFormula = "beats"
    minute_start: int = 0  # epoch minute of the first minute bucket
    minutes: bytearray = field(default_factory=bytearray)  # beats: up << 4 | down; time: up_s, down_s
    first_day: int = 0  # date.toordinal() of the first day bucket in memory
    days: array[int] = field(default_factory=lambda: array("I"))  # up, down, maintenance beats per day
    seconds: array[int] = field(default_factory=lambda: array("I"))  # up, down seconds per day (1.23's formula)
    # Sums of the days that are over and no longer in `days`, per window, for the windows ending `settled_on`.
    settled: dict[int, tuple[int, ...]] = field(default_factory=dict)
    settled_on: int = 0  # the ordinal of the day those windows end on ("today" when they were summed)
    changes: list[int] = field(default_factory=list)  # epoch seconds of recent state changes (flapping)
    last_state: MonitorState | None = None

    @property
    def last_beat(self) -> int | None:
        return None if self.last_beat_ms is None else self.last_beat_ms // 1000

    def add(self, state: MonitorState, at: datetime) -> bool:
        """Count one beat; False when it was counted already (the heartbeat API repeats recent beats)."""
        return self.add_ms(state, int(at.timestamp() * 1000))

    def add_ms(self, state: MonitorState, time_ms: int) -> bool:
        if self.last_beat_ms is not None and time_ms <= self.last_beat_ms:
            return False
        # Kuma 1.23: the whole seconds since this monitor's previous beat (dayjs diff truncates), 0 for the first.
        seconds = 0 if self.last_beat_ms is None else (time_ms - self.last_beat_ms) // 1000
        self.last_beat_ms = time_ms
        second = time_ms // 1000
        if self.last_state is not None and state is not self.last_state:
            self.changes.append(second)
        self.last_state = state
        self._count_day(state, (second // 86400) + 719163, seconds)  # 719163: date(1970, 1, 1).toordinal()
        self._count_minutes(state, second, seconds)
        return True

    def add_series(self, beats: BeatSeries) -> int:
        """Merge a monitor's beats, oldest first; returns how many were new."""
        added = 0
        for time_ms, code in zip(beats.times_ms, beats.codes, strict=True):
            added += self.add_ms(_CODES[code], time_ms)
        return added

    # ------------------------------------------------------------------------------------------ buckets

    def _count_day(self, state: MonitorState, ordinal: int, seconds: int) -> None:
        if not self.days:
            self.first_day = ordinal
        if ordinal < self.first_day:
            return  # older than what is kept
        if ordinal - self.first_day >= MAX_DAYS_SPAN:
            self._drop_days_before(ordinal - MAX_DAYS_SPAN + 1)
        offset = ordinal - self.first_day
        if offset * BEATS_PER_DAY >= len(self.days):
            self.days.extend([0] * ((offset + 1) * BEATS_PER_DAY - len(self.days)))
        if offset * SECONDS_PER_DAY >= len(self.seconds):
            self.seconds.extend([0] * ((offset + 1) * SECONDS_PER_DAY - len(self.seconds)))
        slot = MAINT if state is MonitorState.MAINTENANCE else UP if state is MonitorState.UP else DOWN
        self.days[offset * BEATS_PER_DAY + slot] += 1
        self.seconds[offset * SECONDS_PER_DAY + (0 if _is_up_in_time(state) else 1)] += seconds

    def _width(self) -> int:
        return 1 if self.formula == "beats" else 2

    def _minute_index(self, minute: int) -> int | None:
        """The bucket's offset for `minute`, growing or sliding the buckets; None when it is too old."""
        width = self._width()
        if not self.minutes:
            self.minute_start = minute
        if minute < self.minute_start:
            return None
        if minute - self.minute_start >= MINUTES_KEPT:
            self._drop_minutes_before(minute - MINUTES_KEPT + 1)
        index = (minute - self.minute_start) * width
        if index >= len(self.minutes):
            self.minutes.extend(bytes(index + width - len(self.minutes)))
        return index

    def _count_minutes(self, state: MonitorState, second: int, seconds: int) -> None:
        if self.formula == "beats":
            if state is MonitorState.MAINTENANCE:
                return
            index = self._minute_index(second // 60)
            if index is None:
                return
            value = self.minutes[index]
            up, down = value >> 4, value & 0x0F
            if state is MonitorState.UP:
                up = min(BEAT_CAP, up + 1)
            else:
                down = min(BEAT_CAP, down + 1)
            self.minutes[index] = up << 4 | down
            return
        # Time: the beat's seconds are spread over the minutes they cover, so a window cuts them where it starts.
        slot = 0 if _is_up_in_time(state) else 1
        start = max(second - seconds, second - MINUTES_KEPT * 60)
        moment = start
        while moment < second:
            minute = moment // 60
            span = min(second, (minute + 1) * 60) - moment
            index = self._minute_index(minute)
            if index is not None:
                self.minutes[index + slot] = min(255, self.minutes[index + slot] + span)
            moment += span

    def _drop_minutes_before(self, minute: int) -> None:
        drop = min(len(self.minutes), (minute - self.minute_start) * self._width())
        del self.minutes[:drop]
        self.minute_start = minute

    def _drop_days_before(self, ordinal: int) -> None:
        days = max(0, ordinal - self.first_day)
        del self.days[: days * BEATS_PER_DAY]
        del self.seconds[: days * SECONDS_PER_DAY]
        self.first_day = ordinal

    def trim(self, now: datetime, days_kept: int, flap_window: timedelta) -> None:
        """Forget minute buckets older than 25 h, day buckets older than `days_kept`, old state changes."""
        oldest_minute = minute_of(now) - MINUTES_KEPT + 1
        if self.minutes and oldest_minute > self.minute_start:
            self._drop_minutes_before(oldest_minute)
        oldest_day = day_of(now).toordinal() - days_kept + 1
        if self.days and oldest_day > self.first_day:
            self._drop_days_before(oldest_day)
        horizon = int((now - flap_window).timestamp())
        self.changes = [second for second in self.changes if second > horizon]

    def switch_formula(self, formula: UptimeFormula) -> None:
        """Kuma was upgraded (or rolled back): minute buckets of the other formula cannot be converted."""
        if formula != self.formula:
            self.formula = formula
            self.minutes = bytearray()

    # -------------------------------------------------------------------------------------------- reads

    @property
    def days_held(self) -> int:
        return len(self.days) // BEATS_PER_DAY

    def day_counts(self, on: date | int) -> tuple[int, ...]:
        """All five counts of a day in memory (UP, DOWN, MAINT, UP_S, DOWN_S); zeros for any other day."""
        offset = (on if isinstance(on, int) else on.toordinal()) - self.first_day
        if not self.days or offset < 0 or offset >= self.days_held:
            return (0,) * PER_DAY
        beats = self.days[offset * BEATS_PER_DAY : (offset + 1) * BEATS_PER_DAY]
        seconds = self.seconds[offset * SECONDS_PER_DAY : (offset + 1) * SECONDS_PER_DAY]
        return (*beats, *seconds, *(0,) * (SECONDS_PER_DAY - len(seconds)))

    def day(self, on: date) -> tuple[int, int, int]:
        """Beats that day: up, down (PENDING included), maintenance."""
        counts = self.day_counts(on)
        return (counts[UP], counts[DOWN], counts[MAINT])

    def day_ratio(self, on: date | int) -> float | None:
        counts = self.day_counts(on)
        return self._ratio_of(counts)

    def _ratio_of(self, counts: tuple[int, ...] | list[int]) -> float | None:
        if self.formula == "time":
            return _ratio(counts[UP_S], counts[DOWN_S])
        return _ratio(counts[UP], counts[DOWN])

    def last_24h(self, now: datetime) -> float | None:
        first = minute_of(now) - 1439
        width = self._width()
        start = max(0, (first - self.minute_start) * width)
        window = self.minutes[start:]
        if self.formula == "time":
            return _ratio(sum(window[0::2]), sum(window[1::2]))
        return _ratio(sum(window.translate(_UPS)), sum(window.translate(_DOWNS)))

    def window_totals(self, now: datetime, days: int) -> list[int]:
        """The window's totals: the settled sums (when they were summed for today) and the days in memory."""
        today = day_of(now).toordinal()
        totals = list(self.settled.get(days, (0,) * PER_DAY)) if self.settled_on == today else [0] * PER_DAY
        for ordinal in range(
            max(self.first_day, today - days + 1), min(today, self.first_day + self.days_held - 1) + 1
        ):
            for slot, count in enumerate(self.day_counts(ordinal)):
                totals[slot] += count
        return totals

    def last_days(self, now: datetime, days: int) -> float | None:
        return self._ratio_of(self.window_totals(now, days))


def _ratio(up: int, down: int) -> float | None:
    return up / (up + down) if up + down else None


def mean(values: list[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) / len(known) if known else None
