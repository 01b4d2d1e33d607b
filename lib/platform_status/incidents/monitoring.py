"""What Uptime Kuma's own status page announces, in the public shapes: its pinned incidents and its
maintenance windows, marked `source: monitoring`. Pure.

Kuma's incident has a colour, not an impact or a list of components, so it is published as a notice
(`impact: none`): it never changes a status by itself; the monitors already tell what Kuma sees. Its
maintenance list holds the windows under way; the components it covers are the ones with a monitor Kuma
reports in maintenance (Kuma links windows to monitors, not to status page groups).
"""

from __future__ import annotations

from datetime import datetime

from platform_status.document import PublicIncident, PublicMaintenance, PublicUpdate
from platform_status.monitors import KumaSnapshot, MonitorState

KUMA_PHASES = {"under-maintenance": "in_progress", "scheduled": "scheduled"}  # "ended", "inactive": not shown


def monitoring_incidents(kuma: KumaSnapshot | None, now: datetime) -> list[PublicIncident]:
    if kuma is None:
        return []
    incidents = []
    for number, incident in enumerate(kuma.incidents):
        started = incident.created_at or now
        updated = incident.updated_at or started
        incidents.append(
            PublicIncident(
                id=f"kuma-{incident.id if incident.id is not None else number + 1}",
                title=incident.title or "Notice",
                impact="none",
                components=[],
                stage="investigating",
                started_at=started,
                updated_at=updated,
                updates=[PublicUpdate(stage="investigating", message=incident.content or "", at=updated)],
                source="monitoring",
            )
        )
    return incidents


def monitoring_maintenances(kuma: KumaSnapshot | None) -> list[PublicMaintenance]:
    if kuma is None:
        return []
    under = [
        component.name
        for component in kuma.components
        if any(monitor.state is MonitorState.MAINTENANCE for monitor in kuma.monitors_of(component))
    ]
    maintenances = []
    for number, maintenance in enumerate(kuma.maintenances):
        phase = KUMA_PHASES.get(maintenance.status, "in_progress" if not maintenance.status else None)
        if phase is None:
            continue
        maintenances.append(
            PublicMaintenance(
                id=f"kuma-{maintenance.id if maintenance.id is not None else number + 1}",
                title=maintenance.title or "Maintenance",
                message=maintenance.description,
                components=under if phase == "in_progress" else [],
                status="in_progress" if phase == "in_progress" else "scheduled",
                starts_at=maintenance.starts_at,
                ends_at=maintenance.ends_at,
                updates=[],  # Kuma keeps no timeline of a window
                source="monitoring",
            )
        )
    return maintenances
