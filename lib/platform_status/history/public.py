"""The public history: 90 daily bars per component and for the platform, and the recent status changes.

`history/index.json` is live (same short cache as status.json); `history/days/<date>.json` is written once a
day is over and never changes (long cache). Only public names appear: component names and "platform".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_status.history.advance import PLATFORM, component_scope
from platform_status.history.counts import day_of
from platform_status.history.state import HistoryState
from platform_status.rules.status import PlatformStatus
from platform_status.timeutil import UtcDatetime

BARS = 90
EVENTS_PUBLISHED = 50
INDEX_KEY = "history/index.json"
DAYS_PREFIX = "history/days/"
IMMUTABLE = "public, max-age=31536000, immutable"


class _Public(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DayBar(_Public):
    date: date
    uptime: float | None = Field(description="Percent; null when there was no data that day (a gap).")
    worst: PlatformStatus | None = Field(description="The worst status shown that day; null without data.")
    incidents: int = Field(description="How many times the status turned degraded or outage that day.")


class ScopeBars(_Public):
    name: str
    days: list[DayBar]


class PublicEvent(_Public):
    at: UtcDatetime
    scope: str = Field(description='"platform", or a component\'s name: `kind` tells them apart.')
    kind: Literal["platform", "component"] | None = Field(
        default=None, description="What `scope` names; absent in documents written before it existed."
    )
    previous: PlatformStatus | None
    current: PlatformStatus

    @property
    def is_platform(self) -> bool:
        return self.kind == "platform" if self.kind is not None else self.scope == "platform"


class HistoryIndex(_Public):
    schema_version: int = 1
    updated_at: UtcDatetime
    platform: ScopeBars
    components: list[ScopeBars]
    events: list[PublicEvent] = Field(description="The most recent status changes, newest first.")
    day_files: list[str] = Field(description="Keys of the immutable per-day files, oldest first.")


class HistoryDay(_Public):
    date: date
    platform: DayBar
    components: dict[str, DayBar]


def _percent(ratio: float | None) -> float | None:
    return round(100 * ratio, 2) if ratio is not None else None


def _bar(state: HistoryState, scope: str, on: date) -> DayBar:
    """A finished day from its settled bar, an open one from its marks (kept up to date each run)."""
    settled = state.scope_bars.get(scope, {}).get(on)
    if settled is not None:
        return DayBar(date=on, uptime=_percent(settled.uptime), worst=settled.worst, incidents=settled.incidents)
    mark = state.scope_days.get(scope, {}).get(on)
    if mark is None:
        return DayBar(date=on, uptime=None, worst=None, incidents=0)
    return DayBar(date=on, uptime=_percent(mark.uptime), worst=mark.worst, incidents=mark.incidents)


def _scopes(state: HistoryState) -> list[tuple[str, str]]:
    """(public name, scope key): the platform first, then the components in page order."""
    return [(PLATFORM, PLATFORM), *((name, component_scope(name)) for name in state.components)]


def history_index(state: HistoryState, now: datetime) -> HistoryIndex:
    today = day_of(now)
    days = [today - timedelta(days=back) for back in reversed(range(BARS))]
    bars = [ScopeBars(name=name, days=[_bar(state, scope, on) for on in days]) for name, scope in _scopes(state)]
    events = [PublicEvent(**event.model_dump()) for event in reversed(state.events[-EVENTS_PUBLISHED:])]
    return HistoryIndex(
        updated_at=now,
        platform=bars[0],
        components=bars[1:],
        events=events,
        day_files=[day_key(day) for day in sorted(state.published_days) if day >= days[0]],
    )


def day_key(day: date) -> str:
    return f"{DAYS_PREFIX}{day.isoformat()}.json"


def days_to_publish(state: HistoryState, now: datetime) -> list[date]:
    """Finished days of the last 90 that have no public file yet."""
    oldest = day_of(now) - timedelta(days=BARS - 1)
    done = set(state.published_days)
    return sorted(day for day in state.settled_days if day >= oldest and day not in done)


def history_day(state: HistoryState, day: date) -> HistoryDay:
    (_, platform_scope), *components = _scopes(state)
    return HistoryDay(
        date=day,
        platform=_bar(state, platform_scope, day),
        components={name: _bar(state, scope, day) for name, scope in components},
    )
