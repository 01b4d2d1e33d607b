"""The public history: 90 daily bars per component and for the platform, and the recent status changes.

`history/index.json` is live (same short cache as status.json); `history/days/<date>.json` is written once a
day is over and never changes (long cache). Only public names appear: component names and "platform".
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from platform_status.history.advance import day_uptime
from platform_status.history.counts import MonitorCounts, day_of
from platform_status.history.state import HistoryState
from platform_status.rules.status import PlatformStatus
from platform_status.timeutil import UtcDatetime

BARS = 90
EVENTS_PUBLISHED = 50
INDEX_KEY = "history/index.json"
DAYS_PREFIX = "history/days/"
IMMUTABLE = "public, max-age=31536000, immutable"
# A day's file waits this long after midnight UTC, so beats that arrive late are in it.
DAY_SETTLES_AFTER = timedelta(hours=1)


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
    scope: str
    previous: PlatformStatus | None
    current: PlatformStatus


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


def _bar(state: HistoryState, scope: str, members: list[MonitorCounts], on: date) -> DayBar:
    mark = state.scope_days.get(scope, {}).get(on)
    uptime = day_uptime(members, on)
    return DayBar(
        date=on,
        uptime=round(100 * uptime, 2) if uptime is not None else None,
        worst=mark.worst if mark else None,
        incidents=mark.incidents if mark else 0,
    )


def _members(state: HistoryState, keys: list[str]) -> list[MonitorCounts]:
    return [state.monitors[key].counts() for key in keys if key in state.monitors]


def _scopes(state: HistoryState) -> list[tuple[str, str, list[MonitorCounts]]]:
    """(public name, scope key, member counts): the platform first, then components in page order."""
    scopes = [("platform", "platform", _members(state, state.counted))]
    scopes += [(name, f"component:{name}", _members(state, keys)) for name, keys in state.components.items()]
    return scopes


def history_index(state: HistoryState, now: datetime) -> HistoryIndex:
    today = day_of(now)
    days = [today - timedelta(days=back) for back in reversed(range(BARS))]
    bars = [
        ScopeBars(name=name, days=[_bar(state, scope, members, on) for on in days])
        for name, scope, members in _scopes(state)
    ]
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
    """Finished days of the last 90 that have no public file yet (and had data)."""
    today = day_of(now)
    settled = now - DAY_SETTLES_AFTER
    done = set(state.published_days)
    candidates = (today - timedelta(days=back) for back in range(1, BARS))
    has_data = {day for marks in state.scope_days.values() for day in marks}
    return sorted(day for day in candidates if day not in done and day in has_data and day_of(settled) > day)


def history_day(state: HistoryState, day: date) -> HistoryDay:
    (_, platform_scope, platform_members), *components = _scopes(state)
    return HistoryDay(
        date=day,
        platform=_bar(state, platform_scope, platform_members, day),
        components={name: _bar(state, scope, members, day) for name, scope, members in components},
    )
