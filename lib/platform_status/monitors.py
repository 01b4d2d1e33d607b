"""What Uptime Kuma tells us, normalised: the sources produce these, the rules read them."""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Literal, overload

from pydantic import BaseModel, ConfigDict, Field, SkipValidation

from platform_status.timeutil import UtcDatetime


class MonitorState(StrEnum):
    """Kuma's monitor_status values (1 UP, 0 DOWN, 2 PENDING, 3 MAINTENANCE)."""

    UP = "up"
    DOWN = "down"
    PENDING = "pending"
    MAINTENANCE = "maintenance"


KUMA_STATE_CODES: dict[int, MonitorState] = {
    0: MonitorState.DOWN,
    1: MonitorState.UP,
    2: MonitorState.PENDING,
    3: MonitorState.MAINTENANCE,
}
STATE_CODE: dict[MonitorState, int] = {state: code for code, state in KUMA_STATE_CODES.items()}

# How Kuma computes uptime: 2.x counts beats (PENDING as down, MAINTENANCE as neither); 1.23 weighs each beat
# by the seconds since the one before it and counts MAINTENANCE as up (Kuma's own NOTES in tests/fixtures).
UptimeFormula = Literal["beats", "time"]


@dataclass(slots=True, frozen=True)
class Beat:
    state: MonitorState
    at: datetime


class BeatSeries(Sequence[Beat]):
    """One monitor's recent beats, oldest first, held as two arrays (epoch milliseconds and Kuma's status
    codes) rather than an object per beat: the heartbeat API sends 100 beats per monitor and run."""

    __slots__ = ("codes", "times_ms")

    def __init__(self, times_ms: array[int] | None = None, codes: bytearray | None = None) -> None:
        self.times_ms: array[int] = times_ms if times_ms is not None else array("q")
        self.codes: bytearray = codes if codes is not None else bytearray()

    def append(self, time_ms: int, code: int) -> None:
        self.times_ms.append(time_ms)
        self.codes.append(code)

    def __len__(self) -> int:
        return len(self.times_ms)

    @overload
    def __getitem__(self, index: int) -> Beat: ...
    @overload
    def __getitem__(self, index: slice) -> list[Beat]: ...
    def __getitem__(self, index: int | slice) -> Beat | list[Beat]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        return Beat(KUMA_STATE_CODES[self.codes[index]], datetime.fromtimestamp(self.times_ms[index] / 1000, UTC))

    def __iter__(self) -> Iterator[Beat]:
        return (self[index] for index in range(len(self)))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, BeatSeries):
            return self.times_ms == other.times_ms and self.codes == other.codes
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by content

    def sorted(self) -> BeatSeries:
        if all(self.times_ms[i] <= self.times_ms[i + 1] for i in range(len(self) - 1)):
            return self
        order = sorted(range(len(self)), key=self.times_ms.__getitem__)
        return BeatSeries(array("q", (self.times_ms[i] for i in order)), bytearray(self.codes[i] for i in order))

    @classmethod
    def of(cls, beats: Sequence[Beat]) -> BeatSeries:
        series = cls()
        for beat in beats:
            series.append(int(beat.at.timestamp() * 1000), STATE_CODE[beat.state])
        return series


class MonitorSnapshot(BaseModel):
    """One monitor as seen this run. Its name may be private: only component names are ever published."""

    model_config = ConfigDict(frozen=True)

    key: str  # "id:4" whenever Kuma gives an id; "name:<monitor name>" on 1.23 without a status page
    name: str
    # None: not counted (paused, or absent from /metrics without being a monitor that is coming back).
    state: MonitorState | None
    uptime_24h: float | None = None  # ratio 0..1; None when Kuma has no up/down beats for it
    uptime_30d: float | None = None
    response_time_ms: float | None = None
    cert_valid: bool | None = None
    cert_days_remaining: float | None = None
    # False: the status page lists it but /metrics does not (yet): Kuma just restarted, or it is paused.
    reported: bool = True
    raw_uptime_24h: float | None = None  # Kuma's 24 h figure as given, before "no data" is told apart
    last_beat_state: MonitorState | None = None  # from the heartbeat API, which reads Kuma's database
    last_beat_at: UtcDatetime | None = None

    @property
    def counted(self) -> bool:
        return self.state is not None


class ComponentSnapshot(BaseModel):
    """A public group of the Kuma status page: the name the operator chose to make public."""

    model_config = ConfigDict(frozen=True)

    name: str
    monitor_keys: list[str]


class KumaIncident(BaseModel):
    """A pinned incident of the Kuma status page (1.23 has at most one, 2.x a list)."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    title: str
    content: str | None = None
    style: str | None = None  # Kuma's colour: info, warning, danger, primary, light, dark
    created_at: UtcDatetime | None = None
    updated_at: UtcDatetime | None = None


class KumaMaintenance(BaseModel):
    """A maintenance window the Kuma status page lists: Kuma lists those under way."""

    model_config = ConfigDict(frozen=True)

    id: int | None = None
    title: str
    description: str = ""
    status: str = ""  # "under-maintenance", "scheduled", "ended", "inactive"
    starts_at: UtcDatetime | None = None  # the window under way, else the next one; None: a manual window
    ends_at: UtcDatetime | None = None


class KumaSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)  # BeatSeries: never serialised

    observed_at: UtcDatetime
    monitors: list[MonitorSnapshot]
    components: list[ComponentSnapshot]
    incidents: list[KumaIncident] = []
    maintenances: list[KumaMaintenance] = []
    version: str | None = None  # "2.5.3", "1.23.17": from app_version in /metrics
    started_at: UtcDatetime | None = None  # when the Kuma process started (a restart resets /metrics)
    # What was left out of this run's data, by reason (never silently): {"beat in the future": 2}.
    ignored: dict[str, int] = Field(default_factory=dict)
    # The recent beats per monitor key: merged into the history, never saved with the snapshot.
    beats: SkipValidation[dict[str, BeatSeries]] = Field(default_factory=dict, exclude=True)

    @property
    def formula(self) -> UptimeFormula:
        return "time" if self.version is not None and self.version.startswith("1.") else "beats"

    def monitors_of(self, component: ComponentSnapshot) -> list[MonitorSnapshot]:
        by_key = {monitor.key: monitor for monitor in self.monitors}
        return [by_key[key] for key in component.monitor_keys if key in by_key]
