"""Kuma's heartbeat API (`/api/status-page/heartbeat/<slug>`), read as a stream into arrays of beats.

The body is `{"heartbeatList": {"<id>": [{status, time, msg, ping}, ...]}, "uptimeList": {"<id>_24": r}}`: 100
beats per monitor on 2.x (50 on 1.23), about 7 MB for 1000 monitors and 70 MB for 10,000. ijson walks
heartbeatList one monitor at a time, so the body is never held whole, and each beat becomes two array
entries at once. uptimeList, small and always written after heartbeatList (Kuma's status-page-router builds
`{heartbeatList, uptimeList}` in that order), is read from the last bytes of the body in the same pass: a
second pass over the stream would cost as much as the first.

Beat times are checked against the run's clock: a beat more than a little in the future, or older than any
history kept, is left out and counted by reason, so one beat dated 9999 or 0001 can neither allocate years
of buckets nor freeze a monitor's history. (Which of the rest are new is the history's business.)
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO

import ijson

from platform_status.monitors import KUMA_STATE_CODES, BeatSeries
from platform_status.sources.kuma_format import KumaFormatError

TAIL_BYTES = 4 * 1024 * 1024  # room for uptimeList up to about 150,000 monitors
CLOCK_SKEW = timedelta(minutes=2)  # a beat this far ahead of our clock is still believed
OLDEST_BEAT = timedelta(days=400)  # older than any history kept: a broken clock, not a beat


@dataclass
class Heartbeats:
    beats: dict[int, BeatSeries]  # monitor id -> beats, oldest first
    uptime_24h: dict[int, float]  # monitor id -> ratio 0..1
    ignored: Counter[str] = field(default_factory=Counter)


class _TailKeeping:
    """A readable stream that remembers its last TAIL_BYTES bytes."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.tail = bytearray()

    def read(self, size: int = -1) -> bytes:
        chunk = self._stream.read(size)
        self.tail += chunk
        if len(self.tail) > 2 * TAIL_BYTES:
            del self.tail[: len(self.tail) - TAIL_BYTES]
        return chunk


_day_starts: dict[str, int] = {}


def _kuma_time_ms(value: object) -> int:
    """'YYYY-MM-DD HH:mm:ss.SSS' (UTC) to epoch milliseconds, without a datetime per beat."""
    if not isinstance(value, str) or len(value) < 19 or value[10] != " " or value[13] != ":" or value[16] != ":":
        raise KumaFormatError(f"heartbeat JSON has a beat with time {str(value)[:30]!r}")
    day = value[:10]
    start = _day_starts.get(day)
    try:
        if start is None:
            start = _day_starts[day] = int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp()) * 1000
        hours, minutes, seconds = int(value[11:13]), int(value[14:16]), int(value[17:19])
        millis = int(value[20:23].ljust(3, "0")) if len(value) > 20 and value[19] == "." else 0
    except ValueError:
        raise KumaFormatError(f"heartbeat JSON has a beat with time {value[:30]!r}") from None
    if hours > 23 or minutes > 59 or seconds > 59:
        raise KumaFormatError(f"heartbeat JSON has a beat with time {value[:30]!r}")
    return start + ((hours * 60 + minutes) * 60 + seconds) * 1000 + millis


def _series(beats: object, keep: Callable[[int], str | None], ignored: Counter[str]) -> BeatSeries:
    if not isinstance(beats, list):
        raise KumaFormatError("heartbeat JSON has a monitor whose beats are not a list")
    series = BeatSeries()
    for beat in beats:
        if not isinstance(beat, dict):
            raise KumaFormatError("heartbeat JSON has a beat that is not an object")
        status = beat.get("status")
        if type(status) is not int or status not in KUMA_STATE_CODES:
            raise KumaFormatError(f"heartbeat JSON has a beat with status {str(status)[:10]!r}")
        time_ms = _kuma_time_ms(beat.get("time"))
        reason = keep(time_ms)
        if reason is None:
            series.append(time_ms, status)
        else:
            ignored[reason] += 1
    return series.sorted()


def _uptime_list(tail: bytes) -> dict[int, float]:
    start = tail.rfind(b'"uptimeList"')
    if start < 0:
        return {}
    colon = tail.find(b":", start)
    try:
        value, _ = json.JSONDecoder().raw_decode(tail[colon + 1 :].decode("utf-8").lstrip())
    except (ValueError, UnicodeDecodeError):
        raise KumaFormatError("heartbeat JSON has an unreadable uptimeList") from None
    if not isinstance(value, dict):
        raise KumaFormatError("heartbeat JSON has an uptimeList that is not an object")
    uptime: dict[int, float] = {}
    for key, ratio in value.items():
        monitor_id, _, window = str(key).partition("_")
        if window != "24" or not monitor_id.isdigit():
            continue
        if isinstance(ratio, bool) or not isinstance(ratio, int | float) or not 0 <= ratio <= 1:
            continue  # NaN, out of range or not a number: no figure rather than a made-up one
        uptime[int(monitor_id)] = float(ratio)
    return uptime


def read_heartbeats(stream: IO[bytes], now: datetime | None = None) -> Heartbeats:
    """Read the heartbeat API's body from a stream. `now`: the run's clock, for the sane window of beat
    times (without it every time is taken)."""
    ignored: Counter[str] = Counter()
    newest = int((now + CLOCK_SKEW).timestamp() * 1000) if now else None
    oldest = int((now - OLDEST_BEAT).timestamp() * 1000) if now else None

    def keep(time_ms: int) -> str | None:
        if newest is not None and time_ms > newest:
            return "beat in the future"
        if oldest is not None and time_ms < oldest:
            return "beat older than any history"
        return None

    source = _TailKeeping(stream)
    beats: dict[int, BeatSeries] = {}
    seen_list = False
    try:
        for monitor_id, monitor_beats in ijson.kvitems(source, "heartbeatList", use_float=True):
            seen_list = True
            if not str(monitor_id).isdigit():
                raise KumaFormatError(f"heartbeat JSON has an unexpected key ({str(monitor_id)[:20]!r})")
            beats[int(monitor_id)] = _series(monitor_beats, keep, ignored)
    except ijson.JSONError:
        raise KumaFormatError("heartbeat API: response is not JSON") from None
    if not seen_list and b'"heartbeatList"' not in source.tail:
        raise KumaFormatError("heartbeat JSON is malformed (heartbeatList: Field required)")
    return Heartbeats(beats=beats, uptime_24h=_uptime_list(bytes(source.tail)), ignored=ignored)


def parse_heartbeats(body: bytes | str, now: datetime | None = None) -> Heartbeats:
    return read_heartbeats(io.BytesIO(body.encode() if isinstance(body, str) else body), now)
