"""Which alerts a run sends. Pure: the previous alert state and this run's facts in, the next state and the
notifications out.

One alert when a condition starts, a reminder every `reminder` while it lasts, one "resolved" when it ends:
- a source failing `failures_to_alert` runs in a row (and its recovery);
- a publish that failed (with the reason);
- the effective status being one of `alert_statuses` (outage, degraded), or changing between them;
- backups `warning` or `failed`;
- an override about to expire (once per override), and an override that expired by itself;
- an incident still open: a reminder every `reminder` (it never ends by itself, so no one may forget it);
- incident log entries the run could not read (damaged or tampered state): which, and what is wrong.
Override, incident and maintenance changes are announced by the override function as they happen.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_status.document import PublicIncident, PublishedOverride
from platform_status.observations import SOURCES
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
from platform_status.timeutil import UtcDatetime, format_utc

Kind = Literal["alert", "reminder", "resolved", "info"]
SOURCE_NAMES = {source.key: source.in_alerts for source in SOURCES}


class ConditionState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: UtcDatetime
    last_sent: UtcDatetime
    detail: str


class SeenOverride(BaseModel):
    model_config = ConfigDict(extra="forbid")

    since: UtcDatetime
    until: UtcDatetime
    status: str


class AlertState(BaseModel):
    model_config = ConfigDict(extra="forbid")

    state_schema_version: int = 1
    failures: dict[str, int] = Field(default_factory=dict)  # consecutive failed runs per source
    active: dict[str, ConditionState] = Field(default_factory=dict)
    override_warned: UtcDatetime | None = None  # the `since` of the override whose expiry was announced
    override_seen: SeenOverride | None = None
    incident_reminded: dict[str, UtcDatetime] = Field(default_factory=dict)  # open incident id -> last reminder


@dataclass(frozen=True)
class Notification:
    kind: Kind
    title: str
    body: str


@dataclass(frozen=True)
class AlertRules:
    failures_to_alert: int = 2
    reminder: timedelta = timedelta(hours=6)
    alert_statuses: frozenset[PlatformStatus] = frozenset({PlatformStatus.OUTAGE, PlatformStatus.DEGRADED})
    override_warning: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class RunFacts:
    now: datetime
    publish_error: str | None = None
    # Source name -> (status, reason); empty when the run failed before reading them.
    sources: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    effective_status: PlatformStatus | None = None
    computed_status: PlatformStatus | None = None
    backups: BackupStatus | None = None
    override: PublishedOverride | None = None  # the active one, as published
    open_incidents: list[PublicIncident] = field(default_factory=list)  # the operators' open incidents
    skipped_entries: tuple[str, ...] = ()  # incident log entries the run could not read, and why


def _ongoing(
    state: AlertState, key: str, detail: str | None, facts: RunFacts, rules: AlertRules, *, alert: str, resolved: str
) -> Notification | None:
    """Track one condition: `detail` is None when it does not hold. A new detail is a new alert."""
    now = facts.now
    current = state.active.get(key)
    if detail is None:
        if current is None:
            return None
        del state.active[key]
        return Notification("resolved", resolved.format(detail=current.detail), f"Since {format_utc(current.since)}.")
    if current is None or current.detail != detail:
        state.active[key] = ConditionState(since=now, last_sent=now, detail=detail)
        return Notification("alert", alert.format(detail=detail), f"Since {format_utc(now)}.")
    if now - current.last_sent >= rules.reminder:
        state.active[key] = current.model_copy(update={"last_sent": now})
        return Notification("reminder", alert.format(detail=detail), f"Still so since {format_utc(current.since)}.")
    return None


def evaluate(previous: AlertState, facts: RunFacts, rules: AlertRules) -> tuple[AlertState, list[Notification]]:
    state = previous.model_copy(deep=True)
    sent: list[Notification | None] = []

    sent.append(
        _ongoing(
            state,
            "publish",
            facts.publish_error,
            facts,
            rules,
            alert="Status publishing failed: {detail}",
            resolved="Status publishing works again",
        )
    )
    skipped = facts.skipped_entries
    sent.append(
        _ongoing(
            state,
            "incident-log",
            f"{len(skipped)} skipped ({'; '.join(skipped)[:300]})" if skipped else None,
            facts,
            rules,
            alert="Incident log entries unreadable, left off the page: {detail}",
            resolved="Every incident log entry is read again",
        )
    )
    for name, (status, reason) in facts.sources.items():
        failures = state.failures.get(name, 0) + 1 if status == "unavailable" else 0
        state.failures[name] = failures
        detail = f"{reason or 'unavailable'}" if failures >= rules.failures_to_alert else None
        label = SOURCE_NAMES.get(name, name)
        sent.append(
            _ongoing(
                state,
                f"source:{name}",
                detail,
                facts,
                rules,
                alert=f"{label} unreachable for {rules.failures_to_alert}+ runs: {{detail}}",
                resolved=f"{label} is reachable again",
            )
        )
    if facts.effective_status is not None:
        bad = facts.effective_status.value if facts.effective_status in rules.alert_statuses else None
        sent.append(
            _ongoing(
                state,
                "status",
                bad,
                facts,
                rules,
                alert="Platform status: {detail}",
                resolved=f"Platform status back to {facts.effective_status.value} (was {{detail}})",
            )
        )
    if facts.backups is not None:
        bad_backups = facts.backups.value if facts.backups in (BackupStatus.WARNING, BackupStatus.FAILED) else None
        sent.append(
            _ongoing(
                state,
                "backups",
                bad_backups,
                facts,
                rules,
                alert="Backups {detail}",
                resolved="Backups on schedule again (were {detail})",
            )
        )
    sent += _override_notices(state, facts, rules)
    sent += _incident_reminders(state, facts, rules)
    return state, [notification for notification in sent if notification is not None]


def _incident_reminders(state: AlertState, facts: RunFacts, rules: AlertRules) -> list[Notification | None]:
    """The opening was announced when it happened; here only the reminders, counted from it."""
    reminded: dict[str, datetime] = {}
    notices: list[Notification | None] = []
    for incident in facts.open_incidents:
        last = state.incident_reminded.get(incident.id, incident.started_at)
        if facts.now - last >= rules.reminder:
            last = facts.now
            notices.append(
                Notification(
                    "reminder",
                    f"Incident still open: {incident.title} ({incident.impact}, {incident.stage})",
                    f"Open since {format_utc(incident.started_at)}, last update {format_utc(incident.updated_at)}. "
                    f"Post an update or resolve it: platform-status incident update|resolve {incident.id}",
                )
            )
        reminded[incident.id] = last
    state.incident_reminded = reminded  # closed ones leave
    return notices


def _override_notices(state: AlertState, facts: RunFacts, rules: AlertRules) -> list[Notification | None]:
    notices: list[Notification | None] = []
    override, now = facts.override, facts.now
    seen = state.override_seen
    if seen is not None and (override is None or override.since != seen.since) and seen.until <= now:
        computed = facts.computed_status.value if facts.computed_status else "unknown"
        notices.append(
            Notification(
                "info",
                f"Override expired: the status is {computed} again",
                f"The {seen.status} override set {format_utc(seen.since)} ended at {format_utc(seen.until)}.",
            )
        )
    state.override_seen = (
        SeenOverride(since=override.since, until=override.until, status=override.status.value) if override else None
    )
    if (
        override is not None
        and override.until - now <= rules.override_warning
        and state.override_warned != override.since
    ):
        state.override_warned = override.since
        notices.append(
            Notification(
                "info",
                f"Override ends at {format_utc(override.until)}",
                f"The {override.status.value} override ends soon; extend it with `platform-status override set` "
                "if the incident is not over.",
            )
        )
    return notices
