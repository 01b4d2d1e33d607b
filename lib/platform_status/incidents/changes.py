"""What a request does to the incident book: the log entry to append, or why it cannot be. Pure.

The checks that need the stored state live here (the request's own checks are in the model): the components
named must be published ones; an incident resolved, or a maintenance over or cancelled, takes no more
updates (409): open a new one rather than rewrite what customers have read.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from platform_status.incidents.log import Book, LogEntry, new_id
from platform_status.incidents.model import (
    Cancel,
    Incident,
    IncidentUpdate,
    Maintenance,
    MaintenanceUpdate,
    OpenIncident,
    ScheduleMaintenance,
    UpdateIncident,
    UpdateMaintenance,
)

FLOOD_UPDATES = 120  # updates to one incident within FLOOD_WINDOW; the next one is refused (429)
FLOOD_WINDOW = timedelta(hours=1)


@dataclass(frozen=True)
class Who:
    """Who asked, for the log: never published."""

    author: str
    request_id: str
    caller: str


class Refused(Exception):
    """A request the stored state refuses: `status` is the HTTP status, `field` the field at fault,
    `retry_after` the seconds after which the same request may pass (429)."""

    def __init__(self, status: int, message: str, field: str = "", retry_after: int | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.field, self.retry_after = status, message, field, retry_after


def unique_components(names: list[str], known: list[str]) -> list[str]:
    """The named components once each, in the order given; Refused (422) naming the unknown ones."""
    unknown = sorted({name for name in names if name not in known})
    if unknown:
        listed = ", ".join(known) if known else "none yet: run status/publish first, or name no component"
        raise Refused(422, f"unknown component(s): {', '.join(unknown)}; known: {listed}", "components")
    return list(dict.fromkeys(names))


def _entry(kind: str, who: Who, target: str, now: datetime, **record: object) -> LogEntry:
    return LogEntry.model_validate(
        {"at": now, "kind": kind, "author": who.author, "request_id": who.request_id, "caller": who.caller}
        | {"target": target}
        | record
    )


@contextmanager
def _rule_refused() -> Iterator[None]:
    """A rule that needs the clock raises ValueError("field: problem"): refused with 422, naming the field."""
    try:
        yield
    except ValueError as error:
        where, _, problem = str(error).partition(": ")
        raise Refused(422, problem, where) from None


def open_incident(request: OpenIncident, known: list[str], who: Who, now: datetime) -> LogEntry:
    with _rule_refused():
        expires_at = request.expiry(now)
    incident = Incident(
        id=new_id(),
        title=request.title,
        impact=request.impact,
        components=unique_components(request.components, known),
        updates=[IncidentUpdate(id=new_id(), stage=request.stage, message=request.message, at=now, author=who.author)],
        created_at=now,
        expires_at=expires_at,
    )
    return _entry("incident_opened", who, incident.id, now, incident=incident)


def find_incident(book: Book, incident_id: str) -> Incident:
    incident = book.incidents.get(incident_id)
    if incident is None:
        raise Refused(404, f"no incident {incident_id}")
    return incident


def update_incident(book: Book, incident_id: str, request: UpdateIncident, who: Who, now: datetime) -> LogEntry:
    incident = find_incident(book, incident_id)
    if not incident.open(now):
        raise Refused(409, f"incident {incident_id} is closed; open a new one")
    if request.stage != "resolved":  # closing is always possible, flood or not
        _not_flooded(incident, now)
    update = IncidentUpdate(id=new_id(), stage=request.stage, message=request.message, at=now, author=who.author)
    return _entry("incident_updated", who, incident_id, now, update=update)


def _not_flooded(incident: Incident, now: datetime) -> None:
    """A script gone wrong, or a hostile token holder, must not grow one timeline without end: every update
    is in the state, the feed and the incident's files. 429 once the last hour holds FLOOD_UPDATES."""
    recent = sorted(update.at for update in incident.updates if update.at > now - FLOOD_WINDOW)
    if len(recent) >= FLOOD_UPDATES:
        wait = int((recent[-FLOOD_UPDATES] + FLOOD_WINDOW - now).total_seconds()) + 1
        message = f"incident {incident.id} had {len(recent)} updates in the last hour; at most {FLOOD_UPDATES}"
        raise Refused(429, message, retry_after=max(1, wait))


def schedule_maintenance(request: ScheduleMaintenance, known: list[str], who: Who, now: datetime) -> LogEntry:
    with _rule_refused():
        request.check_window(now)
    maintenance = Maintenance(
        id=new_id(),
        title=request.title,
        message=request.message,
        components=unique_components(request.components, known),
        starts_at=request.starts_at,
        ends_at=request.ends_at,
        created_at=now,
    )
    return _entry("maintenance_scheduled", who, maintenance.id, now, maintenance=maintenance)


def find_maintenance(book: Book, maintenance_id: str) -> Maintenance:
    maintenance = book.maintenances.get(maintenance_id)
    if maintenance is None:
        raise Refused(404, f"no maintenance {maintenance_id}")
    return maintenance


def _still_on(maintenance: Maintenance, now: datetime) -> None:
    phase = maintenance.phase(now)
    if phase in ("completed", "cancelled"):
        raise Refused(409, f"maintenance {maintenance.id} is {phase}; schedule a new one")


def update_maintenance(
    book: Book, maintenance_id: str, request: UpdateMaintenance, who: Who, now: datetime
) -> LogEntry:
    maintenance = find_maintenance(book, maintenance_id)
    _still_on(maintenance, now)
    update = MaintenanceUpdate(id=new_id(), message=request.message, at=now, author=who.author)
    return _entry("maintenance_updated", who, maintenance_id, now, maintenance_update=update)


def cancel_maintenance(book: Book, maintenance_id: str, request: Cancel, who: Who, now: datetime) -> LogEntry:
    maintenance = find_maintenance(book, maintenance_id)
    _still_on(maintenance, now)
    # The reason travels as the entry's update, so entries written before reasons existed still read.
    reason = MaintenanceUpdate(id=new_id(), message=request.message, at=now, author=who.author)
    return _entry("maintenance_cancelled", who, maintenance_id, now, maintenance_update=reason)
