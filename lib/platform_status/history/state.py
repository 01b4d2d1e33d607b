"""The private history: what a run needs, read and written each run; each day, once it is over, stored once.

Layout under `<state prefix>history/`:
- `live-0.json.gz`, `live-1.json.gz`: two generations of the live state (gzip-compressed JSON). A run reads
  both (at the same time), takes the newest that reads and validates, and writes the next generation into
  the other slot: a write cut short, or a run that started long ago and finishes late, can never hide the
  newest generation, and the previous one is always there to fall back on.
- `days/<date>.json.gz`: one UTC day of every monitor's counts, written once when the day is over (an hour
  after midnight, for late beats) and never again. The live state keeps only the open days, the 25 hours of
  minute buckets, and for each monitor the sums of the finished days in each uptime window; those sums are
  taken again from the day objects on the first run of each day.

A read that fails for any reason other than "no such object", or finds a generation that does not
validate and none to fall back on, or any newer schema version, means this run writes no history and says
why: what it cannot read, it leaves as it is.
"""

from __future__ import annotations

import gzip
import re
import sys
import zlib
from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import Base64Bytes, BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from platform_status.history.counts import PER_DAY, WINDOWS_DAYS, MonitorCounts
from platform_status.history.stability import ScopeMemory, StatusEvent
from platform_status.monitors import MonitorState, UptimeFormula
from platform_status.rules.status import PlatformStatus
from platform_status.store import ObjectMeta, ObjectStore, StoreError, read_all
from platform_status.timeutil import UtcDatetime

HISTORY_SCHEMA_VERSION = 2
SLOTS = ("history/live-0.json.gz", "history/live-1.json.gz")
DAYS_PREFIX = "history/days/"
# The first layout (one uncompressed object per generation and a pointer): left as it is if found.
VERSION_1_KEYS = ("history/current.json", "history/slot-0.json", "history/slot-1.json")
PRIVATE_GZIP = ObjectMeta("application/gzip", "no-store", public=False)  # compressed by us: no Content-Encoding
_VERSION = re.compile(rb'"(?:state_)?schema_version"\s*:\s*(-?[0-9]+)')


def _pack(values: array[int]) -> bytes:
    if sys.byteorder != "little":
        values = array(values.typecode, values)
        values.byteswap()
    return values.tobytes()


def _unpack(data: bytes) -> array[int]:
    values = array("I")
    values.frombytes(data[: len(data) - len(data) % 4])
    if sys.byteorder != "little":
        values.byteswap()
    return values


class MonitorRecord(BaseModel):
    """MonitorCounts as stored: the buckets as base64 of little-endian bytes."""

    model_config = ConfigDict(extra="forbid")

    last_beat_ms: int | None = None
    last_state: MonitorState | None = None
    changes: list[int] = Field(default_factory=list)
    formula: UptimeFormula = "beats"
    minute_start: int = 0
    minutes: Base64Bytes = b""
    first_day: date | None = None
    days: Base64Bytes = b""
    seconds: Base64Bytes = b""
    settled: dict[int, list[int]] = Field(default_factory=dict)  # window (days) -> PER_DAY totals

    @classmethod
    def of(cls, counts: MonitorCounts) -> MonitorRecord:
        """The record of counts a run has just made (valid by construction: not validated again, and the
        minute buckets shared, not copied; 10,000 monitors hold 15 MB of them). Records are never changed in
        place: `counts()` copies."""
        return cls.model_construct(
            last_beat_ms=counts.last_beat_ms,
            last_state=counts.last_state,
            changes=counts.changes,
            formula=counts.formula,
            minute_start=counts.minute_start,
            minutes=counts.minutes,  # type: ignore[arg-type] # a bytearray serialises as bytes do
            first_day=date.fromordinal(counts.first_day) if counts.days else None,
            days=_pack(counts.days),
            seconds=_pack(counts.seconds),
            settled={window: list(totals) for window, totals in counts.settled.items()},
        )

    def counts(self, settled_on: date | None = None) -> MonitorCounts:
        return MonitorCounts(
            last_beat_ms=self.last_beat_ms,
            formula=self.formula,
            minute_start=self.minute_start,
            minutes=bytearray(self.minutes),
            first_day=self.first_day.toordinal() if self.first_day else 0,
            days=_unpack(self.days),
            seconds=_unpack(self.seconds),
            settled={window: tuple(totals) for window, totals in self.settled.items()},
            settled_on=settled_on.toordinal() if settled_on else 0,
            changes=list(self.changes),
            last_state=self.last_state,
        )


_RECORDS = TypeAdapter(dict[str, MonitorRecord])
_RECORDS_PER_CHUNK = 500


class DayMark(BaseModel):
    """An open day of a scope: the worst status it showed, how many times it turned degraded or worse, and
    its uptime so far (ratio 0..1), brought up to date by each run."""

    model_config = ConfigDict(extra="forbid")

    worst: PlatformStatus
    incidents: int = 0
    uptime: float | None = None


class SettledBar(BaseModel):
    """A finished day of one scope, as its public bar shows it."""

    model_config = ConfigDict(extra="forbid")

    uptime: float | None  # ratio 0..1
    worst: PlatformStatus | None
    incidents: int = 0


class HeldCounts(BaseModel):
    """The monitor counts of the last run that reached Kuma: shown, marked, while the status is held."""

    model_config = ConfigDict(extra="forbid")

    at: UtcDatetime
    up: int = 0
    down: int = 0
    pending: int = 0
    maintenance: int = 0
    flapping: int = 0


class HistoryState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state_schema_version: int = HISTORY_SCHEMA_VERSION
    generation: int = 0
    updated_at: UtcDatetime | None = None
    monitors: dict[str, MonitorRecord] = Field(default_factory=dict)
    settled_on: date | None = None  # the day the monitors' window sums are for
    settled_days: list[date] = Field(default_factory=list)  # days written to day objects, newest 90
    scopes: dict[str, ScopeMemory] = Field(default_factory=dict)
    scope_days: dict[str, dict[date, DayMark]] = Field(default_factory=dict)  # the open days
    scope_bars: dict[str, dict[date, SettledBar]] = Field(default_factory=dict)  # finished days, newest 90
    events: list[StatusEvent] = Field(default_factory=list)
    # From the last run that reached Kuma: which monitors counted, and each component's, in page order.
    counted: list[str] = Field(default_factory=list)
    components: dict[str, list[str]] = Field(default_factory=dict)
    held_counts: HeldCounts | None = None
    published_days: list[date] = Field(default_factory=list)  # public per-day files already written
    # What this publisher last wrote of each public file (sha-256): unchanged bytes are not sent again.
    digests: dict[str, str] = Field(default_factory=dict)


class DayObject(BaseModel):
    """One finished UTC day of every monitor: [up, down, maintenance, up seconds, down seconds]."""

    model_config = ConfigDict(extra="forbid")

    schema_version: int = 1
    date: date
    monitors: dict[str, list[int]]


@dataclass(frozen=True)
class Generation:
    generation: int
    slot: str


@dataclass(frozen=True)
class LoadedHistory:
    state: HistoryState
    pointer: Generation | None  # the generation read, and its slot; None before the first run
    note: str | None = None  # e.g. "the newest generation was unreadable; the previous one was used"


class HistoryUnavailable(Exception):
    """History could not be read safely: this run must not write any."""


@dataclass
class Write:
    key: str
    body: bytes
    meta: ObjectMeta


@dataclass
class HistoryWrites:
    """What a run writes of the history, in order: the day objects, then the next generation."""

    days: list[Write]
    generation: Write


def _decode(body: bytes) -> bytes:
    return gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body


def _version_of(text: bytes, key: str) -> int:
    found = _VERSION.search(text[:200])
    if not found:
        raise HistoryUnavailable(f"{key} has no schema version; left as it is")
    return int(found.group(1))


def _parse_state(body: bytes, key: str) -> HistoryState:
    try:
        text = _decode(body)
    except (OSError, EOFError):
        raise HistoryUnavailable(f"{key} is not readable gzip") from None
    version = _version_of(text, key)
    if version > HISTORY_SCHEMA_VERSION:
        raise HistoryUnavailable(f"{key} has schema version {version}, newer than this code; left as it is")
    try:
        return HistoryState.model_validate_json(text)
    except ValidationError as error:
        raise HistoryUnavailable(f"{key} does not validate ({error.error_count()} errors); left as it is") from None


def _read_all(store: ObjectStore, keys: list[str]) -> list[bytes | None]:
    try:
        return read_all(store, keys)
    except StoreError as error:
        raise HistoryUnavailable(str(error)) from None


def day_object_key(prefix: str, day: date) -> str:
    return f"{prefix}{DAYS_PREFIX}{day.isoformat()}.json.gz"


def load_history(store: ObjectStore, prefix: str, today: date | None = None) -> LoadedHistory:
    """The newest readable generation. With `today`, the window sums are brought to today first (on the
    first run of a day: from the day objects)."""
    bodies = _read_all(store, [prefix + slot for slot in SLOTS])
    found: list[tuple[HistoryState, str]] = []
    problems: list[str] = []
    for slot, body in zip(SLOTS, bodies, strict=True):
        if body is None:
            continue
        try:
            found.append((_parse_state(body, slot), slot))
        except HistoryUnavailable as problem:
            if "newer than this code" in str(problem):
                raise  # a newer writer exists: never fall back and overwrite its data
            problems.append(str(problem))
    if not found:
        if problems:
            raise HistoryUnavailable("; ".join(problems))
        return LoadedHistory(HistoryState(), None, _first_run_note(store, prefix))
    found.sort(key=lambda item: item[0].generation, reverse=True)
    state, slot = found[0]
    # One slot unreadable: almost always a write cut short, so the one that reads is the previous generation.
    note = f"{'; '.join(problems)}; the previous generation was used" if problems else None
    if today is not None and state.settled_on != today:
        bring_sums_to(state, today, lambda days: read_day_objects(store, prefix, days))
    return LoadedHistory(state, Generation(state.generation, slot), note)


def _first_run_note(store: ObjectStore, prefix: str) -> str | None:
    try:
        old = [key for key in VERSION_1_KEYS if store.get(prefix + key) is not None]
    except StoreError:
        return None
    return "a history of the first format (version 1) was left as it is; this one starts afresh" if old else None


def read_day_objects(store: ObjectStore, prefix: str, days: list[date]) -> Iterable[DayObject]:
    """The day objects of these days that exist and read; the others are gaps (no data), not errors."""
    bodies = _read_all(store, [day_object_key(prefix, day) for day in days])
    for body in bodies:
        if body is None:
            continue
        try:
            yield DayObject.model_validate_json(_decode(body))
        except (ValidationError, OSError, EOFError):
            continue


def bring_sums_to(state: HistoryState, today: date, days_of: Callable[[list[date]], Iterable[DayObject]]) -> None:
    """Each monitor's window sums, taken again from the finished days' objects for the windows ending today.
    Days still held in a monitor's own buckets are not in the sums: they are counted from the buckets."""
    oldest = today - timedelta(days=max(WINDOWS_DAYS) - 1)
    wanted = sorted(day for day in state.settled_days if oldest <= day < today)
    totals: dict[str, dict[int, list[int]]] = {key: {w: [0] * PER_DAY for w in WINDOWS_DAYS} for key in state.monitors}
    for day_object in days_of(wanted):
        age = (today - day_object.date).days
        for key, counts in day_object.monitors.items():
            record = state.monitors.get(key)
            if record is None or (record.first_day is not None and day_object.date >= record.first_day):
                continue
            for window in WINDOWS_DAYS:
                if age < window:
                    sums = totals[key][window]
                    for slot, count in enumerate(counts[:PER_DAY]):
                        sums[slot] += count
    for key, record in state.monitors.items():
        record.settled = totals[key]
    state.settled_on = today


def day_writes(prefix: str, day_objects: list[DayObject]) -> list[Write]:
    """The finished days' objects, each written once."""
    return [
        Write(day_object_key(prefix, day.date), gzip.compress(day.model_dump_json().encode(), 6), PRIVATE_GZIP)
        for day in day_objects
    ]


def generation_write(prefix: str, loaded: LoadedHistory, state: HistoryState, now: datetime) -> Write:
    """The next generation, into the slot the newest generation read is not in."""
    generation = (loaded.pointer.generation if loaded.pointer else 0) + 1
    next_state = state.model_copy(update={"generation": generation, "updated_at": now})
    return Write(prefix + SLOTS[generation % 2], _compressed_state(next_state), PRIVATE_GZIP)


def _compressed_state(state: HistoryState) -> bytes:
    """The state as gzip-compressed JSON, the monitors compressed a few hundred at a time: the whole text (25 MB
    at 10,000 monitors) is never held at once. The same document as `model_dump_json`, with the monitors last
    (the schema version stays at the start, where `_version_of` looks)."""
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)  # 31: the gzip container
    head = state.model_dump_json(exclude={"monitors"})
    out = [compressor.compress(head[:-1].encode()), compressor.compress(b',"monitors":{')]
    records = list(state.monitors.items())
    for start in range(0, len(records), _RECORDS_PER_CHUNK):
        chunk = _RECORDS.dump_json(dict(records[start : start + _RECORDS_PER_CHUNK]))[1:-1]
        out.append(compressor.compress((b"," if start else b"") + chunk))
    out += [compressor.compress(b"}}"), compressor.flush()]
    return b"".join(out)


def history_writes(
    prefix: str, loaded: LoadedHistory, state: HistoryState, now: datetime, day_objects: list[DayObject]
) -> HistoryWrites:
    """The objects to write for this run's history: finished days first, then the next generation."""
    return HistoryWrites(days=day_writes(prefix, day_objects), generation=generation_write(prefix, loaded, state, now))


def save_history(
    store: ObjectStore,
    prefix: str,
    loaded: LoadedHistory,
    state: HistoryState,
    now: datetime,
    *,
    day_objects: list[DayObject] | None = None,
) -> tuple[str, int]:
    """Write this run's history in order (day objects, then the generation); returns the generation's key
    and size. A day object that cannot be written stops the run's history there: the live state that would
    forget that day is not written, so the next run settles it again."""
    writes = history_writes(prefix, loaded, state, now, day_objects or [])
    for write in [*writes.days, writes.generation]:
        store.put(write.key, write.body, write.meta)
    return writes.generation.key, len(writes.generation.body)
