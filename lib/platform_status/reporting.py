"""A run and its document in sentences, for a person at a terminal: the command line and the demo.

The function's own log stays one JSON line per run (runlog.py); this is what a human reads instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from platform_status.document import StatusDocument
from platform_status.observations import SOURCES
from platform_status.timeutil import format_utc


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.2f}%"


def describe_document(document: StatusDocument) -> list[str]:
    monitors, uptime, backups = document.monitors, document.uptime, document.backups
    tenants = backups.tenants
    status = document.platform_status.value
    computed = (
        "" if document.computed_status == document.platform_status else f" (computed: {document.computed_status.value})"
    )
    lines = [
        f"platform status: {status}{computed}",
        f"monitors: {monitors.total} counted: {monitors.up} up, {monitors.down} down, {monitors.pending} pending, "
        f"{monitors.maintenance} in maintenance, {monitors.flapping} flapping",
        f"uptime: 24 h {percent(uptime.last_24h)}, 7 d {percent(uptime.last_7d)}, 30 d {percent(uptime.last_30d)}, "
        f"90 d {percent(uptime.last_90d)}",
        f"backups: {backups.last_backup_status.value}: {tenants.success} of {tenants.total} tenants on time, "
        f"{tenants.warning} late, {tenants.failed} failed"
        + (
            f"; every tenant has a backup from {format_utc(backups.last_successful_backup)} or later"
            if backups.last_successful_backup
            else ""
        ),
    ]
    lines += [
        f"component {component.name}: {component.status.value}, 24 h {percent(component.uptime_24h)}"
        for component in document.components
    ]
    lines.append(f"updated {format_utc(document.updated_at)}; stale after {format_utc(document.stale_after)}")
    return lines


def describe_summary(summary: Mapping[str, Any]) -> list[str]:
    """The run's summary (what the function returns) in sentences."""
    lines = [f"run: {'ok' if summary.get('ok') else 'with problems'}, {summary.get('duration_ms', '?')} ms"]
    for source in SOURCES:
        report = (summary.get("sources") or {}).get(source.key)
        if report:
            reason = f": {report['reason']}" if report.get("reason") else ""
            lines.append(f"source {source.label}: {report['status']} in {report['latency_ms']} ms{reason}")
    if "history" in summary:
        lines.append(f"history: {summary['history']}")
    written = summary.get("written") or {}
    if written:
        total = sum(written.values())
        lines.append(f"wrote {len(written)} objects ({total / 1024:.1f} KiB) to {summary.get('target', '?')}")
    alerts = summary.get("alerts")
    if isinstance(alerts, Mapping):
        sent = alerts.get("sent") or []
        said = f"{len(sent)} sent" if alerts.get("status") == "configured" else str(alerts.get("status"))
        lines.append(f"alerts: {said}" + "".join(f"\n  {line}" for line in sent))
    if "heartbeat" in summary:
        lines.append(f"heartbeat: {summary['heartbeat']}")
    lines += [f"problem: {problem}" for problem in summary.get("problems") or []]
    if summary.get("error"):
        lines.append(f"error: {summary['error']}")
    return lines
