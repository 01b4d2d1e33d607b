"""No false alarms, no false green: the status memory between runs. Pure.

- A flapping monitor (several state changes inside a window) counts as degraded, not as down one run and up
  the next (the counting is in rules/status.py; the detection in counts.py's `changes`).
- Recovery to operational needs `recovery_runs` healthy runs in a row. No delay is added on the way down:
  Kuma already retries before it reports DOWN.
- When Kuma is unavailable, the last known status is held for `hold_for`, marked as held, then is unknown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict

from platform_status.rules.status import PlatformStatus
from platform_status.timeutil import UtcDatetime

UNHEALTHY = (PlatformStatus.DEGRADED, PlatformStatus.OUTAGE)


class ScopeMemory(BaseModel):
    """What the last run published for one scope (the platform, or a component)."""

    model_config = ConfigDict(frozen=True)

    status: PlatformStatus
    since: UtcDatetime  # status_changed_at
    healthy_runs: int = 0  # live "operational" results in a row
    last_live_at: UtcDatetime | None = None  # the last run that had live data for this scope


ScopeKind = Literal["platform", "component"]


class StatusEvent(BaseModel):
    model_config = ConfigDict(frozen=True)

    at: UtcDatetime
    scope: str  # "platform" or a component's public name: `kind` says which (a component may be "platform")
    kind: ScopeKind = "component"
    previous: PlatformStatus | None
    current: PlatformStatus


@dataclass(frozen=True)
class StabilityRules:
    recovery_runs: int = 2
    hold_for: timedelta = timedelta(minutes=30)


@dataclass(frozen=True)
class Stabilised:
    status: PlatformStatus
    memory: ScopeMemory
    held_from: datetime | None  # the status is the last known one, from this time (Kuma unavailable)
    event: StatusEvent | None


def stabilise(
    scope: str,
    memory: ScopeMemory | None,
    live: PlatformStatus | None,
    now: datetime,
    rules: StabilityRules,
    *,
    kind: ScopeKind = "component",
) -> Stabilised:
    """The status to publish for a scope, given what the sources say now (None: Kuma unavailable)."""
    previous = memory.status if memory else None
    held_from: datetime | None = None
    if live is None:
        last_live = memory.last_live_at if memory else None
        if memory and last_live and now - last_live <= rules.hold_for and previous is not PlatformStatus.UNKNOWN:
            status, held_from = memory.status, last_live
        else:
            status = PlatformStatus.UNKNOWN
        healthy_runs = memory.healthy_runs if memory else 0
    else:
        healthy_runs = (memory.healthy_runs if memory else 0) + 1 if live is PlatformStatus.OPERATIONAL else 0
        recovering = previous in UNHEALTHY and live is PlatformStatus.OPERATIONAL
        status = previous if recovering and previous and healthy_runs < rules.recovery_runs else live
        last_live = now

    changed = previous is not status
    new_memory = ScopeMemory(
        status=status,
        since=now if changed or memory is None else memory.since,
        healthy_runs=healthy_runs,
        last_live_at=last_live,
    )
    event = StatusEvent(at=now, scope=scope, kind=kind, previous=previous, current=status) if changed else None
    return Stabilised(status=status, memory=new_memory, held_from=held_from, event=event)
