"""What Uptime Kuma tells us, normalised: the sources produce these, the rules read them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

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


@dataclass(slots=True)
class Beat:
    """One heartbeat, as compact as a Python object gets: there are 100 per monitor and run."""

    state: MonitorState
    at: datetime


class MonitorSnapshot(BaseModel):
    """One monitor as seen this run. Its name may be private: only component names are ever published."""

    model_config = ConfigDict(frozen=True)

    key: str  # "id:4" on Kuma 2.x, "name:<monitor name>" on 1.23 (no monitor_id label there)
    name: str
    # None: absent from /metrics (paused, or not beaten since Kuma started); such a monitor does not count.
    state: MonitorState | None
    uptime_24h: float | None = None  # ratio 0..1; None when Kuma has no up/down beats for it
    uptime_30d: float | None = None
    response_time_ms: float | None = None
    cert_valid: bool | None = None
    cert_days_remaining: float | None = None

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

    title: str
    content: str | None = None
    style: str | None = None


class KumaSnapshot(BaseModel):
    model_config = ConfigDict(frozen=True)

    observed_at: UtcDatetime
    monitors: list[MonitorSnapshot]
    components: list[ComponentSnapshot]
    incidents: list[KumaIncident] = []
    # The recent beats per monitor key, oldest first: merged into the history, never saved with the snapshot.
    beats: SkipValidation[dict[str, list[Beat]]] = Field(default_factory=dict, exclude=True)

    def monitors_of(self, component: ComponentSnapshot) -> list[MonitorSnapshot]:
        by_key = {monitor.key: monitor for monitor in self.monitors}
        return [by_key[key] for key in component.monitor_keys if key in by_key]
