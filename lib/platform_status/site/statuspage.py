"""The Statuspage API files (`api/v2/...`) in Statuspage's own shapes, so existing clients and embeds read this
page: status, summary, incidents, unresolved incidents, and scheduled maintenances (all, upcoming, active).

Statuspage's words: an incident's impact is none, minor or major (degraded is minor, outage major); a
maintenance's impact is `maintenance`, its status scheduled, in_progress or completed (a cancelled one is
completed, its last update saying so). A component is `partial_outage` when the checks see part of it fail,
`degraded_performance` when it is degraded by an announcement while the checks see it up, `major_outage` in
an outage. An active override is also shown as an unresolved incident (a maintenance when it says
maintenance), as before incidents existed.

`page.updated_at`: in status.json and summary.json, this run's time (they answer "what is it now", and say
when that was confirmed); in the incident and maintenance lists, when that list last changed (its newest
update, else the last status change), so a list that did not change keeps its bytes and is not written again.
A component's times are when its status last changed: Statuspage's creation time is unknown here. An event
with no times of its own (Uptime Kuma's maintenance windows have none) is dated by the last status change.
"""

from __future__ import annotations

import hashlib
from typing import Any

from platform_status.document import Component, PublicIncident, PublicMaintenance, PublicUpdate, StatusDocument
from platform_status.incidents.public import Timeline
from platform_status.rules.status import PlatformStatus
from platform_status.timeutil import format_utc

LISTED = 50  # Statuspage lists the 50 most recent
INDICATOR = {
    PlatformStatus.OPERATIONAL: ("none", "All Systems Operational"),
    PlatformStatus.DEGRADED: ("minor", "Partially Degraded Service"),
    PlatformStatus.OUTAGE: ("major", "Major Service Outage"),
    PlatformStatus.MAINTENANCE: ("none", "Service Under Maintenance"),
    # Statuspage has no "unknown": never claim green without data.
    PlatformStatus.UNKNOWN: ("minor", "Status Unknown"),
}
IMPACT = {"none": "none", "degraded": "minor", "outage": "major"}
FAILING = (PlatformStatus.DEGRADED, PlatformStatus.OUTAGE)


def stable_id(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:12]


def component_status(component: Component) -> str:
    status = component.status
    if status == PlatformStatus.OUTAGE:
        return "major_outage"
    if status == PlatformStatus.MAINTENANCE:
        return "under_maintenance"
    if status == PlatformStatus.OPERATIONAL:
        return "operational"
    if status == PlatformStatus.DEGRADED and (component.computed_status or status) in FAILING:
        return "partial_outage"
    return "degraded_performance"  # degraded by an announcement only, or unknown: never "operational"


class _Shapes:
    """Builds Statuspage objects for one page and one document (its components, its time)."""

    def __init__(self, document: StatusDocument, name: str, url: str) -> None:
        self.document, self.url = document, url
        self.page = {
            "id": stable_id("page", name),
            "name": name,
            "url": url,
            "time_zone": "Etc/UTC",
            "updated_at": format_utc(document.updated_at),
        }
        self.components = [self._component(c, position) for position, c in enumerate(document.components, start=1)]
        self.by_name = {c["name"]: c for c in self.components}

    def _component(self, component: Component, position: int) -> dict[str, Any]:
        return {
            "id": stable_id("component", component.name),
            "name": component.name,
            "status": component_status(component),
            "created_at": format_utc(component.status_changed_at or self.document.updated_at),
            "updated_at": format_utc(component.status_changed_at or self.document.updated_at),
            "position": position,
            "description": None,
            "showcase": True,
            "start_date": None,
            "group_id": None,
            "page_id": stable_id("page", self.page["name"]),
            "group": False,
            "only_show_if_degraded": False,
        }

    def _affected(self, names: list[str]) -> list[dict[str, Any]]:
        return [self.by_name[n] for n in names if n in self.by_name] if names else list(self.components)

    def _update(self, event_id: str, update: PublicUpdate, status: str, names: list[str]) -> dict[str, Any]:
        at = format_utc(update.at)
        return {
            "id": stable_id("update", event_id, update.at.isoformat(), update.stage),
            "status": status,
            "body": update.message,
            "incident_id": event_id,
            "created_at": at,
            "updated_at": at,
            "display_at": at,
            "affected_components": [
                {"code": c["id"], "name": c["name"], "old_status": c["status"], "new_status": c["status"]}
                for c in self._affected(names)
            ]
            or None,
            "deliver_notifications": True,
            "custom_tweet": None,
            "tweet_id": None,
        }

    def _event(self, event_id: str, title: str, names: list[str], updates: list[dict[str, Any]]) -> dict[str, Any]:
        undated = self.document.status_changed_at or self.document.updated_at
        created = updates[-1]["created_at"] if updates else format_utc(undated)
        return {
            "id": event_id,
            "name": title,
            "created_at": created,
            "updated_at": updates[0]["updated_at"] if updates else created,
            "monitoring_at": None,
            "resolved_at": None,
            "shortlink": self.url,
            "started_at": created,
            "page_id": self.page["id"],
            "incident_updates": updates,
            "components": self._affected(names),
        }

    def incident(self, incident: PublicIncident) -> dict[str, Any]:
        event_id = stable_id("incident", incident.source, incident.id)
        updates = [self._update(event_id, u, u.stage, incident.components) for u in incident.updates]
        monitoring = next((u.at for u in reversed(incident.updates) if u.stage == "monitoring"), None)
        return self._event(event_id, incident.title, incident.components, updates) | {
            "status": incident.stage,
            "impact": IMPACT[incident.impact],
            "started_at": format_utc(incident.started_at),
            "created_at": format_utc(incident.started_at),
            "monitoring_at": format_utc(monitoring) if monitoring else None,
            "resolved_at": format_utc(incident.resolved_at) if incident.resolved_at else None,
        }

    def maintenance(self, maintenance: PublicMaintenance) -> dict[str, Any]:
        event_id = stable_id("maintenance", maintenance.source, maintenance.id)
        status = "completed" if maintenance.status == "cancelled" else maintenance.status
        updates = [
            self._update(event_id, u, "completed" if u.stage == "cancelled" else u.stage, maintenance.components)
            for u in maintenance.updates
        ]
        ended = next((u.at for u in maintenance.updates if u.stage in ("completed", "cancelled")), None)
        event = self._event(event_id, maintenance.title, maintenance.components, updates)
        if maintenance.starts_at is not None and maintenance.status != "scheduled":
            event["started_at"] = format_utc(maintenance.starts_at)  # the window's start, not when it was seen
        return event | {
            "status": status,
            "impact": "maintenance",
            "resolved_at": format_utc(ended) if ended else None,
            "scheduled_for": format_utc(maintenance.starts_at) if maintenance.starts_at else None,
            "scheduled_until": format_utc(maintenance.ends_at) if maintenance.ends_at else None,
        }

    def override(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The active override as an unresolved incident, or an active maintenance."""
        override = self.document.override
        if override is None:
            return [], []
        since, until = format_utc(override.since), format_utc(override.until)
        event_id = stable_id("incident", since)
        words = INDICATOR[override.status][1]
        update = self._update(
            event_id,
            PublicUpdate(stage="investigating", message=override.message or words, at=override.since),
            "in_progress" if override.status == PlatformStatus.MAINTENANCE else "investigating",
            [],
        )
        event = self._event(event_id, override.message.split("\n")[0][:120] or words, [], [update])
        event["impact"] = INDICATOR[override.status][0]
        if override.status == PlatformStatus.MAINTENANCE:
            return [], [event | {"status": "in_progress", "scheduled_for": since, "scheduled_until": until}]
        return [event | {"status": "investigating"}], []


def statuspage_status(document: StatusDocument, name: str, url: str) -> dict[str, Any]:
    indicator, description = INDICATOR[document.platform_status]
    return {"page": _Shapes(document, name, url).page, "status": {"indicator": indicator, "description": description}}


def _listed(page: dict[str, Any], document: StatusDocument, events: list[dict[str, Any]]) -> dict[str, Any]:
    """The page object of a list: updated when the list last changed (module docstring)."""
    changed = max((event["updated_at"] for event in events), default=None)  # ISO times in UTC sort as text
    fallback = document.status_changed_at or document.updated_at
    return page | {"updated_at": changed or format_utc(fallback)}


def statuspage_files(document: StatusDocument, timeline: Timeline, name: str, url: str) -> dict[str, dict[str, Any]]:
    """Every `api/v2/` file but status.json, by key. The open incidents and the maintenances under way or
    upcoming are the document's (operators' and Uptime Kuma's); the lists add the past ones."""
    shapes = _Shapes(document, name, url)
    override_incidents, override_maintenances = shapes.override()
    unresolved = override_incidents + [shapes.incident(i) for i in document.incidents]
    current = override_maintenances + [shapes.maintenance(m) for m in document.maintenances]
    past = [shapes.incident(i) for i in timeline.incidents if i.resolved_at is not None]
    done = [shapes.maintenance(m) for m in timeline.maintenances if m.status in ("completed", "cancelled")]
    upcoming = [m for m in current if m["status"] == "scheduled"]
    active = [m for m in current if m["status"] == "in_progress"]
    page = shapes.page
    status = statuspage_status(document, name, url)
    incidents, maintenances = (unresolved + past)[:LISTED], (current + done)[:LISTED]
    return {
        "api/v2/summary.json": status
        | {"components": shapes.components, "incidents": unresolved, "scheduled_maintenances": current},
        "api/v2/incidents.json": {"page": _listed(page, document, incidents), "incidents": incidents},
        "api/v2/incidents/unresolved.json": {"page": _listed(page, document, unresolved), "incidents": unresolved},
        "api/v2/scheduled-maintenances.json": {
            "page": _listed(page, document, maintenances),
            "scheduled_maintenances": maintenances,
        },
        "api/v2/scheduled-maintenances/upcoming.json": {
            "page": _listed(page, document, upcoming),
            "scheduled_maintenances": upcoming,
        },
        "api/v2/scheduled-maintenances/active.json": {
            "page": _listed(page, document, active),
            "scheduled_maintenances": active,
        },
    }
