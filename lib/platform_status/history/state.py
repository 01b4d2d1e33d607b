"""The private history object, kept in two generations so a crash mid-write can never truncate it.

Layout under `<state prefix>history/`: `slot-0.json` and `slot-1.json` hold whole generations; `current.json`
points at the newest. A run writes the slot the pointer does not name, completely, and only then moves the
pointer: a reader always finds a whole generation, and the previous one stays as it was.

A read that fails for any reason other than "no such object", or finds something that does not validate, or
a newer schema version, means this run writes no history at all and says why.
"""

from __future__ import annotations

import base64
import json
import sys
from array import array
from dataclasses import dataclass
from datetime import date, datetime

from pydantic import Base64Bytes, BaseModel, ConfigDict, Field, ValidationError

from platform_status.history.counts import MonitorCounts
from platform_status.history.stability import ScopeMemory, StatusEvent
from platform_status.monitors import MonitorState
from platform_status.rules.status import PlatformStatus
from platform_status.store import ObjectMeta, ObjectStore, StoreError
from platform_status.timeutil import UtcDatetime

HISTORY_SCHEMA_VERSION = 1
POINTER = "history/current.json"
SLOTS = ("history/slot-0.json", "history/slot-1.json")
PRIVATE_JSON = ObjectMeta("application/json; charset=utf-8", "no-store", public=False)


class MonitorRecord(BaseModel):
    """MonitorCounts as stored: the buckets as base64 of little-endian bytes."""

    model_config = ConfigDict(extra="forbid")

    last_beat: int | None
    minute_start: int
    minutes: Base64Bytes
    first_day: date
    days: Base64Bytes
    changes: list[int]
    last_state: MonitorState | None

    @classmethod
    def of(cls, counts: MonitorCounts) -> MonitorRecord:
        days = array("I", counts.days)
        if sys.byteorder != "little":
            days.byteswap()
        return cls(
            last_beat=counts.last_beat,
            minute_start=counts.minute_start,
            # Base64Bytes decodes what it is given: hand it base64, as a JSON document would.
            minutes=base64.b64encode(counts.minutes),
            first_day=date.fromordinal(counts.first_day) if counts.first_day else date(1970, 1, 1),
            days=base64.b64encode(days.tobytes()),
            changes=counts.changes,
            last_state=counts.last_state,
        )

    def counts(self) -> MonitorCounts:
        days = array("I")
        days.frombytes(self.days)
        if sys.byteorder != "little":
            days.byteswap()
        return MonitorCounts(
            last_beat=self.last_beat,
            minute_start=self.minute_start,
            minutes=bytearray(self.minutes),
            first_day=self.first_day.toordinal(),
            days=days,
            changes=list(self.changes),
            last_state=self.last_state,
        )


class DayMark(BaseModel):
    """The worst status a scope showed during a UTC day, and how many times it turned degraded or worse."""

    model_config = ConfigDict(extra="forbid")

    worst: PlatformStatus
    incidents: int = 0


class HistoryState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state_schema_version: int = HISTORY_SCHEMA_VERSION
    generation: int = 0
    updated_at: UtcDatetime | None = None
    monitors: dict[str, MonitorRecord] = Field(default_factory=dict)
    scopes: dict[str, ScopeMemory] = Field(default_factory=dict)
    scope_days: dict[str, dict[date, DayMark]] = Field(default_factory=dict)
    events: list[StatusEvent] = Field(default_factory=list)
    # From the last run that reached Kuma: which monitors counted, and each component's, in page order.
    counted: list[str] = Field(default_factory=list)
    components: dict[str, list[str]] = Field(default_factory=dict)
    published_days: list[date] = Field(default_factory=list)  # public per-day files already written


class Pointer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    generation: int
    slot: str


@dataclass(frozen=True)
class LoadedHistory:
    state: HistoryState
    pointer: Pointer | None
    note: str | None = None  # e.g. "newest generation unreadable, previous one used"


class HistoryUnavailable(Exception):
    """History could not be read safely: this run must not write any."""


def _parse_state(body: bytes, key: str) -> HistoryState:
    try:
        version = json.loads(body).get("state_schema_version")
    except (ValueError, AttributeError):
        raise HistoryUnavailable(f"{key} is not JSON") from None
    if not isinstance(version, int) or version > HISTORY_SCHEMA_VERSION:
        raise HistoryUnavailable(f"{key} has schema version {version!r}, not one this code knows; left as it is")
    try:
        return HistoryState.model_validate_json(body)
    except ValidationError as error:
        raise HistoryUnavailable(f"{key} does not validate ({error.error_count()} errors); left as it is") from None


def _read(store: ObjectStore, key: str) -> bytes | None:
    try:
        return store.get(key)
    except StoreError as error:
        raise HistoryUnavailable(str(error)) from None


def load_history(store: ObjectStore, prefix: str) -> LoadedHistory:
    pointer_body = _read(store, prefix + POINTER)
    if pointer_body is None:
        return LoadedHistory(HistoryState(), None)  # the first run
    try:
        pointer = Pointer.model_validate_json(pointer_body)
    except ValidationError:
        raise HistoryUnavailable(f"{POINTER} does not validate; left as it is") from None
    if pointer.slot not in SLOTS:
        raise HistoryUnavailable(f"{POINTER} names an unknown slot; left as it is")

    newest = _read(store, prefix + pointer.slot)
    try:
        if newest is None:
            raise HistoryUnavailable(f"{pointer.slot} is missing")
        return LoadedHistory(_parse_state(newest, pointer.slot), pointer)
    except HistoryUnavailable as problem:
        if "schema version" in str(problem):
            raise  # a newer writer exists: never fall back and overwrite its data
        other = SLOTS[1 - SLOTS.index(pointer.slot)]
        previous = _read(store, prefix + other)
        if previous is None:
            raise
        state = _parse_state(previous, other)
        return LoadedHistory(state, pointer, note=f"{problem}; the previous generation was used")


def save_history(
    store: ObjectStore, prefix: str, loaded: LoadedHistory, state: HistoryState, now: datetime
) -> tuple[str, int]:
    """Write the next generation into the slot the pointer does not name, then move the pointer."""
    generation = (loaded.pointer.generation if loaded.pointer else 0) + 1
    slot = SLOTS[generation % 2]
    body = state.model_copy(update={"generation": generation, "updated_at": now}).model_dump_json().encode()
    store.put(prefix + slot, body, PRIVATE_JSON)
    # Another run may have moved on meanwhile: never move the pointer backwards.
    current = _read(store, prefix + POINTER)
    if current is not None:
        try:
            if Pointer.model_validate_json(current).generation >= generation:
                return prefix + slot, len(body)
        except ValidationError:
            pass
    store.put(prefix + POINTER, Pointer(generation=generation, slot=slot).model_dump_json().encode(), PRIVATE_JSON)
    return prefix + slot, len(body)
