"""status.json: the one model that defines the public document, and from which its JSON Schema is generated.

Every field of the guide's contract keeps its name and meaning (updated_at, platform_status, uptime.last_24h,
uptime.last_7d, backups.policy, backups.last_successful_backup, backups.last_backup_status,
infrastructure.model, .regions, .notes); everything else is an addition under a new key.
Nothing here may carry a tenant name, a monitor name, a URL, an IP or a host name.
"""

from __future__ import annotations

import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from platform_status.rules.backups import BackupStatus
from platform_status.rules.status import PlatformStatus
from platform_status.timeutil import UtcDatetime

Percent = float  # 0..100 with two decimals


class _Public(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Uptime(_Public):
    last_24h: Percent | None = Field(
        description="Mean of the counted monitors' 24 h uptime, percent; null when unknown.", ge=0, le=100
    )
    last_7d: Percent | None = Field(description="7 UTC days up to now, percent; null without history.", ge=0, le=100)
    last_30d: Percent | None = Field(default=None, description="30 UTC days up to now, percent.", ge=0, le=100)
    last_90d: Percent | None = Field(default=None, description="90 UTC days up to now, percent.", ge=0, le=100)
    formula: Literal["beats", "time"] | None = Field(
        default=None,
        exclude_if=lambda value: value is None,
        description="How the windows count, as the Uptime Kuma that reports them: beats (2.x: up / (up + down) "
        "beats) or time (1.23: each beat weighs the seconds since the one before, maintenance counted as up).",
    )


class BackupTenantCounts(_Public):
    total: int = Field(ge=0)
    success: int = Field(ge=0)
    warning: int = Field(ge=0)
    failed: int = Field(ge=0)


class Backups(_Public):
    policy: str
    last_successful_backup: UtcDatetime | None = Field(
        description="Every tenant has a good backup at least this recent (the oldest of their newest)."
    )
    last_backup_status: BackupStatus = Field(description="The worst tenant's status; unknown without data.")
    tenants: BackupTenantCounts


class Infrastructure(_Public):
    model: str
    regions: list[str]
    notes: str


class SetBy(_Public):
    """What set a component's status, when it is not the automatic checks' own."""

    kind: Literal["incident", "maintenance", "override"]
    id: str | None = Field(description="The incident's or maintenance's id; null for the override.")


class Component(_Public):
    name: str = Field(description="A public group of the Uptime Kuma status page.")
    status: PlatformStatus = Field(description="The effective status: an incident's, a maintenance's or an override's.")
    computed_status: PlatformStatus | None = Field(
        default=None, description="The status the automatic checks give this component, whatever is announced."
    )
    set_by: SetBy | None = Field(default=None, description="What set `status`; null when it is the computed one.")
    uptime_24h: Percent | None = Field(ge=0, le=100)
    uptime_7d: Percent | None = Field(default=None, ge=0, le=100)
    uptime_30d: Percent | None = Field(default=None, ge=0, le=100)
    uptime_90d: Percent | None = Field(default=None, ge=0, le=100)
    status_changed_at: UtcDatetime | None = None
    held_from: UtcDatetime | None = Field(
        default=None, description="Set when Uptime Kuma is unavailable: the status is the last known, from then."
    )


class Monitors(_Public):
    """Counts of the monitors that decide the status (paused monitors are not counted)."""

    total: int = Field(ge=0)
    up: int = Field(ge=0)
    down: int = Field(ge=0)
    pending: int = Field(ge=0)
    maintenance: int = Field(ge=0)
    flapping: int = Field(default=0, ge=0, description="Changing state again and again: counted as degraded.")
    as_of: UtcDatetime | None = Field(
        default=None,
        exclude_if=lambda value: value is None,  # absent, not null, when the counts are this run's
        description="Set while the status is held (Uptime Kuma unreachable, or just restarted): these are the "
        "counts of the last run that reached it, from this time; absent when they are this run's.",
    )


class Source(_Public):
    status: Literal["ok", "unavailable", "not_configured"]
    observed_at: UtcDatetime


class Sources(_Public):
    uptime_kuma: Source
    backups: Source


class PublishedOverride(_Public):
    """A status set by an operator during an incident. It ends by itself at `until`."""

    status: PlatformStatus
    message: str = Field(description="Plain text from the operator; whatever shows it must escape it.")
    since: UtcDatetime
    until: UtcDatetime


class PublicUpdate(_Public):
    """One update of an incident's or a maintenance's timeline. Plain text: whatever shows it must escape it."""

    stage: Literal[
        "investigating", "identified", "monitoring", "resolved", "scheduled", "in_progress", "completed", "cancelled"
    ]
    message: str
    at: UtcDatetime


class PublicIncident(_Public):
    id: str
    title: str = Field(description="Plain text, at most 120 characters.")
    impact: Literal["none", "degraded", "outage"] = Field(
        description="What it does to the status of the components it affects; none: a notice only."
    )
    components: list[str] = Field(description="The affected components by name; empty: the whole platform.")
    stage: Literal["investigating", "identified", "monitoring", "resolved"]
    started_at: UtcDatetime
    updated_at: UtcDatetime
    resolved_at: UtcDatetime | None = None
    updates: list[PublicUpdate] = Field(description="The timeline, newest first.")
    source: Literal["operator", "monitoring"] = Field(
        description="operator: announced by the team; monitoring: pinned on the Uptime Kuma status page."
    )


class PublicMaintenance(_Public):
    id: str
    title: str
    message: str
    components: list[str] = Field(description="The affected components by name; empty: the whole platform.")
    status: Literal["scheduled", "in_progress", "completed", "cancelled"] = Field(
        description="status.json lists scheduled and in_progress ones; history/incidents.json the others too."
    )
    starts_at: UtcDatetime | None = Field(description="Null when Uptime Kuma does not say.")
    ends_at: UtcDatetime | None
    updates: list[PublicUpdate] = Field(description="Newest first.")
    source: Literal["operator", "monitoring"]


class StatusDocument(_Public):
    schema_version: Literal[2] = 2
    updated_at: UtcDatetime = Field(description="When this run checked the sources (last checked, not changed).")
    stale_after: UtcDatetime = Field(description="After this time a reader must treat the document as stale.")
    platform_status: PlatformStatus = Field(description="The effective status: the override's while one is active.")
    computed_status: PlatformStatus = Field(description="The status decided from the sources, override or not.")
    override: PublishedOverride | None = None
    status_changed_at: UtcDatetime | None = Field(default=None, description="When the computed status last changed.")
    held_from: UtcDatetime | None = Field(
        default=None, description="Set when Uptime Kuma is unavailable: the status is the last known, from then."
    )
    uptime: Uptime
    backups: Backups
    infrastructure: Infrastructure
    components: list[Component]
    monitors: Monitors
    sources: Sources
    incidents: list[PublicIncident] = Field(
        default_factory=list, description="Open incidents, newest first, with their timelines."
    )
    maintenances: list[PublicMaintenance] = Field(
        default_factory=list, description="Scheduled maintenance: in progress first, then upcoming by start."
    )

    def to_json_bytes(self) -> bytes:
        return (self.model_dump_json(indent=2) + "\n").encode("utf-8")


def _without_property_titles(node: Any, in_properties: bool = False) -> Any:
    """Pydantic titles every property ("Last 24H"); generated client types read better without them.
    Object schemas keep their titles: they name the types."""
    if isinstance(node, dict):
        return {
            key: _without_property_titles(value, in_properties=key == "properties" and not in_properties)
            for key, value in node.items()
            if in_properties or key != "title" or "properties" in node
        }
    if isinstance(node, list):
        return [_without_property_titles(item) for item in node]
    return node


def status_json_schema() -> dict[str, Any]:
    schema: dict[str, Any] = _without_property_titles(StatusDocument.model_json_schema(mode="serialization"))
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "StatusDocument"
    schema["description"] = "The platform status document, status.json."
    return schema


def status_json_schema_bytes() -> bytes:
    return (json.dumps(status_json_schema(), indent=2, sort_keys=True) + "\n").encode("utf-8")
