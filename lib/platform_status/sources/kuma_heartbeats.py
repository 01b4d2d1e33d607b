"""Kuma's heartbeat API (`/api/status-page/heartbeat/<slug>`), read as a stream into arrays of beats.

The body is `{"heartbeatList": {"<id>": [{status, time, msg, ping}, ...]}, "uptimeList": {"<id>_24": r}}`: 100
beats per monitor on 2.x (50 on 1.23), about 7 MB for 1000 monitors and 70 MB for 10,000. It is read as a
stream of parse events (ijson's C parser), and each beat's status and time go straight into two arrays:
the body is never held whole, no object is built per beat, and nothing can nest deeper than a beat does
(a body nested 20,000 levels deep is refused at the seventh, instead of building it: ijson's own object
builder would take gigabytes on it, Python's json a RecursionError).

Beat times are checked against the run's clock: a beat more than a little in the future, or older than any
history kept, is left out and counted by reason, so one beat dated 9999 or 0001 can neither allocate years
of buckets nor freeze a monitor's history. (Which of the rest are new is the history's business.)
"""

from __future__ import annotations

import io
from array import array
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO

import ijson

from platform_status.monitors import KUMA_STATE_CODES, BeatSeries
from platform_status.sources.kuma_format import KumaFormatError

CLOCK_SKEW = timedelta(minutes=2)  # a beat this far ahead of our clock is still believed
OLDEST_BEAT = timedelta(days=400)  # older than any history kept: a broken clock, not a beat
MAX_DEPTH = 6  # root, heartbeatList, a monitor's list, a beat: 4; a little room for what Kuma may add
BUFFER_BYTES = 256 * 1024
_HEARTBEATS, _UPTIME = "heartbeatList", "uptimeList"


@dataclass
class Heartbeats:
    beats: dict[int, BeatSeries]  # monitor id -> beats, oldest first
    uptime_24h: dict[int, float]  # monitor id -> ratio 0..1
    ignored: Counter[str] = field(default_factory=Counter)


_minute_starts: dict[str, int] = {}  # "YYYY-MM-DD HH:MM" -> epoch ms: beats share their minutes


def _kuma_time_ms(value: object) -> int:
    """'YYYY-MM-DD HH:mm:ss.SSS' (UTC) to epoch milliseconds, without a datetime per beat."""
    if not isinstance(value, str) or len(value) < 19 or value[16] != ":":
        raise KumaFormatError(f"heartbeat JSON has a beat with time {str(value)[:30]!r}")
    minute = value[:16]
    start = _minute_starts.get(minute)
    try:
        if start is None:
            if len(_minute_starts) > 100_000:
                _minute_starts.clear()  # bounded: a warm container must not grow with every minute it saw
            start = int(datetime.fromisoformat(minute).replace(tzinfo=UTC).timestamp()) * 1000
            _minute_starts[minute] = start
        seconds = int(value[17:19])
        millis = int(value[20:23].ljust(3, "0")) if len(value) > 20 and value[19] == "." else 0
    except ValueError:
        raise KumaFormatError(f"heartbeat JSON has a beat with time {value[:30]!r}") from None
    if seconds > 59 or value[10] != " ":
        raise KumaFormatError(f"heartbeat JSON has a beat with time {value[:30]!r}")
    return start + seconds * 1000 + millis


class _Reader:
    """Folds the parse events into the beats and the uptime list as they come."""

    def __init__(self, now: datetime | None) -> None:
        self.beats: dict[int, BeatSeries] = {}
        self.uptime: dict[int, float] = {}
        self.ignored: Counter[str] = Counter()
        self.newest = int((now + CLOCK_SKEW).timestamp() * 1000) if now else None
        self.oldest = int((now - OLDEST_BEAT).timestamp() * 1000) if now else None
        self.seen_heartbeats = False

    def _keep(self, time_ms: int) -> bool:
        if self.newest is not None and time_ms > self.newest:
            self.ignored["beat in the future"] += 1
            return False
        if self.oldest is not None and time_ms < self.oldest:
            self.ignored["beat older than any history"] += 1
            return False
        return True

    # One loop over every event (ten per beat, millions per run): kept flat, without a call per event.
    def read(self, stream: IO[bytes]) -> None:  # noqa: PLR0912, PLR0915
        depth = 0  # containers open; in the heartbeat list a beat's fields are at depth 4
        in_beats = in_uptime = False  # which of the two lists the events are in (depth 2 and below)
        key: object = None
        beat_field: object = None
        statuses: list[object] = []  # the current monitor's beats as sent, converted when its list ends
        times: list[object] = []
        status: object = None
        time: object = None
        for event, value in ijson.basic_parse(stream, use_float=True, buf_size=BUFFER_BYTES):
            if event == "map_key":
                if depth == 4:
                    beat_field = value
                elif depth == 2:
                    key = value
                elif depth == 1:
                    in_beats, in_uptime = value == _HEARTBEATS, value == _UPTIME
                    self.seen_heartbeats |= in_beats
            elif event in ("string", "number"):
                if depth == 4 and in_beats:
                    if beat_field == "status":
                        status = value
                    elif beat_field == "time":
                        time = value
                elif depth == 2 and in_uptime:
                    self._uptime(key, value)
                elif depth == 3 and in_beats:
                    raise KumaFormatError("heartbeat JSON has a beat that is not an object")
            elif event == "start_map":
                if depth >= MAX_DEPTH:
                    raise KumaFormatError("heartbeat JSON is nested deeper than Kuma nests it")
                if in_beats and depth == 3:
                    status = time = None
                elif in_beats and depth == 2:
                    raise KumaFormatError("heartbeat JSON has a monitor whose beats are not a list")
                depth += 1
            elif event == "end_map":
                if depth == 4 and in_beats:
                    statuses.append(status)
                    times.append(time)
                elif depth == 2:
                    in_beats = in_uptime = False
                depth -= 1
            elif event == "start_array":
                if depth >= MAX_DEPTH:
                    raise KumaFormatError("heartbeat JSON is nested deeper than Kuma nests it")
                if in_beats and depth == 2:
                    statuses, times = [], []
                elif in_beats and depth == 3:
                    raise KumaFormatError("heartbeat JSON has a beat that is not an object")
                elif in_beats and depth == 1:
                    raise KumaFormatError("heartbeat JSON has a heartbeatList that is not an object")
                depth += 1
            elif event == "end_array":
                if in_beats and depth == 3:
                    self.beats[self._monitor_id(key)] = self._series(statuses, times)
                elif depth == 2:
                    in_beats = in_uptime = False
                depth -= 1
            elif depth == 3 and in_beats:  # null or a boolean where a beat belongs
                raise KumaFormatError("heartbeat JSON has a beat that is not an object")
        if depth or not self.seen_heartbeats:
            raise KumaFormatError("heartbeat JSON is malformed (heartbeatList: Field required)")

    @staticmethod
    def _monitor_id(key: object) -> int:
        if not isinstance(key, str) or not key.isdigit():
            raise KumaFormatError(f"heartbeat JSON has an unexpected key ({str(key)[:20]!r})")
        return int(key)

    def _series(self, statuses: list[object], times: list[object]) -> BeatSeries:
        for status in statuses:
            if type(status) is not int or status not in KUMA_STATE_CODES:
                raise KumaFormatError(f"heartbeat JSON has a beat with status {str(status)[:10]!r}")
        times_ms = [_kuma_time_ms(time) for time in times]
        newest, oldest = self.newest, self.oldest
        if (newest is None or max(times_ms, default=0) <= newest) and (
            oldest is None or min(times_ms, default=oldest) >= oldest
        ):
            series = BeatSeries(array("q", times_ms), bytearray(statuses))  # type: ignore[arg-type]
        else:
            series = BeatSeries()
            for time_ms, status in zip(times_ms, statuses, strict=True):
                if self._keep(time_ms):
                    series.append(time_ms, status)  # type: ignore[arg-type]
        return series.sorted()

    def _uptime(self, key: object, ratio: object) -> None:
        monitor_id, _, window = str(key).partition("_")
        if window != "24" or not monitor_id.isdigit():
            return
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
            self.ignored["uptime ratio outside 0..1"] += 1  # NaN fails the range too: no made-up figure
            return
        self.uptime[int(monitor_id)] = float(ratio)


def read_heartbeats(stream: IO[bytes], now: datetime | None = None) -> Heartbeats:
    """Read the heartbeat API's body from a stream. `now`: the run's clock, for the sane window of beat
    times (without it every time is taken)."""
    reader = _Reader(now)
    try:
        reader.read(stream)
    except ijson.JSONError:
        raise KumaFormatError("heartbeat API: response is not JSON") from None
    return Heartbeats(beats=reader.beats, uptime_24h=reader.uptime, ignored=reader.ignored)


def parse_heartbeats(body: bytes | str, now: datetime | None = None) -> Heartbeats:
    return read_heartbeats(io.BytesIO(body.encode() if isinstance(body, str) else body), now)
