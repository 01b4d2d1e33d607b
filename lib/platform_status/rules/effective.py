"""The effective document: the computed one, with what operators announce on top. Pure.

The rules, in the order they apply (docs/status-rules.md, "Incidents, maintenance and the override"):
1. A maintenance in progress sets the components it covers (all of them when it names none) to
   `maintenance`: planned work, not an outage, even when the checks see one (as Kuma itself shows it).
2. Each open incident raises the components it affects (all when it names none) to at least its impact.
3. The platform's status is the worst of: the computed status (or, while some components are under
   maintenance, the worst of the other components', with late backups still counting as degraded), and
   every open incident's impact. A maintenance covering everything makes it `maintenance` unless an
   incident is worse.
4. An active override, the operator's quick switch, sets the platform and every component to its status.
Every component keeps its computed status beside the effective one (`computed_status`), and says what set
it (`set_by`), so the headline and the components never contradict each other and nothing is hidden.
"""

from __future__ import annotations

from datetime import datetime

from platform_status.document import Component, PublishedOverride, SetBy, StatusDocument
from platform_status.incidents.model import Incident, Maintenance
from platform_status.incidents.public import public_incident, public_maintenance
from platform_status.override.rules import Override
from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
from platform_status.text import clean_text

SEVERITY = {
    PlatformStatus.OPERATIONAL: 0,
    PlatformStatus.MAINTENANCE: 1,
    PlatformStatus.UNKNOWN: 2,
    PlatformStatus.DEGRADED: 3,
    PlatformStatus.OUTAGE: 4,
}
IMPACT = {"degraded": PlatformStatus.DEGRADED, "outage": PlatformStatus.OUTAGE}


def worst(*statuses: PlatformStatus) -> PlatformStatus:
    return max(statuses, key=SEVERITY.__getitem__)


def _covers(names: list[str], component: str) -> bool:
    return not names or component in names


def _component(
    component: Component, incidents: list[Incident], maintenances: list[Maintenance], override: Override | None
) -> Component:
    computed = component.computed_status or component.status
    status, set_by = computed, None
    under = next((m for m in maintenances if _covers(m.components, component.name)), None)
    if under is not None:
        status, set_by = PlatformStatus.MAINTENANCE, SetBy(kind="maintenance", id=under.id)
    for incident in incidents:
        impact = IMPACT[incident.impact]
        if _covers(incident.components, component.name) and SEVERITY[impact] > SEVERITY[status]:
            status, set_by = impact, SetBy(kind="incident", id=incident.id)
    if override is not None:
        status, set_by = PlatformStatus(override.status.value), SetBy(kind="override", id=None)
    return component.model_copy(update={"status": status, "computed_status": computed, "set_by": set_by})


def _platform(
    document: StatusDocument, components: list[Component], incidents: list[Incident], maintenances: list[Maintenance]
) -> PlatformStatus:
    computed = document.computed_status
    if any(not m.components for m in maintenances):
        base = PlatformStatus.MAINTENANCE
    elif maintenances and components:
        others = [
            c.computed_status or c.status for c in components if not (c.set_by and c.set_by.kind == "maintenance")
        ]
        base = worst(*others) if others else PlatformStatus.MAINTENANCE
        if document.backups.last_backup_status in (BackupStatus.WARNING, BackupStatus.FAILED):
            base = worst(base, PlatformStatus.DEGRADED)
    else:
        base = computed
    return worst(base, *(IMPACT[incident.impact] for incident in incidents))


def effective_document(
    document: StatusDocument,
    override: Override | None,
    incidents: list[Incident],
    maintenances: list[Maintenance],
    now: datetime,
) -> StatusDocument:
    """`incidents`: every incident the operators run (open ones apply); `maintenances`: every maintenance
    (in progress ones apply, upcoming ones are announced)."""
    active = override if override is not None and override.active(now) else None
    open_incidents = sorted((i for i in incidents if i.open(now)), key=lambda i: i.created_at, reverse=True)
    in_progress = [m for m in maintenances if m.phase(now) == "in_progress"]
    upcoming = sorted((m for m in maintenances if m.phase(now) == "scheduled"), key=lambda m: m.starts_at)
    components = [_component(c, open_incidents, in_progress, active) for c in document.components]
    platform = _platform(document, components, open_incidents, in_progress)
    published_override = None
    if active is not None:
        platform = PlatformStatus(active.status.value)
        published_override = PublishedOverride(
            status=platform,
            # Cleaned again on the way out: a stored override may have been written by hand, or before a rule.
            message=clean_text(active.message, keep_newlines=True),
            since=active.since,
            until=active.until,
        )
    monitoring_incidents = [i for i in document.incidents if i.source == "monitoring"]
    monitoring_maintenances = [m for m in document.maintenances if m.source == "monitoring"]
    return document.model_copy(
        update={
            "platform_status": platform,
            "override": published_override,
            "components": components,
            "incidents": [public_incident(i, now) for i in open_incidents] + monitoring_incidents,
            "maintenances": [public_maintenance(m, now) for m in [*in_progress, *upcoming]] + monitoring_maintenances,
        }
    )
