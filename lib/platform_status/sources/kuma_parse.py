"""Turn Uptime Kuma's responses into a KumaSnapshot. Pure: no I/O, so it is tested on recorded bodies.

Handles Kuma 2.x (monitor_id label, monitor_uptime_ratio windows, `incidents` list) and 1.23.x (monitors
matched by name, no ratios, one `incident` object or null).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from prometheus_client.parser import text_string_to_metric_families
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from platform_status.monitors import (
    KUMA_STATE_CODES,
    Beat,
    ComponentSnapshot,
    KumaIncident,
    KumaSnapshot,
    MonitorSnapshot,
    MonitorState,
)


class KumaFormatError(ValueError):
    """A Kuma response that does not have the shape Kuma documents. The message is safe to log."""


# ---------------------------------------------------------------------------------------------- /metrics


@dataclass
class MetricsMonitor:
    key: str
    name: str
    state: MonitorState | None = None
    uptime_ratios: dict[str, float] = field(default_factory=dict)  # window ("1d", "30d", "365d") -> ratio
    response_time_ms: float | None = None
    cert_valid: bool | None = None
    cert_days_remaining: float | None = None


def monitor_key(monitor_id: int | str | None, name: str) -> str:
    return f"id:{monitor_id}" if monitor_id not in (None, "") else f"name:{name}"


def parse_metrics(text: str) -> dict[str, MetricsMonitor]:
    """Parse Kuma's Prometheus exposition into one entry per monitor that has a monitor_status series.

    Monitors absent from /metrics (paused, or not beaten since Kuma started) are absent here too.
    """
    try:
        families = list(text_string_to_metric_families(text))
    except ValueError as error:
        raise KumaFormatError(f"/metrics is not Prometheus text ({str(error)[:80]})") from None
    if not families:
        raise KumaFormatError("/metrics returned no metrics at all")

    monitors: dict[str, MetricsMonitor] = {}

    def entry(labels: dict[str, str]) -> MetricsMonitor:
        name = labels.get("monitor_name", "")
        key = monitor_key(labels.get("monitor_id"), name)
        return monitors.setdefault(key, MetricsMonitor(key=key, name=name))

    # monitor_status first: it alone decides which monitors exist, the other families only add detail.
    by_name = {family.name: family for family in families}
    status_family = by_name.get("monitor_status")
    for sample in status_family.samples if status_family else []:
        code = int(sample.value)
        if code not in KUMA_STATE_CODES:
            raise KumaFormatError(f"/metrics has monitor_status {sample.value}, not one of 0, 1, 2, 3")
        entry(sample.labels).state = KUMA_STATE_CODES[code]

    def detail(family_name: str) -> Iterable[tuple[MetricsMonitor, dict[str, str], float]]:
        family = by_name.get(family_name)
        for sample in family.samples if family else []:
            key = monitor_key(sample.labels.get("monitor_id"), sample.labels.get("monitor_name", ""))
            if key in monitors:
                yield monitors[key], sample.labels, float(sample.value)

    for monitor, labels, value in detail("monitor_uptime_ratio"):
        if "window" in labels:
            monitor.uptime_ratios[labels["window"]] = value
    for monitor, _, value in detail("monitor_response_time"):
        monitor.response_time_ms = value if value >= 0 else None  # Kuma reports -1 for "no ping"
    for monitor, _, value in detail("monitor_cert_is_valid"):
        monitor.cert_valid = value == 1
    for monitor, _, value in detail("monitor_cert_days_remaining"):
        monitor.cert_days_remaining = value
    return monitors


# ------------------------------------------------------------------------------------- status page JSON


class _Lenient(BaseModel):
    model_config = ConfigDict(extra="ignore")


class _PageMonitor(_Lenient):
    id: int
    name: str


class _PageGroup(_Lenient):
    name: str
    monitor_list: list[_PageMonitor] = Field(alias="monitorList")


class _PageIncident(_Lenient):
    title: str
    content: str | None = None
    style: str | None = None


class _StatusPage(_Lenient):
    public_group_list: list[_PageGroup] = Field(alias="publicGroupList")
    incidents: list[_PageIncident] | None = None  # Kuma 2.x
    incident: _PageIncident | None = None  # Kuma 1.23


@dataclass
class StatusPage:
    groups: list[tuple[str, list[tuple[int, str]]]]  # (group name, [(monitor id, monitor name)])
    incidents: list[KumaIncident]


def parse_status_page(body: bytes | str) -> StatusPage:
    try:
        page = _StatusPage.model_validate_json(body)
    except ValidationError as error:
        raise KumaFormatError(f"status page JSON is malformed ({_first_error(error)})") from None
    incidents = page.incidents if page.incidents is not None else ([page.incident] if page.incident else [])
    return StatusPage(
        groups=[(group.name, [(m.id, m.name) for m in group.monitor_list]) for group in page.public_group_list],
        incidents=[KumaIncident(title=i.title, content=i.content, style=i.style) for i in incidents],
    )


# --------------------------------------------------------------------------------------- heartbeat JSON


class _Heartbeats(_Lenient):
    model_config = ConfigDict(extra="ignore", arbitrary_types_allowed=True)

    heartbeat_list: dict[str, list[Beat]] = Field(alias="heartbeatList")
    uptime_list: dict[str, float] = Field(alias="uptimeList")


@dataclass
class Heartbeats:
    beats: dict[int, list[Beat]]  # monitor id -> beats, oldest first
    uptime_24h: dict[int, float]  # monitor id -> ratio 0..1


def parse_kuma_time(value: str) -> datetime:
    """Kuma's heartbeat time: UTC without a zone, 'YYYY-MM-DD HH:mm:ss.SSS'."""
    return datetime.fromisoformat(value.replace(" ", "T")).replace(tzinfo=UTC)


def _beat_or_object(obj: dict[str, Any]) -> Any:
    """json.loads hook: each beat becomes a compact Beat as soon as it is read.

    The heartbeat API sends 100 beats per monitor; holding them all as dicts (or pydantic models) first
    took about 300 MB for 5000 monitors. This keeps one dict alive at a time.
    """
    if "status" not in obj or "time" not in obj:
        return obj
    status, time = obj["status"], obj["time"]
    if type(status) is not int or status not in KUMA_STATE_CODES or not isinstance(time, str):
        raise KumaFormatError(f"heartbeat JSON has a beat with status {str(status)[:10]!r}")
    try:
        return Beat(state=KUMA_STATE_CODES[status], at=parse_kuma_time(time))
    except ValueError:
        raise KumaFormatError(f"heartbeat JSON has a beat with time {time[:30]!r}") from None


def parse_heartbeats(body: bytes | str) -> Heartbeats:
    try:
        data = _Heartbeats.model_validate(json.loads(body, object_hook=_beat_or_object))
        uptime = {int(key.split("_")[0]): ratio for key, ratio in data.uptime_list.items() if key.endswith("_24")}
        beats = {int(monitor_id): beat_list for monitor_id, beat_list in data.heartbeat_list.items()}
    except KumaFormatError:
        raise
    except json.JSONDecodeError:
        raise KumaFormatError("heartbeat API: response is not JSON") from None
    except ValidationError as error:
        raise KumaFormatError(f"heartbeat JSON is malformed ({_first_error(error)})") from None
    except ValueError as error:
        raise KumaFormatError(f"heartbeat JSON has an unexpected key ({str(error)[:80]})") from None
    return Heartbeats(beats=beats, uptime_24h=uptime)


def _first_error(error: ValidationError) -> str:
    first = error.errors(include_input=False, include_url=False)[0]
    where = ".".join(str(part) for part in first["loc"]) or "body"
    return f"{where}: {first['msg']}"


# ----------------------------------------------------------------------------------------------- combine


def _uptime_or_none(ratio: float | None, state: MonitorState | None, beats: list[Beat]) -> float | None:
    """Kuma reports 0 for a window with no data; we say "no uptime" instead of inventing 0 %.

    We can only tell "no data" from "down all day" by evidence: a monitor that is paused, or in maintenance
    with no up, down or pending beat in sight, has no uptime to report.
    """
    if ratio is None or state is None:
        return None
    only_maintenance = not any(beat.state is not MonitorState.MAINTENANCE for beat in beats)
    if ratio == 0 and state is MonitorState.MAINTENANCE and only_maintenance:
        return None
    return ratio


def build_snapshot(
    observed_at: datetime,
    metrics: dict[str, MetricsMonitor],
    page: StatusPage | None = None,
    heartbeats: Heartbeats | None = None,
) -> KumaSnapshot:
    """Which monitors count: the status page's when one is configured (the operator's public selection),
    otherwise every monitor in /metrics."""
    has_ids = any(key.startswith("id:") for key in metrics)

    def snapshot(key: str, name: str, monitor_id: int | None) -> MonitorSnapshot:
        found = metrics.get(key)
        state = found.state if found else None
        beats = heartbeats.beats.get(monitor_id, []) if heartbeats and monitor_id is not None else []
        ratio_24h = None
        if heartbeats and monitor_id is not None and monitor_id in heartbeats.uptime_24h:
            ratio_24h = heartbeats.uptime_24h[monitor_id]
        elif found:
            ratio_24h = found.uptime_ratios.get("1d")
        return MonitorSnapshot(
            key=key,
            name=name,
            state=state,
            uptime_24h=_uptime_or_none(ratio_24h, state, beats),
            uptime_30d=_uptime_or_none(found.uptime_ratios.get("30d") if found else None, state, beats),
            response_time_ms=found.response_time_ms if found else None,
            cert_valid=found.cert_valid if found else None,
            cert_days_remaining=found.cert_days_remaining if found else None,
        )

    if page is None:
        monitors = [
            snapshot(m.key, m.name, int(m.key[3:]) if m.key.startswith("id:") else None) for m in metrics.values()
        ]
        return KumaSnapshot(observed_at=observed_at, monitors=monitors, components=[])

    beats_by_key: dict[str, list[Beat]] = {}

    monitors_by_key: dict[str, MonitorSnapshot] = {}
    components: list[ComponentSnapshot] = []
    for group_name, members in page.groups:
        keys: list[str] = []
        for monitor_id, name in members:
            # Kuma 1.23 has no monitor_id label: match the page's monitors to /metrics by name.
            key = monitor_key(monitor_id, name) if has_ids or not metrics else monitor_key(None, name)
            monitors_by_key.setdefault(key, snapshot(key, name, monitor_id))
            if heartbeats and monitor_id in heartbeats.beats:
                beats_by_key[key] = heartbeats.beats[monitor_id]
            keys.append(key)
        components.append(ComponentSnapshot(name=group_name, monitor_keys=keys))
    return KumaSnapshot(
        observed_at=observed_at,
        monitors=list(monitors_by_key.values()),
        components=components,
        incidents=page.incidents,
        beats=beats_by_key,
    )
