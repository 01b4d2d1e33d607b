"""Uptime Kuma 2.5.3-shaped bodies built from parts, for crafted (hostile, odd) and generated input. The
shapes are those of the recorded responses in tests/fixtures/uptime-kuma-2.5.3: only the values differ."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from kuma_standin import KumaResponses

CODES = {"down": 0, "up": 1, "pending": 2, "maintenance": 3}


@dataclass
class Monitor:
    id: int
    name: str
    status: str = "up"  # down, up, pending, maintenance
    ratio_1d: float | str = 1.0  # a number, or the text Kuma would print ("NaN", "+Inf")
    beats: list[tuple[str, datetime]] = field(default_factory=list)  # (status, time)
    uptime_24h: object = 1.0  # uptimeList's value (any JSON)


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def metrics_text(monitors: list[Monitor], started_at: float = 1795893149) -> str:
    lines = ["# HELP monitor_status Monitor Status", "# TYPE monitor_status gauge"]
    for m in monitors:
        labels = f'monitor_id="{m.id}",monitor_name="{_label(m.name)}",monitor_type="http",monitor_url="https://x.invalid/{m.id}"'
        lines.append(f"monitor_status{{{labels}}} {CODES[m.status]}")
        lines.append(f'monitor_uptime_ratio{{{labels},window="1d"}} {m.ratio_1d}')
    lines += [
        f"process_start_time_seconds {started_at}",
        'app_version{version="2.5.3",major="2",minor="5",patch="3"} 1',
    ]
    return "\n".join(lines) + "\n"


def page_json(groups: list[tuple[str, list[Monitor]]]) -> str:
    return json.dumps(
        {
            "config": {"slug": "test-status"},
            "incidents": [],
            "publicGroupList": [
                {
                    "id": i + 1,
                    "name": name,
                    "weight": i + 1,
                    "monitorList": [{"id": m.id, "name": m.name} for m in members],
                }
                for i, (name, members) in enumerate(groups)
            ],
            "maintenanceList": [],
        }
    )


def kuma_time(at: datetime) -> str:
    """As Kuma writes it (dayjs "YYYY-MM-DD HH:mm:ss.SSS", UTC): four digits of year even for year 1."""
    return f"{at.year:04d}-{at.month:02d}-{at.day:02d} {at:%H:%M:%S}.{at.microsecond // 1000:03d}"


def heartbeat_json(monitors: list[Monitor]) -> str:
    beats = {
        str(m.id): [{"status": CODES[status], "time": kuma_time(at), "msg": "", "ping": 1} for status, at in m.beats]
        for m in monitors
    }
    return json.dumps({"heartbeatList": beats, "uptimeList": {f"{m.id}_24": m.uptime_24h for m in monitors}})


def responses(groups: list[tuple[str, list[Monitor]]], api_key: str | None = None) -> KumaResponses:
    monitors = list({m.id: m for _, members in groups for m in members}.values())
    return KumaResponses(
        metrics=metrics_text(monitors).encode(),
        status_page=page_json(groups).encode(),
        heartbeat=heartbeat_json(monitors).encode(),
        api_key=api_key,
    )
