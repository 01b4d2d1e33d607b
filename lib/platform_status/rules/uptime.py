"""Uptime figures for display. They never decide the status: a total outage now is an outage at 99.6 %."""

from __future__ import annotations

from collections.abc import Iterable

from platform_status.monitors import MonitorSnapshot


def mean_uptime_percent(monitors: Iterable[MonitorSnapshot]) -> float | None:
    """Mean of the counted monitors' 24 h uptime, in percent with two decimals; None without any figure.

    A monitor with no uptime (paused, or only in maintenance) is left out rather than counted as 0 %.
    """
    ratios = [m.uptime_24h for m in monitors if m.counted and m.uptime_24h is not None]
    if not ratios:
        return None
    return round(100 * sum(ratios) / len(ratios), 2)
