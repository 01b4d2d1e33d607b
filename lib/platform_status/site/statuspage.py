"""api/v2/status.json and api/v2/summary.json in Statuspage's format, so existing clients and embeds read
this page. An active override is an unresolved incident (a scheduled maintenance when it says maintenance)."""

from __future__ import annotations

import hashlib
from typing import Any

from platform_status.document import StatusDocument
from platform_status.rules.status import PlatformStatus
from platform_status.timeutil import format_utc

INDICATOR = {
    PlatformStatus.OPERATIONAL: ("none", "All Systems Operational"),
    PlatformStatus.DEGRADED: ("minor", "Partially Degraded Service"),
    PlatformStatus.OUTAGE: ("major", "Major Service Outage"),
    PlatformStatus.MAINTENANCE: ("none", "Service Under Maintenance"),
    # Statuspage has no "unknown": never claim green without data.
    PlatformStatus.UNKNOWN: ("minor", "Status Unknown"),
}
COMPONENT_STATUS = {
    PlatformStatus.OPERATIONAL: "operational",
    PlatformStatus.DEGRADED: "degraded_performance",
    PlatformStatus.OUTAGE: "major_outage",
    PlatformStatus.MAINTENANCE: "under_maintenance",
    PlatformStatus.UNKNOWN: "degraded_performance",
}


def stable_id(*parts: str) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:12]


def _page(document: StatusDocument, name: str, url: str) -> dict[str, Any]:
    return {
        "id": stable_id("page", name),
        "name": name,
        "url": url,
        "time_zone": "Etc/UTC",
        "updated_at": format_utc(document.updated_at),
    }


def statuspage_status(document: StatusDocument, name: str, url: str) -> dict[str, Any]:
    indicator, description = INDICATOR[document.platform_status]
    return {"page": _page(document, name, url), "status": {"indicator": indicator, "description": description}}


def statuspage_summary(document: StatusDocument, name: str, url: str) -> dict[str, Any]:
    page = _page(document, name, url)
    components = [
        {
            "id": stable_id("component", c.name),
            "name": c.name,
            "status": COMPONENT_STATUS[c.status],
            "created_at": format_utc(document.updated_at),
            "updated_at": format_utc(c.status_changed_at or document.updated_at),
            "position": position,
            "description": None,
            "showcase": True,
            "start_date": None,
            "group_id": None,
            "page_id": page["id"],
            "group": False,
            "only_show_if_degraded": False,
        }
        for position, c in enumerate(document.components, start=1)
    ]
    incidents: list[dict[str, Any]] = []
    maintenances: list[dict[str, Any]] = []
    override = document.override
    if override is not None:
        since, until = format_utc(override.since), format_utc(override.until)
        update = {
            "id": stable_id("update", since, override.message),
            "status": "in_progress" if override.status == PlatformStatus.MAINTENANCE else "investigating",
            "body": override.message or INDICATOR[override.status][1],
            "created_at": since,
            "updated_at": since,
            "display_at": since,
            "affected_components": None,
        }
        event = {
            "id": stable_id("incident", since),
            "name": override.message.split("\n")[0][:120] or INDICATOR[override.status][1],
            "impact": INDICATOR[override.status][0],
            "created_at": since,
            "updated_at": since,
            "started_at": since,
            "resolved_at": None,
            "monitoring_at": None,
            "shortlink": url,
            "page_id": page["id"],
            "incident_updates": [update],
            "components": [],
        }
        if override.status == PlatformStatus.MAINTENANCE:
            maintenances.append(event | {"status": "in_progress", "scheduled_for": since, "scheduled_until": until})
        else:
            incidents.append(event | {"status": "investigating"})
    return {
        **statuspage_status(document, name, url),
        "components": components,
        "incidents": incidents,
        "scheduled_maintenances": maintenances,
    }
