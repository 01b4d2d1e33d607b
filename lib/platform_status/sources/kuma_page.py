"""Kuma's status page API (`/api/status-page/<slug>`): the public groups, and what Kuma itself announces.

The group names become the public component names, so they are cleaned here, where they enter
(platform_status.text): a control character or a bidi override in a name must not reach any public file.
Monitor names stay as Kuma has them: they are private and never published.
Kuma 2.x sends `incidents` (a list), 1.23 `incident` (one object or null): which one is there also tells the
version when /metrics does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from platform_status.monitors import KumaIncident, KumaMaintenance
from platform_status.sources.kuma_format import KumaFormatError
from platform_status.text import clean_name, clean_text


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _PageMonitor(_Lenient):
    id: int
    name: str


class _PageGroup(_Lenient):
    name: str
    monitor_list: list[_PageMonitor] = Field(alias="monitorList")


class _PageIncident(_Lenient):
    id: int | None = None
    title: str
    content: str | None = None
    style: str | None = None
    created_date: str | None = Field(default=None, alias="createdDate")
    last_updated_date: str | None = Field(default=None, alias="lastUpdatedDate")


class _Timeslot(_Lenient):
    start_date: str | None = Field(default=None, alias="startDate")
    end_date: str | None = Field(default=None, alias="endDate")


class _PageMaintenance(_Lenient):
    id: int | None = None
    title: str = ""
    description: str | None = None
    status: str | None = None
    # Kuma's `toPublicJSON` (server/model/maintenance.js, 1.23 and 2.x alike): the window under way first,
    # then the next one; none for a manual window. A single window's dates are as the operator typed them, in
    # the window's time zone (`timezoneOffset`, "+01:00"); a recurring one's are ISO times with a Z.
    timeslot_list: list[_Timeslot] = Field(default_factory=list, alias="timeslotList")
    timezone_offset: str | None = Field(default=None, alias="timezoneOffset")


class _StatusPage(_Lenient):
    public_group_list: list[_PageGroup] = Field(alias="publicGroupList")
    incidents: list[_PageIncident] | None = None  # Kuma 2.x
    incident: _PageIncident | None = None  # Kuma 1.23
    maintenance_list: list[_PageMaintenance] = Field(default_factory=list, alias="maintenanceList")


@dataclass
class StatusPage:
    groups: list[tuple[str, list[tuple[int, str]]]]  # (public group name, [(monitor id, monitor name)])
    incidents: list[KumaIncident]
    maintenances: list[KumaMaintenance]
    version_hint: str | None  # "1" when the page has 1.23's `incident`, "2" with 2.x's `incidents`


def _first_error(error: ValidationError) -> str:
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


def _kuma_time(value: str | None) -> datetime | None:
    """Kuma writes its dates as `2026-11-28 19:12:31`, in UTC (the recording's Date header says so)."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _window_time(value: str | None, offset: str | None) -> datetime | None:
    """A timeslot's date: with its own zone when it has one, else in the window's time zone, else UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T").replace("Z", "+00:00"))
        if parsed.tzinfo is None and offset:
            parsed = datetime.fromisoformat(f"{parsed.isoformat()}{offset}")
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _window(maintenance: _PageMaintenance) -> tuple[datetime | None, datetime | None]:
    if not maintenance.timeslot_list:
        return None, None  # a manual window: Kuma knows no start or end
    slot = maintenance.timeslot_list[0]
    starts_at = _window_time(slot.start_date, maintenance.timezone_offset)
    ends_at = _window_time(slot.end_date, maintenance.timezone_offset)
    if starts_at is not None and ends_at is not None and ends_at <= starts_at:
        return starts_at, None
    return starts_at, ends_at


def parse_status_page(body: bytes | str) -> StatusPage:
    try:
        page = _StatusPage.model_validate_json(body)
    except ValidationError as error:
        raise KumaFormatError(f"status page JSON is malformed ({_first_error(error)})") from None
    raw = body if isinstance(body, str) else body.decode("utf-8", errors="replace")
    version_hint = "2" if page.incidents is not None else "1" if '"incident"' in raw else None
    incidents = page.incidents if page.incidents is not None else ([page.incident] if page.incident else [])
    return StatusPage(
        groups=[
            (clean_name(group.name) or f"Group {index + 1}", [(m.id, m.name) for m in group.monitor_list])
            for index, group in enumerate(page.public_group_list)
        ],
        incidents=[
            KumaIncident(
                id=i.id,
                title=clean_name(i.title, max_length=120),
                content=clean_text(i.content, keep_newlines=True)[:2000] if i.content else None,
                style=i.style,
                created_at=_kuma_time(i.created_date),
                updated_at=_kuma_time(i.last_updated_date),
            )
            for i in incidents
        ],
        maintenances=[
            KumaMaintenance(
                id=m.id,
                title=clean_name(m.title, max_length=120),
                description=clean_text(m.description or "", keep_newlines=True)[:2000],
                status=m.status or "",
                starts_at=_window(m)[0],
                ends_at=_window(m)[1],
            )
            for m in page.maintenance_list
        ],
        version_hint=version_hint,
    )
