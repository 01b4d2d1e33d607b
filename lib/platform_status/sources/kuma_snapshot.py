"""/metrics, the status page and the heartbeats combined into one KumaSnapshot. Pure.

Which monitors count: the status page's when one is configured (the operator's public selection), every
monitor in /metrics otherwise. A page monitor is matched to /metrics by id (Kuma 2.x), or by name on 1.23,
whose /metrics has no id; where 1.23 has two monitors with one name, /metrics cannot tell them apart, so
each takes its state from its own last beat (the heartbeat API is keyed by id) and they are never merged.
A page monitor that /metrics does not list is `reported=False`: paused, or Kuma has just restarted and not
checked it yet. Which of the two is decided with the history (history/restart.py), not here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import UTC, datetime

from platform_status.monitors import (
    KUMA_STATE_CODES,
    BeatSeries,
    ComponentSnapshot,
    KumaSnapshot,
    MonitorSnapshot,
    MonitorState,
)
from platform_status.sources.kuma_heartbeats import Heartbeats
from platform_status.sources.kuma_metrics import MetricsMonitor, MetricsReading
from platform_status.sources.kuma_page import StatusPage


def uptime_or_none(ratio: float | None, state: MonitorState | None, beats: BeatSeries | None) -> float | None:
    """Kuma reports 0 for a window with no data; we say "no uptime" instead of inventing 0 %.

    "No data" can only be told from "down all day" by evidence: a monitor that is not counted, or in
    maintenance with no up, down or pending beat in sight, has no uptime to report.
    """
    if ratio is None or state is None:
        return None
    only_maintenance = beats is None or all(KUMA_STATE_CODES[code] is MonitorState.MAINTENANCE for code in beats.codes)
    if ratio == 0 and state is MonitorState.MAINTENANCE and only_maintenance:
        return None
    return ratio


def _version(metrics: Mapping[str, MetricsMonitor], page: StatusPage | None) -> str | None:
    if isinstance(metrics, MetricsReading) and metrics.version:
        return metrics.version
    if page is not None and page.version_hint is not None:
        return "1.23" if page.version_hint == "1" else "2"
    if metrics:
        return "2" if any(key.startswith("id:") for key in metrics) else "1.23"
    return None


def _last_beat(beats: BeatSeries | None) -> tuple[MonitorState | None, datetime | None]:
    if not beats:
        return None, None
    return KUMA_STATE_CODES[beats.codes[-1]], datetime.fromtimestamp(beats.times_ms[-1] / 1000, UTC)


def _monitor(
    key: str, name: str, found: MetricsMonitor | None, beats: BeatSeries | None, kuma_24h: float | None
) -> MonitorSnapshot:
    state = found.state if found else None
    beat_state, beat_at = _last_beat(beats)
    ratio_24h = kuma_24h if kuma_24h is not None else found.uptime_ratios.get("1d") if found else None
    return MonitorSnapshot(
        key=key,
        name=name,
        state=state,
        uptime_24h=uptime_or_none(ratio_24h, state, beats),
        uptime_30d=uptime_or_none(found.uptime_ratios.get("30d") if found else None, state, beats),
        response_time_ms=found.response_time_ms if found else None,
        cert_valid=found.cert_valid if found else None,
        cert_days_remaining=found.cert_days_remaining if found else None,
        reported=found is not None,
        raw_uptime_24h=ratio_24h,
        last_beat_state=beat_state,
        last_beat_at=beat_at,
    )


def _by_name(metrics: Mapping[str, MetricsMonitor]) -> dict[str, list[MetricsMonitor]]:
    found: dict[str, list[MetricsMonitor]] = {}
    for entry in metrics.values():
        found.setdefault(entry.name, []).append(entry)
    return found


def _matched_by_name(
    page: StatusPage, metrics: Mapping[str, MetricsMonitor], heartbeats: Heartbeats | None
) -> dict[int, MetricsMonitor | None]:
    """Kuma 1.23: the /metrics series of each page monitor, by name. Where names repeat, the monitors with the
    newest beats are the active ones (as many as /metrics has series of that name), each with the state of
    its own last beat; the others are not reported."""
    series_by_name = _by_name(metrics)
    page_ids_by_name: dict[str, list[int]] = {}
    for _, members in page.groups:
        for monitor_id, name in members:
            if monitor_id not in page_ids_by_name.setdefault(name, []):
                page_ids_by_name[name].append(monitor_id)
    matched: dict[int, MetricsMonitor | None] = {}
    for name, ids in page_ids_by_name.items():
        series = series_by_name.get(name, [])
        if len(ids) == 1 and len(series) <= 1:
            matched[ids[0]] = series[0] if series else None
            continue

        def newest(monitor_id: int) -> int:
            beats = heartbeats.beats.get(monitor_id) if heartbeats else None
            return beats.times_ms[-1] if beats else -1

        for rank, monitor_id in enumerate(sorted(ids, key=newest, reverse=True)):
            beats = heartbeats.beats.get(monitor_id) if heartbeats else None
            active = rank < len(series) and bool(beats)
            state = KUMA_STATE_CODES[beats.codes[-1]] if active and beats else None
            matched[monitor_id] = MetricsMonitor(key=f"id:{monitor_id}", name=name, state=state) if active else None
    return matched


def _unique_names(names: list[str]) -> list[str]:
    """Two groups of one name (or two that differ only in what cleaning removed) stay two components."""
    seen: Counter[str] = Counter()
    unique = []
    for name in names:
        seen[name] += 1
        unique.append(name if seen[name] == 1 else f"{name} ({seen[name]})")
    return unique


def build_snapshot(
    observed_at: datetime,
    metrics: Mapping[str, MetricsMonitor],
    page: StatusPage | None = None,
    heartbeats: Heartbeats | None = None,
) -> KumaSnapshot:
    ignored: Counter[str] = Counter()
    if isinstance(metrics, MetricsReading):
        ignored.update(metrics.ignored)
    if heartbeats is not None:
        ignored.update(heartbeats.ignored)
    common = {
        "observed_at": observed_at,
        "version": _version(metrics, page),
        "started_at": metrics.started_at if isinstance(metrics, MetricsReading) else None,
        "ignored": dict(ignored),
    }
    if page is None:
        monitors = [_monitor(entry.key, entry.name, entry, None, None) for entry in metrics.values()]
        return KumaSnapshot(monitors=monitors, components=[], **common)

    has_ids = any(key.startswith("id:") for key in metrics)
    by_name = {} if has_ids else _matched_by_name(page, metrics, heartbeats)
    monitors_by_key: dict[str, MonitorSnapshot] = {}
    beats_by_key: dict[str, BeatSeries] = {}
    components: list[ComponentSnapshot] = []
    for group_name, (_, members) in zip(_unique_names([name for name, _ in page.groups]), page.groups, strict=True):
        keys: list[str] = []
        for monitor_id, name in members:
            key = f"id:{monitor_id}"
            beats = heartbeats.beats.get(monitor_id) if heartbeats else None
            if key not in monitors_by_key:
                found = metrics.get(key) if has_ids else by_name.get(monitor_id)
                kuma_24h = heartbeats.uptime_24h.get(monitor_id) if heartbeats else None
                monitors_by_key[key] = _monitor(key, name, found, beats, kuma_24h)
            if beats is not None:
                beats_by_key[key] = beats
            keys.append(key)
        components.append(ComponentSnapshot(name=group_name, monitor_keys=keys))
    return KumaSnapshot(
        monitors=list(monitors_by_key.values()),
        components=components,
        incidents=page.incidents,
        maintenances=page.maintenances,
        beats=beats_by_key,
        **common,
    )
