"""index.html: the status page, rendered with Jinja2 (autoescaping on) from the document and the history.

Complete without JavaScript; a small inline script refreshes it from status.json every 60 s and, once the
data is past `stale_after`, shows it as out of date with the status unknown.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from platform_status.document import StatusDocument
from platform_status.history.public import DayBar, HistoryIndex
from platform_status.rules.status import PlatformStatus
from platform_status.site.templating import template_environment
from platform_status.site.wording import WORDING

BAR_CSS = {
    PlatformStatus.OPERATIONAL: "o",
    PlatformStatus.DEGRADED: "d",
    PlatformStatus.OUTAGE: "x",
    PlatformStatus.MAINTENANCE: "m",
    PlatformStatus.UNKNOWN: "n",
}


def human_time(moment: datetime) -> str:
    return moment.strftime("%d %b %Y, %H:%M UTC").lstrip("0")


def percent(value: float | None) -> str:
    return "no data" if value is None else f"{value:.2f} %"


def _bars(days: list[DayBar]) -> list[dict[str, str]]:
    bars = []
    for day in days:
        label = day.date.strftime("%d %b").lstrip("0")
        if day.uptime is None and day.worst is None:
            bars.append({"css": "n", "label": f"{label}: no data"})
            continue
        incidents = f", {day.incidents} incident{'s' if day.incidents != 1 else ''}" if day.incidents else ""
        worst = f", {WORDING[day.worst].short.lower()} at worst" if day.worst and day.worst != "operational" else ""
        uptime = f"{day.uptime:.2f} % up" if day.uptime is not None else "uptime unknown"
        bars.append({"css": BAR_CSS[day.worst] if day.worst else "n", "label": f"{label}: {uptime}{worst}{incidents}"})
    return bars


def render_page(document: StatusDocument, history: HistoryIndex | None, page_name: str, now: datetime) -> bytes:
    stale = now > document.stale_after
    shown = PlatformStatus.UNKNOWN if stale else document.platform_status
    wording = WORDING[shown]
    bars_by_name = {scope.name: _bars(scope.days) for scope in history.components} if history else {}
    override: dict[str, Any] | None = None
    if document.override is not None:
        override = {
            "message": document.override.message,
            "words": WORDING[document.override.status].headline,
            "since": human_time(document.override.since),
            "until": human_time(document.override.until),
        }
    computed_note = ""
    if document.override is not None and document.computed_status != document.override.status:
        computed_note = f"Automatic checks: {WORDING[document.computed_status].short}"
    context = {
        "page_name": page_name,
        "overall": {"headline": wording.headline, "symbol": wording.symbol, "css": wording.css},
        "stale": stale,
        "stale_after": document.stale_after.isoformat().replace("+00:00", "Z"),
        "updated_at": document.updated_at.isoformat().replace("+00:00", "Z"),
        "updated_human": human_time(document.updated_at),
        "override": override if not stale else None,
        "computed_note": computed_note if not stale else "",
        "uptime": {
            name: percent(getattr(document.uptime, name)) for name in ("last_24h", "last_7d", "last_30d", "last_90d")
        },
        "platform_bars": _bars(history.platform.days) if history else [],
        "components": [
            {
                "name": c.name,
                "css": WORDING[c.status].css,
                "symbol": WORDING[c.status].symbol,
                "words": WORDING[c.status].short,
                "uptime_24h": percent(c.uptime_24h),
                "uptime_7d": percent(c.uptime_7d),
                "uptime_30d": percent(c.uptime_30d),
                "uptime_90d": percent(c.uptime_90d),
                "bars": bars_by_name.get(c.name, []),
            }
            for c in document.components
        ],
        "backups": {
            "policy": document.backups.policy,
            "words": {"success": "on schedule", "warning": "late", "failed": "failed"}.get(
                document.backups.last_backup_status.value, "unknown"
            ),
            "last": human_time(document.backups.last_successful_backup)
            if document.backups.last_successful_backup
            else "",
            "last_iso": document.backups.last_successful_backup.isoformat()
            if document.backups.last_successful_backup
            else "",
        },
        "infrastructure": document.infrastructure,
        # The template's tojson filter escapes <, > and &, so the data can never close the script element.
        "wording": {s.value: [w.headline, w.short, w.symbol, w.css] for s, w in WORDING.items()},
    }
    return template_environment().get_template("index.html.j2").render(context).encode("utf-8")
