"""What the public sees of incidents and maintenance: their timelines without authors, and the record of
past ones (`history/incidents.json`). Pure.

Authors stay private (state and log only). A maintenance's timeline gains the steps that happen by the clock
(started, completed) at the times they happen, so a reader sees them without anyone having written them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field

from platform_status.document import PublicIncident, PublicMaintenance, PublicUpdate
from platform_status.incidents.log import Book
from platform_status.incidents.model import Incident, Maintenance
from platform_status.timeutil import UtcDatetime

PAST_INCIDENTS_KEY = "history/incidents.json"
SHOWN_ON_PAGE = timedelta(days=90)
STARTED = "The maintenance has started."
COMPLETED = "The maintenance is complete."
CANCELLED = "The maintenance was cancelled."
EXPIRED = "This incident closed at the end of the time it was announced for."


def public_incident(incident: Incident, now: datetime) -> PublicIncident:
    updates = [PublicUpdate(stage=u.stage, message=u.message, at=u.at) for u in incident.updates]
    ended = incident.ended_at(now)
    if incident.resolved_at is None and ended is not None:
        updates.append(PublicUpdate(stage="resolved", message=EXPIRED, at=ended))
    return PublicIncident(
        id=incident.id,
        title=incident.title,
        impact=incident.impact,
        components=incident.components,
        stage="resolved" if ended is not None else incident.stage,
        started_at=incident.created_at,
        updated_at=updates[-1].at if updates else incident.created_at,
        resolved_at=ended,
        updates=_newest_first(updates),
        source="operator",
    )


def _newest_first(updates: list[PublicUpdate]) -> list[PublicUpdate]:
    """By time, newest first; at the same second (times are published to the second) the later-made first."""
    return sorted(updates, key=lambda update: update.at)[::-1]


def public_maintenance(maintenance: Maintenance, now: datetime) -> PublicMaintenance:
    phase = maintenance.phase(now)
    updates = [PublicUpdate(stage="scheduled", message=maintenance.message, at=maintenance.created_at)]
    updates += [
        PublicUpdate(stage="in_progress" if u.at >= maintenance.starts_at else "scheduled", message=u.message, at=u.at)
        for u in maintenance.updates
    ]
    if maintenance.cancelled_at is not None:
        reason = maintenance.cancel_reason
        message = f"{CANCELLED} {reason}" if reason else CANCELLED
        updates.append(PublicUpdate(stage="cancelled", message=message, at=maintenance.cancelled_at))
    if now >= maintenance.starts_at and (
        maintenance.cancelled_at is None or maintenance.cancelled_at > maintenance.starts_at
    ):
        updates.append(PublicUpdate(stage="in_progress", message=STARTED, at=maintenance.starts_at))
    if phase == "completed":
        updates.append(PublicUpdate(stage="completed", message=COMPLETED, at=maintenance.ends_at))
    return PublicMaintenance(
        id=maintenance.id,
        title=maintenance.title,
        message=maintenance.message,
        components=maintenance.components,
        status=phase,
        starts_at=maintenance.starts_at,
        ends_at=maintenance.ends_at,
        updates=_newest_first(updates),
        source="operator",
    )


class PastIncidents(BaseModel):
    """history/incidents.json: incidents and maintenance that are over, newest first, kept 400 days."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = 1
    updated_at: UtcDatetime = Field(
        description="When the list last changed: its newest update; while it is empty, the start of the UTC day."
    )
    incidents: list[PublicIncident] = Field(description="Resolved (or expired) incidents, newest first.")
    maintenances: list[PublicMaintenance] = Field(description="Completed or cancelled maintenance, newest first.")


@dataclass(frozen=True)
class Timeline:
    """Every incident and maintenance the operators ran (the book's 400 days), public, newest first: the
    page, the feed and the Statuspage files list open and past ones alike."""

    incidents: list[PublicIncident]
    maintenances: list[PublicMaintenance]

    def past(self, now: datetime) -> PastIncidents:
        """Dated by its newest update, not by the run: a run that changed nothing leaves the same bytes, and the
        file is not written again (run/outputs.py)."""
        incidents = [incident for incident in self.incidents if incident.resolved_at is not None]
        maintenances = [m for m in self.maintenances if m.status in ("completed", "cancelled")]
        updates = [*(u for i in incidents for u in i.updates), *(u for m in maintenances for u in m.updates)]
        newest = max((update.at for update in updates), default=None)
        today = now.replace(hour=0, minute=0, second=0, microsecond=0)
        return PastIncidents(updated_at=newest or today, incidents=incidents, maintenances=maintenances)


def timeline(book: Book, now: datetime) -> Timeline:
    incidents = sorted((public_incident(i, now) for i in book.incidents.values()), key=lambda i: i.started_at)
    maintenances = sorted(
        (public_maintenance(m, now) for m in book.maintenances.values()), key=lambda m: m.starts_at or now
    )
    return Timeline(incidents[::-1], maintenances[::-1])
